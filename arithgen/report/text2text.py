"""text2text table and figures from the per-run files (the file-reading edge of ``tables``/``figures``)."""

import pandas as pd

from arithgen.io import read_json
from arithgen.plots.text2text import (plot_accuracy_by_carries, plot_accuracy_vs_fraction,
                                     plot_learning_curves, run_label)
from arithgen.report.tables import results_table, write_table


def load_runs(metric_paths, history_paths):
    """Per-run metrics with training time added from the history.

    Wall times stay out of metrics.json (which is then bit-identical across reruns); the history
    records them, and tables want them beside the accuracies.
    """
    runs = []
    for metrics_path, history_path in zip(metric_paths, history_paths):
        metrics, history = read_json(metrics_path), pd.read_csv(history_path)
        seconds = float(history["seconds"].iloc[-1])
        runs.append((metrics | {"train_seconds": seconds,
                                "samples_per_second": metrics["n_train"] * len(history) / seconds}, history))
    return runs


def text2text_table(metric_paths, history_paths, outputs):
    """Write the results table as CSV, Markdown and LaTeX."""
    table = results_table([metrics for metrics, _ in load_runs(metric_paths, history_paths)])
    write_table(table, outputs["csv"], outputs["markdown"], outputs["latex"])


def text2text_figures(metric_paths, history_paths, outputs, pdf=False):
    """Write the accuracy-vs-fraction, learning-curve and by-carries figures to ``outputs``."""
    runs = load_runs(metric_paths, history_paths)
    metrics = [m for m, _ in runs]
    histories = {run_label(m["task"], m["variant"], m["train_fraction"]): h for m, h in runs}
    plot_accuracy_vs_fraction(results_table(metrics), outputs["accuracy"], pdf=pdf)
    plot_learning_curves(histories, outputs["curves"], pdf=pdf)
    plot_accuracy_by_carries(metrics, outputs["carries"], pdf=pdf)
