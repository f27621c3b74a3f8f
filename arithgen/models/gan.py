"""Class-conditional DCGAN (Radford et al., 2016; after keras-io's examples/generative/dcgan_overriding_train_step.py).

The generator is a ``build_deconv_net`` (batch norm, ReLU, tanh output in [-1, 1]) of a code: N(0, I) noise
followed by the one-hot class to draw. The discriminator is a ``build_conv_net`` (leaky ReLU, dropout) whose
features h give the logit w.h + b + e_y.h, with e_y a learned vector per class (the projection discriminator of
Miyato & Koyama, 2018). A dataset without labels has one class, and then this is the plain DCGAN. Tricks, from the
config: one-sided label smoothing (real targets 1 - s) and Adam with beta_1 = 0.5. Latent vectors and classes come
from a seeded stream, so the same seed trains the same GAN.

Each step runs the generator once: the critic and then the generator learn from the same fakes. Samples come
from a moving average of the generator's variables (Yazici et al., 2019), because the latest weights swing from
one checkpoint to the next. The average's copy is built beside the generator, so its (discarded) initialisation
draws from the seeded stream before the discriminator's.

Why conditioning, one generator pass, the narrow last block and the average: docs/design.md#gan-conditioning
and the sections after it, which also list what was tried and left out.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from arithgen.models.conv_blocks import build_conv_net, build_deconv_net
from arithgen.models.generative import GenerativeMixin


def discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Binary cross-entropy of real images against 1 - label_smoothing and fakes against 0 (scalar)."""
    real = ops.binary_crossentropy(ops.full(ops.shape(real_logits), 1.0 - label_smoothing), real_logits,
                                   from_logits=True)
    fake = ops.binary_crossentropy(ops.zeros(ops.shape(fake_logits)), fake_logits, from_logits=True)
    return ops.mean(real) + ops.mean(fake)


def generator_loss(fake_logits):
    """Non-saturating generator loss: fakes judged against the real label 1 (scalar)."""
    return ops.mean(ops.binary_crossentropy(ops.ones(ops.shape(fake_logits)), fake_logits, from_logits=True))


class GAN(GenerativeMixin, keras.Model):
    """Generator: codes (N, latent_dim + classes), noise then one-hot class -> images (N, H, W, C) in [-1, 1];
    discriminator features -> one logit per image and class; metrics ``d_loss`` and ``g_loss``.
    ``compile(d_optimizer=..., g_optimizer=...)``. Trained on (images, class indices); it has no encoder."""

    input_range = (-1.0, 1.0)

    def __init__(self, generator, average_generator, discriminator, latent_dim, classes=1, label_smoothing=0.0,
                 average_decay=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator, self.discriminator = generator, discriminator
        # Samples come from a moving average of the generator's variables (a copy of its architecture).
        self.average_generator, self.average_decay = average_generator, average_decay
        average_generator.trainable = False
        self.latent_dim, self.classes, self.label_smoothing = latent_dim, classes, label_smoothing
        self.logit = layers.Dense(1, name="critic_logit")
        self.class_projection = layers.Embedding(classes, discriminator.output.shape[-1], name="class_projection")
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def decoder(self):
        return self.average_generator

    def critic_variables(self):
        return self.discriminator.trainable_variables + self.logit.trainable_variables + \
            self.class_projection.trainable_variables

    def optimizer_targets(self):
        return [(self.d_optimizer, self.critic_variables()),
                (self.g_optimizer, self.generator.trainable_variables)]

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    def fit_targets(self, images, labels):
        return images, labels

    def prior(self, count, rng):
        """``count`` codes: the N(0, I) noise of every model here, then the one-hot of a class drawn uniformly."""
        noise = super().prior(count, rng)
        return np.concatenate([noise, np.eye(self.classes, dtype=np.float32)[rng.integers(self.classes, size=count)]],
                              axis=1)

    def call(self, codes, training=False):
        return self.generator(codes, training=training)

    def critic(self, images, labels, training):
        """Logits (N,) that ``images`` are real images of class ``labels``."""
        features = self.discriminator(images, training=training)
        return self.logit(features)[:, 0] + ops.sum(self.class_projection(labels) * features, axis=1)

    def _fakes(self, count):
        labels = keras.random.randint((count,), 0, self.classes, seed=self.seed_generator)
        noise = keras.random.normal((count, self.latent_dim), seed=self.seed_generator)
        codes = ops.concatenate([noise, ops.one_hot(labels, self.classes)], axis=1)
        return self.generator(codes, training=True), labels

    def train_step(self, data):
        real, labels = data
        # One generator pass per step (as in the DCGAN reference code): the critic learns from these fakes,
        # then the generator learns from the updated critic's verdict on the same fakes.
        with tf.GradientTape() as generator_tape:
            fake, fake_labels = self._fakes(ops.shape(real)[0])
        with tf.GradientTape() as tape:
            d_loss = discriminator_loss(self.critic(real, labels, training=True),
                                        self.critic(ops.stop_gradient(fake), fake_labels, training=True),
                                        self.label_smoothing)
        weights = self.critic_variables()
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, weights), weights))

        with generator_tape:  # resumes recording on top of the generator pass
            g_loss = generator_loss(self.critic(fake, fake_labels, training=True))
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(generator_tape.gradient(g_loss, weights), weights))

        self._update_average()

        self.trackers["d_loss"].update_state(d_loss)
        self.trackers["g_loss"].update_state(g_loss)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _update_average(self):
        """average <- r * average + (1 - r) * generator, r = min(decay, (1 + t) / (10 + t)) after t steps: the
        warm-up of tf.train.ExponentialMovingAverage, so that the random initial weights fade fast."""
        steps = ops.cast(self.g_optimizer.iterations, "float32")
        rate = ops.minimum(self.average_decay, (1.0 + steps) / (10.0 + steps))
        for average, variable in zip(self.average_generator.variables, self.generator.variables):
            average.assign(rate * average + (1.0 - rate) * variable)


def build_gan(image_shape, settings, seed=None, name="gan"):
    """A compiled GAN; ``settings``: conv_filters, generator_filters (its up-sampling blocks; default:
    conv_filters mirrored), discriminator_filters (default: conv_filters), latent_dim, learning_rate, beta_1,
    label_smoothing, dropout, kernel_size (the discriminator's), upsampling (the generator's), generator_average
    (the decay of the average that samples come from; 0, the default, samples from the latest weights) and
    classes (the dataset's; 1 = unconditional)."""
    filters, latent_dim, classes = tuple(settings["conv_filters"]), settings["latent_dim"], settings.get("classes", 1)
    kernel_size = settings.get("kernel_size", 3)
    critic_filters = tuple(settings.get("discriminator_filters", filters))
    generator_filters = tuple(settings.get("generator_filters", reversed(filters)))
    generator, average_generator = (
        build_deconv_net(latent_dim + classes, image_shape, generator_filters, kernel_size=4, batch_norm=True,
                         output_activation="tanh", upsampling=settings.get("upsampling", "transposed"),
                         name=f"{name}_{role}") for role in ("generator", "average_generator"))
    average_generator.set_weights(generator.get_weights())
    discriminator = build_conv_net(image_shape, critic_filters, output_dim=None, kernel_size=kernel_size,
                                   activation="leaky_relu", dropout=settings["dropout"], name=f"{name}_discriminator")
    model = GAN(generator, average_generator, discriminator, latent_dim, classes, settings["label_smoothing"],
                settings.get("generator_average", 0.0), seed=seed, name=name)
    # A subclassed model is built by calling it: the generator, then the critic on its output.
    model.critic(model(np.zeros((1, latent_dim + classes), np.float32)), np.zeros(1, np.int32), training=False)
    rate, beta_1 = settings["learning_rate"], settings["beta_1"]
    model.compile(d_optimizer=keras.optimizers.Adam(rate, beta_1=beta_1),
                  g_optimizer=keras.optimizers.Adam(rate, beta_1=beta_1))
    return model
