"""Fetch a dataset's files from an ordered list of mirrors, pinned by the sha256 of their content.

Mirrors serve the same content in different ``.gz`` wrappers (Debian re-compresses Fashion-MNIST,
for one), so the checksum is taken over the DECOMPRESSED bytes and the decompressed file is what
gets stored: the stored bytes are the same whichever mirror answered. A file either lands whole
and verified, or nothing is left behind.
"""

import gzip
import hashlib
import http.client
import logging
import re
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from arithgen.io import atomic_path

log = logging.getLogger(__name__)

MIRROR_SCHEMES = ("https://", "http://", "file://")
_CHUNK = 1 << 20
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class DownloadError(RuntimeError):
    """No mirror produced a file with the pinned checksum."""


class MirrorFailure(Exception):
    """One mirror failed for one file; the message is the short reason shown to the user."""


def sha256_of(path):
    """Hex sha256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_name(name):
    """The name a mirror's file is stored under: ``x.gz`` is stored decompressed as ``x``."""
    return name[:-3] if name.endswith(".gz") else name


def fetch_files(files, mirrors, dest_dir, timeout=60):
    """Make every file of ``files`` present and verified in ``dest_dir``; return its provenance.

    ``files`` maps a role to ``{"name": file name on the mirror, "sha256": hex of the decompressed
    content}``; ``mirrors`` are base URLs tried in order. Returns ``{role: {"name", "path",
    "sha256", "mirror"}}``; ``mirror`` is None for a file that was already in place. Raises
    DownloadError, naming every mirror tried and why it failed, when a file cannot be fetched.
    """
    _check_declaration(files, mirrors)
    # A fresh opener reads the proxy settings of the environment as it is now.
    opener = urllib.request.build_opener()
    dest_dir = Path(dest_dir)
    return {role: _fetch_file(role, entry["name"], entry["sha256"], mirrors, dest_dir, opener, timeout)
            for role, entry in files.items()}


def _check_declaration(files, mirrors):
    """Refuse a malformed config before touching the network."""
    for role, entry in files.items():
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ValueError(f"dataset file {role!r} needs a 'name'")
        if not _SHA256_HEX.fullmatch(str(entry.get("sha256", ""))):
            raise ValueError(f"dataset file {role!r} needs a 'sha256' of 64 lowercase hex digits, "
                             f"got {entry.get('sha256')!r}")
    for mirror in mirrors:
        if not str(mirror).startswith(MIRROR_SCHEMES):
            raise ValueError(f"mirror {mirror!r} is not an https://, http:// or file:// URL")


def _fetch_file(role, name, expected, mirrors, dest_dir, opener, timeout):
    """Fetch one file, trying ``mirrors`` in order; return its provenance or raise DownloadError."""
    path = dest_dir / stored_name(name)
    present = sha256_of(path) if path.is_file() else None
    if present == expected:
        log.info("%s already present and verified", path)
        return {"name": name, "path": str(path), "sha256": expected, "mirror": None}
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name
        try:
            with atomic_path(path) as tmp:
                got = _download(url, tmp, name.endswith(".gz"), opener, timeout)
                if got != expected:
                    raise MirrorFailure(f"sha256 mismatch: got {got}, expected {expected}")
        except MirrorFailure as failure:
            log.warning("%s: %s", url, failure)
            failures.append(f"{url}: {failure}")
            continue
        log.info("fetched %s from %s", path, mirror)
        return {"name": name, "path": str(path), "sha256": expected, "mirror": mirror}
    raise DownloadError(_failure_message(role, name, path, expected, present, failures))


def _download(url, tmp, decompress, opener, timeout):
    """Stream ``url`` into ``tmp`` (decompressed if ``decompress``); return the sha256 written.

    Every way a mirror can fail is turned into a MirrorFailure with a short reason.
    """
    try:
        response = opener.open(url, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise MirrorFailure(f"HTTP {error.code}") from None
    except urllib.error.URLError as error:
        # error.reason is an OSError ("Connection refused", "No such file or directory") or a string.
        raise MirrorFailure(f"unreachable: {getattr(error.reason, 'strerror', None) or error.reason}") from None
    except (OSError, http.client.HTTPException) as error:
        raise MirrorFailure(_describe(error, timeout)) from None
    digest = hashlib.sha256()
    with response, open(tmp, "wb") as out:
        try:
            stream = gzip.GzipFile(fileobj=response) if decompress else response
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        except EOFError:
            raise MirrorFailure(_cut_short(response) or "truncated gzip") from None
        except (gzip.BadGzipFile, zlib.error) as error:
            raise MirrorFailure(f"corrupt gzip: {error}") from None
        except (OSError, http.client.HTTPException) as error:
            raise MirrorFailure(_describe(error, timeout)) from None
        # http.client ends a body that stops before its Content-Length without an error.
        cut = _cut_short(response)
        if cut:
            raise MirrorFailure(cut)
    return digest.hexdigest()


def _cut_short(response):
    """A reason if the server closed the connection before sending all it announced, else None."""
    missing = getattr(response, "length", None)
    return f"truncated download: connection closed {missing} bytes early" if missing else None


def _describe(error, timeout):
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout} s"
    return f"{type(error).__name__}: {error}"


def _failure_message(role, name, path, expected, present, failures):
    tried = "\n".join(f"  - {failure}" for failure in failures) or "  (no mirrors configured)"
    stale = (f"\nThe file already at {path.resolve()} has sha256 {present}; it was left as it was."
             if present else "")
    return (f"could not fetch {role} ({name}) from any mirror:\n{tried}\n"
            f"To place it by hand, put the decompressed file at {path.resolve()}; "
            f"its sha256 must be {expected}.{stale}")


def fetch_archive(url, expected, path, timeout=60):
    """Make the archive at ``url`` present at ``path``, its sha256 (of the bytes as served, not
    decompressed: it is read as it is) equal to ``expected``. Returns ``{"name", "sha256", "url"}``;
    raises DownloadError, with the reason and where to place the file by hand, when it cannot."""
    if not _SHA256_HEX.fullmatch(str(expected)):
        raise ValueError(f"archive {url!r} needs a 'sha256' of 64 lowercase hex digits, got {expected!r}")
    if not str(url).startswith(MIRROR_SCHEMES):
        raise ValueError(f"archive url {url!r} is not an https://, http:// or file:// URL")
    path = Path(path)
    name = url.rstrip("/").rsplit("/", 1)[-1]
    present = sha256_of(path) if path.is_file() else None
    if present != expected:
        try:
            with atomic_path(path) as tmp:
                got = _download(url, tmp, False, urllib.request.build_opener(), timeout)
                if got != expected:
                    raise MirrorFailure(f"sha256 mismatch: got {got}, expected {expected}")
        except MirrorFailure as failure:
            stale = f" The file already at {path.resolve()} has sha256 {present}." if present else ""
            raise DownloadError(f"could not fetch the archive {url}: {failure}. To place it by hand, put the "
                                f"file as downloaded at {path.resolve()}; its sha256 must be {expected}.{stale}"
                                ) from None
        log.info("fetched %s from %s", path, url)
    return {"name": name, "sha256": expected, "url": url}
