"""Going behind the application's back, as an attacker or a careless admin would."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

SQLITE_TRIGGERS = (
    "journal_entries_no_update",
    "journal_entries_no_delete",
    "journal_personal_no_update",
    "journal_personal_delete_only_by_purge",
)


class RawDb:
    """Direct SQL on the journal database (qmark placeholders for both backends)."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql://")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(url, autocommit=True)
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite://"), isolation_level=None)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if self.postgres:
            sql = sql.replace("?", "%s")
        cur = self.conn.execute(sql, params)
        try:
            return list(cur.fetchall())
        except Exception:  # statements without rows
            return []

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        if self.postgres:
            import psycopg

            return (psycopg.Error,)
        return (sqlite3.Error,)

    def drop_guards(self) -> None:
        if self.postgres:
            self.execute("ALTER TABLE journal_entries DISABLE TRIGGER USER")
            self.execute("ALTER TABLE journal_personal DISABLE TRIGGER USER")
        else:
            names = self.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert set(SQLITE_TRIGGERS) <= {n for (n,) in names}
            for (name,) in names:
                self.execute(f"DROP TRIGGER {name}")

    def row(self, counter: str, seq: int) -> dict[str, Any]:
        cols = ("id, counter_id, seq, recorded_at, day, kind, check_id, personal_hash, "
                "purge_before, body, summary, prev_hash, hash")  # fmt: skip
        rows = self.execute(
            f"SELECT {cols} FROM journal_entries WHERE counter_id = ? AND seq = ?", (counter, seq)
        )
        return dict(zip([c.strip() for c in cols.split(",")], rows[0], strict=True))

    def close(self) -> None:
        self.conn.close()
