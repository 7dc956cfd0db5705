"""Readers and writers at the same time: questions during an ingest, two ingests at once, and the
catalogue's per-thread transactions.

(a) pauses a real background ingest at the write protocol's two unsafe moments (vectors upserted but
    the catalogue not yet committed; catalogue committed but stale vectors not yet deleted) and asks
    questions right there, so the interleaving is certain rather than left to luck.
(b) runs the real CLI as a second process while this process holds the writer lock.
(c) pauses `Catalogue.replace_document` inside its transaction and reads from another thread.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO, SEEDS, make_settings

FIRST, SECOND, THIRD = "000_72696720fdc55954.txt", "004_62f44b5bf5acd665.txt", "001_55ffc7e6e046b248.txt"
QUESTIONS = [
    "Các đơn vị trong Đảng bộ Khối các cơ quan tỉnh Nghệ An đã hỗ trợ các xã nghèo tổng số tiền bao nhiêu?",
    "Xây dựng mô hình dân vận khéo gắn với các khâu đột phá của tỉnh",
    "Đại hội Chi bộ Ban Dân vận Tỉnh ủy nhiệm kỳ 2020 - 2025",
]


def _catalogue_ids(cat) -> set[str]:
    return {r[0] for r in cat.db.execute("SELECT chunk_id FROM chunks")}


def _check_answer_is_whole(a, answer) -> None:
    """Every cited passage is in the catalogue and its document has all its chunks there, now."""
    cat = a.store.catalogue
    for c in answer.citations:
        rows = cat.chunks_by_ids([c.chunk_id])
        assert c.chunk_id in rows, f"cited a chunk the catalogue does not hold: {c.chunk_id}"
        assert rows[c.chunk_id].doc_id == c.doc_id
        doc = cat.get_document(c.doc_id)
        assert doc is not None, c.doc_id
        assert doc.n_chunks == len(cat.chunk_ids_of(c.doc_id)), (doc.source, doc.n_chunks)


def test_questions_during_ingest_never_cite_a_half_written_document(tmp_path, shared_embed_cache, monkeypatch):
    import vectorstore.store as store_mod
    from assistant.service import Assistant
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / FIRST, folder / FIRST)
    # the e5 write protocol (--no-two-phase): an upsert per document into the collection asked here
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, two_phase=False))
    assert a.ingest([folder]).added  # the store is not empty while the next ingest runs
    shutil.copy(SEEDS / SECOND, folder / SECOND)
    shutil.copy(SEEDS / THIRD, folder / THIRD)
    with open(folder / FIRST, "a", encoding="utf-8") as f:  # an update: its last passage becomes stale
        f.write("\n\nĐoạn bổ sung: Ban Dân vận Tỉnh ủy sơ kết việc xây dựng mô hình dân vận khéo năm 2021.\n")

    window, asked = threading.Event(), threading.Event()
    seen: list[tuple[str, int]] = []  # (fault point, ids in Chroma that the catalogue does not hold)
    real_fault_point = store_mod.fault_point

    def pause_here(name: str, spec: str | None) -> None:
        """In the writer thread: stop at the unsafe moment until the main thread has asked."""
        real_fault_point(name, spec)
        if name in ("after_upsert", "after_commit"):
            extra = set(a.store.index.all_ids()) - _catalogue_ids(a.store.catalogue)
            seen.append((name, len(extra)))
            asked.clear()
            window.set()
            assert asked.wait(120), "main thread did not ask"

    monkeypatch.setattr(store_mod, "fault_point", pause_here)
    result: dict = {}

    def run_ingest() -> None:
        try:
            result["report"] = a.ingest([folder])
        except BaseException as exc:  # surfaced by the main thread
            result["error"] = exc
        finally:
            result["done"] = True
            window.set()

    writer = threading.Thread(target=run_ingest, name="ingest")
    writer.start()
    answers, filtered = 0, 0
    try:
        while True:
            assert window.wait(180), "ingest stalled"
            window.clear()
            if result.get("done"):
                break
            q = QUESTIONS[answers % len(QUESTIONS)]
            vec = a.store.embeddings.embed_query(q)
            raw = {i for i, _ in a.store.index.query(vec, 40)}
            filtered += len(raw - _catalogue_ids(a.store.catalogue))
            answer = a.ask(q)
            _check_answer_is_whole(a, answer)
            for p in a.retrieve(q, k=8):
                assert p.chunk_id in _catalogue_ids(a.store.catalogue)
            answers += 1
            asked.set()
    finally:
        asked.set()
        writer.join(60)
    assert "error" not in result, result.get("error")
    report = result["report"]
    assert sorted(report.added) == sorted(str(folder / n) for n in (SECOND, THIRD))
    assert report.updated == [str(folder / FIRST)]
    # the unsafe windows were really open while questions were asked …
    assert [n for n, _ in seen].count("after_upsert") == 3 and answers == len(seen)
    assert any(n == "after_upsert" and extra for n, extra in seen)  # new vectors, no catalogue rows yet
    assert any(n == "after_commit" and extra for n, extra in seen)  # stale vectors of the updated file
    assert filtered > 0  # … the dense search did return such ids, and none reached an answer
    assert set(a.store.index.all_ids()) == _catalogue_ids(a.store.catalogue)
    assert a.stats()["pending"] == 0
    a.close()


def _cli(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_second_ingest_process_is_refused_and_store_stays_intact(tmp_path, shared_embed_cache, profile):
    """Another process's ingest is refused while this one holds the writer lock (a file lock; on
    PostgreSQL an advisory lock), and the store is untouched."""
    from assistant.service import Assistant
    from vectorstore.store import Store
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEEDS / FIRST, first / FIRST)
    shutil.copy(SEEDS / SECOND, second / SECOND)
    data = tmp_path / "store"
    settings = make_settings(data, embed_cache=shared_embed_cache, **profile)
    a = Assistant(settings)
    a.ingest([first])
    before = (a.stats(), _catalogue_ids(a.store.catalogue))
    env = {"DANVAN_EMBED_CACHE": str(shared_embed_cache)}
    if profile:
        env["DANVAN_DATABASE_URL"] = profile["database_url"]

    holder = Store(settings)  # another Store object on the same folder, as another ingest would be
    with holder.writer():
        out = _cli(["ingest", str(second), "--db", str(data)], env)
    holder.close()
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Lỗi: Kho đang được cập nhật" in out.stderr and "Another ingest is writing this store" in out.stderr
    assert "Traceback" not in out.stderr
    after = (a.stats(), _catalogue_ids(a.store.catalogue))
    assert after == before
    assert set(a.store.index.all_ids()) == before[1] and before[0]["pending"] == 0
    a.close()


class _PausingList(list):
    """A list whose iteration stops until released (or fails): holds a transaction open mid-way."""

    def __init__(self, items, inside: threading.Event, release: threading.Event, fail: bool):
        super().__init__(items)
        self.inside, self.release, self.fail = inside, release, fail

    def __iter__(self):
        self.inside.set()
        assert self.release.wait(30)
        if self.fail:
            raise RuntimeError("writer failed mid-transaction")
        return super().__iter__()


@pytest.mark.parametrize("fail", [False, True], ids=["commit", "fail-mid-transaction"])
def test_open_write_transaction_is_invisible_to_other_threads(tmp_path, fail):
    from vectorstore.catalogue import Catalogue, ChunkRow, DocRecord
    cat = Catalogue(tmp_path / "catalogue.sqlite3")
    doc = DocRecord(doc_id="d1", source="a.txt", path="/x/a.txt", content_hash="h1", title="Dân vận khéo",
                    n_chunks=2)
    chunks = [ChunkRow("d1-0", "d1", 0, "Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở.", "Dân vận khéo"),
              ChunkRow("d1-1", "d1", 1, "Mặt trận Tổ quốc phối hợp vận động nhân dân.", "Dân vận khéo")]
    inside, release = threading.Event(), threading.Event()
    facts = _PausingList([{"chunk_id": "d1-0", "kind": "role", "text": "Ban Dân vận", "start": 0}],
                         inside, release, fail)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            cat.replace_document(doc, chunks, facts, {"k1"}, set(), None, [])
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=write)
    t.start()
    try:
        assert inside.wait(30)  # documents, chunks and lexical rows are written, not committed
        t0 = time.perf_counter()
        assert cat.get_document("d1") is None
        assert cat.chunks_by_ids(["d1-0", "d1-1"]) == {}
        assert cat.lexical_search("dan") == []
        assert cat.stats()["documents"] == 0 and cat.stats()["chunks"] == 0
        assert time.perf_counter() - t0 < 5  # WAL: the reader is not blocked by the open write
    finally:
        release.set()
        t.join(30)
    if fail:
        assert len(errors) == 1 and "mid-transaction" in str(errors[0])
        assert cat.get_document("d1") is None and cat.stats()["chunks"] == 0  # rolled back whole
        assert cat.lexical_search("dan") == []
    else:
        assert errors == []
        assert cat.get_document("d1").n_chunks == 2
        assert set(cat.chunks_by_ids(["d1-0", "d1-1"])) == {"d1-0", "d1-1"}
        assert {cid for cid, _ in cat.lexical_search("dan")} == {"d1-0", "d1-1"}
        assert [f["text"] for f in cat.facts()] == ["Ban Dân vận"]
    cat.close()
