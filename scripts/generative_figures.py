import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.generative import generative_figures

log_to(snakemake.log[0])
generative_figures(snakemake.input.examples, snakemake.input.metrics, snakemake.input.histories,
                   snakemake.input.progress, snakemake.input.reference, snakemake.input.data, snakemake.input.info,
                   snakemake.output)
