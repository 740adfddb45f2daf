"""The asyncio thread: results, failures and progress arrive as queued signals; stop is clean."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from counter_app.ui.async_runner import AsyncRunner


@pytest.fixture
def runner(qtbot: QtBot) -> AsyncRunner:
    r = AsyncRunner()
    yield r
    r.stop()


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot, runner: AsyncRunner) -> None:
    gui_thread = threading.get_ident()
    seen: list[tuple[object, object, int]] = []
    runner.progress.connect(lambda tok, p: seen.append((tok, p, threading.get_ident())))

    async def work(report: Callable[[object], None]) -> int:
        assert threading.get_ident() != gui_thread
        report("half")
        await asyncio.sleep(0.01)
        return 42

    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.submit(work(runner.report("t1")), "t1")
    assert blocker.args == ["t1", 42]
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[0][:2] == ("t1", "half") and seen[0][2] == gui_thread


def test_failure_is_a_signal_not_a_crash(qtbot: QtBot, runner: AsyncRunner) -> None:
    async def boom() -> None:
        raise ValueError("source said no")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit(boom(), "t2")
    token, exc = blocker.args
    assert token == "t2" and isinstance(exc, ValueError)


def test_cancel_and_stop_end_a_stuck_coroutine(qtbot: QtBot) -> None:
    runner = AsyncRunner()
    cancelled = threading.Event()
    started = threading.Event()

    async def stuck() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    future = runner.submit(stuck(), "t3")
    assert started.wait(5)
    assert not future.done()
    runner.stop(timeout=5)
    assert not runner.running
    assert cancelled.wait(5)
    with pytest.raises(RuntimeError):
        runner.submit(stuck(), "late")
