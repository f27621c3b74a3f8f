"""Held-out structure splits: each kind holds out exactly its structure, the split keeps labelled and
held-out queries apart at the fraction's size, the config says which kinds to run, and the runs' scores."""

import numpy as np
import pytest
import yaml

from arithgen.config import ConfigError, heldout_runs, heldout_structure, validate_config
from arithgen.data.heldout import column_pairs, heldout_mask, structure_mask
from arithgen.data.queries import operands, query_count
from arithgen.data.splits import split_indices
from arithgen.evaluation.heldout import answer_column_errors, heldout_scores
from arithgen.evaluation.metrics import count_carries
from conftest import ROOT, TINY

SCHEMA = ROOT / "schemas" / "config.schema.yaml"


def held(structure, queries, max_int=999):
    """Which of the hand-made (a, op, b) queries the structure holds out."""
    a, ops, b = (np.array(column) for column in zip(*queries))
    return structure_mask(structure, a, ops, b, max_int).tolist()


def test_digit_pairs_hold_out_the_pair_in_its_column_only():
    pairs = column_pairs(999, 1, 10, seed=1)
    da, db = pairs[0].tolist()
    structure = {"kind": "digit_pairs", "column": 1, "n_pairs": 10, "seed": 1}
    tens = 100 + 10 * da + 2, 500 + 10 * db + 9  # the pair in the tens column
    assert held(structure, [(tens[0], "+", tens[1]), (tens[0], "-", tens[1])]) == [True, True]
    other = next(d for d in range(10) if not any((p == [d, db]).all() for p in pairs))
    neighbours = [(tens[0] + 10 * (other - da), "+", tens[1]),  # another digit of a in the tens column
                  (100 * da + 11, "+", 100 * db + 11),  # the pair in the hundreds column
                  (da, "-", db)]  # the pair in the units column
    assert held(structure, neighbours) == [False, False, False]


def test_seeded_pairs_are_fixed_by_their_seed_and_drawn_from_the_column():
    assert np.array_equal(column_pairs(999, 1, 10, 1), column_pairs(999, 1, 10, 1))
    assert not np.array_equal(column_pairs(999, 1, 10, 1), column_pairs(999, 1, 10, 2))
    assert len({tuple(p) for p in column_pairs(999, 1, 10, 1).tolist()}) == 10
    assert column_pairs(49, 1, 25, 3).max(axis=0).tolist() == [4, 4]  # tens digits of 0..49
    with pytest.raises(ValueError, match="n_pairs 26 is not in 1..25"):
        column_pairs(49, 1, 26, 3)


def test_carry_chain_holds_out_carries_through_every_column():
    structure = {"kind": "carry_chain", "min_carries": 3}
    chains = [(999, "+", 1), (456, "+", 544), (1, "+", 999)]
    assert held(structure, chains) == [True, True, True]
    neighbours = [(899, "+", 1), (456, "+", 534), (999, "+", 0), (100, "-", 1), (1, "-", 100), (999, "-", 1)]
    assert [count_carries(*q) for q in neighbours] == [2, 1, 0, 2, 2, 0]
    assert held(structure, neighbours) == [False] * len(neighbours)


def test_no_subtraction_borrows_in_every_column():
    mask = heldout_mask({"kind": "carry_chain", "min_carries": 3}, 999, ["+", "-"])
    a, op_index, b = operands(np.flatnonzero(mask), 999, ["+", "-"])
    assert set(op_index.tolist()) == {0} and mask.sum() == 136_125  # 6.8% of the 2,000,000 queries


def test_operand_band_holds_out_pairs_inside_the_band():
    structure = {"kind": "operand_band", "low": 400, "high": 599}
    assert held(structure, [(400, "+", 599), (599, "-", 400), (450, "-", 451)]) == [True, True, True]
    neighbours = [(399, "+", 450), (450, "-", 600), (500, "+", 5), (600, "+", 599)]
    assert held(structure, neighbours) == [False] * len(neighbours)


def test_a_structure_no_query_has_is_refused():
    with pytest.raises(ValueError, match="holds out no query of max_int 49"):
        heldout_mask({"kind": "carry_chain", "min_carries": 2}, 49, ["+", "-"])


@pytest.mark.parametrize("structure", [{"kind": "digit_pairs", "column": 1, "n_pairs": 10, "seed": 1},
                                       {"kind": "carry_chain", "min_carries": 2},
                                       {"kind": "operand_band", "low": 40, "high": 59}])
def test_split_keeps_the_structure_out_of_the_labelled_and_random_test_queries(structure):
    max_int, operators, eval_size = 99, ["+", "-"], 2000
    count = query_count(max_int, operators)
    mask = heldout_mask(structure, max_int, operators)
    random = split_indices(count, 0.2, 0.1, 100, eval_size, test_seed=3, run_seed=1)
    splits = [split_indices(count, fraction, 0.1, 100, eval_size, test_seed=3, run_seed=seed, held_out=mask)
              for fraction, seed in ((0.2, 1), (0.1, 2))]
    for split, fraction in zip(splits, (0.2, 0.1)):
        labelled = np.concatenate([split["train"], split["validation"]])
        assert len(labelled) == round(fraction * count) and len(np.unique(labelled)) == len(labelled)
        assert not mask[labelled].any() and not mask[split["test"]].any() and mask[split["heldout"]].all()
        assert not set(labelled.tolist()) & set(split["test"].tolist())
        assert set(split["test"].tolist()) == set(random["test"][~mask[random["test"]]].tolist())
        assert len(split["heldout"]) == min(eval_size, mask.sum()) == len(np.unique(split["heldout"]))
    assert np.array_equal(splits[0]["heldout"], splits[1]["heldout"])  # one held-out test set for every run


def test_eval_all_tests_on_every_held_out_query():
    mask = heldout_mask({"kind": "operand_band", "low": 2, "high": 5}, 9, ["+"])
    split = split_indices(100, 0.2, 0.1, 10, "all", test_seed=0, run_seed=1, held_out=mask)
    assert sorted(split["heldout"].tolist()) == np.flatnonzero(mask).tolist()
    assert len(split["test"]) == 100 - 16 - 20


def test_too_few_queries_left_for_the_fraction_are_explained():
    mask = heldout_mask({"kind": "operand_band", "low": 0, "high": 8}, 9, ["+"])
    with pytest.raises(ValueError, match="needs 40 labelled queries, but only "):
        split_indices(100, 0.4, 0.1, 10, 10, test_seed=0, run_seed=1, held_out=mask)


def tiny_config():
    return yaml.safe_load(TINY.read_text())


@pytest.mark.parametrize("edit,message", [
    (lambda h: h["kinds"]["operand_band"].update(high=50),
     "text2text.heldout.kinds.operand_band: low 20, high 50 is not a band inside 0..49"),
    (lambda h: h["kinds"]["digit_pairs"].update(column=2),
     "text2text.heldout.kinds.digit_pairs.column: 2 is not a column of max_int 49; expected 0 (units) to 1"),
    (lambda h: h["kinds"]["digit_pairs"].update(n_pairs=30),
     "text2text.heldout.kinds.digit_pairs: n_pairs 30 is not in 1..25"),
    (lambda h: h["kinds"]["carry_chain"].update(min_carries=3),
     "text2text.heldout.kinds.carry_chain.min_carries: 3 is more carries than max_int 49 has columns"),
    (lambda h: h.update(variants=["lstm"]), "text2text.heldout.variants: unknown variant 'lstm'"),
    (lambda h: h["kinds"].update(band={"low": 1, "high": 2}), "text2text.heldout.kinds: unknown key"),
])
def test_bad_held_out_settings_are_one_line_errors(edit, message):
    config = tiny_config()
    edit(config["text2text"]["heldout"])
    with pytest.raises(ConfigError, match="^invalid config: ") as error:
        validate_config(config, SCHEMA)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_the_config_lists_every_kind_variant_fraction_and_seed():
    config = tiny_config()
    validate_config(config, SCHEMA)
    assert heldout_runs(config) == [(kind, "default", "0.1", 1) for kind in ("digit_pairs", "carry_chain",
                                                                             "operand_band")]
    assert heldout_structure(config, "operand_band") == {"kind": "operand_band", "low": 20, "high": 29}
    config["text2text"].pop("heldout")
    validate_config(config, SCHEMA)
    assert heldout_runs(config) == []


def test_held_out_scores_name_the_failing_pair_and_answer_column():
    structure = {"kind": "digit_pairs", "column": 1, "n_pairs": 3, "seed": 1}
    pairs = column_pairs(49, 1, 3, 1).tolist()
    (da, db), (ea, eb) = pairs[0], pairs[1]
    queries = [f"{10 * da + 1:>2}+{10 * db + 2:>2}", f"{10 * da + 3:>2}-{10 * db + 3:>2}", f"{10 * ea:>2}+{10 * eb:>2}"]
    truths = [f"{10 * (da + db) + 3:>3}", f"{10 * (da - db):>3}", f"{10 * (ea + eb):>3}"]
    wrong_tens = truths[0][0] + ("9" if truths[0][1] != "9" else "8") + truths[0][2]
    predictions = [wrong_tens, truths[1], truths[2]]
    scores = heldout_scores(queries, truths, predictions, structure, 49)
    assert scores["heldout_n"] == 3 and scores["heldout_exact_match"] == pytest.approx(2 / 3)
    assert scores["heldout_answer_column_errors"] == pytest.approx([0, 1 / 3, 0])
    first = scores["heldout_by_pair"][f"{da},{db}"]
    assert (first["n"], first["exact_match"], first["answer_column_errors"]) == (2, 0.5, [0.0, 0.5, 0.0])
    assert scores["heldout_by_pair"][f"{ea},{eb}"]["exact_match"] == 1.0
    assert scores["heldout_pairs"] == pairs
    assert answer_column_errors([" 12", " -3"], [" 13", "-3"]) == [0.5, 0.0, 0.5]  # a missing character is wrong


def test_a_held_out_run_without_its_random_twin_is_skipped_with_a_note():
    from arithgen.config import config_notes

    config = tiny_config()
    config["text2text"]["heldout"]["seeds"] = [1, 9]
    validate_config(config, SCHEMA)
    assert {seed for *_, seed in heldout_runs(config)} == {1}
    assert any("text2text.heldout" in note for note in config_notes(config))
