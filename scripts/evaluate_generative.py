import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks.generative_evaluate import evaluate_model

log_to(snakemake.log[0])
evaluate_model(
    snakemake.wildcards.generative_model, snakemake.input.data, snakemake.input.info, snakemake.input.weights,
    snakemake.input.classifier, snakemake.input.reference, snakemake.input.feature_metrics,
    snakemake.params.model_settings, snakemake.params.interpolation_steps,
    snakemake.params.seed, snakemake.threads, snakemake.output,
)
