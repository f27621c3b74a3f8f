import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout

from arithgen.data.download import fetch_archive
from arithgen.joblog import log_to

log_to(snakemake.log[0])
fetch_archive(snakemake.params.url, snakemake.params.sha256, snakemake.output[0])
