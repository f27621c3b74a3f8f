"""Held-out structure splits beside the random split: exact match per split kind, in-distribution against
held-out, every seed a point with its Wilson 95% interval."""

import matplotlib.pyplot as plt
import numpy as np

from arithgen.plots.style import apply_style, save_figure, series_colors, variant_sort_key
from arithgen.plots.text2text import accuracy_limits, percent_label

TEST_SET_LOOKS = {"random": ("random test", "o"), "in_distribution": ("in-distribution (random test outside it)", "o"),
                  "heldout": ("held-out structure", "^")}


def plot_heldout_accuracy(rows, path, pdf=False):
    """One panel per (variant, train fraction); along x the split kinds (``random`` first), at each the seeds'
    exact match (%) on each of its test sets. ``rows``: ``heldout_tables.run_rows``' long table."""
    apply_style()
    panels = sorted(rows.groupby(["variant", "train_fraction"]).groups,
                    key=lambda key: (variant_sort_key(key[0]), key[1]))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.8), sharey=True, squeeze=False)
    colors = dict(zip(TEST_SET_LOOKS, series_colors(len(TEST_SET_LOOKS))))
    limits = accuracy_limits(rows["exact_match_ci95_low"], rows["exact_match_ci95_high"])
    for ax, (variant, fraction) in zip(axes[0], panels):
        panel = rows[(rows["variant"] == variant) & (rows["train_fraction"] == fraction)]
        splits = list(dict.fromkeys(panel["split"]))
        seeds = sorted(panel["seed"].unique())
        for x, split in enumerate(splits):
            sets = [t for t in TEST_SET_LOOKS if ((panel["split"] == split) & (panel["test_set"] == t)).any()]
            for k, test_set in enumerate(sets):
                part = panel[(panel["split"] == split) & (panel["test_set"] == test_set)].sort_values("seed")
                offsets = (k - (len(sets) - 1) / 2) * 0.3 + (np.array([seeds.index(s) for s in part["seed"]])
                                                             - (len(seeds) - 1) / 2) * 0.06
                value = 100 * part["exact_match"].to_numpy()
                errors = [value - 100 * part["exact_match_ci95_low"], 100 * part["exact_match_ci95_high"] - value]
                ax.errorbar(x + offsets, value, yerr=errors, linestyle="none", marker=TEST_SET_LOOKS[test_set][1],
                            markersize=4, capsize=2, color=colors[test_set])
        ax.set_xticks(range(len(splits)), [s.replace("_", " ") for s in splits], rotation=20)
        ax.set_xlim(-0.6, len(splits) - 0.4)
        ax.set_ylim(*limits)
        ax.set_title(f"{variant}, {percent_label(fraction)} labelled", fontsize=10)
    axes[0][0].set_ylabel("exact match (%)")
    handles = [plt.Line2D([], [], linestyle="none", marker=marker, color=colors[t], label=label)
               for t, (label, marker) in TEST_SET_LOOKS.items() if t != "random"]
    handles.insert(0, plt.Line2D([], [], linestyle="none", marker="o", color=colors["random"], label="random split"))
    fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.5, -0.08), fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)
