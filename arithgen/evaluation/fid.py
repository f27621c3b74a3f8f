"""Domain FID: the Fréchet distance between two sets of images in the feature space of a network
trained on the dataset itself (Heusel et al., 2017, with a domain classifier instead of Inception).

Both sets are summarised by the mean and covariance of their features; the distance between the
two Gaussians is ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)). It is 0 for identical
statistics and grows as the sets drift apart. It depends on the number of images (smaller sets
give larger values), so every model is scored with the same number of generated images.
"""

import numpy as np

from arithgen.data.pipelines import predict_in_batches


def feature_statistics(features):
    """(N, D) features -> (mean (D,), covariance (D, D)), in float64."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"features of shape {features.shape}; expected (N, D) with N >= 2")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def _sqrt_psd(matrix):
    """Symmetric square root of a positive semi-definite matrix (negative round-off clipped)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(mean_a, cov_a, mean_b, cov_b):
    """Fréchet distance between N(mean_a, cov_a) and N(mean_b, cov_b).

    Tr((S_a S_b)^(1/2)) is computed as the sum of the square roots of the eigenvalues of the
    symmetric S_a^(1/2) S_b S_a^(1/2), which has the same spectrum and stays real.
    """
    root_a = _sqrt_psd(cov_a)
    cross = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_sqrt = np.sqrt(np.clip(cross, 0, None)).sum()
    distance = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt
    return float(max(distance, 0.0))


def fid(features_a, features_b):
    """FID between two feature sets (N_a, D) and (N_b, D)."""
    return frechet_distance(*feature_statistics(features_a), *feature_statistics(features_b))


def image_features(extractor, images, batch_size=1000):
    """Images (N, H, W, C) in [0, 1] -> features (N, D) float32 of a Keras feature extractor."""
    return np.asarray(predict_in_batches(extractor, images, batch_size), dtype=np.float32)
