"""The whole query space, once: one trained text2text run scores every query outside its labelled
ones (about 1.98M at 1%), beside the estimate from its test sample (metrics.json)."""

import time

import numpy as np

from arithgen.data.pipelines import predict_in_batches
from arithgen.evaluation.metrics import wilson_interval
from arithgen.io import read_json, write_json


def unlabelled_queries(split, count):
    """Every query index in ``range(count)`` that is neither a training nor a validation query."""
    labelled = np.zeros(count, dtype=bool)
    labelled[split["train"]] = labelled[split["validation"]] = True
    return np.flatnonzero(~labelled)


def run(model_path, split_path, run_metrics_path, query_settings, batch_size, threads, output):
    """Score the run's model on every unlabelled query, ``batch_size`` queries at a time (memory
    stays bounded); write ``output`` (whole_space.json) with the wall seconds it took."""
    from arithgen import training
    from arithgen.data.queries import query_count
    from arithgen.predict import load_model
    from arithgen.tasks.text2text import encoded_split

    run_metrics = read_json(run_metrics_path)
    training.configure_tensorflow(threads, run_metrics["seed"])
    started = time.perf_counter()
    max_int, operators = query_settings["max_int"], query_settings["operators"]
    indices = unlabelled_queries(np.load(split_path), query_count(max_int, operators))
    model = load_model(model_path)
    right_answers = right_chars = chars = 0
    for start in range(0, len(indices), batch_size):
        _, _, x, y = encoded_split(indices[start:start + batch_size], max_int, operators)
        predicted = predict_in_batches(model, x, 4096).argmax(axis=-1)
        right = predicted == y  # answers are full width: character accuracy is per position
        right_answers += int(right.all(axis=1).sum())
        right_chars, chars = right_chars + int(right.sum()), chars + right.size
    n = len(indices)
    summary = {
        **{key: run_metrics[key] for key in ("task", "variant", "train_fraction", "seed")},
        "n_test": n,
        "exact_match": right_answers / n,
        "exact_match_ci95": list(wilson_interval(right_answers, n)),
        "char_accuracy": right_chars / chars,
        "seconds": time.perf_counter() - started,
        "sample_n_test": run_metrics["n"],
        "sample_exact_match": run_metrics["exact_match"],
    }
    write_json(summary, output)
    return summary
