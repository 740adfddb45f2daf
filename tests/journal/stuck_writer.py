"""Writes one entry through the log's writer while the test freezes the database.

Run as ``python -m tests.journal.stuck_writer URL``: prints ``backend PID`` (the
PostgreSQL server process serving its connection), waits for ``go`` on stdin,
submits one append, gives it one second, prints ``drained True|False`` and
returns from main, which must end the process even when the append is stuck.
"""

from __future__ import annotations

import sys

from counter_app.journal.store import open_journal
from counter_app.journal.writer import JournalWriter
from tests.journal.builders import consultation


def main() -> int:
    store = open_journal(sys.argv[1])
    backend = store._conn.execute("SELECT pg_backend_pid()").fetchone()  # type: ignore[attr-defined]
    print("backend", backend[0], flush=True)
    sys.stdin.readline()
    writer = JournalWriter()
    writer.submit(store.append, consultation())
    print("drained", writer.close(timeout=1.0), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
