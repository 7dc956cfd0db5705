"""Scanned-document test data, made at test time: corpus text rendered to page images, then scanned.

Nothing is downloaded and no corpus text is committed: the seeds and legal articles are read from
../shared/corpus when a test runs, typeset with a Vietnamese-capable font (DejaVu) with Pillow, and
turned into PDFs in three variants — clean; noisy (salt-and-pepper, slight blur, rotation of up to
±2°); and with a red circular seal stamped over the text. ``char_accuracy`` compares OCR output with
the text that was rendered (Levenshtein similarity from rapidfuzz, whitespace collapsed).
"""
from __future__ import annotations

import math
import random
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/noto")
# Sans faces first: Tesseract's Vietnamese model reads the serif faces available here with "chi"
# and "chỉ" confused (measured on seed 002: 12 "chỉ" for 4 in DejaVu Serif, 4 for 4 in Liberation Sans).
FONT_FILES = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf")
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
FONT_POINTS = 12
LINE_SPACING = 1.45
PARAGRAPH_GAP = 0.6  # extra line heights between paragraphs
VARIANTS = ("clean", "noisy", "sealed")
NOISE_SHARE = 0.01  # share of pixels flipped to black or white
NOISE_BLUR_RADIUS_PX_AT_300DPI = 0.8
NOISE_MAX_DEGREES = 2.0
SEAL_COLOUR = (215, 35, 40)
SEAL_RADIUS_INCHES = 0.8
SEAL_TEXT = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN * BAN THƯỜNG VỤ *"


def find_font() -> Path:
    """A TrueType font with Vietnamese glyphs; missing fonts fail loudly (install fonts-dejavu-core)."""
    for d in FONT_DIRS:
        for name in FONT_FILES:
            p = Path(d) / name
            if p.exists():
                return p
    raise FileNotFoundError("no Vietnamese-capable font: apt-get install fonts-liberation2 fonts-dejavu-core")


def _wrap(draw, paragraph: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for word in paragraph.split():
        trial = f"{cur} {word}".strip()
        if cur and draw.textlength(trial, font=font) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def render_pages(text: str, dpi: int = 300, footer: str | None = None) -> list[tuple[object, str]]:
    """Typeset ``text`` on A4 pages: [(grayscale page image, the text printed on it)].

    Paragraphs are the text's non-empty lines; ``footer`` (with {n} for the page number) is printed
    at the bottom of every page, like a running footer, and is not part of the page's text."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(find_font()), round(FONT_POINTS * dpi / 72))
    w, h = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    margin = round(MARGIN_INCHES * dpi)
    step = round(FONT_POINTS * dpi / 72 * LINE_SPACING)
    pages: list[tuple[object, str]] = []
    img = draw = None
    y = 0
    printed: list[str] = []

    def new_page():
        nonlocal img, draw, y, printed
        if img is not None:
            finish()
        img = Image.new("L", (w, h), 255)
        draw = ImageDraw.Draw(img)
        y = margin
        printed = []

    def finish():
        if footer:
            label = footer.format(n=len(pages) + 1)
            draw.text(((w - draw.textlength(label, font=font)) / 2, h - margin / 2), label, font=font, fill=0)
        pages.append((img, "\n".join(printed)))

    new_page()
    for para in (p.strip() for p in text.split("\n")):
        if not para:
            continue
        for line in _wrap(draw, para, font, w - 2 * margin):
            if y + step > h - margin:
                new_page()
            draw.text((margin, y), line, font=font, fill=0)
            printed.append(line)
            y += step
        y += round(step * PARAGRAPH_GAP)
    finish()
    return pages


def add_noise(img, seed: int, dpi: int = 300):
    """A poor scan: rotated by up to ±2°, slightly blurred, salt-and-pepper specks."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, NOISE_MAX_DEGREES)
    out = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(NOISE_BLUR_RADIUS_PX_AT_300DPI * dpi / 300))
    arr = np.array(out)
    gen = np.random.default_rng(seed)
    flips = gen.random(arr.shape) < NOISE_SHARE
    arr[flips] = np.where(gen.random(int(flips.sum())) < 0.5, 0, 255)
    return Image.fromarray(arr)


def add_seal(img, seed: int, dpi: int = 300):
    """A red circular seal (double ring, star, text round the rim) stamped over the text."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    rng = random.Random(seed)
    page = img.convert("RGB")
    r = round(SEAL_RADIUS_INCHES * dpi)
    seal = Image.new("RGB", (2 * r + 4, 2 * r + 4), (255, 255, 255))
    d = ImageDraw.Draw(seal)
    c = r + 2
    width = max(3, dpi // 60)
    d.ellipse((c - r, c - r, c + r, c + r), outline=SEAL_COLOUR, width=width)
    d.ellipse((c - r * 0.72, c - r * 0.72, c + r * 0.72, c + r * 0.72), outline=SEAL_COLOUR, width=width // 2)
    star = [(c + r * 0.35 * math.cos(math.pi / 2 + i * 4 * math.pi / 5),
             c - r * 0.35 * math.sin(math.pi / 2 + i * 4 * math.pi / 5)) for i in range(5)]
    d.polygon(star, fill=SEAL_COLOUR)
    font = ImageFont.truetype(str(find_font()), max(10, r // 7))
    for i, ch in enumerate(SEAL_TEXT):
        a = math.pi / 2 - 2 * math.pi * i / len(SEAL_TEXT)
        d.text((c + r * 0.86 * math.cos(a), c - r * 0.86 * math.sin(a)), ch, font=font, fill=SEAL_COLOUR,
               anchor="mm")
    x = rng.randint(page.width // 3, page.width - 2 * r - round(MARGIN_INCHES * dpi / 2))
    y = rng.randint(page.height // 4, page.height - 2 * r - round(MARGIN_INCHES * dpi))
    region = page.crop((x, y, x + seal.width, y + seal.height))
    page.paste(ImageChops.multiply(region, seal), (x, y))  # ink over ink, as a stamp prints
    return page


def variant(img, name: str, seed: int, dpi: int = 300):
    if name == "clean":
        return img
    if name == "noisy":
        return add_noise(img, seed, dpi)
    if name == "sealed":
        return add_seal(img, seed, dpi)
    raise ValueError(name)


def write_pdf(images: list, path: Path, dpi: int = 300) -> Path:
    """An image-only PDF (no text layer), one page per image, as a scanner writes it."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def scan_to_pdf(text: str, path: Path, name: str = "clean", dpi: int = 300, seed: int = 0,
                footer: str | None = None) -> list[str]:
    """Render ``text`` as a scanned PDF of variant ``name``; returns the text printed on each page."""
    pages = render_pages(text, dpi, footer)
    write_pdf([variant(img, name, seed + i, dpi) for i, (img, _) in enumerate(pages)], path, dpi)
    return [t for _, t in pages]


def collapse(text: str) -> str:
    return " ".join(text.split())


def char_accuracy(expected: str, got: str) -> float:
    """1 − normalised Levenshtein distance, whitespace collapsed (rapidfuzz)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(collapse(expected), collapse(got))


def legal_articles(law_dir: Path, n: int = 3, max_chars: int = 2500) -> list[tuple[str, str]]:
    """A few legal articles from the corpus (name, text), each short enough for one or two pages."""
    out: list[tuple[str, str]] = []
    for p in sorted(law_dir.glob("*.txt")):
        if len(out) >= n:
            break
        text = p.read_text(encoding="utf-8")
        if len(text) <= max_chars:
            out.append((p.name, text))
    return out
