import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks.feature_network import train_feature_network

log_to(snakemake.log[0])
train_feature_network(snakemake.input.data, snakemake.input.info, snakemake.params.fid, snakemake.params.seed,
                      snakemake.threads, snakemake.output, checkpoint_dir=snakemake.params.checkpoint_dir)
