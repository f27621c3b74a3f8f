"""A small CNN image classifier: the digit reader of the image tasks and the feature network of
the generative models' domain FID. Its penultimate layer, ``features``, is what FID compares."""

import keras
from keras import layers

from arithgen.models.conv_blocks import build_conv_net

FEATURES_LAYER = "features"


def build_classifier(image_shape, n_classes, filters=(32, 64), feature_dim=128, dropout=0.3, name="classifier"):
    """Images (N, H, W, C) in [0, 1] -> class probabilities (N, n_classes).

    A ``build_conv_net`` body, then a ReLU layer of ``feature_dim`` units named ``features``,
    then a softmax.
    """
    images = keras.Input(image_shape, name="images")
    x = build_conv_net(image_shape, filters, dropout=dropout, name=f"{name}_body")(images)
    x = layers.Dense(feature_dim, activation="relu", name=FEATURES_LAYER)(x)
    x = layers.Dense(n_classes, activation="softmax", name="class_probabilities")(x)
    return keras.Model(images, x, name=name)


def feature_extractor(classifier):
    """The classifier cut at its ``features`` layer: images -> (N, feature_dim)."""
    return keras.Model(classifier.inputs, classifier.get_layer(FEATURES_LAYER).output,
                       name=f"{classifier.name}_features")
