"""What a pool job may hold: no Qt object.

A ``TicketJob`` is deleted on the pool thread when it ends. If its work held the last
reference to a widget (a lambda over ``self`` of a dialog the caller already let go),
the widget would be deleted there, off the GUI thread, and Qt crashes later, at random,
delivering a timer event to the deleted object. Every test in tests/ui checks each job
its code starts (see the autouse fixture in conftest.py).
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QObject


def qt_objects_in(work: Any, depth: int = 4) -> list[QObject]:
    """The Qt objects a callable holds: closure cells, bound ``self``, defaults, partials."""
    found: list[QObject] = []
    seen: set[int] = set()

    def walk(obj: Any, left: int) -> None:
        if id(obj) in seen or left < 0:
            return
        seen.add(id(obj))
        if isinstance(obj, QObject):
            found.append(obj)
            return
        if isinstance(obj, functools.partial):
            for part in (obj.func, *obj.args, *obj.keywords.values()):
                walk(part, left - 1)
            return
        bound = getattr(obj, "__self__", None)
        if bound is not None and not isinstance(bound, type):
            walk(bound, left - 1)
        for cell in getattr(obj, "__closure__", None) or ():
            try:
                walk(cell.cell_contents, left - 1)
            except ValueError:  # an empty cell
                continue
        for default in getattr(obj, "__defaults__", None) or ():
            walk(default, left - 1)

    walk(work, depth)
    return found
