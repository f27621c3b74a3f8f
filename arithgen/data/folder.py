"""A folder of images as a dataset: the way a user brings their own (``source: folder``).

The folder is a local ``path``, or an archive (zip or tar, possibly compressed) fetched from a
``url`` and pinned by its ``sha256`` (see ``arithgen.data.download.fetch_archive``); archives are
read in place, never extracted. Images are jpg, png or webp, RGB or grayscale, of any size: each is
centre-cropped to a square and resized to the spec's ``image_size`` with ``channels`` 1 or 3.
Labels come from first-level subfolder names when every image sits in one (after dropping a folder
that holds everything, as archives often have); otherwise the dataset is unlabelled (all label 0).
Unreadable and tiny images are skipped and listed by name; none usable is an error.
"""

import hashlib
import io
import logging
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from arithgen.data.download import sha256_of
from arithgen.data.splits import seeded_image_split

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
DEFAULT_MIN_SIZE = 8


def archive_path(raw_dir):
    """Where a folder dataset's archive is stored: ``resources/{dataset}`` -> ``resources/{dataset}.archive``."""
    return Path(f"{raw_dir}.archive")


def _is_image_name(name):
    parts = PurePosixPath(name).parts
    # Hidden files and macOS resource forks ("__MACOSX/", "._x.jpg") are not images of the dataset.
    return (name.lower().endswith(IMAGE_SUFFIXES) and not any(p.startswith((".", "__MACOSX")) for p in parts))


def folder_files(root):
    """{relative posix name: bytes} of the image files under ``root`` (a folder), sorted by name."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"image folder {root} does not exist; expected a folder of jpg/png/webp images")
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return {name: (root / name).read_bytes() for name in names if _is_image_name(name)}


def archive_files(path):
    """{member name: bytes} of the image files in a zip or tar archive, read without extracting."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {info.filename: archive.read(info) for info in sorted(archive.infolist(), key=lambda i: i.filename)
                    if not info.is_dir() and _is_image_name(info.filename)}
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            members = sorted((m for m in archive.getmembers() if m.isfile() and _is_image_name(m.name)),
                             key=lambda m: m.name)
            return {m.name.removeprefix("./"): archive.extractfile(m).read() for m in members}
    raise ValueError(f"{path} is neither a zip nor a tar archive; expected one of those for a folder dataset url")


def square_image(image, image_size, channels):
    """A PIL image -> uint8 (S, S) for ``channels`` 1 or (S, S, 3) for 3: centre crop to a square,
    then resize (Lanczos) to ``image_size``. Transparent pixels are laid on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    image = image.convert("L" if channels == 1 else "RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side != image_size:
        image = image.resize((image_size, image_size), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=np.uint8)


def decode_images(files, image_size, channels, min_size=DEFAULT_MIN_SIZE):
    """Decode ``{name: bytes}`` -> (names kept, uint8 images (N, S, S[, 3]), skipped [(name, reason)])."""
    kept, images, skipped = [], [], []
    for name, data in files.items():
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if min(image.size) < min_size:
                    skipped.append((name, f"too small: {image.width}x{image.height} px, expected at least "
                                          f"{min_size} px a side"))
                    continue
                images.append(square_image(image, image_size, channels))
                kept.append(name)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
            skipped.append((name, f"unreadable: {str(error).splitlines()[0] if str(error) else type(error).__name__}"))
    shape = (0, image_size, image_size) + ((3,) if channels == 3 else ())
    return kept, (np.stack(images) if images else np.zeros(shape, np.uint8)), skipped


def class_folders(names):
    """Labels from the first folder level: (class names (K,), labels int64 (N,)), or (None, zeros)
    when not every image sits in a subfolder. A leading folder shared by every name is dropped first."""
    parts = [PurePosixPath(name).parts for name in names]
    while parts and all(len(p) > 1 for p in parts) and len({p[0] for p in parts}) == 1:
        parts = [p[1:] for p in parts]
    if not parts or any(len(p) < 2 for p in parts):
        return None, np.zeros(len(names), np.int64)
    classes = sorted({p[0] for p in parts})
    index = {name: label for label, name in enumerate(classes)}
    return classes, np.array([index[p[0]] for p in parts], np.int64)


def content_sha256(files):
    """One checksum over the names and bytes of ``files`` (what a local folder held when read)."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def load_folder_images(spec, raw_dir):
    """Images of a folder spec: (uint8 (N, S, S[, 3]), labels int64 (N,), info).

    ``info``: ``class_names`` (list, or None when unlabelled), ``skipped`` ([{name, reason}]),
    ``n_files``, and ``content_sha256`` for a local ``path`` (an archive is pinned by its sha256).
    """
    if spec.get("url"):
        files = archive_files(archive_path(raw_dir))
        where = spec["url"]
    else:
        files = folder_files(spec["path"])
        where = spec["path"]
    names, images, skipped = decode_images(files, spec["image_size"], spec["channels"],
                                           spec.get("min_size", DEFAULT_MIN_SIZE))
    if skipped:
        log.warning("skipped %d of %d image files in %s: %s", len(skipped), len(files), where,
                    "; ".join(f"{name} ({reason})" for name, reason in skipped))
    if not names:
        raise ValueError(f"no usable images in {where}: {len(files)} jpg/png/webp files found, "
                         f"{len(skipped)} skipped; expected at least one readable image of at least "
                         f"{spec.get('min_size', DEFAULT_MIN_SIZE)} px a side")
    log.info("read %d images from %s", len(names), where)
    class_names, labels = class_folders(names)
    info = {"class_names": class_names, "n_files": len(files),
            "skipped": [{"name": name, "reason": reason} for name, reason in skipped]}
    if not spec.get("url"):
        info["content_sha256"] = content_sha256(files)
    return images, labels, info


def folder_provenance(spec, raw_dir, seed, info):
    """A folder's source: its archive's url and pinned checksum (verified again) or its path and a
    checksum of what it held; class names; the split; the files skipped and why."""
    provenance = {"test_fraction": spec["test_fraction"], "seed": seed, "class_names": info["class_names"],
                  "n_files": info["n_files"], "skipped": info["skipped"]}
    if spec.get("url"):
        path = archive_path(raw_dir)
        got = sha256_of(path)
        if got != spec["sha256"]:
            raise ValueError(f"{path}: sha256 {got} differs from the pinned {spec['sha256']}; fetch it again")
        name = spec["url"].rstrip("/").rsplit("/", 1)[-1]
        return {**provenance, "url": spec["url"], "files": {"archive": {"name": name, "sha256": got}}}
    return {**provenance, "path": str(spec["path"]), "content_sha256": info["content_sha256"]}


def load_folder(spec, raw_dir, seed):
    """Images of a folder spec in a seeded order, labels, a seeded (stratified when labelled) test
    mask and provenance (see ``folder_provenance``)."""
    images, labels, info = load_folder_images(spec, raw_dir)
    order, is_test = seeded_image_split(labels, spec["test_fraction"], seed)
    return images[order], labels[order], is_test, folder_provenance(spec, raw_dir, seed, info)
