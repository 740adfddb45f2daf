"""Check after check, the window holds the same Qt objects: nothing accumulates.

The advice cards, their explanations and the decision's choices are built for
every check and must be gone once the screen is cleared: not kept under a
long-lived parent, not kept alive by a connection or a Python reference, not left
as orphan top-level widgets. (benchmarks/bench_ui.py reports resident memory.)
"""

from __future__ import annotations

import gc
from collections import Counter

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.ui.flow import FlowState
from counter_app.ui.main_window import CounterWindow

from .conftest import WindowFactory, wait_state

CARD = "be-bare-year-ec-18"  # a full check: three advice cards, UiTPAS choices


def one_check(qtbot: QtBot, window: CounterWindow) -> None:
    window.insert_simulated_card(CARD)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.advice.cards and window.decision.choice_buttons()
    for card in window.advice.cards:
        card.toggle.setChecked(True)  # the explanation (a rich-text browser) is built too
    window.remove_simulated_card()
    qtbot.waitUntil(lambda: window.subject is None and not window.advice.cards, timeout=10000)
    qtbot.wait(20)  # deferred deletions run in the event loop, as at the desk


def qt_objects(window: CounterWindow) -> Counter[str]:
    """Qt objects by class: the window's tree, every widget, and Python-held wrappers."""
    gc.collect()
    counts: Counter[str] = Counter()
    counts.update(f"child:{type(o).__name__}" for o in window.findChildren(QObject))
    counts.update(f"widget:{type(w).__name__}" for w in QApplication.allWidgets())
    # Only live ones: findChildren() above leaves PySide wrappers of C++-owned objects that
    # are deleted later (a QTextDocument's frames) in the window wrapper's child list.
    counts.update(
        f"wrapper:{type(o).__name__}"
        for o in gc.get_objects()
        if isinstance(o, QObject) and shiboken6.isValid(o)
    )
    return counts


def test_checks_leave_no_qt_objects_behind(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(clear_delay_ms=0)
    for _ in range(2):  # warm-up: first paints, caches, the thread pool
        one_check(qtbot, window)
    before = qt_objects(window)
    for _ in range(6):
        one_check(qtbot, window)
    after = qt_objects(window)
    grown = {kind: after[kind] - before[kind] for kind in after if after[kind] > before[kind]}
    # A stray timer or event-loop helper may come and go; a per-check leak shows as
    # at least 6 more of something (one per check), usually many times that.
    assert sum(grown.values()) <= 3, f"Qt objects accumulate per check: {grown}"
