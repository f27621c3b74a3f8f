"""The checkout is lint-clean: snakefmt (Snakefile, rules/*.smk), ruff (every .py file; rules in pyproject.toml)
and snakemake's own linter (every rule has log:, a conda env, no absolute paths, ...)."""

import subprocess
import sys

import pytest

from conftest import ROOT, SNAKEMAKE

CHECKS = {
    "snakefmt": [sys.executable, "-m", "snakefmt", "--check", "--compact-diff", "."],
    "ruff": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "snakemake --lint": [*SNAKEMAKE, "--lint"],
}


@pytest.mark.parametrize("tool", CHECKS)
def test_checkout_is_lint_clean(tool):
    result = subprocess.run(CHECKS[tool], cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    # Snakemake prints "Lints for rule ..." per offending rule; checked as well as the exit status.
    assert result.returncode == 0 and "Lints for" not in output, f"{tool} is not clean:\n{output[-6000:]}"
