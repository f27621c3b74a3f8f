"""The whole workflow, killed at a seeded random moment and started again with the same command,
finishes with the same metrics, predictions and tables as an uninterrupted run.

No cleanup and no flag beyond what ``profiles/default`` sets (``rerun-incomplete``). The moment:
right after the k-th of the workflow's jobs finished (k drawn from the seed), or at the first
checkpoint any training job saves after that. The kill: SIGINT to snakemake and all its jobs
(Ctrl-C), or SIGKILL or SIGTERM to one running job (the out-of-memory killer, a job's own limit).
Replay with ``FAULT_SEED=<n>``. Not here: SIGKILL to snakemake itself leaves its directory lock
behind, which snakemake by design asks to remove with ``--unlock``; SIGTERM to snakemake and its
jobs together once left snakemake 9.27 hanging after its jobs had died (its graceful-exit handler).
"""

import os
import random
import re
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import SNAKEMAKE, TINY, snakemake

SEED = int(os.environ.get("FAULT_SEED", "2026"))
WALL_TIME_COLUMNS = re.compile(r"seconds|minutes|time", re.I)

pytestmark = pytest.mark.e2e


def wait_for(condition, job, what):
    """Poll ``condition`` (a file or a log line appearing) until it holds; fail if ``job`` ends first."""
    while not condition():
        assert job.poll() is None, f"snakemake ended before {what}"
        time.sleep(0.05)


def steps_done(log):
    found = re.findall(r"^(\d+) of (\d+) steps", log.read_text(), re.M)
    return (int(found[-1][0]), int(found[-1][1])) if found else (0, None)


def checkpoint_saves(workdir):
    """Checkpoints saved so far by all training jobs, as their logs report them."""
    return sum(path.read_text(errors="replace").count(": checkpoint saved in ")
               for path in (workdir / "logs").glob("**/*.log"))


def running_jobs(session):
    """Pids of the job scripts snakemake runs in process group ``session``."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[2]) == session and b"/.snakemake/scripts/" in command and b"python" in command:
            pids.append(int(stat.parent.name))
    return pids


def kill_one_job(job, rng, kill):
    """Send ``kill`` to one of the job scripts snakemake runs (waiting until one runs)."""
    while True:
        wait_for(lambda: running_jobs(job.pid), job, "a job was running")
        try:
            os.kill(rng.choice(sorted(running_jobs(job.pid))), kill)
            return
        except (IndexError, ProcessLookupError):  # it ended in between: take another
            continue


def comparable_results(workdir):
    """{path: content} of what must not depend on an interruption: every metrics file and predictions
    file, and the report's tables of results without their wall-time columns (run info aside)."""
    results = workdir / "results"
    found = {}
    for path in sorted([*results.glob("**/metrics.json"), *results.glob("**/predictions.csv")]):
        found[str(path.relative_to(workdir))] = path.read_bytes()
    for path in sorted((results / "report" / "tables").glob("*.csv")):
        if not path.name.startswith("run_info"):
            table = pd.read_csv(path)
            found[str(path.relative_to(workdir))] = table.drop(
                columns=[c for c in table.columns if WALL_TIME_COLUMNS.search(c)]).to_csv(index=False)
    return found


def test_killed_workflow_finishes_like_an_uninterrupted_one(finished_run, tmp_path):
    rng = random.Random(SEED)
    workdir, log = tmp_path / "killed", tmp_path / "killed.log"
    job = subprocess.Popen([*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(TINY), "--cores", "2"],
                           stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: steps_done(log)[1] is not None, job, "it counted its jobs")
        total = steps_done(log)[1]
        if rng.random() < 0.5:
            after = rng.randrange(1, total)
            moment = f"after {after} of {total} jobs"
            wait_for(lambda: steps_done(log)[0] >= after, job, moment)
        else:  # the tiny workflow saves 21 checkpoints (8 text2text runs x 2 epochs, 1 digit reader, 2+2 image tasks)
            after = rng.randrange(1, 21)
            moment = f"at checkpoint save {after} of 21"
            wait_for(lambda: checkpoint_saves(workdir) >= after, job, moment)
        kill = rng.choice(["SIGINT all", "SIGKILL one job", "SIGTERM one job"])
        if kill == "SIGINT all":
            os.killpg(job.pid, signal.SIGINT)
        else:
            kill_one_job(job, rng, getattr(signal, kill.split()[0]))
    except BaseException:
        os.killpg(job.pid, signal.SIGKILL)
        raise
    finally:
        job.wait(timeout=600)  # after one job is killed, snakemake lets the others finish
    moment = f"seed {SEED}: {kill} {moment}"
    assert not (workdir / "results/report/index.html").exists(), moment

    started = time.perf_counter()
    snakemake(workdir, "--cores", "2")  # the same command again: no cleanup, no extra flag
    print(f"\n{moment}; the restarted workflow finished in {time.perf_counter() - started:.0f} s")
    killed, straight = comparable_results(workdir), comparable_results(finished_run)
    assert killed.keys() == straight.keys(), moment
    for path in straight:
        assert killed[path] == straight[path], f"{path} differs ({moment})"
