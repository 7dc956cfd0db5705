"""The two engines hold the same tables: a test that fails when the SQLite and PostgreSQL schemas drift apart.

Both stores are made on real engines, the way the app makes them: the catalogue (vectorstore/catalogue.py
on a SQLite file, vectorstore/catalogue_pg.py on a database of the session's PostgreSQL 15) and the
accounts/history/sessions database (vectorstore/accounts.py: a second SQLite file; on PostgreSQL the same
database as the catalogue, as ``Settings.database_url`` has it). Their schemas are read back from the
engines (tests/schema_snapshot.py) and compared table by table: the column names (in any order), each
column's type family (text, integer, float, bytes), NOT NULL and default, the primary key, the indexes
created on purpose, the foreign keys. Every difference is listed in the failure message.

What is on one engine only, on purpose, is allowed below with the reason; an allowed entry that is no
longer on its engine is reported too (the allow-list is then stale). The catalogue's tables come from one
definition (vectorstore/schema.py), whose engine-specific entries are the ones allowed here; this test
checks the result on the engines, whatever wrote it. Not compared: the embedding cache (a SQLite file of
each host on both profiles, vectorstore/embeddings.py) and Chroma's own storage.
"""
from __future__ import annotations

from conftest import new_pg_database
from schema_snapshot import pg_normal, pg_snapshot, sqlite_normal, sqlite_snapshot

SQLITE, POSTGRES = "SQLite", "PostgreSQL"
FTS5_SHADOW = "a shadow table FTS5 keeps for the virtual table lexical"

# tables on one engine by design: {engine: {table: why}}
ONE_ENGINE_TABLES = {
    SQLITE: {
        "lexical": "the SQLite lexical index is an FTS5 virtual table (vectorstore/lexical.py: chunk_id, exact, "
                   "folded, pairs, coll); the PostgreSQL one of the same name is another design (below)",
        "lexical_vocab": "FTS5's fts5vocab view of lexical: the term statistics PostgreSQL reads from lexical_postings",
        "lexical_config": FTS5_SHADOW, "lexical_content": FTS5_SHADOW, "lexical_data": FTS5_SHADOW,
        "lexical_docsize": FTS5_SHADOW, "lexical_idx": FTS5_SHADOW,
    },
    POSTGRES: {
        "lexical": "the PostgreSQL lexical index (vectorstore/pg_lexical.py): each passage's three folded forms and "
                   "its token count, beside lexical_postings; FTS5 keeps these in its own tables on SQLite",
        "lexical_postings": "the postings of the PostgreSQL lexical index (term, passage, positions), BM25's input",
        "schema_version": "the PostgreSQL catalogue's step number (vectorstore/pg_migrations.py); a SQLite "
                          "catalogue carries none: it is upgraded by what it lacks (vectorstore/migrations.py)",
    },
}
# columns and indexes on one engine by design: {(table, name): (engine, why)}
ONE_ENGINE_COLUMNS = {
    ("unrefined", "seq"): (POSTGRES, "the order of the passages waiting for refinement; on SQLite the table's "
                                     "implicit rowid keeps it (PostgreSQL tables have none)"),
}
ONE_ENGINE_INDEXES = {
    ("documents", "documents_article"): (POSTGRES, "in the PostgreSQL schema from its first step; SQLite stores "
                                                   "never had it (vectorstore/schema.py)"),
    ("facts", "facts_kind"): (POSTGRES, "as documents_article"),
}


def _make_stores(tmp_path, dsn: str) -> None:
    """The catalogue and the accounts database on each engine, made by the app's code."""
    from vectorstore.accounts import Accounts
    from vectorstore.catalogue import Catalogue
    from vectorstore.catalogue_pg import PgCatalogue
    from vectorstore.sqldb import Database
    Catalogue(tmp_path / "catalogue.sqlite3").close()
    Accounts(Database(tmp_path / "accounts.sqlite3"), rounds=4).db.close()
    PgCatalogue(dsn).close()
    Accounts(Database(dsn), rounds=4).db.close()


def _schemas(tmp_path, dsn: str) -> dict[str, dict]:
    """Both engines' schemas as the engines report them, in one form."""
    sqlite = {**sqlite_snapshot(tmp_path / "catalogue.sqlite3"), **sqlite_snapshot(tmp_path / "accounts.sqlite3")}
    return {SQLITE: sqlite_normal(sqlite), POSTGRES: pg_normal(pg_snapshot(dsn))}


def _table_drift(schemas: dict[str, dict]) -> list[str]:
    out = []
    for engine, other in ((SQLITE, POSTGRES), (POSTGRES, SQLITE)):
        for t in sorted(schemas[engine].keys() - schemas[other].keys() - ONE_ENGINE_TABLES[engine].keys()):
            out.append(f"table {t}: on {engine} only")
        for t in sorted(ONE_ENGINE_TABLES[engine].keys() - schemas[engine].keys()):
            out.append(f"table {t}: allowed on {engine} only, but {engine} no longer has it (stale allow-list)")
        for t in sorted(ONE_ENGINE_TABLES[engine].keys() & schemas[other].keys() - ONE_ENGINE_TABLES[other].keys()):
            out.append(f"table {t}: allowed on {engine} only, but {other} has it too")
    return out


def _one_engine(allowed: dict, t: str, found: dict[str, set], kind: str) -> list[str]:
    """Names of ``kind`` (column, index) on one engine only that the allow-list does not excuse."""
    out = []
    for engine, other in ((SQLITE, POSTGRES), (POSTGRES, SQLITE)):
        for name in sorted(found[engine] - found[other]):
            if allowed.get((t, name), (None,))[0] != engine:
                out.append(f"{t}: {kind} {name} on {engine} only")
    for (table, name), (engine, _) in allowed.items():
        if table == t and (name not in found[engine] or name in found[_other(engine)]):
            out.append(f"{t}: {kind} {name} allowed on {engine} only, but it is not (stale allow-list)")
    return out


def _other(engine: str) -> str:
    return POSTGRES if engine == SQLITE else SQLITE


def _column_drift(t: str, a: dict, b: dict) -> list[str]:
    out = _one_engine(ONE_ENGINE_COLUMNS, t, {SQLITE: set(a["columns"]), POSTGRES: set(b["columns"])}, "column")
    for name in sorted(a["columns"].keys() & b["columns"].keys()):
        for what, x, y in zip(("type", "NOT NULL", "default"), a["columns"][name], b["columns"][name]):
            if x != y:
                out.append(f"{t}.{name}: {what} {x!r} on {SQLITE}, {y!r} on {POSTGRES}")
    return out


def drift(schemas: dict[str, dict]) -> list[str]:
    """Every difference between the engines' schemas not allowed above, one line each."""
    out = _table_drift(schemas)
    for t in sorted(schemas[SQLITE].keys() & schemas[POSTGRES].keys()):
        if t in ONE_ENGINE_TABLES[SQLITE] or t in ONE_ENGINE_TABLES[POSTGRES]:
            continue
        a, b = schemas[SQLITE][t], schemas[POSTGRES][t]
        out += _column_drift(t, a, b)
        if a["primary_key"] != b["primary_key"]:
            out.append(f"{t}: primary key {a['primary_key']} on {SQLITE}, {b['primary_key']} on {POSTGRES}")
        out += _one_engine(ONE_ENGINE_INDEXES, t, {SQLITE: set(a["indexes"]), POSTGRES: set(b["indexes"])}, "index")
        for name in sorted(a["indexes"].keys() & b["indexes"].keys()):
            if a["indexes"][name] != b["indexes"][name]:
                out.append(f"{t}: index {name} on {a['indexes'][name]} on {SQLITE}, {b['indexes'][name]} on {POSTGRES}")
        if a["foreign_keys"] != b["foreign_keys"]:
            out.append(f"{t}: foreign keys {a['foreign_keys']} on {SQLITE}, {b['foreign_keys']} on {POSTGRES}")
    return out


def test_the_engines_hold_the_same_tables(tmp_path, pg_dsn):
    dsn = new_pg_database(pg_dsn)
    _make_stores(tmp_path, dsn)
    schemas = _schemas(tmp_path, dsn)
    found = drift(schemas)
    assert not found, "the SQLite and PostgreSQL schemas differ:\n" + "\n".join(found)
    shared = schemas[SQLITE].keys() & schemas[POSTGRES].keys()
    assert {"documents", "chunks", "facts", "users", "grants", "login_sessions", "schema_versions"} <= shared


def test_drift_is_found_and_listed(tmp_path, pg_dsn):
    """Differences made on purpose, one of each kind, are each named in the report."""
    import sqlite3

    import psycopg
    dsn = new_pg_database(pg_dsn)
    _make_stores(tmp_path, dsn)
    con = sqlite3.connect(tmp_path / "catalogue.sqlite3")
    con.executescript("ALTER TABLE chunks DROP COLUMN page; ALTER TABLE documents ADD COLUMN extra TEXT; "
                      "CREATE INDEX facts_kind ON facts(kind); DROP TABLE lexical_vocab;")
    con.close()
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute("ALTER TABLE minhash ALTER COLUMN sig TYPE TEXT; "
                   "ALTER TABLE doc_lines DROP CONSTRAINT doc_lines_pkey, ADD PRIMARY KEY (key, doc_id); "
                   "ALTER TABLE meta ALTER COLUMN value SET DEFAULT 'x'; "
                   "CREATE TABLE only_here (id INTEGER); ALTER TABLE unrefined DROP COLUMN seq; "
                   "CREATE TABLE lexical_idx (term TEXT)")
    found = drift(_schemas(tmp_path, dsn))
    expected = [
        "chunks: column page on PostgreSQL only",
        "documents: column extra on SQLite only",
        "minhash.sig: type 'bytes' on SQLite, 'text' on PostgreSQL",
        "doc_lines: primary key ('doc_id', 'key') on SQLite, ('key', 'doc_id') on PostgreSQL",
        "meta.value: default None on SQLite, \"'x'\" on PostgreSQL",
        "table only_here: on PostgreSQL only",
        "facts: index facts_kind allowed on PostgreSQL only, but it is not (stale allow-list)",
        "table lexical_vocab: allowed on SQLite only, but SQLite no longer has it (stale allow-list)",
        "table lexical_idx: allowed on SQLite only, but PostgreSQL has it too",
        "unrefined: column seq allowed on PostgreSQL only, but it is not (stale allow-list)",
    ]
    assert sorted(found) == sorted(expected), "\n".join(found)

