"""Where text2text fails: exact match by the number of carries/borrows a query needs and by operator, as the
metrics break it down, every seed a point and the mean over seeds a line."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from arithgen.plots.style import apply_style, save_figure, series_colors, variant_sort_key
from arithgen.plots.text2text import _dodge, _mark_perfect_score, _variant_look, accuracy_limits, percent_label
from arithgen.stopping import EPOCH_CAP

OPERATOR_NAMES = {"+": "addition (+)", "-": "subtraction (−)"}


def breakdown_table(metrics, key):
    """Long table of one breakdown (``key``: ``by_carries`` or ``by_operator``) of per-run metrics dicts:
    task, variant, train_fraction, seed, group, n, exact_match, low, high."""
    rows = []
    for run in metrics:
        for group, part in run.get(key, {}).items():
            lo, hi = part["exact_match_ci95"]
            rows.append({"task": run.get("task"), "variant": run.get("variant"),
                         "train_fraction": run.get("train_fraction"), "seed": run.get("seed"),
                         "group": int(group) if key == "by_carries" else group, "n": part["n"],
                         "exact_match": part["exact_match"], "low": lo, "high": hi})
    return pd.DataFrame(rows, columns=["task", "variant", "train_fraction", "seed", "group", "n", "exact_match",
                                       "low", "high"])


def _count_tick(panel, group, name):
    counts = panel.loc[panel["group"] == group, "n"]
    span = f"{int(counts.iloc[0]):,}" if counts.nunique() == 1 else f"{int(counts.min()):,}–{int(counts.max()):,}"
    return f"{name}\nn={span}"


def _draw_series(ax, series, x_of, color, offset, linestyle="-", marker="o"):
    """Every seed's value as a point, the mean over seeds as a line."""
    x = np.array([x_of[g] for g in series["group"]], dtype=float) + offset
    ax.plot(x, 100 * series["exact_match"], linestyle="none", marker=marker, markersize=3.5, color=color, alpha=0.7)
    means = series.groupby("group")["exact_match"].mean()
    ax.plot([x_of[g] + offset for g in means.index], 100 * means.to_numpy(), color=color, linestyle=linestyle,
            marker=marker, markersize=5, linewidth=1.5)


def _panel(ax, panel, key, colors, offsets, looks):
    groups = sorted(panel["group"].unique(), key=lambda g: (isinstance(g, str), g))
    x_of = {g: i for i, g in enumerate(groups)}
    for series_key, series in panel.groupby(["variant", "train_fraction"], sort=False):
        linestyle, marker = looks[series_key[0]]
        _draw_series(ax, series, x_of, colors[series_key], offsets[series_key], linestyle, marker)
    names = {g: OPERATOR_NAMES.get(g, g) if key == "by_operator" else str(g) for g in groups}
    ax.xaxis.set_major_locator(FixedLocator(list(x_of.values())))
    ax.set_xticklabels([_count_tick(panel, g, names[g]) for g in groups], fontsize=8)
    ax.set_xlim(-0.5, len(groups) - 0.5)


def plot_accuracy_by_carries(metrics, path, pdf=False):
    """Exact match (%) by number of carries (+) or borrows (−) a query needs: one panel per (task, variant),
    one colour per train fraction, every seed a point and the mean over seeds a line. The test-set size of
    each carry group is printed under its tick: the groups differ widely in size."""
    long = breakdown_table(metrics, "by_carries")
    if long.empty:
        raise ValueError("no by_carries breakdown to plot")
    apply_style()
    panels = sorted(long.groupby(["task", "variant"]).groups, key=lambda tv: (tv[0], variant_sort_key(tv[1])))
    fractions = sorted(long["train_fraction"].unique())
    colors = dict(zip(fractions, series_colors(len(fractions))))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels) + 1.8, 3.8), sharey=True, squeeze=False)
    limits = accuracy_limits(long["exact_match"], long["exact_match"])
    for ax, (task, variant) in zip(axes[0], panels):
        panel = long[(long["task"] == task) & (long["variant"] == variant)]
        keys = list(panel.groupby(["variant", "train_fraction"], sort=False).groups)
        offset = dict(zip(fractions, _dodge(len(fractions), 0.06)))
        _panel(ax, panel, "by_carries", {k: colors[k[1]] for k in keys}, {k: offset[k[1]] for k in keys},
               {variant: ("-", "o")})
        ax.set_ylim(*limits)
        _mark_perfect_score(ax, limits)
        ax.set_title(f"{task} · {variant}")
        ax.set_xlabel("carries (+) / borrows (−) per query")
    axes[0][0].set_ylabel("exact-match accuracy (%)")
    handles = [Line2D([], [], color=colors[f], marker="o", label=percent_label(f)) for f in fractions]
    axes[0][-1].legend(handles=handles, title="train fraction\n(line: mean over seeds,\npoints: each seed)",
                       loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Exact match by number of carries/borrows", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)


def smallest_fractions(metrics, count=2):
    """{variant: its ``count`` smallest train fractions}: where each model is closest to failing."""
    fractions = {}
    for run in metrics:
        fractions.setdefault(run["variant"], set()).add(run["train_fraction"])
    return {variant: sorted(found)[:count] for variant, found in fractions.items()}


def plot_failures_at_smallest_fractions(metrics, path, count=2, pdf=False):
    """Exact match (%) by carries/borrows (left) and by operator (right) for each variant at its ``count``
    smallest train fractions: every seed a point, the mean over seeds a line."""
    metrics = [m for m in metrics if m.get("task", "text2text") == "text2text"]
    smallest = smallest_fractions(metrics, count)
    chosen = [m for m in metrics if m["train_fraction"] in smallest[m["variant"]]]
    carries, operators = breakdown_table(chosen, "by_carries"), breakdown_table(chosen, "by_operator")
    if carries.empty and operators.empty:
        raise ValueError("no by_carries or by_operator breakdown to plot")
    apply_style()
    keys = sorted({(m["variant"], m["train_fraction"]) for m in chosen},
                  key=lambda k: (variant_sort_key(k[0]), k[1]))
    colors = dict(zip(keys, series_colors(len(keys))))
    offsets = dict(zip(keys, _dodge(len(keys), 0.07)))
    looks = {variant: _variant_look(variant, i) for i, variant in enumerate(sorted(smallest, key=variant_sort_key))}
    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.0), sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    both = pd.concat([carries, operators])
    limits = accuracy_limits(both["exact_match"], both["exact_match"])
    for ax, panel, key, label in ((axes[0], carries, "by_carries", "carries (+) / borrows (−) per query"),
                                  (axes[1], operators, "by_operator", "operator")):
        if not panel.empty:
            _panel(ax, panel, key, colors, offsets, looks)
        ax.set_ylim(*limits)
        _mark_perfect_score(ax, limits)
        ax.axhline(99.0, color="0.3", linewidth=0.9, linestyle=":", zorder=0)
        ax.set_xlabel(label)
    axes[0].set_ylabel("exact-match accuracy (%)")
    axes[0].set_title("By carries/borrows")
    axes[1].set_title("By operator")
    members = {k: [m for m in chosen if (m["variant"], m["train_fraction"]) == k] for k in keys}
    capped = {k: " not converged" if any(m.get("stopped") == EPOCH_CAP for m in members[k]) else "" for k in keys}
    handles = [Line2D([], [], color=colors[k], linestyle=looks[k[0]][0], marker=looks[k[0]][1],
                      label=f"{k[0]} · {percent_label(k[1])} (n = {len(members[k])}){capped[k]}") for k in keys]
    axes[1].legend(handles=handles, title="variant · fraction (seeds)\nline: mean, points: each seed",
                   loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Where the smallest training sets fail", fontweight="bold")
    fig.tight_layout()
    return save_figure(fig, path, pdf=pdf)
