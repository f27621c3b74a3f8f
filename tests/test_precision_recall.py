"""Precision / recall / density / coverage and the confident rate on hand-made feature sets."""

import numpy as np
import pytest

from arithgen.evaluation.precision_recall import confident_rate, knn_radii, manifold_metrics


def real_and_copies(n=600, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, dim)), rng.standard_normal((n, dim))


def test_knn_radii_skip_the_point_itself():
    points = np.array([[0.0], [1.0], [3.0]])
    assert knn_radii(points, 1).tolist() == [1.0, 1.0, 4.0]


def test_fresh_draws_of_the_real_distribution_score_about_the_real_floor():
    real, other = real_and_copies()
    floor = manifold_metrics(real, real_and_copies(seed=1)[1])
    copies = manifold_metrics(real, other)
    for key in ("precision", "recall", "density", "coverage"):
        assert copies[key] == pytest.approx(floor[key], abs=0.08), key
    assert copies["precision"] > 0.6 and copies["recall"] > 0.6
    assert copies["density"] == pytest.approx(1.0, abs=0.25)


def test_exact_copies_of_the_real_points_are_all_precise_and_covering():
    real, _ = real_and_copies()
    metrics = manifold_metrics(real, real.copy())
    assert metrics["precision"] == 1.0 and metrics["recall"] == 1.0 and metrics["coverage"] == 1.0


def test_noise_far_from_the_data_has_no_precision():
    real, _ = real_and_copies()
    noise = np.random.default_rng(2).uniform(-1, 1, real.shape) * 20
    metrics = manifold_metrics(real, noise)
    assert metrics["precision"] < 0.02 and metrics["density"] < 0.02 and metrics["coverage"] < 0.05


def test_one_repeated_image_has_no_recall():
    real, other = real_and_copies()
    repeated = np.repeat(other[:1], len(real), axis=0)
    metrics = manifold_metrics(real, repeated)
    assert metrics["recall"] < 0.01 and metrics["coverage"] < 0.05


def test_confident_rate_counts_rows_at_or_above_the_threshold():
    probabilities = np.array([[0.95, 0.05], [0.5, 0.5], [0.1, 0.9], [0.3, 0.7]])
    assert confident_rate(probabilities) == 0.5
    assert confident_rate(probabilities, column=0) == 0.25
