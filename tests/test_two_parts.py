"""Several-part questions answered part by part (issue 25): the sentence that answers another part is found in
the lead's own document however the whole question scores it, and one value never answers two parts that ask
for the same kind of value. Real store: articles of Luật 10/2022/QH15 on the Ban Thanh tra nhân dân and on the
community's supervision of investment, from ../shared/corpus/law."""
from __future__ import annotations

import pytest

from conftest import LAW, make_settings

ARTICLES = ["phapdien_44.13.LQ.36.txt", "phapdien_44.13.LQ.37.txt", "phapdien_44.13.LQ.45.txt",
            "phapdien_44.13.LQ.59.txt", "phapdien_44.13.LQ.60.txt", "phapdien_44.13.LQ.61.txt"]


@pytest.fixture(scope="module")
def articles(tmp_path_factory, shared_embed_cache):
    from assistant.service import Assistant
    files = [LAW / name for name in ARTICLES]
    missing = [str(f) for f in files if not f.exists()]
    assert not missing, f"corpus files missing: {missing}"
    a = Assistant(make_settings(tmp_path_factory.mktemp("two-parts-store"), embed_cache=shared_embed_cache))
    report = a.ingest(files)
    assert len(report.added) == len(ARTICLES), report.summary_lines()
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
