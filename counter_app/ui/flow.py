"""The clerk's flow as an explicit state machine, free of Qt.

Everything asynchronous (card reads, source answers, confirmations) reports back
with the session number it was started for. A card removal or a new card ends
the session, so a late answer about the previous citizen can never land on the
screen of the next one: ``accepts`` is the single place that rule lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FlowState(StrEnum):
    IDLE = "idle"  # waiting for a card (or a manual entry)
    READING = "reading"  # the card is being read and verified
    CARD_WARNING = "card_warning"  # not authentic / expired / not yet valid: needs acknowledging
    CARD_ERROR = "card_error"  # not an eID, unreadable, removed during the read
    CHECKING = "checking"  # the sources are being asked
    ADVICE = "advice"  # advice shown; the clerk decides (again, while a right is still open)
    CONFIRMING = "confirming"  # registering the sale / writing the log
    CONFIRMED = "confirmed"  # done and logged, and no right waits for a decision any more
    CHECK_ERROR = "check_error"  # the check itself could not run


#: Which state may follow which. Anything may go back to IDLE (card removed, cleared).
_ALLOWED: dict[FlowState, frozenset[FlowState]] = {
    FlowState.IDLE: frozenset({FlowState.READING, FlowState.CHECKING}),
    FlowState.READING: frozenset(
        {FlowState.CARD_WARNING, FlowState.CARD_ERROR, FlowState.CHECKING}
    ),
    FlowState.CARD_WARNING: frozenset({FlowState.CHECKING}),
    FlowState.CARD_ERROR: frozenset({FlowState.READING}),
    FlowState.CHECKING: frozenset({FlowState.ADVICE, FlowState.CHECK_ERROR}),
    FlowState.ADVICE: frozenset({FlowState.CONFIRMING, FlowState.CHECKING}),
    FlowState.CONFIRMING: frozenset({FlowState.CONFIRMED, FlowState.ADVICE}),
    FlowState.CONFIRMED: frozenset(),
    FlowState.CHECK_ERROR: frozenset({FlowState.CHECKING}),
}


class FlowError(RuntimeError):
    """A transition the flow does not allow (a programming error, never user input)."""


@dataclass
class Flow:
    """Current state plus the session counter that makes stale answers harmless."""

    state: FlowState = FlowState.IDLE
    session: int = 0
    history: list[FlowState] = field(default_factory=list)

    def new_session(self, first: FlowState) -> int:
        """Start over for a new citizen (card inserted or manual entry) and return its number."""
        self.session += 1
        self.state = FlowState.IDLE
        self.history.clear()
        self.go(first)
        return self.session

    def go(self, target: FlowState) -> None:
        if target is FlowState.IDLE or target in _ALLOWED[self.state]:
            self.history.append(self.state)
            self.state = target
            return
        raise FlowError(f"cannot go from {self.state} to {target}")

    def end_session(self) -> None:
        """Card removed or flow abandoned: later answers for this session are ignored."""
        self.session += 1
        self.go(FlowState.IDLE)

    def accepts(self, session: int, *states: FlowState) -> bool:
        """Is an answer for ``session`` still wanted in the current state?"""
        return session == self.session and (not states or self.state in states)

    @property
    def busy(self) -> bool:
        return self.state in {FlowState.READING, FlowState.CHECKING, FlowState.CONFIRMING}
