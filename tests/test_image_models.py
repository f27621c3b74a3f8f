"""The image-task models: shapes and ranges, and training them on batches made on the fly."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from arithgen import training  # noqa: E402
from arithgen.data.image_sequences import VALIDATION_STREAM, QueryImageBatches, SymbolImages, batch_dataset  # noqa: E402
from arithgen.data.symbols import symbol_pools  # noqa: E402
from arithgen.models.classifier import build_classifier, feature_extractor  # noqa: E402
from arithgen.models.image_seq2seq import build_img2text, build_text2img  # noqa: E402
from arithgen.tasks.img2text import epoch_batches  # noqa: E402

SPEC = {"cell": "gru", "units": 8, "encoder_layers": 1, "decoder_layers": 1, "bidirectional": False,
        "decoder": "location", "reverse_input": True, "reverse_output": True}
SETTINGS = {"max_int": 9, "operators": ["+", "-"]}  # '3+4' -> ' 7': 3 query and 2 answer characters


@pytest.fixture(scope="module")
def pool():
    rng = np.random.default_rng(0)
    digits = {"x_train": rng.integers(0, 256, (60, 28, 28), dtype=np.uint8), "y_train": np.arange(60) % 10,
              "x_test": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), "y_test": np.arange(20) % 10}
    pools = symbol_pools(digits, 4, 0.2, seed=0)
    return SymbolImages(pools["train_images"], pools["train_symbols"])


def test_img2text_reads_image_sequences_into_symbol_probabilities():
    model = build_img2text(3, 2, SPEC, {"filters": [4, 8], "features": 6})
    out = model(np.random.default_rng(0).random((5, 3, 28, 28, 1), dtype=np.float32))
    assert out.shape == (5, 2, 13)
    np.testing.assert_allclose(np.asarray(out).sum(-1), 1, rtol=1e-5)
    # one image encoder, shared across the time steps
    assert len([layer for layer in model.layers if layer.name == "read_each_image"]) == 1


def test_text2img_draws_one_image_per_answer_character_in_0_1():
    model = build_text2img(3, 2, SPEC, {"filters": [8, 4]})
    out = model(np.array([[3, 10, 4], [9, 11, 9]], dtype="int32"))
    images, symbols = np.asarray(out["answer_images"]), np.asarray(out["answer_symbols"])
    assert images.shape == (2, 2, 28, 28, 1) and images.min() >= 0 and images.max() <= 1
    assert symbols.shape == (2, 2, 13)


def test_classifier_features_are_its_penultimate_layer():
    classifier = build_classifier((28, 28, 1), 13, filters=(4,), feature_dim=7)
    assert classifier.output_shape == (None, 13)
    assert feature_extractor(classifier).output_shape == (None, 7)


def test_fit_epochs_trains_text2img_on_generated_batches_and_keeps_the_lowest_validation_loss(pool):
    keras.utils.set_random_seed(0)
    model = build_text2img(3, 2, SPEC, {"filters": [8, 4]})
    indices = np.arange(200)
    validation = QueryImageBatches(indices[150:], SETTINGS, pool, 0, VALIDATION_STREAM, 25, "text2img")
    recipe = {"epochs": 3, "batch_size": 25, "learning_rate": 0.01, "schedule": "constant", "patience": 0}
    history, best = training.fit_epochs(
        model, epoch_batches(indices[:150], SETTINGS, pool, 0, 25, "text2img"), validation, recipe, 150, metrics=(),
        loss={"answer_images": "binary_crossentropy", "answer_symbols": "sparse_categorical_crossentropy"},
        loss_weights={"answer_images": 1.0, "answer_symbols": 0.5})
    assert list(history.columns) == ["epoch", "loss", "answer_images_loss", "answer_symbols_loss", "val_loss",
                                     "val_answer_images_loss", "val_answer_symbols_loss", "learning_rate", "seconds"]
    np.testing.assert_allclose(history["loss"], history["answer_images_loss"] + 0.5 * history["answer_symbols_loss"],
                               rtol=1e-3)
    assert best == int(history["val_loss"].idxmin())
    assert history["loss"].iloc[-1] < history["loss"].iloc[0]


def test_epoch_batches_depend_on_the_epoch_alone(pool):
    batches = epoch_batches(np.arange(100), SETTINGS, pool, seed=4, batch_size=10, direction="img2text",
                            max_shift=2)
    first, again, other = (next(iter(batches(epoch)))[0].numpy() for epoch in (3, 3, 4))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("direction", ["img2text", "text2img"])
def test_a_batch_dataset_yields_the_batches_themselves_in_order(pool, direction):
    batches = QueryImageBatches(np.arange(7, 130, 3), SETTINGS, pool, 2, 5, 16, direction,
                                max_shift=2 if direction == "img2text" else 0)
    made = list(batch_dataset(batches))
    assert len(made) == len(batches) == 3
    for index, (x, y) in enumerate(made):
        want_x, want_y = batches[index]
        np.testing.assert_array_equal(x.numpy(), want_x)
        assert x.dtype == want_x.dtype
        for got, want in zip(keras.tree.flatten(y), keras.tree.flatten(want_y)):
            np.testing.assert_array_equal(got.numpy(), want)


def test_reader_estimate_scores_hold_the_contract_keys_and_a_consistent_error_split(tmp_path):
    from arithgen.data.datasets import save_dataset
    from arithgen.tasks.reader_estimate import scores

    rng = np.random.default_rng(1)
    digits = {"x_train": rng.integers(0, 256, (60, 28, 28), dtype=np.uint8), "y_train": np.arange(60) % 10,
              "x_test": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), "y_test": np.arange(20) % 10}
    save_dataset(symbol_pools(digits, 4, 0.2, seed=0), tmp_path / "pools.npz")
    keras.utils.set_random_seed(0)
    reader = build_classifier((28, 28, 1), 13, filters=(4,), feature_dim=7)
    model = build_img2text(3, 2, SPEC, {"filters": [4], "features": 6})
    result = scores(reader, model, rng.permutation(200)[:150], SETTINGS, tmp_path / "pools.npz", seed=3)
    assert set(result) == {"n_test", "reader_estimate", "reader_estimate_ci95", "char_accuracy",
                           "exact_match_unseen_writers", "exact_match_seen_writers", "n_wrong", "n_wrong_reading",
                           "n_wrong_other"}
    assert result["n_test"] == 150
    assert result["n_wrong"] == round((1 - result["exact_match_unseen_writers"]) * 150)
    assert result["n_wrong_reading"] + result["n_wrong_other"] == result["n_wrong"]
    low, high = result["reader_estimate_ci95"]
    assert low <= result["reader_estimate"] <= high
