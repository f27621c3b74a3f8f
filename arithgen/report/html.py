"""Assemble the study report: one self-contained HTML page (figures embedded as data URIs) with
links to every figure and table file beside it and to the results each number was read from.

A report is a list of ``Section``s, each a list of blocks (``Findings``, ``Text``, ``Figure``,
``Table``, ``Details``). Sections are made by section functions (see ``sections``) from a
``Results``: the files the report may read, of which only those that exist count, so a missing
upstream result leaves its section out instead of failing.
"""

import base64
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd
import yaml
from markupsafe import Markup

from arithgen.io import atomic_path
from arithgen.report import sentences
from arithgen.report.tables import PERCENT_COLUMNS, formatted_for_reading

TABLE_FORMATS = {"csv": "CSV", "md": "Markdown", "tex": "LaTeX"}
# Columns ``tables.formatted_for_reading`` formats (as numbers); the rest are shown as stored.
FORMATTED_COLUMNS = PERCENT_COLUMNS | {"train_fraction", "train_seconds", "n_train", "epochs"}


@dataclass
class Findings:
    """Generated sentences (lists of str / ``sentences.Quantity``) that quote measured numbers;
    the first ``key`` of them are repeated among the key findings at the top of the page."""

    sentences: list
    key: int = 0


@dataclass
class Text:
    """Fixed prose: explains, quotes no measured number."""

    text: str


@dataclass
class Figure:
    stem: str
    png: str
    pdf: str | None
    caption: str
    narrow: bool = False  # drawn at most about half the page wide (e.g. an image grid)


@dataclass
class Table:
    stem: str
    files: dict  # format ("csv", "md", "tex") -> path
    caption: str
    frame: pd.DataFrame  # as read from the CSV


@dataclass
class Details:
    """Long text folded away (the resolved config)."""

    summary: str
    text: str
    source: str | None = None


@dataclass
class Section:
    part: str
    id: str
    title: str
    blocks: list
    sources: list = field(default_factory=list)  # result files the section read

    def key_findings(self):
        """The sentences the section puts among the key findings at the top of the page."""
        return [s for block in self.blocks if isinstance(block, Findings) for s in block.sentences[:block.key]]


class Results:
    """The files a report may read, by kind (``metrics``, ``figures``, ``tables``, ``captions``,
    ``run_info``, ``config``, ...), keeping only those that exist.

    ``html_dir``: the folder of the page, from which every link is made relative.
    """

    def __init__(self, files, html_dir):
        self.files = {kind: [str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)
                             if os.path.isfile(p)]
                      for kind, paths in files.items()}
        self.html_dir = Path(html_dir)
        self._json = {}

    def paths(self, kind):
        return self.files.get(kind, [])

    def href(self, path):
        return Path(os.path.relpath(Path(path).resolve(), self.html_dir.resolve())).as_posix()

    def read_json(self, path):
        if path not in self._json:
            self._json[path] = json.loads(Path(path).read_text())
        return self._json[path]

    def metrics(self, task):
        """[(path, metrics)] of every run of ``task`` among the ``metrics`` files."""
        runs = [(path, self.read_json(path)) for path in self.paths("metrics")]
        return [(path, m) for path, m in runs if m.get("task") == task]

    def document(self, kind):
        """(path, parsed content) of the first file of ``kind`` (JSON or YAML), or None."""
        paths = self.paths(kind)
        if not paths:
            return None
        path = paths[0]
        if path.endswith((".yaml", ".yml")):
            return path, yaml.safe_load(Path(path).read_text())
        return path, self.read_json(path)

    def _by_stem(self, kind, stem, suffix):
        return next((p for p in self.paths(kind) if Path(p).name == f"{stem}{suffix}"), None)

    def caption(self, name):
        """The text of caption ``name`` (``report/{name}.rst``), or '' when there is none."""
        path = self._by_stem("captions", name, ".rst")
        return Path(path).read_text().strip() if path else ""

    def figure(self, stem, caption=None, narrow=False):
        """The ``Figure`` whose PNG is ``{stem}.png`` among the ``figures`` files, or None."""
        png = self._by_stem("figures", stem, ".png")
        if png is None:
            return None
        return Figure(stem, png, self._by_stem("figures", stem, ".pdf"), self.caption(caption or stem), narrow)

    def table(self, stem, caption=None):
        """The ``Table`` whose CSV is ``{stem}.csv`` among the ``tables`` files, or None."""
        files = {fmt: self._by_stem("tables", stem, f".{fmt}") for fmt in TABLE_FORMATS}
        if files["csv"] is None:
            return None
        frame = pd.read_csv(files["csv"], dtype=str, keep_default_na=False)
        return Table(stem, {fmt: p for fmt, p in files.items() if p}, self.caption(caption or stem), frame)


def _caption_html(text):
    """reStructuredText captions are plain sentences; ``code`` spans are the only markup kept."""
    return Markup(re.sub(r"``(.+?)``", r"<code>\1</code>", str(Markup.escape(text))))


def _table_html(table):
    """The table as the Markdown/LaTeX files show it: metric columns formatted for reading, every
    other cell exactly as written in the CSV."""
    frame = table.frame.copy()
    for column in FORMATTED_COLUMNS & set(frame.columns):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    shown = formatted_for_reading(frame)
    # Headers read as words ('exact match', not 'exact_match') and may wrap; cells do not.
    shown.columns = [str(column).replace("_", " ") for column in shown.columns]
    return Markup(shown.to_html(index=False, border=0, classes="data", na_rep="—", escape=True))


def _data_uri(path):
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


PAGE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
  body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
         color: #1d2327; max-width: 1120px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
  h1 { font-size: 2rem; margin-bottom: .2rem; }
  h2 { font-size: 1.55rem; margin-top: 2.8rem; border-bottom: 2px solid #0173b2; padding-bottom: .25rem; }
  h3 { font-size: 1.2rem; margin-top: 2rem; }
  .subtitle { color: #555; margin-top: 0; }
  nav { background: #f4f6f8; border-radius: 6px; padding: .6rem 1.2rem; margin: 1.2rem 0; }
  nav ul { margin: .2rem 0; padding-left: 1.2rem; }
  nav li.part { font-weight: 600; margin-top: .3rem; list-style: none; margin-left: -1.2rem; }
  nav li.part ul { font-weight: normal; }
  .findings li, p.finding { margin: .35rem 0; }
  .num { font-weight: 600; border-bottom: 1px dotted #0173b2; cursor: help; white-space: nowrap; }
  figure { margin: 1.6rem 0; }
  figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
  figure.narrow img { max-width: min(100%, 680px); }
  figcaption, .table-caption { font-size: .92rem; color: #333; margin-top: .4rem; }
  .files a { margin-right: .4rem; }
  .files { white-space: nowrap; }
  .table-wrap { overflow-x: auto; margin: 1.2rem 0 1.8rem; }
  table.data { border-collapse: collapse; font-size: .88rem; font-variant-numeric: tabular-nums; }
  table.data th { border-bottom: 2px solid #333; text-align: left; padding: .3rem .6rem; vertical-align: bottom; }
  table.data td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; white-space: nowrap; }
  table.data tr:last-child td { border-bottom: 2px solid #333; }
  pre { background: #f4f6f8; padding: .8rem 1rem; overflow-x: auto; font-size: .82rem; }
  details summary { cursor: pointer; font-weight: 600; }
  .sources { font-size: .85rem; color: #555; }
  .sources a { word-break: break-all; }
  footer { margin-top: 3rem; font-size: .85rem; color: #666; border-top: 1px solid #ddd; padding-top: .6rem; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="subtitle">{{ subtitle }}</p>
{% if headlines %}
<h2 id="key-findings">Key findings</h2>
<ul class="findings">
{% for sentence in headlines %}
  <li class="finding">{{ sentence }}</li>
{% endfor %}
</ul>
{% endif %}
<nav>
<strong>Contents</strong>
<ul>
{% for part, part_sections in parts %}
  <li class="part"><a href="#{{ part_ids[part] }}">{{ part }}</a>
    <ul>
    {% for section in part_sections %}
      <li><a href="#{{ section.id }}">{{ section.title }}</a></li>
    {% endfor %}
    </ul>
  </li>
{% endfor %}
</ul>
</nav>
{% for part, part_sections in parts %}
<h2 id="{{ part_ids[part] }}">{{ part }}</h2>
{% for section in part_sections %}
<section id="{{ section.id }}">
<h3>{{ section.title }}</h3>
{% for block in section.blocks %}
{% if block.kind == "findings" %}
<ul class="findings">
{% for sentence in block.sentences %}
  <li class="finding">{{ sentence }}</li>
{% endfor %}
</ul>
{% elif block.kind == "text" %}
<p>{{ block.text }}</p>
{% elif block.kind == "figure" %}
<figure id="{{ block.stem }}"{% if block.narrow %} class="narrow"{% endif %}>
  <img src="{{ block.src }}" alt="{{ block.caption_text }}">
  <figcaption><strong>Figure {{ block.number }}.</strong> {{ block.caption }}
    <span class="files">{% for label, href in block.links %}<a href="{{ href }}">{{ label }}</a>{% endfor %}</span>
  </figcaption>
</figure>
{% elif block.kind == "table" %}
<div class="table-wrap" id="{{ block.stem }}">
  <p class="table-caption"><strong>Table {{ block.number }}.</strong> {{ block.caption }}
    <span class="files">{% for label, href in block.links %}<a href="{{ href }}">{{ label }}</a>{% endfor %}</span></p>
  {{ block.html }}
</div>
{% elif block.kind == "details" %}
<details>
  <summary>{{ block.summary }}{% if block.href %} (<a href="{{ block.href }}">file</a>){% endif %}</summary>
  <pre>{{ block.text }}</pre>
</details>
{% endif %}
{% endfor %}
{% if section.sources %}
<p class="sources">Read from: {% for label, href in section.sources %}<a href="{{ href }}">{{ label }}</a>{{ ", " if not loop.last }}{% endfor %}</p>
{% endif %}
</section>
{% endfor %}
{% endfor %}
<footer>{{ footer }}</footer>
</body>
</html>
""")


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _block_view(block, results, counters):
    """What the template needs of one block: links made relative, sentences rendered."""
    render = lambda sentence: Markup(sentences.render(sentence, results.href))  # noqa: E731
    if isinstance(block, Findings):
        return {"kind": "findings", "sentences": [render(s) for s in block.sentences]}
    if isinstance(block, Text):
        return {"kind": "text", "text": block.text}
    if isinstance(block, Figure):
        counters["figure"] += 1
        links = [("PNG", results.href(block.png))] + ([("PDF", results.href(block.pdf))] if block.pdf else [])
        return {"kind": "figure", "stem": block.stem, "number": counters["figure"], "src": _data_uri(block.png),
                "caption": _caption_html(block.caption), "caption_text": block.caption, "links": links,
                "narrow": block.narrow}
    if isinstance(block, Table):
        counters["table"] += 1
        links = [(TABLE_FORMATS[fmt], results.href(path)) for fmt, path in block.files.items()]
        return {"kind": "table", "stem": block.stem, "number": counters["table"], "html": _table_html(block),
                "caption": _caption_html(block.caption), "links": links}
    if isinstance(block, Details):
        return {"kind": "details", "summary": block.summary, "text": block.text,
                "href": results.href(block.source) if block.source else None}
    raise TypeError(f"unknown report block {block!r}")


def render_page(sections, results, parts, title, subtitle, footer):
    """The HTML page for ``sections`` (None entries dropped), grouped by ``parts`` in that order;
    a part without sections is left out."""
    sections = [s for s in sections if s is not None]
    counters = {"figure": 0, "table": 0}
    grouped = []
    for part in parts + sorted({s.part for s in sections} - set(parts)):
        members = [s for s in sections if s.part == part]
        if members:
            grouped.append((part, members))
    views = []
    for part, members in grouped:
        part_views = []
        for section in members:
            part_views.append({
                "id": section.id, "title": section.title,
                "blocks": [_block_view(block, results, counters) for block in section.blocks],
                "sources": [(path, results.href(path)) for path in section.sources],
            })
        views.append((part, part_views))
    headlines = [Markup(sentences.render(sentence, results.href))
                 for _, members in grouped for section in members for sentence in section.key_findings()]
    return PAGE.render(title=title, subtitle=subtitle, footer=footer, headlines=headlines, parts=views,
                       part_ids={part: _slug(part) for part, _ in grouped})


def write_page(text, path):
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
