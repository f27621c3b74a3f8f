"""Convolutional autoencoder (CAE): a ``build_conv_net`` encoder to a latent vector and a
``build_deconv_net`` decoder back to the image, trained on reconstruction alone."""

import keras
import numpy as np

from arithgen.data.pipelines import predict_in_batches
from arithgen.models.conv_blocks import build_conv_net, build_deconv_net
from arithgen.models.generative import PREDICT_BATCH, GenerativeMixin


class Autoencoder(GenerativeMixin, keras.Model):
    """Images (N, H, W, C) in [0, 1] -> latent (N, latent_dim) -> reconstructions in [0, 1].

    Trained with a plain ``fit(x, x)`` on per-pixel binary cross-entropy. It has no prior over its
    latent space, so it samples from a Gaussian fitted to the codes of the training images (mean and
    full covariance), kept in two non-trainable weights that are saved with the others.
    """

    preview_kind = "reconstructions"

    def __init__(self, encoder, decoder, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.latent_dim = encoder, decoder, latent_dim
        self.prior_mean = self.add_weight(shape=(latent_dim,), initializer="zeros", trainable=False,
                                          name="prior_mean")
        self.prior_factor = self.add_weight(shape=(latent_dim, latent_dim), initializer="identity",
                                            trainable=False, name="prior_factor")

    def call(self, images, training=False):
        return self.decoder(self.encoder(images, training=training), training=training)

    def fit_targets(self, images, labels):
        return images, images

    def encode(self, images):
        return np.asarray(predict_in_batches(self.encoder, images, PREDICT_BATCH))

    def after_training(self, images):
        """Fit the sampling Gaussian to the training codes (Cholesky factor of the covariance)."""
        codes = self.encode(images).astype(np.float64)
        cov = np.cov(codes, rowvar=False) + 1e-6 * np.eye(codes.shape[1])
        self.prior_mean.assign(codes.mean(axis=0).astype(np.float32))
        self.prior_factor.assign(np.linalg.cholesky(cov).astype(np.float32))

    def prior(self, count, rng):
        mean, factor = np.asarray(self.prior_mean), np.asarray(self.prior_factor)
        return (mean + rng.standard_normal((count, self.latent_dim)) @ factor.T).astype(np.float32)


def build_autoencoder(image_shape, settings, seed=None, name="cae"):
    """A compiled CAE; ``settings``: conv_filters, latent_dim, learning_rate (and upsampling)."""
    filters, latent_dim = tuple(settings["conv_filters"]), settings["latent_dim"]
    encoder = build_conv_net(image_shape, filters, output_dim=latent_dim, name=f"{name}_encoder")
    decoder = build_deconv_net(latent_dim, image_shape, tuple(reversed(filters)), output_activation="sigmoid",
                               upsampling=settings.get("upsampling", "transposed"), name=f"{name}_decoder")
    model = Autoencoder(encoder, decoder, latent_dim, name=name)
    model(np.zeros((1, *image_shape), np.float32))  # a subclassed model is built by calling it once
    model.compile(optimizer=keras.optimizers.Adam(settings["learning_rate"]), loss="binary_crossentropy")
    return model
