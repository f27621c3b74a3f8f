# Helpers the rules share: config validation, target lists, parameter look-ups.
import glob
import os
import sys

from snakemake.io import strip_wildcard_constraints

sys.path.insert(0, workflow.basedir)

from arithgen.config import (
    ConfigError,
    config_notes,
    fraction_label,
    heldout_runs as configured_heldout_runs,
    heldout_structure,
    run_settings,
    text2text_runs as configured_text2text_runs,
    text2text_settings,
    validate_config,
    whole_space_run,
)

try:
    validate_config(config, f"{workflow.basedir}/schemas/config.schema.yaml")
except ConfigError as error:
    sys.exit(str(error))  # one line, no traceback: the message names the field
for note in config_notes(config):
    print(note, file=sys.stderr)

TEXT2TEXT = config["text2text"]
TEXT2TEXT_RUNS = configured_text2text_runs(config)  # [(variant, fraction, seed)]
WHOLE_SPACE = whole_space_run(config)  # (variant, fraction, seed) or None
IMAGES = config["images"]
IMAGE_FRACTIONS = [fraction_label(f) for f in IMAGES["train_fractions"]]
IMAGE_SEEDS = IMAGES["seeds"]
GENERATIVE = config["generative"]
GENERATIVE_MODELS = list(GENERATIVE["models"])
GENERATIVE_AUTOENCODERS = [m for m in GENERATIVE_MODELS if m in ("cae", "vae")]
HELDOUT_RUNS = configured_heldout_runs(config)  # [(kind, variant, fraction, seed)]
HELDOUT_KINDS = list(dict.fromkeys(kind for kind, _, _, _ in HELDOUT_RUNS))
# Where a split kind's splits and runs live: the random kind where they always were (results/queries/,
# results/text2text/), each held-out kind under heldout/{kind}/ beside them (see split_query_settings).
HELDOUT_DIR = rf"heldout/(?:{'|'.join(HELDOUT_KINDS)})" if HELDOUT_KINDS else None


wildcard_constraints:
    dataset=r"[A-Za-z0-9_]+",
    fraction=r"0\.\d+",
    variant=r"[A-Za-z0-9_]+",
    seed=r"\d+",
    generative_model=r"cae|vae|gan",
    split_dir=rf"queries(?:/{HELDOUT_DIR})?" if HELDOUT_DIR else "queries",
    run_dir=rf"text2text|{HELDOUT_DIR}" if HELDOUT_DIR else "text2text",


def text2text_runs(name):
    """One path per configured (variant, fraction, seed) for a per-run file name."""
    return [
        f"results/text2text/{variant}/{fraction}/seed{seed}/{name}"
        for variant, fraction, seed in TEXT2TEXT_RUNS
    ]


def heldout_runs(name, kinds=None):
    """One path per configured held-out run (of every kind, or of ``kinds``) for a per-run file name."""
    return [
        f"results/heldout/{kind}/{variant}/{fraction}/seed{seed}/{name}"
        for kind, variant, fraction, seed in HELDOUT_RUNS
        if kinds is None or kind in kinds
    ]


def heldout_random_runs(wildcards=None):
    """The random-split metrics each held-out run is compared with: same variant, fraction and seed."""
    return list(
        dict.fromkeys(
            f"results/text2text/{variant}/{fraction}/seed{seed}/metrics.json"
            for _, variant, fraction, seed in HELDOUT_RUNS
        )
    )


def split_kind(directory):
    """The held-out kind of a split_dir or run_dir wildcard ("queries/heldout/carry_chain" ->
    "carry_chain"), or None for the random kind ("queries", "text2text")."""
    return directory.split("heldout/", 1)[1] if "heldout/" in directory else None


def split_query_settings(wildcards):
    """The query settings a split is drawn from: config's queries, and for a held-out kind its structure
    (``heldout``: arithgen.data.heldout), so that editing one kind reruns only that kind's splits and runs
    (the random kind's settings are config's queries alone, unchanged)."""
    kind = split_kind(getattr(wildcards, "split_dir", None) or wildcards.run_dir)
    if kind is None:
        return config["queries"]
    return {**config["queries"], "heldout": heldout_structure(config, kind)}


def run_split(wildcards):
    """The split a text2text run trains on: its kind's split of its train fraction and seed."""
    kind = split_kind(wildcards.run_dir)
    folder = "queries" if kind is None else f"queries/heldout/{kind}"
    return f"results/{folder}/split_{wildcards.fraction}_seed{wildcards.seed}.npz"


def image_runs(task, name):
    """One path per image-task (train fraction, seed) for a per-run file name."""
    return expand(
        "results/{task}/{fraction}/seed{seed}/{name}",
        task=task,
        fraction=IMAGE_FRACTIONS,
        seed=IMAGE_SEEDS,
        name=name,
    )


def run_seed(wildcards):
    """The run seed of a per-seed job (its split, initial weights and epoch order)."""
    return int(wildcards.seed)


def whole_space_targets():
    """The whole-space evaluation of the config-chosen text2text run (none when it is null or not trained)."""
    if WHOLE_SPACE is None:
        return []
    variant, fraction, seed = WHOLE_SPACE
    return [f"results/text2text/{variant}/{fraction}/seed{seed}/whole_space.json"]


def image_task_architecture(task):
    """wildcards -> the architecture of ``task`` (img2text or text2img)."""
    return lambda wildcards: run_settings(config, IMAGES[task], wildcards.fraction)[0]


def image_task_recipe(task):
    """wildcards -> the recipe of ``task`` with this split's overrides applied."""
    return lambda wildcards: run_settings(config, IMAGES[task], wildcards.fraction)[1]


def image_task_metrics(wildcards=None):
    """The image tasks' results by kind: runs and img2text's reader-based estimates, one per train
    fraction and seed."""
    return {
        "img2text": image_runs("img2text", "metrics.json"),
        "reader_estimates": image_runs("img2text", "reader_estimate.json"),
        "text2img": image_runs("text2img", "metrics.json"),
    }


def text2text_beside_images(wildcards):
    """The text2text runs at the image tasks' train fractions (the tasks table sets them side by side)."""
    return [
        path
        for path in text2text_runs("metrics.json")
        if path.split("/")[-3] in IMAGE_FRACTIONS
    ]


def final_targets():
    return [
        f"results/datasets/{config['digits_dataset']}/provenance.json",
        "results/report/index.html",
        "results/report/report.pdf",
        *whole_space_targets(),
    ]


def report_datasets():
    """Datasets the report describes: the digits for the image tasks, the generative models' images."""
    return list(dict.fromkeys([config["digits_dataset"], GENERATIVE["dataset"]]))


def generative_runs(name, models=None):
    """One path per generative model (all configured, or ``models``) for a per-model file name."""
    return expand(
        "results/generative/{model}/{name}",
        model=GENERATIVE_MODELS if models is None else models,
        name=name,
    )


def generative_data_settings():
    """What the generative data preparation depends on (image size, channels, classes, subset sizes)."""
    keys = ("image_size", "channels", "classes", "max_train_images", "max_test_images")
    return {key: GENERATIVE.get(key) for key in keys}


def generative_model_settings(wildcards):
    """One generative model's settings, with the shared conv_filters unless it sets its own."""
    return {
        "conv_filters": GENERATIVE["conv_filters"],
        **GENERATIVE["models"][wildcards.generative_model],
    }


# Longest training first (a GAN step trains two networks), so that parallel jobs end together.
GENERATIVE_PRIORITY = {
    name: settings["steps"] * (2 if name == "gan" else 1) // 100
    for name, settings in GENERATIVE["models"].items()
}
# Every evaluation waits on the feature network: it starts first, beside the longest model.
FEATURE_NETWORK_PRIORITY = 1 + max(GENERATIVE_PRIORITY.values(), default=0)


def generative_training_priority(wildcards):
    return GENERATIVE_PRIORITY[wildcards.generative_model]


# Rules whose report outputs exist only for some configs (reconstructions need an autoencoder, the latent
# maps the VAE); every other rule that marks an output with report() is always part of the report.
REPORT_RULE_ENABLED = {
    "heldout_report": bool(HELDOUT_RUNS),
    "heldout_digit_pairs": "digit_pairs" in HELDOUT_KINDS,
    "generative_reconstruction_figure": bool(GENERATIVE_AUTOENCODERS),
    "generative_latent_figures": "vae" in GENERATIVE_MODELS,
}
# Twins of a report() file, written beside it by the same rule: vector figures and formatted tables.
REPORT_TWINS = {".png": [".pdf", ".svg"], ".csv": [".md", ".tex"]}


def report_catalog():
    """Every output a rule marks with report(..., caption=, category=), expanded over the configured
    datasets and models: [{path, caption, category}] in rule order. The single list of the report's
    figures and tables, read by the study report and by `snakemake --report` alike."""
    values = {"dataset": report_datasets(), "generative_model": GENERATIVE_MODELS}
    catalog = []
    for step in workflow.rules:
        if step.name == "build_report" or not REPORT_RULE_ENABLED.get(step.name, True):
            continue
        for output in step.output:
            flag = output.flags.get("report") if hasattr(output, "flags") else None
            if flag is None:
                continue
            caption = (
                flag.caption.get_path_or_uri(secret_free=True) if flag.caption else None
            )
            for path in dict.fromkeys(
                expand(strip_wildcard_constraints(str(output)), **values)
            ):
                catalog.append(
                    {"path": path, "caption": caption, "category": flag.category}
                )
    return catalog


def report_files(suffixes):
    """The catalog's files with one of ``suffixes``, and their twins."""
    paths = [
        entry["path"]
        for entry in report_catalog()
        if os.path.splitext(entry["path"])[1] in suffixes
    ]
    return [
        os.path.splitext(path)[0] + suffix
        for path in paths
        for suffix in [os.path.splitext(path)[1]]
        + REPORT_TWINS.get(os.path.splitext(path)[1], [])
    ]


def figure_pdfs(*stems):
    """The vector twins (PDF, and SVG for the study's PDF) of each figure PNG."""
    return [
        f"results/report/figures/{stem}.{ext}"
        for stem in stems
        for ext in ("pdf", "svg")
    ]


def benchmark_files():
    """The benchmark: TSV of every benchmarked job the report covers (wall time per job)."""
    return (
        [f"benchmarks/datasets/{dataset}.tsv" for dataset in report_datasets()]
        + [
            f"benchmarks/text2text/{variant}/{fraction}/seed{seed}.tsv"
            for variant, fraction, seed in TEXT2TEXT_RUNS
        ]
        + [
            f"benchmarks/heldout/{kind}/{variant}/{fraction}/seed{seed}.tsv"
            for kind, variant, fraction, seed in HELDOUT_RUNS
        ]
        + [
            target.replace("results/", "benchmarks/", 1).removesuffix(".json") + ".tsv"
            for target in whole_space_targets()
        ]
        + ["benchmarks/images/digit_reader.tsv"]
        + expand(
            "benchmarks/{task}/{fraction}/seed{seed}.tsv",
            task=["img2text", "text2img"],
            fraction=IMAGE_FRACTIONS,
            seed=IMAGE_SEEDS,
        )
        + [
            "benchmarks/generative/prepare.tsv",
            "benchmarks/generative/fid_classifier.tsv",
        ]
        + expand(
            "benchmarks/generative/{model}{job}.tsv",
            model=GENERATIVE_MODELS,
            job=["", "_evaluate"],
        )
    )


def report_inputs(wildcards):
    """Everything the study report reads, by kind (see arithgen.report.page.build_report)."""
    return {
        "metrics": text2text_runs("metrics.json")
        + sum(image_task_metrics().values(), [])
        + ["results/images/digit_reader/metrics.json"]
        + generative_runs("metrics.json")
        + ["results/generative/fid/metrics.json"]
        + whole_space_targets()
        + ["results/report/text2text_equal_time.json"]
        + heldout_runs("metrics.json")
        + (["results/report/heldout_summary.json"] if HELDOUT_RUNS else []),
        "figures_and_tables": report_files((".png", ".csv", ".gif")),
        "captions": sorted(
            {entry["caption"] for entry in report_catalog() if entry["caption"]}
        ),
        "templates": sorted(glob.glob(f"{workflow.basedir}/report/templates/*")),
        "run_info": "results/report/run_info.json",
        "config": "results/report/config.yaml",
    }


def dataset_spec(wildcards):
    return config["datasets"][wildcards.dataset]


def dataset_raw_files(wildcards):
    """Raw files a dataset needs downloaded (none for a bundled source or a local folder)."""
    spec = config["datasets"][wildcards.dataset]
    if spec["source"] == "folder":
        return [f"resources/{wildcards.dataset}.archive"] if spec.get("url") else []
    if spec["source"] != "idx":
        return []
    return [
        f"resources/{wildcards.dataset}/{f['name'].removesuffix('.gz')}"
        for f in spec["files"].values()
    ]


def text2text_architecture(wildcards):
    return text2text_settings(config, wildcards.variant, wildcards.fraction)[0]


def text2text_recipe(wildcards):
    """The variant's recipe with this split's overrides applied."""
    return text2text_settings(config, wildcards.variant, wildcards.fraction)[1]
