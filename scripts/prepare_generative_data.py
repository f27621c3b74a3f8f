import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks.generative_train import prepare

log_to(snakemake.log[0])
prepare(snakemake.input.images, snakemake.input.provenance, snakemake.params.dataset, snakemake.params.settings,
        snakemake.params.seed, snakemake.output)
