import numpy as np
import pytest

from arithgen.data import queries
from arithgen.data.encoding import from_one_hot, from_tokens, one_hot, to_tokens


def test_default_space_has_two_million_distinct_queries():
    count = queries.query_count(999, ["+", "-"])
    assert count == 2_000_000
    texts, _ = queries.queries_and_answers(np.arange(0, count, 997), 999, ["+", "-"])
    assert len(set(texts)) == len(texts)


def test_every_index_is_a_distinct_query_in_a_small_space():
    count = queries.query_count(12, ["+", "-"])
    texts, answers = queries.queries_and_answers(np.arange(count), 12, ["+", "-"])
    assert len(set(texts)) == count == 2 * 13 * 13
    for text, answer in zip(texts, answers):
        assert eval(text) == int(answer)  # the strings are plain arithmetic


@pytest.mark.parametrize("a,op,b,query,answer", [
    (181, "+", 24, "181+ 24", " 205"),
    (341, "-", 898, "341-898", "-557"),
    (999, "+", 999, "999+999", "1998"),
    (0, "-", 999, "  0-999", "-999"),
    (7, "+", 0, "  7+  0", "   7"),
])
def test_study_format(a, op, b, query, answer):
    index = ["+", "-"].index(op) * 1000 * 1000 + a * 1000 + b
    texts, answers = queries.queries_and_answers([index], 999, ["+", "-"])
    assert (texts[0], answers[0]) == (query, answer)


def test_widths_follow_max_int():
    assert (queries.query_length(999), queries.answer_length(999)) == (7, 4)
    assert (queries.query_length(49), queries.answer_length(49)) == (5, 3)


def test_out_of_range_index_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        queries.operands([2_000_000], 999, ["+", "-"])


def test_single_operator_space():
    texts, answers = queries.queries_and_answers(np.arange(queries.query_count(9, ["-"])), 9, ["-"])
    assert all("-" in t[1] for t in texts) and min(int(a) for a in answers) == -9


def test_encoding_round_trip():
    texts, _ = queries.queries_and_answers(np.arange(0, 2_000_000, 4999), 999, ["+", "-"])
    tokens = to_tokens(texts, 7)
    assert tokens.shape == (len(texts), 7) and tokens.max() < 13
    assert from_tokens(tokens) == texts
    hot = one_hot(tokens)
    assert hot.shape == (len(texts), 7, 13) and np.all(hot.sum(-1) == 1)
    assert from_one_hot(hot) == texts


def test_encoding_names_bad_strings():
    with pytest.raises(ValueError, match=r"'12\*3' has symbol '\*'"):
        to_tokens(["12*3"], 4)
    with pytest.raises(ValueError, match=r"'1\+2' has 3 characters, expected 7"):
        to_tokens(["1+2"], 7)
