import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import text2text

log_to(snakemake.log[0])
text2text.run(
    split_path=snakemake.input.split,
    query_settings=snakemake.params.queries,
    architecture=snakemake.params.architecture,
    recipe=snakemake.params.recipe,
    seed=snakemake.params.seed,
    threads=snakemake.threads,
    outputs=snakemake.output,
    labels={"task": "text2text", "variant": snakemake.wildcards.variant,
            "train_fraction": float(snakemake.wildcards.fraction)},
    prediction_samples=snakemake.params.prediction_samples,
    checkpoint_dir=snakemake.params.checkpoint_dir,
)
