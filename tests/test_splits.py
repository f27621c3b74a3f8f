import numpy as np
import pytest

from arithgen.data.splits import save_split, split_indices, split_sizes

COUNT = 2_000_000
FRACTIONS = (0.001, 0.01, 0.05)


@pytest.fixture(scope="module")
def splits():
    """(fraction, run seed) -> split of the default query space (validation 10%, at most 2,000)."""
    return {(f, s): split_indices(COUNT, f, 0.1, 2000, 50_000, test_seed=42, run_seed=s)
            for f in FRACTIONS for s in (1, 2)}


def test_labelled_queries_are_the_fraction_with_validation_inside(splits):
    for (fraction, _), split in splits.items():
        train, val, test = (set(split[k].tolist()) for k in ("train", "validation", "test"))
        assert not (train & val) and not (train & test) and not (val & test)
        labelled = round(fraction * COUNT)
        assert len(train) + len(val) == labelled
        assert len(val) == min(2000, round(0.1 * labelled)) and len(test) == 50_000
        assert split_sizes(split) == {"n_labelled": labelled, "n_train": labelled - len(val), "n_val": len(val)}
    assert len(splits[0.001, 1]["validation"]) == 200 and len(splits[0.05, 1]["validation"]) == 2000


def test_test_set_is_the_same_for_every_fraction_and_seed(splits):
    tests = [split["test"] for split in splits.values()]
    assert all(np.array_equal(tests[0], test) for test in tests[1:])


def test_the_run_seed_chooses_the_labelled_queries(splits):
    one, two = splits[0.01, 1], splits[0.01, 2]
    labelled = [set(np.concatenate([s["train"], s["validation"]]).tolist()) for s in (one, two)]
    assert len(labelled[0] & labelled[1]) < 0.05 * len(labelled[0])  # other queries, not a reshuffle
    again = split_indices(COUNT, 0.01, 0.1, 2000, 50_000, test_seed=42, run_seed=1)
    assert all(np.array_equal(one[k], again[k]) for k in one)


def test_fractions_nest_for_one_seed(splits):
    for seed in (1, 2):
        for small, large in zip(FRACTIONS, FRACTIONS[1:]):
            inner = np.concatenate([splits[small, seed]["train"], splits[small, seed]["validation"]])
            outer = np.concatenate([splits[large, seed]["train"], splits[large, seed]["validation"]])
            assert np.array_equal(inner, outer[:len(inner)])  # a prefix of the larger fraction's


def test_eval_all_takes_every_other_query():
    split = split_indices(1000, 0.2, 0.1, 2000, "all", test_seed=0, run_seed=1)
    assert len(split["test"]) == 800 and len(split["validation"]) == 20
    assert len(np.unique(np.concatenate(list(split.values())))) == 1000


def test_impossible_requests_are_explained():
    with pytest.raises(ValueError, match="outside"):
        split_indices(1000, 1.5, 0.1, 10, 100, test_seed=0, run_seed=1)
    with pytest.raises(ValueError, match="validation_fraction 0.999 gives 100 validation queries of the 100 "
                                         "labelled at train fraction 0.1"):
        split_indices(1000, 0.1, 0.999, 2000, 100, test_seed=0, run_seed=1)
    with pytest.raises(ValueError, match="gives 0 validation queries"):
        split_indices(1000, 0.01, 0.01, 2000, 100, test_seed=0, run_seed=1)
    with pytest.raises(ValueError, match="eval_size 950 overlaps"):
        split_indices(1000, 0.1, 0.1, 10, 950, test_seed=0, run_seed=1)


def test_save_split_writes_indices(tmp_path):
    settings = {"max_int": 9, "operators": ["+"], "validation_fraction": 0.1, "max_validation": 2000,
                "eval_size": 20}
    save_split(settings, 0.5, 0, 1, tmp_path / "split.npz")
    stored = np.load(tmp_path / "split.npz")
    assert len(stored["train"]) == 45 and len(stored["validation"]) == 5 and stored["train"].dtype == np.int64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split.npz"]
