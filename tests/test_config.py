import copy
from pathlib import Path

import pytest
import yaml

from arithgen.config import ConfigError, validate_config

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schemas" / "config.schema.yaml"


@pytest.fixture
def config():
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def test_shipped_configs_are_valid(config):
    validate_config(config, SCHEMA)
    validate_config(yaml.safe_load((ROOT / "tests" / "tiny_config.yaml").read_text()), SCHEMA)


def broken(config, change):
    config = copy.deepcopy(config)
    change(config)
    return config


@pytest.mark.parametrize("change,message", [
    (lambda c: c.update(colour="red"), r"\(top level\): unknown key \('colour' was unexpected\)"),
    (lambda c: c["text2text"]["train_fractions"].append(1.5),
     r"text2text\.train_fractions\[\d+\]: 1\.5 is invalid; expected .*< 1"),
    (lambda c: c["text2text"]["train_fractions"].append(0), r"text2text\.train_fractions\[\d+\]: 0 is invalid"),
    (lambda c: c["recipes"]["default"].update(epochs=-3),
     r"recipes\.default\.epochs: -3 is invalid; expected type integer, >= 1"),
    (lambda c: c.update(digits_dataset="emnist"), r"digits_dataset: unknown dataset 'emnist'; expected one of"),
    (lambda c: c["queries"].update(operators=["*"]), r"queries\.operators\[0\]: '\*' is invalid"),
    (lambda c: c["datasets"]["mnist"]["files"]["train_images"].update(sha256="abc"), r"sha256: 'abc' is invalid"),
    (lambda c: c["text2text"]["variants"]["default"].update(recipe="fast"), r"unknown recipe 'fast'"),
    (lambda c: c["text2text"]["variants"]["default"]["overrides"].update({"0.30": {"epochs": 2}}),
     r"'0\.30' is not a train fraction"),
    (lambda c: c["text2text"]["variants"]["default"]["overrides"].update({"1.5": {"epochs": 2}}),
     r"'1\.5' is not a train fraction"),
    (lambda c: c["queries"].update(eval_size=1_999_000), r"queries\.eval_size: 1999000 test queries overlap"),
    (lambda c: c["queries"].update(validation_fraction=1.5),
     r"queries\.validation_fraction: 1\.5 is invalid; expected .*< 1"),
    (lambda c: c["queries"].update(validation_size=2000), r"queries: unknown key \('validation_size' was unexpected\)"),
    (lambda c: c["queries"].update(validation_fraction=0.0001),
     r"queries\.validation_fraction: validation_fraction 0\.0001 gives 0 validation queries of the 2000 labelled "
     r"at train fraction 0\.001"),
    (lambda c: c["text2text"].update(seeds=[1, 1]), r"text2text\.seeds: \[1, 1\] is invalid"),
    (lambda c: c["text2text"]["variants"]["classic"].update(seeds=[-1]), r"text2text\.variants\.classic\.seeds\[0\]"),
    (lambda c: c["text2text"]["variants"]["classic"]["train_fractions"].append(2), r"classic\.train_fractions\[2\]: 2"),
    (lambda c: c["images"].update(seeds=[]), r"images\.seeds: \[\] is invalid; expected .*at least 1 items"),
    (lambda c: c["images"]["img2text"].update(architecture="columns"),
     r"images\.img2text\.architecture: 'columns' has query_layout 'columns'; expected .*'characters'"),
])
def test_bad_values_give_one_line_naming_the_field(config, change, message):
    with pytest.raises(ConfigError, match=message) as error:
        validate_config(broken(config, change), SCHEMA)
    assert "\n" not in str(error.value)


def test_text2text_settings_apply_only_that_fractions_overrides(config):
    from arithgen.config import text2text_settings

    _, at_one_percent = text2text_settings(config, "default", "0.01")
    _, at_five_percent = text2text_settings(config, "default", "0.05")
    overrides = config["text2text"]["variants"]["default"]["overrides"]["0.01"]
    assert all(at_one_percent[k] == v for k, v in overrides.items())
    assert at_five_percent == config["recipes"]["default"]


def test_a_variant_runs_its_own_fractions_and_seeds(config):
    from arithgen.config import text2text_runs

    runs = text2text_runs(config)
    assert [run for run in runs if run[0] == "classic"] == [("classic", "0.01", 1), ("classic", "0.02", 1)]
    defaults = [run for run in runs if run[0] == "default"]
    assert len(defaults) == len(config["text2text"]["train_fractions"]) * len(config["text2text"]["seeds"])
