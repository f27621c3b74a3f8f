"""IDX files, the format MNIST and Fashion-MNIST ship in.

Layout: two zero bytes, a type code, the number of dimensions, one big-endian uint32 per
dimension, then the values in C order, big-endian. Files here are always uncompressed: the
downloader stores the decompressed bytes, because those are what the checksums pin.
"""

import struct
from pathlib import Path

import numpy as np

from arithgen.io import atomic_path

# Type code -> big-endian dtype, from the format's definition on the MNIST page.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dtype.newbyteorder("="): code for code, dtype in IDX_DTYPES.items()}


def decode_idx(data, source="<bytes>"):
    """Parse IDX ``data`` (bytes) into a native-endian array of the shape its header states.

    ``source`` names the data in error messages. A bad magic number, a short header or a
    payload of the wrong length raises a one-line ValueError.
    """
    data = memoryview(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_DTYPES:
        raise ValueError(f"{source}: not an IDX file (magic bytes {bytes(data[:4]).hex() or 'missing'})")
    dtype, ndim = IDX_DTYPES[data[2]], data[3]
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{source}: truncated IDX file: header needs {header_size} bytes, file has {len(data)}")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    expected = header_size + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        problem = "truncated IDX file" if len(data) < expected else "IDX file has trailing bytes"
        raise ValueError(f"{source}: {problem}: shape {shape} needs {expected} bytes, file has {len(data)}")
    values = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def encode_idx(array):
    """Return the IDX bytes of ``array`` (any shape; uint8, int8, int16, int32, float32 or float64)."""
    array = np.asarray(array)
    code = _CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise ValueError(f"IDX cannot store dtype {array.dtype}")
    if array.ndim > 255:
        raise ValueError(f"IDX cannot store {array.ndim} dimensions")
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()


def read_idx(path):
    """Read an uncompressed IDX file; see ``decode_idx`` for the array and the errors."""
    path = Path(path)
    return decode_idx(path.read_bytes(), source=str(path))


def write_idx(array, path):
    """Write ``array`` as an uncompressed IDX file, atomically."""
    payload = encode_idx(array)
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
