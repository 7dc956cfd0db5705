"""Read one office file (TXT, MD, HTML, DOCX, PDF, scanned image) into Unicode text, or say why not.

Everything a user may drop into the app is treated as untrusted: sizes are checked before reading,
archives before unpacking, and any parser failure becomes a ``SkipFile`` with a reason to show.
"""
from __future__ import annotations

import html as html_lib
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Iterator

from ingest.decode import decode_bytes, normalize_text, repair_mojibake
from ingest.ocr import OcrError, OcrOptions, OcrRun, PageCallback, ocr_available, ocr_image_file, ocr_pdf_pages
from ingest.pages import PageText, strip_running_lines
from ingest.scan_detect import page_ocr_reason
from vntext.normalize import normalize_tone_placement
from ingest.types import LoadedText, SkipFile

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"}) | IMAGE_EXTENSIONS
MAX_PDF_PAGES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
_ZIP_RATIO_MIN_SIZE = 1024 * 1024  # small archives cannot hurt, whatever their ratio

NO_TEXT = "không có nội dung văn bản (no text content)"
CORRUPT_DOCX = "DOCX hỏng (corrupt DOCX)"
ENCRYPTED_PDF = "PDF có mật khẩu (password-protected PDF)"
SCANNED_PDF = "PDF không có lớp chữ (scanned PDF), nhận dạng chữ cũng không thấy chữ nào (OCR found no text)"
BAD_IMAGE = "ảnh hỏng hoặc không đọc được (corrupt image"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _read_checked(path: Path, max_bytes: int) -> bytes:
    """Read a regular file no larger than ``max_bytes``; unreadable or oversized → SkipFile."""
    try:
        st = path.stat()
    except OSError as e:
        raise SkipFile(f"không đọc được tệp (cannot read file: {e.strerror or type(e).__name__})")
    if not path.is_file():
        raise SkipFile("không phải tệp thông thường (not a regular file)")
    if st.st_size > max_bytes:
        raise SkipFile(f"tệp quá lớn (file too large: {_mb(st.st_size)} > {_mb(max_bytes)})")
    if st.st_size == 0:
        raise SkipFile("tệp rỗng (empty file)")
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:  # PermissionError, IsADirectoryError, I/O errors
        raise SkipFile(f"không đọc được tệp (cannot read file: {e.strerror or type(e).__name__})")
    if len(data) > max_bytes:  # grew since stat
        raise SkipFile(f"tệp quá lớn (file too large: > {_mb(max_bytes)})")
    return data


def load_file(path: Path, max_bytes: int, data: bytes | None = None, ocr: OcrOptions | None = None,
              on_page: PageCallback | None = None) -> LoadedText:
    """Load ``path`` as text by its extension; raises SkipFile with a reason for the user.

    ``data``: the file's bytes when the caller already read them (so the text parsed is exactly
    the content that was hashed, even if the file changes meanwhile). ``ocr``: settings for scanned
    pages and images; ``on_page(done, total)`` is told as each OCR'd page finishes.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise SkipFile(f"định dạng không hỗ trợ (unsupported format {ext or '(no extension)'})")
    if data is None:
        data = _read_checked(path, max_bytes)
    elif not data.strip():
        raise SkipFile("tệp rỗng (empty file)")
    if ext in (".txt", ".md"):
        text, encoding = decode_bytes(data)
        return LoadedText(text=text, encoding=encoding)
    if ext in (".html", ".htm"):
        return load_html(data)
    if ext == ".docx":
        return load_docx(data)
    if ext in IMAGE_EXTENSIONS:
        return load_image(data, ocr or OcrOptions(), on_page)
    return load_pdf(data, ocr or OcrOptions(), on_page)


# ---------------------------------------------------------------------------------------------
# HTML

_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def _clean_title(raw: str) -> str | None:
    title = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
    return title or None


def html_title(html: str) -> str | None:
    """The page's og:title, else its <title> (og:title rarely carries the site name)."""
    for tag in _META_RE.findall(html):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR_RE.finditer(tag)}
        if attrs.get("property", attrs.get("name", "")).lower() == "og:title" and attrs.get("content"):
            title = _clean_title(attrs["content"])
            if title:
                return title
    m = _TITLE_RE.search(html)
    return _clean_title(m.group(1)) if m else None


def load_html(data: bytes) -> LoadedText:
    """Main-content text of an HTML page (trafilatura), falling back to its baseline extractor."""
    html, encoding = decode_bytes(data)
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
        if not text or not text.strip():
            _, text, _ = trafilatura.baseline(html)
    except Exception as e:  # lxml/trafilatura errors on malformed markup
        raise SkipFile(f"HTML hỏng (cannot parse HTML: {type(e).__name__})")
    text = normalize_text(text or "")
    if not any(ch.isalpha() for ch in text):
        raise SkipFile(NO_TEXT)
    return LoadedText(text=text, encoding=encoding, is_html=True, title_hint=html_title(html))


# ---------------------------------------------------------------------------------------------
# DOCX

def _check_zip(data: bytes) -> None:
    """Refuse archives that are not ZIPs, lack a Word body, or would inflate too far (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SkipFile(CORRUPT_DOCX)
    if not any(i.filename == "word/document.xml" for i in infos):
        raise SkipFile(CORRUPT_DOCX)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise SkipFile(f"DOCX nghi là bom nén (suspected zip bomb: {_mb(total)} uncompressed)")
    if total > _ZIP_RATIO_MIN_SIZE and total > MAX_ZIP_RATIO * max(1, packed):
        raise SkipFile(f"DOCX nghi là bom nén (suspected zip bomb: ratio {total // max(1, packed)}:1)")


TABLE_HEADER_MAX_CHARS = 80  # a header cell is a short label ("Kết quả", "Số mô hình")
TABLE_MIN_DATA_ROWS = 1


def _row_cells(row) -> list:
    """The distinct cells of a row (a merged cell is repeated across its span)."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _cell_text(cell) -> str:
    return " ".join(b.strip() for b in _docx_blocks(cell) if b.strip())


def table_lines(rows: list[list[str]]) -> list[str] | None:
    """A data table as one line per row, each value after its column's header ("Kết quả: 25"),
    so a figure keeps its column name in whatever passage the row lands in; None when the table
    has no header row (a layout table: text kept cell by cell)."""
    if len(rows) < 1 + TABLE_MIN_DATA_ROWS:
        return None
    header = rows[0]
    width = len(header)
    if width < 2 or any(not h or len(h) > TABLE_HEADER_MAX_CHARS or h[-1] in ".;!?" for h in header):
        return None
    if len({h.casefold() for h in header}) < width or any(len(r) != width for r in rows[1:]):
        return None
    out = []
    for row in rows[1:]:
        pairs = [f"{h}: {v}" for h, v in zip(header, row) if v]
        if pairs:
            out.append("; ".join(pairs))
    return out


def _docx_blocks(container) -> Iterator[str]:
    """Paragraph texts and tables in document order: a table with a header row as one line per row
    with the header repeated, any other table cell by cell (nested tables included)."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            rows = [_row_cells(row) for row in block.rows]
            nested = any(cell.tables for cells in rows for cell in cells)
            lines = None if nested else table_lines([[_cell_text(c) for c in cells] for cells in rows])
            if lines is not None:
                yield from lines
                continue
            for cells in rows:
                for cell in cells:
                    yield from _docx_blocks(cell)
        else:
            yield block.text


def load_docx(data: bytes) -> LoadedText:
    """Text of a Word document; checked for zip bombs before python-docx opens it."""
    _check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = [b for b in _docx_blocks(document) if b.strip()]
        title = (document.core_properties.title or "").strip() or None
    except SkipFile:
        raise
    except Exception:
        raise SkipFile(CORRUPT_DOCX)
    text, legacy = repair_mojibake(normalize_text("\n".join(blocks)))
    text = normalize_text(text)
    if not any(ch.isalpha() for ch in text):
        raise SkipFile(NO_TEXT)
    return LoadedText(text=text, encoding=f"docx+{legacy}" if legacy else "docx", title_hint=title)


# ---------------------------------------------------------------------------------------------
# PDF

def _has_image(page) -> bool:
    """The page draws at least one image (scanned pages are one big image)."""
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:  # odd resource dictionaries: judge by the text alone
        return False


def _pdf_text_pages(data: bytes) -> tuple[list[tuple[str, bool]], str | None]:
    """Each page's text layer and whether it draws an image (first MAX_PDF_PAGES pages); the title."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # owner-password-only PDFs open with an empty password
            except Exception:
                opened = 0
            if not opened:
                raise SkipFile(ENCRYPTED_PDF)
        pages: list[tuple[str, bool]] = []
        for i, page in enumerate(reader.pages):
            if i >= MAX_PDF_PAGES:
                break
            pages.append((page.extract_text() or "", _has_image(page)))
        title = None
        meta = reader.metadata
        if meta is not None and meta.title:
            title = str(meta.title).strip() or None
    except SkipFile:
        raise
    except Exception as e:  # pypdf raises many kinds on damaged files; never let one escape
        raise SkipFile(f"PDF hỏng (corrupt PDF: {type(e).__name__})")
    return pages, title


def ocr_text(text: str) -> str:
    """OCR output in the form every other text has: NFC, control characters gone, one tone placement."""
    return normalize_tone_placement(normalize_text(text))


def _ocr_failure(run: OcrRun) -> str | None:
    """The reason to skip a file when any of its pages could not be read (nothing half-read goes in)."""
    failed = [p for p in run.pages if p.text is None]
    if not failed:
        return None
    first = failed[0]
    more = f" (và {len(failed) - 1} trang khác)" if len(failed) > 1 else ""
    return f"không nhận dạng được chữ ở trang {first.number}: {first.error}{more}"


def _paged_result(pages: list[PageText], encoding: str, title: str | None, run: OcrRun | None) -> LoadedText:
    texts = strip_running_lines([p.text for p in pages])
    pages = [PageText(p.number, t, p.ocr) for p, t in zip(pages, texts)]
    text = normalize_text("\n\n".join(t for t in texts if t.strip()))
    return LoadedText(text=text, encoding=encoding, title_hint=title, pages=pages,
                      ocr_pages=len(run.pages) if run else 0, ocr_seconds=run.seconds if run else 0.0)


def load_pdf(data: bytes, ocr: OcrOptions | None = None, on_page: PageCallback | None = None) -> LoadedText:
    """Text layer of a PDF; pages without one, or with a garbled one, are read by OCR."""
    ocr = ocr or OcrOptions()
    raw, title = _pdf_text_pages(data)
    pages: list[PageText] = []
    legacy = None
    to_ocr: list[int] = []
    for i, (page_text, has_image) in enumerate(raw):
        text, label = repair_mojibake(normalize_text(page_text))
        legacy = legacy or label
        if page_ocr_reason(text, has_image):
            to_ocr.append(i + 1)
        pages.append(PageText(i + 1, normalize_text(text)))
    run = None
    missing = ocr_available(ocr.lang) if to_ocr else None
    if missing and len(to_ocr) == len(pages):
        raise SkipFile(f"PDF dạng ảnh: {missing}")
    if missing:  # a blank or garbled page among typed ones: the typed pages still go in
        for n in to_ocr:
            pages[n - 1] = PageText(n, "")
    elif to_ocr:
        run = ocr_pdf_pages(data, to_ocr, ocr, on_page)
        failure = _ocr_failure(run)
        if failure:
            raise SkipFile(failure)
        for result in run.pages:
            pages[result.number - 1] = PageText(result.number, ocr_text(result.text or ""), ocr=True)
    loaded = _paged_result(pages, "pdf", title, run)
    if legacy:
        loaded.encoding = f"pdf+{legacy}"
    if run:
        loaded.encoding += "+ocr"
    if sum(ch.isalpha() for ch in loaded.text) < 5 * max(1, len(pages)):
        raise SkipFile(SCANNED_PDF)
    return loaded


def load_image(data: bytes, ocr: OcrOptions | None = None, on_page: PageCallback | None = None) -> LoadedText:
    """Text of a scanned page image (PNG, JPEG, TIFF; each TIFF frame is a page), by OCR."""
    ocr = ocr or OcrOptions()
    missing = ocr_available(ocr.lang)
    if missing:
        raise SkipFile(f"ảnh văn bản: {missing}")
    try:
        run = ocr_image_file(data, ocr, on_page)
    except OcrError as e:
        raise SkipFile(e.reason)
    except Exception as e:  # Pillow raises many kinds on damaged or hostile images
        raise SkipFile(f"{BAD_IMAGE}: {type(e).__name__})")
    failure = _ocr_failure(run)
    if failure:
        raise SkipFile(failure)
    pages = [PageText(p.number, ocr_text(p.text or ""), ocr=True) for p in run.pages]
    loaded = _paged_result(pages, "ocr", None, run)
    if not any(ch.isalpha() for ch in loaded.text):
        raise SkipFile(NO_TEXT)
    return loaded


# ---------------------------------------------------------------------------------------------
# Walking folders

def _encodable_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a file name (surrogate escapes)
        return False
    return True


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Yield (file, None) for each supported file and (path, reason) for each one to report skipped.

    Folders are walked recursively in sorted order; hidden entries are skipped; symlinked folders
    are not followed (no loops); each real file is yielded once.
    """
    seen: set[Path] = set()

    def visit(path: Path, top: bool) -> Iterator[tuple[Path, str | None]]:
        if not top and path.name.startswith("."):
            return
        if not _encodable_name(path):
            yield path, "tên tệp không hợp lệ (file name is not valid UTF-8)"
            return
        try:
            is_dir = path.is_dir()
            is_link = path.is_symlink()
        except OSError as e:
            yield path, f"không đọc được tệp (cannot read file: {e.strerror or type(e).__name__})"
            return
        if is_dir:
            if is_link and not top:
                return
            try:
                children = sorted(path.iterdir(), key=lambda p: os.fsencode(p.name))
            except OSError as e:
                yield path, f"không đọc được thư mục (cannot read folder: {e.strerror or type(e).__name__})"
                return
            for child in children:
                yield from visit(child, top=False)
            return
        if not path.exists():
            yield path, "không tìm thấy tệp (file not found)"
            return
        if not path.is_file():  # FIFO, socket, device: reading one could block forever
            yield path, "không phải tệp thông thường (not a regular file)"
            return
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            real = path.absolute()
        if real in seen:
            return
        seen.add(real)
        ext = path.suffix.lower()
        if ext not in SUPPORTED_EXTENSIONS:
            yield path, f"định dạng không hỗ trợ (unsupported format {ext or '(no extension)'})"
            return
        yield path, None

    for p in paths:
        yield from visit(Path(p), top=True)
