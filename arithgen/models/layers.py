"""Small custom layers, registered so that a saved ``.keras`` model carries its own preprocessing."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="arithgen")
class OneHot(keras.layers.Layer):
    """(N, T) integer token ids -> (N, T, depth) float one-hot vectors."""

    def __init__(self, depth, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth

    def call(self, tokens):
        return ops.one_hot(ops.cast(tokens, "int32"), self.depth)

    def get_config(self):
        return {**super().get_config(), "depth": self.depth}


@keras.saving.register_keras_serializable(package="arithgen")
class ReverseTime(keras.layers.Layer):
    """Reverse a sequence along its time axis (axis 1).

    Inside the model so that callers always feed and read strings in their natural order:
    reversal is part of the architecture, not a preprocessing step to remember.
    """

    def call(self, sequence):
        return ops.flip(sequence, axis=1)
