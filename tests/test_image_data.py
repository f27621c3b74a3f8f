"""Glyphs, symbol pools and image-sequence assembly: right images at the right places, disjoint
pools, and batches made without materialising all queries."""

import tracemalloc

import numpy as np
import pytest

from arithgen.data.encoding import from_tokens, to_tokens
from arithgen.data.glyphs import draw_glyph, draw_glyphs, draw_strokes
from arithgen.data.image_sequences import TEST_STREAM, QueryImageBatches, SymbolImages
from arithgen.data.queries import ALPHABET, queries_and_answers
from arithgen.data.symbols import shifted, symbol_pools

SETTINGS = {"max_int": 999, "operators": ["+", "-"]}


def fake_digits(rng, per_class):
    """Digit 'images' whose ink encodes their own label and a serial number, so a test can tell
    exactly which image was drawn where: pixel (0, 0) = label, pixel (0, 1) = serial."""
    labels = np.repeat(np.arange(10), per_class)
    images = np.zeros((len(labels), 28, 28), np.uint8)
    images[:, 0, 0], images[:, 0, 1] = labels, np.arange(len(labels)) % 256
    images[:, 10:18, 12:16] = 200
    return images, labels


@pytest.fixture(scope="module")
def pools():
    rng = np.random.default_rng(0)
    x_train, y_train = fake_digits(rng, 20)
    x_test, y_test = fake_digits(rng, 5)
    x_test[:, 0, 2] = 1  # marks a test image
    return symbol_pools({"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test},
                        glyphs_per_symbol=6, validation_fraction=0.25, seed=3)


def test_a_stroke_is_antialiased_and_about_two_pixels_wide():
    on_grid = draw_strokes(np.array([[[14.0, 4.0], [14.0, 24.0]]]), [2.0])[:, 14].astype(int)
    assert on_grid[13] == on_grid[14] == 255 and (on_grid > 0).sum() == 2  # exactly the two rows it covers
    off_grid = draw_strokes(np.array([[[14.25, 4.0], [14.25, 24.0]]]), [2.0])[:, 14].astype(int)
    assert off_grid[12] == 0 and off_grid[14] == 255 and off_grid[16] == 0
    assert off_grid[13] == round(0.75 * 255) and off_grid[15] == round(0.25 * 255)  # partial ink at the edges


def test_glyphs_are_seeded_jittered_and_shaped_like_their_symbol():
    minus, again = draw_glyphs("-", 5, seed=1), draw_glyphs("-", 5, seed=1)
    assert np.array_equal(minus, again)
    assert len({m.tobytes() for m in minus}) == 5  # jitter: no two alike
    plus = draw_glyphs("+", 5, seed=1)
    for image, rows_tall in ((minus, False), (plus, True)):
        ink_rows = (image > 128).any(axis=2).sum(axis=1)
        # '-' spans a few rows, '+' has a vertical stroke spanning many more
        assert (ink_rows >= 8).all() if rows_tall else (ink_rows <= 7).all()
    with pytest.raises(ValueError, match="no glyph for symbol '7'"):
        draw_glyph("7", np.random.default_rng(0))


def test_pools_hold_every_symbol_and_are_disjoint(pools):
    for pool in ("train", "validation", "test"):
        assert set(np.unique(pools[f"{pool}_symbols"])) == set(range(len(ALPHABET)))
    digits = {pool: {image.tobytes() for image, s in zip(pools[f"{pool}_images"], pools[f"{pool}_symbols"]) if s < 10}
              for pool in ("train", "validation", "test")}
    assert not digits["train"] & digits["validation"] and not digits["train"] & digits["test"]
    assert len(digits["validation"]) == 50 and len(digits["train"]) == 150  # 25% of each class held out
    glyphs = {pool: {image.tobytes() for image, s in zip(pools[f"{pool}_images"], pools[f"{pool}_symbols"])
                     if ALPHABET[s] in "+-"} for pool in ("train", "test")}
    assert not glyphs["train"] & glyphs["test"]


def test_each_position_shows_an_image_of_its_character(pools):
    pool = SymbolImages(pools["test_images"], pools["test_symbols"])
    indices = np.arange(0, 2_000_000, 9_973)
    batches = QueryImageBatches(indices, SETTINGS, pool, seed=1, stream=TEST_STREAM, batch_size=64,
                                direction="img2text")
    texts, answers = queries_and_answers(indices[:64], **SETTINGS)
    images, answer_tokens = batches[0]
    assert images.shape == (64, 7, 28, 28, 1) and images.dtype == np.float32
    assert from_tokens(answer_tokens) == answers
    chosen, _ = pool.choose(to_tokens(texts, 7), indices[:64], seed=1, stream=TEST_STREAM)
    assert (pools["test_symbols"][chosen] == to_tokens(texts, 7)).all()
    pixels = np.round(images[..., 0] * 255).astype(int)
    digit = to_tokens(texts, 7) < 10
    assert (pixels[..., 0, 0][digit] == to_tokens(texts, 7)[digit]).all()  # the label ink of the image drawn
    assert (pixels[..., 0, 2][digit] == 1).all()  # and only test-pool digits
    blank = to_tokens(texts, 7) == ALPHABET.index(" ")
    assert images[blank].max() == 0


def test_same_query_same_images_within_a_stream_fresh_ones_across_streams(pools):
    pool = SymbolImages(pools["train_images"], pools["train_symbols"])
    tokens = to_tokens(["111+111"] * 3, 7)
    same = pool.choose(tokens, [5, 5, 5], seed=1, stream=0)[0]
    assert (same == same[0]).all()
    other_epoch = pool.choose(tokens, [5, 5, 5], seed=1, stream=1)[0]
    assert not np.array_equal(same[0], other_epoch[0])


def test_shifts_move_ink_and_stay_within_bounds(pools):
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 10, 12] = 255
    assert np.argwhere(shifted(image, np.array([[2, -1]]))[0]).tolist() == [[12, 11]]
    pool = SymbolImages(pools["train_images"], pools["train_symbols"])
    _, shifts = pool.choose(to_tokens(["999-999"] * 200, 7), np.arange(200), seed=1, stream=0, max_shift=2)
    assert shifts.min() == -2 and shifts.max() == 2
    _, none = pool.choose(to_tokens(["999-999"] * 20, 7), np.arange(20), seed=1, stream=0)
    assert not none.any()


def test_text2img_batches_pair_query_tokens_with_answer_images(pools):
    pool = SymbolImages(pools["test_images"], pools["test_symbols"])
    batches = QueryImageBatches(np.array([12, 1_500_000]), SETTINGS, pool, 1, TEST_STREAM, 8, "text2img")
    tokens, targets = batches[0]
    texts, answers = queries_and_answers(np.array([12, 1_500_000]), **SETTINGS)
    assert from_tokens(tokens) == texts and targets["answer_images"].shape == (2, 4, 28, 28, 1)
    assert from_tokens(targets["answer_symbols"]) == answers
    with pytest.raises(ValueError, match="unknown direction 'sideways'"):
        QueryImageBatches(np.array([1]), SETTINGS, pool, 1, 0, 8, "sideways")


def test_a_pool_missing_a_symbol_is_refused_by_name():
    images = np.zeros((12, 28, 28), np.uint8)
    with pytest.raises(ValueError, match=r"no images of \['\+'\]"):
        SymbolImages(images, np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]))


def test_memory_follows_the_batch_not_the_query_count(pools):
    """Iterating over 200,000 queries' batches allocates about one batch at a time: far less than
    the 200,000 x 7 x 28 x 28 x 4 bytes (4.4 GB) of a materialised array."""
    pool = SymbolImages(pools["train_images"], pools["train_symbols"])
    batches = QueryImageBatches(np.arange(200_000), SETTINGS, pool, 1, 0, 256, "img2text", max_shift=2)
    one_batch = 256 * 7 * 28 * 28 * 4
    tracemalloc.start()
    for index in range(0, len(batches), 97):  # a spread of batches across the whole query set
        batches[index]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10 * one_batch
