"""Scores of a run on its held-out structure (``data.heldout``): the usual scores under ``heldout_`` keys,
which answer columns go wrong, and for the digit-pair kind which of the held-out pairs fail.

Answers are right-aligned strings (``' 205'``), so answer column j (0 = units) is the character j places
from the right; the leftmost column holds the sign or the thousands digit.
"""

import numpy as np

from arithgen.data.heldout import column_digits, column_pairs
from arithgen.evaluation.metrics import evaluate_predictions, parse_query, wilson_interval

# Answer columns from the right (``answer_column_errors``' order); an answer's leftmost one also holds its sign.
ANSWER_COLUMNS = ("units", "tens", "hundreds", "thousands", "ten_thousands", "hundred_thousands")


def answer_column_errors(truths, predictions):
    """[error share per answer column, units first]: the fraction in [0, 1] of answers whose character in
    that column is wrong (a missing character counts as wrong); [] for no answers."""
    truths, predictions = [str(t) for t in truths], [str(p) for p in predictions]
    if not truths:
        return []
    width = max(len(t) for t in truths)
    return [float(np.mean([t[-1 - j:len(t) - j] != p[-1 - j:len(p) - j] for t, p in zip(truths, predictions)]))
            for j in range(width)]


def pair_breakdown(queries, truths, predictions, column, pairs):
    """{"da,db": {n, exact_match, exact_match_ci95, answer_column_errors}} for each held-out digit pair
    (digit of a, digit of b) in ``column``; queries whose column holds none of them are left out."""
    parsed = [parse_query(q) for q in queries]
    a = column_digits([p[0] for p in parsed], column)
    b = column_digits([p[2] for p in parsed], column)
    truths, predictions = np.array(truths, dtype=object), np.array(predictions, dtype=object)
    breakdown = {}
    for da, db in np.asarray(pairs).tolist():
        chosen = (a == da) & (b == db)
        if chosen.any():
            picked_truths, picked = truths[chosen].tolist(), predictions[chosen].tolist()
            right = sum(t == p for t, p in zip(picked_truths, picked))
            breakdown[f"{da},{db}"] = {
                "n": len(picked), "exact_match": right / len(picked),
                "exact_match_ci95": list(wilson_interval(right, len(picked))),
                "answer_column_errors": answer_column_errors(picked_truths, picked)}
    return breakdown


def heldout_scores(queries, truths, predictions, structure, max_int):
    """The held-out test's scores: ``evaluate_predictions``' keys prefixed ``heldout_``, plus
    ``heldout_answer_column_errors`` and, for ``digit_pairs``, ``heldout_pairs`` (the pairs, [[da, db]]) and
    ``heldout_by_pair`` (``pair_breakdown``)."""
    scores = {f"heldout_{key}": value for key, value in evaluate_predictions(queries, truths, predictions).items()}
    scores["heldout_answer_column_errors"] = answer_column_errors(truths, predictions)
    if structure["kind"] == "digit_pairs":
        pairs = column_pairs(max_int, structure["column"], structure["n_pairs"], structure["seed"])
        scores["heldout_pairs"] = pairs.tolist()
        scores["heldout_by_pair"] = pair_breakdown(queries, truths, predictions, structure["column"], pairs)
    return scores
