"""Domain FID: zero for a set against itself, growing with added noise, right on hand-computed Gaussians."""

import numpy as np
import pytest

from arithgen.evaluation.fid import feature_statistics, fid, frechet_distance


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    mixing = rng.normal(size=(16, 16))
    return rng.normal(size=(2000, 16)) @ mixing + 3.0


def test_a_set_against_itself_is_zero(features):
    assert fid(features, features) == pytest.approx(0.0, abs=1e-6)


def test_fid_grows_with_the_noise_added(features):
    rng = np.random.default_rng(1)
    scores = [fid(features, features + rng.normal(scale=scale, size=features.shape)) for scale in (0.1, 0.5, 1.0, 3.0)]
    assert scores == sorted(scores) and scores[0] > 0
    assert scores[-1] > 100 * scores[0]


def test_two_samples_of_one_distribution_are_close_and_a_shifted_one_is_not(features):
    half = len(features) // 2
    same = fid(features[:half], features[half:])
    shifted = fid(features[:half], features[half:] + 1.0)
    # The mean term alone of the shift is ||(1, ..., 1)||^2 = 16.
    assert shifted > 15.0 and same < 0.1 * shifted


def test_frechet_distance_of_hand_computed_gaussians():
    # 1-D: (0 - 1)^2 + 1 + 4 - 2 sqrt(1 * 4) = 2.
    assert frechet_distance(np.zeros(1), np.eye(1), np.ones(1), 4 * np.eye(1)) == pytest.approx(2.0)
    # Diagonal covariances: the trace term is sum (sqrt(a_i) - sqrt(b_i))^2.
    a, b = np.diag([1.0, 9.0]), np.diag([4.0, 1.0])
    assert frechet_distance(np.zeros(2), a, np.zeros(2), b) == pytest.approx(1.0 + 4.0)


def test_feature_statistics_need_a_matrix_of_at_least_two_rows():
    with pytest.raises(ValueError, match="expected \\(N, D\\) with N >= 2"):
        feature_statistics(np.zeros((1, 3)))
