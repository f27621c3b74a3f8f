"""arithgen: encoder-decoder RNNs that learn arithmetic, and generative image models.

Subpackages: ``data`` (datasets, downloads, queries, encodings), ``models`` (Keras builders),
``evaluation`` (metrics), ``report`` (tables and figures). Scripts under ``scripts/`` are thin
Snakemake entry points into these modules.
"""
