import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks.generative_train import train_model

log_to(snakemake.log[0])
train_model(snakemake.wildcards.generative_model, snakemake.input.data, snakemake.input.info,
            snakemake.params.model_settings, snakemake.params.sample_every, snakemake.params.seed, snakemake.threads,
            snakemake.output, checkpoint_dir=snakemake.params.checkpoint_dir)
