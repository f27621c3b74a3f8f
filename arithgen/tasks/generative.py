"""Task 2 jobs: prepare the images, train the FID feature network, train a generative model (CAE,
VAE or GAN) and evaluate it (FID, reconstruction, ELBO, memorisation, latent-space walks).

Settings come straight from the config's ``generative`` section: ``model_settings`` is one entry of
``generative.models`` with ``conv_filters`` filled in (``latent_dim``, ``epochs``, ``batch_size``,
``learning_rate`` and the model's own keys: ``beta``; ``label_smoothing``, ``beta_1``, ``dropout``).
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd

from arithgen.data.datasets import load_dataset, save_dataset
from arithgen.data.generative import from_symmetric, prepare_generative_data, to_symmetric, to_unit
from arithgen.evaluation import latent
from arithgen.evaluation.fid import feature_statistics, frechet_distance, image_features
from arithgen.evaluation.memorisation import memorisation_stats, nearest_neighbours
from arithgen.io import atomic_path, read_json, write_json
from arithgen.mosaic import save_gif, save_png, tile, to_uint8

MODELS = ("cae", "vae", "gan")
GRID_SAMPLES = 64  # images kept for the sample grid
PREVIEW = 16  # images in each progress grid
INTERPOLATION_ROWS = 4
RECONSTRUCTIONS = 12
NEAREST_SHOWN = 8
# Keys of the examples file that hold images (stored as uint8).
IMAGE_KEYS = ("samples", "nearest_generated", "nearest_train", "originals", "reconstructions", "interpolation",
              "map_images", "attribute_rows")
MAP_POINTS = 2000  # test images placed on the VAE's latent map
MANIFOLD_SIZE = 15
ATTRIBUTE_ROWS = 5


# --- data ------------------------------------------------------------------------------------------


def prepare(images_path, provenance_path, dataset, settings, seed, outputs):
    """Write ``results/generative/data.npz`` and its description ``data.json``."""
    arrays, info = prepare_generative_data(load_dataset(images_path), read_json(provenance_path), dataset,
                                           settings, seed)
    print(f"{info['n_train']} train and {info['n_test']} test images of shape {info['image_shape']}, "
          f"classes {info['class_names']}", flush=True)
    save_dataset(arrays, outputs["data"])
    write_json(info, outputs["info"])
    return info


def scaled(images, model):
    """uint8 images in the range ``model`` trains on: [-1, 1] for the GAN, [0, 1] otherwise."""
    return to_symmetric(images) if model == "gan" else to_unit(images)


# --- models ----------------------------------------------------------------------------------------


def build_model(name, model_settings, image_shape, seed):
    """The (uncompiled) ``keras.Model`` of generative model ``name`` (one of ``MODELS``)."""
    from arithgen.models.autoencoder import build_autoencoder
    from arithgen.models.gan import build_gan
    from arithgen.models.vae import build_vae

    filters, latent_dim = tuple(model_settings["conv_filters"]), model_settings["latent_dim"]
    if name == "cae":
        model = build_autoencoder(image_shape, filters, latent_dim)
    elif name == "vae":
        model = build_vae(image_shape, filters, latent_dim, beta=model_settings["beta"], seed=seed)
    elif name == "gan":
        model = build_gan(image_shape, filters, latent_dim, label_smoothing=model_settings["label_smoothing"],
                          dropout=model_settings["dropout"], seed=seed)
    else:
        raise ValueError(f"unknown generative model {name!r}; expected one of {', '.join(MODELS)}")
    # A subclassed model is built by calling it once; only a built model saves or loads weights.
    model(np.zeros((1, latent_dim) if name == "gan" else (1, *image_shape), np.float32))
    return model


def compile_model(name, model, model_settings):
    import keras

    rate = model_settings["learning_rate"]
    if name == "gan":
        beta_1 = model_settings["beta_1"]
        model.compile(d_optimizer=keras.optimizers.Adam(rate, beta_1=beta_1),
                      g_optimizer=keras.optimizers.Adam(rate, beta_1=beta_1))
    elif name == "vae":
        model.compile(optimizer=keras.optimizers.Adam(rate))
    else:
        model.compile(optimizer=keras.optimizers.Adam(rate), loss="binary_crossentropy")


def count_parameters(model):
    return int(sum(np.prod(w.shape) for w in model.weights if w.trainable))


def decoder_of(name, model):
    return model.generator if name == "gan" else model.decoder


def load_model(name, model_settings, image_shape, seed, weights_path):
    model = build_model(name, model_settings, image_shape, seed)
    model.load_weights(weights_path)
    return model


# --- training ----------------------------------------------------------------------------------------


def preview_images(name, model, fixed):
    """PREVIEW images in [0, 1] showing the model now: reconstructions of fixed test images (CAE),
    or decodings of fixed latent points (VAE, GAN)."""
    if name == "cae":
        return model.predict(fixed, verbose=0)
    images = decoder_of(name, model).predict(fixed, verbose=0)
    return from_symmetric(images) if name == "gan" else images


def train_model(name, data_path, info_path, model_settings, sample_every, seed, threads, outputs):
    """Train one generative model; write its weights, per-epoch history (losses and wall time) and a
    grid of preview images every ``sample_every`` epochs (and after the last) into ``outputs["progress"]``."""
    import keras

    from arithgen import training

    training.configure_tensorflow(threads, seed)
    data, info = load_dataset(data_path), read_json(info_path)
    invert = info["invert_for_display"]
    x_train = scaled(data["x_train"], name)
    model = build_model(name, model_settings, x_train.shape[1:], seed)
    compile_model(name, model, model_settings)
    rng = np.random.default_rng([seed, 1])
    fixed = (to_unit(data["x_test"][:PREVIEW]) if name == "cae"
             else rng.standard_normal((PREVIEW, model_settings["latent_dim"])).astype(np.float32))
    progress = Path(outputs["progress"])
    progress.mkdir(parents=True, exist_ok=True)
    epochs, rows, start = model_settings["epochs"], [], time.perf_counter()

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            rows.append({"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()},
                         "seconds": time.perf_counter() - start})
            if (epoch + 1) % sample_every == 0 or epoch + 1 == epochs:
                grid = tile(preview_images(name, model, fixed), 4, invert=invert)
                save_png(grid, progress / f"epoch_{epoch + 1:03d}.png", scale=2, invert=invert)

    targets = (x_train,) if name != "cae" else (x_train, x_train)
    model.fit(*targets, batch_size=model_settings["batch_size"], epochs=epochs, shuffle=True,
              callbacks=[Record()], verbose=2)
    with atomic_path(outputs["weights"]) as tmp:
        model.save_weights(tmp)
    with atomic_path(outputs["history"]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)
    return rows


# --- FID feature network --------------------------------------------------------------------------------


def rotation_task(images, rng):
    """Unlabelled images -> (each rotated by a random multiple of 90 degrees, that multiple 0..3):
    a self-supervised task whose classifier learns the data's shapes (Gidaris et al., 2018)."""
    turns = rng.integers(0, 4, len(images))
    rotated = np.stack([np.rot90(image, k, axes=(0, 1)) for image, k in zip(images, turns)])
    return rotated, turns.astype(np.int64)


def classifier_task(data, info, seed):
    """(x_train, y_train, x_test, y_test, task) the FID network learns: the dataset's classes
    (task "labels") where there are at least two, else the rotation task (task "rotation")."""
    if info["labelled"]:
        index = {label: i for i, label in enumerate(info["classes"])}
        to_index = np.vectorize(index.__getitem__, otypes=[np.int64])
        return data["x_train"], to_index(data["y_train"]), data["x_test"], to_index(data["y_test"]), "labels"
    rng = np.random.default_rng([seed, 2])
    x_train, y_train = rotation_task(data["x_train"], rng)
    x_test, y_test = rotation_task(data["x_test"], rng)
    return x_train, y_train, x_test, y_test, "rotation"


def reference_subset(count, n, seed):
    """Indices of min(n, count) training images, the same for every model (seeded)."""
    return np.sort(np.random.default_rng([seed, 3]).choice(count, min(n, count), replace=False))


def train_fid_network(data_path, info_path, fid_settings, conv_filters, seed, threads, outputs):
    """Train the FID classifier; score the floor (real train vs real test images) and the real test
    images' distances to their nearest training image (the memorisation reference).

    Writes ``classifier`` (.keras), ``reference`` (.npz: test feature mean and covariance, test
    nearest-train distances) and ``metrics`` (JSON, ``task: generative``, ``model: real``).
    """
    import keras

    from arithgen import training
    from arithgen.models.classifier import build_classifier, feature_extractor

    training.configure_tensorflow(threads, seed)
    data, info = load_dataset(data_path), read_json(info_path)
    x_train, y_train, x_test, y_test, task = classifier_task(data, info, seed)
    n_classes = int(y_train.max()) + 1
    classifier = build_classifier(x_train.shape[1:], n_classes, filters=tuple(conv_filters),
                                  feature_dim=fid_settings["feature_dim"])
    classifier.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                       metrics=["accuracy"])
    classifier.fit(to_unit(x_train), y_train, batch_size=128, epochs=fid_settings["classifier_epochs"],
                   shuffle=True, verbose=2)
    _, accuracy = classifier.evaluate(to_unit(x_test), y_test, batch_size=1000, verbose=0)

    extractor = feature_extractor(classifier)
    test_images, train_images = to_unit(data["x_test"]), to_unit(data["x_train"])
    test_mean, test_cov = feature_statistics(image_features(extractor, test_images))
    floor_index = reference_subset(len(train_images), fid_settings["n_generated"], seed)
    floor = frechet_distance(*feature_statistics(image_features(extractor, train_images[floor_index])),
                             test_mean, test_cov)
    test_distances, _ = nearest_neighbours(test_images, train_images)

    with atomic_path(outputs["classifier"]) as tmp:
        classifier.save(tmp)
    with atomic_path(outputs["reference"]) as tmp, open(tmp, "wb") as stream:
        np.savez(stream, test_mean=test_mean, test_cov=test_cov, test_nn_distances=test_distances)
    metrics = {
        "task": "generative", "model": "real", "dataset": info["dataset"],
        "n_train": info["n_train"], "n_test": info["n_test"],
        "classifier_task": task, "classifier_classes": n_classes,
        "classifier_test_accuracy": float(accuracy), "classifier_epochs": fid_settings["classifier_epochs"],
        "feature_dim": fid_settings["feature_dim"],
        "fid": floor, "n_fid_images": len(floor_index),
        "test_median_nn_distance": float(np.median(test_distances)),
    }
    write_json(metrics, outputs["metrics"])
    return metrics


# --- evaluation -------------------------------------------------------------------------------------


def latent_codes(name, model, images):
    """Codes of images in [0, 1]: the encoder's output (CAE) or the posterior mean (VAE)."""
    if name == "cae":
        return model.encoder.predict(images, batch_size=1000, verbose=0)
    return model.encoder.predict(images, batch_size=1000, verbose=0)[0]


def decode(name, model, codes):
    """Latent points -> images in [0, 1]."""
    images = decoder_of(name, model).predict(np.asarray(codes, np.float32), batch_size=1000, verbose=0)
    return from_symmetric(images) if name == "gan" else np.asarray(images)


def prior_sampler(name, model, train_images, latent_dim):
    """A function (count, rng) -> latent points. VAE and GAN: their N(0, I) prior. CAE, which has no
    prior: a Gaussian fitted to the codes of the training images (mean and full covariance)."""
    if name != "cae":
        return lambda count, rng: rng.standard_normal((count, latent_dim)).astype(np.float32)
    codes = latent_codes(name, model, train_images).astype(np.float64)
    mean, cov = codes.mean(axis=0), np.cov(codes, rowvar=False) + 1e-6 * np.eye(codes.shape[1])
    factor = np.linalg.cholesky(cov)
    return lambda count, rng: (mean + rng.standard_normal((count, len(mean))) @ factor.T).astype(np.float32)


def reconstruction_picks(labels, count, labelled):
    """Indices of ``count`` test images to reconstruct: the first of each class, then the second, ...
    where labelled; the first ``count`` otherwise."""
    if not labelled:
        return np.arange(min(count, len(labels)))
    by_class = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    picks = [members[i] for i in range(max(map(len, by_class))) for members in by_class if i < len(members)]
    return np.array(picks[:count])


def vae_elbo(model, images, batch_size=1000):
    """ELBO (beta = 1) on images in [0, 1], one posterior sample per image: (elbo, reconstruction
    nats, kl nats), means per image. Higher ELBO is better; it bounds log p(x) from below."""
    from keras import ops

    from arithgen.models.vae import kl_divergence, reconstruction_loss

    rec, kl = [], []
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        z_mean, z_log_var, z = model.encoder(batch, training=False)
        rec.append(ops.convert_to_numpy(reconstruction_loss(batch, model.decoder(z, training=False))))
        kl.append(ops.convert_to_numpy(kl_divergence(z_mean, z_log_var)))
    rec, kl = float(np.concatenate(rec).mean()), float(np.concatenate(kl).mean())
    return -(rec + kl), rec, kl


def latent_map(model, test_images, test_labels, latent_dim, rng):
    """The VAE's 2-D latent map: a manifold grid of decodings when latent_dim is 2, else the PCA
    projection of the posterior means of up to MAP_POINTS test images (with their labels)."""
    if latent_dim == 2:
        grid = latent.manifold_grid(MANIFOLD_SIZE)
        images = decode("vae", model, grid.reshape(-1, 2))
        return {"map_kind": np.array("manifold"), "map_images": images.reshape(MANIFOLD_SIZE, MANIFOLD_SIZE,
                                                                                *images.shape[1:]),
                "map_points": grid}
    pick = np.sort(rng.choice(len(test_images), min(MAP_POINTS, len(test_images)), replace=False))
    embedding, explained = latent.pca_2d(latent_codes("vae", model, test_images[pick]))
    return {"map_kind": np.array("pca"), "map_points": embedding, "map_labels": test_labels[pick],
            "map_explained": explained}


def latent_attributes(model, train_images, train_labels, test_images, test_labels, labelled, steps):
    """The creative use of the VAE's latent space.

    Labelled data: attribute vectors from class means. For a few test images of different classes,
    the code moves along (mean of the most similar other class - mean of its own class): rows of
    images that turn, e.g., a sneaker into an ankle boot. Unlabelled data: latent nearest-neighbour
    search: for a few test images, the training images with the nearest codes.
    """
    test_codes = latent_codes("vae", model, test_images)
    if labelled:
        means = latent.class_means(latent_codes("vae", model, train_images), train_labels)
        classes = sorted(means)
        sources = [classes[i] for i in np.linspace(0, len(classes) - 1, min(ATTRIBUTE_ROWS, len(classes))).round()
                   .astype(int)]
        rows, pairs = [], []
        for source in dict.fromkeys(sources):
            target = latent.nearest_class(means, source)
            index = np.flatnonzero(test_labels == source)[0]
            walk = latent.attribute_walk(test_codes[index], means[source], means[target], steps)
            rows.append(np.concatenate([test_images[index][None], decode("vae", model, walk)]))
            pairs.append((source, target))
        return {"attribute_kind": np.array("class_means"), "attribute_rows": np.stack(rows),
                "attribute_pairs": np.array(pairs, np.int64)}
    train_codes = latent_codes("vae", model, train_images)
    queries = np.arange(min(ATTRIBUTE_ROWS, len(test_images)))
    rows = []
    for index in queries:
        order = np.argsort(np.sum((train_codes - test_codes[index]) ** 2, axis=1))[:steps]
        rows.append(np.concatenate([test_images[index][None], train_images[order]]))
    return {"attribute_kind": np.array("nearest_codes"), "attribute_rows": np.stack(rows)}


def evaluate_model(name, data_path, info_path, weights_path, classifier_path, reference_path, model_settings,
                   n_generated, interpolation_steps, seed, threads, outputs):
    """Score one trained model and write the pictures the report shows of it.

    Outputs: ``metrics`` (JSON: FID on ``n_generated`` images against the real test images,
    reconstruction error and ELBO where the model has them, memorisation statistics), ``examples``
    (.npz of images and points for the figures), ``interpolation`` (animated GIF).
    """
    import keras

    from arithgen import training
    from arithgen.models.classifier import feature_extractor

    training.configure_tensorflow(threads, seed)
    data, info, reference = load_dataset(data_path), read_json(info_path), np.load(reference_path)
    train_images, test_images = to_unit(data["x_train"]), to_unit(data["x_test"])
    latent_dim = model_settings["latent_dim"]
    model = load_model(name, model_settings, train_images.shape[1:], seed, weights_path)
    rng = np.random.default_rng([seed, 4])

    sample = prior_sampler(name, model, train_images, latent_dim)
    generated = decode(name, model, sample(n_generated, rng))
    extractor = feature_extractor(keras.saving.load_model(classifier_path))
    fid = frechet_distance(*feature_statistics(image_features(extractor, generated)),
                           reference["test_mean"], reference["test_cov"])
    distances, nearest = nearest_neighbours(generated, train_images)
    metrics = {"task": "generative", "model": name, "dataset": info["dataset"], "n_train": info["n_train"],
               "n_generated": n_generated, "fid": fid}
    examples = {"samples": generated[:GRID_SAMPLES], "nn_distances": distances,
                "nearest_generated": generated[:NEAREST_SHOWN],
                "nearest_train": train_images[nearest[:NEAREST_SHOWN]]}

    if name in ("cae", "vae"):
        reconstructed = model.predict(test_images, batch_size=1000, verbose=0)
        metrics["reconstruction_mse"] = float(np.mean((reconstructed - test_images) ** 2))
        picks = reconstruction_picks(data["y_test"], RECONSTRUCTIONS, info["labelled"])
        examples.update(originals=test_images[picks], reconstructions=reconstructed[picks])
    if name == "vae":
        metrics["elbo"], metrics["elbo_reconstruction"], metrics["elbo_kl"] = vae_elbo(model, test_images)
        metrics["beta"] = model_settings["beta"]
        examples.update(latent_map(model, test_images, data["y_test"], latent_dim, rng))
        examples.update(latent_attributes(model, train_images, data["y_train"], test_images, data["y_test"],
                                          info["labelled"], interpolation_steps))

    if name == "cae":  # through the encoder, between pairs of real test images
        pairs = rng.choice(len(test_images), (INTERPOLATION_ROWS, 2), replace=False)
        codes = latent_codes(name, model, test_images[pairs.ravel()]).reshape(INTERPOLATION_ROWS, 2, -1)
        walks = latent.interpolate_latent(codes[:, 0], codes[:, 1], interpolation_steps)
    else:  # between random points of the prior
        ends = sample(2 * INTERPOLATION_ROWS, rng).reshape(INTERPOLATION_ROWS, 2, -1)
        walks = latent.interpolate_latent(ends[:, 0], ends[:, 1], interpolation_steps, spherical=True)
    strips = decode(name, model, walks.reshape(-1, walks.shape[-1])).reshape(*walks.shape[:2], *generated.shape[1:])
    examples["interpolation"] = strips
    # One GIF frame per step: the rows' images at that step, side by side.
    invert = info["invert_for_display"]
    save_gif([tile(strips[:, step], INTERPOLATION_ROWS, gap=2, invert=invert) for step in range(strips.shape[1])],
             outputs["interpolation"], invert=invert)

    metrics.update(memorisation_stats(distances, reference["test_nn_distances"]))
    metrics.update(parameters=count_parameters(model), latent_dim=latent_dim, epochs=model_settings["epochs"])
    with atomic_path(outputs["examples"]) as tmp, open(tmp, "wb") as stream:
        # Images as uint8, as every other image file here.
        np.savez_compressed(stream, **{k: (to_uint8(v) if k in IMAGE_KEYS else v) for k, v in examples.items()})
    write_json(metrics, outputs["metrics"])
    return metrics
