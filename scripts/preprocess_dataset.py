import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.data.datasets import preprocess_dataset, save_dataset
from arithgen.io import write_json
from arithgen.joblog import log_to

log_to(snakemake.log[0])
arrays, provenance = preprocess_dataset(
    snakemake.params.spec, snakemake.params.raw_dir, snakemake.params.seed, name=snakemake.wildcards.dataset
)
save_dataset(arrays, snakemake.output.images)
write_json(provenance, snakemake.output.provenance)
