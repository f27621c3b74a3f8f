"""A generative training (CAE, VAE, GAN) or the feature network killed mid-run resumes from its
last checkpoint and ends bit-identical to a run that was never interrupted.

Each run is its own process (TensorFlow's thread pools are fixed once per process). The kill waits
on an event, never on time: the checkpoint's pause hook announces that chunk 2's files are written
(pointer still on chunk 1), and the test kills the job right there.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from arithgen.checkpoint import PAUSE_VARIABLE
from arithgen.data.datasets import save_dataset
from arithgen.io import write_json
from conftest import drive

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "cae": {"conv_filters": [4, 8], "latent_dim": 3, "steps": 9, "batch_size": 16, "learning_rate": 0.01},
    "vae": {"conv_filters": [4, 8], "latent_dim": 2, "steps": 9, "batch_size": 16, "learning_rate": 0.01, "beta": 1.0},
    "gan": {"conv_filters": [4, 8], "latent_dim": 4, "steps": 9, "batch_size": 16, "learning_rate": 0.001,
            "beta_1": 0.5, "label_smoothing": 0.1, "dropout": 0.3, "upsampling": "nearest"},
}
FEATURES = {"n_generated": 20, "steps": 9, "chunk_steps": 3, "batch_size": 16, "learning_rate": 0.01,
            "filters": [4, 8], "feature_dim": 8}
CHUNK = 3  # steps between checkpoints: the runs below save after steps 3 and 6
JOB = """
import json, sys
args = json.loads(sys.argv[1])
if args.pop("job") == "features":
    from arithgen.tasks.feature_network import train_feature_network as job
else:
    from arithgen.tasks.generative_train import train_model as job
job(**args)
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    images = (rng.random((60, 28, 28, 1)) * 255).astype(np.uint8)
    labels = np.arange(60, dtype=np.int64) % 3
    save_dataset({"x_train": images[:40], "y_train": labels[:40], "x_test": images[40:], "y_test": labels[40:]},
                 folder / "data.npz")
    write_json({"dataset": "noise", "image_shape": [28, 28, 1], "classes": [0, 1, 2], "class_names": ["a", "b", "c"],
                "labelled": True, "n_train": 40, "n_test": 20, "invert_for_display": False}, folder / "data.json")
    return folder


def job_arguments(job, data, out, checkpoint):
    common = {"data_path": str(data / "data.npz"), "info_path": str(data / "data.json"), "seed": 5, "threads": 1,
              "checkpoint_dir": str(checkpoint)}
    if job == "features":
        return {"job": job, **common, "settings": FEATURES,
                "outputs": {k: str(out / f) for k, f in (("classifier", "net.keras"), ("reference", "ref.npz"),
                                                          ("metrics", "metrics.json"))}}
    return {"job": job, "name": job, **common, "model_settings": SETTINGS[job], "sample_every": CHUNK,
            "outputs": {"weights": str(out / "model.weights.h5"), "history": str(out / "history.csv"),
                        "progress": str(out / "progress")}}


def start(arguments, pauses=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if pauses:
        env[PAUSE_VARIABLE] = str(pauses)
    return subprocess.Popen([sys.executable, "-c", JOB, json.dumps(arguments)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(job):
    output, _ = job.communicate(timeout=600)
    assert job.returncode == 0, output
    return output


def trained_arrays(job, out):
    """Everything a finished run leaves that must not depend on the interruption."""
    if job == "features":
        import keras

        return [np.asarray(w) for w in keras.saving.load_model(out / "net.keras").weights]
    from arithgen.tasks.generative_train import load_trained

    model = load_trained(job, SETTINGS[job], (28, 28, 1), 5, out / "model.weights.h5", classes=3)
    return [np.asarray(w) for w in model.weights] + [model.sample(8, 1)]


@pytest.mark.parametrize("job", ["cae", "vae", "gan", "features"])
def test_a_killed_training_resumes_bit_identically(job, data, tmp_path):
    straight, resumed, pauses = tmp_path / "straight", tmp_path / "resumed", tmp_path / "pauses"
    for folder in (straight, resumed, pauses):
        folder.mkdir()
    finish(start(job_arguments(job, data, straight, tmp_path / "ckpt_straight")))

    checkpoint = tmp_path / "ckpt"
    job_process = start(job_arguments(job, data, resumed, checkpoint), pauses)
    try:  # the first save goes through; the second is killed once its files are written
        assert drive(job_process, pauses, (2, "written", "SIGKILL")), job_process.stdout.read()
    finally:
        job_process.kill()
        job_process.wait()
    assert not any(resumed.glob("*.h5")) and not any(resumed.glob("*.keras"))  # it really died mid-run
    output = finish(start(job_arguments(job, data, resumed, checkpoint)))
    assert f"resumed from step {CHUNK} of 9" in output
    assert not checkpoint.exists()  # cleared once the outputs are written

    expected, got = trained_arrays(job, straight), trained_arrays(job, resumed)
    assert len(expected) == len(got)
    for a, b in zip(expected, got):
        np.testing.assert_array_equal(a, b)
