"""Misbehaviour a simulated card can be told to show, so the reader's recovery paths run.

Real counters meet cards pulled out mid-read, flaky readers that answer a
spurious ``6B 00`` halfway through a file, slow old cards and T=0 cards that
insist on ``61 xx`` / ``6C xx``. A ``FaultPlan`` is declarative (it can sit in a
card profile's YAML or be passed per card instance); ``FaultState`` is the
per-card counter that decides when each fault fires.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FaultPlan(BaseModel):
    """Which faults a card shows. All off by default: a plain, well-behaved card."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    remove_after_apdus: int | None = Field(default=None, ge=0)
    """The card is pulled out once this many APDUs were answered (the next one fails).
    Fires once per card: put back, it reads to the end."""

    spurious_read_error_at: int | None = Field(default=None, ge=1)
    """The k-th READ BINARY at a non-zero offset (mid-file) fails once with ``spurious_sw``."""

    spurious_sw: int = 0x6B00
    """The status word of the spurious failure: 6B00 (eid-mw's case) or 6986."""

    delay_per_apdu: float = Field(default=0.0, ge=0.0, le=5.0)
    """Seconds the card 'thinks' before each answer (old or slow cards)."""

    end_of_file: Literal["6c", "short"] = "6c"
    """Asking past the end of a file: ``6C xx`` with the right length (T=0 cards), or a
    shorter answer with ``90 00`` (what some drivers turn it into)."""

    t0_get_response: bool = False
    """Answer commands that return data with ``61 xx`` and hand the data out through
    GET RESPONSE, as T=0 cards do for case-4 commands."""


class FaultState:
    """Counts APDUs and READ BINARYs of one card instance against its plan."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.apdus_answered = 0
        self.mid_file_reads = 0
        self.spurious_fired = False
        self.removal_fired = False

    def removal_due(self) -> bool:
        """True once, when the card must vanish: a re-inserted card then reads normally."""
        limit = self.plan.remove_after_apdus
        if self.removal_fired or limit is None or self.apdus_answered < limit:
            return False
        self.removal_fired = True
        return True

    def spurious_read_sw(self, offset: int) -> int | None:
        """The status word to fail this READ BINARY with, or None to answer normally."""
        if offset == 0 or self.plan.spurious_read_error_at is None:
            return None
        self.mid_file_reads += 1
        if not self.spurious_fired and self.mid_file_reads == self.plan.spurious_read_error_at:
            self.spurious_fired = True
            return self.plan.spurious_sw
        return None
