"""How a source failure is described, and whether trying again can help.

Adapters never raise for a failed consultation (they return SOURCE_ERROR facts),
but the check service must decide whether to retry. Only the adapter knows why a
call failed, so it records that judgement on the call (``SourceCall.transient``);
``is_transient`` is the single place the check service asks.
"""

from __future__ import annotations

from counter_app.sources.base import CallStatus, SourceCall


class SourceError(Exception):
    """A source could not give a usable answer; the message is plain words, no personal data."""

    def __init__(self, reason: str, *, transient: bool = False, call: SourceCall | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.call = call


class AnswerTooLarge(SourceError):
    """The answer exceeded the configured byte cap and was refused before parsing."""


class UnsafeAnswer(SourceError):
    """The answer carried a DTD/entities or was not well-formed: refused, never expanded."""


def is_transient(call: SourceCall) -> bool:
    """True when retrying this (idempotent) call may give a different result.

    Timeouts, connection failures, HTTP 5xx/429 and MAGDA 99995 ("too many
    simultaneous requests") are transient; an answer we understood (even "no
    data") or a refusal about the person (30003, 4xx) is not.
    """
    if call.status is CallStatus.OK or call.status is CallStatus.CIRCUIT_OPEN:
        return False
    return call.status is CallStatus.TIMEOUT or call.transient
