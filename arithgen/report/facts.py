"""The facts the report's sentences rest on, computed from the results into plain data for the templates:
who leads, whether a difference is larger than the intervals, how the generative models rank.

Values that a sentence quotes stay ``Traced`` (see ``results``), so the page can link each number to its
file. A fact that the numbers do not support is None or False, and the template leaves its sentence out
or says that there is no measurable difference.
"""

from arithgen.evaluation.sample_quality import MEASURES
from arithgen.plots.generative import dataset_title, model_sort_key
from arithgen.plots.style import variant_sort_key
from arithgen.report.frontier import is_whole_space, text2text_facts
from arithgen.report.heldout import heldout_facts
from arithgen.report.seeds import fraction_key


def image_facts(results, summary):
    """Per img2text train fraction: img2text's exact match over seeds beside the reader-based estimate (what a
    perfect calculator reading through the digit reader would score), the error split (unseen vs seen
    handwriting; wrong answers that are misreadings vs the rest) and text2text (default) at the same fraction;
    text2img; the reader. None without image runs."""
    img2text = [r for r in results.runs("img2text") if "reader_estimate" not in r]
    estimates = [r for r in results.runs("img2text") if "reader_estimate" in r]
    text2img = results.runs("text2img")
    if not img2text and not text2img:
        return None
    rows = []
    for fraction in sorted({r.raw("train_fraction") for r in img2text}):
        key = fraction_key(fraction)
        runs = sorted((r for r in img2text if r.raw("train_fraction") == fraction), key=_seed)
        reader = sorted((r for r in estimates if r.raw("train_fraction") == fraction), key=_seed)
        text2text = summary["text2text"].get("default") if "text2text" in summary else None
        rows.append({"fraction": runs[0]["train_fraction"], "runs": runs, "estimates": reader,
                     "summary": summary["img2text"][runs[0].raw("variant")][key],
                     "estimate": summary["img2text"]["reader_estimate"][key] if reader else None,
                     "text2text": text2text.get(key) if text2text is not None else None})
    readers = results.runs("digit_reader")
    # Drawn digits count as smooth averages when their gradient energy is below half that of real handwriting.
    drawn = [{"run": run, "smooth": "sharpness" in run
              and run.raw("sharpness")["drawn"] < run.raw("sharpness")["real"] / 2}
             for run in sorted(text2img, key=lambda r: (r.raw("train_fraction"), _seed(r)))]
    return {"img2text": rows, "text2img": drawn, "reader": readers[0] if readers else None}


def _seed(run):
    return run.raw("seed") if "seed" in run else 0


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
    for name, better in MEASURES.items():
        values = {model: run[name] for model, run in models.items() if name in run}
        if not values:
            continue
        ordered = sorted(values, key=lambda m: values[m].value * (1 if better == "lower" else -1))
        for rank, model in enumerate(ordered, 1):
            ranks[model].append(rank)
        measures.append({"name": name, "better": better, "values": values, "order": ordered,
                         "reference": reference.get(name) if reference else None})
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
    text2text_runs = [r for r in results.runs("text2text") if not is_whole_space(r)]
    summary = results.document("seeds")
    equal_time = results.runs("equal_time")
    datasets = {}
    if run_info is not None and config is not None:
        names = [config.raw()["digits_dataset"], config.raw().get("generative", {}).get("dataset")]
        datasets = {name: run_info["datasets"][name] for name in dict.fromkeys(names)
                    if name and name in run_info["datasets"]}
    return {
        "text2text": text2text_facts(text2text_runs, summary, equal_time[0] if equal_time else None,
                                     [r for r in results.runs("text2text") if is_whole_space(r)]),
        "heldout": heldout_facts(results),
        "images": image_facts(results, summary),
        "generative": generative,
        "models": model_facts(config, text2text_runs, generative),
        "datasets": datasets,
        "digits_dataset": config.raw()["digits_dataset"] if config is not None else None,
        "run_info": run_info,
        "config": config,
    }
