"""Scores for the image tasks, computed with the independent digit reader.

- ``reader_estimate``: the share of test queries whose every character image the reader reads
  right: what a perfect calculator that sees the query through the reader would score. An
  estimate, not a bound: a model that reads the images itself can read them better.
- ``answers_to_readings`` and ``error_split``: which of img2text's wrong answers are the right
  arithmetic on the query as the reader reads it (a misread query), and which are not.
- ``readability``: the reader's reading of text2img's generated answers, against the true
  answers (exact match and per position).
- ``pixel_errors`` and ``gradient_energy``: how generated images compare with real renderings,
  and how sharp each is (a blurry average has little gradient energy).
All functions are numpy over in-memory arrays.
"""

import numpy as np

from arithgen.data.queries import format_answers
from arithgen.evaluation.metrics import parse_query, wilson_interval


def all_read_right(read_tokens, true_tokens):
    """(N, T) symbol ids read vs true -> bool (N,): every position read right."""
    read_tokens, true_tokens = np.asarray(read_tokens), np.asarray(true_tokens)
    if read_tokens.shape != true_tokens.shape:
        raise ValueError(f"read tokens {read_tokens.shape} and true tokens {true_tokens.shape} differ in shape")
    return np.all(read_tokens == true_tokens, axis=1)


def reader_estimate(read_tokens, true_tokens):
    """{reader_estimate, reader_estimate_ci95, n}: the share of queries read right at every position."""
    right = all_read_right(read_tokens, true_tokens)
    return {"n": int(right.size), "reader_estimate": float(right.mean()) if right.size else 0.0,
            "reader_estimate_ci95": list(wilson_interval(int(right.sum()), int(right.size)))}


def answers_to_readings(readings, max_int):
    """Query strings as the reader reads them -> the true answer to each reading, formatted like
    an answer; ``None`` where the reading is no query (a digit read as an operator, a gap)."""
    answers = []
    for reading in readings:
        try:
            a, op, b = parse_query(reading)
        except ValueError:
            answers.append(None)
            continue
        answers.append(format_answers([a + b if op == "+" else a - b], max_int)[0])
    return answers


def error_split(reading_answers, truths, predictions):
    """{n_wrong, n_wrong_reading, n_wrong_other}: the wrong predictions, those that equal the
    true answer to the query as read (``answers_to_readings``: the arithmetic was right on a
    misread query), and the rest. All three are lists of answer strings of the same length."""
    if not len(reading_answers) == len(truths) == len(predictions):
        raise ValueError(f"{len(reading_answers)} readings, {len(truths)} truths and {len(predictions)} "
                         "predictions: expected one of each per query")
    wrong = [(read, predicted) for read, truth, predicted in zip(reading_answers, truths, predictions)
             if predicted != truth]
    reading = sum(read is not None and predicted == read for read, predicted in wrong)
    return {"n_wrong": len(wrong), "n_wrong_reading": reading, "n_wrong_other": len(wrong) - reading}


def readability(read_tokens, true_tokens):
    """{n, readability, readability_ci95, char_readability, readability_by_position}: how much of
    the generated answers the reader reads as the true answers."""
    read_tokens, true_tokens = np.asarray(read_tokens), np.asarray(true_tokens)
    right = all_read_right(read_tokens, true_tokens)
    per_position = (read_tokens == true_tokens).mean(axis=0) if right.size else np.zeros(true_tokens.shape[1])
    return {"n": int(right.size), "readability": float(right.mean()) if right.size else 0.0,
            "readability_ci95": list(wilson_interval(int(right.sum()), int(right.size))),
            "char_readability": float(per_position.mean()),
            "readability_by_position": [float(p) for p in per_position]}


def pixel_errors(generated, real, eps=1e-7):
    """Mean per-pixel binary cross-entropy and absolute error of ``generated`` against ``real``
    (same shape, values in [0, 1]), as ``(bce, mae)``."""
    generated, real = np.asarray(generated, np.float64), np.asarray(real, np.float64)
    if generated.shape != real.shape:
        raise ValueError(f"generated {generated.shape} and real {real.shape} images differ in shape")
    clipped = np.clip(generated, eps, 1 - eps)  # log(0) would be -inf
    bce = -(real * np.log(clipped) + (1 - real) * np.log(1 - clipped)).mean()
    return float(bce), float(np.abs(generated - real).mean())


def gradient_energy(images):
    """Mean squared finite difference between neighbouring pixels, per image: (N,) for (N, H, W[, 1])
    images in [0, 1]. Crisp strokes have steep edges and score high; blurry averages score low."""
    images = np.asarray(images, np.float64).reshape(len(images), *np.shape(images)[1:3])
    rows = np.diff(images, axis=1) ** 2
    cols = np.diff(images, axis=2) ** 2
    return rows.mean(axis=(1, 2)) + cols.mean(axis=(1, 2))
