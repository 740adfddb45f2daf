"""Progress per source while the check runs: the clerk sees who is still answering."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from counter_app.ui.i18n import current_language
from counter_app.ui.ports import SourceProgress, SourceState
from counter_app.ui.reasons import clerk_reason
from counter_app.ui.widgets.common import IconText
from rules.labels import source_label

_ICONS = {SourceState.ASKING: "busy", SourceState.OK: "eligible", SourceState.FAILED: "warning"}


class SourceProgressList(QGroupBox):
    """One line per source: asking, answered, or failed (with why, never personal data)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceProgress")
        self._layout = QVBoxLayout(self)
        self._rows: dict[str, tuple[IconText, SourceProgress]] = {}
        self._spare: dict[str, IconText] = {}
        self.retranslate()

    def clear(self) -> None:
        # Rows are kept (hidden and emptied) for the next check: cheaper than rebuilding.
        for row, _ in self._rows.values():
            row.set("", "")
            row.hide()
        self._spare.update({name: row for name, (row, _) in self._rows.items()})
        self._rows.clear()

    def update_source(self, progress: SourceProgress) -> None:
        if progress.source in self._rows:
            row = self._rows[progress.source][0]
        elif progress.source in self._spare:
            row = self._spare.pop(progress.source)
            row.show()
        else:
            row = IconText(self, icon_size=18)
            row.setObjectName(f"source_{progress.source}")
            self._layout.addWidget(row)
        self._rows[progress.source] = (row, progress)
        self._render(row, progress)

    def state_of(self, source: str) -> SourceState | None:
        entry = self._rows.get(source)
        return entry[1].state if entry else None

    def _render(self, row: IconText, progress: SourceProgress) -> None:
        state = {
            SourceState.ASKING: self.tr("asking…"),
            SourceState.OK: self.tr("answered"),
            SourceState.FAILED: self.tr("no answer"),
        }[progress.state]
        text = f"{source_label(progress.source, current_language())}: {state}"
        technical = ""
        if progress.state is SourceState.FAILED and progress.detail:
            # the source's own words are English diagnostics: the clerk reads what they mean
            reason = clerk_reason(progress.detail)
            text += f" — {reason.with_technical()}"
            technical = progress.detail
        row.set(_ICONS[progress.state], text)
        row.setToolTip(
            self.tr("Technical message: {detail}").format(detail=technical) if technical else ""
        )

    def retranslate(self) -> None:
        self.setTitle(self.tr("Sources"))
        for row, progress in self._rows.values():
            self._render(row, progress)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
