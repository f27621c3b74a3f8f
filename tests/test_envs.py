"""The software pins agree everywhere: exact pins (envs/requirements.txt) inside pyproject's tested ranges,
the conda environment installs those same pins, and the running .venv has them."""

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def pins():
    lines = (ROOT / "envs" / "requirements.txt").read_text().splitlines()
    requirements = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): str(r.specifier).removeprefix("==") for r in requirements}


def ranges():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, declared)}


def test_every_dependency_is_pinned_inside_its_tested_range():
    pinned, allowed = pins(), ranges()
    assert set(allowed) <= set(pinned), f"unpinned: {set(allowed) - set(pinned)}"
    for name, specifier in allowed.items():
        assert pinned[name] in specifier, f"{name}=={pinned[name]} is outside pyproject's {specifier}"


def test_conda_environments_install_the_same_pins():
    for env_file in (ROOT / "envs").glob("*.yaml"):
        env = yaml.safe_load(env_file.read_text())
        pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
        assert pip_section == ["-r requirements.txt"], f"{env_file.name} must install envs/requirements.txt"


def test_installed_versions_match_the_pins():
    mismatched = {}
    for name, pinned in pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            mismatched[name] = (pinned, installed)
    assert not mismatched, f"pinned vs installed: {mismatched}"
