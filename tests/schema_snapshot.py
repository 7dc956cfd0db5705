"""What a database's schema actually is, read back from the engine (not from our DDL), for the schema tests.

SQLite: ``PRAGMA table_info`` / ``index_list`` / ``index_info`` of every table, and the DDL text of the
virtual tables (FTS5: their columns are options, not a table layout). PostgreSQL: ``information_schema``
columns, the constraints (``pg_get_constraintdef``), ``pg_indexes`` and the sequences of the public schema.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path


def sqlite_snapshot(path: str | Path) -> dict[str, dict]:
    """{table: {"columns": [(cid, name, type, notnull, default, pk)], "indexes": {name: (unique, origin,
    partial, columns)}, "virtual": DDL or None, "foreign_keys": [(columns, table, columns, on delete)]}}
    of every table in the file."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type='table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
            indexes = {}
            for _, iname, unique, origin, partial in con.execute(f"PRAGMA index_list('{name}')").fetchall():
                cols = tuple(r[2] for r in con.execute(f"PRAGMA index_info('{iname}')"))
                indexes[iname] = (unique, origin, partial, cols)
            virtual = " ".join(sql.split()) if sql.upper().startswith("CREATE VIRTUAL") else None
            fks: dict[int, list] = {}
            for fk_id, _, ref, col, ref_col, _, on_delete, _ in con.execute(f"PRAGMA foreign_key_list('{name}')"):
                fks.setdefault(fk_id, []).append((col, ref, ref_col, on_delete))
            out[name] = {"columns": [tuple(r) for r in con.execute(f"PRAGMA table_info('{name}')")],
                         "indexes": indexes, "virtual": virtual,
                         "foreign_keys": sorted((tuple(c for c, *_ in f), f[0][1], tuple(r for _, _, r, _ in f),
                                                 f[0][3]) for f in fks.values())}
        return out
    finally:
        con.close()


def pg_snapshot(dsn: str) -> dict[str, dict]:
    """{table: {"columns": [(position, name, data_type, udt, nullable, default, collation)],
    "constraints": {name: (type, definition)}, "indexes": {name: definition}}}, and "__sequences__"."""
    import psycopg
    with psycopg.connect(dsn) as con:
        out: dict[str, dict] = {}
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='public'"):
            out[t] = {"columns": [], "constraints": {}, "indexes": {}}
        for t, *col in con.execute(
                "SELECT table_name, ordinal_position, column_name, data_type, udt_name, is_nullable, column_default, "
                "collation_name FROM information_schema.columns WHERE table_schema='public' "
                "ORDER BY table_name, ordinal_position"):
            out[t]["columns"].append(tuple(col))
        for t, name, kind, definition in con.execute(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace"):
            out[t]["constraints"][name] = (kind, definition)
        for t, name, definition in con.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public'"):
            out[t]["indexes"][name] = definition
        out["__sequences__"] = {"columns": sorted(con.execute(
            "SELECT sequencename, data_type::text, start_value, increment_by FROM pg_sequences "
            "WHERE schemaname='public'").fetchall())}
        return out


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """What differs between two snapshots of one engine, one line each (empty: the same schema)."""
    out = []
    for t in sorted(expected.keys() | actual.keys()):
        if t not in actual or t not in expected:
            out.append(f"{t}: only in the {'expected' if t in expected else 'actual'} schema")
            continue
        for part in sorted(expected[t].keys() | actual[t].keys()):
            a, b = expected[t].get(part), actual[t].get(part)
            if a != b and isinstance(a, list) and isinstance(b, list):  # name the entries that differ
                out.append(f"{t}.{part}: expected {[x for x in a if x not in b]!r}, "
                           f"found {[x for x in b if x not in a]!r}")
            elif a != b:
                out.append(f"{t}.{part}: expected {a!r}, found {b!r}")
    return out


# ---- one form for both engines, to compare them: families of types, keys, explicit indexes ----
def sqlite_family(declared: str) -> str:  # a type's family: what a value of the column can be
    """SQLite's type affinity rules (https://sqlite.org/datatype3.html, 3.1) applied to a declared type."""
    t = declared.upper()
    if "INT" in t:
        return "integer"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if not t or "BLOB" in t:
        return "bytes"
    if any(s in t for s in ("REAL", "FLOA", "DOUB")):
        return "float"
    return "numeric"


PG_FAMILIES = {"text": "text", "character varying": "text", "character": "text", "integer": "integer",
               "bigint": "integer", "smallint": "integer", "double precision": "float", "real": "float",
               "bytea": "bytes", "numeric": "numeric", "boolean": "integer"}


def pg_family(data_type: str) -> str:
    return PG_FAMILIES.get(data_type, data_type)


def plain_default(default: str | None) -> str | None:
    """A column default without PostgreSQL's casts ('chung'::text -> 'chung'); None for a sequence's."""
    if default is None or default.startswith("nextval("):
        return None
    return re.sub(r"::[a-z ]+$", "", default)


def sqlite_normal(snapshot: dict[str, dict]) -> dict[str, dict]:
    out = {}
    for t, s in snapshot.items():
        pk = tuple(r[1] for r in sorted((r for r in s["columns"] if r[5]), key=lambda r: r[5]))
        out[t] = {"columns": {name: (sqlite_family(type_), bool(notnull) and name not in pk, default)
                              for _, name, type_, notnull, default, _ in s["columns"]},
                  "primary_key": pk,
                  "indexes": {n: i[3] for n, i in s["indexes"].items() if i[1] == "c"},
                  "foreign_keys": [(c, ref, rc, d.upper()) for c, ref, rc, d in s["foreign_keys"]]}
    return out


FK = re.compile(r"FOREIGN KEY \((.*?)\) REFERENCES (\w+)\((.*?)\)(?: ON DELETE (SET NULL|SET DEFAULT|\w+))?")


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip().strip('"') for n in text.split(","))


def pg_normal(snapshot: dict[str, dict]) -> dict[str, dict]:
    out = {}
    for t, s in snapshot.items():
        if t == "__sequences__":
            continue
        pks = [d for kind, d in s["constraints"].values() if kind == "p"]
        pk = _names(re.search(r"PRIMARY KEY \((.*)\)", pks[0]).group(1)) if pks else ()
        fks = [FK.match(d) for kind, d in s["constraints"].values() if kind == "f"]
        out[t] = {"columns": {name: (pg_family(data_type), nullable == "NO" and name not in pk, plain_default(default))
                              for _, name, data_type, _, nullable, default, _ in s["columns"]},
                  "primary_key": pk,
                  "indexes": {n: _names(re.search(r"USING \w+ \((.*)\)$", d).group(1))
                              for n, d in s["indexes"].items() if n not in s["constraints"]},
                  "foreign_keys": sorted((_names(m[1]), m[2], _names(m[3]), m[4] or "NO ACTION") for m in fks)}
    return out
