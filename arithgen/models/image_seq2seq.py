"""The study's image tasks: the text2text encoder-decoder with images at one end.

- img2text: each query character image goes through one shared ``build_conv_net`` (the same
  weights at every time step), and the encoder-decoder reads the sequence of image features.
- text2img: the encoder-decoder writes one state per answer character; a symbol head reads each
  state as answer-symbol probabilities, and one shared ``build_deconv_net`` draws each state,
  together with those probabilities, as a 28x28 image. Trained with a symbol loss weight above 0,
  the symbol head tells the states which character to draw far more directly than pixels do, and
  the painter draws the character the model writes (the study trained on pixels alone: weight 0;
  docs/design.md#text2img-symbol-head).

``image_net`` settings: ``{"filters": [16, 32], "features": 64, "dropout": 0.3}`` (conv; dropout on
its flattened feature maps) or ``{"filters": [16, 8]}`` (deconv).
"""

import keras
from keras import layers

from arithgen.data.queries import ALPHABET
from arithgen.models.conv_blocks import build_conv_net, build_deconv_net
from arithgen.models.layers import OneHot
from arithgen.models.seq2seq import answer_states, in_answer_order, symbol_probabilities

IMAGE_SHAPE = (28, 28, 1)
IMAGES_OUTPUT, SYMBOLS_OUTPUT = "answer_images", "answer_symbols"  # text2img's two outputs


def build_img2text(query_length, answer_length, spec, image_net, name="img2text"):
    """Query images (N, query_length, 28, 28, 1) in [0, 1] -> symbol probabilities (N, answer_length, 13)."""
    images = keras.Input((query_length, *IMAGE_SHAPE), name="query_images")
    reader = build_conv_net(IMAGE_SHAPE, image_net["filters"], output_dim=image_net["features"],
                            dropout=image_net.get("dropout", 0.0), output_activation="relu", name="image_encoder")
    features = layers.TimeDistributed(reader, name="read_each_image")(images)
    return keras.Model(images, symbol_probabilities(answer_states(features, answer_length, spec), spec), name=name)


def build_text2img(query_length, answer_length, spec, image_net, name="text2img"):
    """Token ids (N, query_length) -> {"answer_images": (N, answer_length, 28, 28, 1) in [0, 1],
    "answer_symbols": symbol probabilities (N, answer_length, 13)}."""
    tokens = keras.Input((query_length,), dtype="int32", name="query_tokens")
    states = answer_states(OneHot(len(ALPHABET), name="one_hot")(tokens), answer_length, spec)
    probabilities = layers.Dense(len(ALPHABET), activation="softmax", name="symbol_probabilities")(states)
    states_and_symbols = layers.Concatenate(name="state_and_symbol")([states, probabilities])
    painter = build_deconv_net(states_and_symbols.shape[-1], IMAGE_SHAPE, image_net["filters"], name="image_decoder")
    images = in_answer_order(layers.TimeDistributed(painter, name="draw_each_image")(states_and_symbols), spec,
                             name="reverse_images")
    images = layers.Identity(name=IMAGES_OUTPUT)(images)
    symbols = layers.Identity(name=SYMBOLS_OUTPUT)(in_answer_order(probabilities, spec))
    return keras.Model(tokens, {IMAGES_OUTPUT: images, SYMBOLS_OUTPUT: symbols}, name=name)
