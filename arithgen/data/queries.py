"""The arithmetic query space: every ``a op b`` with a, b in 0..max_int, addressed by index.

A query's index says everything about it (operator, then a, then b), so splits store indices
and strings are made on demand: 2,000,000 queries never have to sit in memory as text.
"""

import numpy as np

ALPHABET = "0123456789+- "


def operand_width(max_int):
    """Characters of the widest operand: 3 for max_int 999."""
    return len(str(max_int))


def query_length(max_int):
    """``'181+ 24'``: two right-aligned operands and the operator."""
    return 2 * operand_width(max_int) + 1


def answer_length(max_int):
    """Room for the largest sum (``1998``) and the most negative difference (``-999``)."""
    return operand_width(max_int) + 1


def query_count(max_int, operators):
    return len(operators) * (max_int + 1) ** 2


def operands(indices, max_int, operators):
    """Indices (N,) -> (a (N,), op_index (N,), b (N,)) int64 arrays; op_index points into ``operators``."""
    indices = np.asarray(indices, dtype=np.int64)
    count = query_count(max_int, operators)
    if indices.size and (indices.min() < 0 or indices.max() >= count):
        raise ValueError(f"query index out of range 0..{count - 1}")
    size = max_int + 1
    return indices // size % size, indices // (size * size), indices % size


def results(a, op_index, b, operators):
    """The true value of each query, (N,) int64."""
    signs = np.array([1 if op == "+" else -1 for op in operators])
    return np.asarray(a) + signs[np.asarray(op_index)] * np.asarray(b)


def format_queries(a, op_index, b, max_int, operators):
    """Right-aligned operands: ``'181+ 24'`` for max_int 999."""
    w = operand_width(max_int)
    return [f"{x:>{w}}{operators[o]}{y:>{w}}" for x, o, y in zip(a.tolist(), op_index.tolist(), b.tolist())]


def format_answers(values, max_int):
    """Right-aligned results: ``' 205'``, ``'-557'``."""
    w = answer_length(max_int)
    return [f"{v:>{w}}" for v in np.asarray(values).tolist()]


def queries_and_answers(indices, max_int, operators):
    """Query strings and answer strings for the given indices."""
    a, op_index, b = operands(indices, max_int, operators)
    return (format_queries(a, op_index, b, max_int, operators),
            format_answers(results(a, op_index, b, operators), max_int))
