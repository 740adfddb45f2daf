"""Guards the PySide6 pin in pyproject.toml.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to ``None`` (and to
``True``/``False``) for every Qt call that returns one; after a few thousand calls
the interpreter aborts with "deallocating None". A counter window stays open all
day, so it would crash. If this test fails after an upgrade, keep the pin.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_qt_calls_do_not_leak_references_to_singletons(qapp: QApplication) -> None:
    label = QLabel()
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(2_000):
        qapp.processEvents()
        label.setText("x")
        label.isVisible()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    # Other threads may hold a few references for a moment; a leak loses thousands.
    assert all(abs(a - b) < 200 for a, b in zip(after, before, strict=True)), (before, after)
