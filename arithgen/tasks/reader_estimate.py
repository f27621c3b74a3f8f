"""The img2text reader estimate and the split of img2text's errors.

The estimate: how often the digit reader reads every character image of a test query right,
which is what a perfect calculator looking through the reader would score. It is an estimate,
not a bound: img2text reads the images with its own encoder, which may read them better.

The split: img2text answers the same test queries drawn twice, with unseen handwriting (the test
pool: its headline) and with the handwriting it trained on (the training pool). Among its wrong
answers on unseen writers, those that equal the true arithmetic on what the reader reads are
counted as reading errors (the query was misread, the arithmetic on it was right); the rest are
other errors.
"""

import numpy as np

from arithgen.data.encoding import from_one_hot, from_tokens
from arithgen.data.image_sequences import TEST_STREAM, QueryImageBatches, batch_dataset
from arithgen.data.pipelines import predict_in_batches
from arithgen.evaluation.images import answers_to_readings, error_split, reader_estimate
from arithgen.evaluation.metrics import exact_match
from arithgen.io import write_json
from arithgen.predict import load_model
from arithgen.tasks.symbol_images import image_test_queries, load_pool, read_symbols


def read_and_answer(reader, model, batches):
    """(reader's query tokens (N, Tq), true query tokens (N, Tq), true answers, img2text's answers)
    over every batch of ``batches``."""
    read, truth, answers, predictions = [], [], [], []
    for index in range(len(batches)):
        images = batches[index][0]
        _, query_tokens, answer_tokens = batches.tokens(index)
        read.append(read_symbols(reader, images))
        truth.append(query_tokens)
        answers += from_tokens(answer_tokens)
        predictions += from_one_hot(predict_in_batches(model, images, len(images)))
    return np.concatenate(read), np.concatenate(truth), answers, predictions


def scores(reader, model, test_queries, query_settings, pools_path, seed):
    """{n_test, reader_estimate, reader_estimate_ci95, char_accuracy, exact_match_unseen_writers,
    exact_match_seen_writers, n_wrong, n_wrong_reading, n_wrong_other} of the reader and img2text
    ``model`` on ``test_queries`` drawn as img2text's test draws them (test pool, test stream, ``seed``)
    and the same queries in training-pool handwriting."""
    def drawn_from(pool):
        return QueryImageBatches(test_queries, query_settings, load_pool(pools_path, pool), seed, TEST_STREAM,
                                 1024, "img2text")

    read, truth, answers, unseen = read_and_answer(reader, model, drawn_from("test"))
    seen = from_one_hot(model.predict(batch_dataset(drawn_from("train")), verbose=0))
    estimate = reader_estimate(read, truth)
    reading_answers = answers_to_readings(from_tokens(read), query_settings["max_int"])
    return {"n_test": estimate["n"],
            "reader_estimate": estimate["reader_estimate"],
            "reader_estimate_ci95": estimate["reader_estimate_ci95"],
            "char_accuracy": float(np.mean(read == truth)),
            "exact_match_unseen_writers": exact_match(answers, unseen),
            "exact_match_seen_writers": exact_match(answers, seen),
            **error_split(reading_answers, answers, unseen)}


def run(reader_path, model_path, split_path, pools_path, query_settings, eval_size, seed, threads, output,
        labels):
    """Write ``labels`` and ``scores`` of the reader and the img2text model on the image task's test
    queries (the same images img2text is tested on when ``seed`` is its seed) to ``output``."""
    from arithgen import training

    training.configure_tensorflow(threads, seed)
    result = {**labels, **scores(load_model(reader_path), load_model(model_path),
                                 image_test_queries(split_path, eval_size), query_settings, pools_path, seed)}
    write_json(result, output)
    return result
