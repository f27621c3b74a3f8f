"""Results tables: one row per trained run (every seed), the summary over seeds that the report shows, and
writers for CSV (raw numbers, for re-analysis), Markdown and LaTeX (formatted, for reading)."""

import pandas as pd

from arithgen.evaluation.heldout import ANSWER_COLUMNS
from arithgen.io import atomic_path
from arithgen.plots.style import variant_sort_key
from arithgen.report.seeds import seed_summary
from arithgen.stopping import EPOCH_CAP, PATIENCE, SCHEDULE

RESULT_COLUMNS = [
    "task",
    "variant",
    "train_fraction",
    "seed",
    "n_labelled",
    "n_train",
    "exact_match",
    "exact_match_ci95_low",
    "exact_match_ci95_high",
    "char_accuracy",
    "epochs",
    "max_epochs",
    "stopped",
    "train_seconds",
]
SUMMARY_COLUMNS = [
    "variant",
    "train_fraction",
    "n_labelled",
    "seeds",
    "exact_match_mean",
    "exact_match_min",
    "exact_match_max",
    "exact_match_sd",
    "char_accuracy_mean",
    "epochs",
    "train_seconds",
    "stopped",
]

# Columns holding proportions in [0, 1]; Markdown/LaTeX show them as percentages.
PERCENT_COLUMNS = {"exact_match", "exact_match_ci95_low", "exact_match_ci95_high", "char_accuracy",
                   "exact_match_mean", "exact_match_min", "exact_match_max", "exact_match_sd",
                   "char_accuracy_mean", "reference_value"} | {f"wrong_{c}" for c in ANSWER_COLUMNS}
COUNT_COLUMNS = {"n_train", "n_labelled", "n_generated", "steps", "epochs", "max_epochs", "parameters", "latent_dim",
                 "seed", "seeds"}

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
                "seed": run.get("seed"),
                "n_labelled": run.get("n_labelled", _labelled(run)),
                "n_train": run.get("n_train"),
                "exact_match": run.get("exact_match"),
                "exact_match_ci95_low": lo,
                "exact_match_ci95_high": hi,
                "char_accuracy": run.get("char_accuracy"),
                "epochs": run.get("epochs"),
                "max_epochs": run.get("max_epochs"),
                "stopped": run.get("stopped"),
                "train_seconds": run.get("train_seconds"),
            }
        )
    table = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    order = table["variant"].map(lambda v: variant_sort_key(str(v))[0])
    return (
        table.assign(_variant_rank=order)
        .sort_values(["task", "_variant_rank", "variant", "train_fraction", "seed"], kind="stable")
        .drop(columns="_variant_rank")
        .reset_index(drop=True)
    )


def _labelled(run):
    # Runs written before n_labelled existed: training plus validation queries are what the run was given.
    if run.get("n_train") is None or run.get("n_val") is None:
        return None
    return run["n_train"] + run["n_val"]


def stopping(stopped, max_epochs):
    """How a table names the way a run ended: at its plateau, at the end of its cosine schedule, or cut off
    while still improving.

    A run stopped by the epoch cap is never shown as the model's result without this label."""
    cap = f"{int(max_epochs)}-epoch" if not pd.isna(max_epochs) else "epoch"
    return {PATIENCE: "plateau", SCHEDULE: f"full {cap} cosine schedule",
            EPOCH_CAP: f"not converged (stopped at the {cap} cap)"}.get(stopped, "—")


def summary_table(table):
    """The table the report shows: one row per (variant, train fraction) of a per-run ``results_table``, with
    exact match as mean, min, max and sd over its ``seeds`` runs, char accuracy's mean, the mean epochs and
    training seconds, and how the runs stopped (a row with any run cut off by the epoch cap says so)."""
    summary = seed_summary(table)
    rows = []
    for (_, row), (_, runs) in zip(summary.iterrows(),
                                   table.groupby(["task", "variant", "train_fraction"], sort=False, dropna=False)):
        recorded = [(s, m) for s, m in zip(runs["stopped"], runs["max_epochs"]) if isinstance(s, str)]
        ends = [stopping(s, m) for s, m in recorded]
        capped = [stopping(s, m) for s, m in recorded if s == EPOCH_CAP]  # decided on the value, not its label
        rows.append(row.to_dict() | {
            "n_labelled": runs["n_labelled"].mean(), "epochs": runs["epochs"].mean(),
            "train_seconds": runs["train_seconds"].mean(),
            "stopped": (capped[0] if len(capped) == len(ends) else f"{len(capped)} of {len(ends)} {capped[0]}")
            if capped else (" / ".join(dict.fromkeys(ends)) if ends else "—")})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


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
        elif column in COUNT_COLUMNS:
            shown[column] = shown[column].map(lambda k: "—" if pd.isna(k) else f"{round(k):,}")
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
