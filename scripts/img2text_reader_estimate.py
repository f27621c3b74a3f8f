import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import reader_estimate

log_to(snakemake.log[0])
print(reader_estimate.run(snakemake.input.reader, snakemake.input.model, snakemake.input.split,
                          snakemake.input.pools, snakemake.params.queries, snakemake.params.eval_size,
                          snakemake.params.seed, snakemake.threads, snakemake.output[0],
                          labels={"task": "img2text", "train_fraction": float(snakemake.wildcards.fraction),
                                  "seed": int(snakemake.wildcards.seed)}))
