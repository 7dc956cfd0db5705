"""OCR on real Tesseract (Vietnamese model) and real page images made at test time from the corpus.

Kept CI-sized (a handful of pages: OCR takes seconds per page); the whole scanned-seeds eval is the
``slow`` test at the end. A missing Tesseract, poppler or font fails these tests, it never skips them.
"""
from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import EVAL, LAW, SEEDS, make_settings
from ingest.loaders import ocr_text
from ingest.ocr import OcrOptions, ocr_image
from scanned_fixtures import (VARIANTS, char_accuracy, legal_articles, render_pages, scan_to_pdf, variant,
                              write_pdf)

SEED = "002_53d483f86c03c5e7.txt"
TARGET = {"clean": 0.97, "noisy": 0.93, "sealed": 0.93}
DIRECTIVE_HEADER = ("ĐẢNG BỘ THỊ XÃ HỒNG LĨNH\nTHỊ ỦY\nSố: 20-CT/ThU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                    "Hà Nội, ngày 15 tháng 3 năm 2022\nCHỈ THỊ\nvề tăng cường hoạt động của chi đoàn, chi hội\n")


def _first_paragraphs(text: str, chars: int) -> str:
    out, n = [], 0
    for para in (p for p in text.split("\n") if p.strip()):
        out.append(para)
        n += len(para)
        if n >= chars:
            break
    return "\n".join(out)


@pytest.mark.parametrize("name", VARIANTS)
def test_character_accuracy_per_variant(name):
    (img, printed), *_ = render_pages((SEEDS / SEED).read_text(encoding="utf-8"))
    text, conf = ocr_image(variant(img, name, seed=7), OcrOptions())
    accuracy = char_accuracy(printed, ocr_text(text))
    assert accuracy >= TARGET[name], (name, accuracy)
    assert conf and conf > 50


def test_legal_article_page_keeps_article_number_and_effective_date():
    [(name, article)] = legal_articles(LAW, n=1)
    (img, printed), *_ = render_pages(article)
    text = ocr_text(ocr_image(variant(img, "noisy", seed=3), OcrOptions())[0])
    assert char_accuracy(printed, text) >= TARGET["noisy"], name
    from ingest.clean import clean_text
    from ingest.metadata import extract_metadata
    meta = extract_metadata(text, clean_text(text), name.replace(".txt", ".pdf"))
    assert meta.kind == "law" and meta.article and meta.article.startswith("Điều"), meta


def test_scanned_directive_image_keeps_number_and_date_in_metadata_and_facts(tmp_path):
    from ingest.pipeline import prepare_file
    body = _first_paragraphs((SEEDS / SEED).read_text(encoding="utf-8"), 600)
    (img, _), = render_pages(DIRECTIVE_HEADER + body)
    path = tmp_path / "chi-thi.tif"
    variant(img, "sealed", seed=1).save(path, dpi=(300, 300))
    prep = prepare_file(path, make_settings(tmp_path / "s"))
    assert prep.encoding == "ocr" and prep.ocr_pages == 1
    assert prep.meta.title.startswith("Chỉ thị số 20-CT/ThU về tăng cường"), prep.meta.title
    assert (prep.meta.date, prep.meta.date_iso) == ("15/03/2022", "2022-03-15")
    refs = [f for f in prep.facts if f["kind"] == "document_ref"]
    assert any(f["fields"]["number"] == "20-CT/ThU" and f["fields"]["type_key"] == "chi-thi" for f in refs), refs
    assert all(c.page == 1 and c.ocr for c in prep.chunks)


def _mixed_pdf(tmp_path: Path, scanned_text: str) -> Path:
    """Page 1 has a text layer (typed PDF), page 2 is a sealed scan with a running footer."""
    from test_loaders import make_pdf
    scan = tmp_path / "scan-part.pdf"
    scan_to_pdf(scanned_text, scan, "sealed", seed=2)
    writer = PdfWriter()
    # a typed cover page about something else, so the question below is answered from the scan
    typed = [b"Phu luc kem theo: danh sach dai bieu tham du va chuong trinh lam viec cua hoi nghi."] + [
        f"Phien {i}: cac dai bieu thao luan, gop y vao du thao bao cao chinh tri cua dai hoi.".encode()
        for i in range(1, 7)]
    writer.append(PdfReader(io.BytesIO(make_pdf(typed))))
    writer.append(PdfReader(scan), pages=[0])
    out = tmp_path / "docs" / "bao-cao.pdf"
    out.parent.mkdir()
    with out.open("wb") as f:
        writer.write(f)
    return out


def test_ingest_ocrs_only_scanned_pages_with_progress_pages_and_citations(tmp_path, shared_embed_cache):
    from ui.render import sources_html
    from assistant.service import Assistant
    body = _first_paragraphs((SEEDS / SEED).read_text(encoding="utf-8"), 900)
    pdf = _mixed_pdf(tmp_path, body)
    (pdf.parent / "ghi-chu.txt").write_text("Ghi chú của Ban Dân vận về việc tổ chức hội nghị sơ kết cuối năm.",
                                           encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache))
    seen: list[str] = []
    report = a.ingest([pdf.parent], progress=lambda done, total, label: seen.append(label))
    assert sorted(Path(p).name for p in report.added) == ["bao-cao.pdf", "ghi-chu.txt"], report.summary_lines()
    assert report.ocr_pages == 1 and report.ocr_seconds > 0
    assert any("OCR" in line and "1 trang" in line for line in report.summary_lines())
    assert any(Path(label).name == "bao-cao.pdf (nhận dạng chữ: trang 1 trong 1)" for label in seen), seen
    doc = next(d for d in a.documents() if d.source == "bao-cao.pdf")
    assert doc.encoding == "pdf+ocr"
    chunks = a.store.catalogue.chunks_of(doc.doc_id)
    assert (chunks[0].page, chunks[0].ocr) == (1, False) and chunks[0].text.startswith("Phu luc kem theo")
    assert all(c.ocr for c in chunks if c.page == 2) and any(c.page == 2 for c in chunks)
    answer = a.ask("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?")
    cited = [c for c in answer.citations if c.source == "bao-cao.pdf"]
    assert cited and all(c.page == 2 and c.ocr for c in cited), answer.citations
    shown = sources_html(answer)
    assert "trang 2" in shown and "trích từ bản quét" in shown
    a.close()


def test_ocr_failure_skips_the_file_with_a_reason_and_keeps_the_rest(tmp_path, shared_embed_cache):
    from assistant.service import Assistant
    folder = tmp_path / "docs"
    folder.mkdir()
    (img, _), = render_pages("Trang quét thử nghiệm về công tác dân vận ở cơ sở.")
    write_pdf([img], folder / "quet.pdf")
    (folder / "ghi-chu.txt").write_text("Ghi chú của Ban Dân vận về việc tổ chức hội nghị sơ kết cuối năm.",
                                        encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, ocr_page_timeout_s=0.001))
    report = a.ingest([folder])
    assert [Path(p).name for p in report.added] == ["ghi-chu.txt"]
    [(path, reason)] = report.skipped
    assert path.endswith("quet.pdf") and "trang 1" in reason and "quá thời gian" in reason, reason
    assert str(tmp_path) not in reason
    a.close()


def test_store_made_before_pages_is_migrated(tmp_path):
    from vectorstore.catalogue import Catalogue
    path = tmp_path / "catalogue.sqlite3"
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE chunks (chunk_id TEXT PRIMARY KEY, doc_id TEXT, position INTEGER, text TEXT, '
                'heading TEXT, start INTEGER, "end" INTEGER)')
    con.execute("INSERT INTO chunks VALUES ('c1', 'd1', 0, 'Dân vận khéo', '', 0, 12)")
    con.commit()
    con.close()
    cat = Catalogue(path)
    [row] = cat.chunks_of("d1")
    assert (row.text, row.page, row.ocr) == ("Dân vận khéo", None, False)
    cat.close()
    Catalogue(path).close()  # opening again: nothing left to migrate


@pytest.mark.slow
def test_eval_on_scanned_seeds(tmp_path, shared_embed_cache):
    """The five seeds as scans (clean, noisy, sealed in turn), then the eval questions against them."""
    from assistant.evaluate import run_eval
    from assistant.service import Assistant
    folder = tmp_path / "scans"
    folder.mkdir()
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        scan_to_pdf(seed.read_text(encoding="utf-8"), folder / f"{seed.stem}.pdf", VARIANTS[i % 3], seed=i,
                    footer="Trang {n}")
    questions = tmp_path / "questions.jsonl"
    lines = []
    for line in (EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            item["sources"] = [s.rsplit(".", 1)[0] + ".pdf" for s in item.get("sources", [])]
            lines.append(json.dumps(item, ensure_ascii=False))
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache))
    report = a.ingest([folder])
    assert len(report.added) == 5 and report.ocr_pages >= 5, report.summary_lines()
    results, totals = run_eval(a, questions)
    assert totals["passed"] >= 12, [(r.id, r.reasons) for r in results if not r.passed]
    a.close()


def test_without_the_language_model_typed_pages_still_load_and_scans_are_skipped_with_a_reason(tmp_path):
    from ingest.loaders import load_file
    from ingest.types import SkipFile
    no_model = OcrOptions(lang="khongco")  # a Tesseract model that is not installed
    mixed = _mixed_pdf(tmp_path, "Trang quét về công tác dân vận ở cơ sở.")
    loaded = load_file(mixed, 10 << 20, ocr=no_model)
    assert loaded.text.startswith("Phu luc kem theo") and loaded.ocr_pages == 0 and loaded.encoding == "pdf"
    (img, _), = render_pages("Trang quét về công tác dân vận ở cơ sở.")
    write_pdf([img], tmp_path / "quet.pdf")
    with pytest.raises(SkipFile) as e:
        load_file(tmp_path / "quet.pdf", 10 << 20, ocr=no_model)
    assert e.value.reason.startswith("PDF dạng ảnh: chưa cài Tesseract")
