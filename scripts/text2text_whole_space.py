import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import whole_space

log_to(snakemake.log[0])
print(whole_space.run(
    model_path=snakemake.input.model,
    split_path=snakemake.input.split,
    run_metrics_path=snakemake.input.metrics,
    query_settings=snakemake.params.queries,
    batch_size=snakemake.params.batch_size,
    threads=snakemake.threads,
    output=snakemake.output[0],
))
