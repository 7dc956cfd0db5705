"""Refresh the README screenshots (docs/*.png) from a real app run, as a new office user sees it.

Starts ``python app.py`` on a temporary store (the real embedding model), uploads a few seed articles, legal
articles and news files from ../shared/corpus through the «Tài liệu» tab, asks a question, drafts a speech
outline (copied, exported), looks a directive up, then does the same at 420 px; Debian's chromium, headless,
at 1400×1000. Needs chromium and chromium-driver, as the browser tests do.

    .venv/bin/python scripts/screenshots.py            # writes docs/*.png
    .venv/bin/python scripts/screenshots.py --out DIR  # elsewhere
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browserkit import (QA, SEEDS, TALKING, _ask, _bot_texts, _click_tab, _css, _retype, _start_app,  # noqa: E402
                        _stop, _wait, chromium)

CORPUS = SEEDS.parent
FILES = [SEEDS / f for f in ("000_72696720fdc55954.txt", "001_55ffc7e6e046b248.txt", "002_53d483f86c03c5e7.txt",
                             "003_1a7fc85f422d364f.txt", "004_62f44b5bf5acd665.txt")]
FILES += [CORPUS / "law" / f for f in ("phapdien_44.13.LQ.1.txt", "phapdien_44.13.LQ.2.txt",
                                       "phapdien_44.13.LQ.36.txt", "phapdien_35.4.LQ.1.txt")]
FILES += [CORPUS / "news" / f for f in ("test_003072.txt", "train_068341.txt", "baomoi_21481254.txt")]
WIDE, NARROW = (1400, 1000), (420, 900)


def _choose(d, label: str) -> None:
    radio = _wait(d, lambda d: next((e for e in _css(d, "#mode label") if label in e.text), None), 30, label)
    radio.click()


def run(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(d, name: str) -> None:
        time.sleep(0.5)  # the last redraw
        d.save_screenshot(str(out / name))
        shots.append(out / name)

    with tempfile.TemporaryDirectory(prefix="danvan-shots-") as tmp:
        proc, url, _log = _start_app(Path(tmp))
        d = chromium(Path(tmp) / "profile", WIDE)
        try:
            d.get(url)
            _wait(d, lambda d: _css(d, "#question textarea"), 120, "the page")
            _click_tab(d, "Tài liệu")
            file_input = _wait(d, lambda d: next(iter(_css(d, "input[type=file]")), None), 60, "file input")
            file_input.send_keys("\n".join(str(f) for f in FILES))
            _wait(d, lambda d: all(f.name in _css(d, "#upload-list")[0].text for f in FILES), 120, "chosen files")
            _css(d, "#ingest")[0].click()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:  # the progress panel, as soon as it names a file (an ingest is short)
                panel = _css(d, "#ingest-summary")[0].text
                if "đang xử lý" in panel and ".txt" in panel:
                    d.save_screenshot(str(out / "documents-progress.png"))
                    shots.append(out / "documents-progress.png")
                    break
                if "Kết quả nạp tài liệu" in panel:
                    raise SystemExit("the ingest finished before its progress could be photographed: run again")
                time.sleep(0.05)
            _wait(d, lambda d: "Kết quả nạp tài liệu" in _css(d, "#ingest-summary")[0].text, 600, "ingest summary")
            _wait(d, lambda d: FILES[-1].name in _css(d, "#docs-table")[0].text, 60, "documents table")
            d.execute_script("document.getElementById('stats').scrollIntoView()")  # the table, as many rows as fit
            shot(d, "documents.png")

            _click_tab(d, "Hỏi đáp")
            _ask(d, QA, len(_bot_texts(d)))
            shot(d, "screenshot-chat.png")
            _choose(d, "Dàn ý phát biểu")
            _ask(d, TALKING, len(_bot_texts(d)))
            d.execute_script("navigator.clipboard.writeText = async (t) => { window.dvCopied = t; };")
            _css(d, "#copy-tp")[0].click()
            _wait(d, lambda d: "Đã sao chép" in _css(d, "#copy-note")[0].text, 30, "«Đã sao chép»")
            _css(d, "#export-docx")[0].click()
            _wait(d, lambda d: any(a.get_attribute("href") for a in _css(d, "#docx-file a")), 120, "DOCX link")
            d.execute_script("document.getElementById('talking-points').scrollIntoView({block: 'center'})")
            shot(d, "talking-points.png")
            _choose(d, "Tự động")

            _click_tab(d, "Tra cứu")
            box = _wait(d, lambda d: next(iter(_css(d, "#lk-query input, #lk-query textarea")), None), 30, "lookup")
            _retype(box, "20-CT")
            _css(d, "#lk-go")[0].click()
            _wait(d, lambda d: any("20-CT/ThU" in c.text for c in _css(d, "#lk-table [role=gridcell]")), 120, "row")
            next(c for c in _css(d, "#lk-table [role=gridcell]") if "20-CT/ThU" in c.text).click()
            _wait(d, lambda d: _css(d, "#lk-passage mark"), 60, "lookup passage")
            shot(d, "lookup.png")

            d.set_window_size(*NARROW)
            d.execute_script("window.scrollTo(0, 0)")
            _wait(d, lambda d: any(c.is_displayed() for c in _css(d, "#lk-cards .dv-card")), 60, "cards")
            shot(d, "lookup-420.png")
            _click_tab(d, "Hỏi đáp")
            _ask(d, "Mặt trận Tổ quốc Việt Nam là gì?", len(_bot_texts(d)))  # a legal article: its instrument, in force since
            top = d.execute_script("return document.getElementById('sources').getBoundingClientRect().top")
            d.execute_script("window.scrollBy(0, arguments[0] - 60)", top)
            shot(d, "chat-420.png")
        finally:
            d.quit()
            _stop(proc)
    return shots


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs", help="folder for the PNG files (default: docs/)")
    for path in run(ap.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
