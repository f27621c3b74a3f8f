import sys; sys.path.insert(0, f"{snakemake.scriptdir}/..")  # noqa: E702 -- import arithgen from the checkout

from arithgen.io import read_json
from arithgen.joblog import log_to
from arithgen.report.tables import results_table, write_table

log_to(snakemake.log[0])
table = results_table([read_json(path) for path in snakemake.input])
write_table(table, snakemake.output.csv, snakemake.output.markdown, snakemake.output.latex)
