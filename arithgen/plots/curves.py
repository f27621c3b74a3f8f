"""Learning curves across seeds: validation exact match against training seconds, one line per run, so that
models trained for different lengths are compared on the same axes (what each buys per second)."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from arithgen.plots.style import apply_style, save_figure, series_colors, variant_sort_key
from arithgen.plots.text2text import _variant_look, percent_label
from arithgen.stopping import EPOCH_CAP, PATIENCE, SCHEDULE

MAX_PANELS = 4


def curve_fractions(metrics, limit=MAX_PANELS):
    """The train fractions that get a panel: those every variant ran (where the variants can be compared), or,
    with one variant or none shared, its smallest ``limit`` fractions."""
    by_variant = {}
    for run in metrics:
        by_variant.setdefault(run["variant"], set()).add(run["train_fraction"])
    shared = set.intersection(*by_variant.values()) if by_variant else set()
    chosen = sorted(shared) if len(by_variant) > 1 and shared else sorted(set().union(*by_variant.values()))
    return chosen[:limit]


# How a run's curve ends, by its metrics' ``stopped``: (marker, legend label).
END_MARKS = {PATIENCE: ("o", "stopped at its plateau"),
             SCHEDULE: ("s", "ran its whole\ncosine schedule"),
             EPOCH_CAP: ("x", "not converged\n(stopped at the epoch cap)")}


def plot_learning_curves(runs, path, pdf=False):
    """Validation exact match (%) against wall-clock training time, one panel per train fraction
    (``curve_fractions``), one colour per variant and one line per seed, each ending in its ``END_MARKS``
    mark: a dot (its plateau), a square (its cosine schedule ran to the end) or a cross (not converged).

    ``runs``: [(metrics dict, history DataFrame with ``val_exact_match`` in [0, 1] and ``seconds``, the
    cumulative wall time at the end of each epoch)]."""
    runs = [(m, h) for m, h in runs if m.get("task", "text2text") == "text2text"]
    if not runs:
        raise ValueError("no learning curves to plot")
    apply_style()
    fractions = curve_fractions([m for m, _ in runs])
    variants = sorted({m["variant"] for m, _ in runs}, key=variant_sort_key)
    colors = dict(zip(variants, series_colors(len(variants))))
    longest = max(float(h["seconds"].max()) for m, h in runs if m["train_fraction"] in fractions)
    scale, unit = (60.0, "min") if longest > 300 else (1.0, "s")
    fig, axes = plt.subplots(1, len(fractions), figsize=(4.3 * len(fractions) + 2.2, 4.0), sharey=True,
                             squeeze=False)
    seeds, ends = {}, set()
    for ax, fraction in zip(axes[0], fractions):
        for metrics, history in sorted(((m, h) for m, h in runs if m["train_fraction"] == fraction),
                                       key=lambda mh: (variant_sort_key(mh[0]["variant"]), mh[0].get("seed") or 0)):
            variant = metrics["variant"]
            seeds.setdefault(variant, set()).add(metrics.get("seed"))
            linestyle, _ = _variant_look(variant, variants.index(variant))
            x, y = history["seconds"].to_numpy() / scale, 100 * history["val_exact_match"].to_numpy()
            ax.plot(x, y, color=colors[variant], linestyle=linestyle, linewidth=1.3, alpha=0.85)
            end = metrics.get("stopped")
            if end in END_MARKS:  # no mark when unrecorded
                ends.add(end)
                ax.plot(x[-1:], y[-1:], color=colors[variant], marker=END_MARKS[end][0], markersize=6,
                        linestyle="none")
        ax.set_title(f"{percent_label(fraction)} of the queries")
        ax.set_xlabel(f"training time ({unit})")
        ax.set_xlim(left=0)
        ax.set_ylim(0, 102)
    axes[0][0].set_ylabel("validation exact match (%)")
    handles = [Line2D([], [], color=colors[v], linestyle=_variant_look(v, i)[0],
                      label=f"{v} ({len(seeds.get(v, ()))} seed{'s' if len(seeds.get(v, ())) > 1 else ''})")
               for i, v in enumerate(variants)]
    handles += [Line2D([], [], color="0.3", marker=marker, linestyle="none", label=label)
                for end, (marker, label) in END_MARKS.items() if end in ends]
    axes[0][-1].legend(handles=handles, title="one line per seed", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Validation exact match over training time", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def best_within(history, seconds):
    """The best validation exact match a run reached by ``seconds`` of training (None before its first epoch)."""
    reached = history.loc[history["seconds"] <= seconds + 1e-9, "val_exact_match"]
    return None if reached.empty else float(np.max(reached))
