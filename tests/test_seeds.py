"""Aggregation across seeds: hand-made metrics files -> mean, spread and n per (task, variant, fraction)."""

import json
import math

import pytest

from arithgen.io import read_json
from arithgen.report.seeds import fraction_key, report_summary, seed_summary, summarise, summary_document
from arithgen.report.tables import results_table, summary_table


def _metrics(variant, fraction, seed, exact_match, stopped="patience", task="text2text"):
    return {"task": task, "variant": variant, "train_fraction": fraction, "seed": seed, "n_labelled": 5000,
            "n_train": 4500, "n_val": 500, "n": 1000, "exact_match": exact_match,
            "exact_match_ci95": [exact_match - 0.01, exact_match + 0.01], "char_accuracy": (1 + exact_match) / 2,
            "epochs": 10 + seed, "max_epochs": 60, "stopped": stopped}


@pytest.fixture
def metrics_files(tmp_path):
    """Three seeds of default at 0.25%, one of classic, written and read back as the pipeline does."""
    runs = [_metrics("default", 0.0025, 1, 0.5), _metrics("default", 0.0025, 2, 0.7),
            _metrics("default", 0.0025, 3, 0.6), _metrics("classic", 0.0025, 1, 0.2, stopped="epoch_cap")]
    paths = []
    for run in runs:
        path = tmp_path / run["variant"] / str(run["train_fraction"]) / f"seed{run['seed']}" / "metrics.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(run))
        paths.append(path)
    return [read_json(p) for p in paths]


def test_summarise_gives_mean_sample_sd_range_and_n():
    stats = summarise([0.5, 0.7, 0.6])
    assert stats["n"] == 3
    assert stats["mean"] == pytest.approx(0.6)
    assert stats["sd"] == pytest.approx(0.1)  # n - 1 in the denominator
    assert (stats["min"], stats["max"]) == (0.5, 0.7)


def test_one_seed_has_no_spread_to_measure():
    stats = summarise([0.83])
    assert stats["n"] == 1 and stats["mean"] == 0.83 and stats["min"] == stats["max"] == 0.83
    assert math.isnan(stats["sd"])


def test_missing_values_are_left_out_and_not_counted():
    stats = summarise([0.4, float("nan"), None, 0.6])
    assert stats["n"] == 2 and stats["mean"] == pytest.approx(0.5)
    nothing = summarise([float("nan")])
    assert nothing["n"] == 0 and math.isnan(nothing["mean"])


def test_seed_summary_groups_by_task_variant_and_fraction(metrics_files):
    summary = seed_summary(results_table(metrics_files))
    default = summary[summary["variant"] == "default"].iloc[0]
    assert default["seeds"] == 3 and default["seed_list"] == "1 2 3"
    assert default["exact_match_mean"] == pytest.approx(0.6)
    assert (default["exact_match_min"], default["exact_match_max"]) == (0.5, 0.7)
    assert default["char_accuracy_mean"] == pytest.approx(0.8)
    classic = summary[summary["variant"] == "classic"].iloc[0]
    assert classic["seeds"] == 1 and math.isnan(classic["exact_match_sd"])


def test_summary_table_labels_a_run_cut_off_by_its_epoch_cap(metrics_files):
    table = summary_table(results_table(metrics_files))
    assert list(table["variant"]) == ["default", "classic"]
    assert list(table["stopped"]) == ["plateau", "not converged (stopped at the 60-epoch cap)"]
    mixed = summary_table(results_table(metrics_files[:2] + [_metrics("default", 0.0025, 3, 0.6, "epoch_cap")]))
    assert mixed["stopped"].iloc[0] == "1 of 3 not converged (stopped at the 60-epoch cap)"


def test_summary_document_is_json_and_quotable(metrics_files):
    document = summary_document(metrics_files)
    entry = document["text2text"]["default"][fraction_key(0.0025)]
    assert entry["seeds"] == [1, 2, 3] and entry["n"] == 3
    assert entry["exact_match"]["mean"] == pytest.approx(0.6) and entry["exact_match"]["n"] == 3
    assert document["text2text"]["classic"]["0.0025"]["exact_match"]["sd"] is None  # no NaN in JSON
    json.dumps(document, allow_nan=False)


def test_report_summary_keeps_reader_estimates_and_whole_space_apart(metrics_files):
    img2text = [_metrics("default", 0.02, s, 0.8 + s / 100, task="img2text") for s in (1, 2)]
    estimates = [{"task": "img2text", "train_fraction": 0.02, "seed": s, "reader_estimate": 0.9,
                  "exact_match_unseen_writers": 0.8, "exact_match_seen_writers": 0.85, "n_wrong": 200,
                  "n_wrong_reading": 150 + s, "n_wrong_other": 50 - s} for s in (1, 2)]
    whole = {"task": "text2text", "variant": "default", "train_fraction": 0.0025, "seed": 1, "exact_match": 0.1,
             "sample_exact_match": 0.5}
    document = report_summary(metrics_files + img2text + estimates + [whole])
    assert document["text2text"]["default"]["0.0025"]["n"] == 3  # the whole-space file is no fourth seed
    assert document["img2text"]["default"]["0.02"]["exact_match"]["mean"] == pytest.approx(0.815)
    reader = document["img2text"]["reader_estimate"]["0.02"]
    assert reader["n_wrong_reading"]["mean"] == pytest.approx(151.5) and reader["reader_estimate"]["n"] == 2
