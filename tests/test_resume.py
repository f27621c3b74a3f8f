"""A training job killed mid-way resumes from its checkpoint and ends like an uninterrupted run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGET = "results/text2text/default/0.2/metrics.json"
CHECKPOINT = "results/checkpoints/text2text/default/0.2/state.json"

pytestmark = pytest.mark.e2e


def command(workdir, configfile):
    return [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
            "--configfile", str(configfile), "--cores", "1", TARGET]


@pytest.fixture(scope="module")
def longer_config(tmp_path_factory):
    config = yaml.safe_load((ROOT / "tests" / "tiny_config.yaml").read_text())
    config["recipes"]["default"]["epochs"] = 8
    path = tmp_path_factory.mktemp("config") / "resume.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def epochs_done(workdir):
    state = workdir / CHECKPOINT
    try:
        return yaml.safe_load(state.read_text())["epochs_done"]
    except (FileNotFoundError, TypeError, yaml.YAMLError):
        return 0


def model_weights(path):
    from arithgen.predict import load_model

    return load_model(path).get_weights()


def test_killed_training_resumes_and_matches_uninterrupted_run(tmp_path, longer_config):
    reference = tmp_path / "reference"
    subprocess.run(command(reference, longer_config), check=True, capture_output=True, timeout=600)

    interrupted = tmp_path / "interrupted"
    job = subprocess.Popen(command(interrupted, longer_config), start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while epochs_done(interrupted) < 3 and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.poll() is None, "training finished before it could be interrupted"
    os.killpg(job.pid, signal.SIGTERM)  # what a scheduler's time limit does
    job.wait(timeout=60)
    killed_after = epochs_done(interrupted)
    assert 3 <= killed_after < 8
    assert not (interrupted / TARGET).exists()

    result = subprocess.run(command(interrupted, longer_config), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    log = (interrupted / "logs/text2text/default/0.2.log").read_text()
    assert f"resuming after epoch {killed_after}" in log
    assert (interrupted / TARGET).read_bytes() == (reference / TARGET).read_bytes()
    model = "results/text2text/default/0.2/model.keras"
    for a, b in zip(model_weights(interrupted / model), model_weights(reference / model)):
        np.testing.assert_array_equal(a, b)
    assert not (interrupted / CHECKPOINT).exists()  # cleared once the outputs were written
