"""The folded lexical query on a collection past COMMON_MIN_COLLECTION: syllable pairs as tokens and the
postings budget (assistant.retrieve.retriever.lexical_tokens). Real SQLite/FTS5 and PostgreSQL catalogues, real law + news text cut
into passages; no embeddings are needed for this stage."""
from __future__ import annotations

import hashlib
import random

import pytest

from conftest import LAW, NEWS

N_PASSAGES = 2400


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def big_catalogue(tmp_path_factory, request):
    """The same passages in each profile's catalogue (SQLite FTS5; PostgreSQL postings)."""
    from vectorstore.catalogue import Catalogue, ChunkRow, DocRecord
    if request.param == "postgres":
        from conftest import new_pg_database
        from vectorstore.catalogue_pg import PgCatalogue
        cat = PgCatalogue(new_pg_database(request.getfixturevalue("pg_dsn")))
    else:
        cat = Catalogue(tmp_path_factory.mktemp("lexical-scale") / "catalogue.sqlite3")
    written = 0
    files = sorted(LAW.glob("*.txt")) + sorted(NEWS.glob("*.txt"))
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        words = text.split()
        parts = [" ".join(words[i:i + 45]) for i in range(0, len(words), 45)]
        doc_id = "d" + hashlib.sha1(f.name.encode()).hexdigest()[:12]
        chunks = [ChunkRow(chunk_id=f"{doc_id}-{i:04d}", doc_id=doc_id, position=i, text=p, heading="")
                  for i, p in enumerate(parts)]
        doc = DocRecord(doc_id=doc_id, source=f.name, path=str(f), content_hash=doc_id, title=f.stem,
                        n_chunks=len(chunks), n_chars=len(text))
        cat.replace_document(doc, chunks, [], set(), set(), None, [])
        written += len(chunks)
        if written >= N_PASSAGES:
            break
    assert cat.chunk_count() >= 2000
    yield cat
    cat.close()


QUESTIONS = [
    "Ban Thanh tra nhân dân ở xã giám sát việc thực hiện chính sách pháp luật như thế nào?",
    "Ủy ban Mặt trận Tổ quốc Việt Nam cấp tỉnh có nhiệm vụ gì trong công tác dân vận?",
    "cong tac dan van cua chinh quyen nam 2023 o co so",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_budget_keeps_the_rarest_tokens(big_catalogue, monkeypatch, question):
    import assistant.retrieve.retriever as retriever
    from assistant.understand.query import understand
    from vectorstore.catalogue import pair_token
    q = understand(question)
    everything = retriever.selective_terms(big_catalogue, q.terms) + [pair_token(b) for b in q.bigrams]
    df = big_catalogue.term_document_counts(everything)
    budget = sorted(df.values())[len(df) // 2] * 2  # about half of the tokens fit
    monkeypatch.setattr(retriever, "POSTINGS_BUDGET", budget)
    terms, pairs = retriever.lexical_tokens(big_catalogue, q.terms, q.bigrams)
    kept = terms + pairs
    assert 2 <= len(kept) < len(everything)
    assert sum(df[t] for t in kept) <= budget or len(kept) == 2
    dropped = [t for t in everything if t not in kept]
    assert min(df[t] for t in dropped) >= max(df[t] for t in kept)  # rarest first


def test_pairs_find_a_passage_from_its_own_words_within_the_budget(big_catalogue):
    """Eight consecutive words of a passage, as a question, bring that passage back in the top 10."""
    from assistant.understand.query import understand
    from assistant.retrieve.retriever import _fts_term, lexical_tokens
    rows = big_catalogue.db.execute("SELECT chunk_id, text FROM chunks ORDER BY chunk_id").fetchall()
    rng = random.Random(3)
    found = 0
    for cid, text in rng.sample(rows, 30):
        words = text.split()
        start = rng.randrange(max(1, len(words) - 8))
        q = understand(" ".join(words[start:start + 8]))
        terms, pairs = lexical_tokens(big_catalogue, q.terms, q.bigrams)
        ids = [i for i, _ in big_catalogue.lexical_search_folded([_fts_term(t) for t in terms],
                                                                 [_fts_term(p) for p in pairs], 10)]
        found += cid in ids
    assert found >= 24, found  # legal articles repeat each other's wording; most still come back
