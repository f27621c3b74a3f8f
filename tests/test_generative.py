"""Task 2 pieces that need no training: data preparation, memorisation, latent walks, the table and the
config checks (the report's sentences on Task 2 are tested in test_report.py)."""

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from arithgen.config import ConfigError, validate_config
from arithgen.data.generative import fit_images, from_symmetric, prepare_generative_data, select_classes, to_symmetric
from arithgen.evaluation import latent
from arithgen.evaluation.memorisation import memorisation_stats, nearest_neighbours
from arithgen.mosaic import save_gif, tile
from arithgen.report.generative import generative_table
from arithgen.report.tables import formatted_for_reading
from arithgen.tasks.feature_network import rotation_task
from arithgen.tasks.generative_evaluate import reconstruction_picks

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schemas" / "config.schema.yaml"


# --- data ---------------------------------------------------------------------------------------------


def fake_release(n_train=40, n_test=20):
    rng = np.random.default_rng(0)
    return {"x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
            "y_train": np.arange(n_train) % 10, "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
            "y_test": np.arange(n_test) % 10}


SETTINGS = {"image_size": 28, "channels": 1, "classes": None, "max_train_images": None, "max_test_images": None}


def test_preparation_keeps_size_adds_a_channel_axis_and_describes_the_data():
    arrays, info = prepare_generative_data(fake_release(), {"source": "idx"}, "fashion_mnist", SETTINGS, seed=0)
    assert arrays["x_train"].shape == (40, 28, 28, 1) and arrays["x_train"].dtype == np.uint8
    np.testing.assert_array_equal(arrays["x_train"][..., 0], fake_release()["x_train"])
    assert info["class_names"][7] == "Sneaker" and info["labelled"] and info["invert_for_display"]


def test_class_filter_by_name_or_label_and_a_seeded_subset():
    settings = {**SETTINGS, "classes": ["Sneaker", 9], "max_train_images": 5}
    arrays, info = prepare_generative_data(fake_release(), {"source": "idx"}, "fashion_mnist", settings, seed=0)
    assert info["classes"] == [7, 9] and info["class_names"] == ["Sneaker", "Ankle boot"]
    assert len(arrays["y_train"]) == 5 and set(arrays["y_train"]) <= {7, 9}
    assert set(arrays["y_test"]) == {7, 9} and len(arrays["y_test"]) == 4
    again, _ = prepare_generative_data(fake_release(), {"source": "idx"}, "fashion_mnist", settings, seed=0)
    np.testing.assert_array_equal(arrays["x_train"], again["x_train"])


def test_a_single_class_has_no_labels_to_train_a_classifier_on():
    _, info = prepare_generative_data(fake_release(), {"source": "idx"}, "fashion_mnist",
                                      {**SETTINGS, "classes": [7]}, seed=0)
    assert not info["labelled"]


def test_an_unknown_class_is_one_clear_line():
    names = {0: "T-shirt/top", 7: "Sneaker"}
    with pytest.raises(ValueError, match=r"generative.classes: 'Boot' is not a class of this dataset; "
                                         r"expected some of 0 \(T-shirt/top\), 7 \(Sneaker\)"):
        select_classes(["Boot"], names)
    assert select_classes(None, names) == [0, 7]


def test_images_are_centre_cropped_resized_and_converted():
    images = np.zeros((2, 20, 30, 3), np.uint8)
    images[:, :, 5:25] = 200  # the middle 20 columns: what a centre crop keeps
    grey = fit_images(images, 10, 1)
    assert grey.shape == (2, 10, 10, 1) and grey.min() >= 190
    assert fit_images(np.full((1, 8, 8), 50, np.uint8), 8, 3).shape == (1, 8, 8, 3)


def test_gan_scaling_round_trips():
    images = np.array([0, 128, 255], np.uint8)
    assert to_symmetric(images).tolist() == pytest.approx([-1.0, 128 / 127.5 - 1, 1.0], abs=1e-6)
    np.testing.assert_allclose(from_symmetric(to_symmetric(images)), images / 255, atol=1e-6)


def test_rotation_task_labels_quarter_turns():
    image = np.arange(9, dtype=np.uint8).reshape(3, 3, 1)
    rotated, turns = rotation_task(np.stack([image] * 8), np.random.default_rng(0))
    for picture, k in zip(rotated, turns):
        np.testing.assert_array_equal(picture, np.rot90(image, k, axes=(0, 1)))


def test_reconstruction_picks_take_one_image_per_class_in_turn():
    labels = np.array([3, 3, 1, 2, 1, 2, 3])
    assert labels[reconstruction_picks(labels, 5, labelled=True)].tolist() == [1, 2, 3, 1, 2]
    assert reconstruction_picks(labels, 3, labelled=False).tolist() == [0, 1, 2]


# --- memorisation and latent walks ------------------------------------------------------------------------


def test_nearest_neighbours_match_brute_force_in_rms_units():
    rng = np.random.default_rng(0)
    queries, references = rng.random((50, 4, 4, 1)), rng.random((70, 4, 4, 1))
    distances, indices = nearest_neighbours(queries, references, chunk=16)
    brute = np.sqrt(((queries.reshape(50, 1, -1) - references.reshape(1, 70, -1)) ** 2).mean(axis=2))
    np.testing.assert_array_equal(indices, brute.argmin(axis=1))
    np.testing.assert_allclose(distances, brute.min(axis=1), rtol=1e-4, atol=1e-5)
    copies, _ = nearest_neighbours(references[:5], references)
    np.testing.assert_allclose(copies, 0, atol=1e-3)


def test_memorisation_stats_flag_copies():
    test = np.linspace(0.1, 0.3, 101)
    stats = memorisation_stats(np.r_[np.zeros(10), np.full(90, 0.2)], test)
    assert stats["near_copy_fraction"] == pytest.approx(0.1)
    assert stats["test_median_nn_distance"] == pytest.approx(0.2) and stats["nn_distance_ratio"] == pytest.approx(1.0)
    assert memorisation_stats(test, test)["near_copy_fraction"] <= 0.01


def test_interpolation_starts_and_ends_at_the_endpoints():
    rng = np.random.default_rng(0)
    start, end = rng.normal(size=(3, 8)), rng.normal(size=(3, 8))
    for spherical in (False, True):
        walk = latent.interpolate_latent(start, end, 5, spherical=spherical)
        assert walk.shape == (3, 5, 8)
        np.testing.assert_allclose(walk[:, 0], start, atol=1e-5)
        np.testing.assert_allclose(walk[:, -1], end, atol=1e-5)
    # Between points of equal norm, slerp keeps the norm; a straight line cuts the corner.
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    middle = latent.interpolate_latent(a, b, 3, spherical=True)[1]
    assert np.linalg.norm(middle) == pytest.approx(1.0, rel=1e-5)
    assert np.linalg.norm(latent.interpolate_latent(a, b, 3)[1]) == pytest.approx(np.sqrt(0.5), rel=1e-5)


def test_latent_map_helpers():
    grid = latent.manifold_grid(5)
    assert grid.shape == (5, 5, 2) and grid[0, 0, 1] > grid[-1, 0, 1] and grid[0, 0, 0] < grid[0, -1, 0]
    points = np.random.default_rng(0).normal(size=(200, 6)) * [5, 2, 1, 1, 1, 1]
    embedding, explained = latent.pca_2d(points)
    assert embedding.shape == (200, 2) and explained[0] > explained[1] > 0
    codes, labels = np.array([[0.0, 0], [2, 0], [10, 10], [0, 1]]), np.array([0, 0, 1, 2])
    means = latent.class_means(codes, labels)
    assert means[0].tolist() == [1.0, 0.0] and latent.nearest_class(means, 0) == 2
    walk = latent.attribute_walk(np.zeros(2), means[0], means[1], 3)
    np.testing.assert_allclose(walk[-1], means[1] - means[0])


def test_tiles_and_gif(tmp_path):
    images = np.ones((5, 2, 3, 1), np.float32)
    picture = tile(images, 3, gap=1)
    assert picture.shape == (5, 11, 1) and picture.dtype == np.uint8
    assert (tile(np.zeros((1, 2, 2, 1)), 2, invert=True)[:, 2:] == 0).all()  # the empty cell: white once inverted
    save_gif([picture, 255 - picture, picture], tmp_path / "walk.gif")
    assert (tmp_path / "walk.gif").read_bytes()[:6] == b"GIF89a"


# --- table ------------------------------------------------------------------------------


def metrics_of(model, fid, **extra):
    base = {"task": "generative", "model": model, "dataset": "fashion_mnist", "n_train": 100, "n_generated": 500,
            "fid": fid, "median_nn_distance": 0.2, "test_median_nn_distance": 0.15, "nn_distance_ratio": 1.33,
            "copy_threshold": 0.05, "copy_threshold_quantile": 0.01, "near_copy_fraction": 0.002,
            "parameters": 1234, "latent_dim": 8, "epochs": 3}
    return {**base, **extra}


FLOOR = {"task": "generative", "model": "real", "dataset": "fashion_mnist", "n_train": 100, "n_test": 50,
         "classifier_task": "labels", "classifier_classes": 10,
         "classifier_test_accuracy": 0.87, "classifier_epochs": 3, "feature_dim": 16, "fid": 0.4,
         "precision": 0.75, "recall": 0.8, "density": 1.01, "coverage": 0.95, "confident_rate": 0.9,
         "n_fid_images": 100, "test_median_nn_distance": 0.15}


@pytest.fixture
def runs(tmp_path):
    files = {}
    for model, metrics in [("cae", metrics_of("cae", 30.0, reconstruction_mse=0.01)),
                           ("vae", metrics_of("vae", 20.0, reconstruction_mse=0.02, elbo=-250.5,
                                              elbo_reconstruction=240.0, elbo_kl=10.5, beta=1.0)),
                           ("gan", metrics_of("gan", 10.0)), ("fid", FLOOR)]:
        folder = tmp_path / "results" / "generative" / model
        folder.mkdir(parents=True)
        (folder / "metrics.json").write_text(json.dumps(metrics))
        pd.DataFrame({"epoch": [1, 2], "loss": [2.0, 1.0], "seconds": [1.0, 2.5]}).to_csv(folder / "history.csv")
        files[model] = folder
    return files


def test_table_has_the_floor_row_and_blanks_for_metrics_a_model_lacks(runs):
    table = generative_table([runs[m] / "metrics.json" for m in ("gan", "cae", "vae")], runs["fid"] / "metrics.json",
                             [runs[m] / "history.csv" for m in ("cae", "vae", "gan")])
    assert table["model"].tolist() == ["real images (train vs test)", "CAE", "VAE", "GAN"]
    assert table["fid"].tolist() == ["0.400", "30.000", "20.000", "10.000"]
    assert table.loc[3, "reconstruction_mse"] == "" and table.loc[2, "elbo"] == "-250.50"
    assert table["train_seconds"].tolist()[1:] == [2.5, 2.5, 2.5]


def test_table_gives_every_measure_beside_its_real_reference_and_the_feature_network(runs):
    gan = runs["gan"] / "metrics.json"
    gan.write_text(json.dumps(metrics_of("gan", 10.0, n_generated=100, precision=0.6, recall=0.5, density=0.7,
                                         coverage=0.8, confident_rate=0.65, steps=2400)))
    table = generative_table([gan], runs["fid"] / "metrics.json", [runs["gan"] / "history.csv"])
    assert table[["precision", "recall", "density", "coverage", "confident_rate"]].values.tolist() == [
        ["0.7500", "0.8000", "1.010", "0.9500", "0.9000"], ["0.6000", "0.5000", "0.700", "0.8000", "0.6500"]]
    # Real images and samples at the same count; the accuracy belongs to the network, so to the reference row.
    assert table["n_generated"].tolist() == [100, 100]
    assert table["feature_network_accuracy"].tolist() == ["0.8700", ""]
    shown = formatted_for_reading(table)  # as the Markdown and LaTeX files show it
    assert shown["steps"].tolist() == ["—", "2,400"] and shown["n_generated"].tolist() == ["100", "100"]
    assert shown["parameters"].tolist() == ["—", "1,234"]


# --- config ---------------------------------------------------------------------------------------------


@pytest.fixture
def config():
    return yaml.safe_load((ROOT / "config.yaml").read_text())


@pytest.mark.parametrize("change,message", [
    (lambda c: c["generative"].update(dataset="cifar"),
     r"generative\.dataset: unknown dataset 'cifar'; expected one of"),
    (lambda c: c["generative"].update(image_size=30),
     r"generative\.image_size: 30 cannot be halved 2 times .*expected a multiple of 4, e\.g\. 28 or 32"),
    (lambda c: c["generative"]["models"]["gan"].update(conv_filters=[8, 16, 32]),
     r"halved 3 times by the blocks of generative\.models\.gan\.conv_filters"),
    (lambda c: c["generative"].update(channels=2), r"generative\.channels: 2 is invalid; expected one of \[1, 3\]"),
    (lambda c: c["generative"]["models"]["vae"].pop("beta"),
     r"generative\.models\.vae: .* is invalid; expected type object, keys \[.*'beta'\]"),
    (lambda c: c["generative"]["models"].update(pixelcnn={}), r"generative\.models: unknown key \('pixelcnn'"),
    (lambda c: c["datasets"].update(mine={"source": "folder", "test_fraction": 0.2, "image_size": 32, "channels": 3}),
     r"datasets\.mine: .* is invalid; expected keys \['path'\] or keys \['url', 'sha256'\]"),
])
def test_bad_generative_settings_give_one_line_naming_the_field(config, change, message):
    config = copy.deepcopy(config)
    change(config)
    with pytest.raises(ConfigError, match=message) as error:
        validate_config(config, SCHEMA)
    assert "\n" not in str(error.value)


def test_a_folder_dataset_and_a_class_filter_are_valid(config):
    config["datasets"]["mine"] = {"source": "folder", "url": "https://example.org/photos.zip", "sha256": "a" * 64,
                                  "test_fraction": 0.2, "image_size": 64, "channels": 3}
    config["generative"].update(dataset="mine", image_size=32, channels=3, classes=["cats", 2])
    validate_config(config, SCHEMA)
    validate_config(yaml.safe_load((ROOT / "config" / "generative_full.yaml").read_text()) | {
        k: v for k, v in config.items() if k != "generative"}, SCHEMA)
