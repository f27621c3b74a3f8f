"""Shared by the end-to-end tests: the real snakemake on the tiny config, run once per session."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "tiny_config.yaml"
SNAKEMAKE = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile")]


def snakemake(workdir, *args, configfile=TINY, check=True):
    """Run snakemake on the workflow in ``workdir``; raise with its output tail unless it succeeds."""
    result = subprocess.run([*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(configfile), *args],
                            capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def planned_jobs(result):
    """{rule: count} from the job-stats table of a dry run."""
    text = result.stdout + result.stderr
    table = text.split("Job stats:", 1)[1] if "Job stats:" in text else ""
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M) if m[1] != "total"}


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    """A working directory where the whole tiny workflow has run (shared: tests must not change it)."""
    workdir = tmp_path_factory.mktemp("tiny_run")
    snakemake(workdir, "--cores", "2")
    return workdir
