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


@keras.saving.register_keras_serializable(package="arithgen")
class AppendStepCode(keras.layers.Layer):
    """(N, T, F) -> (N, T, F + T): append a one-hot code of each time step.

    Lets an attention decoder ask for "the digits of column t" from its first update on,
    instead of first having to learn to count steps.
    """

    def call(self, sequence):
        steps = ops.shape(sequence)[1]
        codes = ops.broadcast_to(ops.eye(steps, dtype=sequence.dtype), (ops.shape(sequence)[0], steps, steps))
        return ops.concatenate([sequence, codes], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:2], input_shape[2] + input_shape[1])
