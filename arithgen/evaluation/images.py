"""Scores for the image tasks, computed with the independent digit reader.

- ``oracle_bound``: the share of test queries whose every character image the reader reads
  right: a perfect calculator that sees the query through the reader gets exactly these right.
- ``readability``: the reader's reading of text2img's generated answers, against the true
  answers (exact match and per position).
- ``pixel_errors`` and ``gradient_energy``: how generated images compare with real renderings,
  and how sharp each is (a blurry average has little gradient energy).
All functions are numpy over in-memory arrays.
"""

import numpy as np

from arithgen.evaluation.metrics import wilson_interval


def all_read_right(read_tokens, true_tokens):
    """(N, T) symbol ids read vs true -> bool (N,): every position read right."""
    read_tokens, true_tokens = np.asarray(read_tokens), np.asarray(true_tokens)
    if read_tokens.shape != true_tokens.shape:
        raise ValueError(f"read tokens {read_tokens.shape} and true tokens {true_tokens.shape} differ in shape")
    return np.all(read_tokens == true_tokens, axis=1)


def oracle_bound(read_tokens, true_tokens):
    """{oracle_bound, oracle_bound_ci95, n}: the share of queries read right at every position."""
    right = all_read_right(read_tokens, true_tokens)
    return {"n": int(right.size), "oracle_bound": float(right.mean()) if right.size else 0.0,
            "oracle_bound_ci95": list(wilson_interval(int(right.sum()), int(right.size)))}


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
