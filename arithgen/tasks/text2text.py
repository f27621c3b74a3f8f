"""The text2text job: one train fraction, one model variant -> model, history, metrics, predictions.

On a held-out split kind (``query_settings["heldout"]``, see ``data.heldout``) the run is scored twice: on
the random test queries outside its structure (the usual keys: in-distribution) and on the kind's held-out
queries (``heldout_*`` keys, ``evaluation.heldout``); its predictions sample is then drawn from the latter."""

import numpy as np
import pandas as pd

from arithgen.checkpoint import Checkpoint
from arithgen.data import queries
from arithgen.data.download import sha256_of
from arithgen.data.encoding import from_one_hot, to_tokens
from arithgen.data.pipelines import predict_in_batches
from arithgen.data.splits import split_sizes
from arithgen.evaluation.heldout import heldout_scores
from arithgen.evaluation.metrics import evaluate_predictions, exact_match
from arithgen.io import atomic_path, write_json
from arithgen.stopping import stopping


def encoded_split(indices, max_int, operators):
    """Query indices -> (query strings, answer strings, query tokens (N, Tq), answer tokens (N, Ta))."""
    texts, answers = queries.queries_and_answers(indices, max_int, operators)
    return (texts, answers, to_tokens(texts, queries.query_length(max_int)),
            to_tokens(answers, queries.answer_length(max_int)))


def predict_answers(model, tokens, batch_size=4096):
    """Token ids (N, Tq) -> predicted answer strings."""
    return from_one_hot(predict_in_batches(model, tokens, batch_size))


def run(split_path, query_settings, architecture, recipe, seed, threads, outputs, labels, prediction_samples,
        checkpoint_dir=None):
    """Train one text2text model and write ``outputs`` (model, history, metrics, predictions).

    ``labels`` (task, variant, train_fraction) and ``seed`` (the run seed) are copied into the metrics so that tables
    need nothing but the metrics files. Metrics hold no wall times (those are in the history),
    so a rerun of the same config gives a bit-identical metrics file. ``checkpoint_dir``: where
    per-epoch checkpoints go, so a killed job resumes; removed once the outputs are written.
    """
    from arithgen import training
    from arithgen.models.seq2seq import build_text2text

    training.configure_tensorflow(threads, seed)
    max_int, operators = query_settings["max_int"], query_settings["operators"]
    split = np.load(split_path)
    _, train_answers, x_train, y_train = encoded_split(split["train"], max_int, operators)
    _, _, x_val, y_val = encoded_split(split["validation"], max_int, operators)
    test_texts, test_answers, x_test, _ = encoded_split(split["test"], max_int, operators)

    model = build_text2text(queries.query_length(max_int), queries.answer_length(max_int), architecture)
    checkpoint = None
    if checkpoint_dir:
        run_id = training.fingerprint(architecture, recipe, seed, query_settings, sha256_of(split_path))
        checkpoint = Checkpoint(checkpoint_dir, run_id)
    history, best_epoch = training.train(model, x_train, y_train, x_val, y_val, recipe, seed=seed,
                                         checkpoint=checkpoint)
    predictions = predict_answers(model, x_test)

    metrics = {**labels, "seed": seed, **split_sizes(split),
               **evaluate_predictions(test_texts, test_answers, predictions)}
    structure = query_settings.get("heldout")
    if structure is not None:
        test_texts, test_answers, x_heldout, _ = encoded_split(split["heldout"], max_int, operators)
        predictions = predict_answers(model, x_heldout)
        metrics = {**metrics, "task": "text2text_heldout", "split": structure["kind"],
                   **heldout_scores(test_texts, test_answers, predictions, structure, max_int)}
    # Training exact match of the kept weights: high with a low test score is memorising, low is underfitting.
    metrics["train_exact_match"] = exact_match(train_answers, predict_answers(model, x_train))
    metrics |= {"epochs": len(history), "best_epoch": best_epoch + 1, **stopping(recipe, history, best_epoch),
                "parameters": model.count_params()}

    with atomic_path(outputs["model"]) as tmp:
        model.save(tmp)
    with atomic_path(outputs["history"]) as tmp:
        history.to_csv(tmp, index=False)
    sample = np.random.default_rng(seed).choice(len(test_texts), min(prediction_samples, len(test_texts)),
                                                replace=False)
    rows = pd.DataFrame({"query": np.array(test_texts)[sample], "truth": np.array(test_answers)[sample],
                         "prediction": np.array(predictions)[sample]})
    rows["correct"] = rows["truth"] == rows["prediction"]
    with atomic_path(outputs["predictions"]) as tmp:
        rows.to_csv(tmp, index=False)
    write_json(metrics, outputs["metrics"])
    if checkpoint:
        checkpoint.clear()
    return metrics
