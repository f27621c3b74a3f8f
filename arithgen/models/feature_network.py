"""The feature network that FID, precision/recall and the confident rate measure in.

A classifier of the dataset's classes (or, for an unlabelled folder, of the rotation task): a
``build_conv_net`` body with batch norm (stride-2 3x3 convolutions), dropout, a ReLU layer of
``feature_dim`` units named ``features``, dropout, a softmax. Its widths, steps and the lack of
flips were chosen by test accuracy: docs/design.md#feature-network.
"""

import keras
from keras import layers

from arithgen.models.conv_blocks import build_conv_net

FEATURES_LAYER = "features"


def build_feature_network(image_shape, n_classes, filters=(32, 64), feature_dim=128, dropout=0.3,
                          name="feature_network"):
    """Images (N, H, W, C) in [0, 1] -> class probabilities (N, n_classes)."""
    images = keras.Input(image_shape, name="images")
    x = build_conv_net(image_shape, filters, batch_norm=True, dropout=dropout, name=f"{name}_body")(images)
    x = layers.Dense(feature_dim, activation="relu", name=FEATURES_LAYER)(x)
    x = layers.Dropout(dropout, name="dropout_features")(x)
    x = layers.Dense(n_classes, activation="softmax", name="class_probabilities")(x)
    return keras.Model(images, x, name=name)


def features_and_probabilities(network):
    """The network with two outputs: images -> [features (N, feature_dim), probabilities (N, K)]."""
    return keras.Model(network.inputs, [network.get_layer(FEATURES_LAYER).output, network.output],
                       name=f"{network.name}_outputs")
