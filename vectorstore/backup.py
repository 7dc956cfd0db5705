"""Backup and restore of a whole store, on either profile, while the app runs.

A backup is a folder:
- ``manifest.json``: format, profile, embedding model, Chroma collections and counts;
- the databases: on the embedded profile ``catalogue.sqlite3`` and ``accounts.sqlite3`` copied with SQLite's
  online backup API (each a consistent snapshot, readers and writers carry on); on the server profile
  ``database.dump``, one ``pg_dump`` snapshot of the catalogue, lexical index, facts, accounts, grants, login
  sessions and chat history;
- ``vectors-<collection>.npz``: each Chroma collection with its ids, embeddings (float32, as Chroma keeps
  them) and metadata, and the collection's own metadata;
- ``uploads/``: the files uploaded through the app, when there are any.

Consistency between the catalogue and the vectors: the backup holds the store's writer lock (the one an
ingest or the refiner holds while writing), so no write falls between the database snapshot and the vector
export. An ingest that holds the lock is waited for; a backup taken between two of an ingest's documents
holds the ones committed, and re-running the ingest completes it (the crash protocol's ``pending`` rows are
in the snapshot and recovered on the first write after a restore).

A restore goes into an empty store only (no document, vector, user or conversation), unless forced, which
first empties the target. It writes the same rows and vectors back: the same chunk ids, the same answers.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np

from config import Settings
from vectorstore.sqldb import is_postgres

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_FILES = ("catalogue.sqlite3", "accounts.sqlite3")
BATCH = 1000
LOCK_WAIT_S = 600.0
PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


class BackupError(RuntimeError):
    """A refused or failed backup or restore; the message is for the user (Vietnamese)."""


def _profile(settings: Settings) -> str:
    return "postgresql" if is_postgres(settings.database_url) else "sqlite"


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    for folder in PG_BIN_DIRS:
        if (Path(folder) / name).exists():
            found = str(Path(folder) / name)  # the server's own version before whatever is on PATH
            break
    if not found:
        raise BackupError(f"Không tìm thấy {name} (cài gói postgresql-client).")
    return found


def _collection_names(settings: Settings) -> list[str]:
    from vectorstore.store import STATIC_SUFFIX
    return [settings.collection, settings.collection + STATIC_SUFFIX]


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while other connections read and write."""
    src = sqlite3.connect(str(source), timeout=60)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# ---- backup ----
def backup(settings: Settings, target: Path) -> dict[str, Any]:
    """Write a backup of the store of ``settings`` into the folder ``target`` (new or empty); its manifest."""
    from vectorstore.store import Store
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError("Thư mục sao lưu đã có dữ liệu: chọn một thư mục mới hoặc trống.")
    target.mkdir(parents=True, exist_ok=True)
    store = Store(settings)
    store.writer_wait_s = LOCK_WAIT_S
    try:
        with store.writer():
            manifest = {"format": FORMAT, "profile": _profile(settings), "created_at": time.time(),
                        "embed_model": store.catalogue.get_meta("embed_model"), "collections": {}}
            if manifest["profile"] == "postgresql":
                _pg_dump(settings.database_url, target / PG_DUMP)
            else:
                for name in SQLITE_FILES:
                    source = settings.data_dir / name
                    if source.exists():
                        _sqlite_copy(source, target / name)
            client = store.index.client
            for name in _collection_names(settings):
                count = _export_collection(client, name, target)
                if count is not None:
                    manifest["collections"][name] = count
    finally:
        store.close()
    if settings.uploads_dir.is_dir():
        shutil.copytree(settings.uploads_dir, target / "uploads")
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _pg_dump(url: str, out: Path) -> None:
    done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                           f"--file={out}", f"--dbname={url}"], capture_output=True, text=True)
    if done.returncode:
        raise BackupError("pg_dump không sao lưu được cơ sở dữ liệu (xem nhật ký của PostgreSQL).")


def _export_collection(client: Any, name: str, target: Path) -> int | None:
    try:
        col = client.get_collection(name)
    except Exception:  # noqa: BLE001 (never created: a store without two-phase vectors)
        return None
    ids: list[str] = []
    vectors: list[Any] = []
    metas: list[Any] = []
    offset = 0
    while True:
        got = col.get(include=["embeddings", "metadatas"], limit=BATCH, offset=offset)
        ids += got["ids"]
        vectors += [np.asarray(v, dtype=np.float32) for v in got["embeddings"]]
        metas += got["metadatas"]
        if len(got["ids"]) < BATCH:
            break
        offset += len(got["ids"])
    dim = len(vectors[0]) if vectors else 0
    np.savez(target / f"vectors-{name}.npz", ids=np.array(ids, dtype=str),
             embeddings=np.stack(vectors) if vectors else np.zeros((0, dim), np.float32),
             metadatas=np.array(json.dumps(metas, ensure_ascii=False)),
             collection=np.array(json.dumps(col.metadata or {}, ensure_ascii=False)))
    return len(ids)


# ---- restore ----
def is_empty(settings: Settings) -> bool:
    """No document, chunk, vector, user or conversation in the store of ``settings``."""
    if _profile(settings) == "postgresql":
        import psycopg
        with psycopg.connect(settings.database_url, autocommit=True) as con:
            present = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
            for table in ("documents", "chunks", "users", "conversations"):
                if table in present and con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    return False
    else:
        for name, tables in (("catalogue.sqlite3", ("documents", "chunks")),
                             ("accounts.sqlite3", ("users", "conversations"))):
            path = settings.data_dir / name
            if not path.exists():
                continue
            con = sqlite3.connect(str(path), timeout=60)
            try:
                present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if any(t in present and con.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tables):
                    return False
            finally:
                con.close()
    if settings.chroma_url or settings.chroma_path.exists():
        from vectorstore.chroma import make_client
        client = make_client(settings)
        for name in _collection_names(settings):
            try:
                if client.get_collection(name).count():
                    return False
            except Exception:  # noqa: BLE001 (no such collection)
                continue
    return True


def restore(settings: Settings, source: Path, force: bool = False) -> dict[str, Any]:
    """Restore the backup in ``source`` into the store of ``settings``: refused unless that store is empty
    or ``force`` (which empties it first). The backup's manifest."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("Không phải một bản sao lưu của Trợ lý Dân vận (thiếu manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu thuộc một định dạng khác, không khôi phục được.")
    if manifest["profile"] != _profile(settings):
        raise BackupError("Bản sao lưu của cấu hình «{}» không khôi phục được vào cấu hình «{}».".format(
            manifest["profile"], _profile(settings)))
    if not is_empty(settings) and not force:
        raise BackupError("Kho đích đã có dữ liệu: khôi phục sẽ ghi đè. Dùng --force nếu thật sự muốn.")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from vectorstore.chroma import make_client
    client = make_client(settings)
    for name in _collection_names(settings):
        try:
            client.delete_collection(name)
        except Exception:  # noqa: BLE001 (not there)
            pass
    if manifest["profile"] == "postgresql":
        _pg_restore(settings.database_url, source / PG_DUMP)
    else:
        for name in SQLITE_FILES:
            path = settings.data_dir / name
            for extra in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
                extra.unlink(missing_ok=True)
            if (source / name).exists():
                _sqlite_copy(source / name, path)
    for name in manifest["collections"]:
        _import_collection(client, name, source / f"vectors-{name}.npz")
    if (source / "uploads").is_dir():
        shutil.copytree(source / "uploads", settings.uploads_dir, dirs_exist_ok=True)
    return manifest


def _pg_restore(url: str, dump: Path) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as con:  # empty the target: every table, sequence, extension
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")
    done = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                           f"--dbname={url}", str(dump)], capture_output=True, text=True)
    if done.returncode:
        raise BackupError("pg_restore không khôi phục được cơ sở dữ liệu (xem nhật ký của PostgreSQL).")


def _import_collection(client: Any, name: str, path: Path) -> None:
    data = np.load(path, allow_pickle=False)
    meta = json.loads(str(data["collection"]))
    col = client.get_or_create_collection(name=name, embedding_function=None, metadata=meta or None)
    ids = [str(i) for i in data["ids"]]
    vectors = data["embeddings"]
    metas = json.loads(str(data["metadatas"]))
    for i in range(0, len(ids), BATCH):
        col.add(ids=ids[i:i + BATCH], embeddings=vectors[i:i + BATCH], metadatas=metas[i:i + BATCH])
