import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.tasks import digit_reader

log_to(snakemake.log[0])
print(digit_reader.run(snakemake.input.pools, snakemake.params.reader, snakemake.params.max_shift,
                       snakemake.params.seed, snakemake.threads, snakemake.output,
                       checkpoint_dir=snakemake.params.checkpoint_dir))
