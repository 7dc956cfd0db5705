"""Accents and capitals restored on unaccented questions from the collection's own text (assistant/understand/restore.py)."""
from __future__ import annotations

import pytest

from assistant.understand.constraints import read_constraints
from assistant.understand.restore import is_unaccented, restore_question, written_forms


@pytest.mark.parametrize("phrase,texts,expected", [
    ("tinh uy", ["Ban Thường vụ Tỉnh ủy đã họp.", "Tỉnh ủy chỉ đạo.", "tinh uy"],
     {"Tỉnh ủy": 1, "tỉnh ủy": 1, "tinh uy": 1}),  # a sentence's first capital is its place's, not the word's
    ("cp ve", ["Nghị định số 61/2023/NĐ-CP về", "x. - CP về"], {"CP về": 1, "cP về": 1}),
    ("dan van", ["BAN DÂN VẬN", "công tác dân vận"], {"dân vận": 2}),  # a heading in capitals: no case
    ("hoa binh", ["tỉnh Hoà Bình"], {"Hòa Bình": 1}),  # old tone placement read as the new one
    ("ha tinh", ["Hà Tĩnhxyz", "xHà Tĩnh"], {}),  # whole words only
])
def test_written_forms(phrase, texts, expected):
    assert dict(written_forms(phrase, texts)) == expected


@pytest.mark.parametrize("text,expected", [("ai la bi thu", True), ("Ai là bí thư", False), ("2020", False),
                                           ("Ha Tinh", True)])
def test_is_unaccented(text, expected):
    assert is_unaccented(text) is expected


def test_questions_read_as_their_accented_twin(any_seeds_assistant):  # SQLite FTS5 and PostgreSQL postings alike
    cat = any_seeds_assistant.store.catalogue
    q = restore_question("ai la pho truong ban dan van tinh uy ha tinh nhiem ky 2020 - 2025?", cat)
    assert "Tỉnh ủy Hà Tĩnh" in q and "Dân vận" in q.replace("dân vận", "Dân vận") and "2020 - 2025" in q
    kinds = {n.kind: n.keys for n in read_constraints(q)}
    assert kinds.get("period") == ("2020 2025",) and ("ha tinh",) in [n.keys for n in read_constraints(q)]
    assert restore_question("Ai là Bí thư?", cat) == "Ai là Bí thư?"  # accented questions are left alone


def test_a_name_the_collection_lacks_is_still_a_constraint(seeds_assistant):
    cat = seeds_assistant.store.catalogue
    q = restore_question("pho bi thu tinh uy bac lieu la ai", cat)
    assert "Bac Lieu" in q  # not in the seeds: capitalised where a name stands, so it must be met
    assert ("bac lieu",) in [n.keys for n in read_constraints(q)]
    # "Hà" the seeds write after "Tỉnh ủy"; "giang" after it they never do: the rest of a name they lack
    q = restore_question("pho bi thu tinh uy ha giang la ai", cat)
    assert "Hà Giang" in q and ("ha giang",) in [n.keys for n in read_constraints(q)]
    # a whole name the seeds hold, then words they never write: those are no name; nor is "hôm" of "hôm nào"
    q = restore_question("bi thu huyen uy cam xuyen nham chuc hom nao", cat)
    assert [n.keys for n in read_constraints(q) if n.kind == "name"] == [("cam xuyen",)]
    q = restore_question("dong chi ngo van huynh hom nao duoc bau", cat)
    assert [n.keys for n in read_constraints(q) if n.kind == "name"] == [("ngo van huynh",)]
    q = restore_question("nam 2018 thi xa hong linh dang ky bao nhieu mo hinh dan van kheo", cat)
    assert "thị xã" in q and "2018" in q and "mô hình" in q
    # the passages never write the town's name (the page's own chrome does): left as typed, capitalised
    assert ("hong linh",) in [n.keys for n in read_constraints(q) if n.kind == "place"]


@pytest.mark.parametrize("question, name", [
    ("du thao huong uoc cua thon phai niem yet bao nhieu ngay", None),  # "thôn phải …": a modal, no name
    ("xa duoi 5 thon thi bau bao nhieu thanh vien", None),  # "xã dưới 5 thôn": a position word
    ("thon minh co bao nhieu ho", None),  # a pronoun
    ("xa toi co 4 thon thi bau bao nhieu thanh vien", None),  # "xã tôi"
    ("moi nam thon xom phai ngoi lai ra soat huong uoc vao dip nao", None),  # "thôn xóm": a compound noun
    ("pho bi thu quan uy ba dinh la ai", "ba dinh"),  # a name may start like a quantifier ("Ba Đình")
])
def test_a_function_word_after_an_administrative_word_starts_no_name(seeds_assistant, question, name):
    q = restore_question(question, seeds_assistant.store.catalogue)
    names = [n.keys for n in read_constraints(q) if n.kind in ("name", "place")]
    assert (names == []) if name is None else ((name,) in names), (q, names)


def test_unaccented_questions_answer_like_accented_ones(seeds_assistant):
    ans = seeds_assistant.ask("nam 2018 thi xa hong linh dang ky bao nhieu mo hinh dan van kheo")
    assert ans.found and "112" in ans.answer
    ans = seeds_assistant.ask("nam 2018 thanh pho vinh dang ky bao nhieu mo hinh dan van kheo")
    assert not ans.found


def test_codes_and_numbers_are_left_as_typed(seeds_assistant):
    cat = seeds_assistant.store.catalogue
    q = restore_question("chi thi 20-ct/thu do ai ky", cat)
    assert "20-ct/thu" in q  # a word glued by - or / is part of a document number
    assert [n.keys for n in read_constraints(q) if n.kind == "document"] == [("20-ct/thu",)]


def test_two_pairs_disagree_the_content_word_pair_decides():
    from collections import Counter as C

    from assistant.understand.restore import _best, _content_side
    # "phan thiet la": "phần thiết" (a content pair) against "thiệt là" (a pair with a function word)
    words = ["phan", "thiet", "la"]
    left, right = [C(), C({"thiết": 1}), C({"là": 2})], [C({"phần": 1}), C({"thiệt": 2}), C()]
    assert _best(_content_side(1, words, left, right)) == "thiết"
    # "chi phan thi": "thi" reads "Thị" beside its own pairs, so it is no "thì" and both pairs count
    words = ["chi", "phan", "thi", "my"]
    left = [C(), C({"phản": 7, "Phan": 1}), C({"Thị": 9}), C({"Mỹ": 9})]
    right = [C({"chí": 8}), C({"Phan": 9}), C({"Thị": 9}), C()]
    assert _best(_content_side(1, words, left, right)) == "Phan"


def test_asking_phrases_are_read_off_the_vocabulary(seeds_assistant):
    """"bao nhieu" is "bao nhiêu" whatever its neighbours vote ("có báo …", "báo nhiêu" was read once)."""
    for question in ("dan van kheo cam xuyen dang ky bao nhieu mo hinh nam 2021",
                     "huong uoc duoc thong qua khi co bao nhieu phan tram ho tan thanh",
                     "hoi nghi so ket to chuc nhu the nao"):
        restored = restore_question(question, seeds_assistant.store.catalogue)
        assert ("bao nhiêu" in restored) or ("như thế nào" in restored), restored
