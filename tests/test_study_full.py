"""config/study_full.yaml, the complete design for a cluster: a dry run through profiles/slurm plans
exactly the jobs its lists imply (per-run rules from the config, the rest as in the default DAG)."""

import subprocess
from collections import Counter

import pytest
import yaml
from snakemake.utils import update_config

from arithgen.config import fraction_label, heldout_runs, text2text_runs
from conftest import ROOT, SNAKEMAKE, planned_jobs

pytestmark = pytest.mark.e2e
PRESET = ROOT / "config" / "study_full.yaml"


def merged_config():
    """config.yaml with the preset merged over it, as Snakemake merges two --configfile files."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    update_config(config, yaml.safe_load(PRESET.read_text()))
    return config


def per_run_jobs(config):
    """{rule: count} of the rules that run once per (split kind, variant,) fraction and seed, from the config."""
    t2t_runs, held_out = text2text_runs(config), heldout_runs(config)
    images = config["images"]
    image_runs = [(fraction_label(f), seed) for f in images["train_fractions"] for seed in images["seeds"]]
    splits = {(fraction, seed) for _, fraction, seed in t2t_runs} | set(image_runs)
    splits |= {(kind, fraction, seed) for kind, _, fraction, seed in held_out}
    return {"split_queries": len(splits), "train_text2text": len(t2t_runs) + len(held_out),
            "text2text_whole_space": int(config["text2text"]["whole_space"] is not None),
            **{rule: len(image_runs) for rule in ("train_img2text", "img2text_reader_estimate", "train_text2img",
                                                  "evaluate_text2img")}}


def dry_run(workdir, *configfiles):
    """{rule: count} of a dry run through profiles/slurm with these config files (merged in order)."""
    result = subprocess.run([*SNAKEMAKE, "--directory", str(workdir), "-n",
                             "--profile", str(ROOT / "profiles" / "slurm"), "--configfile", *map(str, configfiles)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return planned_jobs(result)


def test_study_full_plans_every_task_fraction_and_seed(tmp_path):
    config = merged_config()
    full, default = dry_run(tmp_path, ROOT / "config.yaml", PRESET), dry_run(tmp_path, ROOT / "config.yaml")
    expected = per_run_jobs(config)
    assert {rule: full[rule] for rule in expected} == expected
    assert {rule: n for rule, n in full.items() if rule not in expected} == \
        {rule: n for rule, n in default.items() if rule not in expected}  # one of each, as by default
    # The three variants at every fraction 0.1%..10%, 5 seeds, on the random split and on each held-out kind.
    assert len(text2text_runs(config)) == 7 * 5 * 3 and len(heldout_runs(config)) == 3 * 7 * 5 * 3
    assert expected["train_text2text"] == 4 * 7 * 5 * 3
    total = sum(full.values())
    assert total == sum(expected.values()) + sum(n for rule, n in default.items() if rule not in expected)
    print(f"\nconfig/study_full.yaml: {total} jobs ({Counter(full).most_common(3)})")
