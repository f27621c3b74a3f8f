"""One look for every figure in the study, one order for model variants, and one way to save a figure."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # pipeline jobs run headless: render to files, never open a window

import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)
import seaborn as sns  # noqa: E402

from arithgen.io import atomic_path  # noqa: E402

PALETTE = "colorblind"
DPI = 150

# Our model first, then the study's original, then anything else alphabetically.
VARIANT_ORDER = ["default", "classic"]


def variant_sort_key(variant):
    """Sort key that puts ``default`` before ``classic`` before any other variant."""
    return (VARIANT_ORDER.index(variant) if variant in VARIANT_ORDER else len(VARIANT_ORDER), variant)


def apply_style():
    """Seaborn ``whitegrid`` theme, ``paper`` context scaled up to be readable at 150 dpi, and the
    colour-blind-safe ``colorblind`` palette."""
    sns.set_theme(
        style="whitegrid",
        context="paper",
        palette=PALETTE,
        font_scale=1.2,
        rc={
            "font.family": "sans-serif",
            "axes.titleweight": "bold",
            "legend.frameon": False,
            "savefig.bbox": "tight",
        },
    )


def series_colors(n):
    """``n`` colours from the colour-blind-safe palette (it repeats after 10)."""
    return sns.color_palette(PALETTE, n)


def save_figure(fig, path, pdf=False, dpi=DPI):
    """Write ``fig`` to ``path`` as PNG (and its vector twins, PDF and SVG with the same stem, if ``pdf``:
    the SVG is what the study's PDF embeds), then close it.

    Both files are written atomically, so a crashed job never leaves a half-drawn figure behind.
    Returns the list of paths written.
    """
    path = Path(path)
    written = []
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
        written.append(path)
        for fmt in ("pdf", "svg") if pdf else ():
            twin = path.with_suffix(f".{fmt}")
            with atomic_path(twin) as tmp:
                fig.savefig(tmp, bbox_inches="tight", format=fmt, metadata={"Date": None} if fmt == "svg" else None)
            written.append(twin)
    finally:
        plt.close(fig)
    return written
