"""The digit reader: a small CNN that reads one character image as one of the 13 symbols.

Trained on the train pool only (the digit dataset's train images minus the validation writers,
train glyphs, blanks), each epoch on freshly shifted copies; the epoch kept is the best on the
validation pool, and the score reported is on the test pool, which no image model trains on.
It measures the image tasks: the img2text reader estimate and text2img readability.
"""

import numpy as np

from arithgen.checkpoint import Checkpoint
from arithgen.data.datasets import load_dataset
from arithgen.data.download import sha256_of
from arithgen.data.pipelines import predict_in_batches
from arithgen.data.queries import ALPHABET
from arithgen.data.symbols import shifted
from arithgen.io import atomic_path, write_json


def reader_accuracy(predicted, symbols):
    """{accuracy, digit_accuracy, by_symbol: {symbol: accuracy}} for predicted vs true symbol ids (N,)."""
    predicted, symbols = np.asarray(predicted), np.asarray(symbols)
    digits = symbols < 10
    return {"accuracy": float(np.mean(predicted == symbols)),
            "digit_accuracy": float(np.mean(predicted[digits] == symbols[digits])),
            "by_symbol": {ALPHABET[s]: float(np.mean(predicted[symbols == s] == s)) for s in np.unique(symbols)}}


def random_shifts(count, max_shift, rng):
    return rng.integers(-max_shift, max_shift + 1, size=(count, 2))


def run(pools_path, settings, max_shift, seed, threads, outputs, checkpoint_dir=None):
    """Train the reader (``settings``: filters, features, dropout, epochs, batch_size, learning_rate)
    on images shifted by up to ``max_shift`` pixels; write ``outputs`` model and metrics.
    ``checkpoint_dir``: where per-epoch checkpoints go, so a killed job resumes."""
    from arithgen import training
    from arithgen.models.classifier import build_classifier

    training.configure_tensorflow(threads, seed)
    pools = load_dataset(pools_path)
    x = {pool: pools[f"{pool}_images"] for pool in ("train", "validation", "test")}
    y = {pool: pools[f"{pool}_symbols"] for pool in ("train", "validation", "test")}
    scaled = {pool: x[pool][..., None] / np.float32(255) for pool in ("validation", "test")}
    reader = build_classifier((*x["train"].shape[1:], 1), len(ALPHABET), settings["filters"], settings["features"],
                              settings["dropout"], name="digit_reader")

    def epoch_data(epoch):  # fresh shifts every epoch, from (seed, epoch) alone
        rng = np.random.default_rng([seed, epoch])
        order = rng.permutation(len(y["train"]))
        moved = shifted(x["train"][order], random_shifts(len(order), max_shift, rng))[..., None] / np.float32(255)
        return moved, y["train"][order]

    recipe = {**{key: settings[key] for key in ("epochs", "batch_size", "learning_rate")},
              "schedule": "constant", "patience": 0}
    checkpoint = None
    if checkpoint_dir:
        run_id = training.fingerprint(settings, max_shift, seed, sha256_of(pools_path))
        checkpoint = Checkpoint(checkpoint_dir, run_id)
    history, best_epoch = training.fit_epochs(reader, epoch_data, (scaled["validation"], y["validation"]), recipe,
                                              len(y["train"]), checkpoint=checkpoint, metrics=("accuracy",))
    predicted = predict_in_batches(reader, scaled["test"], 2048).argmax(axis=-1)
    metrics = {"task": "digit_reader", "n_train": int(len(y["train"])), "n_test": int(len(y["test"])),
               **reader_accuracy(predicted, y["test"]),
               "validation_accuracy": float(history["val_accuracy"].iloc[best_epoch]),
               "epochs": settings["epochs"], "best_epoch": best_epoch + 1, "parameters": reader.count_params()}
    with atomic_path(outputs["model"]) as tmp:
        reader.save(tmp)
    write_json(metrics, outputs["metrics"])
    if checkpoint:
        checkpoint.clear()
    return metrics
