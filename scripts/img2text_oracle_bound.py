import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import oracle_bound

log_to(snakemake.log[0])
print(oracle_bound.run(snakemake.input.reader, snakemake.input.split, snakemake.input.pools,
                       snakemake.params.queries, snakemake.params.eval_size, snakemake.params.seed,
                       snakemake.threads, snakemake.output[0],
                       labels={"task": "oracle_bound", "train_fraction": float(snakemake.wildcards.fraction)}))
