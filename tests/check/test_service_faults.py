"""Sources misbehaving over real HTTP: each source in turn down, slow, malformed, 500, busy.

A real uvicorn sandbox on 127.0.0.1 serves the MAGDA-Mock personas plus a small
OCMW list and UiTPAS data written here. The affected rights must say "check
manually" with the reason, the other rights must still be decided, retries happen
only on transient errors, the circuit breaker opens and recovers, the deadline
holds and cancellation leaves nothing running.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from counter_app.check import CheckOutcome, CheckService, Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings, SourceSettings
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sandbox.personas import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from counter_app.sandbox.server import RunningSandbox, running_sandbox
from counter_app.sources.base import CallStatus
from counter_app.sources.magda_handicap import GeefDossierHandicapAdapter
from counter_app.sources.magda_persoon import GeefPersoonAdapter
from counter_app.sources.magda_statuten import GeefSociaalStatuutAdapter
from counter_app.sources.ocmw import OcmwHttpAdapter
from counter_app.sources.uitpas import UitpasClient
from rules import FactStatus, Outcome, SourceId
from tests.check.conftest import make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

ON = dt.date(2026, 3, 1)
U, F, R = "uitpas-kansentarief", "lez-vrijstelling-handicap", "lez-verminderd-tarief"
E, N, M = Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.CHECK_MANUALLY

# 00683042157 lives in Gent, has no statute, but is in budget management at the OCMW.
OCMW_CSV = "insz,kind,start,end\n00683042157,budgetbeheer,2025-01-01,\n"
UITPAS_YAML = """
passholders:
  "86710585636":
    id: ph-86710585636
    memberships:
      - card_system_id: 1
        social_tariff: {status: ACTIVE, end_date: 2026-04-30, in_grace_period: false}
"""

# Per source: a persona whose outcomes show the source's effect, healthy outcomes (U, F, R)
# and outcomes with that source failing.
CASES: dict[SourceId, tuple[str, tuple[Outcome, ...], tuple[Outcome, ...]]] = {
    SourceId.NATIONAL_REGISTER: ("86710585636", (E, N, N), (M, N, N)),
    SourceId.SOCIAL_STATUTES: ("86710585636", (E, N, N), (M, N, M)),
    SourceId.DISABILITY_FILE: ("88681575651", (E, M, N), (E, M, N)),
    SourceId.OCMW_LIST: ("00683042157", (E, N, N), (M, N, N)),
    SourceId.UITPAS: ("86710585636", (E, N, N), (E, N, N)),
}
MAGDA = (SourceId.NATIONAL_REGISTER, SourceId.SOCIAL_STATUTES, SourceId.DISABILITY_FILE)

FAULTS: dict[str, SourceFaults] = {
    "slow": SourceFaults(latency_ms=1500),
    "malformed": SourceFaults(malformed=True),
    "http_500": SourceFaults(http_500=True),
    "busy_99995": SourceFaults(magda_busy=True),
    "rate_limited": SourceFaults(rate_limited=True),
}
TRANSIENT = {"down", "slow", "http_500", "busy_99995", "rate_limited"}


@pytest.fixture(scope="module")
def personas(tmp_path_factory: pytest.TempPathFactory, personas_dir: Path) -> Path:
    """The MAGDA-Mock answers (linked, not copied) plus an OCMW list and UiTPAS data."""
    root = tmp_path_factory.mktemp("personas")
    for domain in ("Persoon", "SocZek"):
        (root / domain).symlink_to(personas_dir / domain, target_is_directory=True)
    (root / "ocmw.csv").write_text(OCMW_CSV, encoding="utf-8")
    (root / "uitpas.yaml").write_text(UITPAS_YAML, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(personas: Path) -> Iterator[RunningSandbox]:
    with running_sandbox(personas) as sandbox:
        yield sandbox


@pytest.fixture
def live(server: RunningSandbox) -> Iterator[RunningSandbox]:
    server.faults.set(SandboxFaults())
    yield server
    server.faults.set(SandboxFaults())


def dead_url() -> str:
    """A local port nobody listens on: connection refused, like a source that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def put_down(service: CheckService, source: SourceId) -> None:
    """Point one source at a dead port (a real connection refusal, no mock)."""
    client = httpx.AsyncClient(timeout=2.0)
    base = dead_url()
    org = service.settings.magda.organisation
    if source is SourceId.UITPAS:
        service.uitpas = UitpasClient(
            client,
            base_url=base,
            client_id=SANDBOX_CLIENT_ID,
            client_secret=SANDBOX_CLIENT_SECRET,
            owns_client=True,
        )
        return
    adapter_types = {
        SourceId.NATIONAL_REGISTER: GeefPersoonAdapter,
        SourceId.SOCIAL_STATUTES: GeefSociaalStatuutAdapter,
        SourceId.DISABILITY_FILE: GeefDossierHandicapAdapter,
    }
    if source is SourceId.OCMW_LIST:
        service.adapters[source] = OcmwHttpAdapter(client, base_url=base, owns_client=True)
    else:
        kind = adapter_types[source]
        service.adapters[source] = kind(
            client, url=base + kind.service.default_path, organisation_id=org, owns_client=True
        )


@contextlib.asynccontextmanager
async def service_for(
    live: RunningSandbox, settings: Settings | None = None
) -> AsyncIterator[CheckService]:
    async with open_check_service(
        settings or make_settings(timeout_s=0.3, retries=1), sources_url=live.url
    ) as service:
        yield service
        await service.aclose()  # also closes adapters swapped in by put_down


def outcomes(outcome: CheckOutcome) -> tuple[Outcome, ...]:
    return tuple(outcome.right(r).outcome for r in (U, F, R))


def fault_cases() -> list[tuple[SourceId, str]]:
    cases = []
    for source in CASES:
        for fault in ("down", *FAULTS):
            if fault == "busy_99995" and source not in MAGDA:
                continue
            if fault == "rate_limited" and source in MAGDA:
                continue
            cases.append((source, fault))
    return cases


async def test_healthy_outcomes_of_the_fault_personas(live: RunningSandbox) -> None:
    async with service_for(live) as service:
        for insz, healthy, _failing in CASES.values():
            outcome = await service.run(Subject(insz=insz, entry="manual"), ON)
            assert outcomes(outcome) == healthy, insz
            assert all(c.status is CallStatus.OK for c in outcome.calls)


@pytest.mark.parametrize(("source", "fault"), fault_cases())
async def test_one_source_failing(live: RunningSandbox, source: SourceId, fault: str) -> None:
    insz, _healthy, failing = CASES[source]
    # a tight timeout for the failing source only: the healthy ones keep a generous one,
    # so a busy test machine cannot make them fail too
    tight = SourceSettings(timeout_s=0.3, retries=1, breaker_threshold=50)
    settings = make_settings(timeout_s=3.0, retries=1, per_source={source.value: tight})
    async with service_for(live, settings) as service:
        if fault == "down":
            put_down(service, source)
        else:
            live.faults.set(SandboxFaults.only(source, FAULTS[fault]))
        t0 = time.monotonic()
        outcome = await service.run(Subject(insz=insz, entry="manual"), ON)
        elapsed = time.monotonic() - t0

    assert outcomes(outcome) == failing
    # timeouts bound the wait: never the slow source's 1.5 s, never an endless hang
    assert elapsed < (1.4 if fault == "slow" else 4.0)
    mine = [c for c in outcome.calls if c.source is source]
    others = [c for c in outcome.calls if c.source is not source]
    assert mine and all(c.status in (CallStatus.ERROR, CallStatus.TIMEOUT) for c in mine)
    assert all(c.status is CallStatus.OK for c in others)
    assert all(c.error for c in mine)

    if source is SourceId.UITPAS:
        right = outcome.right(U)
        assert right.uitpas is not None and not right.uitpas.available
        assert "UiTPAS" in right.notes[0].en
        status_calls = [c for c in mine if c.service == "passholder-status"]
        if fault != "slow":  # slow: the whole UiTPAS budget ran out during the first attempt
            expected = 2 if fault in TRANSIENT else 1
            assert [c.attempts for c in status_calls] == list(range(1, expected + 1))
        return
    # retries only on transient errors, bounded by the setting (1 retry = 2 attempts)
    attempts_per_purpose = {c.purpose: c.attempts for c in mine}
    expected_attempts = 2 if fault in TRANSIENT else 1
    assert set(attempts_per_purpose.values()) == {expected_attempts}
    # the rights that used the source say why they cannot decide
    for right in outcome.rights:
        failed_facts = [
            m
            for m in right.advice.missing
            if m.source is source and m.status is FactStatus.SOURCE_ERROR
        ]
        if right.outcome is Outcome.CHECK_MANUALLY and failed_facts:
            assert all(m.reason for m in failed_facts)
    assert (
        any(
            m.source is source and m.status is FactStatus.SOURCE_ERROR
            for r in outcome.rights
            if r.outcome is Outcome.CHECK_MANUALLY
            for m in r.advice.missing
        )
        or source is SourceId.DISABILITY_FILE
    )  # F is already open on the declarations


async def test_disability_failure_is_named_in_the_open_lez_advice(live: RunningSandbox) -> None:
    live.faults.set(SandboxFaults.only(SourceId.DISABILITY_FILE, SourceFaults(http_500=True)))
    async with service_for(live) as service:
        outcome = await service.run(Subject(insz="88681575651", entry="manual"), ON)
    missing = outcome.right(F).advice.missing
    card = [m for m in missing if m.name == "parking_card"]
    assert card and card[0].status is FactStatus.SOURCE_ERROR
    assert "GeefDossierHandicap" in card[0].reason and "fault" in card[0].reason


async def test_active_social_tariff_is_mentioned(live: RunningSandbox) -> None:
    async with service_for(live) as service:
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
    right = outcome.right(U)
    assert right.uitpas is not None and right.uitpas.active_social_tariff
    assert right.uitpas.social_tariff_end == dt.date(2026, 4, 30)
    assert any("active social tariff" in n.en for n in right.notes)


async def test_circuit_breaker_opens_and_recovers(live: RunningSandbox) -> None:
    settings = make_settings(timeout_s=3.0, retries=0, breaker_threshold=2, breaker_cooldown_s=0.5)
    subject = Subject(insz="86710585636", entry="manual")
    live.faults.set(SandboxFaults.only(SourceId.SOCIAL_STATUTES, SourceFaults(http_500=True)))
    async with service_for(live, settings) as service:
        for _ in range(2):
            failed = await service.run(subject, ON)
            assert [c.status for c in failed.calls if c.source is SourceId.SOCIAL_STATUTES] == [
                CallStatus.ERROR
            ]
        blocked = await service.run(subject, ON)
        statute_calls = [c for c in blocked.calls if c.source is SourceId.SOCIAL_STATUTES]
        assert [c.status for c in statute_calls] == [CallStatus.CIRCUIT_OPEN]
        assert statute_calls[0].attempts == 0  # not asked at all
        assert outcomes(blocked) == (M, N, M)
        assert "circuit" in blocked.right(U).advice.missing[0].reason.lower() or any(
            "circuit" in m.reason for m in blocked.right(U).advice.missing
        )
        live.faults.set(SandboxFaults())
        await asyncio.sleep(0.6)  # cooldown: the next check is the half-open trial
        recovered = await service.run(subject, ON)
        assert all(c.status is CallStatus.OK for c in recovered.calls)
        assert outcomes(recovered) == (E, N, N)


async def test_the_deadline_ends_the_whole_check(live: RunningSandbox) -> None:
    settings = make_settings(timeout_s=5.0, retries=2, deadline_s=1.0)
    live.faults.set(SandboxFaults.only(SourceId.SOCIAL_STATUTES, SourceFaults(hang=True)))
    async with service_for(live, settings) as service:
        t0 = time.monotonic()
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        elapsed = time.monotonic() - t0
    assert elapsed < 2.0  # the hanging source would hold the check for an hour
    statute_calls = [c for c in outcome.calls if c.source is SourceId.SOCIAL_STATUTES]
    assert statute_calls[-1].status is CallStatus.TIMEOUT
    assert "deadline" in statute_calls[-1].error
    assert outcomes(outcome) == (M, N, M)


async def test_cancellation_is_clean(live: RunningSandbox) -> None:
    live.faults.set(
        SandboxFaults(
            national_register=SourceFaults(hang=True),
            social_statutes=SourceFaults(hang=True),
        )
    )
    before = asyncio.all_tasks()
    async with service_for(live, make_settings(timeout_s=10, deadline_s=20)) as service:
        task = asyncio.create_task(service.run(Subject(insz="86710585636", entry="manual"), ON))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        leftover = asyncio.all_tasks() - before - {asyncio.current_task()}
        assert not [t for t in leftover if not t.done()]
        live.faults.set(SandboxFaults())
        # the same service still works after a cancelled check (no stuck breaker trial)
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        assert outcomes(outcome) == (E, N, N)
