"""The latent-space pictures of a trained model: interpolations, the VAE's 2-D map, and attribute
vectors (or latent nearest neighbours for unlabelled data).

Each function takes a model with ``encode``/``decode``/``prior`` (``models.generative``) and images
in [0, 1]; the pure geometry is in ``evaluation.latent``.
"""

import numpy as np

from arithgen.evaluation import latent

INTERPOLATION_ROWS = 4
MAP_POINTS = 2000  # test images placed on the latent map
MANIFOLD_SIZE = 15
ATTRIBUTE_ROWS = 5


def interpolations(model, test_images, steps, rng, through_codes):
    """(INTERPOLATION_ROWS, steps, H, W, C) images in [0, 1]: straight walks between the codes of
    pairs of real test images (``through_codes``, for an autoencoder without a prior), else
    spherical walks between points of the prior."""
    if through_codes:
        pairs = rng.choice(len(test_images), (INTERPOLATION_ROWS, 2), replace=False)
        codes = model.encode(test_images[pairs.ravel()]).reshape(INTERPOLATION_ROWS, 2, -1)
        walks = latent.interpolate_latent(codes[:, 0], codes[:, 1], steps)
    else:
        ends = model.prior(2 * INTERPOLATION_ROWS, rng).reshape(INTERPOLATION_ROWS, 2, -1)
        walks = latent.interpolate_latent(ends[:, 0], ends[:, 1], steps, spherical=True)
    images = model.decode(walks.reshape(-1, walks.shape[-1]))
    return images.reshape(*walks.shape[:2], *images.shape[1:])


def latent_map(model, test_images, test_labels, rng):
    """The 2-D latent map: a manifold grid of decodings when the latent space is 2-D, else the PCA
    projection of the codes of up to MAP_POINTS test images (with their labels)."""
    if model.latent_dim == 2:
        grid = latent.manifold_grid(MANIFOLD_SIZE)
        images = model.decode(grid.reshape(-1, 2))
        return {"map_kind": np.array("manifold"), "map_points": grid,
                "map_images": images.reshape(MANIFOLD_SIZE, MANIFOLD_SIZE, *images.shape[1:])}
    pick = np.sort(rng.choice(len(test_images), min(MAP_POINTS, len(test_images)), replace=False))
    embedding, explained = latent.pca_2d(model.encode(test_images[pick]))
    return {"map_kind": np.array("pca"), "map_points": embedding, "map_labels": test_labels[pick],
            "map_explained": explained}


def latent_attributes(model, train_images, train_labels, test_images, test_labels, labelled, steps):
    """The creative use of the latent space.

    Labelled data: attribute vectors from class means. For a few test images of different classes,
    the code moves along (mean of the most similar other class - mean of its own class): rows of
    images that turn, e.g., a sneaker into an ankle boot. Unlabelled data: latent nearest-neighbour
    search: for a few test images, the training images with the nearest codes.
    """
    test_codes = model.encode(test_images)
    train_codes = model.encode(train_images)
    if labelled:
        means = latent.class_means(train_codes, train_labels)
        classes = sorted(means)
        picks = np.linspace(0, len(classes) - 1, min(ATTRIBUTE_ROWS, len(classes))).round().astype(int)
        rows, pairs = [], []
        for source in dict.fromkeys(classes[i] for i in picks):
            target = latent.nearest_class(means, source)
            index = np.flatnonzero(test_labels == source)[0]
            walk = latent.attribute_walk(test_codes[index], means[source], means[target], steps)
            rows.append(np.concatenate([test_images[index][None], model.decode(walk)]))
            pairs.append((source, target))
        return {"attribute_kind": np.array("class_means"), "attribute_rows": np.stack(rows),
                "attribute_pairs": np.array(pairs, np.int64)}
    rows = []
    for index in range(min(ATTRIBUTE_ROWS, len(test_images))):
        order = np.argsort(np.sum((train_codes - test_codes[index]) ** 2, axis=1))[:steps]
        rows.append(np.concatenate([test_images[index][None], train_images[order]]))
    return {"attribute_kind": np.array("nearest_codes"), "attribute_rows": np.stack(rows)}
