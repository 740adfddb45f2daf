"""The log's writer thread: order, errors, closing, and a database that stops answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from counter_app.journal.writer import JournalWriter, WriterClosedError


def test_calls_run_in_submission_order_on_one_thread() -> None:
    writer = JournalWriter()
    seen: list[tuple[int, str]] = []
    futures = [
        writer.submit(lambda n: seen.append((n, threading.current_thread().name)) or n, n)
        for n in range(50)
    ]
    assert [f.result(timeout=5) for f in futures] == list(range(50))
    assert [n for n, _ in seen] == list(range(50))
    assert {name for _, name in seen} == {"journal-writer"}
    assert writer.close(timeout=5)


def test_an_error_reaches_the_caller_and_the_writer_goes_on() -> None:
    writer = JournalWriter()

    def fail() -> None:
        raise OSError("disk full")

    failed = writer.submit(fail)
    after = writer.submit(lambda: "written")
    with pytest.raises(OSError, match="disk full"):
        failed.result(timeout=5)
    assert after.result(timeout=5) == "written"
    assert writer.close(timeout=5)


def test_close_waits_for_submitted_work_and_then_refuses_more() -> None:
    writer = JournalWriter()
    release = threading.Event()
    slow = writer.submit(lambda: release.wait(10) and "done")
    queued = writer.submit(lambda: "queued")
    assert writer.close(timeout=0.2) is False  # still running: close does not wait forever
    with pytest.raises(WriterClosedError):
        writer.submit(lambda: None)
    release.set()
    assert writer.wait(timeout=5) is True  # more time: what was submitted still finishes
    assert (slow.result(), queued.result()) == ("done", "queued")


def test_a_call_cancelled_before_it_starts_does_not_run() -> None:
    writer = JournalWriter()
    release = threading.Event()
    ran: list[str] = []
    writer.submit(release.wait, 10)
    cancelled = writer.submit(lambda: ran.append("should not run"))
    assert cancelled.cancel()
    release.set()
    assert writer.close(timeout=5)
    assert ran == []


@pytest.mark.postgres
def test_a_frozen_database_cannot_keep_the_closed_application_alive(pg_url: str) -> None:
    """The log's PostgreSQL backend is frozen (SIGSTOP) while an entry is being written.

    The write can never finish. The process must still end once its owner stops
    waiting; with a ThreadPoolExecutor the interpreter joined the stuck thread at exit
    and the process hung for good.
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.journal.stuck_writer", pg_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    backend_pid = 0
    try:
        assert child.stdout is not None and child.stdin is not None
        first = child.stdout.readline().split()
        assert first[:1] == ["backend"], first
        backend_pid = int(first[1])
        os.kill(backend_pid, signal.SIGSTOP)
        child.stdin.write("go\n")
        child.stdin.flush()
        started = time.monotonic()
        out, err = child.communicate(timeout=30)
        assert time.monotonic() - started < 20, "the process waited for the frozen write"
        assert "drained False" in out, (out, err)
        assert child.returncode == 0, err
    finally:
        if backend_pid:
            os.kill(backend_pid, signal.SIGCONT)
        if child.poll() is None:
            child.kill()
            child.wait(10)
