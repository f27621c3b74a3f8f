import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.text2text import text2text_table

log_to(snakemake.log[0])
text2text_table(snakemake.input.metrics, snakemake.input.histories, snakemake.output)
