import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import text2img

log_to(snakemake.log[0])
print(text2img.evaluate(
    model_path=snakemake.input.model,
    reader_path=snakemake.input.reader,
    split_path=snakemake.input.split,
    pools_path=snakemake.input.pools,
    query_settings=snakemake.params.queries,
    eval_size=snakemake.params.eval_size,
    seed=snakemake.params.seed,
    threads=snakemake.threads,
    outputs=snakemake.output,
    labels={"task": "text2img", "variant": "default", "train_fraction": float(snakemake.wildcards.fraction)},
    history_path=snakemake.input.history,
    recipe=snakemake.params.recipe,
))
