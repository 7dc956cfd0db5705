"""Files the web app receives: a safe name inside the uploads folder, and clearing files out of it again.

Which extensions are accepted comes from the loaders (``SUPPORTED_EXTENSIONS``): one list, so the upload
widget can never accept a file the pipeline cannot read.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ingest.loaders import SUPPORTED_EXTENSIONS

ALLOWED_EXTS = tuple(sorted(SUPPORTED_EXTENSIONS))
MAX_STEM = 150
MAX_COLLISIONS = 10_000
DEFAULT_STEM = "tai-lieu"
_BLOCK = 1 << 20
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')


class UploadRefused(ValueError):
    """A file the app will not store; the message is shown to the user (Vietnamese)."""


def safe_upload_name(name: str) -> str:
    """A file name safe to create in the uploads folder: basename only, no control characters or path
    separators, Vietnamese letters kept (NFC), allowed extension only; raises UploadRefused otherwise."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # basename, whatever the client's separator
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_CHARS.sub("", name)
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    if not dot:
        raise UploadRefused(f"tệp không có phần mở rộng được hỗ trợ: {name or '?'}")
    ext = "." + ext.lower()
    if ext not in ALLOWED_EXTS:
        raise UploadRefused(f"loại tệp {ext} không được hỗ trợ; chỉ nhận {' '.join(ALLOWED_EXTS)}")
    stem = stem.strip(" .") or DEFAULT_STEM  # no leading dots: no hidden files, no ".."
    return stem[:MAX_STEM] + ext


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def store_upload(src: str | Path, uploads_dir: str | Path, name: str | None = None) -> Path:
    """Copy an uploaded file into ``uploads_dir`` under its sanitised name and return the new path.

    The same name with the same content reuses the file (so re-uploading is "unchanged" on ingest);
    with different content the copy gets a ``-1``, ``-2`` … suffix instead of overwriting.
    """
    src = Path(src)
    root = Path(uploads_dir)
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    safe = safe_upload_name(name if name is not None else src.name)
    stem, ext = safe[: -len(Path(safe).suffix)], Path(safe).suffix
    digest = _sha256(src)
    for i in range(MAX_COLLISIONS):
        target = (root / (safe if i == 0 else f"{stem}-{i}{ext}")).resolve()
        if target.parent != root:  # never outside the uploads folder
            raise UploadRefused(f"tên tệp không hợp lệ: {safe}")
        if target.exists():
            if target.is_file() and _sha256(target) == digest:
                return target
            continue
        with open(src, "rb") as fin, open(target, "xb") as fout:
            for block in iter(lambda: fin.read(_BLOCK), b""):
                fout.write(block)
        return target
    raise UploadRefused(f"quá nhiều tệp trùng tên: {safe}")


def discard_upload(path: str | Path, uploads_dir: str | Path) -> bool:
    """Delete ``path`` if it is a file directly inside ``uploads_dir`` (never anything else); True if deleted."""
    root = Path(uploads_dir).resolve()
    try:
        target = Path(path).resolve()
    except OSError:
        return False
    if target.parent != root or not target.is_file():
        return False
    try:
        target.unlink()
    except OSError:
        return False
    return True


PDF_MAGIC = b"%PDF-"
DOCX_MAGIC = b"PK"


def upload_problem(path: str | Path) -> str | None:
    """Why an uploaded file cannot be a document (empty, or not the format its extension says), else None."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return "không đọc được tệp"
    if size == 0:
        return "tệp rỗng, 0 byte"
    ext = path.suffix.lower()
    if ext == ".pdf" and not head.startswith(PDF_MAGIC):
        return "không phải tệp PDF hợp lệ"
    if ext == ".docx" and not head.startswith(DOCX_MAGIC):
        return "không phải tệp DOCX hợp lệ"
    return None
