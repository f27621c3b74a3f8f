"""Fidelity and diversity of generated images in a feature space, beside FID.

- Precision and recall (Kynkäänniemi et al., 2019): each set's manifold is the union of balls around
  its points reaching their k-th nearest neighbour in the same set. Precision is the share of
  generated points inside the real manifold (are the samples realistic?), recall the share of real
  points inside the generated manifold (do the samples cover the real variety?).
- Density and coverage (Naeem et al., 2020), which use only the real balls and so resist outliers:
  density counts how many real balls hold each generated point (/ k; about 1 for a sample like the
  real data, above 1 when samples crowd where real data is densest), coverage is the share of real
  balls that hold at least one generated point.
- The confident rate: the share of images to which a classifier gives at least ``CONFIDENT`` probability.

Each number is compared against a real-vs-real reference (real test images against as many real
training images), the value a perfect generator would get on data of this size.
"""

import numpy as np

PRECISION_RECALL_K = 3  # Kynkäänniemi et al.'s choice
DENSITY_COVERAGE_K = 5  # Naeem et al.'s choice
CONFIDENT = 0.9
CHUNK = 2000  # rows of a distance matrix computed at once (memory ~ CHUNK x N floats)


def _squared_distances(a, b):
    """(len(a), len(b)) squared Euclidean distances, float64, clipped at 0."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    d = np.sum(a**2, axis=1)[:, None] - 2 * a @ b.T + np.sum(b**2, axis=1)[None, :]
    return np.maximum(d, 0)


def knn_radii(features, k):
    """Squared distance of each point (N, D) to its k-th nearest other point of the same set: (N,) for an
    int ``k``, (N, len(k)) for a list of them (one pass over the distances for all)."""
    radii = np.empty((len(features),) + np.shape(k))
    for start in range(0, len(features), CHUNK):
        d = _squared_distances(features[start:start + CHUNK], features)
        # Column k, not k - 1: column 0 is the point itself at distance 0.
        radii[start:start + CHUNK] = np.partition(d, k, axis=1)[:, k]
    return radii


def manifold_metrics(real, generated, k_pr=PRECISION_RECALL_K, k_dc=DENSITY_COVERAGE_K):
    """Precision, recall, density and coverage of ``generated`` (M, D) against ``real`` (N, D) features.

    Returns floats: precision, recall, coverage in [0, 1]; density >= 0 (about 1 for real data).
    The generated-to-real distances are computed once, a chunk of generated points at a time, and
    every metric reads them (recall through their transpose).
    """
    real, generated = np.asarray(real, np.float64), np.asarray(generated, np.float64)
    real_radii = knn_radii(real, [k_pr, k_dc])
    real_pr, real_dc = real_radii[:, 0], real_radii[:, 1]
    generated_pr = knn_radii(generated, k_pr)
    precise, in_real_balls = np.zeros(len(generated), bool), 0
    covered, recalled = np.zeros(len(real), bool), np.zeros(len(real), bool)
    for start in range(0, len(generated), CHUNK):
        d = _squared_distances(generated[start:start + CHUNK], real)
        precise[start:start + CHUNK] = np.any(d <= real_pr[None, :], axis=1)
        inside = d <= real_dc[None, :]
        in_real_balls += np.count_nonzero(inside)
        covered |= np.any(inside, axis=0)
        recalled |= np.any(d <= generated_pr[start:start + CHUNK, None], axis=0)
    return {"precision": float(np.mean(precise)), "recall": float(np.mean(recalled)),
            "density": float(in_real_balls / (k_dc * len(generated))), "coverage": float(np.mean(covered))}


def confident_rate(probabilities, column=None, threshold=CONFIDENT):
    """Share of rows of ``probabilities`` (N, K) whose largest entry (or entry ``column``, e.g. the
    rotation network's "upright" class) is >= ``threshold``."""
    chosen = np.max(probabilities, axis=1) if column is None else probabilities[:, column]
    return float(np.mean(chosen >= threshold))
