"""Task 2 jobs before evaluation: prepare the images, train one generative model (CAE, VAE or GAN).

``model_settings`` is one entry of the config's ``generative.models`` with ``conv_filters`` filled
in: ``latent_dim``, ``steps`` (optimizer steps, whatever the dataset's size), ``batch_size``,
``learning_rate`` and the model's own keys (``beta``; ``label_smoothing``, ``beta_1``, ``dropout``,
``upsampling``).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from arithgen.data.datasets import load_dataset, save_dataset
from arithgen.data.generative import class_count, class_indices, prepare_generative_data, to_unit
from arithgen.io import atomic_path, read_json, write_json
from arithgen.mosaic import save_png, tile
from arithgen.tasks.step_training import batch_indices, batches, fit_in_chunks

PREVIEW = 16  # images in each progress grid


def prepare(images_path, provenance_path, dataset, settings, seed, outputs):
    """Write ``results/generative/data.npz`` and its description ``data.json``."""
    arrays, info = prepare_generative_data(load_dataset(images_path), read_json(provenance_path), dataset,
                                           settings, seed)
    print(f"{info['n_train']} train and {info['n_test']} test images of shape {info['image_shape']}, "
          f"classes {info['class_names']}", flush=True)
    save_dataset(arrays, outputs["data"])
    write_json(info, outputs["info"])
    return info


def image_batches(model, images, labels, batch_size, seed):
    """``dataset_for(first, last)``: batches of uint8 ``images`` scaled to the model's input range, with
    their class indices ``labels`` (see ``GenerativeMixin.fit_targets``)."""
    import tensorflow as tf

    low, high = model.input_range

    def transform(batch, batch_labels):
        scaled = tf.cast(batch, tf.float32) * ((high - low) / 255.0) + low
        return model.fit_targets(scaled, batch_labels)

    return lambda first, last: batches([images, labels], transform,
                                       batch_indices(len(images), first, last, batch_size, seed))


def preview(model, fixed_images, fixed_codes):
    """PREVIEW images in [0, 1] showing the model now (see ``GenerativeMixin.preview_kind``)."""
    if model.preview_kind == "reconstructions":
        return model.reconstruct(fixed_images)
    return model.decode(fixed_codes)


def train_model(name, data_path, info_path, model_settings, sample_every, seed, threads, outputs,
                checkpoint_dir=None):
    """Train one generative model for ``model_settings["steps"]`` optimizer steps; write its weights,
    its history (one row per ``sample_every`` steps: step, images seen, passes over the data, wall
    seconds, mean losses) and a preview grid per row into ``outputs["progress"]``. With
    ``checkpoint_dir``, a killed job resumes where its last chunk ended."""
    from arithgen import training
    from arithgen.checkpoint import Checkpoint, fingerprint
    from arithgen.models.builders import build_model

    training.configure_tensorflow(threads, seed)
    data, info = load_dataset(data_path), read_json(info_path)
    images, invert = data["x_train"], info["invert_for_display"]
    model = build_model(name, {**model_settings, "classes": class_count(info)}, images.shape[1:], seed)
    rng = np.random.default_rng([seed, 1])
    fixed_images, fixed_codes = to_unit(data["x_test"][:PREVIEW]), model.prior(PREVIEW, rng)
    progress = Path(outputs["progress"])
    progress.mkdir(parents=True, exist_ok=True)
    batch_size, steps = model_settings["batch_size"], model_settings["steps"]

    def on_chunk(step, row):
        grid = tile(preview(model, fixed_images, fixed_codes), 4, invert=invert)
        save_png(grid, progress / f"step_{step:06d}.png", scale=2, invert=invert)
        return {"images_seen": step * batch_size, "epoch": step * batch_size / len(images)}

    checkpoint = None
    if checkpoint_dir:
        run_id = fingerprint(name, model_settings, sample_every, seed, info)
        checkpoint = Checkpoint(checkpoint_dir, run_id)
    dataset_for = image_batches(model, images, class_indices(data["y_train"], info), batch_size, seed)
    rows = fit_in_chunks(model, model.training_variables(), dataset_for, steps, sample_every, checkpoint, on_chunk)
    model.after_training(model.scale(images))
    with atomic_path(outputs["weights"]) as tmp:
        model.save_weights(tmp)
    with atomic_path(outputs["history"]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)
    if checkpoint:
        checkpoint.clear()
    return rows


def load_trained(name, model_settings, image_shape, seed, weights_path, classes=1):
    """The model ``train_model`` saved, ready to encode, decode and sample; ``classes``: the training
    data's ``class_count``."""
    from arithgen.models.builders import build_model

    model = build_model(name, {**model_settings, "classes": classes}, image_shape, seed)
    model.training_variables()  # builds the optimizers' slots, which the weights file holds too
    model.load_weights(weights_path)
    return model

