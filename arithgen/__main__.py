"""Command line: ``python -m arithgen predict --model results/.../model.keras '181+ 24' '341-898'``."""

import argparse
import contextlib
import os
import re
import sys
import tempfile

MODEL_PATH = "results/text2text/<variant>/<fraction>/seed<n>/model.keras"
# TensorFlow's native INFO lines at import (the oneDNN notice among them): absl writes them before its
# logging is set up, so TF_CPP_MIN_LOG_LEVEL does not reach them.
NATIVE_INFO = re.compile(r"^(I\d{4} |WARNING: All log messages before absl::InitializeLog\(\) is called)")


@contextlib.contextmanager
def native_info_dropped():
    """Run the body with the process's stderr (file descriptor 2, where C++ writes) caught, then pass
    on every caught line except TensorFlow's native INFO lines: warnings and errors still show."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            for line in caught.read().decode(errors="replace").splitlines(keepends=True):
                if not NATIVE_INFO.match(line):
                    sys.stderr.write(line)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="arithgen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    predict = commands.add_parser("predict", help="answer queries with a trained text2text model")
    predict.add_argument("--model", required=True, help=f"path to a text2text model: {MODEL_PATH}")
    predict.add_argument("queries", nargs="+", help="queries such as '181+ 24' or '341-898'")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter off the answers
    with native_info_dropped():
        import tensorflow  # noqa: F401 -- imported here, first, so that its start-up lines are caught

    from arithgen.predict import answer_queries, load_model, model_widths, normalise_query

    try:
        model = load_model(args.model)
        width, _ = model_widths(model)
    except ValueError as error:
        parser.error(f"{error}; expected {MODEL_PATH}")
    try:
        for query in args.queries:  # check every query before running the model
            normalise_query(query, width)
    except ValueError as error:
        parser.error(str(error))
    for answer in answer_queries(model, args.queries):
        print(answer)


if __name__ == "__main__":
    sys.exit(main())
