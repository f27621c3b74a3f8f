"""text2text facts over seeds: each variant's summary per train fraction, the frontier (the smallest fraction
from which every seed reaches 99%), how far the goal fraction is from it, the variants compared at their
plateau and at equal time, and the whole-space evaluation.

Means and ranges are ``Traced`` into the seed summary document (``seeds.summary_document``), single runs into
their metrics files. A run is finished when its metrics say ``stopped`` is "patience" (its plateau) or
"schedule" (its cosine schedule ran to the end); a run stopped by its epoch cap is marked ``capped`` and never
compared as the model's result.
"""

from arithgen.plots.style import variant_sort_key
from arithgen.report.anatomy import error_anatomy
from arithgen.report.seeds import fraction_key
from arithgen.stopping import EPOCH_CAP, FINISHED

THRESHOLD = 0.99  # "reaches 99% exact match": the level the frontier is measured at
GOAL_FRACTION = 0.0025  # the study's goal: >= 99% on unseen queries, every seed, with 0.25% of the query space
REFERENCE = "default"  # the model the others are compared with


def separated(a, b):
    """Whether two 95% intervals ([low, high], plain or ``Traced``) do not overlap."""
    (a_low, a_high), (b_low, b_high) = ([getattr(x, "value", x) for x in interval] for interval in (a, b))
    return a_high < b_low or b_high < a_low


def spreads_separated(a_runs, b_runs):
    """Whether two groups of runs (seeds) differ beyond both the seed spread and the test-set sampling: the
    span of one group's per-seed 95% intervals does not overlap the other's."""
    def span(runs):
        return [min(r.raw("exact_match_ci95")[0] for r in runs), max(r.raw("exact_match_ci95")[1] for r in runs)]
    return bool(a_runs) and bool(b_runs) and separated(span(a_runs), span(b_runs))


def is_whole_space(doc):
    """whole_space.json carries its task's name too; the sample estimate it copies marks it."""
    return "sample_exact_match" in doc


def _points(variant, runs, summary):
    """One point per train fraction of ``variant``: its runs (seeds), the summary over them, and whether
    every run finished (see ``FINISHED``) or some stopped at the epoch cap."""
    by_fraction = {}
    for run in runs:
        by_fraction.setdefault(run.raw("train_fraction"), []).append(run)
    points = []
    for fraction, group in sorted(by_fraction.items()):
        group.sort(key=lambda r: r.raw("seed") if "seed" in r else 0)
        stopped = [r.raw("stopped") if "stopped" in r else None for r in group]
        capped = [r for r, s in zip(group, stopped) if s == EPOCH_CAP]
        points.append({"fraction": group[0]["train_fraction"], "runs": group,
                       "summary": summary["text2text"][variant][fraction_key(fraction)],
                       "finished": all(s in FINISHED for s in stopped), "capped": capped,
                       "n_labelled": group[0].get("n_labelled", group[0]["n_train"]),
                       "reached": all(r.raw("exact_match") >= THRESHOLD for r in group)})
    return points


def _frontier(points):
    """The smallest fraction from which every run, at it and at every larger fraction, reaches the threshold."""
    reached = None
    for point in reversed(points):
        if not point["reached"]:
            break
        reached = point
    return reached


def _hardest_carries(run):
    """The carry/borrow groups of ``run`` with the lowest and highest exact match, when their intervals do
    not overlap (else None: the groups do not measurably differ)."""
    groups = run.get("by_carries")
    if groups is None or len(groups) < 2:
        return None
    order = sorted(groups, key=lambda k: (groups.raw(k)["exact_match"], -int(k)))
    worst, best = groups[order[0]], groups[order[-1]]
    if not separated(worst["exact_match_ci95"], best["exact_match_ci95"]):
        return None
    return {"run": run, "worst": worst, "worst_carries": order[0], "best": best, "best_carries": order[-1]}


def _finished_comparisons(variants):
    """Every other variant against the reference at each fraction where both ran and every run of both
    finished; ``leader`` is the variant ahead beyond the seed spreads and intervals, else None. A variant
    with one seed has no measured spread between training runs, so no leader is named beside it: when
    the intervals part anyway, ``one_seed`` names it (else None)."""
    reference = variants.get(REFERENCE)
    if reference is None:
        return []
    ref_points = {p["fraction"].value: p for p in reference["points"]}
    comparisons = []
    for variant, v in variants.items():
        for point in v["points"] if variant != REFERENCE else ():
            ref = ref_points.get(point["fraction"].value)
            if ref is None or not (ref["finished"] and point["finished"]):
                continue
            leader = one_seed = None
            if spreads_separated(ref["runs"], point["runs"]):
                single = [name for name, p in ((REFERENCE, ref), (variant, point)) if len(p["runs"]) < 2]
                one_seed = " and ".join(single) or None
                if not single:
                    leader = max((REFERENCE, ref), (variant, point),
                                 key=lambda vp: vp[1]["summary"].raw("exact_match")["mean"])[0]
            comparisons.append({"variant": variant, "fraction": point["fraction"], "reference": ref,
                                "other": point, "leader": leader, "one_seed": one_seed})
    return comparisons


def text2text_facts(runs, summary, equal_time=None, whole_space=()):
    """The text2text section's facts; None without runs. ``runs``: metrics ``Doc``s (whole-space files are left
    out here), ``summary``: the seed summary ``Doc``, ``equal_time``: the equal-time ``Doc`` or None,
    ``whole_space``: whole-space ``Doc``s."""
    runs = [r for r in runs if not is_whole_space(r)]
    if not runs:
        return None
    names = sorted({r.raw("variant") for r in runs}, key=variant_sort_key)
    variants = {}
    for variant in names:
        points = _points(variant, [r for r in runs if r.raw("variant") == variant], summary)
        frontier = _frontier(points)
        variants[variant] = {
            "points": points, "first": points[0], "last": points[-1] if len(points) > 1 else None,
            "frontier": frontier, "capped": [p for p in points if p["capped"]],
            "seeds": max(len(p["runs"]) for p in points),
            "hardest": _hardest_carries(points[-1]["runs"][0]),
        }
    lead = variants.get(REFERENCE) or variants[names[0]]
    goal = next((p for p in lead["points"] if abs(p["fraction"].value - GOAL_FRACTION) < 1e-12), None)
    return {
        "variants": variants, "lead": lead, "lead_variant": REFERENCE if REFERENCE in variants else names[0],
        "goal": goal, "goal_fraction": GOAL_FRACTION, "threshold": THRESHOLD,
        "test_queries": runs[0]["n"], "finished": _finished_comparisons(variants),
        "equal_time": [c for c in equal_time["comparisons"]] if equal_time is not None else [],
        "equal_time_seed": equal_time["seed"] if equal_time is not None else None,
        "whole_space": list(whole_space),
        "anatomy": error_anatomy(lead["points"], THRESHOLD),
    }
