"""Stores for the journal tests: a SQLite file, and a real private PostgreSQL cluster.

The PostgreSQL server is Debian's (``apt-get install postgresql``), started once per
session in a temporary folder on a Unix socket only (no TCP port is opened). Each
test gets its own database. Where it cannot start, the tests are skipped, unless
CI (or LOKET_REQUIRE_POSTGRES/LOKET_REQUIRE_PCSC=1) demands them: then they fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from counter_app.journal.store import SqlJournalStore, open_journal


def _required() -> bool:
    return bool(
        os.environ.get("CI")
        or os.environ.get("LOKET_REQUIRE_PCSC") == "1"
        or os.environ.get("LOKET_REQUIRE_POSTGRES") == "1"
    )


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"PostgreSQL is required here but {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@dataclass(frozen=True)
class PgServer:
    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = candidates[-1] if candidates else shutil.which("initdb")
    if not initdb:
        _unavailable("initdb was not found (apt-get install postgresql)")
    bindir = Path(str(initdb)).parent
    base = Path(tempfile.mkdtemp(prefix="loket-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sockets, logfile = base / "data", base / "sock", base / "server.log"
    port = _free_port()
    started = False
    try:
        run = lambda *cmd: subprocess.run(  # noqa: E731
            [*as_user, *cmd], check=True, capture_output=True, text=True, timeout=120
        )
        run("mkdir", "-p", str(sockets))
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(logfile), "-o", options,
            "-w", "-t", "60", "start")  # fmt: skip
        started = True
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"the test cluster did not start: {str(detail).strip()[:300]}")
    try:
        yield PgServer(sockets, port)
    finally:
        if started:
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: PgServer) -> Iterator[str]:
    import psycopg

    name = f"journal_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.url(name)
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'journal.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def journal_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs on both backends."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(journal_url: str) -> Iterator[SqlJournalStore]:
    with open_journal(journal_url, busy_timeout=2.0) as opened:
        yield opened
