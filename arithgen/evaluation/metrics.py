"""How well a model answers arithmetic queries: exact match, per-character accuracy, and the
breakdown by operator and by number of carries/borrows that the study reports.

Queries look like ``'181+ 24'`` (two non-negative integers right-aligned to width W, operator
``+`` or ``-``); answers are right-aligned to width W+1 (``' 205'``, ``'-557'``). Everything here is
pure Python/numpy over strings and integers, so it runs without TensorFlow.
"""

import math
import re

import numpy as np

OPERATORS = ("+", "-")

# Operands are non-negative; the padding spaces may sit on either side of the operator.
_QUERY = re.compile(r"^\s*(\d+)\s*([+-])\s*(\d+)\s*$")


def parse_query(query):
    """Split ``'181+ 24'`` into ``(181, '+', 24)``; raise ValueError naming a malformed query."""
    match = _QUERY.match(str(query))
    if match is None:
        raise ValueError(f"not an arithmetic query of the form 'a+b' or 'a-b': {query!r}")
    a, op, b = match.groups()
    return int(a), op, int(b)


def count_carries_array(a, ops, b):
    """Carries (for ``+``) or borrows (for ``-``) in column arithmetic, element-wise.

    a, b: (N,) non-negative integers; ops: (N,) of '+'/'-' (or one operator for all).
    Returns (N,) int64 in [0, number of digits of the larger operand].

    Subtraction is counted as the schoolbook does it: the smaller operand is taken from the larger
    (5-9 is worked as 9-5), so the count does not depend on the sign of the answer.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ops = np.broadcast_to(np.asarray(ops), a.shape)
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("operands must be non-negative")
    unknown = ~np.isin(ops, OPERATORS)
    if np.any(unknown):
        raise ValueError(f"unknown operator(s): {sorted(set(ops[unknown].tolist()))}")

    is_add = ops == "+"
    top = np.where(is_add, a, np.maximum(a, b))
    bottom = np.where(is_add, b, np.minimum(a, b))
    carry = np.zeros(a.shape, dtype=np.int64)  # carry (add) or borrow (subtract) into this column
    count = np.zeros(a.shape, dtype=np.int64)
    while np.any(top > 0) or np.any(bottom > 0) or np.any(carry > 0):
        top_digit, bottom_digit = top % 10, bottom % 10
        carries_out = np.where(
            is_add,
            top_digit + bottom_digit + carry >= 10,
            top_digit - bottom_digit - carry < 0,
        ).astype(np.int64)
        count += carries_out
        carry = carries_out
        top //= 10
        bottom //= 10
    return count


def count_carries(a, op, b):
    """Carries in ``a + b`` or borrows in ``max(a, b) - min(a, b)``; e.g. 999+1 -> 3, 100-1 -> 2."""
    return int(count_carries_array([a], [op], [b])[0])


def wilson_interval(successes, n, z=1.96):
    """Wilson score interval for a binomial proportion, as ``(lo, hi)`` in [0, 1].

    Unlike the normal approximation it stays inside [0, 1] and is sensible at 0/n and n/n, which is
    exactly where a model that has (nearly) learned arithmetic sits. With n == 0 nothing is known,
    so the interval is the whole of [0, 1].
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def _as_strings(values):
    # Answers are compared as text: ' 52' and '52' are different answers of a fixed-width decoder.
    return [str(value) for value in values]


def _check_same_length(truths, predictions):
    if len(truths) != len(predictions):
        raise ValueError(f"{len(truths)} truths but {len(predictions)} predictions")


def exact_match(truths, predictions):
    """Fraction in [0, 1] of answers whose whole string equals the truth; NaN for no answers."""
    truths, predictions = _as_strings(truths), _as_strings(predictions)
    _check_same_length(truths, predictions)
    if not truths:
        return float("nan")
    return sum(t == p for t, p in zip(truths, predictions)) / len(truths)


def char_accuracy(truths, predictions):
    """Fraction in [0, 1] of answer characters that are right, position by position.

    A prediction of the wrong length is charged for every position it lacks or adds (the
    denominator is the longer of the two strings), so only a full-width right answer scores 1.
    """
    truths, predictions = _as_strings(truths), _as_strings(predictions)
    _check_same_length(truths, predictions)
    right = sum(sum(a == b for a, b in zip(t, p)) for t, p in zip(truths, predictions))
    total = sum(max(len(t), len(p)) for t, p in zip(truths, predictions))
    return right / total if total else float("nan")


def _summary(correct):
    """``{n, exact_match, exact_match_ci95}`` for a boolean array of right/wrong answers."""
    n, successes = int(correct.size), int(correct.sum())
    lo, hi = wilson_interval(successes, n)
    return {
        "n": n,
        "exact_match": successes / n if n else float("nan"),
        "exact_match_ci95": [lo, hi],
    }


def _cases(correct, a, ops, b, carries):
    """{'op,sign,carries,digits': {n, errors, exact_match}} (e.g. ``'-,negative,2,3'``: operator, sign of the
    result, carries or borrows, digits of the result) over the cases that occur: the error anatomy's cells."""
    if not correct.size:
        return {}
    values = np.where(ops == "+", a + b, a - b)
    digits = np.floor(np.log10(np.maximum(np.abs(values), 1))).astype(np.int64) + 1
    parts = np.stack([ops == "-", values < 0, carries, digits]).astype(np.int64)  # (4, N)
    codes, inverse = np.unique(np.ravel_multi_index(parts, parts.max(axis=1) + 1), return_inverse=True)
    n, right = np.bincount(inverse), np.bincount(inverse, weights=correct)
    cells = np.unravel_index(codes, parts.max(axis=1) + 1)
    return {f"{OPERATORS[minus]},{'negative' if negative else 'non-negative'},{c},{d}":
            {"n": int(count), "errors": int(count - hits), "exact_match": float(hits / count)}
            for minus, negative, c, d, count, hits in zip(*(x.tolist() for x in cells), n, right)}


def evaluate_predictions(queries, truths, predictions):
    """Scores for one run's answers to a set of queries, as a JSON-ready dict.

    Keys: ``n``, ``exact_match``, ``exact_match_ci95`` ([lo, hi]), ``char_accuracy``,
    ``by_operator`` ({'+': {n, exact_match, exact_match_ci95}, '-': ...}) and ``by_carries``
    ({'0': {...}, '1': ...}; keys are strings so the dict survives JSON) and ``by_case`` (``_cases``).
    Every value is a plain Python int/float/list, and each breakdown's ``n`` adds up to the total ``n``.
    """
    truths, predictions = _as_strings(truths), _as_strings(predictions)
    _check_same_length(truths, predictions)
    if len(queries) != len(truths):
        raise ValueError(f"{len(queries)} queries but {len(truths)} answers")

    parsed = [parse_query(query) for query in queries]
    a = np.array([p[0] for p in parsed], dtype=np.int64)
    ops = np.array([p[1] for p in parsed], dtype=object).astype(str)
    b = np.array([p[2] for p in parsed], dtype=np.int64)
    carries = count_carries_array(a, ops, b)
    correct = np.array([t == p for t, p in zip(truths, predictions)], dtype=bool)

    overall = _summary(correct)
    return {
        "n": overall["n"],
        "exact_match": overall["exact_match"],
        "exact_match_ci95": overall["exact_match_ci95"],
        "char_accuracy": char_accuracy(truths, predictions),
        "by_operator": {op: _summary(correct[ops == op]) for op in OPERATORS if np.any(ops == op)},
        "by_carries": {str(int(k)): _summary(correct[carries == k]) for k in np.unique(carries)},
        "by_case": _cases(correct, a, ops, b, carries),
    }
