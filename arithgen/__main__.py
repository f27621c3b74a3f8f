"""Command line: ``python -m arithgen predict --model results/.../model.keras '181+ 24' '341-898'``."""

import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="arithgen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    predict = commands.add_parser("predict", help="answer queries with a trained text2text model")
    predict.add_argument("--model", required=True, help="path to a text2text model.keras")
    predict.add_argument("queries", nargs="+", help="queries such as '181+ 24' or '341-898'")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter off the answers

    from arithgen.predict import answer_queries, load_model, model_widths, normalise_query

    if not os.path.exists(args.model):
        parser.error(f"no model file at {args.model}")
    model = load_model(args.model)
    width, _ = model_widths(model)
    try:
        for query in args.queries:  # check every query before running the model
            normalise_query(query, width)
    except ValueError as error:
        parser.error(str(error))
    for answer in answer_queries(model, args.queries):
        print(answer)


if __name__ == "__main__":
    sys.exit(main())
