"""The one document-type vocabulary (vntext/doctypes.py): its derived forms agree with each other
and with the fact index and the lookup filter that read it."""
import pytest

from vntext.doctypes import DOC_TYPE_TABLE, DOC_TYPES, TYPE_KEYS, TYPED_REF_RE, TYPES_BY_FOLDED
from vntext.normalize import folded_form


def test_names_keys_and_abbreviations_are_unique():
    assert len({t.name for t in DOC_TYPE_TABLE}) == len({t.key for t in DOC_TYPE_TABLE}) == len(DOC_TYPE_TABLE)
    abbrs = [t.abbr for t in DOC_TYPE_TABLE if t.abbr]
    assert len(set(abbrs)) == len(abbrs)


def test_name_to_key_and_key_to_name_are_inverse():
    assert {v: k for k, v in DOC_TYPES.items()} == TYPE_KEYS


@pytest.mark.parametrize("question, refs", [
    ("Chỉ thị 20 nói về gì?", [("chi thi", "20")]),
    ("NQ số 01 về công tác dân vận", [("nq", "01")]),
    ("Nghị định 145/2020/NĐ-CP quy định gì", [("nghi dinh", "145/2020/nd-cp")]),
    ("QĐ 217 và Luật 10/2022/QH15", [("qd", "217"), ("luat", "10/2022/qh15")]),
    ("công văn 12 của tỉnh", [("cong van", "12")]),
    ("kế hoạch năm 2021", []),
    ("dân vận khéo", []),
])
def test_typed_ref_re_on_folded_questions(question, refs):
    found = [m.groups() for m in TYPED_REF_RE.finditer(folded_form(question))]
    assert found == refs
    assert all(TYPES_BY_FOLDED[t] in DOC_TYPES for t, _ in found)


@pytest.mark.parametrize("folded, name", [("ct", "Chỉ thị"), ("chi thi", "Chỉ thị"), ("nd", "Nghị định"),
                                          ("qd", "Quyết định"), ("phap lenh", "Pháp lệnh")])
def test_types_by_folded(folded, name):
    assert TYPES_BY_FOLDED[folded] == name


@pytest.mark.parametrize("text, key", [
    ("Thực hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy.", "chi-thi"),
    ("Theo Nghị định 145/2020/NĐ-CP ngày 14/12/2020.", "nghi-dinh"),
    ("Pháp lệnh số 34/2007/PL-UBTVQH11 về thực hiện dân chủ.", "phap-lenh"),
])
def test_fact_index_uses_the_vocabulary(text, key):
    from ingest.extract import extract_facts
    refs = [f for f in extract_facts(text) if f.kind == "document_ref"]
    assert [f.fields["type_key"] for f in refs] == [key]
    assert refs[0].fields["doc_type"] == TYPE_KEYS[key]


def test_lookup_filter_uses_the_vocabulary():
    import assistant.retrieve.lookup as lookup
    assert lookup.TYPE_KEYS is TYPE_KEYS


@pytest.mark.parametrize("name, code", [("Chỉ thị", "CT"), ("Quyết định", "QĐ"), ("Thông báo", "TB"),
                                        ("Quy định", "QĐ"), ("Chương trình", "CTr"), ("Đề án", "ĐA"),
                                        ("Công văn", "CV"), ("Luật", None), ("Quy chế", None)])
def test_number_code(name, code):
    assert next(t for t in DOC_TYPE_TABLE if t.name == name).number_code == code


def test_type_names_laws_and_instruments():
    from vntext.doctypes import INSTRUMENTS, LAWS, type_names
    assert type_names("luat", "chi-thi") == ("Luật", "Chỉ thị")
    with pytest.raises(KeyError):
        type_names("bo-luat")
    assert LAWS == ("Bộ luật", "Luật", "Pháp lệnh")
    assert set(INSTRUMENTS) - set(LAWS) == {"Nghị định", "Nghị quyết", "Thông tư", "Chỉ thị", "Quyết định"}
