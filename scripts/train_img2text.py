import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import img2text

log_to(snakemake.log[0])
img2text.run(
    split_path=snakemake.input.split,
    pools_path=snakemake.input.pools,
    query_settings=snakemake.params.queries,
    architecture=snakemake.params.architecture,
    image_net=snakemake.params.image_net,
    recipe=snakemake.params.recipe,
    max_shift=snakemake.params.max_shift,
    eval_size=snakemake.params.eval_size,
    seed=snakemake.params.seed,
    threads=snakemake.threads,
    outputs=snakemake.output,
    labels={"task": "img2text", "variant": "default", "train_fraction": float(snakemake.wildcards.fraction)},
    prediction_samples=snakemake.params.prediction_samples,
    checkpoint_dir=snakemake.params.checkpoint_dir,
)
