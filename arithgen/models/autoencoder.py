"""Convolutional autoencoder (CAE): a ``build_conv_net`` encoder to a latent vector and a
``build_deconv_net`` decoder back to the image, trained on reconstruction alone."""

import keras

from arithgen.models.conv_blocks import build_conv_net, build_deconv_net


class Autoencoder(keras.Model):
    """Images (N, H, W, C) in [0, 1] -> latent (N, latent_dim) -> reconstructions in [0, 1].

    Trained with a plain ``fit(x, x)`` on per-pixel binary cross-entropy. It has no prior over its
    latent space; ``arithgen.tasks.generative`` samples from a Gaussian fitted to the training codes.
    """

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder

    def call(self, images, training=False):
        return self.decoder(self.encoder(images, training=training), training=training)


def build_autoencoder(image_shape, filters, latent_dim, name="cae"):
    encoder = build_conv_net(image_shape, filters, output_dim=latent_dim, name=f"{name}_encoder")
    decoder = build_deconv_net(latent_dim, image_shape, tuple(reversed(filters)), output_activation="sigmoid",
                               name=f"{name}_decoder")
    return Autoencoder(encoder, decoder, name=name)
