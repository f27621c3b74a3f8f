"""Config validation: schema first, then the cross-references a schema cannot express.

Every problem becomes one line that names the field, the bad value and what was expected.
"""

from pathlib import Path

import jsonschema
import yaml

from arithgen.data.queries import query_count


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
    t2t = config["text2text"]
    for name, variant in t2t["variants"].items():
        for kind, table in (("architecture", "architectures"), ("recipe", "recipes")):
            if variant[kind] not in config[table]:
                yield (f"text2text.variants.{name}.{kind}: unknown {kind} {variant[kind]!r}; "
                       f"expected one of {sorted(config[table])}")
    labels = [fraction_label(f) for f in t2t["train_fractions"]]
    for name, variant in t2t["variants"].items():
        for key in variant.get("overrides", {}):
            if key not in labels:
                yield (f"text2text.variants.{name}.overrides: {key!r} is not a train fraction; "
                       f"expected one of {labels}")
    queries = config["queries"]
    count = query_count(queries["max_int"], queries["operators"])
    smallest = int(round(min(t2t["train_fractions"]) * count))
    if queries["validation_size"] >= smallest:
        yield (f"queries.validation_size: {queries['validation_size']} leaves no training queries "
               f"at train fraction {min(t2t['train_fractions'])} ({smallest} queries); expected fewer")
    largest = int(round(max(t2t["train_fractions"]) * count))
    if queries["eval_size"] != "all" and largest + queries["eval_size"] > count:
        yield (f"queries.eval_size: {queries['eval_size']} test queries overlap the training queries of "
               f"fraction {max(t2t['train_fractions'])}; expected at most {count - largest}")


def validate_config(config, schema_path):
    """Raise ConfigError with one line per problem (the first problems only, to stay readable)."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    problems = [_schema_error(e) for e in schema_errors(config, schema)]
    if not problems:
        problems = list(cross_check(config))
    if problems:
        raise ConfigError("invalid config: " + problems[0] +
                          (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))


def fraction_label(fraction):
    """0.05 -> '0.05': the name of a train fraction in paths and overrides."""
    return f"{fraction:g}"


def text2text_settings(config, variant, fraction):
    """(architecture, recipe) of one text2text run: the variant's recipe with the overrides for
    ``fraction`` (a ``fraction_label``) applied. The workflow and the benchmark both use this."""
    spec = config["text2text"]["variants"][variant]
    recipe = {**config["recipes"][spec["recipe"]], **spec.get("overrides", {}).get(fraction, {})}
    return config["architectures"][spec["architecture"]], recipe
