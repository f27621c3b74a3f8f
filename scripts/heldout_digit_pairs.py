import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.joblog import log_to
from arithgen.report.heldout_tables import heldout_digit_pairs

log_to(snakemake.log[0])
heldout_digit_pairs(snakemake.input.heldout, snakemake.output)
