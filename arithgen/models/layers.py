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


@keras.saving.register_keras_serializable(package="arithgen")
class LocationAttention(keras.layers.Layer):
    """Location-based attention (Luong et al., 2015): each head's weights over the T_in source
    positions come from the decoder state alone, ``softmax(W h_t)``, not from the source content.

    inputs: [decoder states (N, T_out, H), memory (N, T_in, F)] -> contexts (N, T_out, heads * F).
    Where to look depends only on which answer step is being written, so every answer column
    reads its operand digits the same way.
    """

    def __init__(self, heads, **kwargs):
        super().__init__(**kwargs)
        self.heads = heads

    def build(self, input_shapes):
        states_shape, memory_shape = input_shapes
        self.source_length = memory_shape[1]
        self.scores = keras.layers.Dense(self.heads * self.source_length, name="location_scores")
        self.scores.build(states_shape)

    def call(self, inputs):
        states, memory = inputs
        steps = ops.shape(states)[1]
        logits = ops.reshape(self.scores(states), (-1, steps, self.heads, self.source_length))
        weights = ops.softmax(logits, axis=-1)
        contexts = ops.einsum("bthi,bif->bthf", weights, memory)
        return ops.reshape(contexts, (-1, steps, self.heads * ops.shape(memory)[-1]))

    def compute_output_shape(self, input_shapes):
        states_shape, memory_shape = input_shapes
        return (states_shape[0], states_shape[1], self.heads * memory_shape[2])

    def get_config(self):
        return {**super().get_config(), "heads": self.heads}


@keras.saving.register_keras_serializable(package="arithgen")
class OperandColumns(keras.layers.Layer):
    """(N, 2w + 1, F) query characters ``a op b`` -> (N, w, 3F): one step per digit column, left to right.

    Step j holds a's and b's j-th characters (both operands are right-aligned, so these are digits of one
    place value) and the operator: the encoder reads aligned digits together, as a column rule needs.
    """

    def call(self, characters):
        width = (characters.shape[1] - 1) // 2
        operator = ops.repeat(characters[:, width:width + 1], width, axis=1)
        return ops.concatenate([characters[:, :width], characters[:, width + 1:], operator], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], (input_shape[1] - 1) // 2, 3 * input_shape[2])
