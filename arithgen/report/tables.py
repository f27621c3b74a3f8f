"""Results tables: one row per trained run, and writers
for CSV (raw numbers, for re-analysis), Markdown and LaTeX (formatted, for reading)."""

import pandas as pd

from arithgen.io import atomic_path
from arithgen.plots.style import variant_sort_key

RESULT_COLUMNS = [
    "task",
    "variant",
    "train_fraction",
    "n_train",
    "exact_match",
    "exact_match_ci95_low",
    "exact_match_ci95_high",
    "char_accuracy",
    "epochs",
    "train_seconds",
]

# Columns holding proportions in [0, 1]; Markdown/LaTeX show them as percentages.
PERCENT_COLUMNS = {"exact_match", "exact_match_ci95_low", "exact_match_ci95_high", "char_accuracy"}

def results_table(metrics):
    """One row per run from per-run metrics dicts (as written to ``metrics.json``).

    Returns a DataFrame with ``RESULT_COLUMNS``; proportions stay in [0, 1]. Rows are sorted by
    task, variant (``default`` first) and train fraction. Keys a run lacks become NaN.
    """
    rows = []
    for run in metrics:
        lo, hi = run.get("exact_match_ci95", [float("nan"), float("nan")])
        rows.append(
            {
                "task": run.get("task"),
                "variant": run.get("variant"),
                "train_fraction": run.get("train_fraction"),
                "n_train": run.get("n_train"),
                "exact_match": run.get("exact_match"),
                "exact_match_ci95_low": lo,
                "exact_match_ci95_high": hi,
                "char_accuracy": run.get("char_accuracy"),
                "epochs": run.get("epochs"),
                "train_seconds": run.get("train_seconds"),
            }
        )
    table = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    order = table["variant"].map(lambda v: variant_sort_key(str(v))[0])
    return (
        table.assign(_variant_rank=order)
        .sort_values(["task", "_variant_rank", "variant", "train_fraction"], kind="stable")
        .drop(columns="_variant_rank")
        .reset_index(drop=True)
    )


def _format_percent(value):
    # Two decimals keep differences near 100% visible (99.52% vs 99.87%).
    return "—" if pd.isna(value) else f"{100 * value:.2f}%"


def _format_fraction(value):
    return "—" if pd.isna(value) else f"{100 * value:g}%"


def formatted_for_reading(table, percent_columns=None):
    """Copy of ``table`` as strings: proportions as ``99.52%``, train fraction as ``5%``, seconds
    to one decimal, counts with thousands separators. ``percent_columns`` defaults to the known
    metric columns plus any listed in ``table.attrs['percent_columns']``."""
    if percent_columns is None:
        percent_columns = PERCENT_COLUMNS | set(table.attrs.get("percent_columns", []))
    shown = table.copy()
    for column in shown.columns:
        if column in percent_columns:
            shown[column] = shown[column].map(_format_percent)
        elif column == "train_fraction":
            shown[column] = shown[column].map(_format_fraction)
        elif column == "train_seconds":
            shown[column] = shown[column].map(lambda s: "—" if pd.isna(s) else f"{s:,.1f}")
        elif column in ("n_train", "epochs"):
            shown[column] = shown[column].map(lambda k: "—" if pd.isna(k) else f"{int(k):,}")
    return shown


def _alignment(columns):
    """Names left-aligned, numbers right-aligned so their decimal points line up."""
    return ["left" if column in ("task", "variant") else "right" for column in columns]


def _markdown(shown):
    # The cells are already formatted; re-parsing would turn '50.0' back into '50'.
    return shown.to_markdown(index=False, disable_numparse=True, colalign=_alignment(shown.columns))


def _latex(shown):
    # escape=True turns '%' and '_' in cells and headers into \% and \_; booktabs rules are the default.
    alignment = "".join(side[0] for side in _alignment(shown.columns))
    return shown.to_latex(index=False, escape=True, column_format=alignment)


def write_table(table, csv_path, md_path=None, tex_path=None, percent_columns=None):
    """Write ``table`` as CSV (raw floats) and, when paths are given, Markdown and LaTeX (booktabs)
    with percentages formatted for reading. Every file is written atomically."""
    with atomic_path(csv_path) as tmp:
        table.to_csv(tmp, index=False)
    if md_path is None and tex_path is None:
        return
    shown = formatted_for_reading(table, percent_columns)
    if md_path is not None:
        with atomic_path(md_path) as tmp:
            tmp.write_text(_markdown(shown) + "\n")
    if tex_path is not None:
        with atomic_path(tex_path) as tmp:
            tmp.write_text(_latex(shown))
