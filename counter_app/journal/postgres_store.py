"""PostgreSQL backend: one journal shared by all counters of a city.

Same tables and triggers as SQLite (see migrations/postgres). Counters write
concurrently, so each write transaction takes a transaction-scoped advisory
lock per counter chain before reading its head; ``lock_timeout`` bounds the
wait and turns into ``JournalBusyError``. Errors never echo the URL (it may
hold a password).
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors as pg_errors

from counter_app.journal.chain import format_ts
from counter_app.journal.errors import JournalBusyError, JournalError, JournalFullError
from counter_app.journal.migrations import SCHEMA_VERSION_TABLE, migrations_for
from counter_app.journal.models import utc_now
from counter_app.journal.store import (
    DEFAULT_TIMEZONE,
    Cursor,
    SqlJournalStore,
    schema_is_current,
)

_MIGRATION_LOCK = 0x4C4F4B4554  # "LOKET": one migrating process at a time


def journal_error(exc: psycopg.Error) -> JournalError:
    if isinstance(exc, pg_errors.DiskFull | pg_errors.OutOfMemory | pg_errors.ProgramLimitExceeded):
        return JournalFullError("the journal server is full; the entry was not recorded")
    if isinstance(
        exc, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected | pg_errors.QueryCanceled
    ):
        return JournalBusyError("the journal is busy: another writer holds the lock")
    if isinstance(exc, psycopg.OperationalError):
        return JournalError("the journal server cannot be reached")
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) or type(exc).__name__
    return JournalError(f"journal database error: {primary}")


def _display(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"postgresql://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


class PostgresJournalStore(SqlJournalStore):
    def __init__(
        self,
        url: str,
        *,
        busy_timeout: float = 5.0,
        timezone: str = DEFAULT_TIMEZONE,
        connect_timeout: float = 10.0,
        read_only: bool = False,
    ) -> None:
        """``read_only``: no migration (and its lock), read transactions only."""
        super().__init__(timezone=timezone)
        self.url_for_display = _display(url)
        self._lock = threading.RLock()
        self._reopen = (
            url,
            {"busy_timeout": busy_timeout, "timezone": timezone, "read_only": read_only},
        )
        self._url, self._busy_ms = url, int(busy_timeout * 1000)
        self._connect_timeout = max(1, int(connect_timeout))
        self._read_only = read_only
        self._conn = self._connect()
        try:
            if read_only:
                self._check_schema()
            else:
                self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=self._connect_timeout,
                # A server that vanishes (network cut, host down) is noticed in about
                # 25-30 s instead of the operating system's ~15 minutes, so a write fails
                # with a message instead of hanging the counter: keepalives while we wait
                # for an answer, tcp_user_timeout while our request is not even
                # acknowledged (keepalives do not run then). A server that is up but
                # frozen acknowledges both: see counter_app.journal.writer for that case.
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
                tcp_user_timeout=30_000,
            )
            conn.execute(f"SET lock_timeout = {self._busy_ms}")
            conn.execute("SET TIME ZONE 'UTC'")
            if self._read_only:
                conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            raise JournalError(f"cannot open the journal at {self.url_for_display}") from exc
        return conn

    def _check_schema(self) -> None:
        with self._transaction() as cur:
            cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
            if not cur.fetchone()[0]:
                raise JournalError(f"{self.url_for_display} holds no journal (no schema version)")
        schema_is_current(self.schema_version(), migrations_for("postgres")[-1].version)

    def _migrate(self) -> None:
        with self._transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            cur.execute(SCHEMA_VERSION_TABLE)
            cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            current = int(cur.fetchone()[0])
            for migration in migrations_for("postgres"):
                if migration.version > current:
                    cur.execute(migration.sql)
                    cur.execute(
                        "INSERT INTO schema_version (version, name, applied_at)"
                        " VALUES (%s, %s, %s)",
                        (migration.version, migration.name, format_ts(utc_now())),
                    )

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            if self._conn.broken:  # the server restarted or the network dropped: try again
                self._conn.close()
                self._conn = self._connect()
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    yield cur
            except psycopg.Error as exc:
                raise journal_error(exc) from exc

    @contextmanager
    def _write(self, counters: Sequence[str]) -> Iterator[Cursor]:
        with self._transaction() as cur:
            for counter in sorted(counters):  # always the same order: no deadlock
                cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (counter,))
            yield _QmarkCursor(cur)

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._transaction() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield _QmarkCursor(cur)

    def _stream(self, sql: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor(name="journal_stream") as cur:
                    cur.itersize = 5000
                    cur.execute(sql.replace("?", "%s"), params)
                    yield from cur
            except psycopg.Error as exc:
                raise journal_error(exc) from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _QmarkCursor:
    """Lets the shared SQL use ``?`` placeholders (no literal ``?`` appears in it)."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Any:
        return self._cur.execute(sql.replace("?", "%s"), params)

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())
