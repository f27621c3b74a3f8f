"""The generative models: shapes at 28/32/64 px and 1/3 channels, the VAE loss on a hand-computed
case, the GAN losses with label smoothing, seeded sampling, one training step of each, and what
every model offers (input range, encode/decode/sample)."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from arithgen.models.builders import build_model  # noqa: E402
from arithgen.models.gan import discriminator_loss, generator_loss  # noqa: E402
from arithgen.models.vae import Sampling, kl_divergence, reconstruction_loss, vae_loss  # noqa: E402

SETTINGS = {
    "cae": {"conv_filters": [4, 8], "latent_dim": 3, "steps": 2, "batch_size": 8, "learning_rate": 0.01},
    "vae": {"conv_filters": [4, 8], "latent_dim": 2, "steps": 2, "batch_size": 8, "learning_rate": 0.01, "beta": 1.0},
    "gan": {"conv_filters": [4, 8], "latent_dim": 4, "steps": 2, "batch_size": 8, "learning_rate": 0.001,
            "beta_1": 0.5, "label_smoothing": 0.1, "dropout": 0.3, "upsampling": "nearest"},
}
SHAPES = [(side, channels) for side in (28, 32, 64) for channels in (1, 3)]


def filters_for(side):
    return (4, 8, 8) if side == 64 else (4, 8)


@pytest.mark.parametrize("side,channels", SHAPES)
def test_every_model_maps_images_and_latents_to_the_right_shapes(side, channels):
    shape, filters = (side, side, channels), filters_for(side)
    images = np.random.default_rng(0).random((2, *shape)).astype("float32")
    settings = {name: {**SETTINGS[name], "conv_filters": filters} for name in SETTINGS}
    cae = build_model("cae", {**settings["cae"], "latent_dim": 5}, shape, seed=1)
    assert cae.encoder.output_shape == (None, 5)
    assert cae(images).shape == (2, *shape)
    vae = build_model("vae", {**settings["vae"], "latent_dim": 3}, shape, seed=1)
    assert [tuple(o.shape) for o in vae.encoder(images)] == [(2, 3)] * 3
    assert vae.decoder.output_shape == (None, *shape)
    gan = build_model("gan", {**settings["gan"], "latent_dim": 6, "classes": 3}, shape, seed=1)
    fake = gan.generator(np.zeros((2, 6 + 3), "float32"))  # noise, then the one-hot class
    assert fake.shape == (2, *shape)
    assert gan.critic(fake, np.array([0, 2]), training=False).shape == (2,)
    # Decoders end in sigmoid (autoencoders) and tanh (GAN generator).
    assert 0 <= float(np.min(cae(images))) and float(np.max(cae(images))) <= 1
    assert -1 <= float(np.min(fake)) and float(np.max(fake)) <= 1


def test_vae_loss_on_a_hand_computed_case():
    # Two pixels: x = (1, 0), decoded as (0.5, 0.5): cross-entropy 2 ln 2 per image.
    # Posterior N((1, 0), I): KL = 0.5 * (1^2 + 0^2) = 0.5. With beta = 2: total 2 ln 2 + 1.
    images = np.array([[[[1.0], [0.0]]]], "float32")
    decoded = np.full_like(images, 0.5)
    z_mean, z_log_var = np.array([[1.0, 0.0]], "float32"), np.zeros((1, 2), "float32")
    assert float(reconstruction_loss(images, decoded)[0]) == pytest.approx(2 * math.log(2), rel=1e-5)
    assert float(kl_divergence(z_mean, z_log_var)[0]) == pytest.approx(0.5, rel=1e-6)
    total, rec, kl = vae_loss(images, decoded, z_mean, z_log_var, beta=2.0)
    assert float(total) == pytest.approx(2 * math.log(2) + 1.0, rel=1e-5)
    assert (float(rec), float(kl)) == pytest.approx((2 * math.log(2), 0.5), rel=1e-5)


def test_kl_of_a_posterior_with_variance_on_a_hand_computed_case():
    # KL(N(0, e) || N(0, 1)) in one dimension = 0.5 * (e - 1 - 1) = (e - 2) / 2.
    assert float(kl_divergence(np.zeros((1, 1), "float32"), np.ones((1, 1), "float32"))[0]) == pytest.approx(
        (math.e - 2) / 2, rel=1e-5)


def test_gan_losses_with_label_smoothing():
    zero = np.zeros((4, 1), "float32")  # logit 0: probability 0.5 for every image
    # Real targets 0.9 against p = 0.5 cost ln 2 like any target; fakes against 0 cost ln 2.
    assert float(discriminator_loss(zero, zero, 0.1)) == pytest.approx(2 * math.log(2), rel=1e-5)
    big = np.full((4, 1), 20.0, "float32")  # the discriminator is sure the images are real
    # Smoothing keeps a cost for overconfidence: 0.1 * 20 (the target 0.9 is not met) + ~0 for the fakes term.
    assert float(discriminator_loss(big, -big, 0.1)) == pytest.approx(2.0, rel=1e-3)
    assert float(discriminator_loss(big, -big, 0.0)) == pytest.approx(0.0, abs=1e-6)
    assert float(generator_loss(zero)) == pytest.approx(math.log(2), rel=1e-5)


def test_sampling_is_seeded():
    mean, log_var = np.zeros((3, 4), "float32"), np.zeros((3, 4), "float32")
    first, second = Sampling(seed=5), Sampling(seed=5)
    draw = first([mean, log_var])
    np.testing.assert_array_equal(draw, second([mean, log_var]))
    assert not np.allclose(draw, first([mean, log_var]))  # the stream moves on




@pytest.mark.parametrize("name", SETTINGS)
def test_each_model_trains_reports_its_losses_and_saves_and_loads_its_weights(name, tmp_path):
    images = np.random.default_rng(0).random((16, 28, 28, 1)).astype("float32")
    model = build_model(name, SETTINGS[name], images.shape[1:], seed=3)
    import tensorflow as tf

    labels = np.zeros(len(images), np.int32)
    batches = tf.data.Dataset.from_tensor_slices(model.fit_targets(model.scale_unit(images), labels)).batch(8)
    logs = model.fit(batches, epochs=1, verbose=0).history
    expected = {"cae": {"loss"}, "vae": {"loss", "reconstruction_loss", "kl_loss"}, "gan": {"d_loss", "g_loss"}}[name]
    assert set(logs) == expected and all(np.isfinite(v[-1]) for v in logs.values())
    path = tmp_path / "model.weights.h5"
    model.save_weights(path)
    again = build_model(name, SETTINGS[name], images.shape[1:], seed=3)
    again.load_weights(path)
    for saved, loaded in zip(model.weights, again.weights):
        np.testing.assert_array_equal(np.asarray(saved), np.asarray(loaded))


@pytest.mark.parametrize("name", ["vae", "gan"])
def test_same_seed_same_weights(name):
    """Same config, same numbers: training twice from the same seed gives identical weights."""
    import tensorflow as tf

    # What configure_tensorflow does at a job's start, less the thread pools (fixed once per process).
    tf.config.experimental.enable_op_determinism()
    images = np.random.default_rng(0).random((24, 28, 28, 1)).astype("float32")
    labels = np.arange(24, dtype=np.int32) % 2
    weights = []
    for _ in range(2):
        keras.utils.set_random_seed(11)
        model = build_model(name, {**SETTINGS[name], "classes": 2}, images.shape[1:], seed=11)
        batches = tf.data.Dataset.from_tensor_slices(model.fit_targets(images, labels)).shuffle(24, seed=1).batch(8)
        model.fit(batches, epochs=2, verbose=0)
        weights.append([np.asarray(w) for w in model.weights])
    for first, second in zip(*weights):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("name", SETTINGS)
def test_every_model_speaks_images_in_unit_range_whatever_its_own_range(name):
    model = build_model(name, SETTINGS[name], (28, 28, 1), seed=2)
    uint8 = np.array([0, 255], np.uint8).reshape(2, 1, 1, 1)
    assert model.scale(uint8).ravel().tolist() == list(model.input_range)
    samples = model.sample(5, seed=4)
    assert samples.shape == (5, 28, 28, 1) and samples.min() >= 0 and samples.max() <= 1
    np.testing.assert_array_equal(samples, model.sample(5, seed=4))
    assert not np.array_equal(samples, model.sample(5, seed=5))
    if name == "gan":
        with pytest.raises(NotImplementedError, match="no encoder"):
            model.encode(samples)
    else:
        assert model.encode(samples).shape == (5, SETTINGS[name]["latent_dim"])


def test_the_cae_samples_from_a_gaussian_fitted_to_its_training_codes():
    model = build_model("cae", SETTINGS["cae"], (28, 28, 1), seed=2)
    images = np.random.default_rng(0).random((64, 28, 28, 1)).astype("float32")
    model.after_training(images)
    codes = model.encode(images)
    np.testing.assert_allclose(np.asarray(model.prior_mean), codes.mean(axis=0), atol=1e-5)
    drawn = model.prior(20000, np.random.default_rng(1))
    np.testing.assert_allclose(np.cov(drawn, rowvar=False), np.cov(codes, rowvar=False), atol=0.05 * codes.var())


def test_the_gan_draws_a_class_for_each_sample_and_learns_per_class():
    model = build_model("gan", {**SETTINGS["gan"], "classes": 3}, (28, 28, 1), seed=2)
    codes = model.prior(300, np.random.default_rng(0))
    noise, one_hot = codes[:, :4], codes[:, 4:]
    assert codes.shape == (300, 4 + 3) and abs(float(noise.std()) - 1) < 0.1
    np.testing.assert_array_equal(one_hot.sum(axis=1), 1)
    assert set(one_hot.argmax(axis=1)) == {0, 1, 2}
    # The critic's class projection has one learned vector per class, trained with the discriminator.
    assert model.class_projection.embeddings.shape[0] == 3
    assert any(v is model.class_projection.embeddings for v in model.optimizer_targets()[0][1])


def test_a_gan_step_runs_the_generator_once_and_trains_the_critic_and_the_generator():
    model = build_model("gan", {**SETTINGS["gan"], "classes": 3}, (28, 28, 1), seed=3)
    generator_before = [np.array(v) for v in model.generator.trainable_variables]
    critic_before = [np.array(v) for v in model.critic_variables()]
    calls, run_generator = [], model.generator.call
    model.generator.call = lambda *args, **kwargs: calls.append(1) or run_generator(*args, **kwargs)
    images = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    model.train_step((images, np.array([0, 1, 2, 0, 1, 2, 0, 1], "int32")))  # eager: every call counts
    assert len(calls) == 1  # the critic and the generator learn from the same fakes
    for before, variables in ((generator_before, model.generator.trainable_variables),
                              (critic_before, model.critic_variables())):
        assert all(not np.array_equal(b, np.array(v)) for b, v in zip(before, variables) if b.ndim > 1)


@pytest.mark.parametrize("widths,generator,critic", [
    ({}, [8, 4], [4, 8]),  # both mirror conv_filters by default
    ({"generator_filters": [6, 2], "discriminator_filters": [5, 7]}, [6, 2], [5, 7])])
def test_the_gan_networks_take_their_own_widths(widths, generator, critic):
    model = build_model("gan", {**SETTINGS["gan"], **widths}, (28, 28, 1), seed=5)
    for network, expected in ((model.generator, generator), (model.average_generator, generator),
                              (model.discriminator, critic)):
        blocks = [layer.filters for layer in network.layers if "_conv_" in layer.name or "_upconv_" in layer.name]
        assert blocks == expected, network.name


@pytest.mark.parametrize("decay", [0.0, 0.9])
def test_gan_samples_come_from_a_moving_average_of_the_generator(decay):
    model = build_model("gan", {**SETTINGS["gan"], "generator_average": decay}, (28, 28, 1), seed=4)
    expected = [np.array(v) for v in model.generator.variables]
    assert all(np.array_equal(e, np.array(a)) for e, a in zip(expected, model.average_generator.variables))
    images = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    for step in (1, 2, 3):
        model.train_step((images, np.zeros(8, "int32")))
        rate = min(decay, (1 + step) / (10 + step))  # the warm-up: early weights fade fast
        expected = [rate * e + (1 - rate) * np.array(v) for e, v in zip(expected, model.generator.variables)]
    for e, average in zip(expected, model.average_generator.variables):
        np.testing.assert_allclose(np.array(average), e, rtol=1e-5, atol=1e-6)
    codes = model.prior(4, np.random.default_rng(1))
    np.testing.assert_allclose(model.decode(codes), model.unscale(model.average_generator(codes)), atol=1e-6)
    latest = model.unscale(model.generator(codes))
    assert np.allclose(model.decode(codes), latest, atol=1e-6) == (decay == 0.0)


def test_class_indices_number_the_chosen_classes_and_unlabelled_data_has_one():
    from arithgen.data.generative import class_count, class_indices

    subset = {"classes": [3, 7, 9], "labelled": True}
    assert class_count(subset) == 3
    assert class_indices(np.array([9, 3, 7, 7]), subset).tolist() == [2, 0, 1, 1]
    folder = {"classes": [0], "labelled": False}
    assert class_count(folder) == 1 and class_indices(np.array([0, 0]), folder).tolist() == [0, 0]


def test_unknown_model_is_one_clear_line():
    with pytest.raises(ValueError, match="unknown generative model 'pixelcnn'; expected one of cae, vae, gan"):
        build_model("pixelcnn", {}, (28, 28, 1), seed=0)
