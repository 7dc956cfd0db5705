"""Read scopes: the collections a user may read, as a SQL condition both catalogue engines share.

A scope is an iterable of collection names, or None for every collection (the simple modes: no
accounts, or DANVAN_AUTH accounts). An empty scope reads nothing.
"""
from __future__ import annotations

from typing import Iterable

DEFAULT_COLLECTION = "chung"  # existing documents and ingests that name none; readable by every role


def scope_sql(scope: Iterable[str] | None, column: str = "d.collection",
              placeholder: str = "?") -> tuple[str, list[str]]:
    """`` AND <column> IN (?,…)`` and its arguments for a read scope ("" for None; an empty scope
    gives a condition no row meets). ``placeholder``: "%s" for psycopg."""
    if scope is None:
        return "", []
    names = sorted(set(scope))
    if not names:
        return " AND 1=0", []
    return f" AND {column} IN ({','.join([placeholder] * len(names))})", names


def in_scope(collection: str | None, scope: Iterable[str] | None) -> bool:
    """Whether a document of ``collection`` is readable in ``scope`` (checks outside SQL)."""
    return scope is None or (collection or DEFAULT_COLLECTION) in set(scope)
