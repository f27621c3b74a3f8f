"""A training run's state on disk, one epoch at a time: complete or absent, never mixed.

Layout of a checkpoint folder::

    current              {"step": 4, "folder": "step-000004"}  -- the pointer, replaced by one rename
    step-000004/         the files one ``write(folder)`` made, plus
    step-000004/state.json   {"run_id", "state", "files": {name: sha256}}

``save`` writes a fresh step folder, then switches ``current`` to it, then removes everything
else. A job killed at any moment leaves either the old step or the new one behind ``current``;
a step folder that ``current`` does not name is debris and is never read.

Fault injection (tests only): with ``ARITHGEN_CHECKPOINT_PAUSE`` set to a folder, ``save``
stops at each of its phases -- ``begin`` (nothing written yet), ``written`` (the new step's files
are complete, the pointer still names the old step), ``switched`` (the pointer names the new
step, the old one is not yet removed) -- creates ``<step>.<phase>`` there (e.g. ``000004.written``),
and waits until ``<step>.<phase>.go`` appears. A test kills the job there on purpose, or lets it
go on; nothing depends on timing.
"""

import hashlib
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np

from arithgen.io import atomic_path

PAUSE_VARIABLE = "ARITHGEN_CHECKPOINT_PAUSE"
POINTER, STATE = "current", "state.json"


class CheckpointDamaged(ValueError):
    """A checkpoint that cannot be read back as it was written (truncated, edited, other shapes)."""


def fingerprint(*parts):
    """A short hash of everything that defines a training run: a checkpoint of another configuration is never
    resumed."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path):
    """Flush a file's (or a folder's entries') data to disk, so a power cut cannot reorder the rename."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_record(path, keys):
    """A JSON object with ``keys``, or CheckpointDamaged naming the file and what is wrong."""
    try:
        record = json.loads(path.read_text())
    except FileNotFoundError as error:
        raise CheckpointDamaged(f"{path.name} is missing") from error
    except ValueError as error:
        raise CheckpointDamaged(f"{path.name} is not valid JSON: {error}") from error
    missing = [key for key in keys if not isinstance(record, dict) or key not in record]
    if missing:
        raise CheckpointDamaged(f"{path.name} lacks {', '.join(missing)}")
    return record


def _pause(step, phase):
    """The fault-injection hook: announce ``phase`` of ``step`` and wait for the go-ahead."""
    folder = os.environ.get(PAUSE_VARIABLE)
    if not folder:
        return
    marker = Path(folder) / f"{step:06d}.{phase}"
    with atomic_path(marker) as tmp:
        tmp.write_text(f"{os.getpid()}\n")
    go = marker.with_name(marker.name + ".go")
    while not go.exists():
        time.sleep(0.005)


class Checkpoint:
    """A training run's state in `folder`: one epoch's files are complete or absent, never mixed.

    ``run_id``: a fingerprint of everything that defines the run (``training.fingerprint``); a
    checkpoint written by another run is never resumed.
    """

    def __init__(self, folder, run_id):
        self.folder, self.run_id = Path(folder), run_id
        self.latest = None  # the step folder of the state last loaded or saved

    def load(self, read=None):
        """(folder holding the newest complete epoch's files, its state dict), or None when there is no
        checkpoint, it belongs to another run (run_id differs), or it is damaged (then print ONE line saying
        why and clear it). ``read(folder)``, optional: restores from the files (e.g. ``restore_variables``);
        a ``CheckpointDamaged`` (or OSError, ValueError) it raises counts as damage too."""
        self.latest = None
        pointer = self.folder / POINTER
        if not pointer.exists():
            if self.folder.exists():  # only debris of a save that never switched the pointer
                self.clear()
            return None
        try:
            step_folder, record = self._verified(pointer)
            if record["run_id"] != self.run_id:
                print(f"checkpoint {self.folder} belongs to another run (fingerprint {record['run_id']}, "
                      f"this run is {self.run_id}); training starts from scratch", flush=True)
                self.clear()
                return None
            if read is not None:
                read(step_folder)
        except (CheckpointDamaged, OSError, ValueError, KeyError, TypeError) as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            print(f"checkpoint {self.folder} is damaged ({reason}); training starts from scratch", flush=True)
            self.clear()
            return None
        self.latest = step_folder
        return step_folder, record["state"]

    def _verified(self, pointer):
        """(step folder, its state record) after checking every file against its recorded hash."""
        target = _read_record(pointer, ("step", "folder"))
        step_folder = self.folder / str(target["folder"])
        record = _read_record(step_folder / STATE, ("run_id", "step", "files", "state"))
        if record.get("step") != target["step"]:
            raise CheckpointDamaged(f"{STATE} is of step {record.get('step')}, the pointer names {target['step']}")
        for name, digest in record["files"].items():
            if not (step_folder / name).exists():
                raise CheckpointDamaged(f"{name} is missing")
            if _sha256(step_folder / name) != digest:
                raise CheckpointDamaged(f"{name} differs from what was written (truncated or edited)")
        return step_folder, record

    def _step(self):
        try:
            return int(json.loads((self.folder / POINTER).read_text())["step"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def save(self, state, write):
        """write(folder) writes the epoch's files into a fresh folder; state (JSON-able) goes beside them;
        then ONE rename switches the pointer to it; then older epochs are removed."""
        step = self._step() + 1
        name = f"step-{step:06d}"
        new = self.folder / name
        _pause(step, "begin")
        shutil.rmtree(new, ignore_errors=True)  # debris of a save killed before its switch
        new.mkdir(parents=True)
        write(new)
        files = {path.name: _sha256(path) for path in sorted(new.iterdir()) if path.name != STATE}
        record = {"run_id": self.run_id, "step": step, "files": files, "state": state}
        (new / STATE).write_text(json.dumps(record, indent=1) + "\n")
        for path in new.iterdir():
            _fsync(path)
        _fsync(new)
        _pause(step, "written")
        with atomic_path(self.folder / POINTER) as tmp:
            tmp.write_text(json.dumps({"step": step, "folder": name}) + "\n")
        _fsync(self.folder)
        self.latest = new
        _pause(step, "switched")
        for path in self.folder.iterdir():
            if path.name not in (POINTER, name):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def clear(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def save_variables(path, variables):
    """Write the values of keras Variables (weights, optimizer slots, seed-generator states), in
    order, to the npz file ``path``, atomically."""
    arrays = {f"v{i:05d}": np.asarray(v.numpy() if hasattr(v, "numpy") else v) for i, v in enumerate(variables)}
    with atomic_path(path) as tmp, open(tmp, "wb") as stream:
        np.savez(stream, **arrays)


def restore_variables(path, variables):
    """Assign the arrays ``save_variables`` wrote to ``path`` back to ``variables``, in order.

    Raises ``CheckpointDamaged`` when the file cannot be read, or when the count or a shape or
    dtype differs (a checkpoint of another model)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = [stored[key] for key in sorted(stored.files)]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:  # e.g. a truncated archive
        raise CheckpointDamaged(f"{Path(path).name} cannot be read: {type(error).__name__}: {error}") from error
    variables = list(variables)
    if len(arrays) != len(variables):
        raise CheckpointDamaged(f"{Path(path).name} holds {len(arrays)} arrays for {len(variables)} variables")
    for i, (array, variable) in enumerate(zip(arrays, variables)):
        shape = tuple(variable.shape)
        if array.shape != shape or array.dtype != np.dtype(variable.dtype):
            raise CheckpointDamaged(f"{Path(path).name}: array {i} is {array.dtype}{list(array.shape)}, "
                                    f"variable {getattr(variable, 'path', i)} is {variable.dtype}{list(shape)}")
    for array, variable in zip(arrays, variables):
        variable.assign(array)
