import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.data.splits import save_split
from arithgen.joblog import log_to

log_to(snakemake.log[0])
save_split(snakemake.params.queries, snakemake.params.train_fraction, snakemake.params.test_seed,
           snakemake.params.run_seed, snakemake.output[0])
