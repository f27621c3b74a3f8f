import numpy as np
import pytest

from arithgen.data.splits import save_split, split_indices

COUNT = 2_000_000


@pytest.fixture(scope="module")
def splits():
    return {f: split_indices(COUNT, f, 2000, 50_000, seed=3) for f in (0.01, 0.05)}


def test_parts_are_disjoint_and_sized(splits):
    for fraction, split in splits.items():
        train, val, test = (set(split[k].tolist()) for k in ("train", "validation", "test"))
        assert not (train & val) and not (train & test) and not (val & test)
        assert len(train) + len(val) == round(fraction * COUNT)
        assert len(val) == 2000 and len(test) == 50_000


def test_same_seed_same_split_other_seed_other_split():
    a = split_indices(10_000, 0.1, 50, 500, seed=1)
    b = split_indices(10_000, 0.1, 50, 500, seed=1)
    c = split_indices(10_000, 0.1, 50, 500, seed=2)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["train"], c["train"])


def test_fractions_share_the_test_set_and_nest(splits):
    small, large = splits[0.01], splits[0.05]
    assert np.array_equal(small["test"], large["test"])
    assert set(small["train"].tolist()) <= set(large["train"].tolist()) | set(large["validation"].tolist())


def test_eval_all_takes_every_other_query():
    split = split_indices(1000, 0.2, 10, "all", seed=0)
    assert len(split["test"]) == 800
    assert len(np.unique(np.concatenate(list(split.values())))) == 1000


def test_impossible_requests_are_explained():
    with pytest.raises(ValueError, match="outside"):
        split_indices(1000, 1.5, 10, 100, seed=0)
    with pytest.raises(ValueError, match="validation_size 200 leaves no training"):
        split_indices(1000, 0.1, 200, 100, seed=0)
    with pytest.raises(ValueError, match="eval_size 950 overlaps"):
        split_indices(1000, 0.1, 10, 950, seed=0)


def test_save_split_writes_indices(tmp_path):
    settings = {"max_int": 9, "operators": ["+"], "validation_size": 5, "eval_size": 20}
    save_split(settings, 0.5, 0, tmp_path / "split.npz")
    stored = np.load(tmp_path / "split.npz")
    assert len(stored["train"]) == 45 and stored["train"].dtype == np.int64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split.npz"]
