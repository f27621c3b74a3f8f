"""Send a job's output, TensorFlow's C++ messages included, to its Snakemake log file."""

import logging
import os
import sys


def log_to(path):
    """Redirect file descriptors 1 and 2 (and Python's logging) to ``path``."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    log = open(path, "w", buffering=1)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    logging.basicConfig(level=logging.INFO, stream=log, format="%(asctime)s %(levelname)s %(message)s", force=True)
    return log
