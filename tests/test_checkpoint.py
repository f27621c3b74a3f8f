"""Checkpoints are one unit: a kill at any point of a save leaves the old epoch or the new one."""

import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from arithgen.checkpoint import PAUSE_VARIABLE, Checkpoint, CheckpointDamaged, restore_variables, save_variables
from conftest import drive


def write_epoch(epoch):
    """A writer of two files whose contents name ``epoch`` (so a mix of two epochs would show)."""
    def write(folder):
        (folder / "weights.bin").write_bytes(bytes([epoch]) * 1000)
        (folder / "optimizer.bin").write_bytes(bytes([epoch]) * 500)
    return write


def contents(folder):
    return {path.name: set(path.read_bytes()) for path in folder.iterdir() if path.suffix == ".bin"}


def test_save_then_load_gives_the_newest_epoch_and_removes_older_ones(tmp_path):
    checkpoint = Checkpoint(tmp_path / "ckpt", "run-a")
    assert checkpoint.load() is None
    for epoch in (1, 2, 3):
        checkpoint.save({"epochs_done": epoch}, write_epoch(epoch))
    folder, state = Checkpoint(tmp_path / "ckpt", "run-a").load()
    assert state == {"epochs_done": 3}
    assert contents(folder) == {"weights.bin": {3}, "optimizer.bin": {3}}
    assert sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == ["current", folder.name]
    checkpoint.clear()
    assert not (tmp_path / "ckpt").exists()


def test_checkpoint_of_another_run_is_not_resumed(tmp_path, capsys):
    Checkpoint(tmp_path / "ckpt", "old-config").save({"epochs_done": 1}, write_epoch(1))
    assert Checkpoint(tmp_path / "ckpt", "new-config").load() is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "another run" in lines[0] and "from scratch" in lines[0]
    assert not (tmp_path / "ckpt").exists()


@pytest.mark.parametrize("damage, reason", [
    (lambda step: (step / "weights.bin").write_bytes(b"\x01" * 10), "weights.bin differs"),
    (lambda step: (step / "optimizer.bin").unlink(), "optimizer.bin is missing"),
    (lambda step: (step / "state.json").write_text('{"run_id": '), "state.json"),
    (lambda step: (step.parent / "current").write_text("{}"), "current lacks step, folder"),
])
def test_damaged_checkpoint_is_cleared_with_one_line(tmp_path, capsys, damage, reason):
    checkpoint = Checkpoint(tmp_path / "ckpt", "run-a")
    checkpoint.save({"epochs_done": 1}, write_epoch(1))
    damage(checkpoint.latest)
    assert Checkpoint(tmp_path / "ckpt", "run-a").load() is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and reason in lines[0], lines
    assert not (tmp_path / "ckpt").exists()
    checkpoint.save({"epochs_done": 1}, write_epoch(1))  # and training can checkpoint again
    assert Checkpoint(tmp_path / "ckpt", "run-a").load()[1] == {"epochs_done": 1}


SAVER = """
from arithgen.checkpoint import Checkpoint
def write_epoch(epoch):
    def write(folder):
        (folder / "weights.bin").write_bytes(bytes([epoch]) * 1000)
        (folder / "optimizer.bin").write_bytes(bytes([epoch]) * 500)
    return write
checkpoint = Checkpoint({folder!r}, "run-a")
for epoch in (1, 2):
    checkpoint.save({{"epochs_done": epoch}}, write_epoch(epoch))
"""


@pytest.mark.parametrize("phase, survivor", [("begin", 1), ("written", 1), ("switched", 2)])
def test_kill_inside_a_save_leaves_one_whole_epoch(tmp_path, phase, survivor):
    """The pause hook holds step 2's save at ``phase``; the kill lands there on purpose."""
    pauses, folder = tmp_path / "pauses", tmp_path / "ckpt"
    pauses.mkdir()
    code = SAVER.format(folder=str(folder))
    job = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, PAUSE_VARIABLE: str(pauses)},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert drive(job, pauses, (2, phase, "SIGKILL")), job.stdout.read()
    finally:
        job.kill()
        job.wait()
    folder_, state = Checkpoint(folder, "run-a").load()
    assert state == {"epochs_done": survivor}
    assert contents(folder_) == {"weights.bin": {survivor}, "optimizer.bin": {survivor}}


def test_debris_of_a_first_save_is_no_checkpoint(tmp_path, capsys):
    (tmp_path / "ckpt" / "step-000001").mkdir(parents=True)
    (tmp_path / "ckpt" / "step-000001" / "weights.bin").write_bytes(b"half")
    assert Checkpoint(tmp_path / "ckpt", "run-a").load() is None
    assert capsys.readouterr().out == ""
    Checkpoint(tmp_path / "ckpt", "run-a").save({"epochs_done": 1}, write_epoch(1))
    assert Checkpoint(tmp_path / "ckpt", "run-a").load()[1] == {"epochs_done": 1}


keras = pytest.importorskip("keras")


def variables():
    return [keras.Variable(np.zeros((2, 3), "float32")), keras.Variable(np.zeros((), "int64")),
            keras.Variable(np.zeros((2,), "uint32"), trainable=False)]


def test_variables_round_trip(tmp_path):
    source = variables()
    for i, variable in enumerate(source):
        variable.assign(np.full(variable.shape, i + 1, variable.dtype))
    save_variables(tmp_path / "v.npz", source)
    target = variables()
    restore_variables(tmp_path / "v.npz", target)
    for a, b in zip(source, target):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert a.dtype == b.dtype


@pytest.mark.parametrize("other, reason", [
    (lambda: variables()[:2], "3 arrays for 2 variables"),
    (lambda: [keras.Variable(np.zeros((3, 2), "float32")), *variables()[1:]], "array 0 is float32[2, 3]"),
])
def test_restoring_into_other_variables_is_refused(tmp_path, other, reason):
    save_variables(tmp_path / "v.npz", variables())
    with pytest.raises(CheckpointDamaged, match=reason.replace("[", r"\[").replace("]", r"\]")):
        restore_variables(tmp_path / "v.npz", other())


def test_truncated_variables_file_makes_load_report_damage(tmp_path, capsys):
    checkpoint = Checkpoint(tmp_path / "ckpt", "run-a")
    checkpoint.save({"epochs_done": 1}, lambda folder: save_variables(folder / "v.npz", variables()))
    path = checkpoint.latest / "v.npz"
    path.write_bytes(path.read_bytes()[:100])
    # re-record the hash, as if the file had been cut before it was hashed: the reader must notice
    record = json.loads((checkpoint.latest / "state.json").read_text())
    record["files"]["v.npz"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (checkpoint.latest / "state.json").write_text(json.dumps(record))
    target = variables()
    assert Checkpoint(tmp_path / "ckpt", "run-a").load(read=lambda f: restore_variables(f / "v.npz", target)) is None
    line = capsys.readouterr().out.strip()
    assert "is damaged (v.npz cannot be read" in line and "\n" not in line
