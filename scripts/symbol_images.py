import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks.symbol_images import make_symbol_pools

log_to(snakemake.log[0])
print(make_symbol_pools(snakemake.input.digits, snakemake.params.glyphs_per_symbol,
                        snakemake.params.validation_fraction, snakemake.params.seed,
                        snakemake.output[0]))
