"""Several-part questions answered part by part (issue 25): the sentence that answers another part is found in
the lead's own document however the whole question scores it, and one value never answers two parts that ask
for the same kind of value. Real store: articles of Luật 10/2022/QH15 on the Ban Thanh tra nhân dân and on the
community's supervision of investment, from ../shared/corpus/law."""
from __future__ import annotations

import pytest

from conftest import LAW, corpus_assistant

ARTICLES = ["phapdien_44.13.LQ.36.txt", "phapdien_44.13.LQ.37.txt", "phapdien_44.13.LQ.45.txt",
            "phapdien_44.13.LQ.59.txt", "phapdien_44.13.LQ.60.txt", "phapdien_44.13.LQ.61.txt"]


@pytest.fixture(scope="module")
def articles(tmp_path_factory, shared_embed_cache):
    a = corpus_assistant(tmp_path_factory.mktemp("two-parts-store"), [LAW / name for name in ARTICLES],
                         shared_embed_cache)
    yield a
    a.close()


def test_the_second_part_is_answered_from_the_lead_s_article(articles):
    """"bao nhiêu thành viên" leads (a list item of the article); "mấy năm" is answered by the article's other
    clause, which the question as a whole scores far lower (before: "không trả lời phần: nhiệm kỳ mấy năm")."""
    ans = articles.ask("Ban Thanh tra nhân dân ở cơ quan, đơn vị có bao nhiêu thành viên, và mỗi nhiệm kỳ của Ban "
                       "kéo dài mấy năm?")
    assert ans.found, ans.answer
    assert "03 đến 09" in ans.answer and "02 năm" in ans.answer, ans.answer
    assert len(ans.parts) == 2 and all(p.found for p in ans.parts), ans.parts
    assert {c.source for c in ans.citations} == {"phapdien_44.13.LQ.60.txt"}, ans.citations


def test_one_value_does_not_answer_two_parts_of_its_kind(articles):
    """Both parts ask "how many days": the lead's "45 ngày" answers the first; the second is answered by the
    article's clause that says its own words ("thông báo kết quả giải quyết … 15 ngày"), not by the same 45."""
    ans = articles.ask("Khi giám sát đầu tư của cộng đồng, Mặt trận xã phải thông báo kế hoạch giám sát cho chủ đầu "
                       "tư trước bao nhiêu ngày? Còn khi Ban giám sát có kiến nghị thì chính quyền xã phải thông báo "
                       "kết quả giải quyết trong mấy ngày?")
    assert ans.found, ans.answer
    assert "45 ngày" in ans.answer and "15 ngày" in ans.answer, ans.answer


@pytest.mark.parametrize("text, asks", [
    ("thay thế luật nào", True), ("nó thay thế Nghị định nào", True), ("căn cứ văn bản gì", True),
    ("khi đó pháp lệnh nào hết hiệu lực", True), ("do cơ quan nào chỉ đạo", False), ("bao nhiêu thành viên", False),
])
def test_a_part_that_asks_which_document(text, asks):
    from assistant.understand.parts import Part, holds_part
    from assistant.understand.slots import asked_slot
    from vntext import folded_form
    part = Part(text, asked_slot(folded_form(text)), None)
    assert part.asks_document == asks and part.supportable == asks
    if asks:  # sought for support by a sentence that writes a document's number; it never decides found
        assert holds_part(part, "Luật Mặt trận Tổ quốc Việt Nam số 14/1999/QH10 hết hiệu lực.", support=True)
        assert not holds_part(part, "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2016.", support=True)
        assert holds_part(part, "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2016.")


def test_which_law_it_replaces_is_answered_from_the_article(tmp_path_factory, shared_embed_cache):
    """"… có hiệu lực từ ngày nào và thay thế luật nào?": the effective date leads, the article's clause that names
    the law it ends answers the second part, though it never says "thay thế" (Luật 75/2015/QH13, Điều 40)."""
    files = [LAW / f"phapdien_35.4.LQ.{n}.txt" for n in (2, 3, 40)] + [LAW / "phapdien_44.13.LQ.90.txt"]
    a = corpus_assistant(tmp_path_factory.mktemp("replaces-store"), files, shared_embed_cache)
    try:
        ans = a.ask("Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13 có hiệu lực từ ngày nào và thay thế luật nào?")
        assert ans.found and "2016" in ans.answer and "14/1999/QH10" in ans.answer, ans.answer
    finally:
        a.close()
