"""One connection per thread, all closed together (vectorstore/connections.py)."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from vectorstore.connections import ThreadConnections, open_sqlite


def test_each_thread_its_own_connection_and_close_closes_all(tmp_path):
    conns = ThreadConnections(lambda: open_sqlite(tmp_path / "x.sqlite3"))
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(conns.get())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    mine = conns.get()
    assert mine is conns.get()  # the same thread keeps its connection
    assert len({id(c) for c in seen + [mine]}) == 5
    assert mine.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conns.close()
    for c in seen + [mine]:
        with pytest.raises(sqlite3.ProgrammingError):
            c.execute("SELECT 1")
    assert conns.get() is not mine  # a new one after close

