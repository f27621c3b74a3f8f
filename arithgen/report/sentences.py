"""Generated sentences that quote measured numbers, each number tied to the file and key it was read from.

A sentence is a list of parts: plain strings and ``Quantity`` objects. Nothing here types a number
by hand: every figure a reader sees in the text is a ``Quantity`` read from a results file
(``metrics.json``, ``run_info.json``, the resolved ``config.yaml``), and the HTML page marks it with
that file and key so a test (or a curious reader) can check it.
"""

import html
import json
from dataclasses import dataclass

from arithgen.report.tables import variant_sort_key

# How each kind of quantity is shown; ``parse_shown`` reads the shown text back.
KINDS = ("percent", "fraction", "count", "number", "seconds")


@dataclass(frozen=True)
class Quantity:
    """One quoted number: ``value`` as stored in ``source`` under ``key`` (a path of dict keys).

    kind: ``percent`` (a proportion in [0, 1], shown as ``99.52%``), ``fraction`` (a train fraction
    in (0, 1), shown as ``5%``), ``count`` (an integer, ``1,900``), ``number`` (4 significant digits, ``0.003``) or
    ``seconds`` (``81.3 s``).
    """

    value: float
    kind: str
    source: str
    key: tuple
    is_key: bool = False  # the number is the last key itself (a group name such as carries "2")

    def shown(self):
        if self.kind == "percent":
            return f"{100 * self.value:.2f}%"  # two decimals, as in the tables
        if self.kind == "fraction":
            return f"{100 * self.value:g}%"
        if self.kind == "count":
            return f"{int(self.value):,}"
        if self.kind == "seconds":
            return f"{self.value:,.1f} s"
        if self.kind == "number":
            return f"{self.value:.4g}"
        raise ValueError(f"unknown quantity kind {self.kind!r}; expected one of {KINDS}")


def parse_shown(text, kind):
    """The value a shown quantity stands for (the inverse of ``Quantity.shown`` up to rounding)."""
    text = text.replace(",", "").strip()
    if kind in ("percent", "fraction"):
        return float(text.removesuffix("%")) / 100
    if kind == "seconds":
        return float(text.removesuffix("s").strip())
    if kind == "count":
        return int(text)
    return float(text)


def shown_matches(text, kind, value):
    """Whether ``text`` (as shown on the page) is ``value`` rounded the way ``kind`` rounds."""
    return Quantity(value, kind, "", ()).shown() == text.strip()


def lookup(document, key):
    """``document[key[0]][key[1]]...``: the value a quantity's key points to."""
    for part in key:
        document = document[part]
    return document


def traced_value(document, key, is_key=False):
    """The value a quantity with ``key`` (and ``is_key``) stands for in ``document``."""
    value = lookup(document, key)  # raises when the key is not in the document
    return float(key[-1]) if is_key else value


def quantity(document, source, *key, kind):
    """A ``Quantity`` read from ``document`` (the parsed ``source`` file) at ``key``."""
    return Quantity(lookup(document, key), kind, source, tuple(key))


def key_quantity(document, source, *key, kind="count"):
    """A ``Quantity`` that quotes the last key of a path that exists in ``document`` (a group's name,
    e.g. the ``"2"`` of ``by_carries["2"]``)."""
    lookup(document, key)  # the group must exist
    return Quantity(float(key[-1]), kind, source, tuple(key), is_key=True)


def render(sentence, href=lambda path: path):
    """HTML of one sentence: text escaped, every quantity a ``<span class="num">`` naming its
    source file (a link target made by ``href``) and key."""
    out = []
    for part in sentence:
        if isinstance(part, Quantity):
            where = f"{part.source} → {' › '.join(map(str, part.key))}"
            out.append(
                f'<span class="num" data-kind="{part.kind}" data-source="{html.escape(href(part.source))}" '
                + ('data-is-key="true" ' if part.is_key else "") +
                f"data-key='{html.escape(json.dumps(list(part.key)))}' title=\"{html.escape(where)}\">"
                f"{html.escape(part.shown())}</span>"
            )
        else:
            out.append(html.escape(str(part)))
    return "".join(out)


def plain(sentence):
    """The sentence as plain text (numbers as shown)."""
    return "".join(part.shown() if isinstance(part, Quantity) else str(part) for part in sentence)


def _join(items):
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- Task 1: text2text -----------------------------------------------------------------------------


def _by_variant(runs):
    """{variant: [(source, metrics), ...] sorted by train fraction}, variants in report order."""
    grouped = {}
    for source, metrics in runs:
        grouped.setdefault(metrics["variant"], []).append((source, metrics))
    return {v: sorted(grouped[v], key=lambda run: run[1]["train_fraction"])
            for v in sorted(grouped, key=variant_sort_key)}


def text2text_findings(runs):
    """Sentences on the text2text runs; the first ones (one per variant) are the headlines.

    ``runs``: [(source path, metrics dict as in ``metrics.json``)], any order. Returns a list of
    sentences (lists of str / ``Quantity``); empty when there are no runs.
    """
    if not runs:
        return []
    variants = _by_variant(runs)
    sentences = []
    for variant, variant_runs in variants.items():
        first_source, first = variant_runs[0]
        sentence = [
            f"text2text ({variant}) reaches ",
            quantity(first, first_source, "exact_match", kind="percent"),
            " exact-match with ",
            quantity(first, first_source, "train_fraction", kind="fraction"),
            " of the queries (",
            quantity(first, first_source, "n_train", kind="count"),
            " training queries)",
        ]
        if len(variant_runs) > 1:
            last_source, last = variant_runs[-1]
            sentence += [
                " and ",
                quantity(last, last_source, "exact_match", kind="percent"),
                " with ",
                quantity(last, last_source, "train_fraction", kind="fraction"),
                " (",
                quantity(last, last_source, "n_train", kind="count"),
                ")",
            ]
        sentences.append(sentence + ["."])

    source, metrics = next(iter(variants.values()))[0]
    sentences.append([
        "Every run is scored on the same ",
        quantity(metrics, source, "n", kind="count"),
        " held-out test queries, none of them seen in training; intervals are Wilson score intervals.",
    ])
    sentences += _compare_variants(variants)
    sentences += _hardest_carries(variants)
    return sentences


def _compare_variants(variants):
    """At the smallest train fraction all variants share: who is ahead, by how much each scores."""
    if len(variants) < 2:
        return []
    shared = set.intersection(*({m["train_fraction"] for _, m in runs} for runs in variants.values()))
    if not shared:
        return []
    fraction = min(shared)
    at = {v: next(run for run in runs if run[1]["train_fraction"] == fraction) for v, runs in variants.items()}
    ranked = sorted(at, key=lambda v: (-at[v][1]["exact_match"], variant_sort_key(v)))
    best, rest = ranked[0], ranked[1:]
    scores = [at[v][1]["exact_match"] for v in ranked]
    source, metrics = at[best]
    if len(set(scores)) == 1:
        opening = ["With ", quantity(metrics, source, "train_fraction", kind="fraction"),
                   f" of the queries {_join(ranked)} are level on exact match: "]
    else:
        opening = ["With ", quantity(metrics, source, "train_fraction", kind="fraction"),
                   f" of the queries {best} is ahead: "]
    parts = []
    for variant in ranked:
        src, m = at[variant]
        parts.append([quantity(m, src, "exact_match", kind="percent"), " exact-match and ",
                      quantity(m, src, "char_accuracy", kind="percent"), f" of characters right for {variant}"])
    sentence = opening
    for index, part in enumerate(parts):
        if index:
            sentence.append(", against " if index == 1 else ", and ")
        sentence += part
    return [sentence + ["."]]


def _hardest_carries(variants):
    """For each variant's largest-fraction run: the carry/borrow count with the lowest exact match."""
    sentences = []
    for variant, runs in variants.items():
        source, metrics = runs[-1]
        groups = metrics.get("by_carries", {})
        if len(groups) < 2:
            continue
        scores = [(g["exact_match"], -int(k), k) for k, g in groups.items()]
        worst, best = min(scores)[2], max(scores)[2]
        if groups[worst]["exact_match"] == groups[best]["exact_match"]:
            continue
        sentences.append([
            f"For {variant} at ",
            quantity(metrics, source, "train_fraction", kind="fraction"),
            ", the hardest queries are those needing ",
            key_quantity(metrics, source, "by_carries", worst),
            " carries or borrows (",
            quantity(metrics, source, "by_carries", worst, "n", kind="count"),
            " test queries): ",
            quantity(metrics, source, "by_carries", worst, "exact_match", kind="percent"),
            " exact-match, against ",
            quantity(metrics, source, "by_carries", best, "exact_match", kind="percent"),
            " for those needing ",
            key_quantity(metrics, source, "by_carries", best),
            ".",
        ])
    return sentences


# --- How the models work ---------------------------------------------------------------------------


def text2text_model_description(variant, config, config_source, parameters=None):
    """One sentence describing a text2text variant from the resolved config.

    ``config``: the resolved workflow config; ``parameters``: (source, metrics) of one run of the
    variant, whose ``parameters`` count is quoted when given.
    """
    spec = config["text2text"]["variants"][variant]
    arch_name, recipe_name = spec["architecture"], spec["recipe"]
    arch = ("architectures", arch_name)
    architecture = config["architectures"][arch_name]
    cell = architecture["cell"].upper()
    direction = "bidirectional " if architecture["bidirectional"] else ""
    reading = "reversed" if architecture["reverse_input"] else "left to right"
    writing = "least-significant digit first" if architecture["reverse_output"] else "left to right"
    if architecture["decoder"] == "attention":
        decoder = "attends over every encoder state at each answer step"
    elif architecture["decoder"] == "location":
        decoder = ("reads, at each answer step, two query positions chosen by the step alone (location-based "
                   "attention over encoder states and characters), then a recurrent layer carries from column to column")
    else:
        decoder = "sees only the encoder's final state, repeated once per answer character"

    def c(*key, kind="count"):
        return quantity(config, config_source, *key, kind=kind)

    sentence = [
        f"{variant}: ", c(*arch, "encoder_layers"), f" {direction}{cell} encoder layer(s) of ",
        c(*arch, "units"), f" units read the query {reading}; a decoder of ",
        c(*arch, "decoder_layers"), f" {cell} layer(s) {decoder}, and the answer is written {writing}. ",
        "It trains with Adam at a learning rate of ", c("recipes", recipe_name, "learning_rate", kind="number"),
        f" ({config['recipes'][recipe_name]['schedule']} schedule), batches of ",
        c("recipes", recipe_name, "batch_size"), ", for at most ", c("recipes", recipe_name, "epochs"), " epochs",
    ]
    overrides = spec.get("overrides") or {}
    for i, (fraction, changes) in enumerate(sorted(overrides.items(), key=lambda item: float(item[0]))):
        sentence.append(" (at " if i == 0 else "; at ")
        sentence += [key_quantity(config, config_source, "text2text", "variants", variant, "overrides", fraction,
                                  kind="fraction"), ": "]
        for j, setting in enumerate(changes):
            sentence += [", " if j else "", f"{setting.replace('_', ' ')} ",
                         c("text2text", "variants", variant, "overrides", fraction, setting,
                           kind="number" if setting == "learning_rate" else "count")]
    if overrides:
        sentence.append(")")
    if parameters is not None:
        source, metrics = parameters
        sentence += ["; it has ", quantity(metrics, source, "parameters", kind="count"), " trainable weights"]
    return sentence + ["."]


def text2text_differences(variants, config):
    """One sentence naming the architecture and recipe settings in which the variants differ."""
    if len(variants) < 2:
        return []
    specs = [config["text2text"]["variants"][v] for v in variants]
    differ = []
    for section, name in (("architectures", "architecture"), ("recipes", "recipe")):
        settings = [config[section][spec[name]] for spec in specs]
        for field in settings[0]:
            if len({json.dumps(s.get(field)) for s in settings}) > 1:
                differ.append(field.replace("_", " "))
    if not differ:
        return [[f"The variants {_join(variants)} share every architecture and recipe setting."]]
    return [[f"The variants {_join(variants)} differ in: {', '.join(differ)}."]]


# --- Data and run information ----------------------------------------------------------------------


def dataset_findings(name, run_info, source):
    """Size and shape of one image dataset, from ``run_info.json``'s ``datasets`` entry."""
    entry = run_info["datasets"][name]
    key = ("datasets", name)
    return [[
        f"{name} holds ", quantity(run_info, source, *key, "n_train", kind="count"), " training and ",
        quantity(run_info, source, *key, "n_test", kind="count"), " test images of ",
        quantity(run_info, source, *key, "image_shape", 0, kind="count"), "×",
        quantity(run_info, source, *key, "image_shape", 1, kind="count"), " pixels in ",
        quantity(run_info, source, *key, "n_classes", kind="count"), f" classes (source: {entry['source']}).",
    ]]


def run_info_findings(run_info, source, config, config_source):
    """Seed, machine and total benchmarked wall time."""
    machine = run_info["machine"]
    sentences = [[
        "Every random choice (splits, initial weights, data order) derives from seed ",
        quantity(config, config_source, "seed", kind="count"), ".",
    ]]
    sentences.append([
        f"The jobs ran on {machine['processor']} with ",
        quantity(run_info, source, "machine", "cpu_count", kind="count"),
        f" CPU cores; GPU: {machine['gpu']}.",
    ])
    if run_info.get("jobs"):
        sentences.append([
            "The ", quantity(run_info, source, "job_count", kind="count"),
            " benchmarked jobs took ", quantity(run_info, source, "jobs_total_seconds", kind="seconds"),
            " of wall time in total.",
        ])
    return sentences
