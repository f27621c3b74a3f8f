"""The facts the report's sentences rest on, computed from the results into plain data for the templates:
who leads, whether a difference is larger than the intervals, how the generative models rank.

Values that a sentence quotes stay ``Traced`` (see ``results``), so the page can link each number to its
file. A fact that the numbers do not support is None or False, and the template leaves its sentence out
or says that there is no measurable difference.
"""

from arithgen.plots.generative import dataset_title, model_sort_key
from arithgen.plots.style import variant_sort_key

# Generative measures: the key in a model's metrics.json, the key of its real-vs-real reference in
# results/generative/fid/metrics.json, and which direction is better. Key names change here only.
GENERATIVE_MEASURES = {
    "fid": ("fid", "fid", "lower"),
    "precision": ("precision", "precision", "higher"),
    "recall": ("recall", "recall", "higher"),
    "density": ("density", "density", "higher"),
    "coverage": ("coverage", "coverage", "higher"),
    "confident_rate": ("confident_rate", "confident_rate", "higher"),
}
THRESHOLD = 0.99  # "reaches 99% exact match": the level the frontier is measured at


def separated(a, b):
    """Whether two 95% intervals ([low, high], plain or ``Traced``) do not overlap."""
    (a_low, a_high), (b_low, b_high) = ([getattr(x, "value", x) for x in interval] for interval in (a, b))
    return a_high < b_low or b_high < a_low


def group_runs(runs):
    """{variant: [(train fraction, [runs])]}: the runs of each variant at each fraction, in report order.

    The one place where runs become table rows and points: more runs at one fraction (seeds) land in the
    same list."""
    grouped = {}
    for run in runs:
        grouped.setdefault(run.raw("variant"), {}).setdefault(run.raw("train_fraction"), []).append(run)
    return {variant: sorted(grouped[variant].items()) for variant in sorted(grouped, key=variant_sort_key)}


def text2text_facts(runs):
    """Headline runs per variant, the comparison at the smallest shared fraction, the frontier and the
    hardest carry groups. None without runs."""
    if not runs:
        return None
    variants = group_runs(runs)
    facts = {"variants": {}, "test_queries": runs[0]["n"], "comparison": _comparison(variants)}
    for variant, points in variants.items():
        first, last = points[0][1][0], points[-1][1][0]
        # The frontier: the smallest fraction from which on every run, at it and at every larger fraction, reaches
        # the threshold.
        reached = []
        for _, group in reversed(points):
            if not all(r.raw("exact_match") >= THRESHOLD for r in group):
                break
            reached.insert(0, group)
        facts["variants"][variant] = {
            "first": first, "last": last if len(points) > 1 else None, "runs_per_fraction": len(points[0][1]),
            "frontier": reached[0][0]["train_fraction"] if reached else None,
            "hardest": _hardest_carries(last),
        }
    facts["threshold"] = THRESHOLD
    return facts


def _comparison(variants):
    """At the smallest train fraction every variant ran: variants by exact match, and the leader when its
    interval clears every other's (else None: no measurable difference)."""
    if len(variants) < 2:
        return None
    shared = set.intersection(*({fraction for fraction, _ in points} for points in variants.values()))
    if not shared:
        return None
    at = {v: dict(points)[min(shared)][0] for v, points in variants.items()}
    ranked = sorted(at.values(), key=lambda run: -run.raw("exact_match"))
    leader = ranked[0] if all(separated(ranked[0]["exact_match_ci95"], r["exact_match_ci95"])
                              for r in ranked[1:]) else None
    return {"fraction": ranked[0]["train_fraction"], "ranked": ranked, "leader": leader}


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


def image_facts(results):
    """img2text beside its reader-based estimate and text2text at the same fraction; text2img; the reader."""
    img2text, text2img = results.runs("img2text"), results.runs("text2img")
    if not img2text and not text2img:
        return None
    bounds = {b.raw("train_fraction"): b for b in results.runs("oracle_bound")}
    text2text = {r.raw("train_fraction"): r for r in results.runs("text2text") if r.raw("variant") == "default"}
    rows = []
    for run in sorted(img2text, key=lambda r: r.raw("train_fraction")):
        bound = bounds.get(run.raw("train_fraction"))
        rows.append({"run": run, "bound": bound, "text2text": text2text.get(run.raw("train_fraction")),
                     "above_bound": bound is not None and run.raw("exact_match") > bound.raw("oracle_bound")
                     and separated(run["exact_match_ci95"], bound["oracle_bound_ci95"])})
    readers = results.runs("digit_reader")
    # Drawn digits count as smooth averages when their gradient energy is below half that of real handwriting.
    drawn = [{"run": run, "smooth": "sharpness" in run
              and run.raw("sharpness")["drawn"] < run.raw("sharpness")["real"] / 2}
             for run in sorted(text2img, key=lambda r: r.raw("train_fraction"))]
    return {"img2text": rows, "text2img": drawn,
            "reader": readers[0] if readers else None}


def generative_facts(results):
    """Models in report order, the real-vs-real reference, every measure present with its values, and the
    ranking of the models by their mean rank over those measures. None without models."""
    runs = results.runs("generative")
    models = {run.raw("model"): run for run in runs if run.raw("model") != "real"}
    if not models:
        return None
    models = {name: models[name] for name in sorted(models, key=model_sort_key)}
    reference = next((run for run in runs if run.raw("model") == "real"), None)
    measures, ranks = [], {name: [] for name in models}
    for name, (key, reference_key, better) in GENERATIVE_MEASURES.items():
        values = {model: run[key] for model, run in models.items() if key in run}
        if not values:
            continue
        ordered = sorted(values, key=lambda m: values[m].value * (1 if better == "lower" else -1))
        for rank, model in enumerate(ordered, 1):
            ranks[model].append(rank)
        measures.append({"name": name, "better": better, "values": values, "order": ordered,
                         "reference": reference.get(reference_key) if reference else None})
    ranking = sorted((m for m in models if ranks[m]), key=lambda m: (sum(ranks[m]) / len(ranks[m]), m))
    dataset = next(iter(models.values())).raw("dataset")
    return {"models": models, "reference": reference, "measures": measures, "ranking": ranking,
            "mean_rank": {m: sum(ranks[m]) / len(ranks[m]) for m in ranking},
            "autoencoders": [m for m, run in models.items() if "reconstruction_mse" in run],
            "copies": any(run.raw("near_copy_fraction") > 2 * run.raw("copy_threshold_quantile")
                          for run in models.values() if "near_copy_fraction" in run),
            "dataset": dataset_title(dataset)}


def model_facts(config, text2text_runs, generative):
    """How the models are built, from the resolved config: each text2text variant's architecture and recipe
    (with its weight count), the settings in which the variants differ, and each generative model's settings."""
    if config is None:
        return None
    variants = [v for v in sorted(config["text2text"]["variants"].raw(), key=variant_sort_key)
                if any(run.raw("variant") == v for run in text2text_runs)]
    described = {}
    for variant in variants:
        spec = config["text2text"]["variants"][variant]
        runs = [r for r in text2text_runs if r.raw("variant") == variant and "parameters" in r]
        described[variant] = {"architecture": config["architectures"][spec.raw("architecture")],
                              "recipe": config["recipes"][spec.raw("recipe")],
                              "overrides": spec.get("overrides"), "run": runs[0] if runs else None}
    differ = [name.replace("_", " ") for part in ("architecture", "recipe")
              for name in (described[variants[0]][part].raw() if variants else {})
              if len({repr(d[part].raw().get(name)) for d in described.values()}) > 1]
    generative_models = {}
    if generative and "generative" in config:
        settings = config["generative"]
        for model, run in generative["models"].items():
            spec = settings["models"][model]
            generative_models[model] = {"spec": spec, "run": run,
                                        "filters": spec["conv_filters"] if "conv_filters" in spec
                                        else settings["conv_filters"]}
    return {"text2text": described, "differ": differ, "generative": generative_models}


def report_facts(results):
    """Everything the templates need, by section; a section whose results are absent is None."""
    config = results.document("config")
    run_info = results.document("run_info")
    generative = generative_facts(results)
    text2text_runs = results.runs("text2text")
    datasets = {}
    if run_info is not None and config is not None:
        names = [config.raw()["digits_dataset"], config.raw().get("generative", {}).get("dataset")]
        datasets = {name: run_info["datasets"][name] for name in dict.fromkeys(names)
                    if name and name in run_info["datasets"]}
    return {
        "text2text": text2text_facts(text2text_runs),
        "images": image_facts(results),
        "generative": generative,
        "models": model_facts(config, text2text_runs, generative),
        "datasets": datasets,
        "digits_dataset": config.raw()["digits_dataset"] if config is not None else None,
        "run_info": run_info,
        "config": config,
    }
