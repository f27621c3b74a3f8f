"""Render the study report from the templates: the HTML page (figures embedded, every number linked to its
file) and the PDF (the same templates in print mode, vector figures, an A4 print stylesheet, WeasyPrint).

Python hands the templates facts (``facts.report_facts``) and three helpers: ``num`` renders a traced
number, ``item`` a figure or a table with its caption and files, ``items`` those of one report category.
"""

import base64
import json
import os
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from arithgen.io import atomic_path, read_json, write_json
from arithgen.plots.generative import dataset_title
from arithgen.report.facts import report_facts
from arithgen.report.results import Results, Traced
from arithgen.report.seeds import report_summary
from arithgen.report.tables import COUNT_COLUMNS, PERCENT_COLUMNS, formatted_for_reading

# Columns ``tables.formatted_for_reading`` formats (as numbers); the rest are shown as stored.
FORMATTED_COLUMNS = PERCENT_COLUMNS | COUNT_COLUMNS | {"train_fraction", "train_seconds"}
# Columns an A4 page holds at the print size; a wider table is shown turned.
WIDEST_TABLE = 14
FORMAT_LABELS = {"png": "PNG", "pdf": "PDF", "svg": "SVG", "csv": "CSV", "md": "Markdown", "tex": "LaTeX", "gif": "GIF"}


def format_number(value, fmt):
    """How the report shows a number: ``percent`` (a proportion, 99.52%), ``fraction`` (a train fraction,
    5%), ``count`` (1,900), ``number`` (4 significant digits), ``seconds`` (81.3 s) or ``text`` (as is)."""
    if fmt == "percent":
        return f"{100 * value:.2f}%"
    if fmt == "fraction":
        return f"{100 * value:g}%"
    if fmt == "count":
        return f"{int(value):,}"
    if fmt == "number":
        return f"{value:.4g}"
    if fmt == "seconds":
        return f"{value:,.1f} s"
    if fmt == "text":
        return str(value)
    raise ValueError(f"unknown number format {fmt!r}; expected percent, fraction, count, number, seconds or text")


class Page:
    """One rendering of the report (``mode`` "html" or "pdf") for a page written into ``out_dir``."""

    def __init__(self, results, templates_dir, out_dir, mode):
        self.results, self.out_dir, self.mode = results, Path(out_dir), mode
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.globals.update(num=self.num, item=self.item, items=self.items, mode=mode)
        self.env.filters["caption"] = caption_html
        self.env.filters["dataset_title"] = dataset_title
        self.numbers = {}

    def href(self, path):
        return Path(os.path.relpath(Path(path).resolve(), self.out_dir.resolve())).as_posix()

    def num(self, traced, fmt="number"):
        """A traced number as shown, linked to its file, its key in the title and data attributes."""
        if not isinstance(traced, Traced):
            raise TypeError(f"num() needs a number read from a results file, got {traced!r}")
        key = json.dumps(list(traced.key))
        where = f"{traced.source} → {' › '.join(map(str, traced.key))}"
        return Markup('<a class="num" href="{}" data-key=\'{}\' data-format="{}" title="{}">{}</a>').format(
            self.href(traced.source), Markup(escape(key)), fmt, where, format_number(traced.value, fmt))

    def items(self, category):
        """Every figure and table of one report() category, in the order the rules declare them."""
        return Markup("\n").join(self.item(entry) for entry in self.results.in_category(category))

    def item(self, entry, width=None):
        """A figure or table (an ``Item`` or its stem), numbered, with its caption and links to its files;
        empty when the item is absent. ``width``: the figure's share of the print page."""
        entry = self.results.item(entry) if isinstance(entry, str) else entry
        if entry is None:
            return Markup("")
        self.numbers[entry.kind] = self.numbers.get(entry.kind, 0) + 1
        files = entry.twins()
        view = {"stem": entry.stem, "kind": entry.kind, "number": self.numbers[entry.kind], "width": width,
                "caption": entry.caption, "links": [(FORMAT_LABELS[f], self.href(p)) for f, p in files.items()]}
        if entry.kind == "figure":
            view["src"] = (self.href(files["svg"]) if self.mode == "pdf" and "svg" in files else
                           "data:image/png;base64," + base64.b64encode(Path(entry.path).read_bytes()).decode())
        elif entry.kind == "table":
            view["html"] = table_html(entry.frame())
        return Markup(self.env.get_template("item.html.j2").render(item=view))

    def render(self, template, facts):
        config = self.results.files.get("config")
        return self.env.get_template(template).render(facts=facts, files=self.results.files, href=self.href,
                                                      config_text=Path(config[0]).read_text() if config else "")


def caption_html(text):
    """reStructuredText captions are plain sentences; ``code`` spans are the only markup kept."""
    return Markup(re.sub(r"``(.+?)``", r"<code>\1</code>", str(escape(text))))


def table_html(frame):
    """A table as the Markdown/LaTeX files show it: metric columns formatted for reading, every other cell
    as written in the CSV."""
    frame = frame.copy()
    for column in FORMATTED_COLUMNS & set(frame.columns):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    shown = formatted_for_reading(frame)
    shown.columns = [str(column).replace("_", " ") for column in shown.columns]  # headers may wrap
    if len(shown.columns) > WIDEST_TABLE:
        # Turned: one row per column, one column per row (headed by the first column's entries).
        turned = shown.set_index(shown.columns[0]).T
        return Markup(turned.to_html(index=True, index_names=False, border=0, classes="data turned", na_rep="—",
                                     escape=True))
    return Markup(shown.to_html(index=False, border=0, classes="data", na_rep="—", escape=True))


def build_report(files, catalog, templates, html_path, pdf_path=None, summary_path=None):
    """Write the study report's HTML page (and its PDF when ``pdf_path`` is given), and the summary over seeds
    that its means and ranges are read from (``summary_path``, by default ``seeds.json`` beside the page).

    ``files``: {kind: [paths]} (``metrics``, ``run_info``, ``config``, ``animations``); ``catalog``:
    [{path, caption, category}] of the outputs the rules marked with report(); ``templates``: the template
    files (their folder is the template root). Returns the facts the pages were made from."""
    summary_path = Path(html_path).parent / "seeds.json" if summary_path is None else Path(summary_path)
    paths = files.get("metrics", [])
    metrics = [read_json(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths) if Path(p).is_file()]
    write_json(report_summary(metrics), summary_path)
    results = Results(files | {"seeds": [str(summary_path)]}, catalog)
    facts = report_facts(results)
    templates_dir = Path(sorted(templates)[0]).parent
    html = Page(results, templates_dir, Path(html_path).parent, "html").render("page.html.j2", facts)
    with atomic_path(html_path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    if pdf_path is not None:
        import weasyprint  # imported here: only the PDF needs it (and its system libraries)

        printed = Page(results, templates_dir, Path(pdf_path).parent, "pdf").render("page.html.j2", facts)
        with atomic_path(pdf_path) as tmp:
            weasyprint.HTML(string=printed, base_url=str(Path(pdf_path).parent.resolve())).write_pdf(tmp)
    return facts
