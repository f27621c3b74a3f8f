"""fetch_files against real HTTP servers on 127.0.0.1 and file:// mirrors made by each test."""

import gzip
import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from arithgen.data.download import DownloadError, fetch_files, sha256_of, stored_name
from arithgen.data.idx import encode_idx, read_idx

IMAGES = np.random.default_rng(1).integers(0, 256, size=(10, 28, 28), dtype=np.uint8)
LABELS = np.arange(10, dtype=np.uint8)
IMAGES_IDX, LABELS_IDX = encode_idx(IMAGES), encode_idx(LABELS)
IMAGES_GZ = "train-images-idx3-ubyte.gz"
LABELS_GZ = "train-labels-idx1-ubyte.gz"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


FILES = {
    "train_images": {"name": IMAGES_GZ, "sha256": sha256(IMAGES_IDX)},
    "train_labels": {"name": LABELS_GZ, "sha256": sha256(LABELS_IDX)},
}
GOOD_SITE = {IMAGES_GZ: gzip.compress(IMAGES_IDX, mtime=0), LABELS_GZ: gzip.compress(LABELS_IDX, mtime=0)}


@dataclass
class Cut:
    """A response that announces ``declared`` bytes, sends ``body`` and hangs up."""
    body: bytes
    declared: int


@dataclass
class Slow:
    """A response that arrives only after ``delay`` seconds."""
    body: bytes
    delay: float


@dataclass
class Mirror:
    url: str
    requests: list = field(default_factory=list)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # A proxy from the environment would turn requests to 127.0.0.1 into requests elsewhere.
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def serve():
    """Start an HTTP server on 127.0.0.1 serving ``{file name: page}`` under /data/; return its Mirror.

    A page is bytes, a Cut or a Slow; names not in the dict answer 404. Every server is shut
    down when the test ends.
    """
    running = []

    def start(site):
        mirror = Mirror(url="")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                mirror.requests.append(self.path)
                page = site.get(self.path.removeprefix("/data/"))
                if page is None:
                    self.send_error(404)
                    return
                if isinstance(page, Slow):
                    time.sleep(page.delay)
                    page = page.body
                body, declared = (page.body, page.declared) if isinstance(page, Cut) else (page, len(page))
                self.send_response(200)
                self.send_header("Content-Length", str(declared))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = False  # so server_close() waits for every handler to finish
        # A short poll interval: shutdown() waits for one poll, and tests start many servers.
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        running.append((server, thread))
        mirror.url = f"http://127.0.0.1:{server.server_port}/data/"
        return mirror

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()


def listing(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_good_mirror_stores_the_decompressed_files(serve, tmp_path):
    mirror = serve(GOOD_SITE)
    provenance = fetch_files(FILES, [mirror.url], tmp_path)
    assert listing(tmp_path) == ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
    np.testing.assert_array_equal(read_idx(tmp_path / "train-images-idx3-ubyte"), IMAGES)
    assert provenance["train_images"] == {"name": IMAGES_GZ, "path": str(tmp_path / "train-images-idx3-ubyte"),
                                          "sha256": FILES["train_images"]["sha256"], "mirror": mirror.url}
    assert sha256_of(provenance["train_labels"]["path"]) == FILES["train_labels"]["sha256"]


def test_404_falls_back_to_the_next_mirror(serve, tmp_path):
    empty, good = serve({}), serve(GOOD_SITE)
    provenance = fetch_files(FILES, [empty.url, good.url], tmp_path)
    assert {entry["mirror"] for entry in provenance.values()} == {good.url}
    assert empty.requests == ["/data/" + IMAGES_GZ, "/data/" + LABELS_GZ]
    assert listing(tmp_path) == ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]


def closed_port():
    """A port on 127.0.0.1 that nothing listens on, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_mirror_falls_back_to_the_next(serve, tmp_path):
    refused, good = f"http://127.0.0.1:{closed_port()}/data/", serve(GOOD_SITE)
    provenance = fetch_files(FILES, [refused, good.url], tmp_path, timeout=5)
    assert provenance["train_images"]["mirror"] == good.url


def test_unreachable_mirror_is_reported(tmp_path):
    refused = f"http://127.0.0.1:{closed_port()}/data/"
    with pytest.raises(DownloadError, match=f"{refused}{IMAGES_GZ}: unreachable: Connection refused"):
        fetch_files(FILES, [refused], tmp_path, timeout=5)


def test_truncated_gzip_leaves_nothing_and_is_reported(serve, tmp_path):
    cut = serve({IMAGES_GZ: GOOD_SITE[IMAGES_GZ][:-40]})
    with pytest.raises(DownloadError, match="truncated gzip"):
        fetch_files({"train_images": FILES["train_images"]}, [cut.url], tmp_path)
    assert listing(tmp_path) == []


def test_truncated_gzip_falls_back_to_a_good_mirror(serve, tmp_path):
    cut, good = serve({IMAGES_GZ: GOOD_SITE[IMAGES_GZ][:-40]}), serve(GOOD_SITE)
    provenance = fetch_files({"train_images": FILES["train_images"]}, [cut.url, good.url], tmp_path)
    assert provenance["train_images"]["mirror"] == good.url
    assert listing(tmp_path) == ["train-images-idx3-ubyte"]


def test_connection_closed_early_is_a_truncated_download(serve, tmp_path):
    # An uncompressed file: nothing but the announced length can tell that bytes are missing.
    body = IMAGES_IDX[:1000]
    cut = serve({"images.idx": Cut(body, declared=len(IMAGES_IDX))})
    files = {"images": {"name": "images.idx", "sha256": sha256(IMAGES_IDX)}}
    with pytest.raises(DownloadError, match=f"truncated download: connection closed {len(IMAGES_IDX) - 1000} bytes"):
        fetch_files(files, [cut.url], tmp_path)
    assert listing(tmp_path) == []


def test_corrupt_gzip_is_reported(serve, tmp_path):
    bad = serve({IMAGES_GZ: b"<html>mirror moved</html>"})
    with pytest.raises(DownloadError, match="corrupt gzip"):
        fetch_files({"train_images": FILES["train_images"]}, [bad.url], tmp_path)
    assert listing(tmp_path) == []


def test_slow_mirror_times_out(serve, tmp_path):
    slow = serve({IMAGES_GZ: Slow(GOOD_SITE[IMAGES_GZ], delay=0.6)})
    with pytest.raises(DownloadError, match=r"timed out after 0.2 s"):
        fetch_files({"train_images": FILES["train_images"]}, [slow.url], tmp_path, timeout=0.2)
    assert listing(tmp_path) == []


def test_wrong_checksum_everywhere_names_file_mirrors_and_the_manual_fix(serve, tmp_path):
    first, second = serve(GOOD_SITE), serve(GOOD_SITE)
    wrong = "0" * 64
    dest = tmp_path / "raw"
    with pytest.raises(DownloadError) as caught:
        fetch_files({"train_images": {"name": IMAGES_GZ, "sha256": wrong}}, [first.url, second.url], dest)
    message = str(caught.value)
    assert "train_images" in message and IMAGES_GZ in message
    for mirror in (first, second):
        assert f"{mirror.url}{IMAGES_GZ}: sha256 mismatch: got {sha256(IMAGES_IDX)}, expected {wrong}" in message
    assert f"put the decompressed file at {dest.resolve() / 'train-images-idx3-ubyte'}" in message
    assert f"its sha256 must be {wrong}" in message
    assert listing(dest) == []


def test_every_failure_reason_is_listed(serve, tmp_path):
    empty, cut = serve({}), serve({IMAGES_GZ: GOOD_SITE[IMAGES_GZ][:-40]})
    with pytest.raises(DownloadError) as caught:
        fetch_files({"train_images": FILES["train_images"]}, [empty.url, cut.url], tmp_path)
    assert f"{empty.url}{IMAGES_GZ}: HTTP 404" in str(caught.value)
    assert f"{cut.url}{IMAGES_GZ}: truncated gzip" in str(caught.value)


def test_file_mirror(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name, payload in GOOD_SITE.items():
        (site / name).write_bytes(payload)
    mirror = site.as_uri() + "/"
    provenance = fetch_files(FILES, ["file:///no/such/folder/", mirror], tmp_path / "raw")
    assert provenance["train_labels"]["mirror"] == mirror
    np.testing.assert_array_equal(read_idx(tmp_path / "raw" / "train-labels-idx1-ubyte"), LABELS)


def test_missing_file_on_a_file_mirror_is_reported(tmp_path):
    with pytest.raises(DownloadError, match="unreachable: No such file or directory"):
        fetch_files(FILES, [(tmp_path / "empty").as_uri()], tmp_path / "raw")


def test_different_gzip_wrappers_store_identical_bytes(serve, tmp_path):
    # Same content, other compression level and timestamp: what Debian's repackaging does.
    rewrapped = {name: gzip.compress(gzip.decompress(payload), compresslevel=1, mtime=12345)
                 for name, payload in GOOD_SITE.items()}
    assert rewrapped[IMAGES_GZ] != GOOD_SITE[IMAGES_GZ]
    fetch_files(FILES, [serve(GOOD_SITE).url], tmp_path / "a")
    fetch_files(FILES, [serve(rewrapped).url], tmp_path / "b")
    for name in GOOD_SITE:
        assert (tmp_path / "a" / stored_name(name)).read_bytes() == (tmp_path / "b" / stored_name(name)).read_bytes()


def test_present_file_with_the_right_checksum_is_not_downloaded(serve, tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(IMAGES_IDX)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(LABELS_IDX)
    mirror = serve(GOOD_SITE)
    provenance = fetch_files(FILES, [mirror.url], tmp_path)
    assert mirror.requests == []
    assert provenance["train_images"]["mirror"] is None


def test_present_file_with_a_wrong_checksum_is_replaced(serve, tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"stale")
    mirror = serve(GOOD_SITE)
    provenance = fetch_files({"train_images": FILES["train_images"]}, [mirror.url], tmp_path)
    assert mirror.requests == ["/data/" + IMAGES_GZ]
    assert provenance["train_images"]["mirror"] == mirror.url
    assert (tmp_path / "train-images-idx3-ubyte").read_bytes() == IMAGES_IDX


@pytest.mark.parametrize("files, mirrors, message", [
    ({"x": {"name": "x.gz", "sha256": "abc"}}, [], "64 lowercase hex"),
    ({"x": {"sha256": "0" * 64}}, [], "needs a 'name'"),
    (FILES, ["ftp://example.org/"], "not an https://, http:// or file:// URL"),
])
def test_malformed_declarations_are_refused_before_any_fetch(files, mirrors, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        fetch_files(files, mirrors, tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


def test_no_mirrors_is_a_download_error(tmp_path):
    with pytest.raises(DownloadError, match="no mirrors configured"):
        fetch_files(FILES, [], tmp_path)
