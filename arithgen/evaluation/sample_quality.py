"""Every number that says how good a set of images is, measured in the feature network's space
against the real test images: FID, precision, recall, density, coverage and the confident rate.

The same function scores generated samples and the real-vs-real reference (real training images in
place of samples), so each model's numbers sit beside the values a perfect generator would get.
"""

import numpy as np

from arithgen.data.pipelines import predict_in_batches
from arithgen.evaluation.fid import feature_statistics, frechet_distance
from arithgen.evaluation.precision_recall import confident_rate, manifold_metrics

BATCH = 1000
# Every measure ``quality_metrics`` returns, in the order tables show them, and which direction is better.
MEASURES = {"fid": "lower", "precision": "higher", "recall": "higher", "density": "higher", "coverage": "higher",
            "confident_rate": "higher"}
# The rotation network's class for "not rotated": its confident rate is the share of images it is
# sure are upright (an unlabelled folder has no classes to be sure of).
UPRIGHT = 0


def features_and_probabilities(network, images):
    """Images (N, H, W, C) in [0, 1] -> (features (N, D) float32, probabilities (N, K) float32)
    of a ``models.feature_network.features_and_probabilities`` model."""
    features, probabilities = predict_in_batches(network, images, BATCH)
    return np.asarray(features, np.float32), np.asarray(probabilities, np.float32)


def confident_column(classifier_task):
    """Which probability the confident rate reads: the largest ("labels") or the upright class ("rotation")."""
    return None if classifier_task == "labels" else UPRIGHT


def quality_metrics(real_features, features, probabilities, classifier_task):
    """``fid``, ``precision``, ``recall``, ``density``, ``coverage`` of ``features`` (M, D) against
    ``real_features`` (N, D), and the ``confident_rate`` of ``probabilities`` (M, K)."""
    real_mean, real_cov = feature_statistics(real_features)
    return {"fid": frechet_distance(*feature_statistics(features), real_mean, real_cov),
            **manifold_metrics(real_features, features),
            "confident_rate": confident_rate(probabilities, confident_column(classifier_task))}
