"""Presets and users' own configs, given from the checkout with --configfile (merged over config.yaml)."""

from conftest import ROOT, planned_jobs, snakemake


def dry_run(configfile):
    """A forced dry run in the checkout itself, as the README shows it: every job of that config."""
    return snakemake(ROOT, "-n", "--nolock", "--forceall", configfile=configfile)


def test_quick_preset_plans_every_rule_of_the_default_study():
    quick = planned_jobs(dry_run(ROOT / "config" / "quick.yaml"))
    default = planned_jobs(dry_run(ROOT / "config.yaml"))
    # Every figure, table and report section comes from a rule: the quick run must plan each of them.
    assert set(quick) == set(default)
    assert quick["build_report"] == 1
    assert sum(quick.values()) < sum(default.values())


def test_own_config_of_other_fractions_runs_from_the_checkout(tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text("text2text:\n  train_fractions: [0.05]\n")
    result = dry_run(own)
    plan = result.stdout + result.stderr
    assert "results/text2text/default/0.05/seed3/metrics.json" in plan
    assert "results/text2text/default/0.001/" not in plan
    # config.yaml's whole-space run (1%) is not trained here: skipped, and the user is told why.
    assert "whole-space evaluation is skipped" in result.stderr
    assert "text2text_whole_space" not in planned_jobs(result)


def test_tiny_config_runs_from_the_checkout():
    assert planned_jobs(dry_run(ROOT / "tests" / "tiny_config.yaml"))["build_report"] == 1


def test_changed_settings_list_what_the_quick_preset_reduced():
    import copy

    import yaml
    from snakemake.utils import update_config

    from arithgen.report.run_info import changed_settings

    defaults = yaml.safe_load((ROOT / "config.yaml").read_text())
    merged = copy.deepcopy(defaults)
    update_config(merged, yaml.safe_load((ROOT / "config" / "quick.yaml").read_text()))
    changes = {c["key"]: (c["default"], c["value"]) for c in changed_settings(defaults, merged)}
    assert changes["text2text.seeds"] == ("[1, 2, 3]", "[1, 2]")
    assert changes["generative.models.gan.steps"] == ("2400", "500")
    assert changes["images.img2text.recipe"] == ("images", "images_quick")
    assert changes["recipes.images_quick.epochs"] == (None, "8")
    assert "preset" not in changes and "seed" not in changes
    assert changed_settings(defaults, defaults) == []
