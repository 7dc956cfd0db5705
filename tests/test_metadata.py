"""extract_metadata: title, outlet, date and legal identity exactly as the text states them."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_text
from ingest.metadata import extract_metadata, find_date, find_outlet, find_title, parse_law_header

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


@pytest.mark.parametrize("title_hint, expected", [
    ("Sơ kết Chỉ thị 20-CT/ThU", "Sơ kết Chỉ thị 20-CT/ThU"),
    (None, "so-ket"),
    ("  ", "so-ket"),
])
def test_title_falls_back_to_hint_then_stem(title_hint: str | None, expected: str) -> None:
    raw = "Chiều ngày 19/12, Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU về công tác dân vận."
    meta = meta_of_text(raw, "so-ket.docx", title_hint)
    assert meta.title == expected
    assert meta.date == "19/12" and meta.date_iso is None


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
    "002": (None, "19/12", None, None),
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
    if title is None:  # a town-portal page with no heading: hint, else file stem
        assert meta.title == path.stem
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
