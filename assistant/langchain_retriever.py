"""The hybrid search as a LangChain ``BaseRetriever``, for use in LangChain chains.

Kept apart from assistant/retrieve/retriever.py so ingest and the CLI do not import LangChain's retriever stack.
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.retrieve.retriever import Filters
from vectorstore.embeddings import register_langchain

register_langchain()  # the store's embeddings are LangChain Embeddings too (vectorstore/embeddings.py)


class DanvanRetriever(BaseRetriever):
    """Dense (Chroma) + lexical (FTS5, accent-folded) + directive index, fused; near-duplicates collapsed."""

    store: Any = None  # a Store (the glossary then is the packaged one), or pass ``assistant``
    assistant: Any = None
    k: int = 6
    filters: Filters | None = None
    scope: frozenset[str] | None = None  # the collections a user may read (None: all; assistant/accounts/access.py)

    model_config = {"arbitrary_types_allowed": True}

    def _assistant(self):
        """The service's pipeline (understand → search → rerank), over the given store when only a store is given."""
        if self.assistant is None:
            from assistant.service import Assistant
            a = Assistant(self.store.settings)
            a._store = self.store
            self.assistant = a
        return self.assistant

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        passages = self._assistant().retrieve(query, k=self.k, filters=self.filters, scope=self.scope)
        return [Document(page_content=p.text, id=p.chunk_id,
                         metadata={"chunk_id": p.chunk_id, "doc_id": p.doc_id, "source": p.source, "title": p.title,
                                   "outlet": p.outlet, "date": p.date, "score": p.score, "position": p.position,
                                   **{k: v for k, v in p.meta.items() if v is not None and k != "facts"}})
                for p in passages]
