import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.generative import latent_figures

log_to(snakemake.log[0])
latent_figures(snakemake.input.examples, snakemake.input.info, snakemake.output)
