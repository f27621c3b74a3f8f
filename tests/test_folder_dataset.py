"""A folder of images as a dataset: mixed good and bad files (bad ones named, good ones kept), labels
from subfolders, centre crop + resize, archives from a local HTTP server pinned by sha256."""

import hashlib
import io
import logging
import tarfile
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image

from arithgen.data.datasets import preprocess_dataset
from arithgen.data.download import DownloadError, fetch_archive
from arithgen.data.folder import archive_path, class_folders, decode_images, square_image


def image_bytes(size, mode="RGB", color=(200, 30, 30), fmt="PNG"):
    stream = io.BytesIO()
    Image.new(mode, size, color if mode != "L" else color[0]).save(stream, format=fmt)
    return stream.getvalue()


# Two classes in subfolders; a corrupt jpg, a tiny png, a text file that is not an image at all.
FILES = {
    "cats/a.png": image_bytes((40, 30)),
    "cats/b.jpg": image_bytes((64, 64), fmt="JPEG"),
    "cats/c.webp": image_bytes((50, 80), fmt="WEBP"),
    "cats/broken.jpg": b"\xff\xd8 this is not a jpeg",
    "dogs/d.png": image_bytes((30, 30), mode="L", color=(90, 0, 0)),
    "dogs/e.png": image_bytes((33, 47), mode="RGBA", color=(0, 0, 255, 255)),
    "dogs/tiny.png": image_bytes((3, 3)),
    "dogs/notes.txt": b"not an image",
}
GOOD = {"cats/a.png", "cats/b.jpg", "cats/c.webp", "dogs/d.png", "dogs/e.png"}


def write_folder(root, files=FILES):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def spec(**changes):
    return {"source": "folder", "test_fraction": 0.2, "image_size": 16, "channels": 3, **changes}


def test_bad_files_are_skipped_by_name_and_good_ones_kept(tmp_path, caplog):
    folder = write_folder(tmp_path / "photos")
    with caplog.at_level(logging.WARNING):
        arrays, provenance = preprocess_dataset(spec(path=str(folder)), None, seed=0, name="photos")
    assert len(arrays["x_train"]) + len(arrays["x_test"]) == len(GOOD)
    assert arrays["x_train"].shape[1:] == (16, 16, 3) and arrays["x_train"].dtype == np.uint8
    skipped = {entry["name"]: entry["reason"] for entry in provenance["skipped"]}
    assert set(skipped) == {"cats/broken.jpg", "dogs/tiny.png"}
    assert skipped["cats/broken.jpg"].startswith("unreadable")
    assert skipped["dogs/tiny.png"] == "too small: 3x3 px, expected at least 8 px a side"
    warning = " ".join(record.getMessage() for record in caplog.records)
    assert "skipped 2 of 7 image files" in warning and "cats/broken.jpg" in warning and "dogs/tiny.png" in warning
    assert provenance["class_names"] == ["cats", "dogs"]
    assert provenance["counts"]["train"] and provenance["image_shape"] == [16, 16, 3]
    assert len(provenance["content_sha256"]) == 64


def test_labels_come_from_first_level_folders_after_a_common_root():
    names, labels = class_folders(["top/cats/a.png", "top/dogs/b.png", "top/cats/sub/c.png"])
    assert names == ["cats", "dogs"] and labels.tolist() == [0, 1, 0]
    assert class_folders(["a.png", "cats/b.png"])[0] is None  # an image outside any class folder: unlabelled
    assert class_folders(["only/a.png", "only/b.png"])[0] is None  # a single folder is no class


def test_centre_crop_keeps_the_middle_and_converts_channels():
    picture = np.zeros((20, 40, 3), np.uint8)
    picture[:, 10:30] = 255  # a white square in the middle of a wide black image
    square = square_image(Image.fromarray(picture), 20, channels=1)
    assert square.shape == (20, 20) and square.min() == 255
    rgb = square_image(Image.new("L", (8, 8), 77), 4, channels=3)
    assert rgb.shape == (4, 4, 3) and (rgb == 77).all()
    # Transparent pixels are laid on white.
    clear = square_image(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), 8, channels=3)
    assert (clear == 255).all()


def test_split_is_seeded_and_every_image_lands_once(tmp_path):
    files = {f"x/{i}.png": image_bytes((10, 10), color=(i, i, i)) for i in range(30)}
    folder = write_folder(tmp_path / "photos", files)
    first, _ = preprocess_dataset(spec(path=str(folder), channels=1), None, seed=3)
    again, _ = preprocess_dataset(spec(path=str(folder), channels=1), None, seed=3)
    for key in first:
        np.testing.assert_array_equal(first[key], again[key])
    assert len(first["x_test"]) == 6 and first["x_train"].shape == (24, 16, 16)
    values = sorted(int(v) for v in np.concatenate([first["x_train"], first["x_test"]])[:, 0, 0])
    assert values == list(range(30))


def test_no_usable_image_is_one_clear_error(tmp_path):
    folder = write_folder(tmp_path / "bad", {"a.jpg": b"junk", "b.png": image_bytes((2, 2))})
    with pytest.raises(ValueError, match=r"no usable images in .*bad: 2 jpg/png/webp files found, 2 skipped"):
        preprocess_dataset(spec(path=str(folder)), None, seed=0)


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="image folder .*nowhere does not exist"):
        preprocess_dataset(spec(path=str(tmp_path / "nowhere")), None, seed=0)


def test_decode_keeps_files_in_the_given_order():
    names, images, skipped = decode_images({"b.png": image_bytes((9, 9)), "a.png": image_bytes((12, 8))}, 8, 1)
    assert names == ["b.png", "a.png"] and images.shape == (2, 8, 8) and skipped == []


def zip_of(files):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"photos/{name}", data)
    return stream.getvalue()


@pytest.fixture
def http_site(monkeypatch):
    """Serve ``{name: bytes}`` on 127.0.0.1; return the base URL."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    servers = []

    def start(site):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                page = site.get(self.path.lstrip("/"))
                if page is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_archive_from_a_url_is_fetched_verified_and_read_in_place(tmp_path, http_site):
    archive = zip_of(FILES)
    base = http_site({"photos.zip": archive})
    raw_dir = tmp_path / "resources" / "photos"
    sha = hashlib.sha256(archive).hexdigest()
    provenance = fetch_archive(f"{base}/photos.zip", sha, archive_path(raw_dir))
    assert provenance == {"name": "photos.zip", "sha256": sha, "url": f"{base}/photos.zip"}
    arrays, described = preprocess_dataset(spec(url=f"{base}/photos.zip", sha256=sha), raw_dir, seed=0, name="photos")
    assert len(arrays["y_train"]) + len(arrays["y_test"]) == len(GOOD)
    assert described["files"] == {"archive": {"name": "photos.zip", "sha256": sha}}
    assert described["class_names"] == ["cats", "dogs"]  # the archive's common top folder is dropped


def test_archive_with_a_wrong_checksum_is_refused_and_not_kept(tmp_path, http_site):
    base = http_site({"photos.zip": zip_of(FILES)})
    target = tmp_path / "photos.archive"
    with pytest.raises(DownloadError, match=r"sha256 mismatch.*put the file as downloaded at .*photos\.archive"):
        fetch_archive(f"{base}/photos.zip", "0" * 64, target)
    assert not target.exists()
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch_archive(f"{base}/missing.zip", "0" * 64, target)


def test_tar_archives_are_read_too(tmp_path):
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        for name in ("cats/a.png", "dogs/d.png"):
            info = tarfile.TarInfo(name)
            info.size = len(FILES[name])
            archive.addfile(info, io.BytesIO(FILES[name]))
    raw_dir = tmp_path / "photos"
    archive_path(raw_dir).write_bytes(stream.getvalue())
    sha = hashlib.sha256(stream.getvalue()).hexdigest()
    arrays, _ = preprocess_dataset(spec(url="http://example.invalid/p.tgz", sha256=sha, test_fraction=0.5), raw_dir, 0)
    assert len(arrays["y_train"]) + len(arrays["y_test"]) == 2
