"""Runs repeated over seeds, summarised: one row per (task, variant, train fraction) with the mean, the
standard deviation, the range and the number of seeds behind each accuracy.

The spread between seeds is the training-run variance (split, initialisation, epoch order) that a single run's
Wilson interval does not cover; the per-seed rows and their intervals stay in the per-run table.
"""

import math

import pandas as pd

GROUP = ["task", "variant", "train_fraction"]
SUMMARISED = ("exact_match", "char_accuracy")
STATISTICS = ("mean", "sd", "min", "max")


def summarise(values):
    """{n, mean, sd, min, max} of the finite values in ``values`` (NaN and None are left out, and not counted).

    ``sd`` is the sample standard deviation (n - 1 in the denominator): NaN for a single seed, where there is
    no spread to measure. Everything but ``n`` is NaN when no value is left."""
    kept = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    n = len(kept)
    if n == 0:
        return {"n": 0, **{name: float("nan") for name in STATISTICS}}
    mean = sum(kept) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in kept) / (n - 1)) if n > 1 else float("nan")
    return {"n": n, "mean": mean, "sd": sd, "min": min(kept), "max": max(kept)}


def seed_summary(table, metrics=SUMMARISED):
    """One row per (task, variant, train fraction) of a per-run table (``tables.results_table``): ``seeds``
    (how many runs the row summarises), the run seeds, and ``{metric}_{statistic}`` for each metric.

    ``n`` of a metric is how many seeds had a value for it; it is ``seeds`` unless a run lacks the metric."""
    rows = []
    for (task, variant, fraction), runs in table.groupby(GROUP, sort=False, dropna=False):
        row = {"task": task, "variant": variant, "train_fraction": fraction, "seeds": len(runs),
               "seed_list": " ".join(str(int(s)) for s in runs["seed"].dropna()) if "seed" in runs else ""}
        for metric in metrics:
            stats = summarise(runs[metric].tolist())
            row |= {f"{metric}_{name}": stats[name] for name in STATISTICS}
            row[f"{metric}_n"] = stats["n"]
        rows.append(row)
    columns = GROUP + ["seeds", "seed_list"] + [f"{m}_{s}" for m in metrics for s in (*STATISTICS, "n")]
    return pd.DataFrame(rows, columns=columns)


def summary_document(runs, metrics=SUMMARISED):
    """The summary as a nested dict for the report to quote and link to:
    ``{task: {variant: {str(train_fraction): {"seeds": [...], "n": ..., metric: {n, mean, sd, min, max}}}}}``.

    ``runs``: per-run metrics dicts. JSON has no NaN, so a statistic that does not exist (the sd of one seed)
    is None."""
    frame = pd.DataFrame([{key: run.get(key) for key in (*GROUP, "seed", *metrics)} for run in runs],
                         columns=[*GROUP, "seed", *metrics]).sort_values([*GROUP, "seed"])
    document = {}
    for row in seed_summary(frame, metrics).to_dict("records"):
        entry = {"seeds": sorted(int(s) for s in row["seed_list"].split()), "n": row["seeds"]}
        for metric in metrics:
            entry[metric] = {name: _json_number(row[f"{metric}_{name}"]) for name in ("n", *STATISTICS)}
        document.setdefault(row["task"], {}).setdefault(row["variant"], {})[fraction_key(row["train_fraction"])] = entry
    return document


def _json_number(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def fraction_key(fraction):
    """How a train fraction names its entry in the summary document: 0.0025 -> '0.0025'."""
    return repr(float(fraction))


READER_ESTIMATE = ("reader_estimate", "exact_match_unseen_writers", "exact_match_seen_writers", "n_wrong",
                   "n_wrong_reading", "n_wrong_other")


def report_summary(runs):
    """The summary document the report quotes, from the metrics dicts of every task: text2text and img2text
    runs by variant, and img2text's reader-based estimates (reader_estimate.json, task img2text) under the
    variant name ``reader_estimate``. Whole-space evaluations (whole_space.json) are single runs, not seeds."""
    text2text = [r for r in runs if r.get("task") == "text2text" and "sample_exact_match" not in r]
    img2text = [r for r in runs if r.get("task") == "img2text" and "reader_estimate" not in r]
    estimates = [r | {"variant": "reader_estimate"} for r in runs
                 if r.get("task") == "img2text" and "reader_estimate" in r]
    document = summary_document(text2text)
    for part in (summary_document(img2text), summary_document(estimates, READER_ESTIMATE)):
        for task, variants in part.items():
            document.setdefault(task, {}).update(variants)
    return document
