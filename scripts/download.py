import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702, I001 -- import arithgen from the checkout
from pathlib import Path

from arithgen.data.download import fetch_files
from arithgen.joblog import log_to

log_to(snakemake.log[0])
fetch_files(snakemake.params.files, snakemake.params.mirrors, Path(snakemake.output[0]).parent)
