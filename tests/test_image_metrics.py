"""The image tasks' scores on hand-made cases: oracle bound, readability, pixel errors, sharpness."""

import numpy as np
import pytest

from arithgen.evaluation.images import gradient_energy, oracle_bound, pixel_errors, readability
from arithgen.tasks.digit_reader import reader_accuracy


def test_oracle_bound_counts_queries_read_right_at_every_position():
    truth = np.array([[1, 10, 2], [3, 11, 4], [5, 10, 6], [7, 11, 8]])
    read = truth.copy()
    read[1, 2] = 9   # one wrong character spoils query 1
    read[3, 0] = 0   # and query 3
    result = oracle_bound(read, truth)
    assert result["n"] == 4 and result["oracle_bound"] == 0.5
    low, high = result["oracle_bound_ci95"]
    assert low < 0.5 < high


def test_readability_per_answer_and_per_position():
    truth = np.array([[12, 2, 0, 5], [12, 12, 7, 1], [11, 5, 5, 7]])
    read = truth.copy()
    read[0, 3] = 6
    read[2, 3] = 1
    result = readability(read, truth)
    assert result["readability"] == pytest.approx(1 / 3)
    assert result["readability_by_position"] == [1.0, 1.0, 1.0, pytest.approx(1 / 3)]
    assert result["char_readability"] == pytest.approx(10 / 12)
    with pytest.raises(ValueError, match="differ in shape"):
        readability(read[:, :3], truth)


def test_pixel_errors_are_zero_for_a_perfect_copy_of_a_binary_image_and_grow_with_difference():
    real = np.zeros((2, 28, 28))
    real[:, 10:18, 12:16] = 1
    bce_same, mae_same = pixel_errors(real, real)
    assert bce_same < 1e-5 and mae_same == 0
    grey = np.full_like(real, 0.5)
    bce_grey, mae_grey = pixel_errors(grey, real)
    assert bce_grey == pytest.approx(np.log(2)) and mae_grey == pytest.approx(0.5)


def test_gradient_energy_ranks_crisp_above_blurred_above_flat():
    crisp = np.zeros((1, 28, 28))
    crisp[0, 8:20, 13:15] = 1
    blurred = (crisp + np.roll(crisp, 1, 2) + np.roll(crisp, -1, 2) + np.roll(crisp, 2, 2) + np.roll(crisp, -2, 2)) / 5
    flat = np.full((1, 28, 28), 0.3)
    energy = gradient_energy(np.concatenate([crisp, blurred, flat]))
    assert energy[0] > energy[1] > energy[2] == 0
    # a hand count: a 12x2 bar has 2 x 12 vertical edges and 2 x 2 horizontal ones of height 1
    assert energy[0] == pytest.approx(24 / (28 * 27) + 4 / (27 * 28))


def test_reader_accuracy_overall_on_digits_and_per_symbol():
    symbols = np.array([0, 0, 1, 1, 10, 12])
    predicted = np.array([0, 8, 1, 1, 10, 12])
    result = reader_accuracy(predicted, symbols)
    assert result["accuracy"] == pytest.approx(5 / 6)
    assert result["digit_accuracy"] == pytest.approx(3 / 4)
    assert result["by_symbol"] == {"0": 0.5, "1": 1.0, "+": 1.0, " ": 1.0}
