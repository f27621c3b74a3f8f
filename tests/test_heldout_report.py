"""The held-out report: summary over seeds beside the random split, worst pairs first, and a drop stated only
when the seeds' intervals part."""

import pytest

from arithgen.evaluation.metrics import wilson_interval
from arithgen.io import write_json
from arithgen.report.heldout import heldout_facts
from arithgen.report.heldout_tables import pair_table, run_rows, summary_document, summary_table
from arithgen.report.results import Results

N = 50_000


def scores(prefix, right, n=N):
    return {f"{prefix}n": n, f"{prefix}exact_match": right / n,
            f"{prefix}exact_match_ci95": list(wilson_interval(right, n))}


def random_run(seed, right):
    return {"task": "text2text", "variant": "default", "train_fraction": 0.02, "seed": seed, **scores("", right)}


def heldout_run(seed, right, heldout_right, kind="carry_chain", by_pair=None):
    run = {**random_run(seed, right), "task": "text2text_heldout", "split": kind,
           **scores("heldout_", heldout_right), "heldout_answer_column_errors": [0.01, 0.03, 0.0, 0.0]}
    return run | ({"heldout_by_pair": by_pair} if by_pair else {})


def test_summary_sets_each_kind_beside_the_random_runs_of_its_seeds():
    random = [random_run(1, 49_950), random_run(2, 49_900), random_run(3, 10)]  # seed 3 ran no held-out kind
    held = [heldout_run(1, 49_940, 47_500), heldout_run(2, 49_920, 48_000)]
    rows = run_rows(held, random)
    assert list(rows["test_set"][:3]) == ["random", "random", "random"]
    entry = summary_document(rows)["kinds"]["carry_chain"]["default"]["0.02"]
    assert entry["seeds"] == [1, 2] and entry["random"]["n"] == 2
    assert entry["random"]["mean"] == pytest.approx((49_950 + 49_900) / 2 / N)
    assert entry["drop"]["min"] == pytest.approx((49_900 - 48_000) / N)
    assert entry["drop"]["max"] == pytest.approx((49_950 - 47_500) / N)
    table = summary_table(rows)
    assert list(zip(table["split"], table["test_set"])) == [("random", "random"), ("carry_chain", "in_distribution"),
                                                            ("carry_chain", "heldout")]


def test_pair_table_puts_the_worst_pair_first():
    pairs = {"1,3": {"n": 500, "exact_match": 0.99, "answer_column_errors": [0, 0.01, 0, 0]},
             "8,9": {"n": 480, "exact_match": 0.90, "answer_column_errors": [0.02, 0.09, 0.01, 0]}}
    table = pair_table([heldout_run(1, 49_000, 49_000, "digit_pairs", pairs)])
    assert list(table["pair"]) == ["(8, 9)", "(1, 3)"] and table["wrong_tens"].tolist() == [0.09, 0.01]


def facts_of(tmp_path, random, held):
    paths = []
    for run in random + held:
        path = tmp_path / f"{run.get('split', 'random')}_{run['seed']}.json"
        write_json(run, path)
        paths.append(path)
    summary = tmp_path / "heldout_summary.json"
    write_json(summary_document(run_rows(held, random)), summary)
    return heldout_facts(Results({"metrics": [*paths, summary]}))


def test_a_drop_is_stated_only_beyond_the_seed_intervals(tmp_path):
    random = [random_run(1, 49_950), random_run(2, 49_900)]
    dropped = facts_of(tmp_path / "a", random, [heldout_run(1, 49_940, 47_500), heldout_run(2, 49_920, 48_000)])
    row = dropped["rows"][0]
    assert (row["differs"], row["lower"], row["within_goal"], row["reaches"]) == (True, True, False, False)
    assert row["worst_run"].raw("seed") == 1 and row["worst_column"]["column"] == "tens"
    close = facts_of(tmp_path / "b", random, [heldout_run(1, 49_940, 49_930), heldout_run(2, 49_920, 49_910)])
    row = close["rows"][0]
    assert (row["differs"], row["within_goal"], row["reaches"], row["must_reach"]) == (False, True, True, True)
    one_seed = facts_of(tmp_path / "c", random[:1], [heldout_run(1, 49_940, 40_000)])
    assert (one_seed["rows"][0]["differs"], one_seed["rows"][0]["one_seed"]) == (False, True)
