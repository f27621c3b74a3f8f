"""Every data pipeline the trainers and evaluators build runs without tf.data's tuner, and hands the
model the same batches Keras itself would have made."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter  # noqa: E402

from arithgen import training  # noqa: E402
from arithgen.data.image_sequences import QueryImageBatches, SymbolImages, batch_dataset  # noqa: E402
from arithgen.data.pipelines import array_batches, predict_in_batches, steady  # noqa: E402
from arithgen.tasks.step_training import batch_indices, batches  # noqa: E402

SETTINGS = {"max_int": 999, "operators": ["+", "-"]}


def tuned(dataset):
    return dataset.options().autotune.enabled


def test_steady_turns_the_tuner_off_and_only_that():
    dataset = training.tf.data.Dataset.range(10)
    assert tuned(dataset) is not False
    assert tuned(steady(dataset)) is False
    assert list(steady(dataset).as_numpy_iterator()) == list(range(10))


def test_array_batches_are_the_batches_keras_makes_of_arrays():
    x = np.arange(23 * 3, dtype=np.float32).reshape(23, 3)
    y = np.arange(23) % 5
    ours = list(array_batches((x, y), 4).as_numpy_iterator())
    keras_own = list(ArrayDataAdapter(x, y, batch_size=4, shuffle=False).get_numpy_iterator())
    assert len(ours) == len(keras_own) == 6 and len(ours[-1][0]) == 3
    for (x_ours, y_ours), (x_keras, y_keras) in zip(ours, keras_own):
        np.testing.assert_array_equal(x_ours, x_keras)
        np.testing.assert_array_equal(y_ours, y_keras)


def test_every_pipeline_the_trainers_build_is_steady():
    pool = SymbolImages(np.zeros((13, 28, 28), np.uint8), np.arange(13))
    assert tuned(batch_dataset(QueryImageBatches(np.arange(5), SETTINGS, pool, 1, 0, 2, "img2text"))) is False
    step_batches = batches([np.zeros((10, 2), np.uint8)], lambda x: x, batch_indices(10, 0, 3, 4, seed=1))
    assert tuned(step_batches) is False
    x = np.zeros((9, 2), np.float32)
    assert tuned(training.as_batches((x, x), 4)) is False
    dataset = array_batches(x, 4)
    assert training.as_batches(dataset, 4) is dataset


def test_predict_in_batches_gives_what_predict_on_the_arrays_gives():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    x = np.random.default_rng(0).standard_normal((11, 3)).astype(np.float32)
    np.testing.assert_allclose(predict_in_batches(model, x, 4), model.predict(x, batch_size=4, verbose=0),
                               rtol=1e-6)
