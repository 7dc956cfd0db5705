"""Who may read, upload, remove and manage what: the app's access rules, in one place (the UI only asks).

Two kinds of login name reach the app. Names from ``DANVAN_AUTH`` (the simple mode) and the anonymous
local user (no login configured) have full rights, as before accounts existed: they read every
collection (scope None), upload anywhere and manage accounts. Names from the accounts store
(vectorstore/accounts.py) have their role's rights and read only their granted collections. A name the
store does not know (its account was removed while logged in) reads nothing.
"""
from __future__ import annotations

import threading
from typing import Any

from assistant.accounts.auth import parse_auth
from vectorstore.accounts import ROLES, AccountError, Accounts, open_database
from vectorstore.history import ChatHistory
from vectorstore.sessions import StoredSessions
from vectorstore.scope import DEFAULT_COLLECTION, in_scope

FULL = "admin"  # the role simple-mode and anonymous users act with


class AccessDenied(PermissionError):
    """A refused action; the message is for the user (Vietnamese)."""


NOT_ADMIN = "Chỉ quản trị viên mới làm được việc này."
NOT_WRITABLE = "Bạn không có quyền nạp hoặc xoá tài liệu trong bộ «{c}»."


class Access:
    """The access rules of one app process over its accounts store (opened on first use)."""

    def __init__(self, settings: Any, catalogue_collections: Any = None):
        self.settings = settings
        self.simple_users = {name for name, _ in (parse_auth(settings.auth) or [])}
        self._catalogue_collections = catalogue_collections or (lambda: [])
        self._accounts: Accounts | None = None
        self._history: ChatHistory | None = None
        self._sessions: StoredSessions | None = None
        self._lock = threading.Lock()
        self.login_required: bool | None = None  # set by the server; None: whether any account exists

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            with self._lock:
                if self._accounts is None:
                    db = open_database(self.settings)
                    self._accounts = Accounts(db)
                    self._history = ChatHistory(db)
                    self._sessions = StoredSessions(db)
        return self._accounts

    @property
    def history(self) -> ChatHistory:
        self.accounts  # noqa: B018 (opens the database)
        assert self._history is not None
        return self._history

    @property
    def sessions(self) -> StoredSessions:
        """Login sessions in the accounts database: every replica of the app sees them."""
        self.accounts  # noqa: B018 (opens the database)
        assert self._sessions is not None
        return self._sessions

    def has_users(self) -> bool:
        return self.accounts.has_users()

    def verify(self, name: str, password: str) -> bool:
        """A store account's password check (for assistant.accounts.auth.Authenticator)."""
        return self.accounts.verify(name, password) is not None

    # ---- rights ----
    def _full(self, user: str | None) -> bool:
        """Full rights: a DANVAN_AUTH name, or nobody logged in where no login is configured. Where one is,
        a request without a user gets nothing (fail closed)."""
        if user is None:
            required = self.login_required
            if required is None:
                required = bool(self.simple_users) or self.has_users()
            return not required
        return user in self.simple_users

    def role(self, user: str | None) -> str | None:
        if self._full(user):
            return FULL
        found = self.accounts.user(user) if user is not None else None
        return found.role if found else None

    def is_admin(self, user: str | None) -> bool:
        return self.role(user) == "admin"

    def scope(self, user: str | None) -> frozenset[str] | None:
        """The collections ``user`` may read (None: every one): what every store query is given."""
        if self._full(user):
            return None
        return self.accounts.read_scope(user) if user is not None else frozenset()

    def writable(self, user: str | None) -> list[str]:
        """The collections ``user`` may upload into, the one an upload goes to by default first: the shared
        default for full rights, a user's own collection before the shared one otherwise."""
        known = list(self._catalogue_collections()) + [DEFAULT_COLLECTION]
        if self._full(user):
            names = sorted({c for c, _ in self.accounts.collections()} | set(known))
            return sorted(names, key=lambda c: (c != DEFAULT_COLLECTION, c))
        names = self.accounts.writable(user, known) if user is not None else []
        return sorted(names, key=lambda c: (c == DEFAULT_COLLECTION, c))

    def check_write(self, user: str | None, collection: str | None) -> str:
        """The collection to write into, or AccessDenied."""
        collection = collection or DEFAULT_COLLECTION
        if collection not in self.writable(user):
            raise AccessDenied(NOT_WRITABLE.format(c=collection))
        return collection

    def can_read(self, user: str | None, collection: str | None) -> bool:
        return in_scope(collection, self.scope(user))

    # ---- chat history (owner "" is the anonymous local user) ----
    def record_turn(self, user: str | None, conversation_id: str | None, question: str, answer: Any) -> str:
        payload = answer.to_dict() if hasattr(answer, "to_dict") else {}
        return self.history.add_turn(user or "", conversation_id, question, getattr(answer, "answer", ""), payload)

    def conversations(self, user: str | None) -> list:
        return self.history.conversations(user or "")

    def open_conversation(self, user: str | None, conversation_id: str) -> list | None:
        return self.history.turns(user or "", conversation_id)

    def delete_conversation(self, user: str | None, conversation_id: str) -> bool:
        return self.history.delete(user or "", conversation_id)

    # ---- administration: every call checks the caller ----
    def admin(self, user: str | None) -> "Admin":
        if not self.is_admin(user):
            raise AccessDenied(NOT_ADMIN)
        return Admin(self)


class Admin:
    """What the admin page does, each returning a message for the user; AccountError carries refusals."""

    def __init__(self, access: Access):
        self.access = access
        self.accounts = access.accounts

    def overview(self) -> dict[str, list[list[Any]]]:
        """Tables for the admin page: users, collections (with documents in the store), grants."""
        in_store = dict(self.access._catalogue_collections())
        names = sorted({c for c, _ in self.accounts.collections()} | set(in_store))
        titles = dict(self.accounts.collections())
        return {"users": [[u.name, u.role] for u in self.accounts.users()],
                "collections": [[c, titles.get(c, "(chưa đăng ký)"), in_store.get(c, 0)] for c in names],
                "grants": [[g.subject, g.collection, "đọc và nạp" if g.write else "đọc"] for g in self.accounts.grants()]}

    def subjects(self) -> list[str]:
        return [f"role:{r}" for r in ROLES if r != "admin"] + [f"user:{u.name}" for u in self.accounts.users()]

    def add_user(self, name: str, password: str, role: str) -> str:
        user = self.accounts.add_user(name, password, role)
        return f"Đã thêm người dùng «{user.name}» ({user.role})."

    def set_role(self, name: str, role: str) -> str:
        self.accounts.set_role(name, role)
        return f"«{name}» nay có vai trò {role}."

    def set_password(self, name: str, password: str) -> str:
        self.accounts.set_password(name, password)
        return f"Đã đổi mật khẩu của «{name}»."

    def remove_user(self, name: str) -> str:
        self.accounts.remove_user(name)
        return f"Đã xoá người dùng «{name}»."

    def add_collection(self, name: str, title: str = "") -> str:
        self.accounts.add_collection(name, title)
        return f"Đã thêm bộ tài liệu «{name}»."

    def grant(self, subject: str, collection: str, write: bool = False) -> str:
        if collection in dict(self.access._catalogue_collections()) and \
                collection not in dict(self.accounts.collections()):
            self.accounts.add_collection(collection)  # documents were ingested into it from the command line
        self.accounts.grant(subject, collection, write)
        return f"«{subject}» được {'đọc và nạp' if write else 'đọc'} bộ «{collection}»."

    def revoke(self, subject: str, collection: str) -> str:
        if not self.accounts.revoke(subject, collection):
            raise AccountError(f"«{subject}» không có quyền nào trên bộ «{collection}».")
        return f"Đã thu hồi quyền của «{subject}» trên bộ «{collection}»."
