"""Chroma access: embedded (PersistentClient) by default, a server (HttpClient) when configured.

Always explicit embeddings (``embedding_function=None``) and telemetry off, so nothing is
downloaded or sent. The collection records which embedding model built it; opening it with
another model is refused.
"""
from __future__ import annotations

import os
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
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class VectorIndex:
    """One Chroma collection of passage vectors, bound to one embedding model id."""

    def __init__(self, client: Any, name: str, model_id: str):
        self.client = client
        self.name = name
        self.model_id = model_id
        try:
            self.collection = client.get_or_create_collection(
                name=name, embedding_function=None,
                metadata={"embed_model": model_id, "hnsw:space": "cosine"})
        except Exception as exc:
            raise ChromaUnavailable(f"Không mở được bộ sưu tập Chroma {name!r}: {exc}") from exc
        built_with = (self.collection.metadata or {}).get("embed_model")
        if built_with and built_with != model_id:
            raise EmbeddingMismatch(
                f"Kho '{name}' được tạo bằng mô hình nhúng '{built_with}', không thể mở bằng '{model_id}'. "
                f"Dùng DANVAN_EMBED_MODEL={built_with} hoặc một thư mục dữ liệu khác. "
                f"(The store was built with '{built_with}'; mixing vector spaces would ruin retrieval.)")

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
