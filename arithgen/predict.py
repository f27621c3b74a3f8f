"""Answer arithmetic queries with a trained text2text model."""

import re
import zipfile
from pathlib import Path

from arithgen.data.encoding import from_one_hot, to_tokens
from arithgen.data.pipelines import predict_in_batches

QUERY = re.compile(r"^\s*(\d+)\s*([+-])\s*(\d+)\s*$")


def model_widths(model):
    """(operand width, answer length) read off the model's input and output shapes.

    Raises ValueError when the shapes are not a text2text model's: (None, query length) tokens in,
    (None, answer length, alphabet) scores out."""
    if len(model.input_shape) != 2 or len(model.output_shape) != 3:
        raise ValueError(f"model {model.name!r} reads {model.input_shape} and writes {model.output_shape}, "
                         "not a text2text model (query tokens in, answer scores out)")
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
    """Load a ``.keras`` model saved by the pipeline (custom layers registered on import).

    Raises ValueError naming ``path`` when it is missing or is not a ``.keras`` zip Keras can read."""
    if not Path(path).is_file():
        raise ValueError(f"no model file at {path}")
    if Path(path).suffix != ".keras" or not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a Keras model file (.keras zip)")
    import keras

    import arithgen.models.layers  # noqa: F401 -- registers OneHot and ReverseTime

    try:
        return keras.saving.load_model(path, compile=False)
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as error:  # a zip, but not a model
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"{path} is not a Keras model file Keras can load ({reason})") from error
