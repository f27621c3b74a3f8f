"""A user's folder of ~1,000 RGB images of one kind (houses the test draws): the rotation network
must rank real images best, blurred ones next, and noise and shuffled patches far behind (measured
FIDs: real 0.8, blurred 4.4, shuffled patches 306, noise 329: the two broken kinds are both ~70x
the blur, and which of them is worse is no finding, so the test does not order them); and (opt-in,
minutes) the default settings must give samples that beat noise and blur on every metric.

The slow check runs the real workflow with config.yaml's defaults, only the dataset swapped:
``ARITHGEN_FOLDER_DEFAULTS=1 .venv/bin/python -m pytest tests/test_generative_folder.py -k defaults``
(its sample grid is saved as ``samples.png`` in the test's folder, whose path it prints).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFilter

from arithgen.data.datasets import preprocess_dataset, save_dataset
from arithgen.data.generative import prepare_generative_data, to_unit
from arithgen.io import write_json

ROOT = Path(__file__).resolve().parents[1]
SIDE = 32


def draw_house(rng, size=64):
    """One RGB house: a wall, a roof on top, a door, on a sky-and-grass background (upright: a
    rotation network can tell its turn)."""
    image = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(150, 230, 3)))
    draw = ImageDraw.Draw(image)
    ground = int(size * rng.uniform(0.75, 0.9))
    draw.rectangle([0, ground, size, size], fill=(60, int(rng.integers(110, 170)), 50))
    width, height = int(size * rng.uniform(0.35, 0.6)), int(size * rng.uniform(0.25, 0.4))
    left = int(rng.integers(2, size - width - 2))
    wall = tuple(int(v) for v in rng.integers(0, 255, 3))
    draw.rectangle([left, ground - height, left + width, ground], fill=wall)
    roof = int(size * rng.uniform(0.15, 0.3))
    draw.polygon([(left - 3, ground - height), (left + width + 3, ground - height),
                  (left + width // 2, ground - height - roof)], fill=(int(rng.integers(120, 200)), 30, 30))
    door = max(width // 5, 2)
    draw.rectangle([left + width // 2 - door // 2, ground - height // 2, left + width // 2 + door // 2, ground],
                   fill=(70, 40, 20))
    return image


def make_folder(root, count, seed=0):
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        draw_house(rng).save(root / f"house_{i:04d}.png")
    return root


def prepared_data(folder, out, seed=0):
    """The folder through the pipeline's own data steps -> out/data.npz, out/data.json."""
    spec = {"source": "folder", "path": str(folder), "test_fraction": 0.2, "image_size": SIDE, "channels": 3}
    arrays, provenance = preprocess_dataset(spec, None, seed=seed, name="houses")
    data, info = prepare_generative_data(arrays, provenance, "houses", {"image_size": SIDE, "channels": 3}, seed)
    save_dataset(data, out / "data.npz")
    write_json(info, out / "data.json")
    return data, info


def blurred(images, radius=2.0):
    return np.stack([np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(radius))) for image in images])


def noise(images, seed=1):
    return np.random.default_rng(seed).integers(0, 256, images.shape, dtype=np.uint8)


def shuffled_patches(images, patch=8, seed=2):
    """Each image cut into patch x patch tiles, the tiles put back in a random order."""
    rng = np.random.default_rng(seed)
    n, side, _, channels = images.shape
    k = side // patch
    tiles = images.reshape(n, k, patch, k, patch, channels).transpose(0, 1, 3, 2, 4, 5).reshape(n, k * k, patch,
                                                                                                 patch, channels)
    tiles = np.stack([t[rng.permutation(k * k)] for t in tiles])
    return tiles.reshape(n, k, k, patch, patch, channels).transpose(0, 1, 3, 2, 4, 5).reshape(images.shape)


def scores(network_path, data, candidates, task):
    """Each candidate set's quality metrics against the real test images, in the trained network's space."""
    import keras

    from arithgen.evaluation.sample_quality import features_and_probabilities, quality_metrics
    from arithgen.models.feature_network import features_and_probabilities as scorer_of

    scorer = scorer_of(keras.saving.load_model(network_path))
    real = features_and_probabilities(scorer, to_unit(data["x_test"]))[0]
    return {name: quality_metrics(real, *features_and_probabilities(scorer, to_unit(images)), task)
            for name, images in candidates.items()}


def test_the_rotation_network_ranks_real_then_blur_then_noise_and_shuffled_patches(tmp_path):
    data, info = prepared_data(make_folder(tmp_path / "houses", 600), tmp_path)
    assert not info["labelled"]
    settings = {"n_generated": 400, "steps": 400, "batch_size": 64, "learning_rate": 0.002, "filters": [16, 32],
                "feature_dim": 32}
    outputs = {"classifier": str(tmp_path / "net.keras"), "reference": str(tmp_path / "ref.npz"),
               "metrics": str(tmp_path / "metrics.json")}
    job = ("import json, sys; from arithgen.tasks.feature_network import train_feature_network as t; "
           "t(**json.loads(sys.argv[1]))")
    arguments = {"data_path": str(tmp_path / "data.npz"), "info_path": str(tmp_path / "data.json"),
                 "settings": settings, "seed": 0, "threads": 1, "outputs": outputs}
    run = subprocess.run([sys.executable, "-c", job, json.dumps(arguments)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(Path(outputs["metrics"]).read_text())["classifier_task"] == "rotation"
    train = data["x_train"][:len(data["x_test"])]
    metrics = scores(outputs["classifier"], data, {
        "real": train, "blurred": blurred(train), "noise": noise(train), "shuffled": shuffled_patches(train)},
        "rotation")
    fids = {name: m["fid"] for name, m in metrics.items()}
    assert fids["real"] < fids["blurred"] < 10 * fids["blurred"] < min(fids["noise"], fids["shuffled"]), fids
    assert metrics["noise"]["precision"] < 0.05 and metrics["real"]["precision"] > 0.5, metrics
    assert metrics["real"]["confident_rate"] > metrics["noise"]["confident_rate"], metrics


@pytest.mark.skipif(os.environ.get("ARITHGEN_FOLDER_DEFAULTS") != "1",
                    reason="minutes of training: set ARITHGEN_FOLDER_DEFAULTS=1 to run the default settings")
def test_defaults_on_a_folder_beat_noise_and_blur(tmp_path):
    make_folder(tmp_path / "houses", 1000)
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["datasets"]["houses"] = {"source": "folder", "path": str(tmp_path / "houses"), "test_fraction": 0.2,
                                    "image_size": SIDE, "channels": 3}
    config["generative"].update(dataset="houses", image_size=SIDE, channels=3)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    targets = [f"results/generative/{m}/metrics.json" for m in config["generative"]["models"]]
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory",
                          str(tmp_path), "--configfile", str(tmp_path / "config.yaml"), "--cores", "2", *targets],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = tmp_path / "results" / "generative"
    data = dict(np.load(results / "data.npz"))
    # As many blurred and noise images as the samples each model is scored on (recall and coverage depend
    # on the count).
    train = data["x_train"][:json.loads((results / "fid" / "metrics.json").read_text())["n_fid_images"]]
    references = scores(results / "fid" / "classifier.keras", data,
                        {"blurred": blurred(train), "noise": noise(train)}, "rotation")
    from arithgen.mosaic import save_png, tile

    print(f"folder test in {tmp_path}")
    for model in config["generative"]["models"]:
        metrics = json.loads((results / model / "metrics.json").read_text())
        print(model, {k: round(metrics[k], 3) for k in ("fid", "precision", "recall", "density", "coverage",
                                                         "confident_rate")}, flush=True)
        if model == "gan":
            samples = np.load(results / "gan" / "examples.npz")["samples"]
            save_png(tile(samples.astype(np.float32) / 255, 8), tmp_path / "samples.png", scale=3)
            assert metrics["n_generated"] == len(train), (metrics, len(train))
            for name, reference in references.items():
                assert metrics["fid"] < reference["fid"], (name, metrics, reference)
                for key in ("precision", "recall", "density", "coverage"):
                    assert metrics[key] > reference[key], (name, key, metrics, reference)
    print("references", {n: {k: round(v, 3) for k, v in r.items()} for n, r in references.items()})
