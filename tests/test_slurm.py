"""The tiny config through a real single-node SLURM (profiles/slurm): every job goes through sbatch,
and the results equal a local run's.

Needs root and Debian's `slurmctld slurmd slurm-client munge` (.ci/run installs them); skips, saying
why, without them. tools/slurm_single_node.sh starts the cluster on 127.0.0.1 and stops exactly the
daemons it started. There is no slurmdbd, so the executor plugin polls with squeue.
"""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from arithgen.config import heldout_runs, text2text_runs

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "tiny_config.yaml"
TINY_CONFIG = yaml.safe_load(TINY.read_text())
TINY_RUNS = text2text_runs(TINY_CONFIG)  # [(variant, fraction, seed)]
TINY_TRAININGS = len(TINY_RUNS) + len(heldout_runs(TINY_CONFIG))  # random-split and held-out runs: one rule
PROFILE = ROOT / "profiles" / "slurm" / "config.yaml"
CLUSTER = ROOT / "tools" / "slurm_single_node.sh"
SNAKEMAKE = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile")]
PARTITION = "arithgen"  # the test cluster's only partition; not a default one
LOCK = Path("/tmp/arithgen-slurm-test.lock")  # one test cluster per machine at a time

# Measured wall times: the only values that may differ between two runs of the same config.
WALL_TIME_COLUMNS = {"train_seconds", "seconds"}

REQUIRED = ["munged", "munge", "unmunge", "slurmctld", "slurmd", "sinfo", "sbatch", "squeue", "scontrol"]
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])  # daemons live in sbin
missing = [tool for tool in REQUIRED if shutil.which(tool, path=SEARCH_PATH) is None]
pytestmark = [
    pytest.mark.slurm,
    pytest.mark.e2e,
    pytest.mark.skipif(bool(missing), reason=f"SLURM not installed (missing {', '.join(missing)}; "
                       "Debian: apt-get install slurmctld slurmd slurm-client munge)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="starting a SLURM test cluster needs root"),
]


def run_cluster_script(action, state, timeout):
    return subprocess.run(["bash", str(CLUSTER), action, str(state)], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def slurm_cluster(tmp_path_factory):
    """A running single-node cluster with partition PARTITION; its daemons stopped by PID afterwards."""
    with LOCK.open("w") as lock:
        deadline = time.monotonic() + 600
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.skip(f"another SLURM test cluster held {LOCK} for 10 minutes")
                time.sleep(2)
        state = tmp_path_factory.mktemp("slurm_state")
        try:
            started = run_cluster_script("start", state, timeout=120)
            if started.returncode == 2:
                pytest.skip(f"cannot start a SLURM test cluster here: {started.stderr.strip()}")
            assert started.returncode == 0, f"SLURM test cluster did not start:\n{started.stdout}\n{started.stderr}"
            yield state
        finally:
            stopped = run_cluster_script("stop", state, timeout=120)
            assert stopped.returncode == 0, stopped.stderr


def local_profile_copy(directory):
    """profiles/slurm with its partition placeholder filled in, as a user edits it."""
    text = PROFILE.read_text()
    assert '"<partition>"' in text, "profiles/slurm/config.yaml lost its partition placeholder"
    profile = directory / "slurm_profile"
    profile.mkdir()
    (profile / "config.yaml").write_text(text.replace('"<partition>"', f'"{PARTITION}"'))
    return profile


@pytest.fixture(scope="module")
def slurm_run(slurm_cluster, tmp_path_factory):
    """(workdir, snakemake output) of the tiny config run through SLURM, as README says."""
    base = tmp_path_factory.mktemp("slurm_run")
    profile = local_profile_copy(base)
    workdir = base / "work"
    # No slurmdbd here: squeue for status (finished jobs stay listed for MinJobAge), and a short
    # first status check so that the test does not wait the plugin's 40 s default.
    command = [*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(TINY),
               "--profile", str(profile), "--workflow-profile", "none",
               "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"snakemake through SLURM failed:\n{output[-5000:]}"
    return workdir, output


@pytest.fixture(scope="module")
def planned_jobs(tmp_path_factory):
    """{rule: count} of every job in a run of the tiny config, from a dry run."""
    workdir = tmp_path_factory.mktemp("dry_run")
    result = subprocess.run([*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(TINY), "-n"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return Counter(re.findall(r"^rule (\w+):$", result.stdout + result.stderr, re.M))


def slurm_jobs_of_run(run_id):
    """{slurm job id: (state, rule)} for one workflow run, from slurmctld (squeue keeps finished jobs)."""
    listing = subprocess.run(["squeue", "--states=all", "--noheader", "--name", run_id, "--format=%i|%T|%k"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    jobs = {}
    for line in listing.split():
        job_id, state, comment = line.split("|")
        jobs[job_id] = (state, re.match(r"rule_(\w+?)(_wildcards_|$)", comment)[1])
    return jobs


def test_every_job_went_through_sbatch(slurm_run, planned_jobs):
    _, output = slurm_run
    run_id = re.search(r"SLURM run ID: (\S+)", output)[1]
    submitted = set(re.findall(r"Job \d+ has been submitted with SLURM jobid (\d+)", output))
    jobs = slurm_jobs_of_run(run_id)  # slurmctld's own record of the run
    assert set(jobs) == submitted
    assert {state for state, _ in jobs.values()} == {"COMPLETED"}
    # Only the target rule `all` (no action: nothing to submit) ran in the snakemake process itself.
    ran_locally = Counter(re.findall(r"^localrule (\w+):$", output, re.M))
    assert ran_locally == {"all": 1}
    assert planned_jobs["train_text2text"] == TINY_TRAININGS
    assert Counter(rule for _, rule in jobs.values()) + ran_locally == planned_jobs


def test_jobs_got_the_profiles_partition_and_resources(slurm_run):
    _, output = slurm_run
    run_id = re.search(r"SLURM run ID: (\S+)", output)[1]
    listing = subprocess.run(["squeue", "--states=all", "--noheader", "--name", run_id,
                              "--format=%P|%k|%C|%m|%l"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    trainings = [line.split("|") for line in listing.split() if "|rule_train_text2text_" in line]
    assert {line.split("|")[0] for line in listing.split()} == {PARTITION}
    assert len(trainings) == TINY_TRAININGS
    # profiles/slurm: 1 core, 4000 MB, 240 minutes per training job.
    assert {(cpus, memory, limit) for _, _, cpus, memory, limit in trainings} == {("1", "4000M", "4:00:00")}


def without_wall_times(frame):
    return frame.drop(columns=[c for c in frame.columns if c in WALL_TIME_COLUMNS])


def test_results_equal_a_local_run(slurm_run, finished_run):
    """``finished_run`` (tests/conftest.py): the tiny config run locally with --cores 2, shared with
    test_workflow.py; requested after ``slurm_run`` so that the two never share the cores."""
    slurm_dir, _ = slurm_run
    local_run = finished_run
    [table] = [p.relative_to(local_run) for p in local_run.glob("results/**/text2text.csv")]
    pd.testing.assert_frame_equal(without_wall_times(pd.read_csv(slurm_dir / table)),
                                  without_wall_times(pd.read_csv(local_run / table)), check_exact=True)
    runs = sorted(p.relative_to(local_run) for p in local_run.glob("results/text2text/*/*/seed*/metrics.json"))
    assert len(runs) == len(TINY_RUNS)
    for metrics in runs:
        assert json.loads((slurm_dir / metrics).read_text()) == json.loads((local_run / metrics).read_text()), metrics
        for name in ("history.csv", "predictions.csv"):
            other = metrics.with_name(name)
            pd.testing.assert_frame_equal(without_wall_times(pd.read_csv(slurm_dir / other)),
                                          without_wall_times(pd.read_csv(local_run / other)), check_exact=True)
