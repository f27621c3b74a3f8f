"""Deterministic train / validation / test splits of the query space, stored as indices.

One seeded permutation serves every train fraction: a fraction's training queries are a prefix
of it (so 1% is inside 2%), and the test set is drawn from its tail, which no training prefix
reaches when ``eval_size`` is a number: every fraction is then scored on the same test queries.
"""

import numpy as np


def split_indices(count, train_fraction, validation_size, eval_size, seed):
    """Return dict of int64 index arrays ``train``, ``validation``, ``test``.

    ``validation`` is the last ``validation_size`` queries of the training prefix (early stopping
    never sees test data); ``eval_size`` is a number of test queries or ``"all"`` (every query
    outside the training prefix).
    """
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction {train_fraction} is outside (0, 1)")
    n_prefix = int(round(train_fraction * count))
    if validation_size >= n_prefix:
        raise ValueError(f"validation_size {validation_size} leaves no training queries "
                         f"(train fraction {train_fraction} of {count} is {n_prefix})")
    order = np.random.default_rng(seed).permutation(count)
    if eval_size == "all":
        test = order[n_prefix:]
    else:
        if n_prefix + eval_size > count:
            raise ValueError(f"eval_size {eval_size} overlaps the training queries: "
                             f"at most {count - n_prefix} queries are left at train fraction {train_fraction}")
        test = order[count - eval_size:]
    return {
        "train": order[:n_prefix - validation_size],
        "validation": order[n_prefix - validation_size:n_prefix],
        "test": test,
    }


def save_split(query_settings, train_fraction, seed, path):
    """Write the split of the configured query space for one train fraction as an ``.npz`` of indices."""
    from arithgen.data.queries import query_count
    from arithgen.io import atomic_path

    count = query_count(query_settings["max_int"], query_settings["operators"])
    split = split_indices(count, train_fraction, query_settings["validation_size"],
                          query_settings["eval_size"], seed)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, **split)
