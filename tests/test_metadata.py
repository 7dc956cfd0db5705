"""extract_metadata: title, outlet, date and legal identity exactly as the text states them."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_text
from ingest.metadata import extract_metadata, find_date, find_outlet, find_title, lead_title, parse_law_header

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
LAW = CORPUS / "law"
NEWS = CORPUS / "news"
needs_corpus = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus not present")


def meta_of(path: Path, title_hint: str | None = None):
    raw = path.read_text(encoding="utf-8")
    return extract_metadata(raw, clean_text(raw), path.name, title_hint)


def meta_of_text(raw: str, name: str = "ghi-chu.txt", title_hint: str | None = None):
    return extract_metadata(raw, clean_text(raw), name, title_hint)


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text, date, date_iso", [
    ("Thứ Sáu, 09/07/2021, 13:31\nSáng 9/7, Ban Dân vận họp.", "09/07/2021", "2021-07-09"),
    ("Hội nghị diễn ra ngày 9/7/2021 tại Hà Tĩnh.", "09/07/2021", "2021-07-09"),
    ("09-07-2021 14:30\nNội dung bài viết.", "09/07/2021", "2021-07-09"),
    ("Hà Nội, 12/01/2024 - Ban Dân vận Trung ương tổ chức hội nghị.", "12/01/2024", "2024-01-12"),
    ("Ngày 5/6, Ban Dân vận Tỉnh ủy tổ chức Đại hội Chi bộ.", "05/06", None),
    ("Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết.", "19/12", None),
    ("Chiều 6/1, BTV Huyện ủy tổ chức hội nghị.", "06/01", None),
    ("Sáng nay (hôm nay 16-3), Thành ủy công bố quyết định.", "16/03", None),
    ("Ngày 9 tháng 7 năm 2021, Ban Dân vận họp.", "09/07/2021", "2021-07-09"),
    ("Ngày 29/2, hội nghị diễn ra.", "29/02", None),  # no year: leap day is fine, none invented
    ("Bà Nguyễn Thị A sinh ngày 4/4/1961, quê Hà Nội.", None, None),  # a birth date is no dateline
    ("Theo Quyết định số 218 ngày 12-12-2013 của Bộ Chính trị, việc này được giao cho Thành ủy.", None, None),
    ("Năm 2018 các đơn vị đã đăng ký 112 mô hình, 5/6 xã đạt chuẩn.", None, None),
    ("Ngày 31/2, hội nghị.", None, None),  # impossible date
    ("", None, None),
])
def test_find_date(text: str, date: str | None, date_iso: str | None) -> None:
    assert find_date(text) == (date, date_iso)


def test_dateline_at_top_preferred_over_body_dates() -> None:
    body = "\n".join(f"Đoạn {i}: hội nghị ngày 1/1/2000 được nhắc lại, nhiều ý kiến được nêu ra." for i in range(20))
    text = "Tiêu đề bài viết về công tác dân vận\nThứ Hai, 03/06/2024, 08:00\n" + body
    assert find_date(text) == ("03/06/2024", "2024-06-03")


def test_date_deep_in_body_is_not_the_dateline() -> None:
    lead = [f"Đoạn {i} nói về nhiều việc khác nhau của công tác dân vận ở cơ sở trong năm qua." for i in range(8)]
    text = "\n".join(["Tiêu đề bài viết", *lead, "Ngày 4/6/1996, Thủ tướng ký quyết định phê duyệt quy hoạch chung."])
    assert find_date(text) == (None, None)


# ---------------------------------------------------------------- outlets

@pytest.mark.parametrize("text, outlet", [
    ("Tiêu đề\n(Baohatinh.vn) - Đó là nội dung trọng tâm.", "Baohatinh.vn"),
    ("(Baonghean.vn) - Đó là nội dung được nhấn mạnh.", "Baonghean.vn"),
    ("(Chinhphu.vn) – Sáng 12/1, Thủ tướng chủ trì hội nghị.", "Chinhphu.vn"),
    ("(TTXVN) - Chiều 5/3, tại Hà Nội đã diễn ra hội nghị.", "TTXVN"),
    ("TTO - Sáng 9/7, Ban Dân vận Thành ủy tổ chức hội nghị.", "TTO"),
    ("Bài viết về công tác dân vận ở cơ sở.\nNguồn: Báo Nhân Dân", "Báo Nhân Dân"),
    ("Nội dung bài viết về dân vận khéo.\nMinh Anh\nTheo Chinhphu.vn", "Chinhphu.vn"),
    ("Nội dung bài viết.\n(Theo TTXVN)", "TTXVN"),
    ("Theo đó, các cấp ủy cần tiếp tục quan tâm lãnh đạo công tác dân vận.", None),
    ("II - NHIỆM VỤ TRỌNG TÂM\nNội dung.", None),
    ("(Điều 36 Luật số 10/2022/QH15, có hiệu lực thi hành kể từ ngày 01/07/2023)", None),
    ("Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết.", None),
])
def test_find_outlet(text: str, outlet: str | None) -> None:
    assert find_outlet(text) == outlet


# ---------------------------------------------------------------- titles

HEAD = "Ban Dân vận Tỉnh ủy triển khai nhiệm vụ"


@pytest.mark.parametrize("clean, title", [
    (f"{HEAD}\nThứ Sáu, 09/07/2021, 13:31\nSáng 9/7, hội nghị.", HEAD),
    (f"Thứ Sáu, 09/07/2021, 13:31\n{HEAD}\nSáng 9/7, hội nghị.", HEAD),
    (f"Zalo\nTrang chủ\n{HEAD}\nNội dung.", HEAD),
    ("(Baohatinh.vn) - Đó là nội dung trọng tâm được Chi bộ xác định trong nhiệm kỳ.", None),
    ("Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ.", None),
    ("", None),
])
def test_find_title(clean: str, title: str | None) -> None:
    assert find_title(clean) == title


LEAD = "Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU về công tác dân vận."


@pytest.mark.parametrize("title_hint, expected", [
    ("Sơ kết Chỉ thị 20-CT/ThU", "Sơ kết Chỉ thị 20-CT/ThU"),
    (None, "Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU về công tác dân vận"),
    ("  ", "Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU về công tác dân vận"),
])
def test_title_falls_back_to_hint_then_lead(title_hint: str | None, expected: str) -> None:
    """No heading in the text: the file's own title, else the lead sentence's clause without its time phrase
    (issue 26 item 11); the passages' heading stays the first line, as before."""
    meta = meta_of_text(LEAD, "so-ket.docx", title_hint)
    assert meta.title == expected
    assert meta.heading == (title_hint.strip() or LEAD if title_hint else LEAD)
    assert meta.date == "19/12" and meta.date_iso is None


@pytest.mark.parametrize("clean, title", [
    ("Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị "
     "ủy về tăng cường sự lãnh đạo, chỉ đạo; thực hiện Quy chế dân chủ ở cơ sở.\nToàn cảnh hội nghị",
     "Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy"),
    ("Sáng nay (14-6), chính quyền thành phố công bố quyết định điều động nhân sự.\nNội dung.",
     "Chính quyền thành phố công bố quyết định điều động nhân sự"),
    ("Tin tổng hợp: Khởi tố vụ án ở huyện miền núi; Bắt tạm giam nghi phạm trộm cắp tài sản trên quốc lộ 37 và "
     "truy tìm đồng bọn đang lẩn trốn ở các tỉnh lân cận sau nhiều ngày truy xét\nNội dung bài.",
     "Tin tổng hợp: Khởi tố vụ án ở huyện miền núi; Bắt tạm giam nghi phạm trộm cắp tài sản trên quốc lộ 37 và "
     "truy tìm đồng bọn đang lẩn trốn ở các tỉnh lân cận sau nhiều ngày truy xét"),  # a long headline, whole
    ("Ok.", None),
])
def test_lead_title(clean: str, title: str | None) -> None:
    assert lead_title(clean) == title


@pytest.mark.parametrize("raw, kind", [
    ("Ghi chú: họp chi bộ vào thứ Hai tuần sau, chuẩn bị báo cáo công tác dân vận quý II.", "text"),
    ("Tiêu đề\n(Baohatinh.vn) - Đó là nội dung trọng tâm của nhiệm kỳ mới.", "news"),
    ("Ngày 5/6, Ban Dân vận Tỉnh ủy tổ chức Đại hội Chi bộ lần thứ IX, nhiệm kỳ 2020 - 2025.", "news"),
])
def test_kind(raw: str, kind: str) -> None:
    assert meta_of_text(raw).kind == kind


# ---------------------------------------------------------------- law

def test_law_header_synthetic() -> None:
    raw = ("Đề mục: Thực hiện dân chủ ở cơ sở\n\n"
           "Điều 44.13.LQ.36. Tổ chức Ban Thanh tra nhân dân ở xã, phường, thị trấn\n\n"
           "(Điều 36 Luật số 10/2022/QH15, có hiệu lực thi hành kể từ ngày 01/07/2023)\n\n"
           "1. Ban Thanh tra nhân dân được thành lập.")
    meta = meta_of_text(raw, "phapdien_44.13.LQ.36.txt")
    assert meta.kind == "law"
    assert meta.article == "Điều 36"
    assert meta.instrument == "Luật số 10/2022/QH15"
    assert meta.effective_date == "01/07/2023"
    assert meta.title == "Điều 36 Luật số 10/2022/QH15 — Tổ chức Ban Thanh tra nhân dân ở xã, phường, thị trấn"
    assert "44.13" not in meta.title
    assert meta.outlet is None and meta.date is None


def test_source_note_wrapped_over_lines() -> None:
    lines = ["Điều 35.4.NL.9.1. Phạm vi điều chỉnh", "(Điều 1 Nghị quyết liên tịch số 19/2008/NQLT-CP-UBTUMTTQVN",
             "Quy định chi tiết, có hiệu lực thi hành kể từ ngày 23/09/2008)", "Nội dung."]
    info = parse_law_header(lines)
    assert info == {"heading": "Phạm vi điều chỉnh", "article": "Điều 1",
                    "instrument": "Nghị quyết liên tịch số 19/2008/NQLT-CP-UBTUMTTQVN", "effective_date": "23/09/2008"}


def test_plain_text_with_dieu_is_not_pháp_điển() -> None:
    assert parse_law_header(["Điều 1. Phạm vi điều chỉnh", "Luật này quy định về dân chủ ở cơ sở."]) is None


LAW_CASES = [
    # file, article, instrument, effective date, heading words in the title
    ("phapdien_44.13.LQ.36.txt", "Điều 36", "Luật số 10/2022/QH15", "01/07/2023", "Tổ chức Ban Thanh tra nhân dân"),
    ("phapdien_35.4.LQ.1.txt", "Điều 1", "Luật số 75/2015/QH13", "01/01/2016", "Mặt trận Tổ quốc Việt Nam"),
    ("phapdien_44.13.NĐ.1.1.txt", "Điều 1", "Nghị định số 59/2023/NĐ-CP", "15/08/2023", "Phạm vi điều chỉnh"),
    ("phapdien_44.13.NĐ.2.1.txt", "Điều 1", "Nghị định số 61/2023/NĐ-CP", "16/08/2023", "Phạm vi điều chỉnh"),
    ("phapdien_35.4.NĐ.1.1.txt", "Điều 1", "Nghị định số 64/2008/NĐ-CP", "06/06/2008", "Phạm vi điều chỉnh"),
    ("phapdien_44.13.TT.1.1.txt", "Điều 1", "Thông tư số 165/2018/TT-BQP", "15/01/2019", "Phạm vi điều chỉnh"),
    ("phapdien_35.4.TT.1.1.txt", "Điều 1", "Thông tư số 72/2008/TT-BTC", "02/09/2008", "Phạm vi áp dụng"),
    ("phapdien_35.4.CT.1.2.txt", "Điều 2", "Chỉ thị số 23/1998/CT-TTg", "04/06/1998", ""),
    ("phapdien_35.4.QĐ.2.1.txt", "Điều 1", "Quyết định số 33/2014/QĐ-TTg", "15/07/2014", "Phạm vi điều chỉnh"),
    ("phapdien_35.4.NL.1.2.txt", "Điều 2", "Nghị quyết liên tịch số 19/2008/NQLT-CP-UBTUMTTQVN", "23/09/2008", ""),
    ("phapdien_35.4.TL.2.1.txt", "Điều 1", "Thông tư liên tịch số 144/2014/TTLT-BTC-BVHTTDL", "15/11/2014", "Phạm vi"),
]


@needs_corpus
@pytest.mark.parametrize("name, article, instrument, effective, heading", LAW_CASES, ids=[c[0] for c in LAW_CASES])
def test_law_files(name: str, article: str, instrument: str, effective: str, heading: str) -> None:
    meta = meta_of(LAW / name)
    assert meta.kind == "law"
    assert (meta.article, meta.instrument, meta.effective_date) == (article, instrument, effective)
    assert meta.title.startswith(f"{article} {instrument}")
    assert heading in meta.title
    assert ".LQ." not in meta.title and ".TT." not in meta.title and ".NĐ." not in meta.title


@needs_corpus
def test_law_file_without_source_note_keeps_heading() -> None:
    meta = meta_of(LAW / "phapdien_35.4.LQ.22.txt")
    assert meta.kind == "law"
    assert meta.title.startswith("Tham dự các kỳ họp Quốc hội")
    assert meta.article is None and meta.instrument is None


@needs_corpus
def test_every_law_file_is_law_with_a_title() -> None:
    files = sorted(LAW.glob("*.txt"))
    metas = [meta_of(p) for p in files]
    assert all(m.kind == "law" and m.title and "Đề mục" not in m.title for m in metas)
    with_instrument = [m for m in metas if m.instrument]
    assert len(with_instrument) >= 0.9 * len(files)
    assert all(m.article and m.article.startswith("Điều ") for m in with_instrument)


# ---------------------------------------------------------------- real seeds

SEED_CASES = {
    # prefix: (outlet, date, date_iso, title start)
    "000": ("Baohatinh.vn", "05/06", None, "Xây dựng mô hình “dân vận khéo”"),
    "001": (None, "09/07/2021", "2021-07-09", "Ban Dân vận Tỉnh ủy triển khai nhiệm vụ"),
    "002": (None, "19/12", None, None),  # no headline: see test_real_titles_years_places
    "003": ("Baohatinh.vn", "06/01", None, "Cẩm Xuyên cần nhân rộng"),
    "004": ("Baonghean.vn", "09/07", None, "Nâng chất lượng công tác dân vận"),
}


@needs_corpus
@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed_metadata(prefix: str) -> None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    outlet, date, date_iso, title = SEED_CASES[prefix]
    meta = meta_of(path)
    assert meta.kind == "news"
    assert meta.outlet == outlet
    assert (meta.date, meta.date_iso) == (date, date_iso)
    if title is None:  # a town-portal page with no heading: its file's title, else one read from its lead
        assert meta.title.startswith("Ban thường vụ Thị ủy đã sơ kết") and meta.heading.startswith("Chiều ngày 19/12")
        assert meta_of(path, "Sơ kết Chỉ thị 20").title == "Sơ kết Chỉ thị 20"
    else:
        assert meta.title.startswith(title)


@needs_corpus
def test_seed_outlets_are_written_in_the_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        meta = meta_of(path)
        if meta.outlet:
            assert meta.outlet in path.read_text(encoding="utf-8")


@needs_corpus
def test_news_files_get_titles_and_never_invented_years() -> None:
    files = sorted(NEWS.glob("*.txt"))[::7]
    for path in files:
        raw = path.read_text(encoding="utf-8")
        meta = meta_of(path)
        assert meta.title and meta.kind in {"news", "text"}
        first = next(ln.strip() for ln in raw.split("\n") if ln.strip())
        assert meta.title == first or meta.title == path.stem
        if meta.date_iso:
            assert meta.date_iso[:4] in raw
        if meta.date and len(meta.date) == 5:
            assert meta.date_iso is None


# ---------------------------------------------------------------- shown: title, year, place (issue 26 item 11)

REAL_CASES = [
    # folder, file, title (start), date as shown, place
    ("seeds", "000_72696720fdc55954.txt", "Xây dựng mô hình “dân vận khéo” gắn với các khâu đột phá của tỉnh",
     "05/06 (không rõ năm)", "tỉnh Hà Tĩnh"),  # the lead's "nhiệm kỳ 2020 - 2025" is a term, not its year
    ("seeds", "001_55ffc7e6e046b248.txt", "Ban Dân vận Tỉnh ủy triển khai nhiệm vụ công tác 6 tháng cuối năm",
     "09/07/2021", None),
    ("seeds", "002_53d483f86c03c5e7.txt",  # no headline: the lead's clause; "năm 2018" in the lead
     "Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy",
     "19/12 (năm 2018)", "thị xã Hồng Lĩnh"),
    ("seeds", "003_1a7fc85f422d364f.txt", "Cẩm Xuyên cần nhân rộng và lan toả các mô hình “Dân vận khéo”",
     "06/01 (năm 2022)", "huyện Cẩm Xuyên (Hà Tĩnh)"),  # "tổng kết … năm 2021, triển khai nhiệm vụ năm 2022"
    ("seeds", "004_62f44b5bf5acd665.txt", "Nâng chất lượng công tác dân vận trong Khối Các cơ quan",
     "09/07 (không rõ năm)", "Nghệ An"),  # Baonghean.vn: a provincial paper is named after its province
    ("news", "train_001232.txt", "Ngày Pháp luật Việt Nam (9/11/2018): Hướng về cơ sở, phục vụ người dân",
     "năm 2018", None),  # no dateline: the headline's date
    ("news", "baomoi_21481254.txt", "Quảng Nam phấn đấu có thêm 9 - 10 xã đạt chuẩn nông thôn mới năm 2017",
     "07/02 (năm 2017)", "Quảng Nam"),
    ("news", "test_015190.txt", "Những hình ảnh ấn tượng nhất ngày khai mạc Hội báo toàn quốc 2019",
     "15/03 (năm 2019)", "Hà Nội"),
    ("news", "train_004030.txt", "Bình Thuận: Bắt tạm giam Trưởng ban Dân vận Huyện uỷ Tuy Phong",
     "15/03 (không rõ năm)", "Bình Thuận"),  # "Bộ luật Hình sự năm 2015, sửa đổi năm 2017" dates the law
    ("news", "baomoi_22720761.txt", "Biệt thự triệu đô là của em trai Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy Sơn La",
     "không rõ năm", "tỉnh Sơn La"),  # "“Năm 2013 khi tôi …”": a year someone recalls
    ("news", "baomoi_22573166.txt", "Đồng chí Phạm Minh Chính thăm, chúc mừng cán bộ, phóng viên",
     "20/06 (không rõ năm)", None),  # "Thông tấn xã Việt Nam" names no commune
    ("news", "test_020108.txt", "Chủ tịch tỉnh Nghệ An dùng cơm với công nhân", "08/03 (không rõ năm)",
     "tỉnh Nghệ An"),
    ("law", "phapdien_44.13.LQ.36.txt", "Điều 36 Luật số 10/2022/QH15 — Tổ chức Ban Thanh tra nhân dân",
     "hiệu lực 01/07/2023", None),
]


@needs_corpus
@pytest.mark.parametrize("folder, name, title, shown, place", REAL_CASES, ids=[c[1] for c in REAL_CASES])
def test_real_titles_years_places(folder: str, name: str, title: str, shown: str, place: str | None) -> None:
    """A document is shown by its headline (not its first sentence cut short), its date with the year it gives
    anywhere in its headline or lead ("không rõ năm" when none), the place it names for itself; a legal article
    by its instrument and effective date."""
    from assistant.answer.render import shown_date
    meta = meta_of(CORPUS / folder / name)
    assert meta.title.startswith(title) and "…" not in meta.title, meta.title
    assert shown_date(meta.date, meta.year, meta.effective_date, meta.kind) == shown
    assert meta.place == place


@needs_corpus
def test_a_long_headline_is_the_whole_title() -> None:
    meta = meta_of(NEWS / "train_001530.txt")  # 33 words, two stories joined by ";": still the headline
    assert meta.title.startswith("An ninh hình sự 24 h:") and meta.title.endswith("trên quốc lộ 37"), meta.title


@needs_corpus
def test_a_better_title_changes_no_passage() -> None:
    """The shown title of a text without a heading changes; what its passages carry (heading, text) and the
    places read for answering do not (ingest/pipeline.py uses ``meta.heading``)."""
    from config import Settings
    from ingest.chunk import chunk_document
    from ingest.pipeline import prepare_file
    path = SEEDS / "002_53d483f86c03c5e7.txt"
    clean = clean_text(path.read_text(encoding="utf-8"))
    first = clean.strip().split("\n", 1)[0]
    before = first[:100].rsplit(" ", 1)[0] + " …"  # the heading its passages have always carried
    settings = Settings(_env_file=None)
    prep = prepare_file(path, settings)
    assert prep.meta.title != before and {c.heading for c in prep.chunks} == {before}
    same = chunk_document(prep.doc_id, clean, before, chunk_size=settings.chunk_size, chunk_min=settings.chunk_min,
                          overlap=settings.chunk_overlap)
    assert [(c.text, c.start) for c in prep.chunks] == [(c.text, c.start) for c in same]
    assert prep.meta.places == ["thị xã Hồng Lĩnh"]
