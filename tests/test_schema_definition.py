"""The catalogue's one definition (vectorstore/schema.py) gives each engine the schema existing stores hold.

On real engines (a SQLite file, the session's PostgreSQL 15): a new store made from the generated DDL
has exactly the schema the DDL of the earlier code made (tests/legacy_schema.py, frozen), column by
column, index by index; a store made by that earlier DDL opens unchanged and keeps working; the oldest
SQLite layout upgrades to the same schema as a new store; a later PostgreSQL step (a new ``since``)
brings a step-1 database to the schema a new database gets.
"""
from __future__ import annotations

import dataclasses
import sqlite3

import numpy as np
import pytest

import legacy_schema
from conftest import new_pg_database, old_lexical_layout
from schema_snapshot import differences, pg_snapshot, sqlite_snapshot
from vectorstore import pg_migrations, schema
from vectorstore.catalogue import _CHUNK_COLUMNS, DOC_COLUMNS, Catalogue, ChunkRow, DocRecord


def _legacy_sqlite(path, ddl=legacy_schema.SQLITE):
    con = sqlite3.connect(path)
    con.executescript(ddl)
    con.commit()
    con.close()


def _legacy_pg(dsn: str) -> None:
    """The database as the earlier code's pg_migrations.migrate left it: step 1 applied."""
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as con, con.transaction():
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        con.execute(legacy_schema.POSTGRES)
        con.execute("INSERT INTO schema_version VALUES (1)")


# What shipped after the frozen DDL, as an earlier store gains it on opening: step 2 (issue 26, the year and place
# a document gives for itself). Written out by hand here, so that the generated DDL is checked against it.
LATER_SQLITE = ["ALTER TABLE documents ADD COLUMN year TEXT", "ALTER TABLE documents ADD COLUMN place TEXT"]
LATER_POSTGRES = ["ALTER TABLE documents ADD COLUMN year TEXT", "ALTER TABLE documents ADD COLUMN place TEXT",
                  "INSERT INTO schema_version VALUES (2)"]
LAST_STEP = 2


def _reached_sqlite(path) -> None:
    """A store of the earlier code with the later columns added by hand: what every store must hold now."""
    _legacy_sqlite(path)
    con = sqlite3.connect(path)
    for sql in LATER_SQLITE:
        con.execute(sql)
    con.commit()
    con.close()


def _reached_pg(dsn: str) -> None:
    import psycopg
    _legacy_pg(dsn)
    with psycopg.connect(dsn, autocommit=True) as con, con.transaction():
        for sql in LATER_POSTGRES:
            con.execute(sql)


def _same(expected: dict, actual: dict) -> None:
    found = differences(expected, actual)
    assert not found, "the schemas differ:\n" + "\n".join(found)


def _pg_rows(dsn: str, sql: str) -> list[tuple]:
    import psycopg
    with psycopg.connect(dsn) as con:
        return sorted(con.execute(sql).fetchall())


def _use(cat) -> None:
    """Write a document (its passage waiting for refinement) and read it back through every table."""
    doc = DocRecord("d1", "bai.txt", "/tmp/bai.txt", "h1", "Công tác dân vận", article="Điều 3", n_chars=40)
    chunk = ChunkRow("d1:0", "d1", 0, "Công tác dân vận ở cơ sở", "Điều 3", 0, 24, page=2, ocr=True)
    fact = {"chunk_id": "d1:0", "kind": "date", "text": "2024", "fields": {"y": 2024}, "start": 3}
    sig = np.arange(4, dtype=np.uint64).tobytes()
    cat.replace_document(doc, [chunk], [fact], {"k1"}, set(), sig, ["old:0"], static=True)
    got = cat.get_document("d1")
    assert (got.title, got.collection, got.article, got.n_chars) == ("Công tác dân vận", "chung", "Điều 3", 40)
    assert cat.chunks_of("d1")[0].page == 2 and cat.chunks_of("d1")[0].ocr
    assert [h[0] for h in cat.lexical_search('"cong tac"', "folded", 5)] == ["d1:0"]
    assert [f["fields"] for f in cat.facts("date")] == [{"y": 2024}]
    assert [c.chunk_id for c, _ in cat.unrefined_batch(10)] == ["d1:0"]
    cat.mark_refined(["d1:0"])
    assert cat.count_unrefined() == 0 and cat.pending_static() == ["d1:0"]


def test_record_fields_are_the_defined_columns():
    assert DOC_COLUMNS == [c.name for c in schema.table("documents").columns]
    assert [c.strip('"') for c in _CHUNK_COLUMNS.split(", ")] == [c.name for c in schema.table("chunks").columns]


def test_sqlite_generated_schema_is_the_one_stores_hold(tmp_path):
    _reached_sqlite(tmp_path / "legacy.sqlite3")
    Catalogue(tmp_path / "new.sqlite3").close()
    _same(sqlite_snapshot(tmp_path / "legacy.sqlite3"), sqlite_snapshot(tmp_path / "new.sqlite3"))


def test_sqlite_store_of_earlier_code_opens_unchanged(tmp_path):
    """…but for the later columns, which it gains."""
    path = tmp_path / "legacy.sqlite3"
    _legacy_sqlite(path)
    _reached_sqlite(tmp_path / "reached.sqlite3")
    before = sqlite_snapshot(tmp_path / "reached.sqlite3")
    cat = Catalogue(path)
    _same(before, sqlite_snapshot(path))
    _use(cat)
    cat.close()
    _same(before, sqlite_snapshot(path))


def test_sqlite_oldest_layout_upgrades_to_the_schema_of_a_new_store(tmp_path):
    old = tmp_path / "old.sqlite3"
    _legacy_sqlite(old, legacy_schema.SQLITE_OLDEST)
    con = sqlite3.connect(old)
    con.execute("INSERT INTO documents (doc_id, source, path, content_hash, title) VALUES ('d0','a','a','h','A')")
    con.execute("INSERT INTO chunks VALUES ('d0:0', 'd0', 0, 'Dân vận khéo', '', 0, 12)")
    con.execute("INSERT INTO lexical VALUES ('d0:0', 'dân vận khéo', 'dan van kheo')")
    con.commit()
    con.close()
    cat = Catalogue(old)
    assert cat.get_meta("vector_collections") == "pending"  # the Chroma metadata are to be given "chung"
    assert cat.get_document("d0").collection == "chung"
    assert (cat.chunks_of("d0")[0].page, cat.chunks_of("d0")[0].ocr) == (None, False)
    assert [h[0] for h in cat.lexical_search('"dan van"', "folded", 5, {"chung"})] == ["d0:0"]
    _use(cat)
    cat.close()
    Catalogue(tmp_path / "new.sqlite3").close()
    _same(sqlite_snapshot(tmp_path / "new.sqlite3"), sqlite_snapshot(old))


def test_sqlite_upgrade_with_the_lexical_index_of_before_pairs(tmp_path):
    """An older FTS5 layout beside missing columns: both upgrades in one open, as before the definition."""
    path = tmp_path / "store.sqlite3"
    _legacy_sqlite(path)
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE chunks DROP COLUMN ocr")
    old_lexical_layout(con, ["exact", "folded"], "unicode61 remove_diacritics 0")
    con.close()
    Catalogue(path).close()
    Catalogue(tmp_path / "new.sqlite3").close()
    _same(sqlite_snapshot(tmp_path / "new.sqlite3"), sqlite_snapshot(path))


def test_postgres_generated_schema_is_the_one_stores_hold(pg_dsn):
    from vectorstore.catalogue_pg import PgCatalogue
    legacy, new = new_pg_database(pg_dsn), new_pg_database(pg_dsn)
    _reached_pg(legacy)
    PgCatalogue(new).close()
    _same(pg_snapshot(legacy), pg_snapshot(new))
    for sql in ("SELECT * FROM schema_version", "SELECT * FROM meta"):
        assert _pg_rows(new, sql) == _pg_rows(legacy, sql)


def test_postgres_store_of_earlier_code_opens_unchanged(pg_dsn):
    from vectorstore.catalogue_pg import PgCatalogue
    dsn, reached = new_pg_database(pg_dsn), new_pg_database(pg_dsn)
    _legacy_pg(dsn)
    _reached_pg(reached)
    before = pg_snapshot(reached)
    cat = PgCatalogue(dsn)
    _same(before, pg_snapshot(dsn))
    _use(cat)
    cat.close()
    _same(before, pg_snapshot(dsn))
    assert _pg_rows(dsn, "SELECT max(version) FROM schema_version") == [(LAST_STEP,)]


# ---- a later step: what a schema change looks like, and that both paths to it meet ----
NEXT = LAST_STEP + 1
def _with_step_2() -> tuple[schema.Table, ...]:
    """The definition with a made-up next step (LAST_STEP + 1): a column and an index added to chunks, and a
    new table."""
    tables = []
    for t in schema.TABLES:
        if t.name == "chunks":
            t = dataclasses.replace(t, columns=(*t.columns, schema.Column("lang", "text", default="'vi'", since=NEXT)),
                                    indexes=(*t.indexes, schema.Index("chunks_lang", ("lang",), since=NEXT)))
        tables.append(t)
    tables.append(schema.Table("notes", (schema.Column("id", "serial"), schema.Column("body", "bytes")),
                               ("id",), (schema.Index("notes_body", ("body",)),), since=NEXT))
    return tuple(tables)


def test_a_later_step_leaves_step_one_as_it_shipped():
    tables = _with_step_2()
    assert pg_migrations.steps(tables)[:LAST_STEP] == pg_migrations.STEPS
    version, sql = pg_migrations.steps(tables)[LAST_STEP]
    assert version == NEXT and sql.splitlines() == [
        "ALTER TABLE chunks ADD COLUMN IF NOT EXISTS lang TEXT DEFAULT 'vi';",
        "CREATE INDEX IF NOT EXISTS chunks_lang ON chunks(lang);",
        "CREATE TABLE IF NOT EXISTS notes (id BIGSERIAL PRIMARY KEY, body BYTEA);",
        "CREATE INDEX IF NOT EXISTS notes_body ON notes(body);"]
    gap = (*tables, schema.Table("x", (schema.Column("a", "text"),), since=NEXT + 2))
    with pytest.raises(ValueError, match="without a gap"):
        pg_migrations.steps(gap)
    with pytest.raises(ValueError, match="primary-key"):
        schema.add_column_sql(schema.table("meta"), schema.Column("key", "text"), schema.SQLITE)


def test_postgres_step_two_brings_an_old_database_where_a_new_one_starts(pg_dsn, monkeypatch):
    from vectorstore.catalogue_pg import PgCatalogue
    monkeypatch.setattr(pg_migrations, "STEPS", pg_migrations.steps(_with_step_2()))
    old, new = new_pg_database(pg_dsn), new_pg_database(pg_dsn)
    _legacy_pg(old)
    PgCatalogue(old).close()
    PgCatalogue(new).close()
    _same(pg_snapshot(new), pg_snapshot(old))
    assert _pg_rows(old, "SELECT max(version) FROM schema_version") == [(NEXT,)]


def test_sqlite_upgrade_adds_a_later_column_where_a_new_store_has_it(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "TABLES", _with_step_2())
    _legacy_sqlite(tmp_path / "old.sqlite3")
    Catalogue(tmp_path / "old.sqlite3").close()
    Catalogue(tmp_path / "new.sqlite3").close()
    old = sqlite_snapshot(tmp_path / "old.sqlite3")
    _same(sqlite_snapshot(tmp_path / "new.sqlite3"), old)
    assert old["chunks"]["columns"][-1] == (9, "lang", "TEXT", 0, "'vi'", 0) and "notes" in old
