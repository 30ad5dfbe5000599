"""Chat history sessions in SQLite, per user, with the reference sample's shapes.

A session is ``{"id", "title", "timestamp", "answers": [[question, response], ...]}``; each user
sees only their own sessions.

Usage::

    store = HistoryStore(Path(".ridgeline/chat/history.sqlite3"))
    store.save("alice", "s1", [["Hi?", {"output_text": "Hello."}]])
    store.list_sessions("alice", count=10)   # ([{"id": "s1", "title": "Hi?", ...}], None)
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    user_id TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    answers TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
)
"""
_TITLE_CHARS = 60


class HistoryStore:
    """Sessions in one SQLite file; a connection per call keeps it safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            connection.execute(_SCHEMA)
            yield connection

    def save(self, user: str, session_id: str, answers: list[Any]) -> None:
        """Create or replace the session; its title is its first question."""
        first = answers[0][0] if answers and isinstance(answers[0], list) and answers[0] else ""
        title = " ".join(str(first).split())[:_TITLE_CHARS] or "New chat"
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?)",
                (user, session_id, title, int(time.time() * 1000), json.dumps(answers)),
            )

    def list_sessions(
        self, user: str, *, count: int, continuation: int = 0
    ) -> tuple[list[dict[str, Any]], int | None]:
        """The user's newest sessions first; a continuation offset when there are more."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, title, timestamp FROM sessions WHERE user_id = ? "
                "ORDER BY timestamp DESC, id LIMIT ? OFFSET ?",
                (user, count + 1, continuation),
            ).fetchall()
        sessions = [
            {"id": row[0], "entra_oid": user, "title": row[1], "timestamp": row[2]}
            for row in rows[:count]
        ]
        return sessions, (continuation + count if len(rows) > count else None)

    def get(self, user: str, session_id: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT answers FROM sessions WHERE user_id = ? AND id = ?", (user, session_id)
            ).fetchone()
        if row is None:
            return None
        return {"id": session_id, "entra_oid": user, "answers": json.loads(row[0])}

    def delete(self, user: str, session_id: str) -> bool:
        with self._connect() as db:
            cursor = db.execute(
                "DELETE FROM sessions WHERE user_id = ? AND id = ?", (user, session_id)
            )
        return cursor.rowcount > 0
