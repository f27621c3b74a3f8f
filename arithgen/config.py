"""Config validation: schema first, then the cross-references a schema cannot express.

Every problem becomes one line that names the field, the bad value and what was expected.
"""

from pathlib import Path

import jsonschema
import yaml

from arithgen.data.heldout import column_pairs
from arithgen.data.queries import operand_width, query_count
from arithgen.data.splits import labelled_sizes


class ConfigError(ValueError):
    pass


def _field(path):
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or "(top level)"


def _schema_error(error):
    """One line from a jsonschema error: field, bad value, what the schema wanted."""
    field = _field(error.absolute_path)
    if error.validator == "additionalProperties":
        return f"{field}: {error.message.replace('Additional properties are not allowed', 'unknown key')}"
    return f"{field}: {error.instance!r} is invalid; expected {_expected(error.schema)}"


def _expected(schema):
    """A short description of what a schema node accepts (its constraints, not its sub-schemas)."""
    words = {"type": "type {}", "enum": "one of {}", "const": "{!r}", "minimum": ">= {}",
             "maximum": "<= {}", "exclusiveMinimum": "> {}", "exclusiveMaximum": "< {}",
             "pattern": "matching {!r}", "minItems": "at least {} items", "required": "keys {}"}
    parts = [text.format(schema[key]) for key, text in words.items() if key in schema]
    if "oneOf" in schema:
        parts.append(" or ".join(_expected(option) for option in schema["oneOf"]))
    return ", ".join(parts) or "a valid value"


def schema_errors(config, schema):
    validator = jsonschema.Draft202012Validator(schema)
    return sorted(validator.iter_errors(config), key=lambda e: (list(map(str, e.absolute_path)), e.validator))


def cross_check(config):
    """Yield one-line problems with references between config sections."""
    if config["digits_dataset"] not in config["datasets"]:
        yield (f"digits_dataset: unknown dataset {config['digits_dataset']!r}; "
               f"expected one of {sorted(config['datasets'])}")
    t2t, images = config["text2text"], config["images"]
    runs = [(f"text2text.variants.{name}", variant, variant_fractions(config, name))
            for name, variant in t2t["variants"].items()]
    runs += [(f"images.{task}", images[task], images["train_fractions"]) for task in ("img2text", "text2img")]
    for field, run, fractions in runs:
        yield from _run_problems(config, field, run, fractions)
    for task in ("img2text", "text2img"):
        layout = config["architectures"].get(images[task]["architecture"], {}).get("query_layout", "characters")
        if layout != "characters":
            yield (f"images.{task}.architecture: {images[task]['architecture']!r} has query_layout {layout!r}; "
                   f"expected an architecture with query_layout 'characters' (columns is for text2text only)")
    if "features" not in images["img2text"]["image_net"]:
        yield "images.img2text.image_net: lacks 'features'; expected the per-image feature size, e.g. 64"
    yield from _heldout_problems(config)
    queries = config["queries"]
    count = query_count(queries["max_int"], queries["operators"])
    fractions = sorted({f for _, _, run_fractions in runs for f in run_fractions}
                       | set((t2t.get("heldout") or {}).get("train_fractions", [])))
    try:
        for fraction in fractions:
            labelled_sizes(count, fraction, queries["validation_fraction"], queries["max_validation"])
    except ValueError as error:
        yield f"queries.validation_fraction: {error}"
    largest = int(round(max(fractions) * count))
    if queries["eval_size"] != "all" and largest + queries["eval_size"] > count:
        yield (f"queries.eval_size: {queries['eval_size']} test queries overlap the training queries of "
               f"fraction {max(fractions)}; expected at most {count - largest}")
    if "all" not in (queries["eval_size"], images["eval_size"]) and images["eval_size"] > queries["eval_size"]:
        yield (f"images.eval_size: {images['eval_size']} is more than the {queries['eval_size']} test queries "
               f"(queries.eval_size); expected at most that")
    yield from _generative_problems(config)


def whole_space_run(config):
    """(variant, fraction label, seed) of the run ``text2text.whole_space`` names, or None when it is null
    or names a run this config does not train (a config of other fractions merged over config.yaml)."""
    chosen = config["text2text"]["whole_space"]
    if chosen is None:
        return None
    choice = (chosen["variant"], fraction_label(chosen["fraction"]), chosen["seed"])
    return choice if choice in text2text_runs(config) else None


def config_notes(config):
    """One-line notes on settings that are valid but have no effect in this config."""
    heldout = config["text2text"].get("heldout")
    if heldout and len(heldout_runs(config)) < (len(heldout["kinds"]) * len(heldout["variants"])
                                                * len(heldout["train_fractions"]) * len(heldout["seeds"])):
        yield ("note: some text2text.heldout runs have no random-split run this config trains (same variant, "
               "fraction and seed) and are skipped")
    chosen = config["text2text"]["whole_space"]
    if chosen is not None and whole_space_run(config) is None:
        yield (f"note: text2text.whole_space {chosen} is not a run this config trains, so the whole-space "
               f"evaluation is skipped; name a trained run (or null) to silence this")


def _heldout_problems(config):
    """The held-out runs name configured variants, and each kind's structure fits the query space."""
    heldout = config["text2text"].get("heldout")
    if heldout is None:
        return
    for variant in heldout["variants"]:
        if variant not in config["text2text"]["variants"]:
            yield (f"text2text.heldout.variants: unknown variant {variant!r}; "
                   f"expected one of {sorted(config['text2text']['variants'])}")
    max_int = config["queries"]["max_int"]
    width = operand_width(max_int)
    kinds = heldout["kinds"]
    field = "text2text.heldout.kinds"
    if "digit_pairs" in kinds:
        pairs = kinds["digit_pairs"]
        if pairs["column"] >= width:
            yield (f"{field}.digit_pairs.column: {pairs['column']} is not a column of max_int {max_int}; "
                   f"expected 0 (units) to {width - 1}")
        else:
            try:
                column_pairs(max_int, pairs["column"], pairs["n_pairs"], pairs["seed"])
            except ValueError as error:
                yield f"{field}.{error}"
    if "carry_chain" in kinds and kinds["carry_chain"]["min_carries"] > width:
        yield (f"{field}.carry_chain.min_carries: {kinds['carry_chain']['min_carries']} is more carries than "
               f"max_int {max_int} has columns; expected 1 to {width}")
    if "operand_band" in kinds:
        low, high = kinds["operand_band"]["low"], kinds["operand_band"]["high"]
        if not 0 <= low <= high <= max_int:
            yield (f"{field}.operand_band: low {low}, high {high} is not a band inside 0..{max_int}; "
                   f"expected 0 <= low <= high <= {max_int}")


def _generative_problems(config):
    """The generative dataset exists, and the image side halves cleanly through every conv block."""
    settings = config["generative"]
    if settings["dataset"] not in config["datasets"]:
        yield (f"generative.dataset: unknown dataset {settings['dataset']!r}; "
               f"expected one of {sorted(config['datasets'])}")
    side = settings["image_size"]
    blocks = {"generative.conv_filters": settings["conv_filters"]}
    blocks |= {f"generative.models.{name}.conv_filters": model["conv_filters"]
               for name, model in settings["models"].items() if "conv_filters" in model}
    for field, filters in blocks.items():
        step = 2 ** len(filters)
        if side % step:
            yield (f"generative.image_size: {side} cannot be halved {len(filters)} times by the blocks of {field}; "
                   f"expected a multiple of {step}, e.g. {side - side % step or step} or {side - side % step + step}")


def _run_problems(config, field, run, fractions):
    """Problems of one run spec (architecture, recipe, overrides) trained on ``fractions``."""
    for kind, table in (("architecture", "architectures"), ("recipe", "recipes")):
        if run[kind] not in config[table]:
            yield f"{field}.{kind}: unknown {kind} {run[kind]!r}; expected one of {sorted(config[table])}"
    # An override for a fraction this config does not train is unused, not an error: a smaller config
    # merged over config.yaml (which keeps config.yaml's overrides) must validate.
    for key in run.get("overrides", {}):
        if not _is_fraction_label(key):
            yield (f"{field}.overrides: {key!r} is not a train fraction; expected a number in (0, 1) written "
                   f"as in train_fractions, e.g. {fraction_label(fractions[0])!r}")


def validate_config(config, schema_path):
    """Raise ConfigError with one line per problem (the first problems only, to stay readable)."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    problems = [_schema_error(e) for e in schema_errors(config, schema)]
    if not problems:
        problems = list(cross_check(config))
    if problems:
        raise ConfigError("invalid config: " + problems[0] +
                          (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))


def _is_fraction_label(key):
    """'0.05' -> True; '0.050', '1.5', 'abc' -> False (the label fraction_label gives a number in (0, 1))."""
    try:
        value = float(key)
    except ValueError:
        return False
    return 0 < value < 1 and fraction_label(value) == key


def fraction_label(fraction):
    """0.05 -> '0.05': the name of a train fraction in paths and overrides."""
    return f"{fraction:g}"


def run_settings(config, run, fraction):
    """(architecture, recipe) of a run spec (``{architecture, recipe, overrides}``) at ``fraction``
    (a ``fraction_label``): the named recipe with that fraction's overrides applied."""
    recipe = {**config["recipes"][run["recipe"]], **run.get("overrides", {}).get(fraction, {})}
    return config["architectures"][run["architecture"]], recipe


def text2text_settings(config, variant, fraction):
    """(architecture, recipe) of one text2text run. The workflow and the benchmark both use this."""
    return run_settings(config, config["text2text"]["variants"][variant], fraction)


def variant_fractions(config, variant):
    """A text2text variant's train fractions: its own, or text2text's."""
    return config["text2text"]["variants"][variant].get("train_fractions", config["text2text"]["train_fractions"])


def variant_seeds(config, variant):
    """A text2text variant's run seeds: its own, or text2text's."""
    return config["text2text"]["variants"][variant].get("seeds", config["text2text"]["seeds"])


def text2text_runs(config):
    """Every text2text run the config trains: [(variant, fraction label, seed)] in config order."""
    return [(variant, fraction_label(fraction), seed)
            for variant in config["text2text"]["variants"]
            for fraction in variant_fractions(config, variant)
            for seed in variant_seeds(config, variant)]


def heldout_runs(config):
    """Every held-out run the config trains: [(kind, variant, fraction label, seed)] in config order."""
    heldout = config["text2text"].get("heldout")
    if heldout is None:
        return []
    # A held-out run is compared with its random-split twin: one this config does not train is skipped
    # (config_notes says so), so that a config of other fractions merged over config.yaml still runs.
    random = set(text2text_runs(config))
    return [(kind, variant, fraction_label(fraction), seed)
            for kind in heldout["kinds"]
            for variant in heldout["variants"]
            for fraction in heldout["train_fractions"]
            for seed in heldout["seeds"]
            if (variant, fraction_label(fraction), seed) in random]


def heldout_structure(config, kind):
    """The structure ``data.heldout`` holds out for ``kind``: {"kind": kind, **its settings}."""
    return {"kind": kind, **config["text2text"]["heldout"]["kinds"][kind]}
