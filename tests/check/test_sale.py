"""After the advice: the clerk's decision, and the UiTPAS registration it may trigger.

Runs on the project's own personas (resources/personas) and card deck, through
the in-process sandbox: the card is read by the real reading code, the check asks
the emulated sources, ``confirm_sale`` posts the registration to the emulated API.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from counter_app.check import CheckOutcome, Decision, DecisionKind, Subject
from counter_app.check.runner import (
    open_check_service,
    read_simulated_card,
    subject_from_reading,
)
from rules import Outcome
from tests.check.conftest import make_settings

pytestmark = pytest.mark.anyio

ON = dt.date(2026, 3, 1)


async def test_card_check_then_sale_registers_and_reaches_the_decision_hook() -> None:
    settings = make_settings()
    decisions: list[tuple[Decision, CheckOutcome | None]] = []
    subject = subject_from_reading(read_simulated_card("be-bare-year-ec-18", settings, ON))
    assert subject.entry == "card" and subject.summary is not None
    async with open_check_service(
        settings, on_decision=lambda d, o: decisions.append((d, o))
    ) as service:
        outcome = await service.run(subject, ON)
        right = outcome.right("uitpas-kansentarief")
        assert right.outcome is Outcome.ELIGIBLE
        # the card gives the postal code, so UiTPAS's own price is asked and shown
        assert right.uitpas is not None and right.uitpas.price is not None
        assert right.card_price == right.uitpas.price
        end = right.advice.proposed_end_date
        result = await service.confirm_sale(
            outcome, "uitpas-kansentarief", DecisionKind.OPPORTUNITY_TARIFF, end_date=end
        )
    assert result.registered, result.error
    assert result.reference
    assert result.calls and result.calls[0].service == "register-passholder"
    assert [d.kind for d, _ in decisions] == [DecisionKind.OPPORTUNITY_TARIFF]
    decision, seen = decisions[0]
    assert decision.registration_reference == result.reference
    assert decision.check_id == outcome.check_id and seen is outcome


async def test_an_existing_passholder_is_told_not_registered_again() -> None:
    settings = make_settings()
    subject = subject_from_reading(read_simulated_card("leefloon-ec-18", settings, ON))
    async with open_check_service(settings) as service:
        outcome = await service.run(subject, ON)
        right = outcome.right("uitpas-kansentarief")
        assert right.uitpas is not None and right.uitpas.passholder
        assert right.uitpas.social_tariff_status == "EXPIRED"
        assert any("Already holds" in n.en for n in right.notes)
        result = await service.confirm_sale(
            outcome,
            "uitpas-kansentarief",
            DecisionKind.OPPORTUNITY_TARIFF,
            end_date=right.advice.proposed_end_date,
        )
    assert not result.registered
    assert "already" in result.error


async def test_manual_entry_cannot_register_without_card_data() -> None:
    async with open_check_service(make_settings()) as service:
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        result = await service.confirm_sale(outcome, "uitpas-kansentarief", DecisionKind.NORMAL)
    assert not result.registered
    assert "eID" in result.error


async def test_cancelled_decision_is_recorded_without_any_request() -> None:
    decisions: list[Decision] = []
    async with open_check_service(
        make_settings(), on_decision=lambda d, _o: decisions.append(d)
    ) as service:
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        result = await service.confirm_sale(outcome, "uitpas-kansentarief", DecisionKind.CANCELLED)
    assert not result.registered and not result.calls
    assert [d.kind for d in decisions] == [DecisionKind.CANCELLED]


def test_an_override_needs_a_reason() -> None:
    import uuid

    with pytest.raises(ValidationError, match="reason"):
        Decision(check_id=uuid.uuid4(), ruleset_id="x", kind=DecisionKind.OVERRIDE, reason="  ")
    ok = Decision(
        check_id=uuid.uuid4(), ruleset_id="x", kind=DecisionKind.OVERRIDE, reason="certificate seen"
    )
    assert ok.reason == "certificate seen"


async def test_not_eligible_card_holder_gets_the_normal_uitpas_price_and_active_tariff() -> None:
    settings = make_settings()
    subject = subject_from_reading(read_simulated_card("be-adult-ec-18", settings, ON))
    async with open_check_service(settings) as service:
        outcome = await service.run(subject, ON)
    right = outcome.right("uitpas-kansentarief")
    assert right.outcome is Outcome.NOT_ELIGIBLE
    assert right.uitpas is not None
    assert right.card_price == right.uitpas.normal_price
    assert right.uitpas.normal_price is not None and right.uitpas.price is not None
    assert right.uitpas.normal_price > right.uitpas.price
    # the sandbox knows this person with an active social tariff until 2026-04-30
    assert right.uitpas.active_social_tariff
    assert any("2026-04-30" in n.en for n in right.notes)
