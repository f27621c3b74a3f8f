"""Held-out structures: the queries a split kind other than ``random`` keeps out of training.

A structure is a dict ``{"kind": name, **settings}`` (the config's ``text2text.heldout.kinds`` entry with its
name). Every query that has it, of either operator, leaves the labelled pool and is that kind's test set;
each part of it still occurs in training in other combinations or positions, so a model that learned the
column rule can answer these queries and a lookup table of seen queries cannot.

- ``digit_pairs`` {column, n_pairs, seed}: a seeded set of ``n_pairs`` (digit of a, digit of b) pairs, drawn
  from those that occur in ``column`` (0 = units, 1 = tens, ...; the 100 pairs of 0-9 for max_int 999). Held
  out: every query whose digits in that column, as written (a on top, b below), are one of the pairs. The
  pairs still occur in the other columns.
- ``carry_chain`` {min_carries}: every query needing at least ``min_carries`` carries (``+``) or borrows
  (``-``), counted as ``evaluation.metrics.count_carries_array`` counts them (subtraction worked as the larger
  operand minus the smaller). A column carries into the next one only, so with ``min_carries`` equal to the
  operand's digit count (3 for max_int 999) the chain runs through every column: 999+1, 456+544. The
  leading column of the larger operand never borrows, so a subtraction has at most digits - 1 borrows and
  that chain holds out additions only (13.6% of them, 6.8% of all queries for max_int 999).
- ``operand_band`` {low, high}: every query whose two operands both lie in low..high (inclusive). Each
  operand still occurs in training, paired with operands outside the band.
"""

import numpy as np

from arithgen.data.queries import operand_width, operands, query_count
from arithgen.evaluation.metrics import count_carries_array

KINDS = ("digit_pairs", "carry_chain", "operand_band")


def column_digits(numbers, column):
    """The digit of each number in ``column`` (0 = units); 0 where the number is shorter (a blank)."""
    return np.asarray(numbers, dtype=np.int64) // 10**column % 10


def column_pairs(max_int, column, n_pairs, seed):
    """(n_pairs, 2) int64, sorted: a seeded choice of the (digit of a, digit of b) pairs that occur in
    ``column`` for operands 0..max_int."""
    digits = np.unique(column_digits(np.arange(max_int + 1), column))
    pairs = np.stack(np.meshgrid(digits, digits, indexing="ij"), axis=-1).reshape(-1, 2)
    if not 1 <= n_pairs <= len(pairs):
        raise ValueError(f"digit_pairs: n_pairs {n_pairs} is not in 1..{len(pairs)}, the digit pairs that occur "
                         f"in column {column} for max_int {max_int}")
    chosen = np.random.default_rng(seed).choice(len(pairs), n_pairs, replace=False)
    return pairs[np.sort(chosen)]


def has_column_pair(a, b, column, pairs):
    """Bool (N,): the digits of a and b in ``column`` are one of ``pairs`` ((K, 2) digit pairs)."""
    codes = column_digits(a, column) * 10 + column_digits(b, column)
    return np.isin(codes, np.asarray(pairs)[:, 0] * 10 + np.asarray(pairs)[:, 1])


def has_carry_chain(a, ops, b, min_carries):
    """Bool (N,): the query needs at least ``min_carries`` carries or borrows (see the module docstring)."""
    return count_carries_array(a, ops, b) >= min_carries


def in_band(a, b, low, high):
    """Bool (N,): both operands lie in low..high."""
    a, b = np.asarray(a), np.asarray(b)
    return (low <= a) & (a <= high) & (low <= b) & (b <= high)


def structure_mask(structure, a, ops, b, max_int):
    """Bool (N,): which of the queries (a, ops as '+'/'-', b; (N,) each) have ``structure``."""
    kind = structure["kind"]
    if kind == "digit_pairs":
        pairs = column_pairs(max_int, structure["column"], structure["n_pairs"], structure["seed"])
        return has_column_pair(a, b, structure["column"], pairs)
    if kind == "carry_chain":
        return has_carry_chain(a, ops, b, structure["min_carries"])
    if kind == "operand_band":
        return in_band(a, b, structure["low"], structure["high"])
    raise ValueError(f"unknown held-out kind {kind!r}; expected one of {', '.join(KINDS)}")


def heldout_mask(structure, max_int, operators):
    """Bool (query_count,) over the whole query space (indexed as in ``queries``): the held-out queries.

    Raises ValueError when the structure holds out no query (e.g. a chain longer than max_int allows)."""
    a, op_index, b = operands(np.arange(query_count(max_int, operators)), max_int, operators)
    mask = structure_mask(structure, a, np.asarray(operators)[op_index], b, max_int)
    if not mask.any():
        settings = {k: v for k, v in structure.items() if k != "kind"}
        raise ValueError(f"{structure['kind']} {settings} holds out no query of max_int {max_int} "
                         f"(operand width {operand_width(max_int)}); expected a structure some query has")
    return mask
