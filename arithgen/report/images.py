"""Image-task tables and figures: the three tasks side by side, img2text examples, text2img
samples beside real renderings, and text2img readability per answer position."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from arithgen.data.encoding import to_tokens
from arithgen.data.image_sequences import TEST_STREAM
from arithgen.data.queries import answer_length, queries_and_answers, query_length
from arithgen.io import read_json
from arithgen.plots.style import apply_style, save_figure, series_colors
from arithgen.plots.text2text import percent_label
from arithgen.report.tables import write_table
from arithgen.tasks.symbol_images import load_pool

TASK_ORDER = {"text2text": 0, "img2text": 1, "text2img": 2}
TABLE_COLUMNS = ["task", "variant", "train_fraction", "seed", "n", "exact_match", "exact_match_ci95_low",
                 "exact_match_ci95_high", "char_accuracy", "reference", "reference_value"]
READER_REFERENCE = "reader-based estimate"


def tasks_table(text2text, img2text, reader_estimates, text2img):
    """One row per run (seed) of the three tasks at the image tasks' train fractions.

    For text2img, "exact match" is the reader's reading of the drawn answer (readability), and the reference
    is its reading of a real rendering; for img2text the reference is the reader-based estimate of the same
    fraction and seed (what a perfect calculator reading through the digit reader would score). Arguments are
    lists of metrics dicts; ``reader_estimates`` are reader_estimate.json dicts, matched by fraction and seed.
    """
    fractions = {m["train_fraction"] for m in img2text + text2img}
    estimates = {(e["train_fraction"], e.get("seed")): e for e in reader_estimates}
    rows = []
    for m in text2text:
        if m["train_fraction"] in fractions:
            rows.append([m["task"], m["variant"], m["train_fraction"], m.get("seed"), m["n"], m["exact_match"],
                         *m["exact_match_ci95"], m["char_accuracy"], "", np.nan])
    for m in img2text:
        estimate = estimates.get((m["train_fraction"], m.get("seed")))
        rows.append([m["task"], m["variant"], m["train_fraction"], m.get("seed"), m["n"], m["exact_match"],
                     *m["exact_match_ci95"], m["char_accuracy"], READER_REFERENCE if estimate else "",
                     estimate["reader_estimate"] if estimate else np.nan])
    for m in text2img:
        rows.append([m["task"], m["variant"], m["train_fraction"], m.get("seed"), m["n"], m["readability"],
                     *m["readability_ci95"], m["char_readability"], "real renderings read", m["real_readability"]])
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table = table.sort_values(["train_fraction", "task", "variant", "seed"],
                              key=lambda c: c.map(TASK_ORDER) if c.name == "task" else c, kind="stable")
    table.attrs["percent_columns"] = ["exact_match_ci95_low", "exact_match_ci95_high", "reference_value"]
    return table.reset_index(drop=True)


def write_tasks_table(paths, outputs):
    """``paths``: {text2text, img2text, reader_estimates, text2img: [json paths]}."""
    loaded = {kind: [read_json(p) for p in files] for kind, files in paths.items()}
    table = tasks_table(loaded["text2text"], loaded["img2text"], loaded.get("reader_estimates", []),
                        loaded["text2img"])
    write_table(table, outputs["csv"], outputs["markdown"], outputs["latex"])
    return table


def _show(ax, image, title=None, color="black"):
    ax.imshow(1 - np.squeeze(image), cmap="gray", vmin=0, vmax=1)  # dark ink on white, as printed
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title, fontsize=9, color=color, family="monospace")


def plot_img2text_examples(predictions, pool, query_settings, seed, path, per_kind=4, pdf=False):
    """Rows of test query images (as img2text saw them) with the true answer and img2text's, the
    first ``per_kind`` right and the first ``per_kind`` wrong answers of ``predictions`` (a DataFrame
    with query_index, truth, prediction, correct)."""
    apply_style()
    rows = pd.concat([predictions[predictions["correct"]].head(per_kind),
                      predictions[~predictions["correct"]].head(per_kind)])
    length = query_length(query_settings["max_int"])
    texts, _ = queries_and_answers(rows["query_index"].to_numpy(), query_settings["max_int"],
                                   query_settings["operators"])
    images = pool.render(to_tokens(texts, length), rows["query_index"].to_numpy(), seed, TEST_STREAM)
    fig, axes = plt.subplots(len(rows), length + 1, figsize=(0.9 * (length + 3), 0.95 * len(rows)),
                             gridspec_kw={"width_ratios": [1] * length + [3]}, squeeze=False)
    for r, ((_, row), sequence) in enumerate(zip(rows.iterrows(), images)):
        for c in range(length):
            _show(axes[r, c], sequence[c])
        note = axes[r, length]
        note.axis("off")
        color = "black" if row["correct"] else "#c0392b"
        note.text(0.05, 0.5, f"truth  '{row['truth']}'\nanswer '{row['prediction']}'", family="monospace",
                  fontsize=10, va="center", color=color, transform=note.transAxes)
    fig.suptitle("img2text on unseen handwriting: right answers (black), wrong answers (red)", fontsize=11)
    return save_figure(fig, path, pdf=pdf)


def plot_text2img_samples(samples, query_settings, path, pdf=False):
    """For each sample test query: its text, the answer images text2img drew, and a real rendering
    of the true answer from the test pool. ``samples``: query_indices, drawn, real."""
    apply_style()
    texts, answers = queries_and_answers(samples["query_indices"], query_settings["max_int"],
                                         query_settings["operators"])
    steps = answer_length(query_settings["max_int"])
    count = len(texts)
    fig, axes = plt.subplots(count, 2 * steps + 2, figsize=(0.75 * (2 * steps + 4), 0.8 * count),
                             gridspec_kw={"width_ratios": [2.5] + [1] * steps + [0.4] + [1] * steps},
                             squeeze=False)
    for r in range(count):
        axes[r, 0].axis("off")
        axes[r, 0].text(0.0, 0.5, f"'{texts[r]}'", family="monospace", fontsize=10, va="center",
                        transform=axes[r, 0].transAxes)
        axes[r, steps + 1].axis("off")
        for c in range(steps):
            _show(axes[r, 1 + c], samples["drawn"][r, c], "drawn" if r == 0 and c == 0 else None)
            _show(axes[r, steps + 2 + c], samples["real"][r, c], "real" if r == 0 and c == 0 else None)
    fig.suptitle("text2img: the answer drawn by the model (left) and a real rendering of it (right)", fontsize=11)
    return save_figure(fig, path, pdf=pdf)


def plot_readability_by_position(text2img, path, pdf=False):
    """Bars: the share of drawn answer characters the reader reads right, per answer position,
    one bar per run (train fraction and seed). ``text2img``: metrics dicts."""
    apply_style()
    runs = sorted(text2img, key=lambda m: (m["train_fraction"], m.get("seed") or 0))
    steps = len(runs[0]["readability_by_position"])
    fig, ax = plt.subplots(figsize=(6, 3.5))
    width = 0.8 / len(runs)
    for i, (run, color) in enumerate(zip(runs, series_colors(len(runs)))):
        values = 100 * np.array(run["readability_by_position"])
        x = np.arange(steps) + (i - (len(runs) - 1) / 2) * width
        seed = f", seed {run['seed']}" if "seed" in run else ""
        ax.bar(x, values, width, color=color, label=f"trained on {percent_label(run['train_fraction'])}{seed}")
        for xi, v in zip(x, values):
            ax.text(xi, v + 0.5, f"{v:.1f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(np.arange(steps), [str(i + 1) for i in range(steps)])
    ax.set_xlabel("answer position, left to right (1: sign or leading digit, last: units)")
    ax.set_ylabel("characters read right (%)")
    low = min(100 * min(r["readability_by_position"]) for r in runs)
    ax.set_ylim(max(0, low - 10), 101.9)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.set_title("text2img: readability of the drawn answer, per position")
    return save_figure(fig, path, pdf=pdf)


def image_task_figures(predictions_path, samples_paths, text2img_paths, pools_path, query_settings, seed, outputs,
                       pdf=False):
    """Write the three image-task figures (``outputs`` examples, samples, readability)."""
    plot_img2text_examples(pd.read_csv(predictions_path, dtype={"truth": str, "prediction": str}),
                           load_pool(pools_path, "test"), query_settings, seed, outputs["examples"], pdf=pdf)
    with np.load(samples_paths[-1]) as samples:
        plot_text2img_samples(dict(samples), query_settings, outputs["samples"], pdf=pdf)
    plot_readability_by_position([read_json(p) for p in text2img_paths], outputs["readability"], pdf=pdf)
