"""Send a job's output, TensorFlow's C++ messages included, to its Snakemake log file; when the
job fails, say why in one line on the console too, where the user is looking."""

import logging
import os
import sys
import traceback


def log_to(path):
    """Redirect file descriptors 1 and 2 (and Python's logging) to ``path``; an uncaught exception
    goes to ``path`` with its traceback and, as one line, to the console the job started on."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    log = open(path, "w", buffering=1)
    sys.stdout.flush()
    sys.stderr.flush()
    console = os.fdopen(os.dup(2), "w", buffering=1)  # the original stderr, kept before it is redirected
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    logging.basicConfig(level=logging.INFO, stream=log, format="%(asctime)s %(levelname)s %(message)s", force=True)
    sys.excepthook = failure_reporter(console, path)
    return log


def failure_reporter(console, path):
    """An excepthook: the traceback to the log, ``error: <Type>: <message> (traceback in <path>)`` to ``console``."""
    def report(kind, error, trace):
        traceback.print_exception(kind, error, trace)
        sys.stderr.flush()
        reason = " ".join(str(error).split())
        console.write(f"error: {kind.__name__}{': ' + reason if reason else ''} (traceback in {path})\n")
        console.flush()
    return report
