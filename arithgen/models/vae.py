"""Variational autoencoder (Kingma & Welling, 2014), after keras-io's examples/generative/vae.py.

The encoder is a ``build_conv_net`` body with two dense heads (mean and log-variance of q(z|x)) and a
``Sampling`` layer; the decoder is a ``build_deconv_net``. The loss is the negative ELBO with a
Bernoulli likelihood: reconstruction (binary cross-entropy summed over pixels) plus beta times
KL(q(z|x) || N(0, I)), both per image and averaged over the batch.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from arithgen.data.pipelines import predict_in_batches
from arithgen.models.conv_blocks import build_conv_net, build_deconv_net
from arithgen.models.generative import PREDICT_BATCH, GenerativeMixin

EPSILON = 1e-7  # keeps log(p) finite where the decoder says exactly 0 or 1


@keras.saving.register_keras_serializable(package="arithgen")
class Sampling(layers.Layer):
    """(z_mean, z_log_var) -> z = z_mean + exp(z_log_var / 2) * eps, eps ~ N(0, I) from a seeded stream."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def reconstruction_loss(images, reconstructions):
    """Per-image binary cross-entropy summed over pixels: (N, H, W, C) x2 in [0, 1] -> (N,)."""
    p = ops.clip(reconstructions, EPSILON, 1 - EPSILON)
    bce = -(images * ops.log(p) + (1 - images) * ops.log(1 - p))
    return ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=1)


def kl_divergence(z_mean, z_log_var):
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)) per image: (N, D) x2 -> (N,)."""
    return -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)


def vae_loss(images, reconstructions, z_mean, z_log_var, beta=1.0):
    """(total, reconstruction, kl), each a scalar averaged over the batch; total = rec + beta * kl."""
    reconstruction = ops.mean(reconstruction_loss(images, reconstructions))
    kl = ops.mean(kl_divergence(z_mean, z_log_var))
    return reconstruction + beta * kl, reconstruction, kl


class VAE(GenerativeMixin, keras.Model):
    """Encoder (images -> z_mean, z_log_var, z) and decoder (z -> images in [0, 1]) trained on the
    beta-weighted negative ELBO; metrics ``loss``, ``reconstruction_loss``, ``kl_loss``. Samples
    decode draws of the N(0, I) prior; codes are posterior means."""

    def __init__(self, encoder, decoder, latent_dim, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.latent_dim, self.beta = encoder, decoder, latent_dim, beta
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("loss", "reconstruction_loss", "kl_loss")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, images, training=False):
        z_mean, _, _ = self.encoder(images, training=training)
        return self.decoder(z_mean, training=training)

    def _loss_terms(self, images, training):
        z_mean, z_log_var, z = self.encoder(images, training=training)
        return vae_loss(images, self.decoder(z, training=training), z_mean, z_log_var, self.beta)

    def _logs(self, losses):
        for tracker, value in zip(self.trackers.values(), losses):
            tracker.update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def train_step(self, images):
        with tf.GradientTape() as tape:
            losses = self._loss_terms(images, training=True)
        gradients = tape.gradient(losses[0], self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
        return self._logs(losses)

    def test_step(self, images):
        return self._logs(self._loss_terms(images, training=False))

    def encode(self, images):
        return np.asarray(predict_in_batches(self.encoder, images, PREDICT_BATCH)[0])

    def elbo(self, images):
        """ELBO (beta = 1) on images in [0, 1], one posterior sample per image: (elbo, reconstruction
        nats, kl nats), means per image. Higher is better; it bounds log p(x) from below."""
        rec, kl = [], []
        for start in range(0, len(images), PREDICT_BATCH):
            batch = images[start:start + PREDICT_BATCH]
            z_mean, z_log_var, z = self.encoder(batch, training=False)
            rec.append(ops.convert_to_numpy(reconstruction_loss(batch, self.decoder(z, training=False))))
            kl.append(ops.convert_to_numpy(kl_divergence(z_mean, z_log_var)))
        rec, kl = float(np.concatenate(rec).mean()), float(np.concatenate(kl).mean())
        return -(rec + kl), rec, kl


def build_vae_encoder(image_shape, filters, latent_dim, seed=None, name="vae_encoder"):
    """Images (N, H, W, C) -> [z_mean, z_log_var, z], each (N, latent_dim)."""
    images = keras.Input(image_shape, name=f"{name}_images")
    features = build_conv_net(image_shape, filters, name=f"{name}_body")(images)
    z_mean = layers.Dense(latent_dim, name="z_mean")(features)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(features)
    z = Sampling(seed=seed, name="z")([z_mean, z_log_var])
    return keras.Model(images, [z_mean, z_log_var, z], name=name)


def build_vae(image_shape, settings, seed=None, name="vae"):
    """A compiled VAE; ``settings``: conv_filters, latent_dim, beta, learning_rate (and upsampling)."""
    filters, latent_dim = tuple(settings["conv_filters"]), settings["latent_dim"]
    encoder = build_vae_encoder(image_shape, filters, latent_dim, seed=seed, name=f"{name}_encoder")
    decoder = build_deconv_net(latent_dim, image_shape, tuple(reversed(filters)), output_activation="sigmoid",
                               upsampling=settings.get("upsampling", "transposed"), name=f"{name}_decoder")
    model = VAE(encoder, decoder, latent_dim, beta=settings["beta"], name=name)
    model(np.zeros((1, *image_shape), np.float32))  # a subclassed model is built by calling it once
    model.compile(optimizer=keras.optimizers.Adam(settings["learning_rate"]))
    return model
