"""Image queries and answers, assembled batch by batch from query indices and a symbol pool.

A query string becomes one 28x28 image per character. Which image of a symbol's pool is used
at (query, position), and how far it is shifted when training asks for shifts, is a hash of
(seed, stream, query index, position): the same query always gets the same images within a
stream (the test stream, the validation stream), each training epoch is its own stream (fresh
handwriting every epoch), and no batch depends on the others.
No array of all queries' images ever exists: memory follows the batch size, not the query count.
"""

import math

import keras
import numpy as np

from arithgen.data import queries
from arithgen.data.encoding import to_tokens
from arithgen.data.pipelines import steady
from arithgen.data.queries import ALPHABET
from arithgen.data.symbols import shifted

TEST_STREAM = 1_000_000  # training epochs use streams 0, 1, 2, ...
VALIDATION_STREAM = 1_000_001


def _splitmix64(x):
    """A well-mixed 64-bit hash of uint64 ``x`` (Steele et al., 2014)."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def image_hash(seed, stream, query_indices, length):
    """uint64 (N, length): one hash per (query, position) in ``stream``."""
    key = _splitmix64(np.uint64(seed) * np.uint64(1_000_003) + np.uint64(stream))
    base = np.asarray(query_indices, np.uint64)[:, None] * np.uint64(64) + np.arange(length, dtype=np.uint64)
    return _splitmix64(base ^ key)


class SymbolImages:
    """A pool of symbol images: uint8 (N, 28, 28) with symbol ids (N,) in 0..12."""

    def __init__(self, images, symbols):
        self.images = np.asarray(images)
        self.members = [np.flatnonzero(np.asarray(symbols) == s) for s in range(len(ALPHABET))]
        empty = [ALPHABET[s] for s, m in enumerate(self.members) if not len(m)]
        if empty:
            raise ValueError(f"the symbol pool has no images of {empty}; every symbol of {ALPHABET!r} is needed")
        self.counts = np.array([len(m) for m in self.members], np.uint64)
        # Every symbol's members back to back: symbol s's k-th image is by_symbol[starts[s] + k].
        self.by_symbol = np.concatenate(self.members)
        self.starts = np.concatenate([[0], np.cumsum(self.counts[:-1])]).astype(np.int64)

    def choose(self, tokens, query_indices, seed, stream, max_shift=0):
        """Token ids (N, T) -> (pool indices (N, T) of the image drawn at each position, its
        (rows, cols) shift (N, T, 2) in -max_shift..max_shift)."""
        tokens = np.asarray(tokens)
        hashes = image_hash(seed, stream, query_indices, tokens.shape[1])
        picks = (hashes % self.counts[tokens]).astype(np.int64)
        chosen = self.by_symbol[self.starts[tokens] + picks]
        span = np.uint64(2 * max_shift + 1)
        shifts = np.stack([(hashes >> np.uint64(32)) % span, (hashes >> np.uint64(48)) % span], axis=-1)
        return chosen, shifts.astype(np.int64) - max_shift

    def render(self, tokens, query_indices, seed, stream, max_shift=0):
        """Token ids (N, T) -> images float32 (N, T, 28, 28, 1) in [0, 1], each moved by up to
        ``max_shift`` pixels in each direction."""
        chosen, shifts = self.choose(tokens, query_indices, seed, stream, max_shift)
        images = self.images[chosen.ravel()]
        if max_shift:
            images = shifted(images, shifts.reshape(-1, 2))
        return (images.reshape(*chosen.shape, *images.shape[1:]) / np.float32(255))[..., None]


class QueryImageBatches(keras.utils.PyDataset):
    """Batches of one image task over the queries ``query_indices`` (in the given order).

    ``direction`` ``"img2text"``: x = query images (B, Tq, 28, 28, 1), y = answer tokens (B, Ta);
    ``"text2img"``: x = query tokens (B, Tq), y = {"answer_images": (B, Ta, 28, 28, 1),
    "answer_symbols": answer tokens (B, Ta)}.
    ``max_shift``: move each image by up to this many pixels (training streams only).
    """

    def __init__(self, query_indices, query_settings, pool, seed, stream, batch_size, direction, max_shift=0):
        super().__init__()
        if direction not in ("img2text", "text2img"):
            raise ValueError(f"unknown direction {direction!r}; expected 'img2text' or 'text2img'")
        self.query_indices, self.pool = np.asarray(query_indices), pool
        self.max_int, self.operators = query_settings["max_int"], query_settings["operators"]
        self.seed, self.stream, self.batch_size, self.direction = seed, stream, batch_size, direction
        self.max_shift = max_shift

    def __len__(self):
        return math.ceil(len(self.query_indices) / self.batch_size)

    def tokens(self, index):
        """(query indices, query tokens (B, Tq), answer tokens (B, Ta)) of batch ``index``."""
        batch = self.query_indices[index * self.batch_size:(index + 1) * self.batch_size]
        texts, answers = queries.queries_and_answers(batch, self.max_int, self.operators)
        return (batch, to_tokens(texts, queries.query_length(self.max_int)),
                to_tokens(answers, queries.answer_length(self.max_int)))

    def __getitem__(self, index):
        batch, query_tokens, answer_tokens = self.tokens(index)
        if self.direction == "img2text":
            return self.pool.render(query_tokens, batch, self.seed, self.stream, self.max_shift), answer_tokens
        images = self.pool.render(answer_tokens, batch, self.seed, self.stream, self.max_shift)
        return query_tokens, {"answer_images": images, "answer_symbols": answer_tokens}


def batch_dataset(batches):
    """``batches`` (a ``QueryImageBatches``) as a ``tf.data.Dataset`` for ``fit`` and ``predict``: batch
    ``i`` is made by ``batches[i]``, in order, one batch ahead of the model. The same arrays, in the
    same order, as handing ``batches`` to Keras itself.

    Why not hand it to Keras: Keras wraps a PyDataset in tf.data's ``from_generator``, which sets
    glibc's ``M_TRIM_THRESHOLD`` to 128 kB, so each step's large tensors are paged in afresh
    (docs/design.md#image-batch-pipeline). Like every pipeline here it runs without tf.data's tuner
    (``arithgen.data.pipelines``).
    """
    import tensorflow as tf

    first = batches[0]
    like = tf.nest.flatten(first)

    def arrays(index):
        return tf.nest.flatten(batches[int(index)])

    def batch(index):
        made = tf.numpy_function(arrays, [index], [tf.as_dtype(a.dtype) for a in like], stateful=False)
        for tensor, example in zip(made, like):
            tensor.set_shape((None, *example.shape[1:]))
        return tf.nest.pack_sequence_as(first, made)

    return steady(tf.data.Dataset.range(len(batches)).map(batch).prefetch(1))
