"""Shared by the end-to-end tests: the real snakemake on the tiny config, run once per session."""

import re
import signal
import subprocess
import sys
import time
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


def drive(job, pauses, kill_at=None):
    """Let ``job`` (started with the checkpoint pause hook on ``pauses``) through every pause of its
    saves; send it a signal at ``kill_at`` = (step, phase, signal name), where phase "running" means
    just after that step's save went through. Waits on the marker files (events), never on delays.
    Returns True when it was killed there, False when it finished."""
    handled = set()
    while True:
        markers = sorted(p for p in pauses.iterdir() if p.suffix != ".go" and p.name not in handled
                         and not p.name.startswith("."))
        for marker in markers:
            handled.add(marker.name)
            step, phase = int(marker.stem), marker.suffix[1:]
            killing = kill_at is not None and kill_at[0] == step and (
                kill_at[1] == phase or (kill_at[1] == "running" and phase == "switched"))
            if not killing or kill_at[1] == "running":
                (pauses / f"{marker.name}.go").touch()
            if killing:
                job.send_signal(getattr(signal, kill_at[2]))
                job.wait(timeout=120)
                return True
        if not markers and job.poll() is not None:
            return False
        time.sleep(0.01)
