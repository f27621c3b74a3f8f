import numpy as np
import pytest

keras = pytest.importorskip("keras")

from arithgen.data.encoding import to_tokens  # noqa: E402
from arithgen.models.seq2seq import CLASSIC, build_text2text  # noqa: E402
from arithgen.predict import answer_queries, load_model, normalise_query  # noqa: E402
from arithgen.training import exact_match, train  # noqa: E402

SPECS = {
    "classic": CLASSIC,
    "attention_bidirectional_gru": {**CLASSIC, "cell": "gru", "units": 8, "bidirectional": True,
                                    "decoder": "attention", "reverse_input": True, "reverse_output": True},
    "two_layers": {**CLASSIC, "units": 8, "encoder_layers": 2, "decoder_layers": 2},
    "location": {**CLASSIC, "units": 8, "decoder": "location", "reverse_input": True, "reverse_output": True},
    "columns": {**CLASSIC, "cell": "gru", "units": 8, "bidirectional": True, "decoder": "location",
                "reverse_input": True, "reverse_output": True, "query_layout": "columns"},
}


@pytest.mark.parametrize("name", SPECS)
def test_shapes_and_probabilities(name):
    model = build_text2text(7, 4, SPECS[name])
    out = model.predict(np.zeros((3, 7), dtype="int32"), verbose=0)
    assert out.shape == (3, 4, 13)
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-5)


def test_reversal_is_inside_the_model():
    """With reversal on, feeding the reversed query to a model without reversal gives the same output."""
    spec = {**CLASSIC, "units": 8, "reverse_input": True, "reverse_output": True}
    reversing = build_text2text(7, 4, spec)
    plain = build_text2text(7, 4, {**spec, "reverse_input": False, "reverse_output": False})
    plain.set_weights(reversing.get_weights())
    tokens = to_tokens(["181+ 24", "341-898"], 7)
    np.testing.assert_allclose(reversing.predict(tokens, verbose=0),
                               plain.predict(tokens[:, ::-1].copy(), verbose=0)[:, ::-1], rtol=1e-5, atol=1e-6)


def test_operand_columns_hold_both_digits_of_a_place_and_the_operator():
    """'181+ 24' -> steps (1, ' ', +), (8, 2, +), (1, 4, +): one step per place value, hundreds first."""
    from arithgen.data.queries import ALPHABET
    from arithgen.models.layers import OneHot, OperandColumns

    columns = keras.ops.convert_to_numpy(OperandColumns()(OneHot(13)(to_tokens(["181+ 24", " 30-999"], 7))))
    assert columns.shape == (2, 3, 39)
    read = [["".join(ALPHABET[k % 13] for k in np.flatnonzero(step)) for step in query] for query in columns]
    # A step's three one-hot blocks, decoded: a's digit, b's digit, the operator.
    assert read == [["1 +", "82+", "14+"], [" 9-", "39-", "09-"]]


def test_exact_match_metric_needs_every_position():
    y_true = np.array([[1, 2], [1, 2]])
    scores = np.eye(13, dtype="float32")[np.array([[1, 2], [1, 3]])]
    assert keras.ops.convert_to_numpy(exact_match(y_true, scores)).tolist() == [1.0, 0.0]


def test_training_learns_a_tiny_task_and_keeps_the_best_epoch():
    """Copying the last digit of the query (fresh in the final state) is learnable in a few epochs."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, (512, 3)).astype("int32")
    y = x[:, -1:]
    model = build_text2text(3, 1, {**CLASSIC, "units": 16})
    recipe = {"epochs": 6, "batch_size": 32, "learning_rate": 0.01, "schedule": "cosine", "patience": 0}
    history, best = train(model, x[:400], y[:400], x[400:], y[400:], recipe)
    assert list(history.columns) == ["epoch", "loss", "exact_match", "val_loss", "val_exact_match",
                                     "learning_rate", "seconds"]
    assert history["val_exact_match"].iloc[best] == history["val_exact_match"].max() > 0.5
    assert history["learning_rate"].is_monotonic_decreasing


def test_saved_model_answers_queries(tmp_path):
    model = build_text2text(7, 4, {**CLASSIC, "units": 8, "reverse_input": True})
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    answers = answer_queries(loaded, ["181+24", " 3 - 4 "])
    direct = answer_queries(model, ["181+ 24", "  3-  4"])
    assert answers == direct and len(answers) == 2


@pytest.mark.parametrize("query,message", [("12*3", "malformed"), ("1000+1", "above 999"), ("", "malformed"),
                                           ("-5+3", "malformed")])
def test_bad_queries_are_named(query, message):
    with pytest.raises(ValueError, match=message):
        normalise_query(query, 3)


def test_location_attention_weights_depend_on_the_step_not_the_content():
    """With one-hot position vectors as memory, the contexts are the attention weights themselves;
    other memory contents are read with the same weights."""
    from arithgen.models.layers import LocationAttention

    layer = LocationAttention(2)
    states = np.random.default_rng(0).normal(size=(1, 4, 6)).astype("float32")
    positions = np.eye(7, dtype="float32")[None]
    weights = keras.ops.convert_to_numpy(layer([states, positions])).reshape(4, 2, 7)
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)
    content = np.random.default_rng(1).normal(size=(1, 7, 3)).astype("float32")
    contexts = keras.ops.convert_to_numpy(layer([states, content])).reshape(4, 2, 3)
    np.testing.assert_allclose(contexts, weights @ content[0], rtol=1e-4, atol=1e-5)


def test_location_model_survives_saving(tmp_path):
    model = build_text2text(7, 4, SPECS["location"])
    model.save(tmp_path / "m.keras")
    tokens = to_tokens(["181+ 24"], 7)
    np.testing.assert_allclose(load_model(tmp_path / "m.keras").predict(tokens, verbose=0),
                               model.predict(tokens, verbose=0), rtol=1e-6)
