"""Training loop shared by the sequence tasks: recipe -> compiled model -> epochs -> history.

A recipe is ``{epochs, batch_size, learning_rate, schedule, patience}``. The weights kept are
those of the best validation epoch: exact-match can fall back by several points from one epoch
to the next, so the last epoch is not the best one to report.

Each epoch's data comes from ``(seed, epoch)`` alone, and the loop can checkpoint after every
epoch (``arithgen.checkpoint``): weights, optimizer state and the dropout layers' seed-generator
states together, so a job killed mid-way and started again resumes where it stopped and ends
bit-identical to a run that was never interrupted.
"""

import os
import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import ops

from arithgen.checkpoint import fingerprint, restore_variables, save_variables  # noqa: F401 -- fingerprint: the trainers' run ids
from arithgen.data.pipelines import array_batches
from arithgen.stopping import PATIENCE, stop_reason

STEPS_PER_CALL = 32


def configure_tensorflow(threads, seed):
    """Pin TensorFlow's thread pools to the job's cores and make every op deterministic.

    Must run before TensorFlow executes anything. Parallel Snakemake jobs with one thread each
    use the cores better than one job with several threads (docs/design.md#one-thread-per-job).
    """
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


@keras.saving.register_keras_serializable(package="arithgen")
def exact_match(y_true, y_pred):
    """Per-sample 1.0 when every answer position's argmax is right: (N, T) ids vs (N, T, K) scores."""
    correct = ops.equal(ops.argmax(y_pred, axis=-1), ops.cast(y_true, "int64"))
    return ops.cast(ops.all(correct, axis=-1), "float32")


def learning_rate(recipe, steps_per_epoch):
    if recipe["schedule"] == "cosine":
        return keras.optimizers.schedules.CosineDecay(
            recipe["learning_rate"], decay_steps=recipe["epochs"] * steps_per_epoch, alpha=0.01)
    return recipe["learning_rate"]


def optimizer(recipe, steps_per_epoch):
    """Adam, or AdamW when the recipe sets ``weight_decay`` (it keeps a model trained on a few thousand
    queries from memorising them: docs/design.md#small-fraction-recipe)."""
    rate = learning_rate(recipe, steps_per_epoch)
    if recipe.get("weight_decay"):
        return keras.optimizers.AdamW(rate, weight_decay=recipe["weight_decay"])
    return keras.optimizers.Adam(rate)


def epoch_order(count, seed, epoch):
    """The order of the training samples in ``epoch``: a permutation seeded by (seed, epoch) alone."""
    return np.random.default_rng([seed, epoch]).permutation(count)


def train(model, x_train, y_train, x_val, y_val, recipe, seed=0, checkpoint=None, callbacks=()):
    """Fit ``model`` on arrays, in a (seed, epoch)-seeded order each epoch; see ``fit_epochs``."""
    def epoch_data(epoch):
        order = epoch_order(len(x_train), seed, epoch)
        return x_train[order], y_train[order]

    return fit_epochs(model, epoch_data, (x_val, y_val), recipe, len(x_train), checkpoint=checkpoint,
                      callbacks=callbacks)


def history_columns(metrics):
    return ["epoch", "loss", *metrics, "val_loss", *(f"val_{m}" for m in metrics), "learning_rate", "seconds"]


def training_variables(model):
    """Everything an epoch of training changes: weights, the optimizer's slots and step count,
    and the seed generators' states (dropout masks). Restoring them all continues a run exactly."""
    return [*model.variables, *model.optimizer.variables]


def restore_training(model, folder):
    """Restore a checkpoint ``folder`` into ``model``; return the best epoch's weights (arrays)."""
    restore_variables(Path(folder) / "best.npz", model.weights)
    best_weights = model.get_weights()
    restore_variables(Path(folder) / "training.npz", training_variables(model))
    return best_weights


def checkpoint_writer(model, best_weights, improved, previous):
    """write(folder) for ``Checkpoint.save``: the training state, and the best weights (a hard
    link to the previous step's file when they have not changed, so they cost no second write)."""
    def write(folder):
        save_variables(folder / "training.npz", training_variables(model))
        if not improved and previous is not None:
            try:
                os.link(previous / "best.npz", folder / "best.npz")
                return
            except OSError:
                pass
        save_variables(folder / "best.npz", best_weights)
    return write


def folder_megabytes(folder):
    return sum(path.stat().st_size for path in Path(folder).iterdir()) / 1e6


def as_batches(data, batch_size):
    """``(x, y)`` arrays -> their batches in order (``arithgen.data.pipelines``); a dataset as it is."""
    return array_batches(data, batch_size) if isinstance(data, tuple) else data


def fit_epochs(model, epoch_data, validation_data, recipe, train_count, checkpoint=None, callbacks=(),
               loss="sparse_categorical_crossentropy", metrics=(exact_match,), loss_weights=None):
    """Fit ``model`` epoch by epoch; return (history DataFrame, index of the kept epoch); ``stopping``
    turns them into why it stopped.

    ``epoch_data(epoch)``: that epoch's training data, ``(x, y)`` arrays in the order to use or a
    ``tf.data.Dataset`` of batches (which then sets the batch size itself); it must depend on
    nothing but the epoch, so a resumed run sees the same data. ``validation_data``: ``(x, y)`` or a
    dataset. ``train_count``: training samples per epoch (for the learning-rate schedule).
    The kept epoch is the best by the first metric on validation data, ties broken by the
    validation loss; without metrics, by the validation loss alone.
    ``loss`` and ``loss_weights``: as for ``keras.Model.compile`` (dicts for a model with named outputs).
    ``checkpoint``: an ``arithgen.checkpoint.Checkpoint``; when it holds this run, training resumes
    from it, and every finished epoch is saved to it.
    The model is left with the kept epoch's weights.
    """
    steps_per_epoch = int(np.ceil(train_count / recipe["batch_size"]))
    validation_data = as_batches(validation_data, recipe["batch_size"])
    # Several steps per call into TensorFlow: the same updates in the same order, with less overhead per
    # step for small recurrent models (docs/design.md#unrolled-recurrent-layers).
    model.compile(optimizer=optimizer(recipe, steps_per_epoch), loss=loss, loss_weights=loss_weights,
                  metrics=list(metrics) or None, steps_per_execution=STEPS_PER_CALL)
    names = [getattr(m, "__name__", m) for m in metrics]
    # A model with named outputs also logs each output's own loss.
    columns = history_columns(names + ([f"{output}_loss" for output in loss] if isinstance(loss, dict) else []))
    model.optimizer.build(model.trainable_variables)  # its variables exist before anything is restored
    state = {"epochs_done": 0, "best_epoch": -1, "best_score": None, "rows": []}
    best_weights, variables = [], training_variables(model)
    initial = [ops.convert_to_numpy(v) for v in variables]
    resumed = checkpoint.load(read=lambda folder: best_weights.extend(restore_training(model, folder))) \
        if checkpoint else None
    if not resumed:  # a damaged checkpoint may have been half restored: start from the initial state
        for variable, value in zip(variables, initial):
            variable.assign(value)
    else:  # weights, optimizer moments and step count, dropout seeds: all as the epoch left them
        state = resumed[1]
        print(f"resuming after epoch {state['epochs_done']} from {checkpoint.folder}", flush=True)

    clock_start = time.perf_counter() - (state["rows"][-1]["seconds"] if state["rows"] else 0.0)
    for epoch in range(state["epochs_done"], recipe["epochs"]):
        # Checked before an epoch, not after, so a run resumed after its last epoch stops too.
        if stop_reason(recipe, epoch, state["best_epoch"]) == PATIENCE:
            break
        data = epoch_data(epoch)
        logs = model.fit(as_batches(data, recipe["batch_size"]), epochs=epoch + 1, initial_epoch=epoch, shuffle=False,
                         validation_data=validation_data, callbacks=list(callbacks), verbose=2).history
        row = {"epoch": epoch + 1, **{k: float(v[-1]) for k, v in logs.items()},
               "learning_rate": float(ops.convert_to_numpy(model.optimizer.learning_rate)),
               "seconds": time.perf_counter() - clock_start}
        state["rows"].append({k: row[k] for k in columns})
        score = [row[f"val_{names[0]}"], -row["val_loss"]] if names else [-row["val_loss"]]
        improved = state["best_score"] is None or score > state["best_score"]
        if improved:
            state["best_score"], state["best_epoch"] = score, epoch
            best_weights = model.get_weights()
        state["epochs_done"] = epoch + 1
        if checkpoint:
            started = time.perf_counter()
            checkpoint.save(state, checkpoint_writer(model, best_weights, improved, checkpoint.latest))
            print(f"epoch {epoch + 1}: checkpoint saved in {time.perf_counter() - started:.3f} s "
                  f"({folder_megabytes(checkpoint.latest):.2f} MB)", flush=True)

    model.set_weights(best_weights)
    return pd.DataFrame(state["rows"], columns=columns), state["best_epoch"]
