"""Results tables: row per run, and the three file formats."""

import pandas as pd
import pytest

from arithgen.report.tables import RESULT_COLUMNS, results_table, summary_table, write_table


def _run(variant, fraction, exact_match, task="text2text", seed=1):
    return {
        "task": task,
        "variant": variant,
        "train_fraction": fraction,
        "seed": seed,
        "n_labelled": int(fraction * 1_900_000) + 5000,
        "max_epochs": 60,
        "stopped": "patience",
        "n_train": int(fraction * 1_900_000),
        "n_val": 5000,
        "n": 10_000,
        "exact_match": exact_match,
        "exact_match_ci95": [exact_match - 0.001, min(1.0, exact_match + 0.001)],
        "char_accuracy": (1 + exact_match) / 2,
        "epochs": 23,
        "train_seconds": 81.25,
        "samples_per_second": 12000.0,
    }


@pytest.fixture
def runs():
    # deliberately out of order, so sorting has work to do
    return [
        _run("classic", 0.10, 0.9944),
        _run("default", 0.05, 0.9952),
        _run("classic", 0.01, 0.7768),
        _run("default", 0.01, 0.9202),
        _run("default", 0.10, 0.9987),
        _run("classic", 0.05, 0.9870),
    ]


def test_results_table_one_sorted_row_per_run(runs):
    table = results_table(runs)
    assert list(table.columns) == RESULT_COLUMNS
    assert len(table) == len(runs)
    assert list(zip(table["variant"], table["train_fraction"])) == [
        ("default", 0.01),
        ("default", 0.05),
        ("default", 0.10),
        ("classic", 0.01),
        ("classic", 0.05),
        ("classic", 0.10),
    ]
    row = table[(table["variant"] == "default") & (table["train_fraction"] == 0.05)].iloc[0]
    assert row["exact_match"] == 0.9952
    assert row["exact_match_ci95_low"] == pytest.approx(0.9942)
    assert row["exact_match_ci95_high"] == pytest.approx(0.9962)


def test_results_table_keeps_every_seed_in_seed_order(runs):
    table = results_table(runs + [_run("default", 0.05, 0.9950, seed=3), _run("default", 0.05, 0.9960, seed=2)])
    rows = table[(table["variant"] == "default") & (table["train_fraction"] == 0.05)]
    assert list(rows["seed"]) == [1, 2, 3] and list(rows["exact_match"]) == [0.9952, 0.9960, 0.9950]


def test_results_table_counts_labelled_queries_for_runs_written_before_the_key(runs):
    old = {key: value for key, value in _run("default", 0.01, 0.9).items() if key != "n_labelled"}
    assert results_table([old])["n_labelled"].iloc[0] == old["n_train"] + old["n_val"]


def test_summary_table_shows_mean_and_range_with_the_seed_count(runs, tmp_path):
    seeds = [_run("default", 0.05, 0.9950, seed=2), _run("default", 0.05, 0.9970, seed=3)]
    table = summary_table(results_table(runs + seeds))
    row = table[(table["variant"] == "default") & (table["train_fraction"] == 0.05)].iloc[0]
    assert row["seeds"] == 3 and row["exact_match_mean"] == pytest.approx(0.9957333)
    assert (row["exact_match_min"], row["exact_match_max"]) == (0.9950, 0.9970)
    assert table[table["variant"] == "classic"]["seeds"].tolist() == [1, 1, 1]
    write_table(table, tmp_path / "s.csv", tmp_path / "s.md")
    markdown = (tmp_path / "s.md").read_text()
    assert "99.57%" in markdown
    assert "99.50%" in markdown and "99.70%" in markdown


def test_results_table_sorts_by_task_first(runs):
    table = results_table(runs + [_run("default", 0.01, 0.5, task="img2text")])
    assert table["task"].iloc[0] == "img2text"


def test_write_table_csv_round_trip_keeps_raw_floats(runs, tmp_path):
    table = results_table(runs)
    write_table(table, tmp_path / "results.csv")
    back = pd.read_csv(tmp_path / "results.csv")
    pd.testing.assert_frame_equal(back, table.astype({"seed": float}), check_dtype=False)
    assert not (tmp_path / "results.md").exists()


def test_write_table_markdown_and_latex_show_percentages(runs, tmp_path):
    table = results_table(runs)
    write_table(table, tmp_path / "r.csv", tmp_path / "r.md", tmp_path / "r.tex")

    markdown = (tmp_path / "r.md").read_text()
    assert "99.52%" in markdown and "77.68%" in markdown
    assert "0.9952" not in markdown
    assert markdown.count("\n") == len(table) + 2  # header, rule, one line per run

    latex = (tmp_path / "r.tex").read_text()
    assert "\\toprule" in latex and "\\midrule" in latex and "\\bottomrule" in latex
    assert "99.52\\%" in latex
    assert "train\\_fraction" in latex  # underscores escaped, so the file compiles

    # the CSV beside them stays raw
    assert "0.9952" in (tmp_path / "r.csv").read_text()


def test_write_table_formats_the_percent_columns_a_table_names(runs, tmp_path):
    table = results_table(runs)[["train_fraction", "exact_match"]].rename(columns={"exact_match": "default"})
    table.attrs["percent_columns"] = ["default"]
    write_table(table, tmp_path / "s.csv", md_path=tmp_path / "s.md")
    markdown = (tmp_path / "s.md").read_text()
    assert "99.52%" in markdown and "98.70%" in markdown
    assert "5%" in markdown  # the train fraction reads as a percentage too


def test_write_table_leaves_no_temporary_files(runs, tmp_path):
    write_table(results_table(runs), tmp_path / "r.csv", tmp_path / "r.md", tmp_path / "r.tex")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.md", "r.tex"]
