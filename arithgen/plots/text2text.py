"""The study's headline figure, exact match against training-set size over seeds, and the small pieces of look
that the other text2text figures (``curves``, ``breakdowns``) share. Each function takes in-memory results,
draws one figure, and saves it through ``style.save_figure``."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

from arithgen.plots.style import apply_style, save_figure, series_colors, variant_sort_key
from arithgen.stopping import EPOCH_CAP

# Our model drawn solid, the study's original dashed, so the comparison survives greyscale printing.
VARIANT_LINESTYLES = {"default": "-", "classic": "--"}
VARIANT_MARKERS = {"default": "o", "classic": "s"}
OTHER_LINESTYLES = [":", "-."]
OTHER_MARKERS = ["^", "D", "v", "P"]


def _variant_look(variant, index):
    linestyle = VARIANT_LINESTYLES.get(variant, OTHER_LINESTYLES[index % len(OTHER_LINESTYLES)])
    marker = VARIANT_MARKERS.get(variant, OTHER_MARKERS[index % len(OTHER_MARKERS)])
    return linestyle, marker


def percent_label(fraction):
    """0.05 -> '5%', 0.1 -> '10%', 0.005 -> '0.5%'."""
    return f"{100 * fraction:g}%"


def accuracy_limits(lows, highs):
    """y-axis limits (in %) that show every interval without squashing results near 100%.

    lows, highs: interval ends in [0, 1]. When everything sits high the axis is zoomed to the data
    (with a little headroom so points at 100% are not drawn on the frame); when results range
    widely the axis runs from 0.
    """
    lows = 100 * np.asarray(lows, dtype=float)
    highs = 100 * np.asarray(highs, dtype=float)
    lo, hi = np.nanmin(lows), np.nanmax(highs)
    if lo < 50:
        return 0.0, 102.0
    span = max(hi - lo, 0.5)  # never zoom tighter than half a percentage point
    return max(0.0, lo - 0.15 * span), min(100.0 + 0.08 * span, hi + 0.15 * span)


def _error_bars(estimate, lo, hi):
    """(2, N) distances below/above the estimate in percentage points, as ``errorbar`` wants."""
    estimate, lo, hi = (100 * np.asarray(x, dtype=float) for x in (estimate, lo, hi))
    return np.vstack([np.clip(estimate - lo, 0, None), np.clip(hi - estimate, 0, None)])


def _dodge(count, width):
    """Symmetric offsets for ``count`` series so their error bars do not hide each other."""
    return [(i - (count - 1) / 2) * width for i in range(count)]


def _mark_perfect_score(ax, limits):
    if limits[1] > 100.0 and limits[0] > 0.0:
        ax.axhline(100.0, color="0.4", linewidth=0.8, linestyle=":", zorder=0)


def finished_means(runs):
    """Mean exact match over seeds at each train fraction of one series (a per-run table's rows), over the runs
    that finished: a run cut off by its epoch cap is no result, so the mean line does not pass through it."""
    if "stopped" in runs:
        runs = runs[runs["stopped"] != EPOCH_CAP]
    return runs.groupby("train_fraction")["exact_match"].mean().sort_index()


def plot_accuracy_vs_fraction(results, path, pdf=False):
    """Exact match (%) against train fraction (log axis): every seed's run as a point with its Wilson 95%
    interval, and a line through the mean over seeds, one series per (task, variant).

    ``results``: a ``tables.results_table`` (one row per run and seed; proportions in [0, 1]). A run cut off
    by its epoch cap (``stopped == "epoch_cap"``) is drawn hollow and left out of the mean line: it is not the
    model's result. The dotted
    line marks 99%, the level the frontier is measured at.

    Left panel: exact match. Right panel: the error rate (100% - exact match) on a log axis, where 99.5% vs
    99.9% is a factor of five rather than a sliver; a run without errors is drawn on the bottom edge.
    """
    if results.empty:
        raise ValueError("no runs to plot")
    apply_style()
    fig, (ax, ax_error) = plt.subplots(1, 2, figsize=(11.0, 4.4))

    groups = sorted(
        results.groupby(["task", "variant"]), key=lambda item: (item[0][0], variant_sort_key(item[0][1]))
    )
    colors = series_colors(len(groups))
    offsets = _dodge(len(groups), 0.02)  # in log10 units: about 5% of the fraction per step
    error_floor = _error_floor(results)
    handles = []
    for index, ((task, variant), runs) in enumerate(groups):
        runs = runs.sort_values("train_fraction")
        linestyle, marker = _variant_look(variant, index)
        color = colors[index]
        capped = (runs["stopped"] == EPOCH_CAP).to_numpy() if "stopped" in runs else np.zeros(len(runs), bool)
        x = runs["train_fraction"].to_numpy() * 10 ** offsets[index]
        error = (1 - runs["exact_match"]).clip(lower=error_floor)
        error_lo = (1 - runs["exact_match_ci95_high"]).clip(lower=error_floor)
        error_hi = (1 - runs["exact_match_ci95_low"]).clip(lower=error_floor)
        panels = [(ax, runs["exact_match"], runs["exact_match_ci95_low"], runs["exact_match_ci95_high"]),
                  (ax_error, error, error_lo, error_hi)]
        for axis, value, lo, hi in panels:
            bars = _error_bars(value, lo, hi)
            for kind, keep in (("full", ~capped), ("none", capped)):
                if keep.any():
                    axis.errorbar(x[keep], 100 * np.asarray(value)[keep], yerr=bars[:, keep], color=color,
                                  linestyle="none", marker=marker, markersize=4.5, fillstyle=kind, capsize=0,
                                  elinewidth=0.9, alpha=0.85)
        means = finished_means(runs)
        mean_x = means.index.to_numpy() * 10 ** offsets[index]
        ax.plot(mean_x, 100 * means, color=color, linestyle=linestyle, linewidth=1.6)
        ax_error.plot(mean_x, 100 * (1 - means).clip(lower=error_floor), color=color, linestyle=linestyle,
                      linewidth=1.6)
        seeds = runs.groupby("train_fraction").size()
        counted = f"{seeds.min()}" if seeds.min() == seeds.max() else f"{seeds.min()}–{seeds.max()}"
        handles.append(Line2D([], [], color=color, linestyle=linestyle, marker=marker, markersize=4.5,
                              label=f"{task} · {variant} (n = {counted} seed{'s' if seeds.max() > 1 else ''})"))
    if "stopped" in results and (results["stopped"] == EPOCH_CAP).any():
        handles.append(Line2D([], [], color="0.3", linestyle="none", marker="o", fillstyle="none",
                              label="hollow: not converged\n(stopped at the epoch cap)"))

    fractions = sorted(results["train_fraction"].unique())
    for axis in (ax, ax_error):
        axis.set_xscale("log")
        axis.xaxis.set_major_locator(FixedLocator(fractions))
        axis.xaxis.set_minor_locator(NullLocator())
        axis.set_xticklabels([_fraction_tick(results, f) for f in fractions], fontsize=8)
        axis.set_xlim(min(fractions) / 1.4, max(fractions) * 1.4)
        axis.set_xlabel("train fraction of all queries (log scale)\nwith the number of labelled queries")

    limits = accuracy_limits(results["exact_match_ci95_low"], results["exact_match_ci95_high"])
    ax.set_ylim(*limits)
    _mark_perfect_score(ax, limits)
    ax.axhline(99.0, color="0.3", linewidth=0.9, linestyle=":", zorder=0)
    ax.set_ylabel("exact-match accuracy (%)")
    ax.set_title("Exact match vs training-set size")

    ax_error.set_yscale("log")
    ax_error.axhline(1.0, color="0.3", linewidth=0.9, linestyle=":", zorder=0)
    ax_error.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_error.yaxis.set_minor_locator(NullLocator())
    ax_error.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}%"))
    ax_error.set_ylabel("error rate (%, log scale)")
    perfect = bool((results["exact_match"] >= 1.0).any())
    ax_error.set_title("Errors: 100% − exact match" + ("\n(bottom edge: no errors)" if perfect else ""))

    ax_error.legend(
        handles=handles,
        title="line: mean over seeds\npoints: each seed (Wilson 95%)\ndotted: 99%",
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
    )
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def _error_floor(results):
    """Smallest error rate worth drawing on a log axis: half the smallest non-zero one seen."""
    candidates = pd.concat([1 - results["exact_match"], 1 - results["exact_match_ci95_high"]])
    positive = candidates[candidates > 1e-12]
    return float(positive.min()) / 2 if not positive.empty else 1e-4


def _compact_count(count):
    """2000 -> '2k', 1500 -> '1.5k', 950 -> '950': log-spaced ticks sit close, labels must be short."""
    return f"{count / 1000:g}k" if count >= 1000 else f"{int(count)}"


def _fraction_tick(results, fraction):
    column = "n_labelled" if "n_labelled" in results and results["n_labelled"].notna().any() else "n_train"
    counts = results.loc[results["train_fraction"] == fraction, column].dropna().unique()
    if len(counts) == 1:
        return f"{percent_label(fraction)}\n{_compact_count(counts[0])}"
    return percent_label(fraction)
