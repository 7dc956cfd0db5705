"""Pure page-level functions behind OCR: line joining, TSV rebuilding, running lines, page starts,
and which PDF pages need OCR. No Tesseract here: these are table tests on strings."""
from __future__ import annotations

import pytest

from ingest.doc_header import header_facts, parse_doc_header
from ingest.pages import (join_wrapped, page_index_at, page_starts, rebuild_tesseract_tsv, reflow,
                          strip_running_lines)
from ingest.scan_detect import GARBLED_TEXT_LAYER, NO_TEXT_LAYER, page_ocr_reason

GOOD_PAGE = ("Chiều ngày 19/12, Ban Thường vụ Thị ủy đã sơ kết một năm thực hiện Chỉ thị số 20-CT/ThU "
             "về tăng cường sự lãnh đạo, chỉ đạo và nâng cao chất lượng hoạt động của chi đoàn, chi hội.")


@pytest.mark.parametrize("prev, nxt, joined", [
    ("nâng cao chất", "lượng hoạt động", "nâng cao chất lượng hoạt động"),
    ("vận hà-", "nh tốt", "vận hành tốt"),  # a word split at the line end
    ("Chỉ thị số 20-", "CT/ThU của", "Chỉ thị số 20-CT/ThU của"),  # a code split at its hyphen
    ("giai đoạn 2018 -", "2020", "giai đoạn 2018 - 2020"),  # a spaced dash stays a dash
    ("Hà Tĩnh-", "Nghệ An", "Hà Tĩnh-Nghệ An"),  # capital after the hyphen: a compound, kept
    ("chủ nghĩa Xô-", "viết", "chủ nghĩa Xô-viết"),  # two whole syllables: the hyphen was written
])
def test_join_wrapped(prev, nxt, joined):
    assert join_wrapped(prev, nxt) == joined


def test_reflow_joins_full_lines_and_keeps_short_ones_and_list_items():
    lines = [("Các chi đoàn, chi hội đã tổ chức nhiều hoạt động", 1000),
             ("thiết thực trong năm qua:", 400),
             ("- Hỗ trợ xây dựng nhà văn hóa thôn", 1000),
             ("- Ra quân làm đường giao thông nông thôn", 900)]
    assert reflow(lines) == ["Các chi đoàn, chi hội đã tổ chức nhiều hoạt động thiết thực trong năm qua:",
                             "- Hỗ trợ xây dựng nhà văn hóa thôn",
                             "- Ra quân làm đường giao thông nông thôn"]


def _tsv(rows: list[tuple[int, int, int, int, int, str, float]]) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    out = [head, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for block, par, line, left, width, word, conf in rows:
        out.append(f"5\t1\t{block}\t{par}\t{line}\t1\t{left}\t100\t{width}\t40\t{conf}\t{word}")
    return "\n".join(out)


def test_rebuild_tesseract_tsv_paragraphs_lines_and_confidence():
    tsv = _tsv([(1, 1, 1, 100, 300, "Toàn", 90.0), (1, 1, 1, 420, 200, "cảnh", 94.0),
                (2, 1, 1, 100, 900, "Ban", 96.0), (2, 1, 1, 1020, 980, "Dân-", 96.0),
                (2, 1, 2, 100, 300, "vận", 92.0), (2, 1, 2, 420, 100, "tỉnh.", 92.0)])
    text, conf = rebuild_tesseract_tsv(tsv)
    assert text == "Toàn cảnh\n\nBan Dân-vận tỉnh."
    assert conf == pytest.approx(93.333, abs=0.01)
    assert rebuild_tesseract_tsv(_tsv([])) == ("", None)


def test_strip_running_lines_drops_headers_footers_and_page_numbers():
    pages = [f"BAN DÂN VẬN TỈNH ỦY\nNội dung trang {i} khác nhau hoàn toàn {'x' * i}\n- {i} -" for i in range(1, 5)]
    assert strip_running_lines(pages) == [f"Nội dung trang {i} khác nhau hoàn toàn {'x' * i}" for i in range(1, 5)]


def test_strip_running_lines_keeps_lines_of_short_files_and_body_repeats():
    two = ["BAN DÂN VẬN\nMột trang", "BAN DÂN VẬN\nTrang khác"]
    assert strip_running_lines(two) == two  # too few pages to call a line running
    body = [f"Mở {'a' * i}\nđầu {'b' * i}\nDân vận khéo\nthân {'c' * i}\nkết {'d' * i}\nthúc {'e' * i}"
            for i in range(4)]
    assert strip_running_lines(body) == body  # a repeat in the middle of a page is content


def test_page_starts_and_page_index_at():
    pages = ["Trang một có câu mở đầu.\nvà tiếp", "Trang hai bắt đầu ở đây.", "12", "Trang bốn, đoạn cuối."]
    cleaned = "Trang một có câu mở đầu.\nvà tiếp\n\nTrang hai bắt đầu ở đây.\n\nTrang bốn, đoạn cuối."
    starts = page_starts(cleaned, pages)
    assert starts == [0, cleaned.index("Trang hai"), cleaned.index("Trang hai"), cleaned.index("Trang bốn")]
    assert page_index_at(starts, 3) == 0
    assert page_index_at(starts, cleaned.index("bắt đầu")) == 2  # an empty page shares its start
    assert page_index_at(starts, len(cleaned) - 1) == 3


@pytest.mark.parametrize("text, has_image, reason", [
    (GOOD_PAGE, False, None),
    (GOOD_PAGE, True, None),  # a page with a photo and plenty of text keeps its text layer
    ("", False, NO_TEXT_LAYER),
    ("- 3 -", False, NO_TEXT_LAYER),
    ("Trang 3 Bản sao", True, NO_TEXT_LAYER),  # a scan whose only text is a stamp
    ("Short report title", False, None),
    ("!\"#$%&'()*+,-./ " * 20 + "abc def ghi jkl mno pqr stu", False, GARBLED_TEXT_LAYER),
    ("\ue000\ue001\ue002 " * 30 + GOOD_PAGE[:60], False, GARBLED_TEXT_LAYER),
    ("Bµn Th­êng vô ThÞ ñy ®· s¬ kÕt mét n¨m thùc hiÖn ChØ thÞ sè 20 vÒ t¨ng c­êng sù l·nh ®¹o", False,
     GARBLED_TEXT_LAYER),  # TCVN3 bytes read as Latin-1 that the repair could not undo
    ("The committee reviewed the directive on strengthening leadership of youth unions.", False, None),
])
def test_page_ocr_reason(text, has_image, reason):
    assert page_ocr_reason(text, has_image) == reason


DIRECTIVE_TOP = ("ĐẢNG BỘ THỊ XÃ HỒNG LĨNH\nTHỊ ỦY\nSố: 20-CT/ThU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                 "Hà Nội, ngày 15 tháng 3 năm 2022\n\nCHỈ THỊ\nvề tăng cường hoạt động của chi đoàn, chi hội\n\n"
                 "Trong những năm qua, các chi đoàn đã có nhiều cố gắng.")


def test_directive_header_gives_title_and_document_reference():
    h = parse_doc_header(DIRECTIVE_TOP)
    assert h.title == "Chỉ thị số 20-CT/ThU về tăng cường hoạt động của chi đoàn, chi hội"
    assert h.date == "15 tháng 3 năm 2022"
    [fact] = header_facts(DIRECTIVE_TOP)
    assert fact.text == "Số: 20-CT/ThU" and DIRECTIVE_TOP[fact.start:].startswith("Số: 20-CT/ThU")
    assert fact.fields["number"] == "20-CT/ThU" and fact.fields["type_key"] == "chi-thi"


@pytest.mark.parametrize("text, expected", [
    ("UBND TỈNH\nSố: 145/KH-UBND\nHà Tĩnh, ngày 2 tháng 4 năm 2021\n\nKẾ HOẠCH", "Kế hoạch số 145/KH-UBND"),
    ("THỊ ỦY\nSố 05-NQ/TU\n", "Nghị quyết số 05-NQ/TU"),  # no kind line: the symbol names it
])
def test_header_kind(text, expected):
    assert parse_doc_header(text).title == expected


@pytest.mark.parametrize("text", [
    "Số lượng mô hình tăng mạnh.\nSố: 112",  # a count, not a document number with a kind
    GOOD_PAGE,
    "\n" * 20 + "Số: 20-CT/ThU",  # below the header block
])
def test_no_header(text):
    assert header_facts(text) == []
