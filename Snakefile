# arithgen: encoder-decoder RNNs that learn arithmetic, from datasets to report.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/queries.smk"
include: "rules/text2text.smk"
include: "rules/generative.smk"
include: "rules/images.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        final_targets(),
