"""Circuit breaker and retry policy, on a controllable clock and scripted answers.

These are unit tests of the policy itself (how many attempts, when the circuit
opens and recovers); the same behaviour through the real sandbox over HTTP is in
test_service_faults.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from counter_app.check.resilience import (
    AttemptPolicy,
    BreakerState,
    CircuitBreaker,
    ask_with_retries,
)
from counter_app.sources.base import CallStatus, SourceAnswer, SourceCall, WantedFact
from rules.facts import Fact, FactStatus, SourceId

pytestmark = pytest.mark.anyio

SOURCE = SourceId.SOCIAL_STATUTES
WANTED = (WantedFact(name="vt_own", key="BIM_BVT"),)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answer(status: CallStatus, *, transient: bool = False) -> SourceAnswer:
    ok = status is CallStatus.OK
    fact = (
        Fact.known("vt_own", (), SOURCE)
        if ok
        else Fact.error("vt_own", SOURCE, "the source failed")
    )
    call = SourceCall(
        source=SOURCE,
        service="GeefSociaalStatuut",
        version="03.00.0000",
        reference="ref",
        purpose="ipdc1",
        started_at=dt.datetime.now(dt.UTC),
        duration_ms=1.0,
        status=status,
        error="" if ok else "failed",
        transient=transient,
    )
    return SourceAnswer(facts=(fact,), calls=(call,))


class Script:
    """Answers in order; counts how often it was asked."""

    def __init__(self, *answers: SourceAnswer, delay: float = 0.0) -> None:
        self.answers = list(answers)
        self.asked = 0
        self.delay = delay

    async def __call__(self) -> SourceAnswer:
        self.asked += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        return self.answers[min(self.asked, len(self.answers)) - 1]


POLICY = AttemptPolicy(
    timeout_s=1.0, retries=2, wait_initial_s=0.001, wait_max_s=0.002, wait_jitter_s=0.001
)


async def ask(
    script: Script,
    breaker: CircuitBreaker,
    *,
    policy: AttemptPolicy = POLICY,
    deadline_s: float = 5.0,
) -> SourceAnswer:
    return await ask_with_retries(
        script,
        source=SOURCE,
        purpose="ipdc1",
        wanted=WANTED,
        policy=policy,
        breaker=breaker,
        deadline=time.monotonic() + deadline_s,
    )


def test_breaker_opens_after_threshold_and_recovers_after_cooldown() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=30, clock=clock)
    for _ in range(2):
        breaker.record_failure()
        assert breaker.state is BreakerState.CLOSED and breaker.allow()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()  # the one trial
    assert not breaker.allow()  # nobody else while the trial runs
    breaker.record_failure()  # trial failed: open again, full cooldown
    assert breaker.state is BreakerState.OPEN
    clock.now += 30
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.failures == 0


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=30, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


async def test_transient_errors_are_retried_until_success() -> None:
    script = Script(answer(CallStatus.ERROR, transient=True), answer(CallStatus.OK))
    result = await ask(script, CircuitBreaker(threshold=5, cooldown_s=30))
    assert script.asked == 2
    assert [c.attempts for c in result.calls] == [1, 2]  # both requests are kept for the log
    assert result.facts[0].status is FactStatus.KNOWN


async def test_permanent_errors_are_not_retried() -> None:
    script = Script(answer(CallStatus.ERROR, transient=False), answer(CallStatus.OK))
    result = await ask(script, CircuitBreaker(threshold=5, cooldown_s=30))
    assert script.asked == 1
    assert result.facts[0].status is FactStatus.SOURCE_ERROR


async def test_retries_are_bounded() -> None:
    script = Script(answer(CallStatus.ERROR, transient=True))
    result = await ask(script, CircuitBreaker(threshold=10, cooldown_s=30))
    assert script.asked == POLICY.retries + 1
    assert len(result.calls) == 3
    assert result.facts[0].status is FactStatus.SOURCE_ERROR


async def test_an_attempt_past_its_timeout_is_a_transient_timeout() -> None:
    script = Script(answer(CallStatus.OK), delay=0.3)
    policy = AttemptPolicy(
        timeout_s=0.05, retries=1, wait_initial_s=0.001, wait_max_s=0.001, wait_jitter_s=0
    )
    result = await ask(script, CircuitBreaker(threshold=10, cooldown_s=30), policy=policy)
    assert script.asked == 2
    assert all(c.status is CallStatus.TIMEOUT for c in result.calls)
    assert "timeout" in result.facts[0].reason


async def test_the_deadline_stops_retries() -> None:
    script = Script(answer(CallStatus.OK), delay=1.0)
    policy = AttemptPolicy(timeout_s=5, retries=3)
    t0 = time.monotonic()
    result = await ask(
        script, CircuitBreaker(threshold=10, cooldown_s=30), policy=policy, deadline_s=0.2
    )
    assert time.monotonic() - t0 < 0.9  # not the 1 s the source takes, let alone 4 tries
    assert result.facts[0].status is FactStatus.SOURCE_ERROR
    assert "deadline" in result.facts[0].reason


async def test_open_circuit_does_not_ask_and_says_why() -> None:
    breaker = CircuitBreaker(threshold=1, cooldown_s=30)
    breaker.record_failure()
    script = Script(answer(CallStatus.OK))
    result = await ask(script, breaker)
    assert script.asked == 0
    assert result.calls[0].status is CallStatus.CIRCUIT_OPEN
    assert "circuit open" in result.facts[0].reason


async def test_one_request_is_one_failure_whatever_its_retries() -> None:
    """Three attempts of one request do not open a breaker of threshold 3 (they did)."""
    script = Script(answer(CallStatus.ERROR, transient=True))
    breaker = CircuitBreaker(threshold=3, cooldown_s=30)
    await ask(script, breaker)
    assert script.asked == 3  # its own retries were all made
    assert breaker.failures == 1 and breaker.state is BreakerState.CLOSED
    await ask(script, breaker)
    await ask(script, breaker)
    assert breaker.state is BreakerState.OPEN  # three failed requests in a row


async def test_a_retried_success_is_one_success() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=30)
    breaker.record_failure()
    script = Script(answer(CallStatus.ERROR, transient=True), answer(CallStatus.OK))
    result = await ask(script, breaker)
    assert script.asked == 2 and result.facts[0].status is FactStatus.KNOWN
    assert breaker.failures == 0 and breaker.state is BreakerState.CLOSED


async def test_retries_stop_once_other_requests_open_the_circuit() -> None:
    breaker = CircuitBreaker(threshold=1, cooldown_s=30)
    failing = answer(CallStatus.ERROR, transient=True)

    class Sibling(Script):
        async def __call__(self) -> SourceAnswer:
            breaker.record_failure()  # another citizen's request failed meanwhile
            return await super().__call__()

    script = Sibling(failing)
    await ask(script, breaker)
    assert script.asked == 1
    assert breaker.state is BreakerState.OPEN


async def test_cancellation_propagates_and_frees_the_half_open_trial() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=1, clock=clock)
    breaker.record_failure()
    clock.now += 2
    script = Script(answer(CallStatus.OK), delay=5)
    task = asyncio.ensure_future(ask(script, breaker))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.allow()  # the next caller may make the trial
