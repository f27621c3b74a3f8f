"""Task 2's evaluation job: score one trained generative model and keep the pictures of it.

Numbers (``metrics.json``): FID, precision, recall, density, coverage and the confident rate of
generated samples against the real test images, in the feature network's space. Each model draws as
many samples as the real reference holds (``results/generative/fid/metrics.json``: the config's
``n_generated``, fewer for a dataset with fewer training images), because recall and coverage depend on
the count; reconstruction error and ELBO where the model has them; memorisation statistics.
Pictures (``examples.npz``, uint8): samples, nearest training images, reconstructions,
interpolations, the latent map and attribute rows.
"""

import numpy as np

from arithgen.data.datasets import load_dataset
from arithgen.data.generative import class_count, to_unit
from arithgen.evaluation.latent_views import INTERPOLATION_ROWS, interpolations, latent_attributes, latent_map
from arithgen.evaluation.memorisation import memorisation_stats, nearest_neighbours
from arithgen.evaluation.sample_quality import features_and_probabilities, quality_metrics
from arithgen.io import atomic_path, read_json, write_json
from arithgen.mosaic import save_gif, tile, to_uint8
from arithgen.tasks.generative_train import load_trained

GRID_SAMPLES = 64  # images kept for the sample grid
RECONSTRUCTIONS = 12
NEAREST_SHOWN = 8
# Keys of the examples file that hold images (stored as uint8).
IMAGE_KEYS = ("samples", "nearest_generated", "nearest_train", "originals", "reconstructions", "interpolation",
              "map_images", "attribute_rows")


def reconstruction_picks(labels, count, labelled):
    """Indices of ``count`` test images to reconstruct: the first of each class, then the second, ...
    where labelled; the first ``count`` otherwise."""
    if not labelled:
        return np.arange(min(count, len(labels)))
    by_class = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    picks = [members[i] for i in range(max(map(len, by_class))) for members in by_class if i < len(members)]
    return np.array(picks[:count])


def evaluate_model(name, data_path, info_path, weights_path, classifier_path, reference_path, feature_metrics_path,
                   model_settings, interpolation_steps, seed, threads, outputs):
    """Score one trained model; write ``metrics`` (JSON), ``examples`` (.npz) and ``interpolation`` (GIF).

    ``classifier_path``, ``reference_path``, ``feature_metrics_path``: the feature network job's outputs."""
    import keras

    from arithgen import training
    from arithgen.models.feature_network import features_and_probabilities as scoring_model
    from arithgen.models.generative import count_parameters

    training.configure_tensorflow(threads, seed)
    data, info, reference = load_dataset(data_path), read_json(info_path), np.load(reference_path)
    feature_metrics = read_json(feature_metrics_path)
    task, n_generated = feature_metrics["classifier_task"], feature_metrics["n_fid_images"]
    train_images, test_images = to_unit(data["x_train"]), to_unit(data["x_test"])
    model = load_trained(name, model_settings, train_images.shape[1:], seed, weights_path, class_count(info))
    rng = np.random.default_rng([seed, 4])

    generated = model.sample(n_generated, [seed, 5])
    scorer = scoring_model(keras.saving.load_model(classifier_path))
    features, probabilities = features_and_probabilities(scorer, generated)
    distances, nearest = nearest_neighbours(generated, train_images)
    steps, batch_size = model_settings["steps"], model_settings["batch_size"]
    metrics = {"task": "generative", "model": name, "dataset": info["dataset"], "n_train": info["n_train"],
               "n_generated": n_generated,
               **quality_metrics(reference["test_features"], features, probabilities, task),
               "steps": steps, "images_seen": steps * batch_size,
               # Complete passes over the training images (the table's "epochs").
               "epochs": steps * batch_size // info["n_train"]}
    examples = {"samples": generated[:GRID_SAMPLES], "nn_distances": distances,
                "nearest_generated": generated[:NEAREST_SHOWN],
                "nearest_train": train_images[nearest[:NEAREST_SHOWN]]}

    has_encoder = hasattr(model, "encoder")
    if has_encoder:
        reconstructed = model.reconstruct(test_images)
        metrics["reconstruction_mse"] = float(np.mean((reconstructed - test_images) ** 2))
        picks = reconstruction_picks(data["y_test"], RECONSTRUCTIONS, info["labelled"])
        examples.update(originals=test_images[picks], reconstructions=reconstructed[picks])
    if hasattr(model, "elbo"):
        metrics["elbo"], metrics["elbo_reconstruction"], metrics["elbo_kl"] = model.elbo(test_images)
        metrics["beta"] = model_settings["beta"]
        examples.update(latent_map(model, test_images, data["y_test"], rng))
        examples.update(latent_attributes(model, train_images, data["y_train"], test_images, data["y_test"],
                                          info["labelled"], interpolation_steps))

    # An autoencoder without a prior walks between codes of real images, the others through their prior.
    strips = interpolations(model, test_images, interpolation_steps, rng,
                            through_codes=model.preview_kind == "reconstructions")
    examples["interpolation"] = strips
    # One GIF frame per step: the rows' images at that step, side by side.
    invert = info["invert_for_display"]
    save_gif([tile(strips[:, step], INTERPOLATION_ROWS, gap=2, invert=invert) for step in range(strips.shape[1])],
             outputs["interpolation"], invert=invert)

    metrics.update(memorisation_stats(distances, reference["test_nn_distances"]))
    metrics.update(parameters=count_parameters(model), latent_dim=model_settings["latent_dim"],
                   classes_given=model.classes)
    with atomic_path(outputs["examples"]) as tmp, open(tmp, "wb") as stream:
        # Images as uint8, as every other image file here.
        np.savez_compressed(stream, **{k: (to_uint8(v) if k in IMAGE_KEYS else v) for k, v in examples.items()})
    write_json(metrics, outputs["metrics"])
    return metrics
