"""OCR of scanned pages with Tesseract's Vietnamese model: rasterise, clean the image, read, rebuild text.

Why the ``tesseract`` binary is called directly (subprocess) rather than through pytesseract or
ocrmypdf: pytesseract is itself only a subprocess wrapper, and ocrmypdf writes a new PDF and pulls in
a large dependency tree we would not use. One subprocess per page gives us what we need and nothing
else: a hard per-page time budget (the process is killed, the page is reported), bounded parallelism
(``ocr_workers`` processes at once, each single-threaded), and Tesseract's TSV output, which carries
the paragraph and line structure we rebuild the text from. PDF pages are rasterised with
``pdftoppm`` (poppler) for the same reasons.

Image clean-up before OCR, in order: grayscale from the red channel (a red seal or red signature
turns white, black text stays black), a 3×3 median filter (salt-and-pepper specks), deskew by the
projection-profile method (scanners tilt pages by a degree or two).
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ingest.pages import rebuild_tesseract_tsv

TESSERACT = "tesseract"
PDFTOPPM = "pdftoppm"
DESKEW_MAX_DEGREES = 3.0
DESKEW_STEP_DEGREES = 0.25
DESKEW_WORK_WIDTH = 600  # px: the angle is searched on a thumbnail, applied to the full page
DARK_THRESHOLD = 160  # gray level below which a thumbnail pixel counts as ink
MEDIAN_SIZE = 3
TESSERACT_PSM = "3"  # fully automatic page segmentation: keeps paragraphs apart
MAX_IMAGE_PIXELS = 120_000_000  # a page image larger than this is refused (decompression bombs)
MAX_IMAGE_FRAMES = 500  # pages of one multi-page TIFF

OCR_MISSING = "chưa cài Tesseract OCR và gói tiếng Việt tesseract-ocr-vie (OCR not installed)"
PDFTOPPM_MISSING = "chưa cài poppler-utils để đọc PDF dạng ảnh (pdftoppm not installed)"


class OcrError(Exception):
    """A page that could not be read; ``reason`` is shown to the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class OcrOptions:
    """What OCR needs from Settings (ingest does not import the whole Settings type)."""
    dpi: int = 300
    workers: int = 2
    page_timeout_s: float = 120.0
    lang: str = "vie"

    @classmethod
    def from_settings(cls, settings) -> "OcrOptions":
        return cls(dpi=settings.ocr_dpi, workers=settings.ocr_workers,
                   page_timeout_s=settings.ocr_page_timeout_s, lang=settings.ocr_lang)


@dataclass
class OcrPage:
    """One page's OCR result: text (``None`` when the page failed, with ``error``) and seconds spent."""
    number: int  # 1-based page number in the file
    text: str | None
    seconds: float
    error: str | None = None
    confidence: float | None = None


@dataclass
class OcrRun:
    pages: list[OcrPage] = field(default_factory=list)
    seconds: float = 0.0


PageCallback = Callable[[int, int], None]  # (pages done, pages to do)


@lru_cache(maxsize=8)
def ocr_available(lang: str = "vie") -> str | None:
    """None when Tesseract with ``lang`` is installed, else the reason for the user (asked once)."""
    if shutil.which(TESSERACT) is None:
        return OCR_MISSING
    try:
        out = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return OCR_MISSING
    langs = set((out.stdout + out.stderr).split())
    return None if all(part in langs for part in lang.split("+")) else OCR_MISSING


# ---------------------------------------------------------------------------------------------
# Image clean-up

def _to_gray_without_red(img):
    """Grayscale from the red channel: red ink (seals, signatures) becomes background."""
    from PIL import Image

    if img.mode in ("1", "L", "I", "I;16", "F"):
        return img.convert("L")
    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return img.convert("RGB").getchannel("R")


def skew_angle(gray) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal: the angle whose
    row-ink profile has the greatest variance (sharp peaks on lines, zeros between them)."""
    import numpy as np
    from PIL import Image

    scale = DESKEW_WORK_WIDTH / max(1, gray.width)
    small = gray.resize((DESKEW_WORK_WIDTH, max(1, int(gray.height * scale))), Image.Resampling.BILINEAR)
    ink = small.point(lambda v: 255 if v < DARK_THRESHOLD else 0)
    if not np.asarray(ink).any():
        return 0.0
    best, best_score = 0.0, -1.0
    steps = int(DESKEW_MAX_DEGREES / DESKEW_STEP_DEGREES)
    for i in range(-steps, steps + 1):
        angle = i * DESKEW_STEP_DEGREES
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0), dtype=np.float32).sum(1)
        score = float(np.var(rows))
        if score > best_score + 1e-6 or (abs(score - best_score) <= 1e-6 and abs(angle) < abs(best)):
            best, best_score = angle, score
    return best


def prepare_image(img):
    """The page image Tesseract reads: red removed, specks filtered, deskewed."""
    from PIL import Image, ImageFilter

    gray = _to_gray_without_red(img).filter(ImageFilter.MedianFilter(MEDIAN_SIZE))
    angle = skew_angle(gray)
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return gray


# ---------------------------------------------------------------------------------------------
# Tesseract

def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # parallelism comes from pages, not threads
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"quá thời gian cho phép mỗi trang, {timeout:g} giây (OCR page timeout)")
    except OSError:
        raise OcrError(OCR_MISSING)


def ocr_image(img, opts: OcrOptions) -> tuple[str, float | None]:
    """Text of one page image (PIL) and Tesseract's mean word confidence."""
    dpi = img.info.get("dpi", (opts.dpi, opts.dpi))[0] or opts.dpi  # an image file may state its own
    gray = prepare_image(img)
    with tempfile.TemporaryDirectory(prefix="danvan-ocr-") as tmp:
        src = os.path.join(tmp, "page.png")
        gray.save(src, dpi=(int(dpi), int(dpi)))
        res = _run([TESSERACT, src, "stdout", "-l", opts.lang, "--psm", TESSERACT_PSM,
                    "--dpi", str(int(dpi)), "tsv"], opts.page_timeout_s)
    if res.returncode != 0:
        raise OcrError("Tesseract không đọc được trang này (OCR failed)")
    return rebuild_tesseract_tsv(res.stdout.decode("utf-8", "replace"))


def _timed(number: int, fn) -> OcrPage:
    t = time.perf_counter()
    try:
        text, conf = fn()
    except OcrError as e:
        return OcrPage(number, None, time.perf_counter() - t, error=e.reason)
    except Exception as e:  # a damaged image must not stop the other pages
        return OcrPage(number, None, time.perf_counter() - t, error=f"không đọc được ảnh trang (cannot read page image: {type(e).__name__})")
    return OcrPage(number, text, time.perf_counter() - t, confidence=conf)


def _parallel(jobs: list[tuple[int, Callable]], opts: OcrOptions, on_page: PageCallback | None) -> OcrRun:
    t0 = time.perf_counter()
    run = OcrRun()
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, opts.workers), thread_name_prefix="danvan-ocr") as pool:
        futures = [pool.submit(_timed, n, fn) for n, fn in jobs]
        for fut in futures:
            run.pages.append(fut.result())
            done += 1
            if on_page:
                on_page(done, len(jobs))
    run.seconds = time.perf_counter() - t0
    return run


# ---------------------------------------------------------------------------------------------
# Entry points: PDF pages and image files

def rasterise_pdf_page(pdf_path: str, number: int, opts: OcrOptions):
    """Page ``number`` (1-based) of a PDF on disk as a PIL image at ``opts.dpi``."""
    from PIL import Image

    if shutil.which(PDFTOPPM) is None:
        raise OcrError(PDFTOPPM_MISSING)
    res = _run([PDFTOPPM, "-r", str(opts.dpi), "-f", str(number), "-l", str(number), "-png", pdf_path],
               opts.page_timeout_s)
    if res.returncode != 0 or not res.stdout:
        raise OcrError("không chuyển được trang PDF thành ảnh (cannot rasterise page)")
    img = Image.open(io.BytesIO(res.stdout))
    img.load()
    return img


def ocr_pdf_pages(data: bytes, numbers: list[int], opts: OcrOptions,
                  on_page: PageCallback | None = None) -> OcrRun:
    """OCR the given 1-based pages of a PDF (bytes), several at once."""
    with tempfile.TemporaryDirectory(prefix="danvan-pdf-") as tmp:
        path = os.path.join(tmp, "doc.pdf")
        with open(path, "wb") as f:
            f.write(data)
        jobs = [(n, (lambda n=n: ocr_image(rasterise_pdf_page(path, n, opts), opts))) for n in numbers]
        return _parallel(jobs, opts, on_page)


def image_frames(data: bytes) -> list:
    """The pages of an image file (one, or several for a multi-page TIFF), checked for size."""
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    img = Image.open(io.BytesIO(data))
    frames = []
    for i, frame in enumerate(ImageSequence.Iterator(img)):
        if i >= MAX_IMAGE_FRAMES:
            break
        if frame.width * frame.height > MAX_IMAGE_PIXELS:
            raise OcrError("ảnh quá lớn (image too large)")
        frames.append(frame.copy())
    return frames


def ocr_image_file(data: bytes, opts: OcrOptions, on_page: PageCallback | None = None) -> OcrRun:
    frames = image_frames(data)
    jobs = [(i + 1, (lambda f=f: ocr_image(f, opts))) for i, f in enumerate(frames)]
    return _parallel(jobs, opts, on_page)
