"""The circuit breaker counts failed requests (after their retries), per source and purpose.

Through a real uvicorn sandbox (the project's own personas): a short MAGDA 99995
burst during one citizen's check must not open the circuit for the next citizen
once the source is healthy again, and one purpose's failures must not cut another
purpose's retries short. Only requests that failed after all their retries, in a
row, open it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest

from counter_app.check import CheckOutcome, Subject
from counter_app.check.runner import open_check_service
from counter_app.config import SourceSettings
from counter_app.sandbox.app import default_personas_dir
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sandbox.server import RunningSandbox, running_sandbox
from counter_app.sources.base import CallStatus
from rules import SourceId
from tests.check.conftest import make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

ON = dt.date(2026, 2, 1)
SUBJECT = Subject(insz="86710585636", entry="manual")  # Gent, living wage
STATUTES = SourceId.SOCIAL_STATUTES
BUSY = SandboxFaults.only(STATUTES, SourceFaults(magda_busy=True))
PER_RIGHT = {
    "lez-verminderd-tarief": "ipdcLEZ",
    "lez-vrijstelling-handicap": "ipdcHANDI",
    "uitpas-kansentarief": "ipdcUIT",
}


@pytest.fixture(scope="module")
def server() -> Iterator[RunningSandbox]:
    logging.getLogger("stamina").setLevel(logging.ERROR)
    with running_sandbox(default_personas_dir()) as sandbox:
        yield sandbox


@pytest.fixture
def live(server: RunningSandbox) -> Iterator[RunningSandbox]:
    server.faults.set(SandboxFaults())
    yield server
    server.faults.set(SandboxFaults())


def statute_calls(outcome: CheckOutcome) -> list[tuple[str, int, CallStatus]]:
    return [(c.purpose, c.attempts, c.status) for c in outcome.calls if c.source is STATUTES]


def the_defaults() -> SourceSettings:
    """The shipped retries and threshold (2 and 3), with a short per-attempt timeout."""
    shipped = SourceSettings()
    assert (shipped.retries, shipped.breaker_threshold) == (2, 3)
    return SourceSettings(timeout_s=2.0)


async def test_one_burst_in_one_check_does_not_block_the_next_citizen(
    live: RunningSandbox,
) -> None:
    settings = make_settings(per_source={"social_statutes": the_defaults()})
    async with open_check_service(settings, sources_url=live.url) as service:
        live.faults.set(BUSY)
        first = await service.run(SUBJECT, ON)
        calls = statute_calls(first)
        assert [a for _, a, _ in calls] == [1, 2, 3]  # every retry was made
        assert {s for _, _, s in calls} == {CallStatus.ERROR}
        live.faults.set(SandboxFaults())  # the burst is over
        second = await service.run(SUBJECT, ON)
    assert [s for _, _, s in statute_calls(second)] == [CallStatus.OK]
    assert second.right("uitpas-kansentarief").outcome.value == "eligible"


async def test_one_purposes_failures_do_not_cut_anothers_retries(live: RunningSandbox) -> None:
    shipped = the_defaults()
    settings = make_settings(
        per_source={name: shipped for name in ("social_statutes",)},
        magda={"purposes": PER_RIGHT},
    )
    live.faults.set(BUSY)
    async with open_check_service(settings, sources_url=live.url) as service:
        outcome = await service.run(SUBJECT, ON)
    attempts: dict[str, list[int]] = {}
    for purpose, attempt, status in statute_calls(outcome):
        assert status is CallStatus.ERROR
        attempts.setdefault(purpose, []).append(attempt)
    # every purpose asked for statutes got its three attempts, whatever the others did
    assert attempts and all(sorted(a) == [1, 2, 3] for a in attempts.values()), attempts


async def test_failed_requests_in_a_row_open_the_circuit_for_that_purpose(
    live: RunningSandbox,
) -> None:
    tight = SourceSettings(timeout_s=2.0, retries=2, breaker_threshold=2, breaker_cooldown_s=30)
    settings = make_settings(per_source={"social_statutes": tight})
    live.faults.set(SandboxFaults.only(STATUTES, SourceFaults(http_500=True)))
    async with open_check_service(settings, sources_url=live.url) as service:
        for _ in range(2):  # two failed requests (three attempts each) ...
            failed = await service.run(SUBJECT, ON)
            assert [a for _, a, _ in statute_calls(failed)] == [1, 2, 3]
        live.faults.set(SandboxFaults())
        blocked = await service.run(SUBJECT, ON)  # ... open it, healthy or not
    assert [(a, s) for _, a, s in statute_calls(blocked)] == [(0, CallStatus.CIRCUIT_OPEN)]
