"""Answer arithmetic queries with a trained text2text model."""

import re

from arithgen.data.encoding import from_one_hot, to_tokens
from arithgen.data.pipelines import predict_in_batches

QUERY = re.compile(r"^\s*(\d+)\s*([+-])\s*(\d+)\s*$")


def model_widths(model):
    """(operand width, answer length) read off the model's input and output shapes."""
    query_length, answer_length = model.input_shape[1], model.output_shape[1]
    return (query_length - 1) // 2, answer_length


def normalise_query(text, operand_width):
    """``'181+24'`` -> ``'181+ 24'`` (operands right-aligned to the model's width).

    Raises ValueError naming the query when it is not ``a+b`` / ``a-b`` with operands that fit.
    """
    match = QUERY.match(text)
    if not match:
        raise ValueError(f"malformed query {text!r}: expected 'a+b' or 'a-b' with non-negative integers")
    a, op, b = match.groups()
    largest = 10 ** operand_width - 1
    if max(int(a), int(b)) > largest:
        raise ValueError(f"query {text!r} has an operand above {largest}, the largest this model reads")
    return f"{int(a):>{operand_width}}{op}{int(b):>{operand_width}}"


def answer_queries(model, texts):
    """Query strings (any spacing) -> the model's answer strings, stripped of padding."""
    width, _ = model_widths(model)
    padded = [normalise_query(t, width) for t in texts]
    scores = predict_in_batches(model, to_tokens(padded, 2 * width + 1), 32)
    return [answer.strip() for answer in from_one_hot(scores)]


def load_model(path):
    """Load a ``.keras`` model saved by the pipeline (custom layers registered on import)."""
    import keras

    import arithgen.models.layers  # noqa: F401 -- registers OneHot and ReverseTime

    return keras.saving.load_model(path, compile=False)
