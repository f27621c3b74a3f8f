import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import text2img

log_to(snakemake.log[0])
text2img.train(
    split_path=snakemake.input.split,
    pools_path=snakemake.input.pools,
    query_settings=snakemake.params.queries,
    architecture=snakemake.params.architecture,
    image_net=snakemake.params.image_net,
    recipe=snakemake.params.recipe,
    symbol_loss_weight=snakemake.params.symbol_loss_weight,
    seed=snakemake.params.seed,
    threads=snakemake.threads,
    outputs=snakemake.output,
    checkpoint_dir=snakemake.params.checkpoint_dir,
)
