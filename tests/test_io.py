import os

import pytest

from arithgen.io import atomic_path, read_json, write_json


def test_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "metrics.json"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("job died")
    assert list(tmp_path.iterdir()) == []


def test_successful_write_replaces_and_is_readable_by_others(tmp_path):
    target = tmp_path / "sub" / "metrics.json"
    write_json({"a": 1}, target)
    write_json({"a": 2}, target)
    assert read_json(target) == {"a": 2}
    assert os.stat(target).st_mode & 0o044  # group/other can read, unlike mkstemp's default
    assert [p.name for p in target.parent.iterdir()] == ["metrics.json"]
