"""text2text tables and figures from the per-run files (the file-reading edge of ``tables``/``figures``)."""

import pandas as pd

from arithgen.io import read_json, write_json
from arithgen.plots.breakdowns import plot_accuracy_by_carries, plot_failures_at_smallest_fractions
from arithgen.plots.curves import plot_learning_curves
from arithgen.plots.text2text import plot_accuracy_vs_fraction
from arithgen.report.equal_time import equal_time
from arithgen.report.tables import results_table, summary_table, write_table


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
    """Write the summary over seeds as CSV, Markdown and LaTeX, every run (seed) with its Wilson interval
    (``outputs['seeds']`` and its twins), and the equal-time comparison read from the learning curves
    (``outputs['equal_time']``)."""
    runs = load_runs(metric_paths, history_paths)
    write_json(equal_time(runs), outputs["equal_time"])
    table = results_table([metrics for metrics, _ in runs])
    write_table(summary_table(table[table["task"] == "text2text"]), outputs["csv"], outputs["markdown"],
                outputs["latex"])
    write_table(table, outputs["seeds"], outputs["seeds_markdown"], outputs["seeds_latex"])


def text2text_figures(metric_paths, history_paths, outputs, pdf=False):
    """Write the accuracy-vs-fraction, learning-curve, by-carries and failures figures to ``outputs``."""
    runs = load_runs(metric_paths, history_paths)
    metrics = [m for m, _ in runs]
    plot_accuracy_vs_fraction(results_table(metrics), outputs["accuracy"], pdf=pdf)
    plot_learning_curves(runs, outputs["curves"], pdf=pdf)
    plot_accuracy_by_carries(metrics, outputs["carries"], pdf=pdf)
    plot_failures_at_smallest_fractions(metrics, outputs["failures"], pdf=pdf)
