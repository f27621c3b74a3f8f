"""Images tiled into one picture (sample grids, interpolation strips) and animated GIFs, with pillow."""

import numpy as np
from PIL import Image

from arithgen.io import atomic_path


def to_uint8(images):
    """Float images in [0, 1] -> uint8 (values clipped); uint8 passes through."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    return np.round(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)


def tile(images, columns, gap=1, invert=False):
    """(N, H, W, C) images -> one (rows*H + gaps, columns*W + gaps, C) uint8 picture, row by row.
    Empty cells and gaps are white as shown: black when the picture will be ``display``ed inverted."""
    images = to_uint8(images)
    background = 0 if invert else 255
    count, height, width, channels = images.shape
    rows = max(1, -(-count // columns))
    out = np.full((rows * height + (rows - 1) * gap, columns * width + (columns - 1) * gap, channels),
                  background, np.uint8)
    for index, image in enumerate(images):
        row, col = divmod(index, columns)
        out[row * (height + gap):row * (height + gap) + height, col * (width + gap):col * (width + gap) + width] = image
    return out


def display(picture, invert=False):
    """A tiled picture (H, W, C) as shown: grey (H, W) or RGB (H, W, 3); ``invert`` draws light
    images on black as dark ink on white paper."""
    picture = to_uint8(picture)
    if invert:
        picture = 255 - picture
    return picture[..., 0] if picture.shape[-1] == 1 else picture


def pil_image(picture, scale=1, invert=False):
    image = Image.fromarray(display(picture, invert))
    return image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST) if scale > 1 else image


def save_png(picture, path, scale=2, invert=False):
    """Write a tiled picture as a PNG, enlarged ``scale`` times without smoothing, atomically."""
    with atomic_path(path) as tmp:
        pil_image(picture, scale, invert).save(tmp, format="PNG")


def save_gif(frames, path, scale=3, invert=False, frame_ms=120):
    """Write pictures (T, H, W, C) as an endless GIF that plays forward and back, atomically."""
    images = [pil_image(frame, scale, invert) for frame in frames]
    images = images + images[-2:0:-1]
    with atomic_path(path) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
