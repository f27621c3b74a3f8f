"""Walks through a latent space: interpolation, a 2-D map, and attribute vectors from class means.

Pure functions over arrays; the models that turn latent points into images are applied by the caller.
"""

from statistics import NormalDist

import numpy as np


def interpolate_latent(start, end, steps, spherical=False):
    """Points from ``start`` to ``end`` (both (D,) or (R, D)): (steps, D) or (R, steps, D).

    ``spherical``: slerp, which keeps points of a Gaussian prior at a typical distance from the
    origin (a straight line through N(0, I) passes through its improbable, low-norm middle);
    otherwise a straight line, for codes of real images.
    """
    start, end = np.asarray(start, np.float64), np.asarray(end, np.float64)
    t = np.linspace(0.0, 1.0, steps)
    t = t.reshape((steps,) + (1,) * (start.ndim - 1) + (1,))
    if not spherical:
        points = (1 - t) * start + t * end
    else:
        unit_a = start / np.linalg.norm(start, axis=-1, keepdims=True)
        unit_b = end / np.linalg.norm(end, axis=-1, keepdims=True)
        angle = np.arccos(np.clip(np.sum(unit_a * unit_b, axis=-1, keepdims=True), -1.0, 1.0))
        sin = np.sin(angle)
        safe = np.where(sin < 1e-6, 1.0, sin)
        points = np.where(sin < 1e-6, (1 - t) * start + t * end,
                          (np.sin((1 - t) * angle) * start + np.sin(t * angle) * end) / safe)
    # (steps, R, D) -> (R, steps, D) so that each row is one walk.
    return np.moveaxis(points, 0, -2).astype(np.float32)


def manifold_grid(size, quantile_range=(0.05, 0.95)):
    """(size, size, 2) latent points at evenly spaced quantiles of N(0, 1) per axis (Kingma &
    Welling's manifold figure): row 0 is the top of the picture (largest second coordinate)."""
    values = np.array([NormalDist().inv_cdf(q) for q in np.linspace(*quantile_range, size)])
    xs, ys = np.meshgrid(values, values[::-1])
    return np.stack([xs, ys], axis=-1).astype(np.float32)


def pca_2d(points):
    """(N, D) -> (N, 2) projection on the two principal axes, and the variance share each explains."""
    points = np.asarray(points, np.float64)
    centred = points - points.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    explained = singular**2 / np.sum(singular**2)
    # Sign convention: the largest loading of each axis positive, so the map does not flip between runs.
    signs = np.sign(axes[np.arange(2), np.argmax(np.abs(axes[:2]), axis=1)])
    return (centred @ (axes[:2].T * signs)).astype(np.float32), explained[:2]


def class_means(codes, labels):
    """{label: mean code (D,)} of ``codes`` (N, D) per label in ``labels`` (N,)."""
    return {int(label): codes[labels == label].mean(axis=0) for label in np.unique(labels)}


def nearest_class(means, label):
    """The other label whose mean is nearest to ``label``'s (the most similar class)."""
    others = [other for other in means if other != label]
    return min(others, key=lambda other: float(np.sum((means[other] - means[label]) ** 2)))


def attribute_walk(code, source_mean, target_mean, steps):
    """(steps, D): ``code`` moved along the attribute vector ``target_mean - source_mean``, from 0 to 1
    times it: "what this image would look like as the other class"."""
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return (code[None, :] + t * (target_mean - source_mean)[None, :]).astype(np.float32)
