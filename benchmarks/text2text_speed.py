"""Benchmark (not a test): training throughput and time-to-accuracy of a text2text variant.

    .venv/bin/python benchmarks/text2text_speed.py [--variant default] [--fraction 0.01] [--seed 1] [--threads 1]

Trains the variant from config.yaml (its recipe at that fraction, overrides included) on one train
fraction, scores a held-out test sample after every epoch (that scoring is excluded from the clock), and
prints samples/s, milliseconds per optimizer step and the training time at which exact-match first
reached 95%, 99% and 99.5%. One thread: a workflow job's share of a 2-core machine.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=ROOT / "config.yaml")
    parser.add_argument("--variant", default="default")
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--test-size", type=int, default=20_000)
    args = parser.parse_args()

    from arithgen import training
    from arithgen.config import fraction_label, text2text_settings
    from arithgen.data import queries
    from arithgen.data.splits import split_indices
    from arithgen.models.seq2seq import build_text2text
    from arithgen.tasks.text2text import encoded_split, predict_answers

    config = yaml.safe_load(Path(args.config).read_text())
    architecture, recipe = text2text_settings(config, args.variant, fraction_label(args.fraction))
    settings = config["queries"]
    training.configure_tensorflow(args.threads, args.seed)
    count = queries.query_count(settings["max_int"], settings["operators"])
    split = split_indices(count, args.fraction, settings["validation_fraction"], settings["max_validation"],
                          args.test_size, config["seed"], args.seed)
    data = {k: encoded_split(v, settings["max_int"], settings["operators"]) for k, v in split.items()}
    model = build_text2text(queries.query_length(settings["max_int"]), queries.answer_length(settings["max_int"]),
                            architecture)

    reached, clock = {}, {"train": 0.0}

    class ScoreOnTest(training.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            clock["train"] += time.perf_counter() - self.start
            accuracy = np.mean(np.array(predict_answers(self.model, data["test"][2])) == np.array(data["test"][1]))
            for target in (0.95, 0.99, 0.995):
                if accuracy >= target and target not in reached:
                    reached[target] = (epoch + 1, clock["train"])
            print(f"epoch {epoch + 1}: test exact-match {accuracy:.4f}, training time {clock['train']:.1f} s",
                  flush=True)

    # The validation pass is part of training (best-weights selection), so it stays on the clock.
    history, _ = training.train(model, data["train"][2], data["train"][3], data["validation"][2], data["validation"][3],
                                 recipe, seed=args.seed, callbacks=[ScoreOnTest()])
    epochs_run = len(history)
    steps = epochs_run * np.ceil(len(split["train"]) / recipe["batch_size"])
    print(f"\nvariant {args.variant}, fraction {args.fraction}, seed {args.seed}, threads {args.threads}: "
          f"{len(split['train']) * epochs_run / clock['train']:.0f} training samples/s, "
          f"{1000 * clock['train'] / steps:.2f} ms per step (batch {recipe['batch_size']}) over {epochs_run} epochs")
    for target in (0.95, 0.99, 0.995):
        if target in reached:
            epoch, seconds = reached[target]
            print(f"  exact-match >= {target:.1%}: epoch {epoch}, {seconds:.1f} s of training")
        else:
            print(f"  exact-match >= {target:.1%}: not reached")


if __name__ == "__main__":
    main()
