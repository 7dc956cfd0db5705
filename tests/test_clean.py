"""clean_text / strip_boilerplate: page furniture goes, article text stays, clean text is untouched."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.clean import (
    boilerplate_from_counts,
    clean_text,
    document_line_keys,
    drop_lines,
    line_key,
    normalize_whitespace,
    strip_boilerplate,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
LAW = CORPUS / "law"
NEWS = CORPUS / "news"
needs_corpus = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus not present")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _spread(folder: Path, n: int) -> list[Path]:
    """n files spread evenly over the sorted folder (deterministic, covers every kind)."""
    files = sorted(folder.glob("*.txt"))
    step = max(1, len(files) // n)
    return files[::step][:n]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _words(line: str) -> int:
    return len(re.findall(r"\w+", line))


# ---------------------------------------------------------------- synthetic page

TITLE = "Hội nghị tổng kết công tác dân vận năm 2023 của huyện Cẩm Xuyên"
P1 = ("Sáng 12/1, Ban Dân vận Huyện ủy Cẩm Xuyên tổ chức hội nghị tổng kết công tác dân vận năm 2023, "
      "triển khai nhiệm vụ năm 2024 với sự tham dự của đại diện các xã, thị trấn.")
P2 = ("Trong năm, các cấp ủy đã lãnh đạo thực hiện tốt quy chế dân chủ ở cơ sở, đăng ký 155 mô hình "
      "dân vận khéo trên các lĩnh vực kinh tế, văn hóa, xã hội và quốc phòng.")
P3 = ("Phát biểu chỉ đạo, Phó Bí thư Thường trực Huyện ủy đề nghị tiếp tục đổi mới nội dung, phương thức "
      "công tác dân vận, gần dân, trọng dân và có trách nhiệm với dân.")
CAPTION = "Đồng chí Bí thư Huyện ủy phát biểu tại hội nghị. Ảnh: Minh Anh"
SHORT_CAPTION = "Toàn cảnh hội nghị"
BYLINE = "Minh Anh"


def page(before: list[str] = (), inside: list[str] = (), after: list[str] = ()) -> str:
    """A pasted page: furniture placed before, inside (between P1 and P2) or after the article."""
    parts = [*before, TITLE, "", P1, "", *inside, "", SHORT_CAPTION, P2, "", CAPTION, "", P3, "", BYLINE, "", *after]
    return "\n".join(parts)


ARTICLE = [TITLE, P1, SHORT_CAPTION, P2, CAPTION, P3, BYLINE]

FURNITURE = [
    # share buttons alone on a line
    "Facebook", "Zalo", "Twitter", "Chia sẻ", "In bài", "Gửi email", "Lưu", "Chia sẻ Facebook Zalo Twitter",
    "Facebook | Zalo | In bài | Lưu",
    # read-more / related markers
    "Đọc thêm", "Xem thêm: Hà Tĩnh tổng kết công tác dân vận", "Tin liên quan", "Bài viết cùng chuyên mục",
    "Tin mới Emagazine Truyền hình Podcast", "Tin mới",
    # rating widgets
    "lượt đánh giá: , trung bình:", "12 lượt đánh giá", "Đánh giá: ★★★★☆", "Đánh giá:",
    # visitor counters
    "Thống kê: 4.515.919", "Lượt truy cập: 1.234.567", "Đang online: 35", "Online: 59",
    # footers
    "© Bản quyền thuộc Báo Hà Tĩnh", "Bản quyền thuộc Cổng thông tin điện tử thị xã",
    "Giấy phép số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp",
    "Địa chỉ: 12 Nguyễn Du, TP Hà Tĩnh", "Điện thoại: 0239 3855 555", "Email: toasoan@baohatinh.vn",
    "ipv6 ready", "Liên kết website", "Emagazine", "Video", "Podcast", "Trang chủ > Thời sự > Chính trị",
    "Copyright 2024 Báo Nghệ An. All rights reserved.",
    # topic tags
    "Chủ đề ĐẠI HỘI ĐẢNG CÁC CẤP", "Từ khóa: dân vận khéo, Hà Tĩnh",
]

# Lines that share words with furniture but are article text.
LOOKALIKES = [
    "Thống kê: năm 2023 có 155 mô hình dân vận khéo được công nhận.",
    "Đánh giá: công tác dân vận còn một số hạn chế cần khắc phục.",
    "Trang thông tin đạt 1 triệu lượt truy cập trong năm 2023, tăng mạnh so với năm trước.",
    "Chủ đề năm nay là dân vận khéo, gần dân, hiểu dân.",
    "Địa chỉ:……………………………………",
    "Hôm nay",
    "Tổng cộng",
]


def _no_line(text: str, furniture: str) -> bool:
    return line_key(furniture) not in {line_key(ln) for ln in text.split("\n")}


@pytest.mark.parametrize("furniture", FURNITURE)
@pytest.mark.parametrize("where", ["before", "inside", "after"])
def test_furniture_line_removed_anywhere(furniture: str, where: str) -> None:
    out = clean_text(page(**{where: [furniture]}))
    assert _no_line(out, furniture)
    assert _lines(out) == ARTICLE


@pytest.mark.parametrize("line", LOOKALIKES)
@pytest.mark.parametrize("where", ["inside", "after"])
def test_furniture_lookalikes_kept(line: str, where: str) -> None:
    out = _lines(clean_text(page(**{where: [line]})))
    assert line in out
    assert [ln for ln in out if ln != line] == ARTICLE


def test_full_web_page_reduced_to_article() -> None:
    menu = ["Trang chủ", "Thời sự", "Kinh tế", "Văn hóa", "Thể thao", "Pháp luật", "Video"]
    top = [*menu, "Trang chủ > Chính trị > Dân vận", "Thứ Sáu, 12/01/2024, 13:31", "Zalo"]
    related = ["Tin liên quan", "Hà Tĩnh sơ kết 5 năm phong trào thi đua dân vận khéo",
               "Nghệ An ký kết chương trình phối hợp công tác dân vận giai đoạn mới"]
    footer = ["12 lượt đánh giá", "Thống kê: 4.515.919", "Đang online: 35", "© Bản quyền thuộc Báo Hà Tĩnh",
              "Địa chỉ: 12 Nguyễn Du", "Điện thoại: 0239 3855 555", "ipv6 ready"]
    raw = "\n".join([*top, TITLE, TITLE, P1, TITLE, "Facebook", P2, P3, BYLINE, *related, *footer])
    assert _lines(clean_text(raw)) == ["Thứ Sáu, 12/01/2024, 13:31", TITLE, P1, P2, P3, BYLINE]


def test_related_headlines_after_body_dropped_without_marker() -> None:
    """On a page (it has a share button), three headline-shaped lines after the byline are links."""
    related = ["Hà Tĩnh sơ kết 5 năm phong trào thi đua dân vận khéo",
               "Nghệ An ký kết chương trình phối hợp công tác dân vận giai đoạn mới",
               "Quảng Bình biểu dương 50 mô hình dân vận khéo tiêu biểu năm 2023"]
    assert _lines(clean_text(page(before=["Zalo"], after=related))) == ARTICLE


def test_headline_like_lines_kept_on_clean_text() -> None:
    """Without any page furniture, short trailing lines (a table, annex names) are content."""
    annexes = ["Mẫu số 01 Biên bản thẩm định hồ sơ dự án khuyến nông",
               "Mẫu số 02 Lý lịch khoa học cá nhân đăng ký chủ nhiệm dự án",
               "Mẫu số 03 Thuyết minh dự án khuyến nông trung ương"]
    table = ["Phương thức nộp phí định kỳ", "15", "Phương thức nộp phí 1 lần", "25",
             "Phương thức nộp phí định kỳ", "15", "Phương thức nộp phí 1 lần", "25"]
    text = "\n".join([P1, P2, *annexes, *table])
    assert clean_text(text) == text


@pytest.mark.parametrize("tail", [
    ["(Ảnh: Hà Nhân)."],
    ["Theo Chinhphu.vn"],
    ["Tiểu mục 3", "BAN GIÁM SÁT ĐẦU TƯ CỦA CỘNG ĐỒNG"],
    ["Mộc Miên (Tổng hợp)"],
])
def test_byline_captions_and_headings_after_body_kept(tail: list[str]) -> None:
    assert _lines(clean_text(page(after=tail))) == ARTICLE + tail


def test_repeated_headline_survives_once() -> None:
    raw = "\n\n".join([TITLE, P1, TITLE, P2, TITLE, P3])
    out = _lines(clean_text(raw))
    assert out.count(TITLE) == 1
    assert out == [TITLE, P1, P2, P3]


@pytest.mark.parametrize("raw, expected", [
    ("Dòng một   \n\n\n\n\nDòng hai\t\n", "Dòng một\n\nDòng hai"),
    ("a\u00a0b\u200bc\td", "a b c d"),
    ("Hà\u200dTĩnh\ufeff", "HàTĩnh"),
    ("một\r\nhai\rba", "một\nhai\nba"),
    (unicodedata.normalize("NFD", "Dân vận khéo"), "Dân vận khéo"),
    ("  thụt lề   nhiều    dấu cách  ", "thụt lề nhiều dấu cách"),
])
def test_whitespace_and_nfc(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize("text", [
    "Ghi chú họp chi bộ",
    "",
    "Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\n\n1. Luật này quy định về phạm vi, nội dung, "
    "hình thức và trách nhiệm thực hiện dân chủ ở cơ sở.\n\na) Niêm yết thông tin;\n\nb) Phát hành ấn phẩm;\n\n"
    "Tiểu mục 1\n\nNỘI DUNG, HÌNH THỨC KIỂM TRA, GIÁM SÁT",
    "\n".join([P1, P2, P3]),
])
def test_clean_text_is_untouched(text: str) -> None:
    assert strip_boilerplate(text) == text
    assert clean_text(text) == text


# ---------------------------------------------------------------- real seeds

SEED_FURNITURE = ["tin mới", "emagazine", "thống kê:", "ipv6 ready", "liên kết website", "lượt đánh giá", "đọc thêm"]

SEED_KEEPS = {
    "000": ["Ngô Văn Huỳnh", "Đại hội Chi bộ lần thứ IX", "hoàn thành xuất sắc nhiệm vụ"],
    "001": ["09/07/2021", "Đinh Văn An", "6 tháng đầu năm CTDV"],
    "002": ["112", "20-CT/ThU", "biểu dương 8 mô hình dân vận khéo", "Thu Hằng"],
    "003": ["155 mô hình", "Hà Thị Việt Ánh", "Nguyễn Thiên Toàn"],
    "004": ["Thái Thanh Quý", "Ảnh: Quốc Đạt", "2018 - 2020"],
}


@needs_corpus
@pytest.mark.parametrize("prefix", sorted(SEED_KEEPS))
def test_seed_furniture_gone_body_kept(prefix: str) -> None:
    raw = _read(_seed(prefix))
    out = clean_text(raw)
    for line in _lines(out):
        low = line.casefold()
        assert not any(f in low for f in SEED_FURNITURE), line
        assert low not in {"zalo", "facebook", "chia sẻ"}, line
    for needle in SEED_KEEPS[prefix]:
        assert needle in out, needle


@needs_corpus
@pytest.mark.parametrize("prefix", sorted(SEED_KEEPS))
def test_seed_repeated_lines_survive_once(prefix: str) -> None:
    raw_lines = _lines(unicodedata.normalize("NFC", _read(_seed(prefix))))
    out_lines = _lines(clean_text(_read(_seed(prefix))))
    repeated = {ln for ln in raw_lines if raw_lines.count(ln) > 1 and _words(ln) >= 3}
    for ln in repeated:
        assert out_lines.count(normalize_whitespace(ln)) == 1, ln
    assert len(out_lines) == len(set(out_lines))


@needs_corpus
def test_seed_title_repeated_many_times_kept_first() -> None:
    out = _lines(clean_text(_read(_seed("003"))))
    title = "Cẩm Xuyên cần nhân rộng và lan toả các mô hình “Dân vận khéo”"
    assert out[0] == title and out.count(title) == 1


@needs_corpus
@pytest.mark.parametrize("path", _spread(LAW, 20) if LAW.is_dir() else [], ids=lambda p: p.name)
def test_law_files_lose_nothing(path: Path) -> None:
    raw = _read(path)
    assert clean_text(raw) == normalize_whitespace(unicodedata.normalize("NFC", raw))


@needs_corpus
@pytest.mark.parametrize("path", _spread(NEWS, 20) if NEWS.is_dir() else [], ids=lambda p: p.name)
def test_news_files_keep_every_substantial_line(path: Path) -> None:
    raw = normalize_whitespace(unicodedata.normalize("NFC", _read(path)))
    kept = {line_key(ln) for ln in clean_text(raw).split("\n")}
    for line in _lines(raw):
        if _words(line) >= 8:
            assert line_key(line) in kept, line


# ---------------------------------------------------------------- cross-document header lines

def test_document_line_keys_normalises_and_skips_long_lines() -> None:
    text = "Đề mục:  Thực hiện DÂN CHỦ ở cơ sở\n\n" + "x " * 200 + "\nĐề mục: thực hiện dân chủ ở cơ sở"
    assert document_line_keys(text) == {"đề mục: thực hiện dân chủ ở cơ sở"}


@pytest.mark.parametrize("counts, n_docs, expected", [
    ({"a": 30, "b": 9, "c": 12}, 100, {"a", "c"}),  # b below min_count
    ({"a": 30, "c": 12}, 400, {"a"}),  # c below 5 % of 400
    ({"a": 15}, 19, set()),  # collection too small
    ({"a": 10}, 20, {"a"}),
])
def test_boilerplate_from_counts(counts: dict[str, int], n_docs: int, expected: set[str]) -> None:
    assert boilerplate_from_counts(counts, n_docs) == expected


def test_drop_lines_removes_only_keyed_lines() -> None:
    text = "Đề mục: Thực hiện dân chủ ở cơ sở\n\nĐiều 1. Phạm vi\n\nNội dung."
    assert drop_lines(text, {"đề mục: thực hiện dân chủ ở cơ sở"}) == "Điều 1. Phạm vi\n\nNội dung."
    assert drop_lines(text, set()) == text


@needs_corpus
def test_law_collection_header_found_as_boilerplate() -> None:
    counts: dict[str, int] = {}
    files = sorted(LAW.glob("*.txt"))
    for path in files:
        for key in document_line_keys(_read(path)):
            counts[key] = counts.get(key, 0) + 1
    found = boilerplate_from_counts(counts, len(files))
    assert "đề mục: thực hiện dân chủ ở cơ sở" in found
    assert "đề mục: mặt trận tổ quốc việt nam" in found
    assert all(not k.startswith("điều ") for k in found)
