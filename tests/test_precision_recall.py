"""Precision / recall / density / coverage and the confident rate on hand-made feature sets."""

import numpy as np
import pytest

from arithgen.evaluation.precision_recall import CHUNK, confident_rate, knn_radii, manifold_metrics


def real_and_copies(n=600, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, dim)), rng.standard_normal((n, dim))


def test_knn_radii_skip_the_point_itself():
    points = np.array([[0.0], [1.0], [3.0]])
    assert knn_radii(points, 1).tolist() == [1.0, 1.0, 4.0]


def test_knn_radii_of_several_k_are_the_columns_of_each_k():
    points = np.random.default_rng(3).standard_normal((50, 2))
    both = knn_radii(points, [3, 5])
    assert both.shape == (50, 2)
    assert both[:, 0].tolist() == knn_radii(points, 3).tolist()
    assert both[:, 1].tolist() == knn_radii(points, 5).tolist()


def test_metrics_follow_their_definitions_on_sets_larger_than_a_chunk():
    rng = np.random.default_rng(4)
    real, generated = rng.standard_normal((CHUNK + 300, 3)), rng.standard_normal((CHUNK + 100, 3)) * 1.3 + 0.2
    distance = np.sqrt(((generated[:, None, :] - real[None, :, :]) ** 2).sum(axis=2))  # (M, N)

    def radius(points, k):  # distance to the k-th nearest other point
        own = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
        return np.sort(own, axis=1)[:, k]

    real_3, real_5, generated_3 = radius(real, 3), radius(real, 5), radius(generated, 3)
    expected = {"precision": np.mean((distance <= real_3[None, :]).any(axis=1)),
                "recall": np.mean((distance <= generated_3[:, None]).any(axis=0)),
                "density": np.sum(distance <= real_5[None, :]) / (5 * len(generated)),
                "coverage": np.mean((distance <= real_5[None, :]).any(axis=0))}
    metrics = manifold_metrics(real, generated)
    for key, value in expected.items():
        assert metrics[key] == pytest.approx(value, abs=1e-3), key
    assert 0.05 < metrics["precision"] < 0.99 and 0.05 < metrics["recall"] < 0.99  # neither all nor none


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
