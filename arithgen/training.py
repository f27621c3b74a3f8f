"""Training loop shared by the sequence tasks: recipe -> compiled model -> fit -> history.

A recipe is ``{epochs, batch_size, learning_rate, schedule, patience}``. The weights kept are
those of the best validation epoch: exact-match can fall back by several points from one epoch
to the next, so the last epoch is not the best one to report.
"""

import time

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import ops


def configure_tensorflow(threads, seed):
    """Pin TensorFlow's thread pools to the job's cores and make every op deterministic.

    Must run before TensorFlow executes anything. Parallel Snakemake jobs with one thread each
    use two cores better than one job with two threads (measured: ~20k vs ~12k samples/s).
    """
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def exact_match(y_true, y_pred):
    """Per-sample 1.0 when every answer position's argmax is right: (N, T) ids vs (N, T, K) scores."""
    correct = ops.equal(ops.argmax(y_pred, axis=-1), ops.cast(y_true, "int64"))
    return ops.cast(ops.all(correct, axis=-1), "float32")


def learning_rate(recipe, steps_per_epoch):
    if recipe["schedule"] == "cosine":
        return keras.optimizers.schedules.CosineDecay(
            recipe["learning_rate"], decay_steps=recipe["epochs"] * steps_per_epoch, alpha=0.01)
    return recipe["learning_rate"]


class KeepBest(keras.callbacks.Callback):
    """Remember the best validation epoch (exact-match, then loss), restore it at the end,
    and stop after ``patience`` epochs without improvement (0: never stop early)."""

    def __init__(self, patience):
        super().__init__()
        self.patience = patience
        self.best_score = None
        self.best_weights = None
        self.best_epoch = -1

    def on_epoch_end(self, epoch, logs):
        score = (logs["val_exact_match"], -logs["val_loss"])
        if self.best_score is None or score > self.best_score:
            self.best_score, self.best_epoch = score, epoch
            self.best_weights = self.model.get_weights()
        elif self.patience and epoch - self.best_epoch >= self.patience:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class EpochLog(keras.callbacks.Callback):
    """Collect one history row per epoch, with the learning rate and cumulative wall time."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs):
        optimizer = self.model.optimizer
        rate = optimizer.learning_rate
        self.rows.append({"epoch": epoch + 1, **{k: float(v) for k, v in logs.items()},
                          "learning_rate": float(ops.convert_to_numpy(rate)),
                          "seconds": time.perf_counter() - self.start})


def train(model, x_train, y_train, x_val, y_val, recipe, callbacks=()):
    """Compile and fit ``model``; return (history DataFrame, index of the kept epoch)."""
    steps_per_epoch = int(np.ceil(len(x_train) / recipe["batch_size"]))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate(recipe, steps_per_epoch)),
                  loss="sparse_categorical_crossentropy", metrics=[exact_match])
    keep_best, log = KeepBest(recipe["patience"]), EpochLog()
    model.fit(x_train, y_train, batch_size=recipe["batch_size"], epochs=recipe["epochs"],
              validation_data=(x_val, y_val), callbacks=[keep_best, log, *callbacks], verbose=2)
    columns = ["epoch", "loss", "exact_match", "val_loss", "val_exact_match", "learning_rate", "seconds"]
    return pd.DataFrame(log.rows)[columns], keep_best.best_epoch
