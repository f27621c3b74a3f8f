"""The image tasks' scores on hand-made cases: reader estimate, img2text's error split, readability,
pixel errors, sharpness."""

import numpy as np
import pytest

from arithgen.evaluation.images import (
    answers_to_readings,
    error_split,
    gradient_energy,
    pixel_errors,
    readability,
    reader_estimate,
)
from arithgen.tasks.digit_reader import reader_accuracy


def test_reader_estimate_counts_queries_read_right_at_every_position():
    truth = np.array([[1, 10, 2], [3, 11, 4], [5, 10, 6], [7, 11, 8]])
    read = truth.copy()
    read[1, 2] = 9   # one wrong character spoils query 1
    read[3, 0] = 0   # and query 3
    result = reader_estimate(read, truth)
    assert result["n"] == 4 and result["reader_estimate"] == 0.5
    low, high = result["reader_estimate_ci95"]
    assert low < 0.5 < high


def test_answers_to_readings_computes_the_read_query_and_refuses_what_is_no_query():
    readings = ["181+ 24", " 12- 99", "1 1+ 24", "18++ 24", "  0-  0"]
    assert answers_to_readings(readings, 999) == [" 205", " -87", None, None, "   0"]


def test_error_split_counts_misread_queries_answered_right_apart_from_other_errors():
    # Truth: 181+ 24 = 205, 312-  5 = 307, 7+8 = 15, 100+100 = 200, 50-60 = -10.
    truths = [" 205", " 307", "  15", " 200", " -10"]
    # The reader saw 181+ 21, 312-  5, 1+8 (no: '7' read as '1'), a gap in query 4, 50-60.
    reading_answers = [" 202", " 307", "   9", None, " -10"]
    predictions = [" 202",   # wrong, the right arithmetic on the misread query: a reading error
                   " 307",   # right: not counted
                   "  16",   # wrong, not what the reading gives: another error
                   " 201",   # wrong, the reading is no query: another error
                   " -10"]   # right
    assert error_split(reading_answers, truths, predictions) == {"n_wrong": 3, "n_wrong_reading": 1,
                                                                 "n_wrong_other": 2}
    # A right reading can never make a wrong answer a reading error.
    assert error_split([" 205"], [" 205"], [" 206"])["n_wrong_reading"] == 0
    with pytest.raises(ValueError, match="one of each per query"):
        error_split(reading_answers[:2], truths, predictions)


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
