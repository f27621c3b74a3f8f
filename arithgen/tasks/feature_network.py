"""Task 2's measuring instrument: train the feature network and score real against real.

The network learns the dataset's classes where it has at least two, else the rotation task
(Gidaris et al., 2018: which multiple of 90 degrees an image was turned by), for a fixed number
of optimizer steps with checkpoints (``tasks.step_training``). Its ``features`` layer is where FID,
precision/recall and density/coverage compare images; its probabilities give the confident rate.
"""

import numpy as np

from arithgen.data.datasets import load_dataset
from arithgen.data.generative import to_unit
from arithgen.data.pipelines import array_batches
from arithgen.evaluation.memorisation import nearest_neighbours
from arithgen.evaluation.precision_recall import confident_rate
from arithgen.evaluation.sample_quality import confident_column, features_and_probabilities, quality_metrics
from arithgen.io import atomic_path, read_json, write_json
from arithgen.tasks.step_training import batch_indices, batches, fit_in_chunks


def rotation_task(images, rng):
    """Unlabelled images -> (each rotated by a random multiple of 90 degrees, that multiple 0..3):
    a self-supervised task whose classifier learns the data's shapes (Gidaris et al., 2018)."""
    turns = rng.integers(0, 4, len(images))
    rotated = np.stack([np.rot90(image, k, axes=(0, 1)) for image, k in zip(images, turns)])
    return rotated, turns.astype(np.int64)


def classifier_task(data, info, seed):
    """(x_train, y_train, x_test, y_test, task) the network learns: the dataset's classes (task
    "labels") where there are at least two, else the rotation task (task "rotation")."""
    if info["labelled"]:
        index = {label: i for i, label in enumerate(info["classes"])}
        to_index = np.vectorize(index.__getitem__, otypes=[np.int64])
        return data["x_train"], to_index(data["y_train"]), data["x_test"], to_index(data["y_test"]), "labels"
    rng = np.random.default_rng([seed, 2])
    # Every image in all four turns, so the network sees each one upright, and the test is balanced.
    x_train, y_train = all_rotations(data["x_train"])
    x_test, y_test = rotation_task(data["x_test"], rng)
    return x_train, y_train, x_test, y_test, "rotation"


def all_rotations(images):
    """Images (N, H, W, C) -> (4N images: each turned 0, 1, 2, 3 quarter turns, their turn counts)."""
    turned = np.concatenate([np.rot90(images, k, axes=(1, 2)) for k in range(4)])
    return turned, np.repeat(np.arange(4, dtype=np.int64), len(images))


def reference_subset(count, n, seed):
    """Indices of min(n, count) training images, the same for every model (seeded)."""
    return np.sort(np.random.default_rng([seed, 3]).choice(count, min(n, count), replace=False))


def train_feature_network(data_path, info_path, settings, seed, threads, outputs, checkpoint_dir=None):
    """Train the feature network; score the real-vs-real reference (as many real training images as
    each model generates, against the real test images) and the real test images' distances to
    their nearest training image (the memorisation reference).

    ``settings``: the config's ``generative.fid`` (``steps``, ``batch_size``, ``learning_rate``,
    ``filters``, ``feature_dim``, ``n_generated``). Writes ``classifier`` (.keras), ``reference``
    (.npz: test features, test nearest-train distances) and ``metrics`` (JSON, ``model: real``).
    """
    import keras
    import tensorflow as tf

    from arithgen import training
    from arithgen.checkpoint import Checkpoint, fingerprint
    from arithgen.models import feature_network

    training.configure_tensorflow(threads, seed)
    data, info = load_dataset(data_path), read_json(info_path)
    x_train, y_train, x_test, y_test, task = classifier_task(data, info, seed)
    n_classes = int(max(y_train.max(), y_test.max())) + 1
    network = feature_network.build_feature_network(x_train.shape[1:], n_classes, tuple(settings["filters"]),
                                                    settings["feature_dim"])
    steps, batch_size = settings["steps"], settings["batch_size"]
    rate = keras.optimizers.schedules.CosineDecay(settings["learning_rate"], steps, alpha=0.01)
    network.compile(optimizer=keras.optimizers.Adam(rate), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    network.optimizer.build(network.trainable_variables)
    variables = list(network.variables) + list(network.optimizer.variables)

    def dataset_for(first, last):
        indices = batch_indices(len(x_train), first, last, batch_size, seed)
        return batches([x_train, y_train], lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), indices)

    checkpoint = Checkpoint(checkpoint_dir, fingerprint("feature_network", settings, seed, info)) \
        if checkpoint_dir else None
    fit_in_chunks(network, variables, dataset_for, steps, settings.get("chunk_steps", steps), checkpoint)
    _, accuracy = network.evaluate(array_batches((to_unit(x_test), y_test), 1000), verbose=0)

    scorer = feature_network.features_and_probabilities(network)
    train_images, test_images = to_unit(data["x_train"]), to_unit(data["x_test"])
    test_features, test_probabilities = features_and_probabilities(scorer, test_images)
    subset = reference_subset(len(train_images), settings["n_generated"], seed)
    train_features, _ = features_and_probabilities(scorer, train_images[subset])
    test_distances, _ = nearest_neighbours(test_images, train_images)

    with atomic_path(outputs["classifier"]) as tmp:
        network.save(tmp)
    with atomic_path(outputs["reference"]) as tmp, open(tmp, "wb") as stream:
        np.savez(stream, test_features=test_features, test_nn_distances=test_distances)
    reference = quality_metrics(test_features, train_features, test_probabilities, task)
    metrics = {
        "task": "generative", "model": "real", "dataset": info["dataset"],
        "n_train": info["n_train"], "n_test": info["n_test"],
        "classifier_task": task, "classifier_classes": n_classes,
        "classifier_test_accuracy": float(accuracy), "classifier_steps": steps,
        # Complete passes over its training examples (images, or images x 4 turns for the rotation task).
        "classifier_epochs": steps * batch_size // len(x_train),
        "feature_dim": settings["feature_dim"], "n_fid_images": len(subset),
        **reference,
        # The issue's yardstick for samples is the real TEST images' rate (the training subset's
        # is about the same, but the network has seen those images).
        "confident_rate": confident_rate(test_probabilities, confident_column(task)),
        "test_median_nn_distance": float(np.median(test_distances)),
    }
    write_json(metrics, outputs["metrics"])
    if checkpoint:
        checkpoint.clear()
    return metrics
