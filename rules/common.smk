# Helpers the rules share: config validation, target lists, parameter look-ups.
import sys

sys.path.insert(0, workflow.basedir)

from arithgen.config import ConfigError, fraction_label, validate_config

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
        "results/tables/text2text.csv",
        "results/tables/text2text.md",
        "results/figures/text2text_accuracy_vs_fraction.png",
        "results/figures/text2text_learning_curves.png",
        "results/figures/text2text_accuracy_by_carries.png",
    ]


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
    return config["architectures"][TEXT2TEXT["variants"][wildcards.variant]["architecture"]]


def text2text_recipe(wildcards):
    """The variant's recipe with this split's overrides applied."""
    variant = TEXT2TEXT["variants"][wildcards.variant]
    return {**config["recipes"][variant["recipe"]], **variant.get("overrides", {}).get(wildcards.fraction, {})}
