"""What the image tasks share: the symbol-image pools file, the test queries, and reading images
with the digit reader."""

import numpy as np

from arithgen.data.datasets import load_dataset, save_dataset
from arithgen.data.image_sequences import SymbolImages
from arithgen.data.pipelines import predict_in_batches
from arithgen.data.symbols import symbol_pools


def make_symbol_pools(digits_path, glyphs_per_symbol, validation_fraction, seed, output):
    """Write the train, validation and test symbol pools (``arithgen.data.symbols``) built from a
    digit dataset file."""
    pools = symbol_pools(load_dataset(digits_path), glyphs_per_symbol, validation_fraction, seed)
    save_dataset(pools, output)
    return {name: int(len(array)) for name, array in pools.items() if name.endswith("_symbols")}


def load_pool(path, pool):
    """The ``train``, ``validation`` or ``test`` pool of a symbol pools file, as ``SymbolImages``."""
    arrays = load_dataset(path)
    return SymbolImages(arrays[f"{pool}_images"], arrays[f"{pool}_symbols"])


def image_test_queries(split_path, eval_size):
    """The image tasks' test queries: the first ``eval_size`` test queries of the split (all of
    them when ``eval_size`` is ``"all"``), a subset of text2text's test set."""
    test = np.load(split_path)["test"]
    return test if eval_size == "all" else test[:eval_size]


def read_symbols(reader, images, batch_size=2048):
    """Images (N, T, 28, 28, 1) -> symbol ids (N, T) that the digit reader sees."""
    images = np.asarray(images)
    flat = images.reshape(-1, *images.shape[2:])
    probabilities = predict_in_batches(reader, flat, batch_size)
    return probabilities.argmax(axis=-1).reshape(images.shape[:2])
