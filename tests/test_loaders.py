"""Loading office files into text, and walking folders of them."""
from __future__ import annotations

import io
import re
import os
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

import ingest.loaders as loaders
from ingest.loaders import SUPPORTED_EXTENSIONS, iter_files, load_file
from ingest.types import SkipFile

MB = 1024 * 1024
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
BODY = ("Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận sáu tháng đầu năm. "
        "Hội nghị đánh giá việc thực hiện Quy chế dân chủ ở cơ sở và phong trào thi đua Dân vận khéo. ")


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None, title: str = "") -> bytes:
    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        doc.add_paragraph("Sau bảng")
    doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_pdf(lines: list[bytes], password: str | None = None) -> bytes:
    """A one-page PDF whose text is drawn in Helvetica/WinAnsi (bytes are WinAnsi codes)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if lines:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
        ops = b"BT /F1 12 Tf 14 TL 50 800 Td " + b" ".join(
            b"(" + line.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*" for line in lines) + b" ET"
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def reason_of(path: Path, max_bytes: int = 10 * MB) -> str:
    with pytest.raises(SkipFile) as e:
        load_file(path, max_bytes)
    return e.value.reason


# --- formats that load ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["note.txt", "NOTE.TXT", "readme.md"])
def test_text_files(tmp_path, name):
    loaded = load_file(write(tmp_path, name, BODY + "\r\n"), MB)
    assert loaded.text == BODY + "\n"
    assert loaded.encoding == "utf-8" and not loaded.is_html


def test_legacy_text_file(tmp_path):
    tcvn3 = b"Ban D\xa9n v\xcbn T\xd8nh \xf1y tri\xd3n khai Quy ch\xd5 d\xa9n ch\xf1 \xeb c\xac s\xeb"
    loaded = load_file(write(tmp_path, "cu.txt", tcvn3), MB)
    assert (loaded.text, loaded.encoding) == ("Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở", "tcvn3")


def test_html_main_content_and_title(tmp_path):
    html = f"""<html><head><title>Sơ kết công tác dân vận - Báo Hà Tĩnh</title>
    <meta property="og:title" content="Sơ kết công tác dân vận 6 tháng">
    <script>var menu = "Trang chủ";</script></head><body>
    <nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></nav>
    <article><h1>Sơ kết công tác dân vận</h1><p>{BODY}</p><p>{BODY}</p>
    <table><tr><td>Chỉ tiêu</td><td>Kết quả</td></tr><tr><td>Mô hình</td><td>25</td></tr></table>
    </article><footer>Bản quyền thuộc Báo Hà Tĩnh</footer></body></html>"""
    loaded = load_file(write(tmp_path, "bai.HTML", html), MB)
    assert loaded.is_html and loaded.encoding == "utf-8"
    assert loaded.title_hint == "Sơ kết công tác dân vận 6 tháng"
    assert "Quy chế dân chủ ở cơ sở" in loaded.text
    assert "var menu" not in loaded.text and "<p>" not in loaded.text


def test_html_title_tag_when_no_og_title(tmp_path):
    html = f"<html><head><title> Dân vận &amp; cơ sở </title></head><body><p>{BODY}</p></body></html>"
    loaded = load_file(write(tmp_path, "a.htm", html), MB)
    assert loaded.title_hint == "Dân vận & cơ sở"
    assert "Dân vận khéo" in loaded.text


def test_html_only_scripts_is_refused(tmp_path):
    html = "<html><head><script>alert('x')</script></head><body><script>var a = 1;</script></body></html>"
    assert reason_of(write(tmp_path, "s.html", html)) == loaders.NO_TEXT


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    data = make_docx(["Báo cáo công tác dân vận", BODY],
                     table=[["Nội dung", "Kết quả"], ["Mô hình dân vận khéo", "25"]],
                     title="Báo cáo 6 tháng")
    loaded = load_file(write(tmp_path, "bc.docx", data), MB)
    assert loaded.encoding == "docx" and loaded.title_hint == "Báo cáo 6 tháng"
    lines = loaded.text.split("\n")
    assert lines[0] == "Báo cáo công tác dân vận"
    assert lines[2:] == ["Nội dung: Mô hình dân vận khéo; Kết quả: 25", "Sau bảng"]


def test_docx_layout_table_without_header_row_is_read_cell_by_cell(tmp_path):
    data = make_docx([BODY], table=[["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM"]])
    lines = load_file(write(tmp_path, "ct.docx", data), MB).text.split("\n")
    assert lines[1:] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "Sau bảng"]


@pytest.mark.parametrize("rows, expected", [
    ([["Đơn vị", "Số mô hình"], ["Cẩm Xuyên", "155"], ["Hồng Lĩnh", "112"]],
     ["Đơn vị: Cẩm Xuyên; Số mô hình: 155", "Đơn vị: Hồng Lĩnh; Số mô hình: 112"]),
    ([["Đơn vị", "Số mô hình"], ["Cẩm Xuyên", ""]], ["Đơn vị: Cẩm Xuyên"]),  # empty cells are left out
    ([["Đơn vị", "Số mô hình"]], None),  # no data rows
    ([["Đơn vị"], ["Cẩm Xuyên"]], None),  # one column: a list, not a table
    ([["", "Số mô hình"], ["Cẩm Xuyên", "155"]], None),  # a header cell missing
    ([["Đơn vị", "Đơn vị"], ["A", "B"]], None),  # repeated header: not a header row
    ([["Ban Dân vận đã triển khai nhiều mô hình.", "X"], ["A", "B"]], None),  # a sentence, not a label
    ([["Đơn vị", "Số"], ["A", "1", "2"]], None),  # ragged rows
])
def test_table_lines(rows, expected):
    assert loaders.table_lines(rows) == expected


def test_docx_table_rows_keep_their_column_names_in_every_passage(tmp_path):
    from ingest.chunk import chunk_document
    from ingest.clean import clean_text
    rows = [["Đơn vị", "Số mô hình dân vận khéo", "Kinh phí hỗ trợ"]]
    rows += [[f"Xã thứ {i} của huyện", str(100 + i), f"{i},5 triệu đồng"] for i in range(60)]
    text = clean_text(load_file(write(tmp_path, "bang.docx", make_docx([BODY], table=rows)), MB).text)
    chunks = chunk_document("d", text, "Bảng", chunk_size=400, chunk_min=100, overlap=0)
    assert len(chunks) > 3
    for c in chunks:
        for figure in re.findall(r"\b1\d\d\b", c.text):
            assert f"Số mô hình dân vận khéo: {figure}" in c.text, c.text


def test_docx_with_vntime_glyphs_is_repaired(tmp_path):
    # Old Word files in .VnTime store TCVN3 codes as Latin-1 characters.
    legacy = "Ban D©n vËn TØnh ñy tri\u00d3n khai Quy chÕ d©n chñ ë c¬ së"
    loaded = load_file(write(tmp_path, "cu.docx", make_docx([legacy])), MB)
    assert loaded.text == "Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở"
    assert loaded.encoding == "docx+tcvn3"


def test_pdf_text_layer(tmp_path):
    pdf = make_pdf([b"Bao cao cong tac dan van", b"Hoi nghi so ket (thang 6)"])
    loaded = load_file(write(tmp_path, "bc.pdf", pdf), MB)
    assert loaded.encoding == "pdf"
    assert "Bao cao cong tac dan van" in loaded.text and "Hoi nghi so ket (thang 6)" in loaded.text


def test_pdf_made_from_tcvn3_font_is_repaired(tmp_path):
    pdf = make_pdf([b"Ban D\xa9n v\xcbn T\xd8nh \xf1y tri\xd3n khai Quy ch\xd5 d\xa9n ch\xf1 \xeb c\xac s\xeb"])
    loaded = load_file(write(tmp_path, "cu.pdf", pdf), MB)
    assert "Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở" in loaded.text
    assert loaded.encoding == "pdf+tcvn3"


# --- things that are refused ---------------------------------------------------------------

def test_encrypted_pdf(tmp_path):
    pdf = make_pdf([b"Bi mat"], password="pw")
    assert reason_of(write(tmp_path, "kin.pdf", pdf)) == "PDF có mật khẩu (password-protected PDF)"


def test_scanned_pdf(tmp_path):
    assert reason_of(write(tmp_path, "scan.pdf", make_pdf([]))) == loaders.SCANNED_PDF


@pytest.mark.parametrize("data", [b"%PDF-1.4\nthis is not really a pdf", b"", b"\x00" * 100])
def test_corrupt_pdf(tmp_path, data):
    reason = reason_of(write(tmp_path, "x.pdf", data))
    assert reason.startswith("PDF hỏng (corrupt PDF") or reason == "tệp rỗng (empty file)"


def test_truncated_pdf(tmp_path):
    pdf = make_pdf([b"Bao cao cong tac dan van"])
    reason = reason_of(write(tmp_path, "cut.pdf", pdf[: len(pdf) // 3]))
    assert reason.startswith("PDF") and "(" in reason


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04broken"])
def test_corrupt_docx(tmp_path, data):
    assert reason_of(write(tmp_path, "x.docx", data)) == "DOCX hỏng (corrupt DOCX)"


def test_zip_without_word_body_is_corrupt_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    assert reason_of(write(tmp_path, "x.docx", buf.getvalue())) == "DOCX hỏng (corrupt DOCX)"


def test_docx_zip_bomb_by_ratio(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document/>" + b"\x00" * (4 * MB))
    assert len(buf.getvalue()) < 64 * 1024
    assert "zip bomb" in reason_of(write(tmp_path, "bomb.docx", buf.getvalue()))


def test_docx_zip_bomb_by_size(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "MAX_ZIP_UNCOMPRESSED", 10_000)
    data = make_docx([BODY * 20])
    assert "zip bomb" in reason_of(write(tmp_path, "big.docx", data))


def test_docx_without_text(tmp_path):
    assert reason_of(write(tmp_path, "empty.docx", make_docx([]))) == loaders.NO_TEXT


def test_unsupported_extension(tmp_path):
    assert reason_of(write(tmp_path, "bang.xlsx", b"PK")) == "định dạng không hỗ trợ (unsupported format .xlsx)"


def test_too_large_is_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", BODY * 100)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read before size check"))
    assert reason_of(path, max_bytes=1000).startswith("tệp quá lớn (file too large")


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", BODY)

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    assert reason_of(path) == "không đọc được tệp (cannot read file: Permission denied)"


def test_missing_and_empty_files(tmp_path):
    assert reason_of(tmp_path / "nope.txt").startswith("không đọc được tệp")
    assert reason_of(write(tmp_path, "zero.txt", b"")) == "tệp rỗng (empty file)"
    assert reason_of(write(tmp_path, "bin.txt", b"\x00\x01\x02\x03" * 10)) == "tệp nhị phân (binary file)"


# --- walking folders -----------------------------------------------------------------------

def test_iter_files_walks_sorted_and_reports_skips(tmp_path):
    write(tmp_path, "b.txt", BODY)
    write(tmp_path, "a.docx", make_docx([BODY]))
    write(tmp_path, "c.xyz", "x")
    write(tmp_path, ".hidden.txt", BODY)
    write(tmp_path, ".git/config.txt", BODY)
    write(tmp_path, "sub/d.md", BODY)
    write(tmp_path, "sub/e.PDF", make_pdf([b"Bao cao"]))
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # a folder link back up: must not loop
    os.symlink(tmp_path / "b.txt", tmp_path / "sub" / "z_alias.txt")  # same real file as b.txt
    bad = os.path.join(os.fsencode(tmp_path), b"sub", b"t\xeAn.txt")  # Latin-1 byte, not UTF-8
    with open(bad, "wb") as f:
        f.write(BODY.encode("utf-8"))

    got = [(p.relative_to(tmp_path).as_posix(), r) for p, r in iter_files([tmp_path])]
    names = [n for n, _ in got]
    assert names[:3] == ["a.docx", "b.txt", "c.xyz"]
    assert ("sub/d.md", None) in got and ("sub/e.PDF", None) in got
    assert dict(got)["c.xyz"] == "định dạng không hỗ trợ (unsupported format .xyz)"
    assert not any(".hidden" in n or ".git" in n or "loop" in n or "z_alias" in n for n in names)
    bad_entries = [r for n, r in got if n.startswith("sub/t") and r]
    assert bad_entries == ["tên tệp không hợp lệ (file name is not valid UTF-8)"]
    assert len(names) == len(set(names))


def test_iter_files_mixed_folder_loads_good_and_skips_bad(tmp_path):
    write(tmp_path, "1.txt", BODY)
    write(tmp_path, "2.pdf", b"%PDF-1.4 broken")
    write(tmp_path, "3.docx", b"nope")
    write(tmp_path, "4.html", f"<html><body><p>{BODY}</p></body></html>")
    write(tmp_path, "5.txt", b"")
    outcome = {}
    for path, reason in iter_files([tmp_path]):
        if reason is None:
            try:
                outcome[path.name] = load_file(path, MB).encoding
            except SkipFile as e:
                outcome[path.name] = e.reason
    assert outcome["1.txt"] == "utf-8" and outcome["4.html"] == "utf-8"
    assert outcome["2.pdf"].startswith("PDF hỏng")
    assert outcome["3.docx"] == "DOCX hỏng (corrupt DOCX)"
    assert outcome["5.txt"] == "tệp rỗng (empty file)"


def test_iter_files_accepts_file_arguments_once(tmp_path):
    a = write(tmp_path, "a.txt", BODY)
    assert list(iter_files([a, a, tmp_path])) == [(a, None)]


def test_supported_extensions():
    assert SUPPORTED_EXTENSIONS == {".txt", ".md", ".html", ".htm", ".docx", ".pdf",
                                    ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


# --- the real seed articles ----------------------------------------------------------------

@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus not present")
def test_seed_files_decode_as_utf8():
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    for path in seeds:
        loaded = load_file(path, 10 * MB)
        assert loaded.encoding == "utf-8"
        assert "Dân vận" in loaded.text
