import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.images import write_tasks_table

log_to(snakemake.log[0])
write_tasks_table({kind: list(snakemake.input.get(kind, [])) for kind in ("text2text", "img2text", "reader_estimates", "text2img")},
                  snakemake.output)
