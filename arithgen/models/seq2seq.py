"""Recurrent encoder-decoder for sequence -> sequence mappings (text2text, and the image tasks).

The study's model is ``LSTM -> RepeatVector -> LSTM -> per-step softmax``. Options here:
- ``cell``: ``lstm`` or ``gru``; ``units``; ``encoder_layers`` / ``decoder_layers``;
- ``bidirectional``: the encoder reads the query both ways;
- ``decoder``: ``repeat`` (the study's: every decoder step sees only the encoder's final state)
  or ``attention`` (each decoder step also attends over all encoder states, so it can look up
  the digits it needs instead of squeezing the whole query into one vector; its inputs carry a
  one-hot step code, so from the first update it knows which answer column it is writing) or
  ``location`` (location-based attention: where to look depends on the answer step alone, two
  heads read the encoder states and characters there, and a recurrent layer after the attention
  carries from one answer column to the next: one column rule, shared by every column);
- ``reverse_input`` / ``reverse_output``: read the query right to left / emit the answer least
  significant digit first (the order carries propagate in); both are undone inside the model;
- ``query_layout`` (text2text): ``characters`` (the study's: one step per query character) or ``columns``
  (one step per digit column, holding both operands' digits and the operator: ``OperandColumns``).
"""

import keras
from keras import layers

from arithgen.data.queries import ALPHABET
from arithgen.models.layers import AppendStepCode, LocationAttention, OneHot, OperandColumns, ReverseTime

CLASSIC = {
    "cell": "lstm", "units": 128, "encoder_layers": 1, "decoder_layers": 1,
    "bidirectional": False, "decoder": "repeat", "reverse_input": False, "reverse_output": False,
}


def _rnn(spec, name, **kwargs):
    # Unrolled: the sequences are a few steps long (7 in, 4 out), and a step without TensorFlow's loop is
    # faster (docs/design.md#unrolled-recurrent-layers).
    layer_type = {"lstm": layers.LSTM, "gru": layers.GRU}[spec["cell"]]
    return layer_type(spec["units"], return_sequences=True, unroll=True, name=name, **kwargs)


def encode(features, spec):
    """features (N, T_in, F) -> (encoder states (N, T_in, H), summary (N, H)).

    The summary is the last layer's final state (both directions' when bidirectional).
    """
    x = features
    for i in range(spec["encoder_layers"]):
        last = i == spec["encoder_layers"] - 1
        rnn = _rnn(spec, f"encoder_{i}", return_state=last)
        if spec["bidirectional"]:
            rnn = layers.Bidirectional(rnn, name=f"bidirectional_encoder_{i}")
        x = rnn(x)
        if last:
            x, *states = x
    # LSTM returns (h, c) per direction, GRU h: keep the h of each direction.
    per_direction = 2 if spec["cell"] == "lstm" else 1
    hidden = states[::per_direction]
    summary = hidden[0] if len(hidden) == 1 else layers.Concatenate(name="summary")(hidden)
    return x, summary


def decode(encoder_states, summary, output_steps, spec, features):
    """-> decoder states (N, output_steps, H').

    ``features`` (N, T_in, F): the encoder's inputs, which the ``location`` decoder reads
    beside the encoder states.
    """
    x = layers.RepeatVector(output_steps, name="repeat_summary")(summary)
    if spec["decoder"] in ("attention", "location"):
        x = AppendStepCode(name="step_code")(x)
    for i in range(spec["decoder_layers"]):
        x = _rnn(spec, f"decoder_{i}")(x)
    if spec["decoder"] == "attention":
        # Luong "general" attention: decoder states score projected encoder states.
        keys = layers.Dense(spec["units"], use_bias=False, name="attention_keys")(encoder_states)
        context = layers.Attention(name="attention")([x, encoder_states, keys])
        x = layers.Concatenate(name="state_and_context")([x, context])
        x = layers.Dense(spec["units"], activation="tanh", name="attentional_state")(x)
    elif spec["decoder"] == "location":
        # Two heads, one per operand digit of the column; a recurrent layer after them carries
        # the carry (or borrow) from one answer column to the next.
        memory = layers.Concatenate(name="states_and_inputs")([encoder_states, features])
        context = LocationAttention(2, name="location_attention")([x, memory])
        x = layers.Concatenate(name="state_and_context")([x, context])
        x = _rnn(spec, "column_decoder")(x)
    return x


def answer_states(features, answer_length, spec):
    """Per-character query features (N, T_in, F) -> decoder states (N, answer_length, H'), one per
    answer character: the encoder-decoder shared by the three tasks (reversals included)."""
    if spec["reverse_input"]:
        features = ReverseTime(name="reverse_input")(features)
    encoder_states, summary = encode(features, spec)
    return decode(encoder_states, summary, answer_length, spec, features=features)


def in_answer_order(per_step, spec, name="reverse_output"):
    """Undo ``reverse_output``: per-step outputs (N, answer_length, ...) in reading order."""
    return ReverseTime(name=name)(per_step) if spec["reverse_output"] else per_step


def symbol_probabilities(states, spec):
    """Decoder states (N, T, H') -> symbol probabilities (N, T, 13) in reading order."""
    return in_answer_order(layers.Dense(len(ALPHABET), activation="softmax", name="symbol_probabilities")(states),
                           spec)


def build_text2text(query_length, answer_length, spec, name="text2text"):
    """Token ids (N, query_length) -> per-step symbol probabilities (N, answer_length, 13)."""
    tokens = keras.Input((query_length,), dtype="int32", name="query_tokens")
    x = OneHot(len(ALPHABET), name="one_hot")(tokens)
    if spec.get("query_layout", "characters") == "columns":
        x = OperandColumns(name="operand_columns")(x)
    return keras.Model(tokens, symbol_probabilities(answer_states(x, answer_length, spec), spec), name=name)
