import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.datasets import dataset_description

log_to(snakemake.log[0])
dataset_description(snakemake.input.images, snakemake.input.provenance, snakemake.wildcards.dataset, snakemake.output)
