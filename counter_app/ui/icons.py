"""Icons from ``resources/icons`` (our own SVGs): state shows by shape and text, not colour."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from cardreader.resources import resources_dir


@cache
def icon(name: str) -> QIcon:
    """The named icon; an empty icon (never an exception) if the file is missing."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
