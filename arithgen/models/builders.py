"""The generative models by name: one table, so callers never branch on the model's name."""

from arithgen.models.autoencoder import build_autoencoder
from arithgen.models.gan import build_gan
from arithgen.models.vae import build_vae

# Model name -> build(image_shape, settings, seed) returning a built, compiled model.
BUILDERS = {"cae": build_autoencoder, "vae": build_vae, "gan": build_gan}


def build_model(name, settings, image_shape, seed):
    """The built and compiled generative model ``name`` ("cae", "vae" or "gan")."""
    if name not in BUILDERS:
        raise ValueError(f"unknown generative model {name!r}; expected one of {', '.join(BUILDERS)}")
    return BUILDERS[name](tuple(image_shape), settings, seed)
