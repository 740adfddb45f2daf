"""Work around PySide6 6.12 dropping references to None/True/False on Python 3.11.

PySide6-Essentials 6.12 returns ``None`` (every ``void`` method: ``setText``,
``processEvents``...) and ``True``/``False`` without taking a reference, which
is harmless on Python >= 3.12 where these objects are immortal (PEP 683) but on
3.11 lowers their reference count by one per call until the interpreter aborts
with "none_dealloc: deallocating None" after a few thousand calls. Giving the
singletons a huge reference count makes them as immortal as 3.12 does; they
are never freed anyway. Remove this once PySide6 is fixed or Python 3.11 dropped.
"""

from __future__ import annotations

import ctypes
import sys

_DONE = False
_BOOST = 1 << 40


def make_singletons_immortal() -> None:
    """Idempotent; a no-op where Python already treats the singletons as immortal."""
    global _DONE
    if _DONE or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False, Ellipsis, NotImplemented):
        # ob_refcnt is the first field of every CPython object; id() is its address
        ctypes.c_ssize_t.from_address(id(singleton)).value += _BOOST
    _DONE = True
