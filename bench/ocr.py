"""OCR speed and accuracy on scanned pages made from the corpus: pages/second and character accuracy
per variant (clean, noisy, sealed), on this machine's CPUs.

The five seeds and a few legal articles are typeset to A4 page images (tests/scanned_fixtures.py),
scanned in each variant into image-only PDFs, and read back through the loader (rasterise with
pdftoppm, clean the image, Tesseract ``vie``), ``--workers`` pages at a time. Accuracy is
1 − normalised Levenshtein distance between the printed and the read text of each file.

With ``--out DIR`` the scanned seeds are kept there, named after their source (``002_….pdf``, the
variants in turn), with ``questions.jsonl`` rewritten to cite them, for ``danvan ingest`` + ``eval``.

    .venv/bin/python bench/ocr.py --json bench-ocr.json [--variants clean noisy sealed] [--out scans/]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench.common import CORPUS, QUESTIONS, SEEDS, machine, table, temp_dir, write_json  # noqa: E402
from ingest.loaders import load_pdf  # noqa: E402
from ingest.ocr import OcrOptions  # noqa: E402
from scanned_fixtures import VARIANTS, char_accuracy, legal_articles, scan_to_pdf  # noqa: E402

LAW_ARTICLES = 3


def sources(n_law: int) -> list[tuple[str, str]]:
    seeds = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return seeds + legal_articles(CORPUS / "law", n=n_law)


def run_variant(name: str, docs: list[tuple[str, str]], opts: OcrOptions, folder: Path) -> dict:
    pages = seconds = 0.0
    printed_all, read_all = [], []
    for i, (src, text) in enumerate(docs):
        pdf = folder / f"{Path(src).stem}.{name}.pdf"
        printed = scan_to_pdf(text, pdf, name, seed=i)
        t = time.perf_counter()
        loaded = load_pdf(pdf.read_bytes(), opts)
        seconds += time.perf_counter() - t
        pages += loaded.ocr_pages
        printed_all.append("\n".join(printed))
        read_all.append(loaded.text)
    per_file = [char_accuracy(p, r) for p, r in zip(printed_all, read_all)]
    return {"variant": name, "files": len(docs), "pages": int(pages), "seconds": round(seconds, 1),
            "pages_per_s": round(pages / seconds, 3) if seconds else 0.0,
            "accuracy": round(char_accuracy("\n".join(printed_all), "\n".join(read_all)), 4),
            "worst_file": round(min(per_file), 4)}


def write_scanned_seeds(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        scan_to_pdf(seed.read_text(encoding="utf-8"), out / f"{seed.stem}.pdf", VARIANTS[i % 3], seed=i,
                    footer="Trang {n}")
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items:
        item["sources"] = [s.rsplit(".", 1)[0] + ".pdf" for s in item.get("sources", [])]
    (out.parent / f"{out.name}-questions.jsonl").write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--law", type=int, default=LAW_ARTICLES, help="legal articles besides the five seeds")
    ap.add_argument("--out", type=Path, help="keep the scanned seeds here (and <out>-questions.jsonl)")
    ap.add_argument("--json")
    args = ap.parse_args()
    opts = OcrOptions(workers=args.workers)
    docs = sources(args.law)
    rows = []
    with temp_dir("ocr") as tmp:
        for name in args.variants:
            rows.append(run_variant(name, docs, opts, Path(tmp)))
            print(f"{name}: {rows[-1]}", flush=True)
    if args.out:
        write_scanned_seeds(args.out)
    headers = list(rows[0])
    print(table(headers, [[r[h] for h in headers] for r in rows], digits=3))
    if args.json:
        write_json(args.json, {"machine": machine(), "workers": args.workers, "results": rows})


if __name__ == "__main__":
    main()
