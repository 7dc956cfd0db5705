"""Sentence splitting and chunking: Vietnamese no-split rules, corpus invariants, legal structure."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ingest.chunk import chunk_document, make_chunk_id, parse_legal, split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SIZE, MIN, OVERLAP = 900, 400, 150
SLACK = MIN // 4  # a tiny trailing remainder may be merged into the previous chunk


def _sorted(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*.txt"))


def _read(folder: str, name: str) -> str:
    path = CORPUS / folder / name
    if not path.exists():
        pytest.skip(f"corpus file missing: {path}")
    return path.read_text(encoding="utf-8")


SEEDS = [("seeds", p.name, "text") for p in _sorted("seeds")]
LAW = [("law", p.name, "law") for p in _sorted("law")[::20][:20]]
NEWS = [("news", p.name, "news") for p in _sorted("news")[::14][:20]]
CORPUS_CASES = SEEDS + LAW + NEWS


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# --- split_sentences ----------------------------------------------------------------------

NO_SPLIT = [
    ("directive number", "Sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy. "),
    ("day/month", "Ngày 5/6, Ban Dân vận Tỉnh ủy tổ chức Đại hội Chi bộ."),
    ("thousands and decimal comma", "Dân số 4.515.919 người, tăng 10,5 % so với năm trước."),
    ("decimal point", "Tỷ lệ hài lòng đạt 98.5 phần trăm."),
    ("TP.", "Ông đến TP. Hồ Chí Minh làm việc với Ban Dân vận."),
    ("Tp.", "Tp. Hà Tĩnh đã hoàn thành chỉ tiêu."),
    ("v.v. then lowercase", "Các loại cây, con, v.v. đều được hỗ trợ."),
    ("TS.", "TS. Nguyễn Văn An phát biểu tại hội thảo."),
    ("ThS.", "ThS. Lê Thị Bình trình bày tham luận."),
    ("PGS. and GS.", "PGS. Trần Cường và GS. Phạm Dũng cùng dự."),
    ("PGS.TS.", "PGS.TS. Trần Cường chủ trì hội thảo."),
    ("Th.S", "Th.S Nguyễn Hoa tham gia đoàn công tác."),
    ("St.", "Nhà thờ St. Joseph được trùng tu năm ngoái."),
    ("Q. and P.", "Ông sống ở Q. Ba Đình, P. Điện Biên từ lâu."),
    ("initial", "Ông Nguyễn V. An là trưởng ban công tác Mặt trận."),
    ("url and email", "Xem tại https://baohatinh.vn/tin.html?id=5 hoặc viết cho ban.dan.van@gmail.com nhé."),
    ("www", "Cổng thông tin www.hongling.hatinh.gov.vn đăng tải đầy đủ."),
    ("khoản marker", "1. Ban Thanh tra nhân dân gồm các thành viên được bầu."),
    ("nested marker", "2.1. Thông tư này hướng dẫn thực hiện."),
    ("indented marker", " 3. Nhiệm kỳ theo nhiệm kỳ của Trưởng thôn."),
    ("điểm marker", "a) Ủy ban Mặt trận Tổ quốc Việt Nam chủ trì."),
    ("roman marker", "IV. Tổ chức thực hiện"),
    ("inline list", "Nhiệm vụ gồm: 1. Tuyên truyền; 2. Vận động nhân dân."),
    ("curly-quoted title with a period", "Phong trào “Dân vận khéo. Hiệu quả” được phát động rộng rãi."),
    ("guillemets", "Cuộc thi «Học tập. Làm theo» lan tỏa khắp tỉnh."),
    ("straight quotes", 'Cuộc vận động "Toàn dân đoàn kết. Xây dựng đời sống" tiếp tục.'),
    ("brackets", "Hội nghị (Ảnh. Quốc Đạt) diễn ra sáng nay."),
    ("article heading", "Điều 44.13.LQ.36. Tổ chức Ban Thanh tra nhân dân ở xã, phường, thị trấn"),
    ("plain article heading", "Điều 5. Phạm vi điều chỉnh"),
    ("ellipsis then lowercase", "Anh đi học… đàn cò rồi chơi nhạc."),
    ("dot then lowercase", "Số liệu cập nhật lúc 13.31 và công bố. sau đó."),
    ("hard-wrapped line", "Ban Dân vận tổ chức hội nghị sơ kết công tác\nnăm 2021 tại Hà Tĩnh."),
]


@pytest.mark.parametrize("label,text", NO_SPLIT, ids=[c[0] for c in NO_SPLIT])
def test_no_split(label, text):
    assert _sentences(text) == [text.strip()]


SPLIT = [
    ("plain", "Ông An phát biểu. Bà Bình tán thành.", ["Ông An phát biểu.", "Bà Bình tán thành."]),
    ("digit", "Năm 2018 đạt kết quả tốt. 2019 tiếp tục phát huy.",
     ["Năm 2018 đạt kết quả tốt.", "2019 tiếp tục phát huy."]),
    ("closing quote", "Ông nói: “Chúng tôi sẽ làm.” Sau đó ông rời đi.",
     ["Ông nói: “Chúng tôi sẽ làm.”", "Sau đó ông rời đi."]),
    ("opening quote", "Hội nghị kết thúc. “Dân vận khéo” được nhân rộng.",
     ["Hội nghị kết thúc.", "“Dân vận khéo” được nhân rộng."]),
    ("opening bracket", "Hội nghị kết thúc. (Ảnh: Quốc Đạt)", ["Hội nghị kết thúc.", "(Ảnh: Quốc Đạt)"]),
    ("exclamation", "Thật tuyệt vời! Mọi người vỗ tay.", ["Thật tuyệt vời!", "Mọi người vỗ tay."]),
    ("question", "Vì sao? Vì dân.", ["Vì sao?", "Vì dân."]),
    ("ellipsis", "Chờ đợi… Cuối cùng đã đến.", ["Chờ đợi…", "Cuối cùng đã đến."]),
    ("line break", "Ban Dân vận Tỉnh ủy\nThứ Sáu, 09/07/2021, 13:31",
     ["Ban Dân vận Tỉnh ủy", "Thứ Sáu, 09/07/2021, 13:31"]),
    ("paragraphs", "Đoạn một.\n\nĐoạn hai.", ["Đoạn một.", "Đoạn hai."]),
    ("space before dot", "Hội nghị tại Hà Nội . Ông Nguyễn Văn An phát biểu .",
     ["Hội nghị tại Hà Nội .", "Ông Nguyễn Văn An phát biểu ."]),
    ("spaced document number", "Thực hiện 25 - NQ / TW của Bộ Chính trị . Các cấp ủy quán triệt .",
     ["Thực hiện 25 - NQ / TW của Bộ Chính trị .", "Các cấp ủy quán triệt ."]),
    ("roman numeral ends", "Đại hội VIII. Các đại biểu dự.", ["Đại hội VIII.", "Các đại biểu dự."]),
    ("after a domain", "Xem tại baohatinh.vn. Ông An nói.", ["Xem tại baohatinh.vn.", "Ông An nói."]),
    ("abbreviations start sentences", "TP. Hà Tĩnh phát triển. Tp. Vinh cũng vậy.",
     ["TP. Hà Tĩnh phát triển.", "Tp. Vinh cũng vậy."]),
    ("list items", "1. Ban Thanh tra.\n2. Nhiệm kỳ.\na) Điểm một;\nb) Điểm hai.",
     ["1. Ban Thanh tra.", "2. Nhiệm kỳ.", "a) Điểm một;", "b) Điểm hai."]),
    ("glued article", "của Mặt trận Tổ quốc Việt Nam.Điều 35.4.NĐ.1.4. Tổ chức kêu gọi",
     ["của Mặt trận Tổ quốc Việt Nam.", "Điều 35.4.NĐ.1.4. Tổ chức kêu gọi"]),
]


@pytest.mark.parametrize("label,text,expected", SPLIT, ids=[c[0] for c in SPLIT])
def test_split(label, text, expected):
    assert _sentences(text) == expected


def test_spans_are_stripped_and_ordered():
    text = "  Câu một.   Câu hai!\n\n  Câu ba?  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Câu một.", "Câu hai!", "Câu ba?"]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_blank_text(text):
    assert split_sentences(text) == []
    assert chunk_document("d", text, "h") == []


# --- chunk invariants on the corpus -------------------------------------------------------

PROTECTED_IN_CORPUS = re.compile(r"\d+-CT/ThU|\d{1,3}(?:\.\d{3})+|\b(?:TP|Tp|TS|ThS|PGS|GS)\. \w+")


def _long_sentence(spans, pos):
    """True when ``pos`` lies strictly inside a sentence longer than the chunk size."""
    return any(s < pos < e and e - s > SIZE for s, e in spans)


@pytest.mark.parametrize("folder,name,kind", CORPUS_CASES, ids=[f"{c[0]}/{c[1]}" for c in CORPUS_CASES])
def test_corpus_invariants(folder, name, kind):
    text = _read(folder, name)
    chunks = chunk_document(name, text, "Tiêu đề", kind=kind)
    assert chunks
    assert [c.position for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert text[c.start:c.end] == c.text and c.text == c.text.strip() and c.text
        assert c.chunk_id == make_chunk_id(name, c.position, c.text) and c.doc_id == name
        assert len(c.text) <= SIZE + SLACK or len(split_sentences(c.text)) == 1
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in chunk_document(name, text, "Tiêu đề", kind=kind)] == [c.chunk_id for c in chunks]
    # chunks advance through the text
    assert all(a.start < b.start and a.end < b.end for a, b in zip(chunks, chunks[1:]))
    spans = split_sentences(text)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for c in chunks:  # boundaries fall between sentences, or inside an over-long one
        assert c.start in starts or _long_sentence(spans, c.start), text[c.start:c.start + 80]
        assert c.end in ends or _long_sentence(spans, c.end), text[c.end - 80:c.end]
    for s, e in spans:  # every sentence lands in a chunk (over-long ones: covered piecewise)
        if e - s <= SIZE:
            assert any(c.start <= s and e <= c.end for c in chunks), text[s:e]
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    for m in PROTECTED_IN_CORPUS.finditer(text):
        for c in chunks:
            assert not (m.start() < c.start < m.end() or m.start() < c.end < m.end()), m.group()


def test_corpus_chunks_are_mostly_full():
    """Packing reaches chunk_min except where a paragraph or a long next sentence forbids it."""
    short = total = 0
    for folder, name, kind in SEEDS + NEWS:
        chunks = chunk_document(name, _read(folder, name), "", kind=kind)
        total += len(chunks) - 1
        short += sum(len(c.text) < MIN for c in chunks[:-1])
    assert total > 20 and short / total < 0.1


@pytest.mark.parametrize("name", ["002_53d483f86c03c5e7.txt", "000_72696720fdc55954.txt"])
def test_overlap(name):
    text = _read("seeds", name)
    with_overlap = chunk_document(name, text, "", overlap=OVERLAP)
    without = chunk_document(name, text, "", overlap=0)
    assert len(with_overlap) >= 2
    assert all(b.start >= a.end for a, b in zip(without, without[1:]))
    shared = [a.end - b.start for a, b in zip(with_overlap, with_overlap[1:])]
    assert all(x <= OVERLAP for x in shared) and any(x > 0 for x in shared)
    for a, b in zip(with_overlap, with_overlap[1:]):
        if b.start < a.end:  # the repeated part is whole trailing sentence(s) of the previous chunk
            assert a.text.endswith(text[b.start:a.end])


def test_seed_directive_intact():
    text = _read("seeds", "002_53d483f86c03c5e7.txt")
    chunks = chunk_document("s", text, "Hồng Lĩnh")
    assert any("Chỉ thị số 20-CT/ThU" in c.text for c in chunks)
    assert all(c.heading == "Hồng Lĩnh" for c in chunks)


# --- small, synthetic behaviour -----------------------------------------------------------

def test_chunk_id_formula_and_content_addressing():
    expected = hashlib.sha1("doc\x1f3\x1fxin chào".encode()).hexdigest()[:24]
    assert make_chunk_id("doc", 3, "xin chào") == expected
    a = chunk_document("doc", "Câu một. Câu hai.", "h")
    b = chunk_document("doc", "Câu một. Câu hai.", "khác")
    assert len(a) == 1 and a[0].chunk_id == b[0].chunk_id and a[0].text == "Câu một. Câu hai."


def test_short_text_is_one_stripped_chunk():
    text = "\n\n  Ông An phát biểu. Bà Bình tán thành.  \n"
    (c,) = chunk_document("d", text, "h")
    assert (c.text, c.start, c.end, c.position) == ("Ông An phát biểu. Bà Bình tán thành.", 4, 40, 0)


def test_over_long_sentence_split_at_separators_not_tokens():
    clause = "các cấp ủy đảng tăng cường lãnh đạo công tác dân vận ở cơ sở"
    sentence = "; ".join([", ".join([clause] * 4)] * 6) + "."
    chunks = chunk_document("d", sentence, "", overlap=0)
    assert len(chunks) > 1
    assert all(len(c.text) <= SIZE for c in chunks)
    for a, b in zip(chunks, chunks[1:]):
        assert a.text[-1] in ";," and sentence[b.start - 1] == " "
    assert "".join(c.text for c in chunks).replace(" ", "") == sentence.replace(" ", "")


def test_giant_token_kept_whole():
    text = "Mở đầu. " + "x" * (SIZE * 2) + " kết thúc."
    chunks = chunk_document("d", text, "")
    assert any("x" * (SIZE * 2) in c.text for c in chunks)


def test_prefers_paragraph_end():
    para1 = " ".join(["Ban Dân vận tổ chức hội nghị sơ kết công tác."] * 12)  # 551 chars
    para2 = " ".join(["Các đại biểu thảo luận sôi nổi về nhiệm vụ."] * 12)
    text = f"{para1}\n\n{para2}"
    chunks = chunk_document("d", text, "", overlap=0)
    assert chunks[0].text == para1 and chunks[1].text == para2


def test_tiny_tail_merges():
    body = " ".join(["Ban Dân vận tổ chức hội nghị sơ kết công tác."] * 19)  # 873 chars
    text = body + " Hội nghị kết thúc tốt đẹp vào buổi chiều."
    assert SIZE < len(text) <= SIZE + SLACK
    (chunk,) = chunk_document("d", text, "", overlap=0)
    assert chunk.text == text
    longer = chunk_document("d", body + " Hội nghị kết thúc." * 8, "", overlap=0)
    assert len(longer) == 2 and all(len(c.text) >= MIN for c in longer)  # rebalanced, not merged


# --- legal structure ----------------------------------------------------------------------

LQ36 = "phapdien_44.13.LQ.36.txt"
LONG_ARTICLE = "phapdien_44.13.LQ.11.txt"  # one Điều of 5 Khoản, > 2500 characters
GLUED = "phapdien_35.4.LQ.13.txt"  # a second Điều glued after "…Việt Nam."


def test_parse_legal_lq36():
    text = _read("law", LQ36)
    parsed = parse_legal(text)
    assert parsed["topic"] == "Thực hiện dân chủ ở cơ sở"
    assert parsed["article_heading"].startswith("Điều 44.13.LQ.36. Tổ chức Ban Thanh tra nhân dân")
    assert parsed["instrument_line"] == (
        "(Điều 36 Luật số 10/2022/QH15, có hiệu lực thi hành kể từ ngày 01/07/2023)")
    assert [text[s:e][:3] for s, e in parsed["khoan"]] == ["1. ", "2. ", "3. "]
    assert len(parsed["articles"]) == 1


def test_lq36_figure_in_chunk_with_heading():
    text = _read("law", LQ36)
    chunks = chunk_document("lq36", text, "ignored", kind="law")
    hits = [c for c in chunks if "không ít hơn 05 người" in c.text]
    assert hits
    for c in hits:
        assert "Điều 36" in c.heading and "Luật số 10/2022/QH15" in c.heading
        assert c.heading.startswith("Điều 44.13.LQ.36. Tổ chức Ban Thanh tra nhân dân ở xã, phường, thị trấn — (")


def test_long_article_split_by_khoan():
    text = _read("law", LONG_ARTICLE)
    parsed = parse_legal(text)
    article = parsed["articles"][0]
    assert article["span"][1] - article["span"][0] > 2500 and len(article["khoan"]) >= 5
    chunks = chunk_document("a", text, "", kind="law")
    assert len(chunks) > 2
    assert all(c.heading.startswith(parsed["article_heading"]) for c in chunks)
    assert all(parsed["instrument_line"] in c.heading for c in chunks)
    assert chunks[0].start == 0 and chunks[0].text.startswith("Đề mục:")
    khoan_starts = {k["span"][0] for k in article["khoan"]}
    split_khoan = [k for k in article["khoan"] if k["span"][1] - k["span"][0] > SIZE]
    inner = {p for k in split_khoan for p in range(k["span"][0], k["span"][1])}
    assert all(c.start in khoan_starts or c.start in inner for c in chunks[1:])


@pytest.mark.parametrize("name", [n for _, n, _ in LAW] + [LQ36, LONG_ARTICLE, GLUED])
def test_khoan_never_split_from_heading(name):
    text = _read("law", name)
    chunks = chunk_document(name, text, "", kind="law")
    for idx, art in enumerate(parse_legal(text)["articles"]):
        article_start = 0 if idx == 0 else art["heading_span"][0]
        for k in art["khoan"]:
            s, e = k["span"]
            holders = [c for c in chunks if c.start < e and s < c.end]
            assert holders and all(c.heading.startswith(art["heading"]) for c in holders)
            # a Khoản that fits is never cut (Khoản 1 may be, by Điểm, when the heading lines push it over)
            if e - s <= SIZE and not (k["number"] == 1 and e - article_start > SIZE):
                assert any(c.start <= s and e <= c.end for c in chunks)


def test_glued_articles_get_their_own_heading():
    text = _read("law", GLUED)
    articles = parse_legal(text)["articles"]
    assert len(articles) >= 2 and articles[1]["heading"].startswith("Điều 35.4.NĐ.1.4.")
    assert "Nghị định số 64/2008/NĐ-CP" in articles[1]["instrument_line"]
    chunks = chunk_document("g", text, "", kind="law")
    second = [c for c in chunks if c.start >= articles[1]["heading_span"][0]]
    assert second and all(c.heading.startswith("Điều 35.4.NĐ.1.4.") for c in second)
    assert all(c.heading.startswith("Điều 35.4.LQ.13.") for c in chunks if c not in second)


def _synthetic_law(n_diem: int) -> str:
    diem = "\n\n".join(f"{chr(97 + i)}) " + "nội dung điểm thử nghiệm về công tác dân vận, " * 6 + "kết thúc;"
                       for i in range(n_diem))
    return ("Đề mục: Thử nghiệm\n\nĐiều 9.9.LQ.1. Điều thử nghiệm\n\n"
            "(Điều 1 Luật số 1/2020/QH14, có hiệu lực thi hành kể từ ngày 01/01/2021)\n\n"
            f"1. Khoản thử nghiệm gồm:\n\n{diem}\n\n2. Khoản ngắn cuối cùng.")


def test_long_khoan_split_by_diem_carries_intro():
    text = _synthetic_law(8)
    chunks = chunk_document("s", text, "", kind="law")
    base = ("Điều 9.9.LQ.1. Điều thử nghiệm — "
            "(Điều 1 Luật số 1/2020/QH14, có hiệu lực thi hành kể từ ngày 01/01/2021)")
    assert len(chunks) >= 3 and chunks[0].heading == base
    later = [c for c in chunks if re.match(r"[a-h]\) ", c.text)]
    assert later and all(c.heading == f"{base} — 1. Khoản thử nghiệm gồm:" for c in later)
    assert all(len(c.text) <= SIZE + SLACK for c in chunks)


def test_short_article_is_one_chunk():
    text = _synthetic_law(1)
    (c,) = chunk_document("s", text, "", kind="law")
    assert c.text == text and c.heading.startswith("Điều 9.9.LQ.1.")


def test_law_kind_without_structure_falls_back():
    chunks = chunk_document("d", "Văn bản không có điều khoản. Chỉ có hai câu.", "Tiêu đề", kind="law")
    assert [c.heading for c in chunks] == ["Tiêu đề"]


# --- properties ---------------------------------------------------------------------------

SYLLABLES = ["dân", "vận", "khéo", "Ban", "Tỉnh", "ủy", "Đảng", "xã", "phường", "Hà", "Tĩnh", "TP.", "Tp.",
             "v.v.", "TS.", "Q.", "20-CT/ThU", "4.515.919", "10,5", "5/6", "“Dân", "vận”", "(BTV)", "a)", "1.",
             "Điều", "44.13.LQ.36.", "www.baohatinh.vn", "người", "của", "và", "Nguyễn", "V.", "năm", "2021"]
PUNCT = [" ", " ", " ", " ", ". ", ", ", "; ", "! ", "? ", "… ", " . ", "\n", "\n\n", "  ", "\t"]
token = st.one_of(st.sampled_from(SYLLABLES), st.sampled_from(PUNCT), st.text(max_size=3))
vi_text = st.lists(token, max_size=400).map("".join)
sizes = st.sampled_from([(900, 400, 150), (120, 50, 30), (60, 20, 0), (40, 0, 40)])


@settings(max_examples=200, deadline=None)
@given(vi_text)
def test_property_sentences_partition_text(text):
    spans = split_sentences(text)
    assert all(s < e and not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    inside = {i for s, e in spans for i in range(s, e)}
    assert all(i in inside for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(vi_text, sizes, st.sampled_from(["text", "law"]))
def test_property_chunks_exact_and_complete(text, size_args, kind):
    size, cmin, overlap = size_args
    chunks = chunk_document("doc", text, "h", kind=kind, chunk_size=size, chunk_min=cmin, overlap=overlap)
    again = chunk_document("doc", text, "h", kind=kind, chunk_size=size, chunk_min=cmin, overlap=overlap)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in again]
    assert [c.position for c in chunks] == list(range(len(chunks)))
    covered = set()
    for c in chunks:
        assert c.text and text[c.start:c.end] == c.text == c.text.strip()
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SYLLABLES[:12] + ["đ)", "người"]), min_size=1, max_size=40)
                .map(" ".join), min_size=1, max_size=12),
       st.booleans())
def test_property_law_structure(khoan_bodies, with_diem):
    lines = ["Đề mục: Thử", "Điều 1.2.LQ.3. Tiêu đề thử", "(Điều 3 Luật số 1/2020/QH14, có hiệu lực)"]
    for n, body in enumerate(khoan_bodies, 1):
        lines.append(f"{n}. {body}")
        if with_diem:
            lines.extend(f"{ch}) {body}" for ch in "abc")
    text = "\n\n".join(lines)
    chunks = chunk_document("law", text, "", kind="law", chunk_size=300, chunk_min=100, overlap=50)
    assert chunks[0].start == 0
    covered = set()
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert c.heading.startswith("Điều 1.2.LQ.3. Tiêu đề thử — (Điều 3 Luật số 1/2020/QH14")
        assert len(c.text) <= 300 + 25 or len(split_sentences(c.text)) == 1
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
