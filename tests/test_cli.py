"""The command line a user runs: ``python -m arithgen predict --model ... QUERY...``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from arithgen.__main__ import native_info_dropped

ROOT = Path(__file__).resolve().parents[1]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "arithgen", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.mark.parametrize("model,says", [("README.md", "README.md is not a Keras model file (.keras zip)"),
                                        ("no/such/model.keras", "no model file at no/such/model.keras")])
def test_a_file_that_is_not_a_model_gets_one_line(model, says):
    result = cli("predict", "--model", model, "1+1")
    last = result.stderr.strip().splitlines()[-1]
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert last.startswith("arithgen: error: ") and says in last
    assert "expected results/text2text/" in last


def test_an_answering_call_prints_no_tensorflow_banner(tmp_path):
    keras = pytest.importorskip("keras")  # noqa: F841 -- the model below needs it
    from arithgen.models.seq2seq import CLASSIC, build_text2text
    from arithgen.predict import answer_queries

    model = build_text2text(7, 4, {**CLASSIC, "units": 8})
    model.save(tmp_path / "m.keras")
    result = cli("predict", "--model", str(tmp_path / "m.keras"), "181+24", "3-4")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == answer_queries(model, ["181+24", "3-4"])
    assert "oneDNN" not in result.stderr and "absl::InitializeLog" not in result.stderr


def test_native_warnings_still_show_when_info_is_dropped(capfd):
    with native_info_dropped():
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                    b"I0000 00:00:1.0 1 port.cc:153] oneDNN custom operations are on.\n"
                    b"W0000 00:00:1.0 1 gpu.cc:1] a real warning\n")
    assert capfd.readouterr().err == "W0000 00:00:1.0 1 gpu.cc:1] a real warning\n"
