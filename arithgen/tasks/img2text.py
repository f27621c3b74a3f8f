"""The img2text job: query images in, answer text out, for one train fraction.

Training queries are drawn with train-pool images (fresh ones, freshly shifted, every epoch),
validation queries with the validation pool's held-out writers, and test queries with test-pool
images only: unseen handwriting. Writes model, history, metrics and predictions like text2text.
"""

import numpy as np
import pandas as pd

from arithgen.checkpoint import Checkpoint
from arithgen.data import queries
from arithgen.data.download import sha256_of
from arithgen.data.encoding import from_one_hot
from arithgen.data.image_sequences import TEST_STREAM, VALIDATION_STREAM, QueryImageBatches, batch_dataset
from arithgen.data.splits import split_sizes
from arithgen.evaluation.metrics import evaluate_predictions
from arithgen.io import atomic_path, write_json
from arithgen.stopping import stopping
from arithgen.tasks.symbol_images import image_test_queries, load_pool


def epoch_batches(train_indices, query_settings, pool, seed, batch_size, direction, max_shift=0):
    """epoch -> that epoch's batches (a ``tf.data.Dataset``, see ``batch_dataset``): the training
    queries in a (seed, epoch) order, drawn with the epoch's own images (shifted by up to
    ``max_shift`` pixels)."""
    from arithgen.training import epoch_order

    def batches(epoch):
        order = epoch_order(len(train_indices), seed, epoch)
        return batch_dataset(QueryImageBatches(train_indices[order], query_settings, pool, seed, epoch, batch_size,
                                               direction, max_shift))

    return batches


def run(split_path, pools_path, query_settings, architecture, image_net, recipe, max_shift, eval_size, seed,
        threads, outputs, labels, prediction_samples, checkpoint_dir=None):
    """Train one img2text model and write ``outputs`` (model, history, metrics, predictions)."""
    from arithgen import training
    from arithgen.models.image_seq2seq import build_img2text

    training.configure_tensorflow(threads, seed)
    max_int, operators = query_settings["max_int"], query_settings["operators"]
    split = np.load(split_path)
    train_pool, test_pool = load_pool(pools_path, "train"), load_pool(pools_path, "test")
    batch_size = recipe["batch_size"]
    validation = batch_dataset(QueryImageBatches(split["validation"], query_settings,
                                                 load_pool(pools_path, "validation"), seed, VALIDATION_STREAM,
                                                 batch_size, "img2text"))
    model = build_img2text(queries.query_length(max_int), queries.answer_length(max_int), architecture, image_net)
    checkpoint = None
    if checkpoint_dir:
        run_id = training.fingerprint(architecture, image_net, recipe, max_shift, seed, query_settings,
                                      sha256_of(split_path),
                                      sha256_of(pools_path))
        checkpoint = Checkpoint(checkpoint_dir, run_id)
    history, best_epoch = training.fit_epochs(
        model, epoch_batches(split["train"], query_settings, train_pool, seed, batch_size, "img2text", max_shift),
        validation, recipe, len(split["train"]), checkpoint=checkpoint)

    test_indices = image_test_queries(split_path, eval_size)
    test = batch_dataset(QueryImageBatches(test_indices, query_settings, test_pool, seed, TEST_STREAM, 1024,
                                           "img2text"))
    predictions = from_one_hot(model.predict(test, verbose=0))
    test_texts, test_answers = queries.queries_and_answers(test_indices, max_int, operators)
    metrics = {**labels, "seed": seed, **split_sizes(split),
               **evaluate_predictions(test_texts, test_answers, predictions),
               "epochs": len(history), "best_epoch": best_epoch + 1, **stopping(recipe, history, best_epoch),
               "parameters": model.count_params()}

    with atomic_path(outputs["model"]) as tmp:
        model.save(tmp)
    with atomic_path(outputs["history"]) as tmp:
        history.to_csv(tmp, index=False)
    rows = pd.DataFrame({"query_index": test_indices, "query": test_texts, "truth": test_answers,
                         "prediction": predictions})
    rows["correct"] = rows["truth"] == rows["prediction"]
    # Every wrong answer (the figure shows some) plus a seeded sample of the right ones.
    right = np.flatnonzero(rows["correct"].to_numpy())
    keep = np.random.default_rng(seed).choice(right, min(prediction_samples, len(right)), replace=False)
    with atomic_path(outputs["predictions"]) as tmp:
        rows.iloc[np.sort(np.r_[np.flatnonzero(~rows["correct"].to_numpy()), keep])].to_csv(tmp, index=False)
    write_json(metrics, outputs["metrics"])
    if checkpoint:
        checkpoint.clear()
    return metrics
