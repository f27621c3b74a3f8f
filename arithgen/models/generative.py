"""What every generative model here (CAE, VAE, GAN) offers (their builders: ``arithgen.models.builders``).

A model owns its input range (``input_range``: [0, 1] for the autoencoders' sigmoid, [-1, 1] for
the GAN's tanh) and speaks images in [0, 1] to everyone else: ``decode(codes)``,
``sample(n, seed)`` and, where it has an encoder, ``encode(images)``. So callers never branch on
the model's name.
"""

import numpy as np

from arithgen.data.pipelines import predict_in_batches

PREDICT_BATCH = 1000


class GenerativeMixin:
    """Mixed into a ``keras.Model`` with a ``decoder`` (latent (N, D) -> images in ``input_range``)
    and a ``latent_dim``."""

    input_range = (0.0, 1.0)
    classes = 1  # how many classes the model is told to draw from (1: it is not told any)
    # What the progress grids show while training: "prior" decodings of fixed latent points, or
    # "reconstructions" of fixed test images (the CAE, whose sampling prior is fitted only at the end).
    preview_kind = "prior"

    def scale(self, images):
        """uint8 images (N, H, W, C) -> float32 in ``input_range``."""
        low, high = self.input_range
        return images.astype(np.float32) * np.float32((high - low) / 255.0) + np.float32(low)

    def unscale(self, outputs):
        """Model outputs in ``input_range`` -> float32 images in [0, 1]."""
        low, high = self.input_range
        return np.clip((np.asarray(outputs, np.float32) - low) / (high - low), 0.0, 1.0)

    def fit_targets(self, images, labels):
        """What ``fit`` trains on for a batch of scaled images and their class indices: the images (for
        a model with its own ``train_step``), ``(x, x)`` for an autoencoder trained with a plain loss,
        or ``(images, labels)`` for a class-conditional model."""
        return images

    def prior(self, count, rng):
        """``count`` latent points (count, latent_dim) float32 from the model's prior (here N(0, I))."""
        return rng.standard_normal((count, self.latent_dim)).astype(np.float32)

    def decode(self, codes):
        """Latent points (N, latent_dim) -> images (N, H, W, C) float32 in [0, 1]."""
        outputs = predict_in_batches(self.decoder, np.asarray(codes, np.float32), PREDICT_BATCH)
        return self.unscale(outputs)

    def sample(self, count, seed):
        """``count`` generated images (count, H, W, C) float32 in [0, 1]; the same seed, the same images."""
        return self.decode(self.prior(count, np.random.default_rng(seed)))

    def encode(self, images):
        """Images (N, H, W, C) in [0, 1] -> codes (N, latent_dim). Only models with an encoder."""
        raise NotImplementedError(f"{type(self).__name__} has no encoder")

    def reconstruct(self, images):
        """Images (N, H, W, C) in [0, 1] -> the model's reconstructions in [0, 1]."""
        return self.unscale(predict_in_batches(self, self.scale_unit(images), PREDICT_BATCH))

    def scale_unit(self, images):
        """Float images in [0, 1] -> ``input_range``."""
        low, high = self.input_range
        return np.asarray(images, np.float32) * np.float32(high - low) + np.float32(low)

    def optimizer_targets(self):
        """[(optimizer, the variables it updates)], so its slots can be built before a resume."""
        return [(self.optimizer, self.trainable_variables)]

    def training_variables(self):
        """Every variable a resumed run needs, in a fixed order: the model's (weights, batch-norm
        statistics, seed-generator states) and each optimizer's (step count, moments)."""
        variables = list(self.variables)
        for optimizer, targets in self.optimizer_targets():
            if not optimizer.built:
                optimizer.build(targets)
            variables += list(optimizer.variables)
        return variables

    def after_training(self, images):
        """Called once with the scaled training images when training ends (the CAE fits its prior)."""


def count_parameters(model):
    return int(sum(np.prod(w.shape) for w in model.weights if w.trainable))
