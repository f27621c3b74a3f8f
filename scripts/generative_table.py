import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.generative import write_generative_table

log_to(snakemake.log[0])
write_generative_table(snakemake.input.metrics, snakemake.input.reference, snakemake.input.histories, snakemake.output)
