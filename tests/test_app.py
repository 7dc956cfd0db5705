"""The web app's pure parts (no browser, no model): file names, uploads, auth, filters, rendering, DOCX."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import app  # noqa: E402
from assistant.docx_export import source_line, talking_points_docx  # noqa: E402
from assistant.types import Answer, Citation  # noqa: E402
from vectorstore.settings import Settings  # noqa: E402


class FakeAssistant:
    """Just enough of Assistant for building the UI and calling its API without a store or model."""

    def __init__(self, data_dir: Path):
        self.settings = Settings(data_dir=data_dir, _env_file=None)
        self.asked: list[tuple] = []

    def documents(self):
        return [SimpleNamespace(doc_id="d1", title="Báo cáo", outlet="Baohatinh.vn", date="09/07/2021",
                                n_chunks=3, source="a.txt")]

    def stats(self):
        return {"documents": 1, "chunks": 3, "characters": 1200, "facts": 2, "near_duplicates": 0}

    def describe(self):
        return {"LLM": "không dùng LLM"}

    def ask(self, question, mode="auto", k=None, history=None, filters=None):
        self.asked.append((question, mode))
        return _answer()

    def ask_stream(self, question, mode="auto", k=None, history=None, filters=None):
        self.asked.append((question, mode, history, filters))
        yield "delta", "Ý một "
        a = _answer()
        a.found = "không có" not in question
        yield "answer", a

    def lookup(self, query=None, type_key=None, figure=None):
        return []


def _answer() -> Answer:
    cites = [
        Citation(n=1, doc_id="d1", source="002_hong_linh.txt", title="Sơ kết Chỉ thị 20-CT/ThU",
                 outlet="Cổng TTĐT Hồng Lĩnh", date="2019", quote="Năm 2018 đăng ký 112 mô hình dân vận khéo.",
                 score=0.9, highlights=["mô", "hình"]),
        Citation(n=2, doc_id="d2", source="003.txt", title="Cẩm Xuyên <tổng kết>", outlet=None, date=None,
                 quote="Nhân rộng các mô hình.", score=0.5, label="Điều 5 Luật số 10/2022/QH15"),
    ]
    return Answer(question="Soạn ý chính về Dân vận khéo", mode="talking_points", found=True,
                  answer="- Ý một [1]\n- Ý hai [1][2]", citations=cites,
                  bullets=["Ý một [1]", "Ý hai [1][2]", "  Ý ba, giữ nguyên khoảng trắng [2]"])


@pytest.mark.parametrize("raw, expected", [
    ("bao-cao.txt", "bao-cao.txt"),
    ("../../thoat-ra.txt", "thoat-ra.txt"),
    ("..\\..\\windows\\thoat-ra.md", "thoat-ra.md"),
    ("/etc/passwd.txt", "passwd.txt"),
    ("Báo cáo sơ kết Dân vận khéo năm 2018.docx", "Báo cáo sơ kết Dân vận khéo năm 2018.docx"),
    ("ba\u0301o ca\u0301o.pdf", "báo cáo.pdf"),  # decomposed accents → NFC
    ("tai\x00lieu\x1b\n.HTML", "tailieu.HTML".replace("HTML", "html")),
    ("  .hidden.md", "hidden.md"),
    ('a<b>:"c|d?*.htm', "abcd.htm"),
    ("....txt", "tai-lieu.txt"),
    (".txt", "tai-lieu.txt"),
])
def test_safe_upload_name(raw, expected):
    assert app.safe_upload_name(raw) == expected


@pytest.mark.parametrize("raw", ["virus.exe", "script.sh", "noext", "archive.tar.gz", "..", "", "a.txt.exe"])
def test_safe_upload_name_refuses(raw):
    with pytest.raises(app.UploadRefused):
        app.safe_upload_name(raw)


def test_store_upload_stays_inside_and_suffixes_collisions(tmp_path):
    src1, src2 = tmp_path / "one.bin", tmp_path / "two.bin"
    src1.write_text("nội dung một", encoding="utf-8")
    src2.write_text("nội dung hai", encoding="utf-8")
    uploads = tmp_path / "data" / "uploads"
    first = app.store_upload(src1, uploads, "../../thoat-ra.txt")
    assert first == (uploads / "thoat-ra.txt").resolve()
    assert not (tmp_path / "thoat-ra.txt").exists()
    assert app.store_upload(src1, uploads, "thoat-ra.txt") == first  # same content → same file
    second = app.store_upload(src2, uploads, "thoat-ra.txt")
    assert second.name == "thoat-ra-1.txt" and second.read_text(encoding="utf-8") == "nội dung hai"
    assert first.read_text(encoding="utf-8") == "nội dung một"  # never overwritten
    with pytest.raises(app.UploadRefused):
        app.store_upload(src1, uploads, "x.exe")
    assert sorted(p.name for p in uploads.iterdir()) == ["thoat-ra-1.txt", "thoat-ra.txt"]


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("admin:mật khẩu", [("admin", "mật khẩu")]),
    ("a:1, b:2:3", [("a", "1"), ("b", "2:3")]),
])
def test_parse_auth_inline(value, expected):
    assert app.parse_auth(value) == expected


def test_parse_auth_file(tmp_path):
    f = tmp_path / "users.txt"
    f.write_text("# tài khoản\nan:pw1\n\nbinh:pw:2\n", encoding="utf-8")
    assert app.parse_auth(str(f)) == [("an", "pw1"), ("binh", "pw:2")]


@pytest.mark.parametrize("value", ["nocolon", ":pw", "user:", "/no/such/file"])
def test_parse_auth_rejects(value):
    with pytest.raises(ValueError):
        app.parse_auth(value)


@pytest.mark.parametrize("date_from, date_to, expected", [
    ("01/01/2018", "31/12/2019", ("2018-01-01", "2019-12-31")),
    ("", "  ", (None, None)),
    ("2021-07-09", None, ("2021-07-09", None)),
])
def test_parse_filters(date_from, date_to, expected):
    f = app.parse_filters(date_from, date_to, " Hà Tĩnh ", ["d1", ""])
    assert (f.date_from, f.date_to) == expected
    assert f.outlet == "Hà Tĩnh" and f.documents == ["d1"]


@pytest.mark.parametrize("date_from, date_to", [("32/01/2018", ""), ("1/2", ""), ("", "hôm qua"),
                                                ("01/01/2020", "01/01/2019")])
def test_parse_filters_bad_dates_raise_readable(date_from, date_to):
    with pytest.raises(ValueError) as err:
        app.parse_filters(date_from, date_to, "", [])
    assert "ngày" in str(err.value).lower()


@pytest.mark.parametrize("text, words, expected", [
    ("Có 112 mô hình", ["mô", "hình"], "Có 112 <mark>mô</mark> <mark>hình</mark>"),
    ("<script>x</script> Dân vận", ["dân"], "&lt;script&gt;x&lt;/script&gt; <mark>Dân</mark> vận"),
    ("mô hình và mộ", ["mô"], "<mark>mô</mark> hình và mộ"),  # whole words only
    ("a & b", [], "a &amp; b"),
])
def test_highlight_html(text, words, expected):
    assert app.highlight_html(text, words) == expected


def test_sources_html_escapes_and_marks():
    out = app.sources_html(_answer())
    assert "[1]" in out and "[2]" in out
    assert "<mark>mô</mark> <mark>hình</mark>" in out
    assert "Cẩm Xuyên &lt;tổng kết&gt;" in out and "<tổng kết>" not in out
    assert "Điều 5 Luật số 10/2022/QH15" in out and "002_hong_linh.txt" in out and "Cổng TTĐT Hồng Lĩnh" in out


@pytest.mark.parametrize("found, notice, must, must_not", [
    (True, None, ["Ý một [1]"], ["Không tìm thấy"]),
    (False, None, ["⚠️ **Không tìm thấy**", "> - Ý một [1]"], []),
    (True, "LLM không dùng được", ["ℹ️ LLM không dùng được"], []),
])
def test_answer_markdown(found, notice, must, must_not):
    a = _answer()
    a.found, a.notice = found, notice
    text = app.answer_markdown(a)
    assert all(m in text for m in must) and not any(m in text for m in must_not)


def test_fact_rows_by_kind():
    hits = [SimpleNamespace(kind="figure", text="112 mô hình", source="a.txt",
                            fields={"value": "112", "unit": "mô hình", "counts": "dân vận khéo", "year": "2018"}),
            SimpleNamespace(kind="document_ref", text="Chỉ thị 20-CT/ThU", source="b.txt",
                            fields={"number": "20-CT/ThU", "subject": "về Dân vận khéo", "issuer": None}),
            SimpleNamespace(kind="period", text="nhiệm kỳ 2020-2025", source="c.txt",
                            fields={"label": "nhiệm kỳ", "start": 2020, "end": 2025})]
    assert app.fact_rows(hits) == [
        [1, "Số liệu", "112 mô hình", "112", "mô hình dân vận khéo 2018", "a.txt"],
        [2, "Văn bản", "Chỉ thị 20-CT/ThU", "20-CT/ThU", "về Dân vận khéo", "b.txt"],
        [3, "Nhiệm kỳ / giai đoạn", "nhiệm kỳ 2020-2025", "2020–2025", "nhiệm kỳ", "c.txt"]]


def test_talking_points_docx(tmp_path):
    from docx import Document
    a = _answer()
    a.citations[0].quote = "Có ký tự điều khiển\x0b ở đây"  # Word refuses raw control characters
    path = talking_points_docx(a, tmp_path / "sub" / "dan-y.docx")
    doc = Document(str(path))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0][1] == "Dàn ý phát biểu"
    assert any(t == "Chủ đề: Dân vận khéo" for _, t in paras)  # the topic, not the raw request
    assert [t for s, t in paras if s == "List Bullet"] == a.bullets
    texts = [t for _, t in paras]
    assert "[1] Sơ kết Chỉ thị 20-CT/ThU — Cổng TTĐT Hồng Lĩnh, 2019 (002_hong_linh.txt)" in texts
    assert "[2] Cẩm Xuyên <tổng kết> (Điều 5 Luật số 10/2022/QH15) (003.txt)" in texts
    assert "“Có ký tự điều khiển ở đây”" in texts and "“Nhân rộng các mô hình.”" in texts


def test_source_line_without_outlet():
    c = _answer().citations[1]
    c.label = ""
    assert source_line(c) == "[2] Cẩm Xuyên <tổng kết> (003.txt)"


def test_bullets_text_for_clipboard():
    text = app.bullets_text(_answer())
    assert text.startswith("- Ý một [1]\n- Ý hai [1][2]")
    assert "Nguồn:" in text and "[2] Cẩm Xuyên" in text


def _text(message: dict) -> str:
    """A chat message's text, whether content came back as a string or as Gradio 6 parts."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def test_build_app_and_api(tmp_path):
    import gradio as gr
    from gradio_client import Client
    fake = FakeAssistant(tmp_path)
    demo = app.build_app(fake)
    assert isinstance(demo, gr.Blocks)
    api_names = {fn.api_name for fn in demo.fns.values()}
    assert {"ask", "lookup", "chat", "ingest"} <= api_names
    demo.queue(default_concurrency_limit=2)
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        result = client.predict("Năm 2018 đăng ký bao nhiêu mô hình?", "qa", api_name="/ask")
        assert result["found"] is True and result["citations"][0]["n"] == 1
        assert fake.asked == [("Năm 2018 đăng ký bao nhiêu mô hình?", "qa")]
        assert client.predict("20-CT", "", "", api_name="/lookup") == []
        # The chat handler: a bad filter date is shown, not raised, and nothing is asked.
        out = client.predict("Câu hỏi", "qa", [], "31/02/2020", "", "", [], api_name="/chat")
        assert "Bộ lọc không hợp lệ" in _text(out[0][-1]) and len(fake.asked) == 1
        out = client.predict("Câu hỏi", "talking_points", [], "01/01/2018", "", "Hồng Lĩnh", ["d1"], api_name="/chat")
        question, mode, history, filters = fake.asked[-1]
        assert (mode, history, filters.date_from, filters.outlet, filters.documents) == (
            "talking_points", [], "2018-01-01", "Hồng Lĩnh", ["d1"])
        assert _text(out[0][-1]).startswith("- Ý một [1]") and "<mark>" in out[2]
        out = client.predict("không có gì", "qa", [], "", "", "", [], api_name="/chat")
        assert _text(out[0][-1]).startswith("⚠️ **Không tìm thấy**")
    finally:
        demo.close()
