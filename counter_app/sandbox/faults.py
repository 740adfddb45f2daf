"""Fault injection for the sandbox: how each emulated source misbehaves, changeable at run time.

Tests and benchmarks need slow, failing, hanging and lying sources on demand to
prove that the check service degrades to "check manually" instead of hanging or
guessing. The settings are a frozen model per source (defined with the
configuration, ``[sandbox.faults.<source>]``, so they are checked when it loads);
the switch holding the current settings is the only mutable part.
"""

from __future__ import annotations

import asyncio
import random
import threading

from starlette.requests import Request

from counter_app.config import SandboxFaults, SourceFaults

__all__ = ["FaultSwitch", "SandboxFaults", "SourceFaults"]


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
