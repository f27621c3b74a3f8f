"""What a report reads: the results files that exist, the figures and tables the rules marked for the
report (with their captions and categories), and numbers that remember the file and key they came from."""

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml


@dataclass(frozen=True)
class Traced:
    """One number (or word) read from a results file: ``value`` is ``source[key[0]][key[1]]...``."""

    value: object
    source: str
    key: tuple

    def __str__(self):
        return str(self.value)


class Doc:
    """A parsed JSON/YAML results file, or part of one. Indexing gives a ``Doc`` for a dict or a list and a
    ``Traced`` for anything else, so every number taken from a ``Doc`` knows where it came from."""

    def __init__(self, data, source, key=()):
        self._data, self._source, self._key = data, str(source), tuple(key)

    def __getitem__(self, name):
        value = self._data[name]
        key = self._key + (name,)
        return Doc(value, self._source, key) if isinstance(value, (dict, list)) else Traced(value, self._source, key)

    def __contains__(self, name):
        return name in self._data

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return iter(self._data) if isinstance(self._data, dict) else (self[i] for i in range(len(self._data)))

    def get(self, name, default=None):
        return self[name] if name in self._data else default

    def raw(self, name=None):
        """The plain value (of ``name``), for computing facts."""
        return self._data if name is None else self._data[name]


def read_doc(path):
    text = Path(path).read_text()
    return Doc(yaml.safe_load(text) if str(path).endswith((".yaml", ".yml")) else json.loads(text), path)


@dataclass
class Item:
    """A figure (PNG with PDF/SVG twins), a table (CSV with Markdown/LaTeX twins) or an animation (GIF)
    made for the report."""

    path: str  # the PNG or CSV the rule marked with report()
    caption: str  # text of the .rst caption the rule names
    category: str  # the report() category: which section shows it

    @property
    def stem(self):
        return Path(self.path).stem

    @property
    def kind(self):
        return {".png": "figure", ".csv": "table", ".gif": "animation"}.get(Path(self.path).suffix, "file")

    def twins(self):
        """{format: path} of the files beside this one that exist (PNG/PDF/SVG, or CSV/Markdown/LaTeX)."""
        formats = {"figure": ("png", "pdf", "svg"), "table": ("csv", "md", "tex")}.get(self.kind, ("gif",))
        return {fmt: str(p) for fmt in formats if (p := Path(self.path).with_suffix(f".{fmt}")).is_file()}

    def frame(self):
        return pd.read_csv(self.path, dtype=str, keep_default_na=False)


class Results:
    """The report's inputs. ``files``: {kind: [paths]} with kinds ``metrics``, ``run_info``, ``config``,
    ``animations``; ``catalog``: [{path, caption, category}] of every output a rule marked with report().
    Only files that exist count, so a task whose results are absent simply has no section."""

    def __init__(self, files, catalog=()):
        self.files = {kind: [str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)
                             if Path(p).is_file()] for kind, paths in files.items()}
        self.items = [Item(entry["path"], _caption(entry.get("caption")), entry.get("category") or "")
                      for entry in catalog if Path(entry["path"]).is_file()]
        self._docs = {path: read_doc(path) for kind in ("metrics", "run_info", "config", "seeds")
                      for path in self.files.get(kind, [])}

    def runs(self, task):
        """Every metrics file of ``task`` (``metrics.json``'s ``task`` key), as ``Doc``s."""
        return [doc for path in self.files.get("metrics", []) if (doc := self._docs[path]).raw().get("task") == task]

    def document(self, kind):
        """The first ``run_info``, ``config`` or ``seeds`` (summary over seeds) file as a ``Doc``, or None."""
        paths = self.files.get(kind, [])
        return self._docs[paths[0]] if paths else None

    def in_category(self, category):
        return [item for item in self.items if item.category == category and item.kind != "file"]

    def item(self, stem):
        return next((item for item in self.items if item.stem == stem and item.kind != "file"), None)


def _caption(path):
    return Path(path).read_text().strip() if path and Path(path).is_file() else ""
