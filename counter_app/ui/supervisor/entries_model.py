"""The day's entries as a Qt table model: cheap enough for 5,000 rows.

Cells are computed when the view asks for them (only the visible rows), not
up front, so handing a new day to the model is a ``beginResetModel`` and a list
assignment. The subject INSZ is masked (``YY.MM.DD-xxx.xx``) unless that entry
was revealed through ``JournalStore.reveal_subject``, which logged who looked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from counter_app.journal.export import mask_insz
from counter_app.journal.models import EntryKind, LoginOutcome, SummaryRow

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TIME = 0
    COUNTER = 1
    KIND = 2
    MODE = 3
    CLERK = 4
    SUBJECT = 5
    ADVICE = 6
    DECISION = 7
    OVERRIDE = 8
    FAILURES = 9
    DURATION = 10


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("SupervisorEntries", "Time"),
        QCoreApplication.translate("SupervisorEntries", "Counter"),
        QCoreApplication.translate("SupervisorEntries", "Kind"),
        QCoreApplication.translate("SupervisorEntries", "Mode"),
        QCoreApplication.translate("SupervisorEntries", "Clerk"),
        QCoreApplication.translate("SupervisorEntries", "Citizen (INSZ)"),
        QCoreApplication.translate("SupervisorEntries", "Advice"),
        QCoreApplication.translate("SupervisorEntries", "Decision"),
        QCoreApplication.translate("SupervisorEntries", "Override"),
        QCoreApplication.translate("SupervisorEntries", "Failed sources"),
        QCoreApplication.translate("SupervisorEntries", "Check time"),
    ]


def kind_word(kind: EntryKind) -> str:
    return {
        EntryKind.CONSULTATION: QCoreApplication.translate("SupervisorEntries", "check"),
        EntryKind.DECISION: QCoreApplication.translate("SupervisorEntries", "decision"),
        EntryKind.SEAL: QCoreApplication.translate("SupervisorEntries", "day seal"),
        EntryKind.PURGE: QCoreApplication.translate("SupervisorEntries", "purge"),
        EntryKind.REVEAL: QCoreApplication.translate("SupervisorEntries", "reveal"),
        EntryKind.SUPERVISOR_LOGIN: QCoreApplication.translate(
            "SupervisorEntries", "supervisor login"
        ),
    }[kind]


def login_word(outcome: LoginOutcome) -> str:
    return {
        LoginOutcome.OK: QCoreApplication.translate("SupervisorEntries", "logged in"),
        LoginOutcome.WRONG: QCoreApplication.translate("SupervisorEntries", "wrong passphrase"),
        LoginOutcome.LOCKED: QCoreApplication.translate(
            "SupervisorEntries", "refused during the delay"
        ),
        LoginOutcome.PASSPHRASE_CHANGED: QCoreApplication.translate(
            "SupervisorEntries", "passphrase changed"
        ),
    }[outcome]


def outcome_word(outcome: str) -> str:
    return {
        "eligible": QCoreApplication.translate("SupervisorEntries", "right"),
        "not_eligible": QCoreApplication.translate("SupervisorEntries", "no right"),
        "check_manually": QCoreApplication.translate("SupervisorEntries", "check manually"),
        "none": QCoreApplication.translate("SupervisorEntries", "no advice"),
    }.get(outcome, outcome)


def action_word(action: str) -> str:
    return {
        "opportunity_tariff_sale": QCoreApplication.translate(
            "SupervisorEntries", "sold at the opportunity tariff"
        ),
        "normal_sale": QCoreApplication.translate("SupervisorEntries", "sold at the normal price"),
        "lez_registered": QCoreApplication.translate("SupervisorEntries", "LEZ registered"),
        "lez_reduced_tariff": QCoreApplication.translate("SupervisorEntries", "LEZ reduced tariff"),
        "no_action": QCoreApplication.translate("SupervisorEntries", "no action"),
        "cancelled": QCoreApplication.translate("SupervisorEntries", "cancelled"),
    }.get(action, action)


class EntriesModel(QAbstractTableModel):
    """Read-only rows; ``revealed`` maps entry id to the unmasked INSZ shown for it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SummaryRow] = []
        self._revealed: dict[int, str] = {}
        self._titles = column_titles()
        self.tz: dt.tzinfo | None = None

    # -- content ------------------------------------------------------------------------

    def set_entries(self, entries: Sequence[SummaryRow]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> SummaryRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def mark_revealed(self, entry_id: int, insz: str) -> None:
        self._revealed[entry_id] = insz
        for row, stored in enumerate(self._rows):
            if stored.id == entry_id:
                index = self.index(row, Column.SUBJECT)
                self.dataChanged.emit(index, index)

    def is_revealed(self, entry_id: int) -> bool:
        return entry_id in self._revealed

    def retranslate(self) -> None:
        self._titles = column_titles()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
            )

    # -- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        stored = self._rows[index.row()]
        text = self._cell(stored, Column(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if index.column() == Column.ADVICE and text else None
        return text

    def _cell(self, row: SummaryRow, column: Column) -> str:
        s = row.summary
        if column is Column.TIME:
            return s.recorded_at.astimezone(self.tz).strftime("%H:%M:%S")
        if column is Column.COUNTER:
            return row.counter_id
        if column is Column.KIND:
            return kind_word(s.kind)
        if column is Column.MODE:
            if s.entry_mode is None:
                return ""
            if s.entry_mode.value == "manual":
                return QCoreApplication.translate("SupervisorEntries", "manual")
            return QCoreApplication.translate("SupervisorEntries", "card")
        if column is Column.CLERK:
            if row.personal_purged:
                return QCoreApplication.translate("SupervisorEntries", "(purged)")
            return row.clerk_name or ""
        if column is Column.SUBJECT:
            if row.personal_purged:
                return QCoreApplication.translate("SupervisorEntries", "(purged)")
            return self._revealed.get(row.id) or mask_insz(row.subject_insz)
        if column is Column.ADVICE:
            return "; ".join(f"{right}: {outcome_word(o.value)}" for right, o in s.advice.items())
        if column is Column.DECISION:
            if s.login is not None:  # a supervisor login: its outcome
                return login_word(s.login)
            return action_word(s.decision.value) if s.decision else ""
        if column is Column.OVERRIDE:
            return QCoreApplication.translate("SupervisorEntries", "yes") if s.overridden else ""
        if column is Column.FAILURES:
            return str(len(s.failed_sources)) if s.failed_sources else ""
        if s.total_ms is None or s.kind is not EntryKind.CONSULTATION:
            return ""
        return f"{s.total_ms / 1000:.1f} s"
