"""Memorisation check: how close each generated image is to its nearest training image, against how
close real test images (never trained on) are to theirs.

A model that copies its training images produces many images nearer to a training image than real
unseen images ever are. Distances are root-mean-square pixel differences in [0, 1] units (the L2
distance divided by the square root of the number of pixel values), so they read the same at every
image size.
"""

import numpy as np


def nearest_neighbours(queries, references, chunk=1024):
    """For each query its nearest reference: (distances (N,), indices (N,)).

    queries (N, ...), references (M, ...): images of one shape, values in [0, 1]; distances are RMS
    pixel differences. Computed in chunks of ``chunk`` queries with ||a||^2 + ||b||^2 - 2 a.b.
    """
    q = np.asarray(queries, np.float32).reshape(len(queries), -1)
    r = np.asarray(references, np.float32).reshape(len(references), -1)
    if q.shape[1] != r.shape[1]:
        raise ValueError(f"queries of {q.shape[1]} values vs references of {r.shape[1]}; expected the same shape")
    r_norms = np.einsum("ij,ij->i", r, r)
    distances, indices = np.empty(len(q), np.float32), np.empty(len(q), np.int64)
    for start in range(0, len(q), chunk):
        block = q[start:start + chunk]
        squared = np.einsum("ij,ij->i", block, block)[:, None] + r_norms[None, :] - 2.0 * block @ r.T
        nearest = np.argmin(squared, axis=1)
        indices[start:start + chunk] = nearest
        distances[start:start + chunk] = np.sqrt(np.clip(squared[np.arange(len(block)), nearest], 0, None))
    return distances / np.sqrt(q.shape[1]), indices


def memorisation_stats(generated_distances, test_distances, quantile=0.01):
    """Summary of nearest-training-image distances of generated images against real test images.

    ``copy_threshold`` is the ``quantile`` of the test distances: a generated image closer to the
    training set than that is closer than 99% of real unseen images, and counts as a near copy.
    """
    generated = np.asarray(generated_distances, np.float64)
    test = np.asarray(test_distances, np.float64)
    threshold = float(np.quantile(test, quantile))
    return {
        "median_nn_distance": float(np.median(generated)),
        "test_median_nn_distance": float(np.median(test)),
        "nn_distance_ratio": float(np.median(generated) / np.median(test)) if np.median(test) > 0 else None,
        "copy_threshold": threshold,
        "copy_threshold_quantile": quantile,
        "near_copy_fraction": float(np.mean(generated < threshold)),
    }
