"""The catalogue's tables, defined once for both engines: SQLite (embedded profile) and PostgreSQL (server).

Each table is written here in an engine-neutral form (columns with neutral types, primary key, indexes);
the DDL of each engine is generated from it (``TYPES`` maps the neutral types). The SQLite catalogue
(vectorstore/migrations.py) creates the tables, adds the columns an older store lacks and creates the
indexes; the PostgreSQL catalogue's versioned steps (vectorstore/pg_migrations.py) take from here the
tables, columns and indexes whose ``since`` is the step's number.

To change the schema: add a table or a column (never a primary-key column to an existing table) with
``since`` one past the last PostgreSQL step, and an index likewise; never edit or remove what has shipped,
since stores made by earlier code hold it. Columns of a table are listed in the order SQLite stores made
by earlier code hold them (a column added later comes last).

Engine differences kept on purpose, each marked with ``engines``:
- ``unrefined.seq``: PostgreSQL numbers the passages waiting for refinement with a BIGSERIAL; SQLite
  orders them by the table's implicit rowid (the catalogue reads ``rowid`` there, ``seq`` here).
- ``documents_article`` and ``facts_kind``: indexes the PostgreSQL schema has had from its first step;
  SQLite stores never had them (adding them would build two indexes in every existing store on open).
Not here: the lexical index, one engine's own design on each (an FTS5 virtual table on SQLite,
vectorstore/lexical.py; a postings table on PostgreSQL, vectorstore/pg_migrations.py), and each engine's
migration bookkeeping (PostgreSQL's ``schema_version``; SQLite stores are upgraded by what they lack).
The accounts/history tables (vectorstore/accounts.py) are already one portable definition for both.
"""
from __future__ import annotations

from dataclasses import dataclass

SQLITE, POSTGRES = "sqlite", "postgresql"
ENGINES = (SQLITE, POSTGRES)

# neutral type -> (SQLite declared type, PostgreSQL type)
TYPES = {
    "text": ("TEXT", "TEXT"),
    "int": ("INTEGER", "INTEGER"),
    "bigint": ("INTEGER", "BIGINT"),  # a SQLite INTEGER holds 64 bits already
    "float": ("REAL", "DOUBLE PRECISION"),
    "bytes": ("BLOB", "BYTEA"),
    # numbered by the engine on insert; on SQLite only as a one-column INTEGER PRIMARY KEY (the rowid)
    "serial": ("INTEGER", "BIGSERIAL"),
}
RESERVED = {"end", "order", "group", "select", "from", "where", "table", "limit", "user"}  # quoted in DDL


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of TYPES
    not_null: bool = False
    default: str | None = None  # an SQL literal, the same on both engines
    engines: tuple[str, ...] = ENGINES
    since: int = 1  # the PostgreSQL step that adds it


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]
    engines: tuple[str, ...] = ENGINES
    since: int = 1


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    since: int = 1

    def columns_of(self, engine: str, version: int | None = None) -> list[Column]:
        return [c for c in self.columns if engine in c.engines and (version is None or c.since <= version)]

    def indexes_of(self, engine: str) -> list[Index]:
        return [i for i in self.indexes if engine in i.engines]


def _text(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "text") for n in names)


TABLES: tuple[Table, ...] = (
    Table("meta", _text("key", "value"), ("key",)),
    Table("documents", (
        *_text("doc_id", "source", "path", "content_hash", "title", "outlet", "date", "date_iso", "kind",
               "instrument", "article", "effective_date", "encoding"),
        Column("n_chunks", "int"), Column("n_chars", "bigint"), Column("ingested_at", "float"),
        *_text("near_dup_of", "places"),
        Column("collection", "text", not_null=True, default="'chung'"),
        Column("year", "text", since=2), Column("place", "text", since=2)), ("doc_id",), (  # as shown (issue 26)
        Index("documents_hash", ("content_hash",)),
        Index("documents_article", ("article",), engines=(POSTGRES,)),
        Index("documents_collection", ("collection",)))),
    Table("chunks", (
        *_text("chunk_id", "doc_id"), Column("position", "int"), *_text("text", "heading"),
        Column("start", "int"), Column("end", "int"), Column("page", "int"), Column("ocr", "int", default="0")),
        ("chunk_id",), (Index("chunks_doc", ("doc_id",)),)),
    Table("facts", (Column("id", "serial"), *_text("doc_id", "chunk_id", "kind", "text", "fields"),
                    Column("start", "int")), ("id",), (
        Index("facts_doc", ("doc_id",)),
        Index("facts_kind", ("kind",), engines=(POSTGRES,)))),
    Table("doc_lines", _text("doc_id", "key"), ("doc_id", "key"), (Index("doc_lines_key", ("key",)),)),
    Table("pending", _text("chunk_id"), ("chunk_id",)),
    Table("unrefined", (Column("chunk_id", "text"), Column("seq", "serial", engines=(POSTGRES,))), ("chunk_id",)),
    Table("pending_static", _text("chunk_id"), ("chunk_id",)),
    Table("minhash", (Column("doc_id", "text"), Column("sig", "bytes")), ("doc_id",)),
    Table("minhash_bands", _text("band", "doc_id"), (), (
        Index("minhash_bands_band", ("band",)),
        Index("minhash_bands_doc", ("doc_id",)))),
)


def table(name: str, tables: tuple[Table, ...] | None = None) -> Table:
    return next(t for t in tables or TABLES if t.name == name)


def quote(name: str) -> str:
    return f'"{name}"' if name.lower() in RESERVED else name


def column_sql(col: Column, engine: str, inline_pk: bool = False) -> str:
    """``name TYPE [PRIMARY KEY] [NOT NULL] [DEFAULT x]`` on ``engine``."""
    sql = f"{quote(col.name)} {TYPES[col.type][ENGINES.index(engine)]}"
    if inline_pk:
        sql += " PRIMARY KEY"
    if col.not_null:
        sql += " NOT NULL"
    if col.default is not None:
        sql += f" DEFAULT {col.default}"
    return sql


def create_table_sql(tbl: Table, engine: str, version: int | None = None) -> str:
    """CREATE TABLE IF NOT EXISTS of ``tbl`` on ``engine`` (its columns as of ``version``; None: all)."""
    single = tbl.primary_key[0] if len(tbl.primary_key) == 1 else None
    parts = [column_sql(c, engine, c.name == single) for c in tbl.columns_of(engine, version)]
    if len(tbl.primary_key) > 1:
        parts.append(f"PRIMARY KEY ({', '.join(map(quote, tbl.primary_key))})")
    return f"CREATE TABLE IF NOT EXISTS {tbl.name} ({', '.join(parts)})"


def create_index_sql(tbl: Table, index: Index) -> str:
    return f"CREATE INDEX IF NOT EXISTS {index.name} ON {tbl.name}({', '.join(map(quote, index.columns))})"


def add_column_sql(tbl: Table, col: Column, engine: str) -> str:
    if col.name in tbl.primary_key:
        raise ValueError(f"{tbl.name}.{col.name}: a primary-key column cannot be added to an existing table")
    if_not = " IF NOT EXISTS" if engine == POSTGRES else ""
    return f"ALTER TABLE {tbl.name} ADD COLUMN{if_not} {column_sql(col, engine)}"


# ---- SQLite: the whole current schema, in three parts (tables, then missing columns, then indexes) ----
def sqlite_tables(tables: tuple[Table, ...] | None = None) -> list[str]:
    return [create_table_sql(t, SQLITE) for t in tables or TABLES]


def sqlite_indexes(tables: tuple[Table, ...] | None = None) -> list[str]:
    return [create_index_sql(t, i) for t in tables or TABLES for i in t.indexes_of(SQLITE)]


# ---- PostgreSQL: one versioned step at a time ----
def versions(tables: tuple[Table, ...] | None = None) -> list[int]:
    """The PostgreSQL steps the definition has parts of, in order."""
    tables = tables or TABLES
    found = {t.since for t in tables}
    found |= {c.since for t in tables for c in t.columns} | {i.since for t in tables for i in t.indexes}
    return sorted(found)


def postgres_step(version: int, tables: tuple[Table, ...] | None = None) -> list[str]:
    """Statements of PostgreSQL step ``version``: its new tables (with their columns as of it), the
    columns it adds to older tables, its new indexes."""
    out = []
    for t in tables or TABLES:
        if t.since == version:
            out.append(create_table_sql(t, POSTGRES, version))
        elif t.since < version:
            out += [add_column_sql(t, c, POSTGRES) for c in t.columns_of(POSTGRES) if c.since == version]
        if t.since <= version:  # an index comes with its table at the earliest
            out += [create_index_sql(t, i) for i in t.indexes_of(POSTGRES) if max(i.since, t.since) == version]
    return out
