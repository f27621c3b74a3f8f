"""The two convolutional building blocks every image model here is made of.

``build_conv_net`` turns images into a vector (digit reader, img2text's per-image encoder, the
CAE/VAE encoders, the GAN discriminator, the FID feature classifier); ``build_deconv_net`` turns a
vector back into images (text2img's per-step image decoder, the CAE/VAE decoders, the GAN
generator). Each stride-2 block halves (or doubles) the image side, so the number of blocks fixes
the smallest feature map: 28 px with 2 blocks -> 7 px, 64 px with 3 blocks -> 8 px.
"""

import keras
from keras import layers


def _activation(name):
    if name == "leaky_relu":
        return layers.LeakyReLU(0.2)
    return layers.Activation(name)


def build_conv_net(input_shape, filters=(32, 64), output_dim=None, kernel_size=3, activation="relu",
                   batch_norm=False, dropout=0.0, output_activation=None, name="conv_net"):
    """Images (N, H, W, C) -> vectors (N, output_dim), or the flattened last feature maps
    (N, H/2^k * W/2^k * filters[-1]) when ``output_dim`` is None; k = len(filters).

    Each block is a stride-2 convolution ("same" padding), optional batch norm, then
    ``activation`` ("relu", "leaky_relu", ...). ``dropout`` is applied to the flattened features.
    """
    images = keras.Input(input_shape, name=f"{name}_images")
    x = images
    for i, width in enumerate(filters):
        x = layers.Conv2D(width, kernel_size, strides=2, padding="same", use_bias=not batch_norm,
                          name=f"{name}_conv_{i}")(x)
        if batch_norm:
            x = layers.BatchNormalization(name=f"{name}_norm_{i}")(x)
        x = _activation(activation)(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    if dropout:
        x = layers.Dropout(dropout, name=f"{name}_dropout")(x)
    if output_dim is not None:
        x = layers.Dense(output_dim, activation=output_activation, name=f"{name}_output")(x)
    return keras.Model(images, x, name=name)


def deconv_start_size(image_side, blocks):
    """Side of the first feature map of a deconv net that doubles it ``blocks`` times."""
    start = image_side // 2**blocks
    if start < 1 or start * 2**blocks != image_side:
        raise ValueError(f"image side {image_side} is not a multiple of 2^{blocks} "
                         f"({blocks} upsampling blocks); expected e.g. {7 * 2**blocks} or {8 * 2**blocks}")
    return start


UPSAMPLING = ("transposed", "nearest")


def _upsampling_block(x, width, kernel_size, upsampling, use_bias, name, index):
    """Double the feature maps' side: a stride-2 transposed convolution, or nearest-neighbour
    up-sampling then a 3x3 convolution (every output pixel sees the same number of inputs, so no
    checkerboard pattern: Odena et al., 2016, "Deconvolution and checkerboard artifacts")."""
    if upsampling == "transposed":
        return layers.Conv2DTranspose(width, kernel_size, strides=2, padding="same", use_bias=use_bias,
                                      name=f"{name}_deconv_{index}")(x)
    if upsampling == "nearest":
        x = layers.UpSampling2D(interpolation="nearest", name=f"{name}_upsample_{index}")(x)
        return layers.Conv2D(width, 3, padding="same", use_bias=use_bias, name=f"{name}_upconv_{index}")(x)
    raise ValueError(f"upsampling {upsampling!r} is not one of {', '.join(UPSAMPLING)}")


def build_deconv_net(input_dim, output_shape, filters=(64, 32), kernel_size=4, activation="relu",
                     batch_norm=False, output_activation="sigmoid", upsampling="transposed", name="deconv_net"):
    """Vectors (N, input_dim) -> images (N, H, W, C) with ``output_shape`` = (H, W, C).

    A dense layer makes ``filters[0]`` feature maps of side H / 2^k (k = len(filters)); each
    block doubles the side with ``filters[i]`` channels (``upsampling``: "transposed" convolution
    or "nearest" up-sampling + convolution); a last stride-1 convolution makes the C channels,
    through ``output_activation`` ("sigmoid" for [0, 1], "tanh" for [-1, 1]).
    """
    height, width, channels = output_shape
    start_h, start_w = deconv_start_size(height, len(filters)), deconv_start_size(width, len(filters))
    vectors = keras.Input((input_dim,), name=f"{name}_vectors")
    x = layers.Dense(start_h * start_w * filters[0], use_bias=not batch_norm, name=f"{name}_dense")(vectors)
    if batch_norm:
        x = layers.BatchNormalization(name=f"{name}_dense_norm")(x)
    x = _activation(activation)(x)
    x = layers.Reshape((start_h, start_w, filters[0]), name=f"{name}_reshape")(x)
    for i, width_ in enumerate(filters):
        x = _upsampling_block(x, width_, kernel_size, upsampling, not batch_norm, name, i)
        if batch_norm:
            x = layers.BatchNormalization(name=f"{name}_norm_{i}")(x)
        x = _activation(activation)(x)
    x = layers.Conv2D(channels, 3, padding="same", activation=output_activation, name=f"{name}_output")(x)
    return keras.Model(vectors, x, name=name)
