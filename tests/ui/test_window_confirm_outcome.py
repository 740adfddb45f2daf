"""What the clerk is told about a failed confirmation comes from what happened, not its wording.

``ConfirmError`` says in fields whether UiTPAS registered, may have registered, and
whether the attempt is in the log; its message is English for the diagnostic log. The
window used to read those facts back out of the message with patterns, so rewording a
message silently changed what the clerk was told ("unexpected error" instead of "UiTPAS
MAY have registered the pass"). These tests reword every message on its way to the
window, through the real backend, sandbox and journal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from counter_app.config import Settings
from counter_app.journal.store import open_journal
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.ui.flow import FlowState
from counter_app.ui.i18n import LanguageSwitcher
from counter_app.ui.main_window import CounterWindow
from counter_app.ui.ports import ConfirmError, ConfirmFailure, DecisionKind
from counter_app.ui.reasons import clerk_reason
from rules import SourceId

from .conftest import WindowFactory, wait_state
from .test_window_clerk_language import english_in

REWORDED = "Confirmation did not work out; this English wording is new."


def reword_confirm_errors(window: CounterWindow) -> list[ConfirmError]:
    """Give every ``ConfirmError`` of the window's real backend a new English message.

    The fields stay as the backend set them; the errors are collected for the test.
    """
    seen: list[ConfirmError] = []
    real: Callable[..., Any] = window.backend.confirm

    async def confirm(check: Any, decision: Any) -> Any:
        try:
            return await real(check, decision)
        except ConfirmError as err:
            seen.append(err)
            err.args = (REWORDED,)
            raise

    window.backend.confirm = confirm  # type: ignore[method-assign]
    return seen


def _failed_message(qtbot: QtBot, window: CounterWindow) -> str:
    wait_state(qtbot, window, FlowState.ADVICE, FlowState.CONFIRMED)
    qtbot.waitUntil(lambda: bool(window.decision.message.text()), timeout=10000)
    assert window.flow.state is FlowState.ADVICE and window.confirmation is None
    message = window.decision.message.text()
    assert "onverwachte fout" not in message and "wording" not in message, message
    assert not english_in([message]), message
    return message


def test_an_uncertain_registration_is_told_as_such_whatever_its_wording(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """UiTPAS answers the registration with something unreadable: it MAY have registered."""
    window = make_window(faults=SandboxFaults.only(SourceId.UITPAS, SourceFaults(malformed=True)))
    seen = reword_confirm_errors(window)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY)
    window.decision.reason.setText("UiTPAS kon de status niet geven; recht gezien op attest")
    window.decision.request_confirm()
    message = _failed_message(qtbot, window)
    [err] = seen
    assert err.uncertain and err.logged_entry and not err.registered
    assert message.startswith("Registratie onzeker: UiTPAS heeft de pas MOGELIJK"), message
    assert f"de poging staat in het logboek (regel {err.logged_entry})" in message
    # why it is uncertain, from the source's own reason (``SaleResult.uncertain_reason``)
    assert "de bron gaf een onleesbaar antwoord" in message, message
    # kept as plain data: an exception would keep its traceback's frames (and the Qt
    # objects in them) alive, and their late collection crashed later tests
    assert window._confirm_problem == err.problem


def test_a_refused_registration_is_told_as_such_whatever_its_wording(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(faults=SandboxFaults.only(SourceId.UITPAS, SourceFaults(http_500=True)))
    seen = reword_confirm_errors(window)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    window.decision.request_confirm()
    message = _failed_message(qtbot, window)
    [err] = seen
    assert err.failure is ConfirmFailure.NOT_REGISTERED and not err.uncertain
    assert message.startswith("Niet geregistreerd: de bron meldde een interne fout (HTTP 500)")
    assert "U kunt opnieuw proberen" in message


def test_a_registered_pass_missing_from_the_log_is_told_as_such_whatever_its_wording(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    window = make_window()
    seen = reword_confirm_errors(window)
    window.insert_simulated_card("kids-id-ec-18")  # VT in the family: opportunity tariff
    wait_state(qtbot, window, FlowState.ADVICE)
    qtbot.waitUntil(lambda: window._log_problem == "" and _logged(window), timeout=5000)
    window.backend.journal.close()  # type: ignore[attr-defined]
    window.decision.request_confirm()
    message = _failed_message(qtbot, window)
    [err] = seen
    assert err.registered and err.log_failed_detail
    assert message.startswith(
        f"Niet gelogd: UiTPAS heeft de pas geregistreerd ({err.registered_reference})"
    ), message

    # the citizen left before the answer: the note keeps the reference off the screen
    window._previous = ("failed", err.problem)  # what the window keeps
    window._render_previous()
    shown = window.previous_note.text()
    assert err.registered_reference not in shown and "volgende logboekregel" in shown
    window.backend.journal = open_journal(settings.journal.url)  # type: ignore[attr-defined]


def _logged(window: CounterWindow) -> bool:
    journal = window.backend.journal  # type: ignore[attr-defined]
    assert window.check_view is not None
    return bool(journal.entries_for_check(str(window.check_view.handle.check_id)))


CASES = [
    pytest.param(
        ConfirmError(REWORDED, failure=ConfirmFailure.NO_CHECK),
        "achter dit advies zit geen controle",
        {},
        id="no-check",
    ),
    pytest.param(
        ConfirmError(
            REWORDED,
            failure=ConfirmFailure.CONSULTATION_NOT_LOGGED,
            log_failed_detail="database is locked",
        ),
        "de raadpleging kon niet",
        {},
        id="consultation-not-logged",
    ),
    pytest.param(
        ConfirmError(REWORDED, failure=ConfirmFailure.NOT_LOGGED, log_failed_detail="disk full"),
        "het logboek kon niet",
        {},
        id="decision-not-logged",
    ),
    pytest.param(
        ConfirmError(
            REWORDED,
            failure=ConfirmFailure.NOT_LOGGED,
            registered_reference="8d71",
            log_failed_detail="database is locked",
        ),
        "UiTPAS heeft de pas geregistreerd (8d71)",
        {"registered": True},
        id="registered-not-logged",
    ),
    pytest.param(
        ConfirmError(
            REWORDED,
            failure=ConfirmFailure.NOT_REGISTERED,
            reason="this person is already a UiTPAS passholder",
            logged_entry="2026-11-29#7",
        ),
        "heeft al een UiTPAS",
        {"retry_helps": False, "logged": "de poging staat in het logboek (regel 2026-11-29#7)"},
        id="refused-logged",
    ),
    pytest.param(
        ConfirmError(
            REWORDED,
            failure=ConfirmFailure.NOT_REGISTERED,
            reason="no answer within 5 s",
            uncertain=True,
            log_failed_detail="database is locked",
        ),
        "UiTPAS heeft de pas MOGELIJK",
        {
            "uncertain": True,
            "logged": "de vraag aan UiTPAS kon niet in het logboek geschreven worden",
        },
        id="uncertain-request-not-logged",
    ),
]


@pytest.mark.parametrize(("err", "words", "flags"), CASES)
def test_the_clerk_reason_comes_from_the_fields_not_the_message(
    dutch: LanguageSwitcher, err: ConfirmError, words: str, flags: dict[str, Any]
) -> None:
    reason = clerk_reason(err)
    assert words.lower() in reason.text.lower(), reason.text
    expected = {"registered": False, "uncertain": False, "retry_helps": True, "logged": ""}
    expected.update(flags)
    assert {name: getattr(reason, name) for name in expected} == expected
    assert not english_in([reason.with_technical()]), reason.with_technical()
