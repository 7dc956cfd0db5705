"""Chroma access: embedded (PersistentClient) by default, a server (HttpClient) when configured.

Always explicit embeddings (``embedding_function=None``) and telemetry off, so nothing is
downloaded or sent. The collection records which embedding model built it; opening it with
another model is refused.

A question on the embedded profile reads through ``VectorReader``: Chroma's own Rust core
(``chromadb_rust_bindings``, what PersistentClient wraps) opened directly, without importing the
chromadb Python package (≈0.7 s of CPU at every start: OpenTelemetry, gRPC, its pydantic models).
The same engine opens the same files and runs the same search, so the ids and distances are those
PersistentClient gives. Writes always go through ``VectorIndex``. One core instance holds its own copy of
the index and does not see what another instance writes, while every chromadb client of one directory in a
process shares one: so once a client has opened a directory in this process, its readers are not used again
(``client_opened``), and the client's shared instance, which sees every write of the process, answers.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class EmbeddingMismatch(RuntimeError):
    pass


class ChromaUnavailable(RuntimeError):
    pass


def make_client(settings: Any) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:  # connection refused etc.
            raise ChromaUnavailable(
                f"Không kết nối được máy chủ Chroma {settings.chroma_url} (cannot reach Chroma server): {exc}"
            ) from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    with _SHARED_LOCK:  # from now on this process reads this directory through its clients (module docstring)
        _CLIENT_OPENED.add(os.path.realpath(settings.chroma_path))
        _SHARED_CORES.pop(os.path.realpath(settings.chroma_path), None)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def _check_model(name: str, built_with: str | None, model_id: str) -> None:
    if built_with and built_with != model_id:
        raise EmbeddingMismatch(
            f"Kho '{name}' được tạo bằng mô hình nhúng '{built_with}', không thể mở bằng '{model_id}'. "
            f"Dùng DANVAN_EMBED_MODEL={built_with} hoặc một thư mục dữ liệu khác. "
            f"(The store was built with '{built_with}'; mixing vector spaces would ruin retrieval.)")


# How many candidates Chroma's HNSW search keeps (its ef_search; Chroma's default is 100). Chroma rebuilds in memory,
# at every start, the vectors its log holds past the last persisted index, and at 100 the approximate search over
# that rebuilt graph gave different neighbours in different processes: 18 of 907 eval answers changed from one run
# to the next on the seeds + law + news store. Fitted on the 240 questions of written batches 01–05 and 09 against
# exact cosine search, top 40: ef 100 → 161/240 lists identical, recall 0.9828; 400 → 232/240, 0.9995; 1000 →
# 237/240 (the three differ only in the order of equal distances), recall 1.0000.
SEARCH_EF = 1000


def _search_ef(configuration: Any) -> int | None:
    """The ef_search a collection's configuration holds (a dict from the client's configuration_json or the
    core's collection.configuration)."""
    try:
        return int(((configuration or {}).get("hnsw") or {}).get("ef_search"))
    except (TypeError, ValueError, AttributeError):
        return None


class VectorIndex:
    """One Chroma collection of passage vectors, bound to one embedding model id."""

    def __init__(self, client: Any, name: str, model_id: str):
        self.client = client
        self.name = name
        self.model_id = model_id
        try:
            self.collection = client.get_or_create_collection(
                name=name, embedding_function=None,
                metadata={"embed_model": model_id, "hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF})
        except Exception as exc:
            raise ChromaUnavailable(f"Không mở được bộ sưu tập Chroma {name!r}: {exc}") from exc
        _check_model(name, (self.collection.metadata or {}).get("embed_model"), model_id)
        self._widen_search()

    def _widen_search(self) -> None:
        """A collection made before SEARCH_EF (Chroma's default 100) is given it: the same answer in every
        process. A configuration Chroma cannot change leaves the collection as it was."""
        ef = _search_ef(getattr(self.collection, "configuration_json", None))
        if ef is not None and ef >= SEARCH_EF:
            return
        try:
            self.collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception:  # noqa: BLE001 (an older server without configurations: searched as before)
            pass

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (EmbeddingMismatch, ValueError):
            raise
        except Exception as exc:
            raise ChromaUnavailable(f"Lỗi khi gọi Chroma (Chroma call failed): {exc}") from exc

    def upsert(self, ids: list[str], vectors: list[list[float]], metadatas: list[dict[str, Any]]) -> None:
        for i in range(0, len(ids), 1000):
            self._call(self.collection.upsert, ids=ids[i:i + 1000], embeddings=vectors[i:i + 1000],
                       metadatas=metadatas[i:i + 1000])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 1000):
            self._call(self.collection.delete, ids=ids[i:i + 1000])

    def query(self, vector: list[float], n: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        # no count() first: Chroma 1.x returns what it has when n exceeds the collection (even when
        # empty), and count() costs ≈15 ms at 100k vectors — as much as the search itself
        res = self._call(self.collection.query, query_embeddings=[vector], n_results=n,
                         where=where, include=["distances"])
        return list(zip(res["ids"][0], res["distances"][0]))

    def count(self) -> int:
        return self._call(self.collection.count)

    def all_ids(self) -> list[str]:
        out: list[str] = []
        offset = 0
        while True:
            got = self._call(self.collection.get, include=[], limit=5000, offset=offset)["ids"]
            out.extend(got)
            if len(got) < 5000:
                return out
            offset += len(got)


_SHARED_CORES: dict[str, Any] = {}  # one core per directory for the readers of this process
_CLIENT_OPENED: set[str] = set()  # directories a chromadb client has opened in this process
_SHARED_LOCK = threading.Lock()
_TENANT, _DATABASE = "default_tenant", "default_database"  # chromadb's defaults, as PersistentClient uses them
# chromadb's own Settings read these from the environment or ./.env; where one is set, its client decides
_CHROMA_SETTINGS = re.compile(r"^\s*(chroma_api_impl|migrations|migrations_hash_algorithm|chroma_server_nofile|"
                              r"is_persistent|persist_directory)\s*=", re.I | re.M)


def _chroma_configured() -> bool:
    """Are chromadb's settings changed by the environment or a ./.env file (then only its client is used)?"""
    if any(_CHROMA_SETTINGS.match(f"{key}=") for key in os.environ):
        return True
    try:
        return bool(_CHROMA_SETTINGS.search(Path(".env").read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def client_opened(path: Path) -> bool:
    """Has a chromadb client opened the persisted directory ``path`` in this process?"""
    return os.path.realpath(path) in _CLIENT_OPENED


def open_bindings(path: Path) -> Any | None:
    """Chroma's Rust core on the persisted directory ``path``, configured as PersistentClient configures it
    (chromadb/api/rust.py: md5 migrations applied, no reset, HNSW cache of a fifth of the open-file limit), one
    per directory in a process; None where it cannot be used that way (no such directory, a chromadb client
    opened it here already, another chromadb, settings of its own)."""
    key = os.path.realpath(path)
    with _SHARED_LOCK:
        if key in _CLIENT_OPENED or not (path / "chroma.sqlite3").exists() or _chroma_configured():
            return None
        if key not in _SHARED_CORES:
            try:
                import resource

                import chromadb_rust_bindings as rust
                config = rust.SqliteDBConfig(hash_type=rust.MigrationHash.MD5, url=str(path) + "/chroma.sqlite3",
                                             migration_mode=rust.MigrationMode.Apply)
                _SHARED_CORES[key] = rust.Bindings(allow_reset=False, sqlite_db_config=config, persist_path=str(path),
                                                   hnsw_cache_size=resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5)
            except (ImportError, AttributeError, TypeError):  # a chromadb whose core is laid out otherwise
                return None
        return _SHARED_CORES[key]


class VectorReader:
    """One persisted collection for queries, read through Chroma's Rust core (``open_bindings``): the call
    VectorIndex.query makes, without the chromadb package. ``open`` gives None where the collection does
    not exist yet (VectorIndex creates it)."""

    def __init__(self, bindings: Any, collection: Any, name: str):
        self.bindings, self.name = bindings, name
        self.collection_id = str(collection.id)

    @classmethod
    def open(cls, bindings: Any, name: str, model_id: str) -> "VectorReader | None":
        try:
            collection = bindings.get_collection(name, _TENANT, _DATABASE)
        except Exception:  # noqa: BLE001 (no such collection: the full client creates it)
            return None
        _check_model(name, (collection.metadata or {}).get("embed_model"), model_id)
        ef = _search_ef(getattr(collection, "configuration", None))
        if ef is None or ef < SEARCH_EF:
            return None  # a collection made before SEARCH_EF: the full client opens it and widens its search
        return cls(bindings, collection, name)

    def query(self, vector: list[float], n: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        import json
        try:  # the arguments RustBindingsAPI._query passes
            res = self.bindings.query(self.collection_id, None, [vector], n, json.dumps(where) if where else None,
                                      None, ["distances"], _TENANT, _DATABASE)
        except Exception as exc:
            raise ChromaUnavailable(f"Lỗi khi gọi Chroma (Chroma call failed): {exc}") from exc
        return list(zip(res.ids[0], res.distances[0]))
