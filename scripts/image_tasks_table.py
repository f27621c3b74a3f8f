import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.images import write_tasks_table

log_to(snakemake.log[0])
kinds = ("text2text", "img2text", "reader_estimates", "text2img")
write_tasks_table({kind: list(snakemake.input.get(kind, [])) for kind in kinds}, snakemake.output)
