"""Every ``fit``, ``evaluate`` and ``predict`` here reads a ``tf.data`` pipeline made by ``steady``.

Why: tf.data's autotuning thread sleeps in doubling periods, and destroying an iterator waits, now
and then, for that thread's next wake-up. Keras destroys one at the end of every ``fit``,
``evaluate`` and ``predict`` call, and the trainers here call ``fit`` once per epoch or chunk, so an
epoch could end seconds to a minute late (docs/design.md#no-tfdata-tuner). Keras builds its own
autotuned pipeline for numpy arrays, so arrays go through ``array_batches`` instead. These pipelines
have nothing to tune: turning the tuner off costs nothing.
"""


def steady(dataset):
    """``dataset`` with tf.data's autotuning (and so its background thread) turned off."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def array_batches(arrays, batch_size):
    """Numpy ``arrays`` (one array, or a tuple such as (x, y)) in consecutive batches along axis 0, in
    order, the last one possibly short: the batches Keras itself makes of arrays with
    ``shuffle=False``, without its tuner."""
    import tensorflow as tf

    return steady(tf.data.Dataset.from_tensor_slices(arrays).batch(batch_size).prefetch(1))


def predict_in_batches(model, inputs, batch_size):
    """``model.predict`` on the numpy array ``inputs``, ``batch_size`` rows at a time."""
    return model.predict(array_batches(inputs, batch_size), verbose=0)
