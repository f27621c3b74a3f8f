"""Benchmark (not a test): how long ending a ``fit``/``predict`` call's input pipeline takes, with tf.data's
tuner (Keras' own pipeline for numpy arrays) and without it (``arithgen.data.pipelines``).

    .venv/bin/python benchmarks/iterator_teardown.py [--repeats 2]

Reads batches for a given time, as an epoch of that length would, then destroys the iterator, as Keras does
when the call ends, and prints how long the destruction took. With the tuner it can last until the tuner's
next wake-up (5.1, 10.2, 20.5, 41.0 s ... after the iterator was made).
"""

import argparse
import time

import numpy as np


def teardown_seconds(make_dataset, read_seconds):
    """Read ``make_dataset()`` for ``read_seconds`` (20 ms per batch), then time its iterator's destruction."""
    started = time.perf_counter()
    iterator = iter(make_dataset())
    while time.perf_counter() - started < read_seconds:
        next(iterator)
        time.sleep(0.02)
    before = time.perf_counter()
    del iterator
    return time.perf_counter() - before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    from arithgen import training
    from arithgen.data.pipelines import array_batches

    training.configure_tensorflow(1, 0)
    x = np.zeros((100_000, 7, 13), np.float32)
    y = np.zeros((100_000, 4), np.int32)
    pipelines = {"keras (tuned)": lambda: ArrayDataAdapter(x, y, batch_size=64, shuffle=False).get_tf_dataset(),
                 "array_batches (untuned)": lambda: array_batches((x, y), 64)}
    for name, make_dataset in pipelines.items():
        for read_seconds in (1.5, 3.0, 6.0):
            waits = [teardown_seconds(make_dataset, read_seconds) for _ in range(args.repeats)]
            print(f"{name:24s} read {read_seconds:4.1f} s, teardown " + ", ".join(f"{w:.3f} s" for w in waits),
                  flush=True)


if __name__ == "__main__":
    main()
