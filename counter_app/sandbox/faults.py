"""Fault injection for the sandbox: how each emulated source misbehaves, changeable at run time.

Tests and benchmarks need slow, failing, hanging and lying sources on demand to
prove that the check service degrades to "check manually" instead of hanging or
guessing. The settings are a frozen model per source; the switch holding the
current settings is the only mutable part.
"""

from __future__ import annotations

import asyncio
import random
import threading

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from rules.facts import SourceId


class SourceFaults(BaseModel):
    """Misbehaviour of one source. All off by default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    latency_ms: float = Field(default=0.0, ge=0)  # fixed delay, or lower bound when max is set
    latency_max_ms: float | None = Field(default=None, ge=0)  # uniform in [latency_ms, max]
    error_rate: float = Field(default=0.0, ge=0, le=1)  # share of requests answered HTTP 503
    hang: bool = False  # never answer (until the client gives up)
    malformed: bool = False  # answer cut in the middle: not well-formed XML/JSON
    http_500: bool = False  # every request answered HTTP 500
    magda_busy: bool = False  # MAGDA only: Uitzondering 99995 "too many simultaneous requests"
    rate_limited: bool = False  # HTTP APIs: 429 Too Many Requests

    def delay_seconds(self, rng: random.Random) -> float:
        if self.latency_max_ms is not None and self.latency_max_ms > self.latency_ms:
            return rng.uniform(self.latency_ms, self.latency_max_ms) / 1000
        return self.latency_ms / 1000


class SandboxFaults(BaseModel):
    """Faults per source (names are rules.facts.SourceId values)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    national_register: SourceFaults = SourceFaults()
    social_statutes: SourceFaults = SourceFaults()
    disability_file: SourceFaults = SourceFaults()
    ocmw_list: SourceFaults = SourceFaults()
    uitpas: SourceFaults = SourceFaults()

    def for_source(self, source: SourceId) -> SourceFaults:
        value = getattr(self, source.value, None)
        return value if isinstance(value, SourceFaults) else SourceFaults()

    @classmethod
    def only(cls, source: SourceId, faults: SourceFaults) -> SandboxFaults:
        """All sources healthy except ``source``."""
        return cls.model_validate({source.value: faults})


HANG_SECONDS = 3600.0
HANG_POLL_SECONDS = 0.05


class FaultSwitch:
    """Holds the current faults; set from tests, benchmarks or the admin endpoint."""

    def __init__(self, faults: SandboxFaults | None = None, seed: int | None = None) -> None:
        self._faults = faults or SandboxFaults()
        self._lock = threading.Lock()
        self.rng = random.Random(seed)

    @property
    def current(self) -> SandboxFaults:
        with self._lock:
            return self._faults

    def set(self, faults: SandboxFaults) -> None:
        with self._lock:
            self._faults = faults

    async def delay(self, faults: SourceFaults, request: Request | None = None) -> None:
        """Apply latency, and hang when asked until the client hangs up (its timeout)."""
        seconds = faults.delay_seconds(self.rng)
        if seconds > 0:
            await asyncio.sleep(seconds)
        if faults.hang:
            deadline = asyncio.get_running_loop().time() + HANG_SECONDS
            while asyncio.get_running_loop().time() < deadline:
                if request is not None and await request.is_disconnected():
                    return
                await asyncio.sleep(HANG_POLL_SECONDS)

    def random_error(self, faults: SourceFaults) -> bool:
        return faults.error_rate > 0 and self.rng.random() < faults.error_rate
