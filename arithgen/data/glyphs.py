"""Hand-drawn-looking ``+`` and ``-`` glyphs for image queries (MNIST has digits only).

A glyph is one or two anti-aliased strokes about 2 px wide on a 28x28 canvas, with seeded
jitter in length, slant, width and position, like handwriting: ``-`` is one roughly horizontal
stroke, ``+`` is a ``-`` plus a roughly vertical stroke crossing it.
"""

import numpy as np

SIDE = 28


def draw_strokes(segments, widths, side=SIDE):
    """Segments (S, 2, 2) of (row, col) end points and widths (S,) -> uint8 (side, side) in 0..255.

    A pixel's ink falls off linearly over one pixel at the stroke's edge (anti-aliasing);
    overlapping strokes take the darker value.
    """
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float64) + 0.5
    pixels = np.stack([rows, cols], axis=-1)  # (side, side, 2), pixel centres
    ink = np.zeros((side, side))
    for (start, end), width in zip(np.asarray(segments, np.float64), widths):
        direction = end - start
        along = np.clip(((pixels - start) @ direction) / (direction @ direction), 0.0, 1.0)
        distance = np.linalg.norm(pixels - (start + along[..., None] * direction), axis=-1)
        ink = np.maximum(ink, np.clip(width / 2 + 0.5 - distance, 0.0, 1.0))
    return np.round(255 * ink).astype(np.uint8)


def _stroke(rng, centre, angle_degrees, length):
    angle = np.deg2rad(angle_degrees)
    half = length / 2 * np.array([-np.sin(angle), np.cos(angle)])  # angle 0: horizontal
    return np.stack([centre - half, centre + half])


def draw_glyph(symbol, rng):
    """One ``'+'`` or ``'-'`` glyph, uint8 (28, 28) in 0..255, drawn with ``rng`` (a numpy Generator)."""
    if symbol not in "+-":
        raise ValueError(f"no glyph for symbol {symbol!r}; expected '+' or '-'")
    centre = SIDE / 2 + rng.uniform(-2, 2, size=2)
    segments = [_stroke(rng, centre, rng.uniform(-12, 12), rng.uniform(10, 18))]
    if symbol == "+":
        crossing = centre + rng.uniform(-1.5, 1.5, size=2)
        segments.append(_stroke(rng, crossing, 90 + rng.uniform(-15, 15), rng.uniform(10, 18)))
    return draw_strokes(np.array(segments), rng.uniform(1.6, 2.6, size=len(segments)))


def draw_glyphs(symbol, count, seed):
    """``count`` glyphs of ``symbol``: uint8 (count, 28, 28); the same seed gives the same glyphs."""
    rng = np.random.default_rng(seed)
    return np.stack([draw_glyph(symbol, rng) for _ in range(count)]) if count else np.zeros((0, SIDE, SIDE), np.uint8)
