"""Held-out split kinds in the real workflow (tiny config): one DAG dimension, each kind's settings reaching
only its own runs, and the report setting the kinds beside the random split."""

import json
import re

import pandas as pd
import pytest
import yaml

from arithgen.config import heldout_runs
from conftest import TINY, planned_jobs, snakemake

pytestmark = pytest.mark.e2e


def tiny(tmp_path, name, edit):
    """The tiny config with ``edit`` applied to its text2text.heldout section, written to ``tmp_path/name``."""
    config = yaml.safe_load(TINY.read_text())
    edit(config["text2text"]["heldout"])
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def keep(*kinds):
    """An edit that keeps only ``kinds`` of the held-out kinds."""
    return lambda heldout: heldout.update(kinds={k: v for k, v in heldout["kinds"].items() if k in kinds})


def planned_outputs(result):
    return re.findall(r"^    output: (.*)$", result.stdout + result.stderr, re.M)


def test_adding_a_kind_adds_only_its_split_and_runs(tmp_path):
    without = tiny(tmp_path, "without.yaml", keep("digit_pairs", "operand_band"))
    fewer = snakemake(tmp_path / "a", "-n", configfile=without)
    more = snakemake(tmp_path / "b", "-n")
    added = {rule: n - planned_jobs(fewer).get(rule, 0) for rule, n in planned_jobs(more).items()}
    assert {rule: n for rule, n in added.items() if n} == {"split_queries": 1, "train_text2text": 1}
    new = set(planned_outputs(more)) - set(planned_outputs(fewer))
    assert len(new) == 2 and all("heldout/carry_chain/" in outputs for outputs in new)


def test_adding_a_kind_keeps_the_kinds_already_trained(tmp_path):
    only_band = tiny(tmp_path, "band.yaml", keep("operand_band"))
    band, chain = (f"results/heldout/{kind}/default/0.1/seed1/metrics.json" for kind in ("operand_band", "carry_chain"))
    snakemake(tmp_path, "--cores", "2", band, configfile=only_band)
    two = tiny(tmp_path, "two.yaml", keep("operand_band", "carry_chain"))
    result = snakemake(tmp_path, "-n", band, chain, configfile=two)
    assert planned_jobs(result) == {"split_queries": 1, "train_text2text": 1}
    assert all("heldout/carry_chain/" in outputs for outputs in planned_outputs(result))
    run = json.loads((tmp_path / band).read_text())
    assert (run["task"], run["split"], run["n_labelled"]) == ("text2text_heldout", "operand_band", 500)
    assert run["heldout_n"] == 200 and 0 <= run["heldout_exact_match"] <= 1  # 2 x 10 x 10 queries in 20..29


def test_editing_one_kind_reruns_only_that_kind(finished_run, tmp_path):
    moved = tiny(tmp_path, "moved_band.yaml", lambda h: h["kinds"]["operand_band"].update(low=21))
    result = snakemake(finished_run, "-n", configfile=moved)
    assert planned_jobs(result) == {"split_queries": 1, "train_text2text": 1, "heldout_report": 1, "run_info": 1,
                                    "build_report": 1, "all": 1}
    trained = [o for o in planned_outputs(result) if "model.keras" in o or ".npz" in o]
    assert len(trained) == 2 and all("heldout/operand_band/" in outputs for outputs in trained)


def test_report_sets_every_kind_beside_the_random_split(finished_run):
    config = yaml.safe_load(TINY.read_text())
    kinds = list(config["text2text"]["heldout"]["kinds"])
    table = pd.read_csv(finished_run / "results/report/tables/heldout.csv")
    assert list(dict.fromkeys(table["split"])) == ["random", *kinds]
    assert set(table.loc[table["split"] != "random", "test_set"]) == {"in_distribution", "heldout"}
    summary = json.loads((finished_run / "results/report/heldout_summary.json").read_text())
    assert list(summary["kinds"]) == kinds
    pairs = pd.read_csv(finished_run / "results/report/tables/heldout_digit_pairs.csv")
    assert len(pairs) == config["text2text"]["heldout"]["kinds"]["digit_pairs"]["n_pairs"]
    assert pairs["exact_match_mean"].is_monotonic_increasing  # worst pair first
    for kind, variant, fraction, seed in heldout_runs(config):
        run = json.loads((finished_run / f"results/heldout/{kind}/{variant}/{fraction}/seed{seed}/metrics.json")
                         .read_text())
        random = json.loads((finished_run / f"results/text2text/{variant}/{fraction}/seed{seed}/metrics.json")
                            .read_text())
        assert 0 < run["n"] < random["n"]  # the random test queries outside the structure
        assert run["n_labelled"] == random["n_labelled"]
    page = (finished_run / "results/report/index.html").read_text()
    assert 'id="heldout"' in page and "heldout_accuracy" in page and "heldout_digit_pairs" in page
