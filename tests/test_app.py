"""The web app's pure parts (no browser, no model): file names, uploads, auth, filters, rendering, DOCX."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.accounts.auth import parse_auth  # noqa: E402
from assistant.speech.docx_export import source_line, talking_points_docx  # noqa: E402
from assistant.retrieve.lookup import FactHit, group_facts  # noqa: E402
from assistant.types import Answer, Citation, Constraint  # noqa: E402
from ingest.loaders import SUPPORTED_EXTENSIONS  # noqa: E402
from ingest.uploads import (ALLOWED_EXTS, UploadRefused, discard_upload, safe_upload_name,  # noqa: E402
                            store_upload, upload_problem)
from ui.chat import filter_note, parse_filters  # noqa: E402
from ui.lookup import fact_rows  # noqa: E402
from ui.render import (answer_markdown, bullets_text, highlight_html, ingest_result_html,  # noqa: E402
                       sources_html, without_english)
from config import Settings  # noqa: E402


class FakeAssistant:
    """Just enough of Assistant for building the UI and calling its API without a store or model."""

    def __init__(self, data_dir: Path):
        self.settings = Settings(data_dir=data_dir, _env_file=None)
        self.asked: list[tuple] = []

    def documents(self, scope=None):
        return [SimpleNamespace(doc_id="d1", title="Báo cáo", outlet="Baohatinh.vn", date="09/07/2021",
                                n_chunks=3, source="a.txt", collection="chung")]

    def stats(self, scope=None):
        return {"documents": 1, "chunks": 3, "characters": 1200, "facts": 2, "near_duplicates": 0}

    def describe(self):
        return {"LLM": "không dùng LLM"}

    def ask(self, question, mode="auto", k=None, history=None, filters=None, scope=None):
        self.asked.append((question, mode))
        return _answer()

    def ask_stream(self, question, mode="auto", k=None, history=None, filters=None, scope=None):
        self.asked.append((question, mode, history, filters))
        yield "delta", "Ý một "
        a = _answer()
        a.found = "không có" not in question
        yield "answer", a

    def lookup(self, query=None, type_key=None, figure=None, scope=None):
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
    assert safe_upload_name(raw) == expected


@pytest.mark.parametrize("raw", ["virus.exe", "script.sh", "noext", "archive.tar.gz", "..", "", "a.txt.exe"])
def test_safe_upload_name_refuses(raw):
    with pytest.raises(UploadRefused):
        safe_upload_name(raw)


def test_store_upload_stays_inside_and_suffixes_collisions(tmp_path):
    src1, src2 = tmp_path / "one.bin", tmp_path / "two.bin"
    src1.write_text("nội dung một", encoding="utf-8")
    src2.write_text("nội dung hai", encoding="utf-8")
    uploads = tmp_path / "data" / "uploads"
    first = store_upload(src1, uploads, "../../thoat-ra.txt")
    assert first == (uploads / "thoat-ra.txt").resolve()
    assert not (tmp_path / "thoat-ra.txt").exists()
    assert store_upload(src1, uploads, "thoat-ra.txt") == first  # same content → same file
    second = store_upload(src2, uploads, "thoat-ra.txt")
    assert second.name == "thoat-ra-1.txt" and second.read_text(encoding="utf-8") == "nội dung hai"
    assert first.read_text(encoding="utf-8") == "nội dung một"  # never overwritten
    with pytest.raises(UploadRefused):
        store_upload(src1, uploads, "x.exe")
    assert sorted(p.name for p in uploads.iterdir()) == ["thoat-ra-1.txt", "thoat-ra.txt"]


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("admin:mật khẩu", [("admin", "mật khẩu")]),
    ("a:1, b:2:3", [("a", "1"), ("b", "2:3")]),
])
def test_parse_auth_inline(value, expected):
    assert parse_auth(value) == expected


def test_parse_auth_file(tmp_path):
    f = tmp_path / "users.txt"
    f.write_text("# tài khoản\nan:pw1\n\nbinh:pw:2\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("an", "pw1"), ("binh", "pw:2")]


@pytest.mark.parametrize("value", ["nocolon", ":pw", "user:", "/no/such/file"])
def test_parse_auth_rejects(value):
    with pytest.raises(ValueError):
        parse_auth(value)


@pytest.mark.parametrize("date_from, date_to, expected", [
    ("01/01/2018", "31/12/2019", ("2018-01-01", "2019-12-31")),
    ("", "  ", (None, None)),
    ("2021-07-09", None, ("2021-07-09", None)),
])
def test_parse_filters(date_from, date_to, expected):
    f = parse_filters(date_from, date_to, " Hà Tĩnh ", ["d1", ""])
    assert (f.date_from, f.date_to) == expected
    assert f.outlet == "Hà Tĩnh" and f.documents == ["d1"]


@pytest.mark.parametrize("date_from, date_to", [("32/01/2018", ""), ("1/2", ""), ("", "hôm qua"),
                                                ("01/01/2020", "01/01/2019")])
def test_parse_filters_bad_dates_raise_readable(date_from, date_to):
    with pytest.raises(ValueError) as err:
        parse_filters(date_from, date_to, "", [])
    assert "ngày" in str(err.value).lower()


@pytest.mark.parametrize("text, question, expected", [
    ("Có 112 mô hình", "bao nhiêu mô hình", "Có 112 <mark>mô hình</mark>"),
    ("<script>x</script> Dân vận", "dân vận khéo", "&lt;script&gt;x&lt;/script&gt; <mark>Dân vận</mark>"),
    ("mô hình và mộ", "mô hình", "<mark>mô hình</mark> và mộ"),  # whole words only
    ("a & b", "", "a &amp; b"),
])
def test_highlight_html(text, question, expected):
    assert highlight_html(text, question) == expected


def test_sources_html_escapes_and_marks():
    out = sources_html(_answer())
    assert "[1]" in out and "[2]" in out
    assert "<mark>dân vận khéo</mark>" in out and "<mark>mô hình</mark>" not in out  # the question's words only
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
    text = answer_markdown(a)
    assert all(m in text for m in must) and not any(m in text for m in must_not)


def _hit(kind, text, source, **fields):
    return FactHit(kind=kind, text=text, fields=fields, chunk_id="c", doc_id=source, source=source, title="T",
                   passage=text)


def test_fact_rows_one_row_per_reference_with_place_and_year():
    hits = [_hit("figure", "112 mô hình", "a.txt", value="112", unit="mô hình", counts="mô hình dân vận khéo",
                 year="2018", place="thị xã Hồng Lĩnh"),
            _hit("document_ref", "Chỉ thị số 20-CT/ThU", "b.txt", doc_type="Chỉ thị", number="20-CT/ThU",
                 subject="về Dân vận khéo", issuer="Ban Thường vụ Thị ủy"),
            _hit("document_ref", "Chỉ thị 20-CT/ThU", "b.txt", doc_type="Chỉ thị", number="20-CT/ThU"),
            _hit("period", "nhiệm kỳ 2020-2025", "c.txt", label="nhiệm kỳ", start=2020, end=2025)]
    assert fact_rows(group_facts(hits)) == [
        [1, "Số liệu", "112", "mô hình dân vận khéo", "thị xã Hồng Lĩnh", "2018", 1, "112 mô hình", "a.txt"],
        [2, "Văn bản", "Chỉ thị 20-CT/ThU", "về Dân vận khéo (Ban Thường vụ Thị ủy)", "", "", 2,
         "Chỉ thị số 20-CT/ThU", "b.txt"],
        [3, "Nhiệm kỳ / giai đoạn", "2020–2025", "nhiệm kỳ", "", "", 1, "nhiệm kỳ 2020-2025", "c.txt"]]


def test_lookup_rows_without_repeats_or_made_up_places():
    """Issue 26 item 12: a figure written twice by one document is one row (the fuller description); the news
    agency "Thông tấn xã Việt Nam" is no place; a document number lists that document, not every figure of
    its year."""
    from assistant.retrieve.lookup import search_facts
    passage = "Thông tấn xã Việt Nam giới thiệu. Chào mừng 400 đại biểu điển hình tiên tiến; bên cạnh 400 điển hình"
    hits = [_hit("figure", "400 đại biểu điển hình tiên tiến", "n.txt", value="400", counts="đại biểu điển hình tiên tiến"),
            _hit("figure", "400 điển hình tiên tiến", "n.txt", value="400", counts="điển hình tiên tiến")]
    for h in hits:
        h.passage = passage
    rows = group_facts(hits)
    assert len(rows) == 1 and rows[0].subject == "đại biểu điển hình tiên tiến" and rows[0].mentions == 2
    assert rows[0].place == ""

    facts = [{"kind": "document_ref", "text": "Luật số 75/2015/QH13", "chunk_id": "c1", "doc_id": "d1",
              "fields": {"doc_type": "Luật", "number": "75/2015/QH13"}},
             {"kind": "period", "text": "Nhiệm kỳ 2015 - 2020", "chunk_id": "c2", "doc_id": "d2",
              "fields": {"label": "nhiệm kỳ", "start": 2015, "end": 2020}}]
    chunk = SimpleNamespace(text="…")
    cat = SimpleNamespace(facts=lambda kind, scope: facts,
                          chunks_by_ids=lambda ids: {i: chunk for i in ids},
                          documents_by_ids=lambda ids: {i: SimpleNamespace(source=f"{i}.txt", title="") for i in ids})
    assert [h.text for h in search_facts(cat, query="75/2015")] == ["Luật số 75/2015/QH13"]
    assert {h.text for h in search_facts(cat, query="2015")} == {"Luật số 75/2015/QH13", "Nhiệm kỳ 2015 - 2020"}


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
    text = bullets_text(_answer())
    assert text.startswith("- Ý một [1]\n- Ý hai [1][2]")
    assert "Nguồn trích dẫn:" in text and "[2] Cẩm Xuyên" in text


def _outline() -> Answer:
    """A speech outline as assistant/speech/outline.py builds it: titled sections, opening words without a source."""
    from assistant.answer.render import outline_text, statement_line
    from assistant.types import Section, Statement
    sections = [Section("I. Mở đầu", [Statement("Phát biểu về nhân rộng mô hình Dân vận khéo.")], "list"),
                Section("II. Kết quả nổi bật", [Statement("Năm 2018 đăng ký 112 mô hình.", [1], "Hồng Lĩnh, 2018")],
                        "list"),
                Section("Kết luận", [Statement("Tiếp tục nhân rộng các mô hình.")], "list")]  # unnumbered
    a = Answer(question="Soạn dàn ý phát biểu về Dân vận khéo", mode="talking_points", found=True, answer="",
               citations=_answer().citations[:1], sections=sections,
               bullets=[statement_line(st) for sec in sections for st in sec.statements if st.cites])
    a.answer = outline_text(a)
    return a


def test_clipboard_outline_keeps_its_headings():
    """Issue 26 item 10: «Sao chép» copies the outline as a speaker pastes it into Word: each section's heading
    (I, II, …) on its own line, its points under it, the opening and closing words too, then the sources."""
    lines = bullets_text(_outline()).splitlines()
    assert lines[:2] == ["I. Mở đầu", "- Phát biểu về nhân rộng mô hình Dân vận khéo."], lines
    assert lines.index("II. Kết quả nổi bật") < lines.index("- Hồng Lĩnh, 2018 — Năm 2018 đăng ký 112 mô hình. [1]")
    assert lines.index("Kết luận") < lines.index("- Tiếp tục nhân rộng các mô hình.")
    assert lines[-2:] == ["Nguồn trích dẫn:", "[1] Sơ kết Chỉ thị 20-CT/ThU — Cổng TTĐT Hồng Lĩnh, 2019 "
                                              "(002_hong_linh.txt)"], lines


def test_copy_button_says_copied():
    """Issue 26 item 10: the copy script hands back «Đã sao chép» for the note beside the button (and a way out
    when the browser refuses)."""
    from ui.style import COPIED, COPY_JS, NOT_COPIED
    assert COPIED == "Đã sao chép" and COPIED in COPY_JS and NOT_COPIED in COPY_JS and "writeText" in COPY_JS


def _text(message: dict) -> str:
    """A chat message's text, whether content came back as a string or as Gradio 6 parts."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


NOTE = 5  # outputs the client sees: chat, question box, sources, talking points, DOCX, note


def test_build_app_and_api(tmp_path):
    import gradio as gr
    from gradio_client import Client

    from ui.app import build_app
    fake = FakeAssistant(tmp_path)
    demo = build_app(fake)
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
        out = client.predict("Câu hỏi", "qa", [], "31/02/2020", "", "", [], False, api_name="/chat")
        assert "Bộ lọc không hợp lệ" in out[NOTE] and len(fake.asked) == 1
        # An empty question and a too long one are answered with a message; nothing is asked.
        out = client.predict("   ", "qa", [], "", "", "", [], False, api_name="/chat")
        assert "Hãy nhập câu hỏi" in out[NOTE] and len(fake.asked) == 1
        out = client.predict("x" * 1001, "qa", [], "", "", "", [], False, api_name="/chat")
        assert "quá giới hạn 1000 ký tự" in out[NOTE] and len(fake.asked) == 1
        out = client.predict("Câu hỏi", "talking_points", [], "01/01/2018", "", "Hồng Lĩnh", ["d1"], True,
                             api_name="/chat")
        question, mode, history, filters = fake.asked[-1]
        assert (mode, history, filters.date_from, filters.outlet, filters.documents, filters.include_undated) == (
            "talking_points", [], "2018-01-01", "Hồng Lĩnh", ["d1"], True)
        assert "Đang lọc" in _text(out[0][-1]) and "- Ý một [1]" in _text(out[0][-1]) and "<mark>" in out[2]
        out = client.predict("không có gì", "qa", [], "", "", "", [], False, api_name="/chat")
        assert _text(out[0][-1]).startswith("⚠️ **Không tìm thấy**")
        out = client.predict("không có gì", "qa", [], "01/01/2018", "", "", [], False, api_name="/chat")
        assert "Không tìm thấy trong phạm vi lọc" in _text(out[0][-1])
        with pytest.raises(Exception, match="Hãy nhập câu hỏi"):
            client.predict("", "qa", api_name="/ask")
    finally:
        demo.close()


def test_allowed_extensions_are_the_loaders():
    assert set(ALLOWED_EXTS) == SUPPORTED_EXTENSIONS


@pytest.mark.parametrize("name, data, problem", [
    ("empty.pdf", b"", "tệp rỗng, 0 byte"),
    ("fake.pdf", b"hello", "không phải tệp PDF hợp lệ"),
    ("fake.docx", b"hello", "không phải tệp DOCX hợp lệ"),
    ("ok.pdf", b"%PDF-1.4\n", None),
    ("ok.txt", "chữ".encode(), None),
])
def test_upload_problem(tmp_path, name, data, problem):
    (tmp_path / name).write_bytes(data)
    assert upload_problem(tmp_path / name) == problem


def test_discard_upload_only_inside_uploads(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    inside, outside = uploads / "a.txt", tmp_path / "b.txt"
    inside.write_text("x")
    outside.write_text("y")
    assert not discard_upload(outside, uploads) and outside.exists()
    assert discard_upload(inside, uploads) and not inside.exists()
    assert not discard_upload(inside, uploads)


@pytest.mark.parametrize("message, expected", [
    ("trùng nội dung với a.txt (duplicate of a.txt)", "trùng nội dung với a.txt"),
    ("Kho trống. (The knowledge base is empty: add documents first.)", "Kho trống."),
    ("(Baohatinh.vn) - tin", "(Baohatinh.vn) - tin"),
    ("Ban (Ban Dân vận) họp", "Ban (Ban Dân vận) họp"),
])
def test_without_english(message, expected):
    assert without_english(message) == expected


def test_ingest_result_names_only_and_totals_on_own_line():
    report = SimpleNamespace(added=["/srv/data/uploads/a.txt"], updated=[], unchanged=[], near_duplicates=[],
                             skipped=[("/srv/data/uploads/b.pdf", "tệp rỗng, 0 byte")], chunks_written=3,
                             seconds=1.5, embed_seconds=1.0)
    out = ingest_result_html(report, [("x.exe", "loại tệp .exe không được hỗ trợ")], ["b.pdf"])
    assert "/srv" not in out and "b.pdf: tệp rỗng, 0 byte" in out and "x.exe" in out
    assert "Bỏ qua: 2" in out and "Đã xoá khỏi thư mục tải lên: b.pdf" in out
    assert '<p class="dv-totals">Đoạn đã nhúng: 3' in out and "(" not in out.split("dv-totals")[1]


def test_filter_note_states_undated_treatment():
    assert filter_note(parse_filters("", "", "", [])) is None
    assert filter_note(parse_filters("01/01/2019", "31/12/2019", "", [])) == (
        "ngày từ 01/01/2019 đến 31/12/2019, không gồm tài liệu không rõ ngày")
    assert "gồm cả tài liệu không rõ ngày" in filter_note(parse_filters("01/01/2019", "", "", [], True))


def test_not_found_with_nearest_is_not_an_answer():
    a = _answer()
    a.found, a.answer = False, "Không tìm thấy thông tin về năm 2019 trong tài liệu."
    a.nearest = "Năm 2018 đăng ký 112 mô hình [1]."
    a.unmet = [Constraint(kind="year", value="2019", met=False)]
    text = answer_markdown(a)
    assert text.startswith("⚠️ **Không tìm thấy**") and "**Gần nhất:** Năm 2018 đăng ký 112 mô hình [1]." in text
    assert "cùng chủ đề" in text and "2019" in text
    html_out = sources_html(a)
    assert "Đoạn gần nhất" in html_out and 'class="dv-nearest"' in html_out
    a.nearest = None
    assert "dv-nearest" not in sources_html(a) and "[1]" not in sources_html(a)


@pytest.mark.parametrize("passage, text, expected", [
    ("đăng ký 112 mô hình. Trên lĩnh vực kinh tế có 19 mô hình, lĩnh vực ANQP 12 mô hình).", "12 mô hình",
     "lĩnh vực ANQP 12 mô hình"),  # whole words: not the "12" inside "112"
    ("Trên lĩnh vực kinh tế có 19 mô hình, lĩnh vực khác", "19 mô hình", "Trên lĩnh vực kinh tế có 19 mô hình"),
    ("không có", "5 mô hình", "5 mô hình"),
])
def test_fact_context_is_the_clause(passage, text, expected):
    from assistant.retrieve.lookup import fact_context
    assert fact_context(passage, text) == expected


def test_fact_context_cuts_between_words():
    """Issue 26 item 12: a long clause is cut at word boundaries around the fact."""
    from assistant.retrieve.lookup import MAX_CONTEXT, fact_context
    words = "công tác dân vận chính quyền tiếp tục được quan tâm chỉ đạo thực hiện".split()
    passage = " ".join(words * 4) + " với 400 điển hình tiên tiến " + " ".join(words * 4)
    out = fact_context(passage, "400 điển hình")
    assert "400 điển hình" in out and out.startswith("…") and out.endswith("…") and len(out) <= MAX_CONTEXT + 2
    assert all(w in words + ["với", "400", "điển", "hình", "tiên", "tiến"] for w in out.strip("…").split()), out
    long_text = " ".join(words * 3)  # a fact longer than the window: it starts the excerpt, cut between words
    out = fact_context("Trước đó, " + long_text + " và sau", long_text)
    assert out.startswith(words[0]) and out.endswith("…") and out[:-1].split()[-1] in words, out


@pytest.mark.parametrize("date, year, effective, kind, shown", [
    ("19/12", "2018", None, "news", "19/12 (năm 2018)"),  # the year the lead states
    (None, "2018", None, "text", "năm 2018"),
    ("09/07/2021", "2021", None, "news", "09/07/2021"),
    ("19/12", None, None, "news", "19/12 (không rõ năm)"),
    (None, None, None, "text", "không rõ năm"),
    (None, None, "01/07/2023", "law", "hiệu lực 01/07/2023"),
])
def test_shown_date(date, year, effective, kind, shown):
    """Issue 26 item 11: the year when the document gives one anywhere, "không rõ năm" when it gives none, a
    legal text's effective date."""
    from assistant.answer.render import shown_date
    assert shown_date(date, year, effective, kind) == shown


def test_documents_table_and_sources_show_year_place_and_legal_text():
    """Issue 26 item 11: the documents table has the year and the place; the sources panel gives a cited
    document's headline, its year and place, and a legal article's instrument and effective date."""
    from ui.render import document_rows
    news = SimpleNamespace(doc_id="d1", title="Cẩm Xuyên cần nhân rộng các mô hình", outlet="Baohatinh.vn",
                           date="06/01", year="2022", place="huyện Cẩm Xuyên (Hà Tĩnh)", n_chunks=3, source="003.txt",
                           collection="chung", kind="news", effective_date=None)
    law = SimpleNamespace(doc_id="d2", title="Điều 5 Luật số 10/2022/QH15 — Nguyên tắc", outlet=None, date=None,
                          year=None, place=None, n_chunks=2, source="law.txt", collection="chung", kind="law",
                          effective_date="01/07/2023")
    assert document_rows([news, law]) == [
        ["Cẩm Xuyên cần nhân rộng các mô hình", "Baohatinh.vn", "06/01 (năm 2022)", "huyện Cẩm Xuyên (Hà Tĩnh)",
         "chung", 3, "003.txt"],
        ["Điều 5 Luật số 10/2022/QH15 — Nguyên tắc", "", "hiệu lực 01/07/2023", "", "chung", 2, "law.txt"]]
    a = _answer()
    a.citations[0].date = "06/01"
    panel = sources_html(a, {"d1": news, "d2": law})
    assert "06/01 (năm 2022) · huyện Cẩm Xuyên (Hà Tĩnh)" in panel, panel
    assert "Điều 5 Luật số 10/2022/QH15 · hiệu lực 01/07/2023" in panel, panel
    assert "06/01 (không rõ năm)" in sources_html(a)  # without the records: the citation's own date


def test_date_text_says_when_the_year_is_unknown():
    """Issue 26 item 11 (in part): a date without a year says so; a legal text shows its effective date."""
    from assistant.answer.render import date_text
    from ui.render import document_rows
    assert date_text("19/12/2018") == "19/12/2018" and date_text("19/12") == "19/12 (không rõ năm)"
    assert date_text(None) == "không rõ năm" and date_text(None, "01/01/2016", "law") == "hiệu lực 01/01/2016"
    doc = SimpleNamespace(title="T", outlet=None, date="19/12", n_chunks=3, source="a.txt", collection="chung",
                          kind="news", effective_date=None)
    assert document_rows([doc]) == [["T", "", "19/12 (không rõ năm)", "", "chung", 3, "a.txt"]]


@pytest.mark.parametrize("date, year, label, shown", [
    ("19/12", "2018", "", "[1] Tiêu đề — Báo X, 19/12 (năm 2018) (a.txt)"),
    ("19/12", None, "", "[1] Tiêu đề — Báo X, 19/12 (không rõ năm) (a.txt)"),
    (None, "2018", "", "[1] Tiêu đề — Báo X, năm 2018 (a.txt)"),
    ("09/07/2021", "2021", "", "[1] Tiêu đề — Báo X, 09/07/2021 (a.txt)"),
    (None, None, "", "[1] Tiêu đề — Báo X (a.txt)"),
])
def test_source_lines_of_docx_clipboard_and_cli_show_the_year(date, year, label, shown):
    """The faces outside the browser (DOCX, the copied outline, the CLI) write a source's date as the sources
    panel shows it: with the year the document gives elsewhere, or "không rõ năm"."""
    from assistant.answer.render import source_line
    from assistant.types import Citation
    c = Citation(n=1, doc_id="d", source="a.txt", title="Tiêu đề", outlet="Báo X", date=date, quote="q", score=0.1,
                 label=label, year=year)
    assert source_line(c) == shown


def test_a_cited_document_carries_its_year(seeds_assistant):
    """Seed 002's dateline is "19/12"; its lead states 2018: the citation carries it, the source line shows it."""
    from assistant.answer.render import source_line
    answer = seeds_assistant.ask("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?")
    cited = [c for c in answer.citations if c.source.startswith("002")]
    assert cited and cited[0].year == "2018" and "(năm 2018)" in source_line(cited[0]), [source_line(c) for c in cited]
