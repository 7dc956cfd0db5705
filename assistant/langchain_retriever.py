"""The hybrid search as a LangChain ``BaseRetriever``, for use in LangChain chains.

Kept apart from assistant/retriever.py so ingest and the CLI do not import LangChain's retriever stack.
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.query import understand
from assistant.retriever import Filters, HybridSearch


class DanvanRetriever(BaseRetriever):
    """Dense (Chroma) + lexical (FTS5, accent-folded) + directive index, fused; near-duplicates collapsed."""

    store: Any
    k: int = 6
    filters: Filters | None = None

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        from assistant.compose import rerank
        q = understand(query)
        passages = HybridSearch(self.store).search(q, max(self.k, 8), self.filters)
        cat = self.store.catalogue
        texts = {d: "\n".join(c.text for c in cat.chunks_of(d)) for d in {p.doc_id for p in passages}}
        passages = rerank(q, passages, texts)[: self.k]
        return [Document(page_content=p.text, id=p.chunk_id,
                         metadata={"chunk_id": p.chunk_id, "doc_id": p.doc_id, "source": p.source, "title": p.title,
                                   "outlet": p.outlet, "date": p.date, "score": p.score, "position": p.position,
                                   **{k: v for k, v in p.meta.items() if v is not None and k != "facts"}})
                for p in passages]
