import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.page import build_report

log_to(snakemake.log[0])
build_report(dict(snakemake.input.items()), snakemake.params.catalog, snakemake.input.templates,
             snakemake.output.html, snakemake.output.pdf, snakemake.output.seeds)
