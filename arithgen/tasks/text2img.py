"""The text2img jobs: train a model that draws the answer of a text query as 28x28 images, then
evaluate what it draws with the digit reader and against real renderings of the answer."""

import numpy as np

from arithgen.checkpoint import Checkpoint
from arithgen.data import queries
from arithgen.data.download import sha256_of
from arithgen.data.image_sequences import TEST_STREAM, VALIDATION_STREAM, QueryImageBatches, batch_dataset
from arithgen.data.queries import ALPHABET
from arithgen.data.splits import split_sizes
from arithgen.evaluation.images import gradient_energy, pixel_errors, readability
from arithgen.io import atomic_path, write_json
from arithgen.predict import load_model
from arithgen.stopping import stopping
from arithgen.tasks.img2text import epoch_batches
from arithgen.tasks.symbol_images import image_test_queries, load_pool, read_symbols

SAMPLE_QUERIES = 16  # test queries whose images are kept for the figure


def train(split_path, pools_path, query_settings, architecture, image_net, recipe, symbol_loss_weight, seed,
          threads, outputs, checkpoint_dir=None):
    """Train on training queries whose answers are drawn with train-pool images (fresh every
    epoch, never shifted: the model should draw centred digits), minimising per-pixel binary
    cross-entropy plus ``symbol_loss_weight`` times the answer symbols' cross-entropy; write
    ``outputs`` model and history."""
    from arithgen import training
    from arithgen.models.image_seq2seq import IMAGES_OUTPUT, SYMBOLS_OUTPUT, build_text2img

    training.configure_tensorflow(threads, seed)
    max_int = query_settings["max_int"]
    split = np.load(split_path)
    pool = load_pool(pools_path, "train")
    validation = batch_dataset(QueryImageBatches(split["validation"], query_settings,
                                                 load_pool(pools_path, "validation"), seed, VALIDATION_STREAM,
                                                 recipe["batch_size"], "text2img"))
    model = build_text2img(queries.query_length(max_int), queries.answer_length(max_int), architecture, image_net)
    checkpoint = None
    if checkpoint_dir:
        run_id = training.fingerprint(architecture, image_net, recipe, symbol_loss_weight, seed, query_settings,
                                      sha256_of(split_path), sha256_of(pools_path))
        checkpoint = Checkpoint(checkpoint_dir, run_id)
    history, best_epoch = training.fit_epochs(
        model, epoch_batches(split["train"], query_settings, pool, seed, recipe["batch_size"], "text2img"),
        validation, recipe, len(split["train"]), checkpoint=checkpoint, metrics=(),
        loss={IMAGES_OUTPUT: "binary_crossentropy", SYMBOLS_OUTPUT: "sparse_categorical_crossentropy"},
        loss_weights={IMAGES_OUTPUT: 1.0, SYMBOLS_OUTPUT: symbol_loss_weight})
    with atomic_path(outputs["model"]) as tmp:
        model.save(tmp)
    with atomic_path(outputs["history"]) as tmp:
        history.to_csv(tmp, index=False)
    if checkpoint:
        checkpoint.clear()
    return history, best_epoch


def class_mean_images(pool):
    """(13, 28, 28, 1) float32: the mean image of each symbol in ``pool`` (``SymbolImages``)."""
    return np.stack([pool.images[m].mean(axis=0) / 255 for m in pool.members]).astype(np.float32)[..., None]


def evaluate(model_path, reader_path, split_path, pools_path, query_settings, eval_size, seed, threads, outputs,
             labels, history_path, recipe):
    """Draw the answers of the test queries and score them (``outputs`` metrics and samples):

    - readability: the reader's reading of the drawn answers vs the true answers (and, as the
      ceiling, its reading of real renderings of the true answers from the test pool), beside
      the exact match of the answer the symbol head writes (is the arithmetic or the drawing wrong?);
    - pixel BCE / MAE against a real rendering;
    - sharpness (mean gradient energy) of drawn, real, and per-class mean images at the answer's
      ink positions (everything but spaces).
    ``seed``: the run seed (the test images drawn); ``recipe``: the training recipe (its epoch cap and
    patience say why the history ends where it does).
    """
    import pandas as pd

    from arithgen import training

    training.configure_tensorflow(threads, seed)
    model, reader = load_model(model_path), load_model(reader_path)
    pool = load_pool(pools_path, "test")
    means = class_mean_images(pool)
    test_indices = image_test_queries(split_path, eval_size)
    batches = QueryImageBatches(test_indices, query_settings, pool, seed, TEST_STREAM, 1024, "text2img")
    read_drawn, read_real, written, truth = [], [], [], []
    bce, mae, energy = [], [], {"drawn": [], "real": [], "class_mean": []}
    for index in range(len(batches)):
        query_tokens, targets = batches[index]
        real, answer_tokens = targets["answer_images"], targets["answer_symbols"]
        predicted = model.predict_on_batch(query_tokens)
        drawn = predicted["answer_images"]
        written.append(predicted["answer_symbols"].argmax(axis=-1))
        read_drawn.append(read_symbols(reader, drawn))
        read_real.append(read_symbols(reader, real))
        truth.append(answer_tokens)
        batch_bce, batch_mae = pixel_errors(drawn, real)
        bce.append(batch_bce * len(drawn))
        mae.append(batch_mae * len(drawn))
        ink = answer_tokens != ALPHABET.index(" ")
        for name, images in (("drawn", drawn), ("real", real), ("class_mean", means[answer_tokens])):
            energy[name].append(gradient_energy(images[ink]))
        if index == 0:
            samples = {"query_indices": test_indices[:SAMPLE_QUERIES], "drawn": drawn[:SAMPLE_QUERIES],
                       "real": real[:SAMPLE_QUERIES]}
    read_drawn, read_real, written, truth = map(np.concatenate, (read_drawn, read_real, written, truth))
    history = pd.read_csv(history_path)
    best = int(history["val_loss"].idxmin())
    metrics = {**labels, "seed": seed, **split_sizes(np.load(split_path)),
               **readability(read_drawn, truth),
               "real_readability": readability(read_real, truth)["readability"],
               "symbol_exact_match": readability(written, truth)["readability"],
               "pixel_bce": float(np.sum(bce) / len(truth)), "pixel_mae": float(np.sum(mae) / len(truth)),
               "sharpness": {name: float(np.concatenate(values).mean()) for name, values in energy.items()},
               "epochs": len(history), "best_epoch": best + 1, **stopping(recipe, history, best),
               "parameters": model.count_params()}
    with atomic_path(outputs["samples"]) as tmp, open(tmp, "wb") as stream:
        np.savez_compressed(stream, **samples)
    write_json(metrics, outputs["metrics"])
    return metrics
