import numpy as np
import pytest

keras = pytest.importorskip("keras")

from arithgen import training  # noqa: E402
from arithgen.checkpoint import Checkpoint  # noqa: E402
from arithgen.models.seq2seq import CLASSIC, build_text2text  # noqa: E402
from arithgen.stopping import stop_reason, stopping  # noqa: E402

SPEC = {**CLASSIC, "units": 8}
RECIPE = {"epochs": 4, "batch_size": 32, "learning_rate": 0.01, "schedule": "cosine", "patience": 0}


@pytest.fixture(scope="module")
def data():
    training.tf.config.experimental.enable_op_determinism()
    x = np.random.default_rng(0).integers(0, 13, (300, 5)).astype("int32")
    return x[:250], x[:250, -2:], x[250:], x[250:, -2:]


def fresh_model():
    keras.utils.set_random_seed(1)
    return build_text2text(5, 2, SPEC)


class StopAt(keras.callbacks.Callback):
    """Simulate a job killed as epoch ``epoch`` (0-based) starts."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt("killed")


def test_resumed_run_ends_like_an_uninterrupted_one(data, tmp_path):
    straight = fresh_model()
    history, best = training.train(straight, *data, RECIPE, seed=3)

    checkpoint = Checkpoint(tmp_path / "ckpt", run_id="run-a")
    with pytest.raises(KeyboardInterrupt):
        training.train(fresh_model(), *data, RECIPE, seed=3, checkpoint=checkpoint, callbacks=[StopAt(2)])
    assert checkpoint.load()[1]["epochs_done"] == 2

    resumed = fresh_model()
    history2, best2 = training.train(resumed, *data, RECIPE, seed=3, checkpoint=checkpoint)
    assert best2 == best and len(history2) == len(history) == 4
    for column in ("loss", "val_loss", "val_exact_match", "learning_rate"):
        np.testing.assert_array_equal(history2[column], history[column])
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_of_another_run_is_ignored(data, tmp_path):
    checkpoint = Checkpoint(tmp_path / "ckpt", run_id="old-config")
    with pytest.raises(KeyboardInterrupt):
        training.train(fresh_model(), *data, RECIPE, seed=3, checkpoint=checkpoint, callbacks=[StopAt(1)])
    assert Checkpoint(tmp_path / "ckpt", run_id="new-config").load() is None


def test_patience_stops_and_keeps_best_weights(data):
    recipe = {**RECIPE, "epochs": 30, "learning_rate": 0.5, "schedule": "constant", "patience": 2}
    model = fresh_model()
    history, best = training.train(model, *data, recipe, seed=0)
    assert len(history) < 30 and len(history) - 1 - best == 2
    assert stopping(recipe, history, best) == {"max_epochs": 30, "stopped": "patience"}
    val_loss = model.evaluate(data[2], data[3], verbose=0, return_dict=True)
    assert val_loss["exact_match"] == pytest.approx(history["val_exact_match"].iloc[best])


@pytest.mark.parametrize("schedule,patience,epochs_done,best_epoch,reason", [
    ("constant", 0, 4, 0, "epoch_cap"),   # no early stopping: only the cap ends a run
    ("constant", 2, 4, 3, "epoch_cap"),   # still improving at the cap
    ("constant", 2, 4, 1, "patience"),    # 2 epochs without a gain: its plateau, whether or not the cap came too
    ("constant", 2, 3, 1, "epoch_cap"),   # 1 epoch without a gain is not yet a plateau
    ("cosine", 2, 4, 3, "schedule"),      # the cosine rate reached its floor: the recipe ran to its end
    ("cosine", 2, 4, 1, "patience"),      # a plateau is a plateau, whatever the schedule
    ("cosine", 2, 3, 2, "epoch_cap"),     # ended before its schedule did
])
def test_stop_reason_tells_a_plateau_from_a_finished_schedule_and_the_cap(schedule, patience, epochs_done,
                                                                           best_epoch, reason):
    recipe = {"epochs": 4, "patience": patience, "schedule": schedule}
    assert stop_reason(recipe, epochs_done, best_epoch) == reason


def test_fingerprint_changes_with_any_setting():
    assert training.fingerprint(SPEC, RECIPE, 1) == training.fingerprint(dict(SPEC), dict(RECIPE), 1)
    assert training.fingerprint(SPEC, RECIPE, 1) != training.fingerprint(SPEC, {**RECIPE, "epochs": 5}, 1)


def test_run_resumed_after_early_stop_trains_no_further(data, tmp_path):
    recipe = {**RECIPE, "epochs": 30, "learning_rate": 0.5, "schedule": "constant", "patience": 2}
    checkpoint = Checkpoint(tmp_path / "ckpt", run_id="stopped")
    history, best = training.train(fresh_model(), *data, recipe, seed=0, checkpoint=checkpoint)
    assert len(history) < 30  # stopped early; the checkpoint still holds the finished run
    again, best_again = training.train(fresh_model(), *data, recipe, seed=0, checkpoint=checkpoint)
    assert len(again) == len(history) and best_again == best


def dropout_model():
    keras.utils.set_random_seed(2)
    tokens = keras.Input((5,), dtype="int32")
    x = keras.layers.Embedding(13, 8)(tokens)
    x = keras.layers.Dropout(0.5)(keras.layers.Flatten()(x))
    x = keras.layers.Dense(2 * 13)(x)
    return keras.Model(tokens, keras.layers.Softmax()(keras.layers.Reshape((2, 13))(x)))


def test_resumed_run_draws_the_same_dropout_masks(data, tmp_path):
    """The dropout seed generators' states travel in the checkpoint: without them, the resumed
    epochs would draw the masks of epoch 1 again."""
    straight = dropout_model()
    history, _ = training.train(straight, *data, RECIPE, seed=3)
    checkpoint = Checkpoint(tmp_path / "ckpt", run_id="dropout")
    with pytest.raises(KeyboardInterrupt):
        training.train(dropout_model(), *data, RECIPE, seed=3, checkpoint=checkpoint, callbacks=[StopAt(2)])
    resumed = dropout_model()
    history2, _ = training.train(resumed, *data, RECIPE, seed=3, checkpoint=checkpoint)
    np.testing.assert_array_equal(history2["loss"], history["loss"])
    for a, b in zip(straight.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_damaged_checkpoint_restarts_from_scratch_like_a_fresh_run(data, tmp_path, capsys):
    straight = fresh_model()
    history, _ = training.train(straight, *data, RECIPE, seed=3)
    checkpoint = Checkpoint(tmp_path / "ckpt", run_id="run-a")
    with pytest.raises(KeyboardInterrupt):
        training.train(fresh_model(), *data, RECIPE, seed=3, checkpoint=checkpoint, callbacks=[StopAt(2)])
    saved = checkpoint.latest / "training.npz"
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])  # truncated
    capsys.readouterr()
    again = fresh_model()
    history2, _ = training.train(again, *data, RECIPE, seed=3, checkpoint=checkpoint)
    damaged = [line for line in capsys.readouterr().out.splitlines() if "checkpoint" in line and "damaged" in line]
    assert len(damaged) == 1 and "training.npz" in damaged[0] and "from scratch" in damaged[0]
    np.testing.assert_array_equal(history2["loss"], history["loss"])
    for a, b in zip(straight.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weight_decay_in_a_recipe_selects_adamw_and_only_then():
    import keras

    recipe = {"epochs": 2, "batch_size": 8, "learning_rate": 0.01, "schedule": "constant", "patience": 0}
    plain = training.optimizer(recipe, steps_per_epoch=4)
    decayed = training.optimizer({**recipe, "weight_decay": 0.1}, steps_per_epoch=4)
    assert not isinstance(plain, keras.optimizers.AdamW) and isinstance(decayed, keras.optimizers.AdamW)
    assert decayed.weight_decay == pytest.approx(0.1)
    # Decay pulls a weight with zero gradient towards 0; plain Adam leaves it alone.
    for opt, moved in ((plain, False), (decayed, True)):
        weight = keras.Variable([1.0])
        opt.apply_gradients([(keras.ops.zeros((1,)), weight)])
        assert (float(weight.numpy()[0]) < 1.0) == moved
