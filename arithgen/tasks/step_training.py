"""Training measured in optimizer steps, in chunks that each end with a checkpoint.

A dataset of any size trains for the configured number of steps: the batches are consecutive
slices of an endless stream of seeded permutations of the training images (one per pass), so
step s always sees the same images, whether the run went straight through or resumed after a kill.
After each chunk of ``chunk_steps`` steps the run's every variable (weights, batch-norm
statistics, seed-generator states, optimizer moments) goes into an ``arithgen.checkpoint``;
a restarted job loads it and continues bit-identically.
"""

import time

import numpy as np

from arithgen.data.pipelines import steady

VARIABLES_FILE = "variables.npz"


def batch_indices(count, first_step, last_step, batch_size, seed):
    """Example indices int64 (last_step - first_step, batch_size) for steps [first_step, last_step)
    over ``count`` examples: positions of the stream of permutations ``rng([seed, pass])``."""
    start, stop = first_step * batch_size, last_step * batch_size
    parts = []
    for epoch in range(start // count, (stop - 1) // count + 1):
        order = np.random.default_rng([seed, 7, epoch]).permutation(count)
        parts.append(order[max(start - epoch * count, 0):min(stop - epoch * count, count)])
    return np.concatenate(parts).reshape(-1, batch_size)


def batches(arrays, transform, indices):
    """A ``tf.data.Dataset`` of ``transform(*gathered arrays)`` for each row of ``indices``.

    ``arrays``: tensors with the examples on axis 0 (e.g. uint8 images, labels), gathered on the
    fly so no copy of the whole run's batches is ever made."""
    import tensorflow as tf

    constants = [tf.constant(a) for a in arrays]
    return steady(tf.data.Dataset.from_tensor_slices(indices)
                  .map(lambda rows: transform(*[tf.gather(c, rows) for c in constants])))


def fit_in_chunks(model, variables, dataset_for, steps, chunk_steps, checkpoint=None, on_chunk=None):
    """Train the compiled ``model`` for ``steps`` optimizer steps, ``chunk_steps`` at a time.

    ``dataset_for(first, last)`` gives the batches of steps [first, last). ``variables``: what a
    checkpoint holds (see ``GenerativeMixin.training_variables``). After each chunk,
    ``on_chunk(step, logs)`` may add to that chunk's history row (``step``, ``seconds`` and the
    chunk's mean losses). Returns the history rows of the whole run, including resumed chunks.
    """
    from arithgen.checkpoint import restore_variables, save_variables

    if chunk_steps < 1:
        raise ValueError(f"chunk_steps {chunk_steps} is not a positive number of steps")
    rows, done, seconds = [], 0, 0.0
    loaded = checkpoint.load(lambda folder: restore_variables(folder / VARIABLES_FILE, variables)) \
        if checkpoint else None
    if loaded:
        state = loaded[1]
        rows, done, seconds = state["rows"], state["step"], state["seconds"]
        print(f"resumed from step {done} of {steps}", flush=True)
    start = time.perf_counter() - seconds
    while done < steps:
        last = min(done + chunk_steps, steps)
        history = model.fit(dataset_for(done, last), epochs=1, shuffle=False, verbose=0)
        done = last
        row = {"step": done, "seconds": time.perf_counter() - start,
               **{name: float(values[-1]) for name, values in history.history.items()}}
        row.update((on_chunk or (lambda step, logs: {}))(done, row) or {})
        rows.append(row)
        print(", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)
        if checkpoint and done < steps:
            checkpoint.save({"step": done, "rows": rows, "seconds": row["seconds"]},
                            lambda folder: save_variables(folder / VARIABLES_FILE, variables))
    return rows
