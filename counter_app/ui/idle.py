"""Notice keyboard and mouse input in a window, so an unattended screen can be cleared.

A manual entry has no card whose removal clears the screen: when the clerk walks
away without deciding, the window clears it after a while without input. This
watcher only tells that there was input; the window decides what it means.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

# What counts as someone at the desk: keys (also those that end up as shortcuts),
# clicks, the wheel, moving the mouse over the window, touch.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class InputWatch(QObject):
    """Emits ``input_seen`` for input to ``root`` or any widget under it, dialogs included.

    It filters the application's events only while started: the window starts it
    only while a countdown runs, so the rest of the time no event pays for it.
    """

    input_seen = Signal()

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self._root = root
        self._watching = False

    @property
    def watching(self) -> bool:
        return self._watching

    def start(self) -> None:
        app = QCoreApplication.instance()
        if not self._watching and app is not None:
            app.installEventFilter(self)
            self._watching = True

    def stop(self) -> None:
        app = QCoreApplication.instance()
        if self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and isinstance(watched, QWidget) and self._ours(watched):
            self.input_seen.emit()
        return False  # only watching: the event goes on as usual

    def _ours(self, widget: QWidget | None) -> bool:
        """``widget`` is the root, inside it, or in a dialog the root (or its children) opened."""
        while widget is not None:
            if widget is self._root:
                return True
            widget = widget.parentWidget()
        return False
