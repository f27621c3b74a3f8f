import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.run_info import write_run_info

log_to(snakemake.log[0])
write_run_info(snakemake.params.config, snakemake.input.benchmarks, snakemake.input.provenances,
               snakemake.input.images, snakemake.output,
               defaults_path=snakemake.input.defaults)
