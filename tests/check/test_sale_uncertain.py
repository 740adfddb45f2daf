"""A UiTPAS registration whose answer is lost: logged, told "may have", found again.

Through a real uvicorn sandbox (the project's own personas and card deck) whose
UiTPAS emulation cuts, delays or fails the answer to ``POST /passholders`` *after*
storing the registration. The attempt must be logged with its request, the clerk
told the pass MAY exist, the POST never repeated automatically, and a second
confirmation that meets "already a passholder" must find the pass by looking the
person up and record the sale with its passholder id. Three paths: the service,
``counter-app check --decide`` and the window's backend (``ui.embedded``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_app.check import DecisionKind
from counter_app.check.runner import open_check_service, read_simulated_card, subject_from_reading
from counter_app.config import Settings, SourceSettings
from counter_app.exit_codes import EXIT_NOT_REGISTERED, EXIT_OK, EXIT_REGISTRATION_UNCERTAIN
from counter_app.journal.models import DecisionAction, EntryKind, StoredEntry
from counter_app.journal.store import open_journal
from counter_app.sandbox.app import default_personas_dir
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sandbox.server import RunningSandbox, running_sandbox
from counter_app.sources.base import CallStatus
from rules import FactStatus
from tests.check.cli_run import one_clean_line, run_counter_app
from tests.check.conftest import make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

ON = dt.date(2026, 3, 1)
RIGHT = "uitpas-kansentarief"
CARD = "be-bare-year-ec-18"  # Gent, living wage: eligible, not a passholder
CARD_INSZ = "86710585636"
PASSHOLDER_CARD = "leefloon-ec-18"  # a passholder already, before any attempt of ours
MALFORMED = SandboxFaults(uitpas=SourceFaults(malformed=True))


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    """A fresh server per test: registrations live in its memory."""
    logging.getLogger("stamina").setLevel(logging.ERROR)
    with running_sandbox(default_personas_dir()) as server:
        yield server


def registered(sandbox: RunningSandbox) -> dict[str, Any]:
    state: dict[str, Any] = sandbox.app.state.uitpas.registered
    return state


def posts_accepted(sandbox: RunningSandbox) -> int:
    return len(sandbox.app.state.uitpas.registrations)


@contextlib.asynccontextmanager
async def checked(
    sandbox: RunningSandbox, card: str = CARD, settings: Settings | None = None
) -> AsyncIterator[tuple[Any, Any]]:
    settings = settings or make_settings()
    subject = subject_from_reading(read_simulated_card(card, settings, ON))
    async with open_check_service(settings, sources_url=sandbox.url) as service:
        outcome = await service.run(subject, ON)
        yield service, outcome


async def sell(service: Any, outcome: Any) -> Any:
    end = outcome.right(RIGHT).advice.proposed_end_date
    return await service.confirm_sale(outcome, RIGHT, DecisionKind.OPPORTUNITY_TARIFF, end_date=end)


# -- the service ------------------------------------------------------------------------------


async def test_a_cut_answer_is_uncertain_and_the_second_confirmation_finds_the_pass(
    sandbox: RunningSandbox,
) -> None:
    async with checked(sandbox) as (service, outcome):
        sandbox.faults.set(MALFORMED)
        first = await sell(service, outcome)
        assert not first.registered and first.uncertain
        assert "MAY have gone through" in first.error
        assert [(c.service, c.status) for c in first.calls] == [
            ("register-passholder", CallStatus.ERROR)
        ]
        assert CARD_INSZ in registered(sandbox)  # UiTPAS did register it
        sandbox.faults.set(SandboxFaults())
        second = await sell(service, outcome)
    assert second.registered and second.recovered, second.error
    assert second.reference == registered(sandbox)[CARD_INSZ].id
    assert second.decision.registration_reference == second.reference
    assert [c.service for c in second.calls] == ["register-passholder", "passholder-status"]
    assert posts_accepted(sandbox) == 1  # one pass, never a second registration


async def test_no_answer_in_time_keeps_the_request_record(sandbox: RunningSandbox) -> None:
    patient = SourceSettings(timeout_s=0.5, retries=0, breaker_threshold=50)
    settings = make_settings(per_source={"uitpas": patient})
    async with checked(sandbox, settings=settings) as (service, outcome):
        sandbox.faults.set(SandboxFaults(uitpas=SourceFaults(latency_ms=900)))
        first = await sell(service, outcome)
        assert not first.registered and first.uncertain
        assert [(c.service, c.status) for c in first.calls] == [
            ("register-passholder", CallStatus.TIMEOUT)
        ]
        await asyncio.sleep(0.8)  # the server goes on and registers
        assert CARD_INSZ in registered(sandbox)
        sandbox.faults.set(SandboxFaults())
        second = await sell(service, outcome)
    assert second.recovered and second.reference == registered(sandbox)[CARD_INSZ].id


async def test_a_server_error_is_uncertain_and_nothing_is_re_sent(sandbox: RunningSandbox) -> None:
    async with checked(sandbox) as (service, outcome):
        sandbox.faults.set(SandboxFaults(uitpas=SourceFaults(http_500=True)))
        first = await sell(service, outcome)
        assert first.uncertain and not first.registered
        assert len(first.calls) == 1  # the one POST, not retried
        sandbox.faults.set(SandboxFaults())
        second = await sell(service, outcome)  # this emulation had not registered it
    assert second.registered and not second.recovered


async def test_already_a_passholder_without_an_attempt_of_ours_is_a_refusal(
    sandbox: RunningSandbox,
) -> None:
    async with checked(sandbox, card=PASSHOLDER_CARD) as (service, outcome):
        result = await sell(service, outcome)
    assert not result.registered and not result.uncertain and not result.recovered
    assert "already a UiTPAS passholder" in result.error
    assert [c.service for c in result.calls] == ["register-passholder"]  # no lookup


# -- counter-app check --decide ----------------------------------------------------------------


def decisions(url: str) -> list[StoredEntry]:
    with open_journal(url) as store:
        today = store.local_day(dt.datetime.now(dt.UTC))
        days = [today - dt.timedelta(days=1), today]
        return [e for d in days for e in store.entries(d) if e.entry.kind is EntryKind.DECISION]


def test_cli_logs_the_uncertain_attempt_and_records_the_sale_when_run_again(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    args = (
        "check", "--card", f"sim:{CARD}", "--date", ON.isoformat(), "--sources", sandbox.url,
        "--decide", "opportunity-tariff", "--db", url, "--json", "--lang", "en",
    )  # fmt: skip
    sandbox.faults.set(MALFORMED)
    first = run_counter_app(*args, home=tmp_path)
    assert first.returncode == EXIT_REGISTRATION_UNCERTAIN, first.stderr
    line = one_clean_line(first.stderr)
    assert "MAY have gone through" in line and "run the same command again" in line
    (attempt,) = decisions(url)
    assert attempt.entry.decision is not None
    assert attempt.entry.decision.action is DecisionAction.NO_ACTION
    assert [(r.service, r.status) for r in attempt.entry.requests] == [
        ("register-passholder", CallStatus.ERROR)
    ]
    (fact,) = attempt.entry.decisive_facts
    assert (fact.name, fact.status) == ("uitpas_registration", FactStatus.SOURCE_ERROR)
    assert fact.reference == attempt.entry.requests[0].reference
    assert json.loads(first.stdout)["journal"]["decision"]["registration_uncertain"] is True

    sandbox.faults.set(SandboxFaults())
    second = run_counter_app(*args, home=tmp_path)
    assert second.returncode == EXIT_OK, second.stderr
    passholder = registered(sandbox)[CARD_INSZ].id
    assert json.loads(second.stdout)["journal"]["decision"]["uitpas_reference"] == passholder
    _, sale = decisions(url)
    assert sale.entry.decision is not None
    assert sale.entry.decision.action is DecisionAction.OPPORTUNITY_TARIFF_SALE
    assert [r.service for r in sale.entry.requests] == ["register-passholder", "passholder-status"]
    (fact,) = sale.entry.decisive_facts
    assert (fact.status, fact.value) == (FactStatus.KNOWN, passholder)
    assert posts_accepted(sandbox) == 1


def test_cli_logs_a_refused_request_but_no_decision(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    result = run_counter_app(
        "check", "--card", f"sim:{PASSHOLDER_CARD}", "--date", ON.isoformat(),
        "--sources", sandbox.url, "--decide", "opportunity-tariff", "--db", url,
        home=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_NOT_REGISTERED, result.stderr
    assert "already a UiTPAS passholder" in one_clean_line(result.stderr)
    (attempt,) = decisions(url)
    assert attempt.entry.decision is not None
    assert attempt.entry.decision.action is DecisionAction.NO_ACTION
    assert [r.service for r in attempt.entry.requests] == ["register-passholder"]
    assert attempt.entry.decisive_facts == ()


# -- the window's backend ----------------------------------------------------------------------


class _Holder:
    """The backend's service holder, on the live sandbox instead of the embedded one."""

    def __init__(self, settings: Settings, url: str) -> None:
        self._cm = open_check_service(settings, sources_url=url)
        self._service: Any = None

    async def get(self) -> Any:
        if self._service is None:
            self._service = await self._cm.__aenter__()
        return self._service

    async def aclose(self) -> None:
        if self._service is not None:
            await self._cm.__aexit__(None, None, None)


async def test_backend_logs_the_uncertain_attempt_and_records_the_sale_on_confirming_again(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    from counter_app.ui.embedded import EmbeddedBackend, RegistrationUncertainError
    from counter_app.ui.ports import CheckSubject, DecisionRequest
    from counter_app.ui.ports import DecisionKind as UiKind

    settings = make_settings()
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    backend = EmbeddedBackend(
        settings,
        _Holder(settings, sandbox.url),
        readers=None,
        journal=open_journal(url),  # type: ignore[arg-type]
    )
    try:
        reading = read_simulated_card(CARD, settings, ON)
        backend._today = lambda: ON
        view = await backend.check(CheckSubject(insz=CARD_INSZ, reading=reading), lambda _p: None)
        advice = next(a for a in view.advices if a.right_id == RIGHT)
        request = DecisionRequest(
            right_id=RIGHT, kind=UiKind.SELL_OPPORTUNITY, follows_advice=True,
            end_date=advice.proposed_end_date,
        )  # fmt: skip
        sandbox.faults.set(MALFORMED)
        with pytest.raises(RegistrationUncertainError, match="MAY have gone through") as err:
            await backend.confirm(view, request)
        assert err.value.journal_entry
        sandbox.faults.set(SandboxFaults())
        confirmation = await backend.confirm(view, request)
    finally:
        await backend.aclose()
    passholder = registered(sandbox)[CARD_INSZ].id
    assert confirmation.passholder_reference == passholder
    attempt, sale = decisions(url)
    assert attempt.entry.decision is not None and sale.entry.decision is not None
    assert attempt.entry.decision.action is DecisionAction.NO_ACTION
    assert [(r.service, r.status) for r in attempt.entry.requests] == [
        ("register-passholder", CallStatus.ERROR)
    ]
    assert attempt.entry.decisive_facts[0].status is FactStatus.SOURCE_ERROR
    assert sale.entry.decision.action is DecisionAction.OPPORTUNITY_TARIFF_SALE
    assert sale.entry.decisive_facts[0].value == passholder
    assert posts_accepted(sandbox) == 1


async def test_a_restarted_window_finds_its_own_uncertain_pass_through_the_log(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """After a restart UiTPAS says "already a passholder" and the window offered no sale,
    so the pass an uncertain attempt had made could never be recorded from the window."""
    from counter_app.ui.embedded import EmbeddedBackend, RegistrationUncertainError
    from counter_app.ui.ports import CheckSubject, DecisionRequest
    from counter_app.ui.ports import DecisionKind as UiKind

    settings = make_settings()
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    reading = read_simulated_card(CARD, settings, ON)

    def backend() -> EmbeddedBackend:
        made = EmbeddedBackend(
            settings,
            _Holder(settings, sandbox.url),
            readers=None,
            journal=open_journal(url),  # type: ignore[arg-type]
        )
        made._today = lambda: ON
        return made

    async def uitpas_advice(counter: EmbeddedBackend) -> Any:
        view = await counter.check(CheckSubject(insz=CARD_INSZ, reading=reading), lambda _p: None)
        return view, next(a for a in view.advices if a.right_id == RIGHT)

    first = backend()
    try:
        view, advice = await uitpas_advice(first)
        request = DecisionRequest(
            right_id=RIGHT, kind=UiKind.SELL_OPPORTUNITY, follows_advice=True,
            end_date=advice.proposed_end_date,
        )  # fmt: skip
        sandbox.faults.set(MALFORMED)
        with pytest.raises(RegistrationUncertainError):
            await first.confirm(view, request)
    finally:
        await first.aclose()  # the window is closed and opened again
    sandbox.faults.set(SandboxFaults())
    second = backend()
    try:
        view, advice = await uitpas_advice(second)
        assert not advice.already_passholder  # the sale is offered
        confirmation = await second.confirm(view, request)
    finally:
        await second.aclose()
    assert confirmation.passholder_reference == registered(sandbox)[CARD_INSZ].id
    assert [d.entry.decision.action for d in decisions(url) if d.entry.decision] == [
        DecisionAction.NO_ACTION,
        DecisionAction.OPPORTUNITY_TARIFF_SALE,
    ]
    assert posts_accepted(sandbox) == 1
