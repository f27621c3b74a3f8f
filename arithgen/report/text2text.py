"""text2text figures from the per-run files (the file-reading edge of ``figures``)."""

import pandas as pd

from arithgen.io import read_json
from arithgen.report.figures import (plot_accuracy_by_carries, plot_accuracy_vs_fraction,
                                     plot_learning_curves, run_label)
from arithgen.report.tables import results_table


def text2text_figures(metric_paths, history_paths, outputs, pdf=False):
    """Write the accuracy-vs-fraction, learning-curve and by-carries figures to ``outputs``."""
    metrics = [read_json(path) for path in metric_paths]
    histories = {run_label(m["task"], m["variant"], m["train_fraction"]): pd.read_csv(path)
                 for m, path in zip(metrics, history_paths)}
    plot_accuracy_vs_fraction(results_table(metrics), outputs["accuracy"], pdf=pdf)
    plot_learning_curves(histories, outputs["curves"], pdf=pdf)
    plot_accuracy_by_carries(metrics, outputs["carries"], pdf=pdf)
