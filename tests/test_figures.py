"""Smoke tests for the figures: each function writes a real, non-trivial PNG (and PDF on request)."""

import numpy as np
import pandas as pd
import pytest

from arithgen.evaluation.metrics import wilson_interval
from arithgen.plots.breakdowns import plot_accuracy_by_carries, plot_failures_at_smallest_fractions, smallest_fractions
from arithgen.plots.curves import best_within, curve_fractions, plot_learning_curves
from arithgen.plots.style import save_figure
from arithgen.plots.text2text import accuracy_limits, finished_means, plot_accuracy_vs_fraction
from arithgen.report.tables import results_table

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _group(successes, n):
    return {"n": n, "exact_match": successes / n, "exact_match_ci95": list(wilson_interval(successes, n))}


def _metrics(seeds=(1, 2, 3)):
    runs = []
    for variant, errors in {"default": [80, 20, 5, 0], "classic": [220, 60, 13, 6]}.items():
        for (fraction, wrong), seed in ((fw, s) for fw in zip([0.01, 0.02, 0.05, 0.10], errors)
                                         for s in (seeds if variant == "default" else seeds[:1])):
            n = 10_000
            wrong = wrong + 3 * (seed - 1)
            runs.append(
                {
                    "task": "text2text",
                    "variant": variant,
                    "train_fraction": fraction,
                    "seed": seed,
                    "n_labelled": int(fraction * 2_000_000),
                    "max_epochs": 60,
                    "stopped": "epoch_cap" if variant == "classic" and fraction == 0.01 else "patience",
                    "by_operator": {"+": _group(5000 - wrong // 3, 5000), "-": _group(5000 - wrong + wrong // 3, 5000)},
                    "n_train": int(fraction * 1_900_000),
                    "epochs": 20,
                    "train_seconds": 100.0 * fraction * 100,
                    "char_accuracy": 1 - wrong / n / 3,
                    "by_carries": {
                        "0": _group(3000 - wrong // 4, 3000),
                        "1": _group(4000 - wrong // 4, 4000),
                        "2": _group(2500 - wrong // 4, 2500),
                        "3": _group(500 - (wrong - 3 * (wrong // 4)) // 10, 500),
                    },
                    **_group(n - wrong, n),
                }
            )
    return runs


def _assert_png(path, min_bytes=10_000):
    assert path.exists(), f"{path} was not written"
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > min_bytes, f"{path} is only {len(data)} bytes: probably an empty plot"
    # a plausible size in pixels: width and height from the IHDR chunk
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 400 < width < 4000 and 300 < height < 4000


def test_plot_accuracy_vs_fraction_writes_png_and_vector_twins(tmp_path):
    path = tmp_path / "figs" / "accuracy_vs_fraction.png"
    written = plot_accuracy_vs_fraction(results_table(_metrics()), path, pdf=True)
    _assert_png(path)
    pdf = path.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    svg = path.with_suffix(".svg")
    assert b"<svg" in svg.read_bytes()[:400]
    assert set(written) == {path, pdf, svg}


def test_the_mean_line_skips_a_run_cut_off_by_its_epoch_cap():
    table = results_table(_metrics())
    classic = finished_means(table[table["variant"] == "classic"])
    default = finished_means(table[table["variant"] == "default"])
    assert list(classic.index) == [0.02, 0.05, 0.10]  # the classic at 1% stopped at its cap
    assert list(default.index) == [0.01, 0.02, 0.05, 0.10]
    at_one_percent = table.query("variant == 'default' and train_fraction == 0.01")
    assert default[0.01] == pytest.approx(at_one_percent["exact_match"].mean())


def test_plot_accuracy_vs_fraction_rejects_no_runs(tmp_path):
    with pytest.raises(ValueError):
        plot_accuracy_vs_fraction(results_table([]), tmp_path / "empty.png")


def _history(rate, epochs, seconds_per_epoch):
    epoch = np.arange(epochs)
    val = 1 - np.exp(-rate * (epoch + 1))
    return pd.DataFrame({"epoch": epoch + 1, "loss": 1 / (epoch + 1), "exact_match": np.minimum(1, val + 0.01),
                         "val_loss": 1 / (epoch + 1), "val_exact_match": val, "learning_rate": 1e-3,
                         "seconds": seconds_per_epoch * (epoch + 1)})


def test_plot_learning_curves_one_line_per_seed(tmp_path):
    runs = [(m, _history(0.3 if m["variant"] == "default" else 0.05, 25 if m["variant"] == "default" else 90,
                         3.2 * m["seed"])) for m in _metrics()]
    path = tmp_path / "learning_curves.png"
    plot_learning_curves(runs, path)
    _assert_png(path)


def test_learning_curves_show_the_fractions_every_variant_ran():
    metrics = [m for m in _metrics() if m["variant"] == "default" or m["train_fraction"] in (0.02, 0.05)]
    assert curve_fractions(metrics) == [0.02, 0.05]
    assert curve_fractions([m for m in metrics if m["variant"] == "default"], limit=3) == [0.01, 0.02, 0.05]


def test_best_within_reads_the_curve_up_to_a_time():
    history = _history(0.1, 10, 5.0)
    assert best_within(history, 20.0) == pytest.approx(float(history["val_exact_match"].iloc[3]))
    assert best_within(history, 4.0) is None  # before its first epoch ended


def test_plot_failures_at_the_smallest_fractions(tmp_path):
    assert smallest_fractions(_metrics()) == {"default": [0.01, 0.02], "classic": [0.01, 0.02]}
    path = tmp_path / "failures.png"
    plot_failures_at_smallest_fractions(_metrics(), path)
    _assert_png(path)


def test_plot_accuracy_vs_fraction_with_one_seed(tmp_path):
    plot_accuracy_vs_fraction(results_table(_metrics(seeds=(1,))), tmp_path / "one.png")
    _assert_png(tmp_path / "one.png")


def test_plot_accuracy_by_carries(tmp_path):
    path = tmp_path / "by_carries.png"
    plot_accuracy_by_carries(_metrics(), path)
    _assert_png(path)


def test_plot_accuracy_by_carries_needs_breakdown(tmp_path):
    with pytest.raises(ValueError):
        plot_accuracy_by_carries([{"task": "text2text", "variant": "default", "train_fraction": 0.01}],
                                 tmp_path / "x.png")


def test_accuracy_limits_zoom_only_when_everything_is_high():
    low, high = accuracy_limits([0.990, 0.995], [0.996, 1.0])
    assert 98.0 < low < 99.0 and 100.0 < high < 101.0  # zoomed, with headroom above 100%
    assert accuracy_limits([0.3, 0.99], [0.4, 1.0]) == (0.0, 102.0)


def test_save_figure_closes_and_leaves_no_temporary_files(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    save_figure(fig, tmp_path / "line.png")
    assert not plt.fignum_exists(fig.number)
    assert [p.name for p in tmp_path.iterdir()] == ["line.png"]
