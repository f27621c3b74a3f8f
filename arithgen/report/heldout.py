"""Facts of the held-out structure splits for the report: per kind, variant and train fraction, the random
split, the in-distribution and the held-out exact match over seeds, whether the held-out score differs
from the random one beyond the seed spread and the intervals, whether the issue's goal is met, and the
worst cases (the worst answer column, and for the digit-pair kind the worst pair).

Numbers stay ``Traced``: means and ranges into heldout_summary.json, single runs into their metrics files.
"""

from arithgen.evaluation.heldout import ANSWER_COLUMNS
from arithgen.plots.style import variant_sort_key
from arithgen.report.frontier import REFERENCE, THRESHOLD, is_whole_space, separated
from arithgen.report.seeds import fraction_key

MAX_DROP = 0.005  # the goal: at most 0.5 points below the random split, every seed,
REACH_FRACTION = 0.02  # and at least THRESHOLD on the structure with this train fraction


def _span(runs, key):
    """[lowest low, highest high] of the runs' per-seed 95% intervals of ``key``."""
    return [min(r.raw(key)[0] for r in runs), max(r.raw(key)[1] for r in runs)]


def _worst_column(errors):
    """The answer column (name, Traced error share) with the largest share of wrong answers in ``errors``
    (a ``Doc`` list of shares, units first); the rightmost of equals."""
    shares = errors.raw()
    j = max(range(len(shares)), key=lambda i: (shares[i], -i))
    return {"column": ANSWER_COLUMNS[j], "share": errors[j]}


def _worst_pair(run):
    """The held-out digit pair with the lowest exact match in ``run`` (``pair``: [digit of a, digit of b]), with
    its worst answer column; None for other kinds."""
    pairs = run.get("heldout_by_pair")
    if not pairs:
        return None
    name = min(pairs, key=lambda p: (pairs.raw(p)["exact_match"], p))
    return {"pair": name.split(","), "part": pairs[name], **_worst_column(pairs[name]["answer_column_errors"])}


def _row(kind, variant, entry, held, random):
    """One (kind, variant, fraction): its summary entry, its runs, and what the numbers support."""
    differs = (len(held) > 1 and len(random) > 1
               and separated(_span(held, "heldout_exact_match_ci95"), _span(random, "exact_match_ci95")))
    lower = entry["heldout"].raw("mean") < entry["random"].raw("mean") if "random" in entry else None
    worst_run = min(held, key=lambda r: (r.raw("heldout_exact_match"), r.raw("seed")))
    drop = entry.get("drop")
    return {"kind": kind, "variant": variant, "fraction": held[0]["train_fraction"], "summary": entry,
            "runs": held, "random_runs": random, "differs": differs, "lower": lower, "lead": variant == REFERENCE,
            "one_seed": min(len(held), len(random)) < 2,
            "within_goal": drop is not None and drop.raw("n") == len(held) and drop.raw("max") <= MAX_DROP,
            "reaches": all(r.raw("heldout_exact_match") >= THRESHOLD for r in held),
            "must_reach": abs(held[0].raw("train_fraction") - REACH_FRACTION) < 1e-12,
            "worst_run": worst_run, "worst_column": _worst_column(worst_run["heldout_answer_column_errors"]),
            "worst_pair": _worst_pair(worst_run)}


def heldout_facts(results):
    """{"kinds": [kind names], "rows": [_row, ...] (by kind, then variant, then fraction), "max_drop",
    "threshold"}; None without held-out runs."""
    documents = results.runs("text2text_heldout_summary")
    held_runs = results.runs("text2text_heldout")
    if not documents or not held_runs:
        return None
    kinds = documents[0]["kinds"]
    random_runs = [r for r in results.runs("text2text") if not is_whole_space(r)]
    rows = []
    for kind in kinds:
        for variant in sorted(kinds[kind], key=variant_sort_key):
            for key in kinds[kind][variant]:
                held = sorted((r for r in held_runs if r.raw("split") == kind and r.raw("variant") == variant
                               and fraction_key(r.raw("train_fraction")) == key), key=lambda r: r.raw("seed"))
                seeds = {r.raw("seed") for r in held}
                random = [r for r in random_runs if r.raw("variant") == variant and r.raw("seed") in seeds
                          and fraction_key(r.raw("train_fraction")) == key]
                if held:
                    rows.append(_row(kind, variant, kinds[kind][variant][key], held, random))
    return {"kinds": list(kinds), "rows": rows, "max_drop": MAX_DROP, "threshold": THRESHOLD}
