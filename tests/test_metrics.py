"""Metrics on hand-worked arithmetic; expected values come from working the sums by hand or from
the published Wilson formula, never from the code under test."""

import json
import math

import numpy as np
import pytest

from arithgen.evaluation.metrics import (
    char_accuracy,
    count_carries,
    count_carries_array,
    evaluate_predictions,
    exact_match,
    parse_query,
    wilson_interval,
)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("181+ 24", (181, "+", 24)),
        (" 12- 7", (12, "-", 7)),
        ("49+ 3", (49, "+", 3)),
        ("  0-999", (0, "-", 999)),
        ("5+5", (5, "+", 5)),
    ],
)
def test_parse_query(query, expected):
    assert parse_query(query) == expected


@pytest.mark.parametrize("query", ["", "12*3", "12+", "+3", "1 2+3", "a+b", "-5+3"])
def test_parse_query_rejects_malformed_and_names_it(query):
    with pytest.raises(ValueError, match="query"):
        parse_query(query)
    with pytest.raises(ValueError) as error:
        parse_query(query)
    assert repr(query) in str(error.value)


@pytest.mark.parametrize(
    "a, op, b, expected",
    [
        (999, "+", 1, 3),  # 9+1=10, 9+0+1=10, 9+0+1=10
        (181, "+", 24, 1),  # 1+4=5, 8+2=10 carry, 1+0+1=2
        (0, "+", 0, 0),
        (55, "+", 45, 2),  # 5+5=10 carry, 5+4+1=10 carry
        (500, "+", 500, 1),  # only the hundreds carry
        (19, "+", 1, 1),  # 9+1 carries; 1+0+1 = 2 does not
        (100, "-", 1, 2),  # 0-1 borrow, 0-0-1 borrow, 1-0-1 = 0
        (5, "-", 9, 0),  # worked as 9-5
        (9, "-", 5, 0),
        (1, "-", 100, 2),  # worked as 100-1
        (1000, "-", 1, 3),
        (52, "-", 38, 1),  # 2-8 borrow, 5-3-1 = 1
        (321, "-", 123, 2),  # 1-3 borrow, 2-2-1 borrow, 3-1-1 = 1
        (7, "-", 7, 0),
    ],
)
def test_count_carries_hand_worked(a, op, b, expected):
    assert count_carries(a, op, b) == expected


def _schoolbook_carries(a, op, b):
    """Digit-by-digit reference written independently of the vectorised code."""
    if op == "-":
        a, b = max(a, b), min(a, b)
    da, db = str(a)[::-1], str(b)[::-1]
    carry, count = 0, 0
    for i in range(max(len(da), len(db))):
        x = int(da[i]) if i < len(da) else 0
        y = int(db[i]) if i < len(db) else 0
        if op == "+":
            carry = 1 if x + y + carry >= 10 else 0
        else:
            carry = 1 if x - y - carry < 0 else 0
        count += carry
    return count


def test_vectorised_carries_agree_with_schoolbook_reference():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 1000, size=500)
    b = rng.integers(0, 1000, size=500)
    ops = rng.choice(["+", "-"], size=500)
    expected = [_schoolbook_carries(int(x), str(o), int(y)) for x, o, y in zip(a, ops, b)]
    assert count_carries_array(a, ops, b).tolist() == expected


def test_count_carries_rejects_bad_input():
    with pytest.raises(ValueError):
        count_carries(3, "*", 4)
    with pytest.raises(ValueError):
        count_carries(-3, "+", 4)


def _wilson_reference(k, n, z=1.96):
    # Wilson (1927) score interval, written out term by term.
    p = k / n
    centre = (2 * n * p + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * n * p * (1 - p)) / (2 * (n + z * z))
    return centre - half, centre + half


@pytest.mark.parametrize("k, n", [(0, 10), (10, 10), (50, 100), (1, 3), (995, 1000)])
def test_wilson_matches_reference_formula(k, n):
    lo, hi = wilson_interval(k, n)
    ref_lo, ref_hi = _wilson_reference(k, n)
    assert lo == pytest.approx(max(0.0, ref_lo), abs=1e-12)
    assert hi == pytest.approx(min(1.0, ref_hi), abs=1e-12)


def test_wilson_published_values():
    # 0/10 -> [0, 0.2775] and 50/100 -> [0.4038, 0.5962] (e.g. Newcombe 1998, Agresti & Coull 1998).
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson_interval(50, 100) == pytest.approx((0.4038, 0.5962), abs=1e-4)


def test_wilson_edge_cases():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    lo, hi = wilson_interval(3, 7, z=2.576)
    wide_lo, wide_hi = lo, hi
    lo, hi = wilson_interval(3, 7)
    assert wide_lo < lo < 3 / 7 < hi < wide_hi


def test_exact_match_and_char_accuracy_hand_made():
    truths = [" 205", "-557", "  52", "   0"]
    predictions = [" 205", "-558", " 52 ", "   0"]
    assert exact_match(truths, predictions) == pytest.approx(2 / 4)
    # right characters: 4 + 3 (last digit wrong) + 1 (shifted '  52' vs ' 52 ' matches only the
    # first blank) + 4, out of 4 characters per answer
    assert char_accuracy(truths, predictions) == pytest.approx((4 + 3 + 1 + 4) / 16)


def test_char_accuracy_charges_wrong_length():
    # a decoder that dropped the leading blank gets no credit for the missing position
    assert char_accuracy([" 52"], ["52"]) == pytest.approx(0 / 3)
    assert char_accuracy(["52"], ["52 "]) == pytest.approx(2 / 3)


def test_lengths_must_agree():
    with pytest.raises(ValueError):
        exact_match([" 1", " 2"], [" 1"])


def test_evaluate_predictions_breakdown():
    queries = ["999+  1", "181+ 24", "100-  1", "  5-  9", " 12+  3", " 50- 20"]
    truths = ["1000", " 205", "  99", "  -4", "  15", "  30"]
    predictions = ["1000", " 215", "  99", "  -4", "  15", "  31"]
    result = evaluate_predictions(queries, truths, predictions)

    assert result["n"] == 6
    assert result["exact_match"] == pytest.approx(4 / 6)
    assert result["exact_match_ci95"] == pytest.approx(list(_wilson_reference(4, 6)))

    # carries by hand: 999+1 -> 3, 181+24 -> 1, 100-1 -> 2, 5-9 -> 0, 12+3 -> 0, 50-20 -> 0
    assert set(result["by_carries"]) == {"0", "1", "2", "3"}
    assert result["by_carries"]["0"]["n"] == 3
    assert result["by_carries"]["0"]["exact_match"] == pytest.approx(2 / 3)
    assert result["by_carries"]["1"]["exact_match"] == 0.0
    assert result["by_carries"]["3"]["exact_match"] == 1.0
    assert sum(group["n"] for group in result["by_carries"].values()) == result["n"]

    assert result["by_operator"]["+"]["n"] == 3
    assert result["by_operator"]["+"]["exact_match"] == pytest.approx(2 / 3)
    assert result["by_operator"]["-"]["exact_match"] == pytest.approx(2 / 3)
    assert sum(group["n"] for group in result["by_operator"].values()) == result["n"]

    # cases by hand: operator, sign of the result, carries or borrows, digits of the result
    assert result["by_case"] == {
        "+,non-negative,3,4": {"n": 1, "errors": 0, "exact_match": 1.0},
        "+,non-negative,1,3": {"n": 1, "errors": 1, "exact_match": 0.0},
        "-,non-negative,2,2": {"n": 1, "errors": 0, "exact_match": 1.0},
        "-,negative,0,1": {"n": 1, "errors": 0, "exact_match": 1.0},
        "+,non-negative,0,2": {"n": 1, "errors": 0, "exact_match": 1.0},
        "-,non-negative,0,2": {"n": 1, "errors": 1, "exact_match": 0.0},
    }

    # JSON-ready: plain Python types only, and it survives a round trip unchanged
    assert json.loads(json.dumps(result)) == result
    assert type(result["n"]) is int and type(result["exact_match"]) is float
    assert type(result["by_carries"]["0"]["n"]) is int


def test_evaluate_predictions_names_bad_query():
    with pytest.raises(ValueError, match="12x3"):
        evaluate_predictions(["12x3"], [" 36"], [" 36"])
