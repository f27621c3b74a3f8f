import numpy as np
import pytest

from arithgen.data.idx import decode_idx, encode_idx, read_idx, write_idx


def test_images_round_trip_through_a_file(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, size=(10, 28, 28), dtype=np.uint8)
    path = tmp_path / "train-images-idx3-ubyte"
    write_idx(images, path)
    back = read_idx(path)
    assert back.dtype == np.uint8 and back.shape == (10, 28, 28)
    np.testing.assert_array_equal(back, images)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left beside it


def test_header_is_the_mnist_layout(tmp_path):
    labels = np.array([7, 2, 1], dtype=np.uint8)
    path = tmp_path / "labels"
    write_idx(labels, path)
    # magic 0x00000801 (uint8, one dimension), count 3 big-endian, then the bytes.
    assert path.read_bytes() == bytes.fromhex("00000801" "00000003") + bytes([7, 2, 1])


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.float32, np.float64, ">i4"])
def test_wider_types_round_trip_in_native_byte_order(dtype):
    values = (np.arange(24).reshape(2, 3, 4) - 12).astype(dtype)
    back = decode_idx(encode_idx(values))
    assert back.dtype.isnative
    np.testing.assert_array_equal(back, values)


def test_bad_magic_names_the_file(tmp_path):
    path = tmp_path / "not-idx.bin"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(20))  # a gzip header: a classic mistake
    with pytest.raises(ValueError, match=r"not-idx\.bin: not an IDX file") as caught:
        read_idx(path)
    assert "\n" not in str(caught.value)


def test_truncated_payload_names_the_file(tmp_path):
    path = tmp_path / "cut-images"
    write_idx(np.zeros((10, 28, 28), np.uint8), path)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match=r"cut-images: truncated IDX file: shape \(10, 28, 28\)") as caught:
        read_idx(path)
    assert "\n" not in str(caught.value)


def test_truncated_header_names_the_file(tmp_path):
    path = tmp_path / "cut-header"
    path.write_bytes(bytes.fromhex("00000803" "0000000a"))  # three dimensions promised, one given
    with pytest.raises(ValueError, match=r"cut-header: truncated IDX file: header"):
        read_idx(path)


def test_trailing_bytes_are_refused():
    with pytest.raises(ValueError, match="trailing bytes"):
        decode_idx(encode_idx(np.zeros(3, np.uint8)) + b"\x00")


def test_unsupported_dtype_is_refused():
    with pytest.raises(ValueError, match="cannot store dtype bool"):
        encode_idx(np.zeros(3, bool))
