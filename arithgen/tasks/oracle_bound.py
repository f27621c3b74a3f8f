"""The img2text oracle bound: how often the digit reader reads every character image of a test
query right. A perfect calculator looking through the reader answers exactly those queries right."""

import numpy as np

from arithgen.data.image_sequences import TEST_STREAM, QueryImageBatches
from arithgen.evaluation.images import oracle_bound
from arithgen.io import write_json
from arithgen.predict import load_model
from arithgen.tasks.symbol_images import image_test_queries, load_pool, read_symbols


def run(reader_path, split_path, pools_path, query_settings, eval_size, seed, threads, output, labels):
    """Read the image task's test queries (the same images img2text is tested on) with the reader;
    write ``labels`` and {n, oracle_bound, oracle_bound_ci95, char_accuracy} to ``output``."""
    from arithgen import training

    training.configure_tensorflow(threads, seed)
    reader = load_model(reader_path)
    batches = QueryImageBatches(image_test_queries(split_path, eval_size), query_settings,
                                load_pool(pools_path, "test"), seed, TEST_STREAM, 1024, "img2text")
    read, truth = [], []
    for index in range(len(batches)):
        images = batches[index][0]
        read.append(read_symbols(reader, images))
        truth.append(batches.tokens(index)[1])
    read, truth = np.concatenate(read), np.concatenate(truth)
    result = {**labels, **oracle_bound(read, truth), "char_accuracy": float(np.mean(read == truth))}
    write_json(result, output)
    return result
