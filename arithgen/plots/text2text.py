"""The study's figures: accuracy against training-set size, learning curves, and accuracy by the
number of carries/borrows a query needs. Each function takes in-memory results, draws one figure,
and saves it through ``style.save_figure``."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

from arithgen.plots.style import apply_style, save_figure, series_colors
from arithgen.plots.style import variant_sort_key

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


def run_label(task, variant, train_fraction):
    """How one run is named in legends: ``'text2text · default · 5%'``."""
    return f"{task} · {variant} · {percent_label(train_fraction)}"


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


def plot_accuracy_vs_fraction(results, path, pdf=False):
    """Exact match (%) against train fraction (log axis), one line per (task, variant).

    ``results``: a ``tables.results_table`` (proportions in [0, 1]). Error bars are Wilson 95%
    intervals; series are nudged sideways a little so overlapping intervals stay readable. Tick
    labels give the fraction and, when all series agree on it, the number of training queries.

    Left panel: exact match, zoomed when every run is high. Right panel: the error rate
    (100% - exact match) on a log axis, where 99.5% vs 99.9% is a factor of five rather than a
    sliver; a run without errors is drawn on the bottom edge of that axis.
    """
    if results.empty:
        raise ValueError("no runs to plot")
    apply_style()
    fig, (ax, ax_error) = plt.subplots(1, 2, figsize=(11.0, 4.2))

    groups = sorted(
        results.groupby(["task", "variant"]), key=lambda item: (item[0][0], variant_sort_key(item[0][1]))
    )
    colors = series_colors(len(groups))
    offsets = _dodge(len(groups), 0.012)  # in log10 units: about 3% of the fraction per step
    error_floor = _error_floor(results)
    for index, ((task, variant), runs) in enumerate(groups):
        runs = runs.sort_values("train_fraction")
        linestyle, marker = _variant_look(variant, index)
        look = dict(color=colors[index], linestyle=linestyle, marker=marker, markersize=5, capsize=3, linewidth=1.6)
        x = runs["train_fraction"] * 10 ** offsets[index]
        ax.errorbar(
            x,
            100 * runs["exact_match"],
            yerr=_error_bars(runs["exact_match"], runs["exact_match_ci95_low"], runs["exact_match_ci95_high"]),
            label=f"{task} · {variant}",
            **look,
        )
        # Error rate and its interval are the accuracy ones mirrored: 1 - hi .. 1 - lo.
        error = (1 - runs["exact_match"]).clip(lower=error_floor)
        error_lo = (1 - runs["exact_match_ci95_high"]).clip(lower=error_floor)
        error_hi = (1 - runs["exact_match_ci95_low"]).clip(lower=error_floor)
        ax_error.errorbar(x, 100 * error, yerr=_error_bars(error, error_lo, error_hi), **look)

    fractions = sorted(results["train_fraction"].unique())
    for axis in (ax, ax_error):
        axis.set_xscale("log")
        axis.xaxis.set_major_locator(FixedLocator(fractions))
        axis.xaxis.set_minor_locator(NullLocator())
        axis.set_xticklabels([_fraction_tick(results, f) for f in fractions])
        axis.set_xlim(min(fractions) / 1.35, max(fractions) * 1.35)
        axis.set_xlabel("train fraction of all queries (log scale)\nwith the number of training queries")

    limits = accuracy_limits(results["exact_match_ci95_low"], results["exact_match_ci95_high"])
    ax.set_ylim(*limits)
    _mark_perfect_score(ax, limits)
    ax.set_ylabel("exact-match accuracy (%)")
    ax.set_title("Exact match vs training-set size")

    ax_error.set_yscale("log")
    ax_error.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_error.yaxis.set_minor_locator(NullLocator())
    ax_error.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}%"))
    ax_error.set_ylabel("error rate (%, log scale)")
    perfect = bool((results["exact_match"] >= 1.0).any())
    ax_error.set_title("Errors: 100% − exact match" + ("\n(bottom edge: no errors)" if perfect else ""))

    ax_error.legend(
        handles=ax.get_legend_handles_labels()[0],
        title="task · variant\n(Wilson 95% intervals)",
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


def _fraction_tick(results, fraction):
    n_train = results.loc[results["train_fraction"] == fraction, "n_train"].dropna().unique()
    if len(n_train) == 1:
        return f"{percent_label(fraction)}\n{int(n_train[0]):,}"
    return percent_label(fraction)


def plot_learning_curves(histories, path, pdf=False):
    """Validation exact match (solid) and training exact match (dashed), in %, per run, against
    epochs completed (left) and wall-clock time (right).

    ``histories``: {run label: DataFrame with ``val_exact_match`` in [0, 1] and optionally
    ``exact_match`` and ``seconds`` (cumulative wall time at the end of each epoch)}. Rows are
    taken as consecutive epochs, so the x axis counts epochs completed from 1 whatever base the
    logger used.
    """
    if not histories:
        raise ValueError("no learning curves to plot")
    apply_style()
    have_time = all("seconds" in history for history in histories.values())
    ncols = 2 if have_time else 1
    fig, axes = plt.subplots(1, ncols, figsize=(5.0 * ncols + 2.0, 4.2), sharey=True, squeeze=False)
    axes = axes[0]

    longest = max(float(h["seconds"].max()) for h in histories.values()) if have_time else 0.0
    minutes = longest > 300  # seconds are unreadable beyond a few minutes
    time_scale, time_unit = (60.0, "min") if minutes else (1.0, "s")

    colors = series_colors(len(histories))
    handles = []
    for color, (label, history) in zip(colors, histories.items()):
        epochs = np.arange(1, len(history) + 1)
        xs = [epochs] + ([history["seconds"].to_numpy() / time_scale] if have_time else [])
        for ax, x in zip(axes, xs):
            ax.plot(x, 100 * history["val_exact_match"], color=color, linewidth=1.6)
            if "exact_match" in history:
                ax.plot(x, 100 * history["exact_match"], color=color, linewidth=1.2, linestyle="--", alpha=0.8)
        handles.append(Line2D([], [], color=color, linewidth=1.6, label=label))

    curves = [
        Line2D([], [], color="0.3", linestyle="-", label="validation"),
        Line2D([], [], color="0.3", linestyle="--", label="training"),
    ]
    axes[0].set_xlabel("epochs completed")
    axes[0].set_ylabel("exact-match accuracy (%)")
    axes[0].set_title("Exact match per epoch")
    axes[0].xaxis.get_major_locator().set_params(integer=True)
    if have_time:
        axes[1].set_xlabel(f"wall-clock training time ({time_unit})")
        axes[1].set_title("Exact match over training time")
    for ax in axes:
        ax.set_ylim(0, 102)
    # Two legends beside the plot: which run (colour) and which split (line style).
    runs_legend = axes[-1].legend(handles=handles, title="run", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    axes[-1].add_artist(runs_legend)
    runs_legend.set_clip_on(False)  # add_artist clips to the axes, which would crop it from the saved figure
    axes[-1].legend(handles=curves, title="curve", loc="lower left", bbox_to_anchor=(1.02, 0.0))
    return save_figure(fig, path, pdf=pdf)


def _carries_table(metrics):
    """Long table from per-run metrics: task, variant, train_fraction, carries, n, exact match, CI."""
    rows = []
    for run in metrics:
        for carries, group in run.get("by_carries", {}).items():
            lo, hi = group["exact_match_ci95"]
            rows.append(
                {
                    "task": run.get("task"),
                    "variant": run.get("variant"),
                    "train_fraction": run.get("train_fraction"),
                    "carries": int(carries),
                    "n": group["n"],
                    "exact_match": group["exact_match"],
                    "low": lo,
                    "high": hi,
                }
            )
    return pd.DataFrame(rows)


def _carries_tick(panel, carries):
    counts = panel.loc[panel["carries"] == carries, "n"]
    if counts.nunique() == 1:
        return f"{carries}\nn={int(counts.iloc[0]):,}"
    return f"{carries}\nn={int(counts.min()):,}–{int(counts.max()):,}"


def plot_accuracy_by_carries(metrics, path, pdf=False):
    """Exact match (%) by number of carries (+) or borrows (−) a query needs, with Wilson 95%
    intervals: one panel per (task, variant), one line per train fraction.

    ``metrics``: per-run dicts as written to ``metrics.json`` (need ``by_carries``). The test-set
    size of each carry group is printed under its tick, since the groups differ widely in size and
    so in how far their accuracy can be trusted.
    """
    long = _carries_table(metrics)
    if long.empty:
        raise ValueError("no by_carries breakdown to plot")
    apply_style()
    tasks = sorted(long["task"].unique())
    variants = sorted(long["variant"].unique(), key=variant_sort_key)
    fractions = sorted(long["train_fraction"].unique())
    colors = dict(zip(fractions, series_colors(len(fractions))))
    offsets = dict(zip(fractions, _dodge(len(fractions), 0.08)))

    fig, axes = plt.subplots(
        len(tasks),
        len(variants),
        figsize=(4.2 * len(variants) + 1.8, 3.6 * len(tasks)),
        sharey=True,
        squeeze=False,
    )
    limits = accuracy_limits(long["low"], long["high"])
    for row, task in enumerate(tasks):
        for col, variant in enumerate(variants):
            ax = axes[row][col]
            panel = long[(long["task"] == task) & (long["variant"] == variant)]
            for fraction, runs in panel.groupby("train_fraction"):
                runs = runs.sort_values("carries")
                ax.errorbar(
                    runs["carries"] + offsets[fraction],
                    100 * runs["exact_match"],
                    yerr=_error_bars(runs["exact_match"], runs["low"], runs["high"]),
                    color=colors[fraction],
                    marker="o",
                    markersize=4,
                    capsize=2.5,
                    linewidth=1.4,
                )
            carries = sorted(panel["carries"].unique())
            ax.xaxis.set_major_locator(FixedLocator(carries))
            ax.set_xticklabels([_carries_tick(panel, k) for k in carries])
            if carries:
                ax.set_xlim(min(carries) - 0.5, max(carries) + 0.5)
            else:
                ax.text(0.5, 0.5, "no runs", ha="center", va="center", transform=ax.transAxes)
            ax.set_ylim(*limits)
            _mark_perfect_score(ax, limits)
            ax.set_title(f"{task} · {variant}")
            ax.set_xlabel("carries (+) / borrows (−) per query")
            if col == 0:
                ax.set_ylabel("exact-match accuracy (%)")

    handles = [Line2D([], [], color=colors[f], marker="o", label=percent_label(f)) for f in fractions]
    axes[0][-1].legend(handles=handles, title="train fraction", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Exact match by number of carries/borrows (Wilson 95% intervals)", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)

