"""Task 2's table and figures from the files the generative jobs wrote (the file-reading edge of
``plots.generative``)."""

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from arithgen.data.datasets import load_dataset
from arithgen.evaluation.sample_quality import MEASURES
from arithgen.io import read_json
from arithgen.plots.generative import (
    MODEL_NAMES,
    model_sort_key,
    plot_interpolations,
    plot_latent_attributes,
    plot_latent_map,
    plot_memorisation,
    plot_progress,
    plot_reconstructions,
    plot_samples,
    plot_training,
)
from arithgen.report.tables import COUNT_COLUMNS, write_table

TABLE_COLUMNS = ["model", "n_train", "n_generated", "steps", "epochs", "train_seconds", "parameters", "latent_dim",
                 *MEASURES, "reconstruction_mse", "elbo", "median_nn_distance", "nn_distance_ratio",
                 "near_copy_fraction", "feature_network_accuracy"]
# Decimals each metric is written with; the counts (``tables.COUNT_COLUMNS``) and train_seconds stay numbers,
# which the table writers format themselves.
DECIMALS = {"fid": 3, "precision": 4, "recall": 4, "density": 3,
            "coverage": 4, "confident_rate": 4, "reconstruction_mse": 5, "elbo": 2, "median_nn_distance": 4,
            "nn_distance_ratio": 3, "near_copy_fraction": 4, "feature_network_accuracy": 4}


def _by_model(paths):
    """{model: path} from per-model paths results/generative/{model}/..., in report order."""
    found = {Path(path).parent.name: path for path in paths}
    return {model: found[model] for model in sorted(found, key=model_sort_key)}


# --- table ----------------------------------------------------------------------------------------------


def generative_table(metric_paths, reference_path, history_paths):
    """One row per model plus the floor row (real training images in place of samples, scored as a model is,
    by the feature network whose test accuracy that row gives); CSV numbers rounded for reading."""
    histories = {model: pd.read_csv(path) for model, path in _by_model(history_paths).items()}
    reference = read_json(reference_path)
    rows = [{"model": MODEL_NAMES["real"], "n_train": reference["n_train"], "n_generated": reference["n_fid_images"],
             **{name: reference.get(name) for name in MEASURES},
             "median_nn_distance": reference["test_median_nn_distance"], "nn_distance_ratio": 1.0,
             "feature_network_accuracy": reference.get("classifier_test_accuracy")}]
    for model, path in _by_model(metric_paths).items():
        metrics = read_json(path)
        seconds = float(histories[model]["seconds"].iloc[-1]) if model in histories else None
        rows.append({**{k: metrics.get(k) for k in TABLE_COLUMNS}, "model": MODEL_NAMES.get(model, model),
                     "train_seconds": seconds})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["train_seconds"] = pd.to_numeric(table["train_seconds"]).round(1)
    for column in COUNT_COLUMNS.intersection(TABLE_COLUMNS):
        table[column] = pd.to_numeric(table[column]).round().astype("Int64")
    for column, digits in DECIMALS.items():
        # Written as text, blank where a model has no such metric (the GAN has no reconstructions).
        table[column] = [("" if value is None or pd.isna(value) else f"{value:.{digits}f}") for value in table[column]]
    return table.loc[:, [c for c in table.columns if not (table[c].astype(str) == "").all()]]


def write_generative_table(metric_paths, reference_path, history_paths, outputs):
    write_table(generative_table(metric_paths, reference_path, history_paths), outputs["csv"],
                outputs["markdown"], outputs["latex"])


def progress_grids(folder):
    """[(step, picture)] of the preview grids a training job saved, in step order."""
    paths = sorted(Path(folder).glob("step_*.png"))
    return [(int(p.stem.split("_")[1]), np.asarray(Image.open(p).convert("RGB"))) for p in paths]


def generative_figures(example_paths, metric_paths, history_paths, progress_dirs, reference_path, data_path,
                       info_path, outputs, pdf=True):
    """Samples, interpolations, training curves, memorisation and progress figures of every model."""
    info = read_json(info_path)
    examples = {m: np.load(p) for m, p in _by_model(example_paths).items()}
    metrics = {m: read_json(p) for m, p in _by_model(metric_paths).items()}
    real = load_dataset(data_path)["x_test"]
    plot_samples(examples, real, info, outputs["samples"], pdf=pdf)
    plot_interpolations(examples, info, outputs["interpolations"], pdf=pdf)
    plot_training({m: pd.read_csv(p) for m, p in _by_model(history_paths).items()}, outputs["training"], pdf=pdf)
    plot_memorisation(examples, metrics, np.load(reference_path)["test_nn_distances"], info,
                      outputs["memorisation"], pdf=pdf)
    plot_progress({Path(d).parent.name: progress_grids(d) for d in sorted(progress_dirs, key=lambda d: model_sort_key(
        Path(d).parent.name))}, outputs["progress"], pdf=pdf)


def reconstruction_figure(example_paths, info_path, outputs, pdf=True):
    plot_reconstructions({m: np.load(p) for m, p in _by_model(example_paths).items()}, read_json(info_path),
                         outputs["reconstructions"], pdf=pdf)


def latent_figures(vae_examples_path, info_path, outputs, pdf=True):
    vae, info = np.load(vae_examples_path), read_json(info_path)
    plot_latent_map(vae, info, outputs["latent_map"], pdf=pdf)
    plot_latent_attributes(vae, info, outputs["latent_attributes"], pdf=pdf)
