# Helpers the rules share: config validation, target lists, parameter look-ups.
import glob
import sys

sys.path.insert(0, workflow.basedir)

from arithgen.config import ConfigError, fraction_label, text2text_settings, validate_config

try:
    validate_config(config, f"{workflow.basedir}/schemas/config.schema.yaml")
except ConfigError as error:
    sys.exit(str(error))  # one line, no traceback: the message names the field

TEXT2TEXT = config["text2text"]
FRACTIONS = [fraction_label(f) for f in TEXT2TEXT["train_fractions"]]
VARIANTS = list(TEXT2TEXT["variants"])


wildcard_constraints:
    dataset=r"[A-Za-z0-9_]+",
    fraction=r"0\.\d+",
    variant=r"[A-Za-z0-9_]+",


def text2text_runs(name):
    """One path per (variant, fraction) for a per-run file name."""
    return expand(
        "results/text2text/{variant}/{fraction}/{name}",
        variant=VARIANTS,
        fraction=FRACTIONS,
        name=name,
    )


def final_targets():
    return [
        f"results/datasets/{config['digits_dataset']}/provenance.json",
        "results/report/index.html",
    ]


def report_datasets():
    """Datasets the report describes: the digits for the image tasks."""
    return [config["digits_dataset"]]


def report_figures():
    """Stems of the report's figures (each a PNG and a PDF under results/report/figures/)."""
    return [
        "text2text_accuracy_vs_fraction",
        "text2text_learning_curves",
        "text2text_accuracy_by_carries",
        *(f"{dataset}_samples" for dataset in report_datasets()),
    ]


def report_tables():
    """Stems of the report's tables (each a CSV, Markdown and LaTeX file under results/report/tables/)."""
    return [
        "text2text",
        *(f"{dataset}_classes" for dataset in report_datasets()),
        "run_info_environment",
        "run_info_datasets",
        "run_info_jobs",
    ]


def figure_pdfs(*stems):
    """The PDF twin of each figure PNG."""
    return [f"results/report/figures/{stem}.pdf" for stem in stems]


def benchmark_files():
    """The benchmark: TSV of every benchmarked job the report covers (wall time per job)."""
    return [f"benchmarks/datasets/{dataset}.tsv" for dataset in report_datasets()] + expand(
        "benchmarks/text2text/{variant}/{fraction}.tsv", variant=VARIANTS, fraction=FRACTIONS
    )


def report_inputs(wildcards):
    """Everything the study report reads, by kind (see arithgen.report.sections.build_report)."""
    return {
        "metrics": text2text_runs("metrics.json"),
        "figures": expand("results/report/figures/{stem}.{ext}", stem=report_figures(), ext=["png", "pdf"]),
        "tables": expand("results/report/tables/{stem}.{ext}", stem=report_tables(), ext=["csv", "md", "tex"]),
        "captions": sorted(glob.glob(f"{workflow.basedir}/report/*.rst")),
        "datasets": expand("results/datasets/{dataset}/provenance.json", dataset=report_datasets()),
        "run_info": "results/report/run_info.json",
        "config": "results/report/config.yaml",
    }


def dataset_spec(wildcards):
    return config["datasets"][wildcards.dataset]


def dataset_raw_files(wildcards):
    """Raw files a dataset needs downloaded (none for a bundled source)."""
    spec = config["datasets"][wildcards.dataset]
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
