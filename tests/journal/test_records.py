"""From a real check outcome to journal entries (``counter_app.journal.records``).

The outcome comes from the check service on the in-process sandbox with the
project's personas (fictitious people, INSZ month + 60); the entries go into a
real SQLite journal and must verify.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from counter_app.check.models import CheckOutcome, Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings
from counter_app.journal import records
from counter_app.journal.location import JOURNAL_URL_ENV, resolve_journal_url
from counter_app.journal.models import (
    AdviceOutcome,
    DecisionAction,
    EntryKind,
    EntryMode,
    SourceRequest,
)
from counter_app.journal.store import open_journal
from counter_app.sources.base import CallStatus, SourceCall
from rules.facts import SourceId

ON = dt.date(2026, 3, 1)
LEZ_INSZ = "90641840238"  # own VT and a parking card in Gent (resources/personas)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(counter_id="balie-test")


@pytest.fixture(scope="module")
def outcome(settings: Settings) -> CheckOutcome:
    async def check() -> CheckOutcome:
        async with open_check_service(settings) as service:
            return await service.run(Subject(insz=LEZ_INSZ, entry="manual"), ON)

    return asyncio.run(check())


def test_from_call_takes_the_current_source_call() -> None:
    call = SourceCall(
        source=SourceId.SOCIAL_STATUTES,
        service="GeefSociaalStatuut",
        version="03.00.0000",
        reference="ref-1",
        question_reference="q-1",
        purpose="ipdc2858",
        started_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC),
        duration_ms=120.0,
        status=CallStatus.TIMEOUT,
        attempts=3,
        error="no answer",
        transient=True,  # a retry hint: not part of the audit trail
    )
    request = SourceRequest.from_call(call)
    assert request.reference == "ref-1" and request.question_reference == "q-1"
    assert request.attempts == 3 and request.failed
    assert "transient" not in request.model_dump()


def test_consultation_lists_every_request_and_rule_set(
    settings: Settings, outcome: CheckOutcome
) -> None:
    entry = records.consultation_entry(settings, outcome, card_read_ms=12.5)
    assert entry.kind is EntryKind.CONSULTATION
    assert entry.counter_id == "balie-test" and entry.check_id == str(outcome.check_id)
    assert entry.subject_insz == LEZ_INSZ and entry.entry_mode is EntryMode.MANUAL
    assert [r.reference for r in entry.requests] == [c.reference for c in outcome.calls]
    assert all(r.reference for r in entry.requests)
    assert {r.rule_set_id: r.outcome for r in entry.rule_sets} == {
        r.ruleset_id: AdviceOutcome(r.outcome.value) for r in outcome.rights
    }
    assert all(len(r.content_hash) == 64 for r in entry.rule_sets)
    assert entry.timings.card_read_ms == 12.5
    assert entry.application.id == "loket"


def test_decision_entry_in_the_journals_terms(settings: Settings, outcome: CheckOutcome) -> None:
    end = dt.date(2031, 2, 28)
    entry = records.decision_entry(
        settings,
        outcome,
        action=DecisionAction.LEZ_REGISTERED,
        right="lez-vrijstelling-handicap",
        reason="kept only for an override",
        end_date=end,
    )
    assert entry.kind is EntryKind.DECISION and entry.check_id == str(outcome.check_id)
    assert entry.decision is not None
    assert entry.decision.action is DecisionAction.LEZ_REGISTERED
    assert not entry.decision.overridden and entry.decision.override_reason == ""
    assert entry.decision.end_date == end

    overridden = records.decision_entry(
        settings,
        outcome,
        action=DecisionAction.NORMAL_SALE,
        right="uitpas-kansentarief",
        overridden=True,
        reason="  Wil geen kansentarief  ",
    )
    assert overridden.decision is not None
    assert overridden.decision.override_reason == "Wil geen kansentarief"
    with pytest.raises(ValidationError):
        records.decision_entry(
            settings,
            outcome,
            action=DecisionAction.OPPORTUNITY_TARIFF_SALE,
            right="uitpas-kansentarief",
            overridden=True,
            reason=" ",
        )


def test_entries_go_into_the_journal_and_verify(
    settings: Settings, outcome: CheckOutcome, sqlite_url: str
) -> None:
    with open_journal(sqlite_url) as store:
        first = store.append(records.consultation_entry(settings, outcome))
        second = store.append(
            records.decision_entry(
                settings,
                outcome,
                action=DecisionAction.LEZ_REDUCED_TARIFF,
                right="lez-verminderd-tarief",
            )
        )
        assert second.seq == first.seq + 1
        kinds = [e.entry.kind for e in store.entries_for_check(str(outcome.check_id))]
        assert kinds == [EntryKind.CONSULTATION, EntryKind.DECISION]
        assert store.verify().ok


@pytest.mark.parametrize(
    ("action", "outcome", "follows"),
    [
        (DecisionAction.OPPORTUNITY_TARIFF_SALE, AdviceOutcome.ELIGIBLE, True),
        (DecisionAction.OPPORTUNITY_TARIFF_SALE, AdviceOutcome.NOT_ELIGIBLE, False),
        (DecisionAction.NORMAL_SALE, AdviceOutcome.NOT_ELIGIBLE, True),
        (DecisionAction.NORMAL_SALE, AdviceOutcome.ELIGIBLE, False),
        (DecisionAction.LEZ_REGISTERED, AdviceOutcome.CHECK_MANUALLY, False),
        (DecisionAction.NORMAL_SALE, AdviceOutcome.CHECK_MANUALLY, False),
    ],
)
def test_what_follows_the_advice(
    action: DecisionAction, outcome: AdviceOutcome, follows: bool
) -> None:
    assert records.follows_advice(action, outcome) is follows


def test_granting_a_right() -> None:
    assert records.granting_action("uitpas-kansentarief") is DecisionAction.OPPORTUNITY_TARIFF_SALE
    assert records.granting_action("lez-vrijstelling-handicap") is DecisionAction.LEZ_REGISTERED
    assert records.granting_action("lez-verminderd-tarief") is DecisionAction.LEZ_REDUCED_TARIFF
    with pytest.raises(ValueError):
        records.granting_action("zwembad-korting")


def test_journal_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(JOURNAL_URL_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert resolve_journal_url() == f"sqlite://{tmp_path / 'loket' / 'journal.sqlite3'}"
    assert resolve_journal_url(None, "sqlite:///configured") == "sqlite:///configured"
    monkeypatch.setenv(JOURNAL_URL_ENV, "sqlite:///from-env")
    assert resolve_journal_url(None, "sqlite:///configured") == "sqlite:///from-env"
    assert resolve_journal_url("sqlite:///given", "sqlite:///configured") == "sqlite:///given"
