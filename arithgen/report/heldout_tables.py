"""Held-out structure splits against the random split: the per-run rows, the summary over seeds (a table and
the document the report quotes), and the digit-pair kind's worst cases, from the runs' metrics files.

Every held-out run (task ``text2text_heldout``) is set beside the random-split run of the same variant, train
fraction and seed: ``random`` is that run's exact match on the random test queries, ``in_distribution`` the
held-out run's on the random test queries outside its structure, ``heldout`` its on the structure.
"""

import pandas as pd

from arithgen.evaluation.heldout import ANSWER_COLUMNS
from arithgen.io import read_json, write_json
from arithgen.plots.heldout import plot_heldout_accuracy
from arithgen.plots.style import variant_sort_key
from arithgen.report.seeds import fraction_key, summarise
from arithgen.report.tables import write_table

TEST_SETS = ("random", "in_distribution", "heldout")
RUN_COLUMNS = ["split", "variant", "train_fraction", "seed", "test_set", "n", "exact_match", "exact_match_ci95_low",
               "exact_match_ci95_high"]
SUMMARY_COLUMNS = ["variant", "train_fraction", "split", "test_set", "seeds", "n", "exact_match_mean",
                   "exact_match_min", "exact_match_max", "exact_match_sd"]


def _scores(run, prefix, split, test_set):
    lo, hi = run[f"{prefix}exact_match_ci95"]
    return {"split": split, "variant": run["variant"], "train_fraction": run["train_fraction"], "seed": run["seed"],
            "test_set": test_set, "n": run[f"{prefix}n"], "exact_match": run[f"{prefix}exact_match"],
            "exact_match_ci95_low": lo, "exact_match_ci95_high": hi}


def run_rows(heldout, random):
    """Long table (``RUN_COLUMNS``) of the held-out runs' two scores and the matching random runs' score (split
    ``random``, test set ``random``, once per run); sorted by variant, fraction, split (random first), seed."""
    rows = [_scores(run, "", "random", "random") for run in random]
    for run in heldout:
        rows += [_scores(run, "", run["split"], "in_distribution"), _scores(run, "heldout_", run["split"], "heldout")]
    table = pd.DataFrame(rows, columns=RUN_COLUMNS)
    splits = ["random"] + list(dict.fromkeys(run["split"] for run in heldout))
    ranks = {"_variant": table["variant"].map(lambda v: variant_sort_key(v)[0]),
             "_split": table["split"].map(splits.index), "_test_set": table["test_set"].map(TEST_SETS.index)}
    return (table.assign(**ranks)
            .sort_values(["_variant", "variant", "train_fraction", "_split", "seed", "_test_set"], kind="stable")
            .drop(columns=list(ranks)).reset_index(drop=True))


def summary_table(rows):
    """One row per (variant, fraction, split, test set) of ``run_rows``: exact match over its seeds."""
    summary = []
    for (variant, fraction, split, test_set), runs in rows.groupby(["variant", "train_fraction", "split", "test_set"],
                                                                   sort=False):
        stats = summarise(runs["exact_match"].tolist())
        summary.append({"variant": variant, "train_fraction": fraction, "split": split, "test_set": test_set,
                        "seeds": len(runs), "n": int(runs["n"].mean()),
                        **{f"exact_match_{name}": stats[name] for name in ("mean", "min", "max", "sd")}})
    return pd.DataFrame(summary, columns=SUMMARY_COLUMNS)


def summary_document(rows):
    """``{task: "text2text_heldout_summary", kinds: {kind: {variant: {fraction_key: {seeds, random,
    in_distribution, heldout, drop}}}}}``: each test set's exact match over seeds ({n, mean, sd, min, max}) and
    ``drop``, random minus held-out seed by seed (a proportion; positive = worse on the structure). Random
    scores are those of the seeds the kind ran. JSON has no NaN: a missing statistic is None."""
    kinds = {}
    held = rows[rows["split"] != "random"]
    for (kind, variant, fraction), runs in held.groupby(["split", "variant", "train_fraction"], sort=False):
        seeds = sorted(runs["seed"].unique().tolist())
        random = rows[(rows["split"] == "random") & (rows["variant"] == variant)
                      & (rows["train_fraction"] == fraction) & rows["seed"].isin(seeds)]
        by_seed = {test_set: part.set_index("seed")["exact_match"]
                   for test_set, part in [("random", random), *runs.groupby("test_set")]}
        entry = {"seeds": [int(s) for s in seeds],
                 **{test_set: _json(summarise(by_seed[test_set].tolist())) for test_set in TEST_SETS
                    if test_set in by_seed},
                 "drop": _json(summarise((by_seed["random"] - by_seed["heldout"]).dropna().tolist()))}
        kinds.setdefault(kind, {}).setdefault(variant, {})[fraction_key(fraction)] = entry
    return {"task": "text2text_heldout_summary", "kinds": kinds}


def _json(stats):
    return {name: (None if isinstance(value, float) and value != value else value) for name, value in stats.items()}


def pair_table(heldout):
    """The digit-pair kind's worst cases: one row per (variant, fraction, held-out pair) over seeds, worst first
    (lowest mean exact match): the queries per seed, exact match over seeds and, per answer column, the mean
    share of answers wrong there (``wrong_units``, ...)."""
    rows = []
    for run in (r for r in heldout if r["split"] == "digit_pairs"):
        for pair, part in run.get("heldout_by_pair", {}).items():
            errors = part["answer_column_errors"]
            rows.append({"variant": run["variant"], "train_fraction": run["train_fraction"], "seed": run["seed"],
                         "pair": f"({pair.replace(',', ', ')})", "n": part["n"], "exact_match": part["exact_match"],
                         **{f"wrong_{ANSWER_COLUMNS[j]}": share for j, share in enumerate(errors)}})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    wrong = [c for c in frame.columns if c.startswith("wrong_")]
    grouped = frame.groupby(["variant", "train_fraction", "pair"], sort=False)
    table = grouped.agg(seeds=("seed", "size"), n=("n", "median"), exact_match_mean=("exact_match", "mean"),
                        exact_match_min=("exact_match", "min"), exact_match_max=("exact_match", "max"),
                        **{c: (c, "mean") for c in wrong}).reset_index()
    order = table["variant"].map(lambda v: variant_sort_key(v)[0])
    return (table.assign(_rank=order).sort_values(["_rank", "train_fraction", "exact_match_mean"], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def heldout_report(heldout_paths, random_paths, outputs, pdf=False):
    """Write the summary table (``outputs`` csv, markdown, latex), the summary document (``summary``) and the
    accuracy figure (``figure``) from the held-out and the matching random runs' metrics files."""
    rows = run_rows([read_json(p) for p in heldout_paths], [read_json(p) for p in random_paths])
    write_table(summary_table(rows), outputs["csv"], outputs["markdown"], outputs["latex"])
    write_json(summary_document(rows), outputs["summary"])
    plot_heldout_accuracy(rows, outputs["figure"], pdf=pdf)


def heldout_digit_pairs(heldout_paths, outputs):
    """Write the digit-pair kind's worst cases (``pair_table``) as CSV, Markdown and LaTeX."""
    table = pair_table([read_json(p) for p in heldout_paths])
    write_table(table, outputs["csv"], outputs["markdown"], outputs["latex"])
