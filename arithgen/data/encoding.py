"""Strings over the 13-symbol alphabet <-> token ids and one-hot arrays."""

import numpy as np

from arithgen.data.queries import ALPHABET

SYMBOL_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def to_tokens(strings, length):
    """Equal-length strings -> (N, length) uint8 token ids; a clear error names the first bad string."""
    tokens = np.empty((len(strings), length), dtype=np.uint8)
    for row, text in enumerate(strings):
        if len(text) != length:
            raise ValueError(f"{text!r} has {len(text)} characters, expected {length}")
        try:
            tokens[row] = [SYMBOL_INDEX[c] for c in text]
        except KeyError as err:
            raise ValueError(f"{text!r} has symbol {err.args[0]!r}, expected one of {ALPHABET!r}") from None
    return tokens


def from_tokens(tokens):
    """(N, T) token ids -> list of N strings."""
    table = np.array(list(ALPHABET))
    return ["".join(row) for row in table[np.asarray(tokens)]]


def one_hot(tokens):
    """(N, T) token ids -> (N, T, 13) float32 one-hot."""
    return np.eye(len(ALPHABET), dtype=np.float32)[np.asarray(tokens)]


def from_one_hot(probabilities):
    """(N, T, 13) scores -> list of N strings (argmax per position)."""
    return from_tokens(np.asarray(probabilities).argmax(axis=-1))
