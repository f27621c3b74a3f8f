"""Images of every query symbol, in three disjoint pools: ``train``, ``validation`` and ``test``.

Test digits are the digit dataset's own test images, so test queries are written by writers the
models never saw; validation digits are a seeded, class-stratified part of its train images, held
out the same way so that choosing the best epoch rewards reading new handwriting, not
remembering the training images. ``+`` and ``-`` are drawn glyphs (differently seeded per pool)
and a space is a blank image. Labels are symbol ids, the index of the symbol in ``ALPHABET``.
"""

import numpy as np

from arithgen.data.glyphs import SIDE, draw_glyphs
from arithgen.data.queries import ALPHABET
from arithgen.data.splits import stratified_test_mask

POOLS = ("train", "validation", "test")
DIGITS = "0123456789"


def symbol_pool(digit_images, digit_labels, glyphs_per_symbol, seed):
    """-> (images uint8 (N, 28, 28), symbols int64 (N,)): the digits, then ``glyphs_per_symbol``
    images each of ``+``, ``-`` and blank."""
    if digit_images.shape[1:] != (SIDE, SIDE):
        raise ValueError(f"digit images are {digit_images.shape[1:]}, expected {SIDE}x{SIDE}")
    missing = sorted(set(range(10)) - set(np.unique(digit_labels).tolist()))
    if missing:
        raise ValueError(f"the digit images lack digits {missing}; every digit 0-9 is needed")
    images = [digit_images, draw_glyphs("+", glyphs_per_symbol, [seed, 0]),
              draw_glyphs("-", glyphs_per_symbol, [seed, 1]), np.zeros((glyphs_per_symbol, SIDE, SIDE), np.uint8)]
    symbols = [np.asarray(digit_labels, np.int64)] + [
        np.full(glyphs_per_symbol, ALPHABET.index(s), np.int64) for s in "+- "]
    return np.concatenate(images), np.concatenate(symbols)


def symbol_pools(digits, glyphs_per_symbol, validation_fraction, seed):
    """Digit arrays ``x_train, y_train, x_test, y_test`` -> ``{train,validation,test}_{images,symbols}``.

    ``validation_fraction`` of each digit class of the train images becomes the validation pool.
    Each pool's glyphs come from its own seed: no glyph is in two pools either.
    """
    held_out = stratified_test_mask(digits["y_train"], validation_fraction, np.random.default_rng([seed, 99]))
    sources = {"train": (digits["x_train"][~held_out], digits["y_train"][~held_out]),
               "validation": (digits["x_train"][held_out], digits["y_train"][held_out]),
               "test": (digits["x_test"], digits["y_test"])}
    pools = {}
    for number, pool in enumerate(POOLS):
        images, symbols = symbol_pool(*sources[pool], glyphs_per_symbol, [seed, number])
        pools[f"{pool}_images"], pools[f"{pool}_symbols"] = images, symbols
    return pools


def shifted(images, shifts):
    """Images (N, H, W) moved by integer (rows, cols) ``shifts`` (N, 2), blank where they leave
    the frame: handwriting is never centred the same way twice."""
    images, shifts = np.asarray(images), np.asarray(shifts)
    if not len(images):
        return images.copy()
    margin = int(np.abs(shifts).max())
    padded = np.pad(images, ((0, 0), (margin, margin), (margin, margin)) + ((0, 0),) * (images.ndim - 3))
    # One gather of each image's window in its padded copy (no loop over the distinct shifts).
    windows = np.lib.stride_tricks.sliding_window_view(padded, images.shape[1:3], axis=(1, 2))
    rows, cols = (margin - shifts).T
    return np.moveaxis(windows[np.arange(len(images)), rows, cols], (-2, -1), (1, 2))
