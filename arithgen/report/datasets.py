"""Dataset description for the report: a grid of sample images (one row per class) and the
number of training and test images per class."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arithgen.data.datasets import load_dataset
from arithgen.io import read_json
from arithgen.plots.style import apply_style, save_figure
from arithgen.report.tables import write_table

# Class names of releases whose labels are not the digits they show.
CLASS_NAMES = {
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
}


def class_name(dataset, label, names=None):
    """A label's name: ``names`` (a folder dataset's subfolders), the release's names, or the label."""
    names = names or CLASS_NAMES.get(dataset)
    return names[label] if names and 0 <= label < len(names) else str(label)


def sample_grid(images, labels, per_class=10):
    """The first ``per_class`` images of each class, as rows of a grid.

    images: (N, H, W) uint8; labels: (N,) int. Returns (classes (K,), grid (K, per_class, H, W));
    a class with fewer images is padded with blank (zero) images.
    """
    classes = np.unique(labels)
    grid = np.zeros((len(classes), per_class, *images.shape[1:]), dtype=images.dtype)
    for row, label in enumerate(classes):
        members = images[labels == label][:per_class]
        grid[row, :len(members)] = members
    return classes, grid


def plot_sample_grid(images, labels, path, dataset, per_class=10, pdf=False, names=None, ink_on_paper=True):
    """Draw ``per_class`` training images of each class, one row per class labelled on the left."""
    classes, grid = sample_grid(images, labels, per_class)
    apply_style()
    rows, cols = grid.shape[:2]
    names = [class_name(dataset, int(label), names) for label in classes]
    label_inches = 0.15 + 0.09 * max(len(name) for name in names)  # room for the row labels
    cell = 0.6
    fig, axes = plt.subplots(rows, cols, figsize=(cell * cols + label_inches, cell * rows), squeeze=False)
    # The title sits just above the grid; saving with a tight bounding box keeps it in the file.
    fig.subplots_adjust(left=label_inches / (cell * cols + label_inches), right=1.0, bottom=0.0, top=1.0,
                        wspace=0.06, hspace=0.06)
    for row in range(rows):
        for col in range(cols):
            ax = axes[row][col]
            # Dark ink on white paper: how digits look on a page, and readable in print.
            ax.imshow(grid[row, col], cmap="gray_r" if ink_on_paper else "gray", vmin=0, vmax=255,
                      interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
        axes[row][0].set_ylabel(names[row], rotation=0, ha="right", va="center", fontsize=13, labelpad=6)
    fig.suptitle(f"{dataset}: the first {cols} training images of each class", fontweight="bold", fontsize=13,
                 y=1.01, va="bottom")
    return save_figure(fig, path, pdf=pdf)


def class_counts_table(provenance, dataset):
    """Images per class in each split: columns ``class, train, test`` (and ``label`` where the class
    names are not the labels themselves), with a total row."""
    counts = provenance["counts"]
    labels = sorted(counts["train"], key=int)
    names = provenance.get("class_names")
    table = pd.DataFrame({"class": [class_name(dataset, int(label), names) for label in labels],
                          "label": [label for label in labels],
                          "train": [counts["train"].get(label, 0) for label in labels],
                          "test": [counts["test"].get(label, 0) for label in labels]})
    total = pd.DataFrame([{"class": "total", "label": "", "train": table["train"].sum(), "test": table["test"].sum()}])
    table = pd.concat([table, total], ignore_index=True)
    return table if dataset in CLASS_NAMES or names else table.drop(columns="label")


def dataset_description(images_path, provenance_path, dataset, outputs):
    """Write the sample grid (PNG + PDF) and the class-count table (CSV, Markdown, LaTeX)."""
    arrays, provenance = load_dataset(images_path), read_json(provenance_path)
    # Released digits and garments are light on black, shown as dark ink on paper; photos as they are.
    plot_sample_grid(arrays["x_train"], arrays["y_train"], outputs["samples"], dataset, pdf=True,
                     names=provenance.get("class_names"), ink_on_paper=provenance["source"] != "folder")
    write_table(class_counts_table(provenance, dataset),
                outputs["classes"], outputs["classes_markdown"], outputs["classes_latex"])
