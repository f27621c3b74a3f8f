import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702 -- import arithgen from the checkout

from arithgen.report.text2text import text2text_figures
from arithgen.joblog import log_to

log_to(snakemake.log[0])
text2text_figures(snakemake.input.metrics, snakemake.input.histories, snakemake.output, pdf=True)
