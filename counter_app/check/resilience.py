"""Patience with sources: per-attempt timeouts, bounded retries, a circuit breaker per source.

Why here and not in the adapters: an adapter knows *what* went wrong (it classifies
an error as transient or not) but not *how much time the check has left*, nor how
the same source fared for the previous citizen. The check service owns both, so it
decides whether to try again (only transient errors of idempotent reads, with
jittered backoff via stamina) and whether to ask at all (circuit open: a source that
just failed N times in a row is not hammered while a citizen waits).

The breaker counts *requests*, not attempts: a request that failed after all its
retries is one failure. Counting attempts would let one short burst (MAGDA's 99995
for two seconds) inside one citizen's check open the circuit for the next citizens,
while the source is healthy again; and a request's own retries must never be cut
short by its own earlier attempts. The service keeps one breaker per source and
purpose, so one purpose's failures (e.g. an authorisation refused for that
Hoedanigheid) do not stop another purpose's requests or retries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import stamina

from counter_app.config import SourceSettings
from counter_app.sources.base import CallStatus, SourceAnswer, SourceCall, WantedFact
from counter_app.sources.errors import is_transient
from rules.facts import Fact, SourceId

Clock = Callable[[], float]

_FAILED = {CallStatus.ERROR, CallStatus.TIMEOUT}


class BreakerState(StrEnum):
    CLOSED = "closed"  # asking normally
    OPEN = "open"  # not asking: too many failures just now
    HALF_OPEN = "half_open"  # cooldown passed: one trial request decides


@dataclass
class CircuitBreaker:
    """Opens after ``threshold`` failed requests in a row; after ``cooldown_s`` lets one trial
    through. One request (with all its retries) is one failure or one success."""

    threshold: int
    cooldown_s: float
    clock: Clock = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    _trial_running: bool = field(default=False, repr=False)

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at >= self.cooldown_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May we ask now? In half-open state only one caller gets the trial."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        self.failures += 1
        if self._trial_running or self.failures >= self.threshold:
            self.opened_at = self.clock()
        self._trial_running = False

    def release_trial(self) -> None:
        """The trial was cancelled without an answer: let the next caller try."""
        self._trial_running = False


def answer_failed(answer: SourceAnswer) -> bool:
    return any(call.status in _FAILED for call in answer.calls)


def answer_transient(answer: SourceAnswer) -> bool:
    """Worth another try: every failed call failed in a way that may pass (busy, timeout, 5xx)."""
    failed = [c for c in answer.calls if c.status in _FAILED]
    return bool(failed) and all(is_transient(c) for c in failed)


def synthetic_answer(
    source: SourceId,
    purpose: str,
    wanted: Sequence[WantedFact],
    status: CallStatus,
    reason: str,
    *,
    started_at: dt.datetime,
    duration_ms: float,
    attempts: int,
) -> SourceAnswer:
    """An answer for a request the adapter could not finish (our timeout, deadline, open circuit).

    The facts are SOURCE_ERROR with the reason, so the rules say "check manually";
    the call record keeps our own request id since no Referte came back.
    """
    reference = f"loket-{uuid.uuid4()}"
    facts = tuple(Fact.error(w.name, source, reason, reference=reference) for w in wanted)
    call = SourceCall(
        source=source,
        service=source.value,
        version="",
        reference=reference,
        purpose=purpose,
        started_at=started_at,
        duration_ms=duration_ms,
        status=status,
        attempts=attempts,
        error=reason,
    )
    return SourceAnswer(facts=facts, calls=(call,))


class _TransientFailure(Exception):
    def __init__(self, answer: SourceAnswer) -> None:
        super().__init__("transient source failure")
        self.answer = answer


@dataclass(frozen=True)
class AttemptPolicy:
    """How one source is asked within one check."""

    timeout_s: float
    retries: int
    wait_initial_s: float = 0.05
    wait_max_s: float = 0.5
    wait_jitter_s: float = 0.1

    @classmethod
    def from_settings(cls, settings: SourceSettings) -> AttemptPolicy:
        return cls(timeout_s=settings.timeout_s, retries=settings.retries)


async def ask_with_retries(
    fetch: Callable[[], Awaitable[SourceAnswer]],
    *,
    source: SourceId,
    purpose: str,
    wanted: Sequence[WantedFact],
    policy: AttemptPolicy,
    breaker: CircuitBreaker,
    deadline: float,
    clock: Clock = time.monotonic,
) -> SourceAnswer:
    """Ask one source for one purpose; always returns an answer (never raises but CancelledError).

    ``deadline`` is on ``clock``'s scale: the check's end, which no attempt may pass.
    Every request actually made is kept in the answer's calls (each had its own Referte,
    and the log must show all of them); ``attempts`` numbers them.
    """
    started_at = dt.datetime.now(dt.UTC)
    t0 = clock()
    calls: list[SourceCall] = []
    attempt = 0

    def elapsed_ms() -> float:
        return (clock() - t0) * 1000

    if not breaker.allow():
        return synthetic_answer(
            source,
            purpose,
            wanted,
            CallStatus.CIRCUIT_OPEN,
            "not asked: the source failed several times just before (circuit open)",
            started_at=started_at,
            duration_ms=0.0,
            attempts=0,
        )

    async def one_attempt() -> SourceAnswer:
        nonlocal attempt
        attempt += 1
        remaining = deadline - clock()
        if remaining <= 0:
            raise TimeoutError
        budget = min(policy.timeout_s, remaining)
        attempt_start = dt.datetime.now(dt.UTC)
        a0 = clock()
        try:
            async with asyncio.timeout(budget):
                answer = await fetch()
        except TimeoutError:
            by_deadline = budget < policy.timeout_s
            reason = (
                "no answer before the check's deadline"
                if by_deadline
                else f"no answer within {policy.timeout_s:g} s (timeout)"
            )
            answer = synthetic_answer(
                source,
                purpose,
                wanted,
                CallStatus.TIMEOUT,
                reason,
                started_at=attempt_start,
                duration_ms=(clock() - a0) * 1000,
                attempts=attempt,
            )
        answer = SourceAnswer(
            facts=answer.facts,
            calls=tuple(c.model_copy(update={"attempts": attempt}) for c in answer.calls),
        )
        calls.extend(answer.calls)
        # Retry a transient failure unless the circuit was opened meanwhile by *other*
        # requests (this one records its outcome once, after its last attempt).
        if (
            answer_failed(answer)
            and answer_transient(answer)
            and breaker.state is not BreakerState.OPEN
        ):
            raise _TransientFailure(answer)
        return answer

    last: SourceAnswer | None = None
    try:
        retry_window = max(deadline - clock(), 0.001)
        async for try_ in stamina.retry_context(
            on=_TransientFailure,
            attempts=policy.retries + 1,
            timeout=retry_window,
            wait_initial=policy.wait_initial_s,
            wait_max=policy.wait_max_s,
            wait_jitter=policy.wait_jitter_s,
        ):
            with try_:
                last = await one_attempt()
    except _TransientFailure as failure:
        last = failure.answer
    except TimeoutError:
        last = None
    except asyncio.CancelledError:
        breaker.release_trial()
        raise
    if last is None or answer_failed(last):
        breaker.record_failure()
    else:
        breaker.record_success()
    if last is None:
        last = synthetic_answer(
            source,
            purpose,
            wanted,
            CallStatus.TIMEOUT,
            "no answer before the check's deadline",
            started_at=started_at,
            duration_ms=elapsed_ms(),
            attempts=attempt,
        )
        calls.extend(last.calls)
    return SourceAnswer(facts=last.facts, calls=tuple(calls))
