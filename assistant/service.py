"""The one entry point used by the CLI and the app: ingest, ask (streaming or not), look up, manage.

The app and the CLI are two faces on these functions; neither holds logic of its own.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from assistant.answer.compose import citation, compose
from assistant.retrieve.lookup import FactHit, search_facts
from assistant.understand.followup import is_elliptical, resolve_follow_up
from assistant.understand.query import load_glossary, understand
from assistant.retrieve.retriever import Filters, HybridSearch
from assistant.understand.evidence import named_documents
from assistant.answer.render import NOT_FOUND
from assistant.understand.restore import is_unaccented, restore_question
from assistant.answer.sentences import Sentence, rerank_scored
from assistant.types import Answer, Passage
from config import Settings

EMPTY_STORE = ("Kho tài liệu đang trống. Hãy nạp tài liệu trước: dùng thẻ «Tài liệu» để tải tệp lên, "
               "hoặc chạy `danvan ingest THƯ_MỤC`.")


EMPTY_QUESTION = "Hãy nhập câu hỏi."
MIN_CANDIDATES = 8  # passages scored for an answer even when fewer are shown


@dataclass
class Retrieved:
    """What the pipeline hands to composing: the understood question, passages in answer order, the texts
    of their documents (constraints may be met in a document's header), and how many to show."""
    q: Any
    passages: list[Passage]
    doc_texts: dict[str, str]
    k: int
    sentences: list[Sentence] | None = None  # the passages' sentences, scored once for this question and order


class ScopedPhrases:
    """The catalogue as restore_question reads it: passages of the read scope only (a question is never
    re-accented from a document its asker may not read)."""

    def __init__(self, catalogue: Any, scope: Iterable[str] | None):
        self.catalogue, self.scope = catalogue, scope

    def term_document_counts(self, terms: list[str]) -> dict[str, int]:
        return self.catalogue.term_document_counts(terms)

    def lexical_search(self, match: str, column: str = "folded", limit: int = 50) -> list[tuple[str, float]]:
        return self.catalogue.lexical_search(match, column, limit, self.scope)

    def chunks_by_ids(self, ids):
        return self.catalogue.chunks_by_ids(ids)


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._store = None
        self._lock = threading.Lock()
        extra = self.settings.data_dir / "glossary.tsv"
        self.glossary = load_glossary(str(extra) if extra.exists() else None)

    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from vectorstore.store import Store
                    self._store = Store(self.settings)
        return self._store

    @property
    def access(self):
        """Who may read, upload and manage what (assistant/accounts/access.py); the accounts store opens on first use."""
        if getattr(self, "_access", None) is None:
            with self._lock:
                if getattr(self, "_access", None) is None:
                    from assistant.accounts.access import Access
                    self._access = Access(self.settings, lambda: self.store.catalogue.collections())
        return self._access

    def warm_up(self) -> None:
        """Load the model and open the store once, before a server takes requests."""
        self.store.warm_up()

    def close(self) -> None:
        if getattr(self, "_refiner", None) is not None:
            self._refiner.stop()
        if self._store is not None:
            self._store.close()

    # ---- documents ----
    def ingest(self, paths: Iterable[Path | str], progress: Callable[[int, int, str], None] | None = None,
               passages: Callable[[int, int], None] | None = None, collection: str | None = None,
               refine: bool = True):
        """Ingest into ``collection`` (None: each document keeps its own, a new one joins the default).

        Two-phase (``settings.two_phase``, the default): the passages are searchable with static vectors
        when the write ends; their e5 vectors come from the background worker when it runs (the app's: it
        is woken and this returns at once), else they are computed here before returning, unless
        ``refine=False`` (then the worker or `danvan ingest --refine` does it later)."""
        from ingest.pipeline import ingest_paths
        report = ingest_paths(self.store, paths, progress=progress, passages=passages, collection=collection,
                              static=self.settings.two_phase)
        if getattr(self, "_refiner", None) is not None:
            self._refiner.wake()  # static vectors just written: their e5 vectors next
        elif self.settings.two_phase and refine:
            self.refine()
        return report

    def refine(self, progress: Callable[[int, int], None] | None = None, limit: int | None = None):
        """Second phase of a two-phase ingest: e5 vectors for the passages that have only static ones."""
        from ingest.refine import refine
        return refine(self.store, progress=progress, limit=limit)

    def start_refiner(self):
        """Start (once) the background worker that refines passages as they arrive (the app's)."""
        from ingest.refine import RefineWorker
        with self._lock:
            if getattr(self, "_refiner", None) is None:
                self._refiner = RefineWorker(self.store).start()
        return self._refiner

    def refine_status(self) -> dict[str, Any]:
        """Passages awaiting their e5 vectors (``unrefined``) and whether the worker runs."""
        worker = getattr(self, "_refiner", None)
        return worker.status() if worker else {"unrefined": self.store.catalogue.count_unrefined(),
                                               "running": False, "error": None}

    def remove(self, ref: str) -> list[str]:
        from ingest.pipeline import remove_documents
        return remove_documents(self.store, ref)

    def documents(self, scope: Iterable[str] | None = None) -> list[Any]:
        """The documents in ``scope`` (the collections a user may read; None = all)."""
        return self.store.catalogue.documents(scope)

    def stats(self, scope: Iterable[str] | None = None) -> dict[str, Any]:
        return self.store.stats(scope)

    def describe(self) -> dict[str, str]:
        s = self.settings
        status = self.refine_status()
        waiting = f"{status['unrefined']} đoạn" + (" (đang tính)" if status["running"] and status["unrefined"] else "")
        return {"Mô hình nhúng": s.embed_model,
                "Chroma": s.chroma_url or f"nhúng trong ứng dụng, tại {s.chroma_path}",
                "LLM": s.llm or "không dùng LLM (trả lời trích dẫn nguyên văn)",
                "Thư mục dữ liệu": str(s.data_dir),
                "Đoạn chờ vector e5 (nạp hai pha)": waiting}

    # ---- lookup ----
    def lookup(self, query: str | None = None, type_key: str | None = None, figure: str | None = None,
               kind: str | None = None, limit: int = 200, scope: Iterable[str] | None = None) -> list[FactHit]:
        from assistant.understand.query import find_refs
        from vntext import folded_form
        refs = find_refs(folded_form(query)) if query else []
        return search_facts(self.store.catalogue, query=query, kind=kind, type_key=type_key, figure=figure,
                            refs=refs or None, limit=limit, scope=scope)

    # ---- asking ----
    def pipeline(self, question: str, mode: str = "auto", k: int | None = None, filters: Filters | None = None,
                 timings: dict[str, float] | None = None, scope: Iterable[str] | None = None) -> Retrieved:
        """understand → hybrid search → rerank: the one path behind ask, ask_stream, retrieve and the
        LangChain retriever, so they all read a question the same way (glossary included). ``scope``: the
        collections the asker may read (None = all), applied inside every store query."""
        timings = timings if timings is not None else {}
        restored = restore_question(question, ScopedPhrases(self.store.catalogue, scope))  # typed without accents
        q = understand(restored, self.glossary, mode, as_typed=question)
        if restored != question:
            q = replace(q, original=question)
        from assistant.speech.outline import OUTLINE_PASSAGES, speech_query
        q = speech_query(q, self.glossary)  # a speech request searches for its topic
        k = k or self.settings.top_k
        search = HybridSearch(self.store)
        n = OUTLINE_PASSAGES if q.mode == "talking_points" else MIN_CANDIDATES  # a speech draws on more documents
        passages = search.search(q, max(k, n), filters, timings, scope)
        t = time.perf_counter()
        doc_texts = self._doc_texts(passages)
        named = named_documents(q, passages, doc_texts)
        if named:
            passages = search.whole_documents(passages, named, scope)
            doc_texts.update(self._doc_texts([p for p in passages if p.doc_id not in doc_texts]))
        passages, sentences = rerank_scored(q, passages, doc_texts)
        timings["rerank"] = (time.perf_counter() - t) * 1000
        return Retrieved(q, passages, doc_texts, k, sentences)

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None,
                 mode: str = "auto", scope: Iterable[str] | None = None) -> list[Passage]:
        r = self.pipeline(question, mode, k, filters, scope=scope)
        return r.passages[:r.k]

    def _doc_texts(self, passages: list[Passage]) -> dict[str, str]:
        cat = self.store.catalogue
        return {d: "\n".join(c.text for c in cat.chunks_of(d)) for d in {p.doc_id for p in passages}}

    def ask(self, question: str, mode: str = "auto", k: int | None = None,
            history: list[tuple[str, str]] | None = None, filters: Filters | None = None,
            speech: Any = None, scope: Iterable[str] | None = None) -> Answer:
        final = None
        for kind, value in self.ask_stream(question, mode, k, history, filters, speech, scope=scope):
            if kind == "answer":
                final = value
        assert final is not None
        return final

    def ask_stream(self, question: str, mode: str = "auto", k: int | None = None,
                   history: list[tuple[str, str]] | None = None,
                   filters: Filters | None = None, speech: Any = None,
                   scope: Iterable[str] | None = None) -> Iterator[tuple[str, Any]]:
        """Yields ("delta", text) while an LLM streams, then ("answer", Answer) once (from ``scope`` only).
        An engine that does not answer (PostgreSQL or the Chroma server restarting) raises StoreUnavailable,
        whose message is for the user; the next question opens new connections."""
        from vectorstore.store import engines_answer
        with engines_answer():
            yield from self._ask_stream(question, mode, k, history, filters, speech, scope)

    def _ask_stream(self, question: str, mode: str, k: int | None, history: list[tuple[str, str]] | None,
                    filters: Filters | None, speech: Any, scope: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        question = (question or "").strip()
        if not question:
            yield "answer", Answer(question="", mode=mode, found=False, answer=EMPTY_QUESTION)
            return
        if not self.store.catalogue.has_chunks():
            yield "answer", Answer(question=question, mode=mode if mode != "auto" else "qa", found=False,
                                   answer=EMPTY_STORE)
            return
        resolved = resolve_follow_up(question, history)
        if self.settings.llm and history and is_elliptical(question):
            from assistant.llm.chat import condense_question
            resolved = condense_question(self.settings, question, history)
        r = self.pipeline(resolved, mode, k, filters, timings, scope)
        t = time.perf_counter()
        if r.q.mode == "talking_points":  # speech options, the facts index's figures, a named law's articles
            from assistant.speech.outline import build_outline
            from assistant.speech.outline_scope import figure_passages, whole_document_passages
            from assistant.speech.outline_law import instrument_passages
            extra = figure_passages(self.store.catalogue, r.passages, scope=scope)
            extra += [p for p in whole_document_passages(self.store.catalogue, r.passages)
                      if p.chunk_id not in {x.chunk_id for x in extra}]
            law = instrument_passages(self.store.catalogue, r.q, r.passages, scope)
            r.doc_texts.update(self._doc_texts([p for p in law if p.doc_id not in r.doc_texts]))
            answer = build_outline(r.q, r.passages, r.doc_texts, speech, extra, law, sentences=r.sentences)
        else:
            answer = compose(r.q, r.passages, r.doc_texts, r.q.mode, sentences=r.sentences)
        timings["compose"] = (time.perf_counter() - t) * 1000
        answer.question = question
        if resolved != question:
            answer.resolved_question = resolved
        if r.q.original and r.q.original != r.q.text and is_unaccented(r.q.original):
            answer.restored_question = r.q.text  # what the sources' highlighting marks
        if self.settings.llm and answer.found and answer.sections and r.q.mode == "talking_points":
            from assistant.speech.outline_llm import draft_outline  # each section written from its own cited points
            answer = yield from draft_outline(self.settings, answer, getattr(speech, "occasion", "") or "")
        elif self.settings.llm and answer.found:
            answer = yield from self._llm_answer(r.q, r.passages[:r.k], history, answer, timings)
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {key: round(v, 1) for key, v in timings.items()}
        yield "answer", answer

    def _llm_answer(self, q, passages: list[Passage], history, extractive: Answer,
                    timings: dict[str, float]) -> Iterator[tuple[str, Any]]:
        from assistant.llm.chat import LLMUnavailable, cited_numbers, stream_llm_answer, validate_citations
        from assistant.llm.stream import TRUNCATED_NOTICE, StreamInfo, drop_unfinished, parse_bullets
        t = time.perf_counter()
        parts: list[str] = []
        info = StreamInfo()
        try:
            for delta in stream_llm_answer(self.settings, q.text, q.mode, passages, history, info=info):
                parts.append(delta)
                yield "delta", delta
        except LLMUnavailable as exc:
            extractive.notice = (f"Không dùng được LLM ({exc}); hiển thị câu trả lời trích dẫn nguyên văn. "
                                 "(LLM unavailable: extractive answer shown.)")
            timings["llm"] = (time.perf_counter() - t) * 1000
            return extractive
        timings["llm"] = (time.perf_counter() - t) * 1000
        text, warnings = validate_citations(drop_unfinished("".join(parts)) if info.truncated else "".join(parts),
                                            len(passages), passages)
        if info.truncated:
            warnings.append(TRUNCATED_NOTICE)
        used = cited_numbers(text)
        if not used or NOT_FOUND in text:
            extractive.notice = "LLM không trích dẫn nguồn; hiển thị câu trả lời trích dẫn nguyên văn."
            return extractive
        cites = [citation(q, passages[n - 1], n, passages[n - 1].text[:400]) for n in used]
        bullets = parse_bullets(text)
        return Answer(question=extractive.question, mode=q.mode, found=True, answer=text, citations=cites,
                      notice="; ".join(warnings) or None, bullets=bullets if q.mode == "talking_points" else [],
                      resolved_question=extractive.resolved_question,
                      restored_question=extractive.restored_question)
