"""Chat history per user: conversations and their question/answer turns, in the accounts database.

Every read and delete names the owner in its WHERE clause: another user's conversation is neither listed,
opened nor deleted, whatever id is sent (ids are random, but that is not what protects them).
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from vectorstore.sqldb import Database

TITLE_CHARS = 80
MAX_LISTED = 200


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    updated_at: float
    turns: int = 0


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    payload: dict[str, Any]  # the Answer as a dict (citations, sources) to show it again


class ChatHistory:
    """Conversations of each owner (the accounts schema holds the tables: vectorstore/accounts.py)."""

    def __init__(self, db: Database):
        self.db = db

    def add_turn(self, owner: str, conversation_id: str | None, question: str, answer: str,
                 payload: dict[str, Any] | None = None) -> str:
        """Append a turn to the owner's conversation (a new one when ``conversation_id`` is None or not
        the owner's); the conversation's id."""
        now = time.time()
        with self.db.transaction():
            if conversation_id is None or not self._owns(owner, conversation_id):
                conversation_id = uuid.uuid4().hex
                title = " ".join(question.split())[:TITLE_CHARS] or "(không tiêu đề)"
                self.db.execute("INSERT INTO conversations VALUES (?,?,?,?,?)",
                                (conversation_id, owner, title, now, now))
            else:
                self.db.execute("UPDATE conversations SET updated_at=? WHERE id=? AND owner=?",
                                (now, conversation_id, owner))
            n = self.db.one("SELECT COUNT(*) FROM turns WHERE conversation_id=?", (conversation_id,))[0]
            self.db.execute("INSERT INTO turns VALUES (?,?,?,?,?,?)",
                            (conversation_id, n, question, answer,
                             json.dumps(payload or {}, ensure_ascii=False, default=str), now))
        return conversation_id

    def _owns(self, owner: str, conversation_id: str) -> bool:
        return self.db.one("SELECT 1 FROM conversations WHERE id=? AND owner=?", (conversation_id, owner)) is not None

    def conversations(self, owner: str) -> list[Conversation]:
        """The owner's conversations, latest first."""
        return [Conversation(*r) for r in self.db.rows(
            "SELECT c.id, c.title, c.updated_at, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) "
            "FROM conversations c WHERE c.owner=? ORDER BY c.updated_at DESC LIMIT ?", (owner, MAX_LISTED))]

    def turns(self, owner: str, conversation_id: str) -> list[Turn] | None:
        """The turns of one of the owner's conversations, in order; None when it is not theirs (or gone)."""
        if not self._owns(owner, conversation_id or ""):
            return None
        return [Turn(r[0], r[1], json.loads(r[2] or "{}")) for r in self.db.rows(
            "SELECT t.question, t.answer, t.payload FROM turns t JOIN conversations c ON c.id = t.conversation_id "
            "WHERE t.conversation_id=? AND c.owner=? ORDER BY t.position", (conversation_id, owner))]

    def delete(self, owner: str, conversation_id: str) -> bool:
        """Delete one of the owner's conversations; False when it is not theirs."""
        with self.db.transaction():
            if not self._owns(owner, conversation_id or ""):
                return False
            self.db.execute("DELETE FROM turns WHERE conversation_id=?", (conversation_id,))
            self.db.execute("DELETE FROM conversations WHERE id=? AND owner=?", (conversation_id, owner))
        return True
