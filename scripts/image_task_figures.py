import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.images import image_task_figures

log_to(snakemake.log[0])
image_task_figures(snakemake.input.predictions, snakemake.input.samples, snakemake.input.text2img,
                   snakemake.input.pools, snakemake.params.queries, snakemake.params.seed, snakemake.output, pdf=True)
