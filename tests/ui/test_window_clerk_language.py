"""The Dutch window speaks Dutch even when a source or the registration fails.

The sources describe failures in English for the diagnostic log; the window must
turn each kind into the clerk's words. The service's own words may still be shown,
but only inside a part labelled as a technical message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.config import Settings, SourceSettings
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.ui.embedded import build_backend
from counter_app.ui.flow import FlowState
from counter_app.ui.i18n import LanguageSwitcher
from counter_app.ui.main_window import CounterWindow
from counter_app.ui.ports import DecisionKind, SourceState
from counter_app.ui.reasons import clerk_reason, seconds_text
from rules.facts import SourceId

from .conftest import WindowFactory, wait_state
from .helpers import all_texts

# Words of the services' English reasons (sources, check, confirmation): none of them is Dutch.
ENGLISH = {
    "the", "no", "answer", "answered", "within", "before", "did", "not", "from", "source",
    "error", "already", "timeout", "fault", "refused", "could", "busy", "rate", "limit",
    "deadline", "unreadable", "invalid", "request", "requests", "passholder", "registration",
    "failed", "asked", "circuit", "open", "reached", "well-formed", "server",
}  # fmt: skip


def without_technical(text: str) -> str:
    """``text`` minus the labelled technical messages (brackets may nest inside them)."""
    if text.startswith("Technische melding:"):  # a tooltip that is only that
        return ""
    out, i = [], 0
    label = "(technische melding:"
    while (start := text.find(label, i)) >= 0:
        out.append(text[i:start])
        depth, j = 0, start
        while j < len(text):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(text[i:])
    return "".join(out)


def english_in(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        words = set(re.findall(r"[a-z][a-z'-]+", without_technical(text).lower()))
        if words & ENGLISH:
            found.append(text)
    return found


def _window_with(
    make_window: WindowFactory, settings: Settings, faults: SandboxFaults
) -> CounterWindow:
    """Short timeouts and no retries: a failing source fails quickly, as it would for real."""
    quick = SourceSettings(timeout_s=0.6, retries=0)
    sources = settings.sources.model_copy(update={name: quick for name in settings.sources.all()})
    fast = settings.model_copy(update={"sources": sources, "check_deadline_s": 3.0})
    return make_window(backend=build_backend(fast, faults=faults))


FAILURES = [
    (SourceId.SOCIAL_STATUTES, SourceFaults(http_500=True)),
    (SourceId.SOCIAL_STATUTES, SourceFaults(error_rate=1.0)),
    (SourceId.SOCIAL_STATUTES, SourceFaults(hang=True)),
    (SourceId.SOCIAL_STATUTES, SourceFaults(malformed=True)),
    (SourceId.SOCIAL_STATUTES, SourceFaults(magda_busy=True)),
    (SourceId.NATIONAL_REGISTER, SourceFaults(http_500=True)),
    (SourceId.DISABILITY_FILE, SourceFaults(malformed=True)),
    (SourceId.OCMW_LIST, SourceFaults(http_500=True)),
    (SourceId.OCMW_LIST, SourceFaults(hang=True)),
    (SourceId.OCMW_LIST, SourceFaults(rate_limited=True)),
    (SourceId.UITPAS, SourceFaults(http_500=True)),
    (SourceId.UITPAS, SourceFaults(error_rate=1.0)),
    (SourceId.UITPAS, SourceFaults(hang=True)),
    (SourceId.UITPAS, SourceFaults(malformed=True)),
    (SourceId.UITPAS, SourceFaults(rate_limited=True)),
]


@pytest.mark.parametrize(
    ("source", "fault"),
    FAILURES,
    ids=[f"{s.value}-{next(iter(f.model_dump(exclude_defaults=True)))}" for s, f in FAILURES],
)
def test_a_failing_source_is_explained_in_dutch(
    qtbot: QtBot,
    make_window: WindowFactory,
    settings: Settings,
    source: SourceId,
    fault: SourceFaults,
) -> None:
    window = _window_with(make_window, settings, SandboxFaults.only(source, fault))
    window.insert_simulated_card("foreigner-f-plus-ec-18")  # every source is asked
    wait_state(qtbot, window, FlowState.ADVICE, FlowState.CHECK_ERROR, timeout=20000)
    assert window.sources.state_of(source.value) is SourceState.FAILED
    for card in window.advice.cards:
        card.toggle.setChecked(True)  # the explanation quotes the failing source too
    texts = all_texts(window)
    assert not english_in(texts), english_in(texts)
    assert "geen antwoord — " in " ".join(all_texts(window.sources))
    assert not re.search(r"\d\.\d{3}", " ".join(texts))  # durations are rounded


def test_a_failed_confirmation_is_explained_in_dutch(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    faults = SandboxFaults.only(SourceId.UITPAS, SourceFaults(http_500=True))
    window = make_window(faults=faults)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.ADVICE, FlowState.CONFIRMED)
    qtbot.waitUntil(lambda: bool(window.decision.message.text()), timeout=10000)
    message = window.decision.message.text()
    assert message.startswith("Niet geregistreerd: de bron meldde een interne fout (HTTP 500)")
    assert "(technische melding: UiTPAS refused" in message  # labelled, for the helpdesk
    assert not english_in([message]), message


def test_every_reason_the_services_give_has_clerk_words(dutch: LanguageSwitcher) -> None:
    """The reason strings of counter_app/sources and counter_app/check, as they produce them."""
    reasons = [
        "no answer before the check's deadline",
        "no answer within 5 s (timeout)",
        "UiTPAS did not answer within 9.99446 s",
        "no answer within the time limit",
        "could not connect to the source",
        "not asked: the source failed several times just before (circuit open)",
        "UiTPAS not asked: it failed just before",
        "GeefSociaalStatuut: SOAP fault (soapenv:Server)",
        "HTTP 500 from UiTPAS (registration)",
        "HTTP 503 from the source",
        "MAGDA is busy (99995: too many simultaneous requests)",
        "UiTPAS rate limit reached (passholder-status)",
        "this person is already a UiTPAS passholder",
        "INSZ unknown to the source (GeefPersoon 30003)",
        "answer is not well-formed XML (line 3)",
        "UiTPAS status answer is not valid",
        "the OCMW export file is not available",
        "UiTPAS did not answer in time; look the passholder up before trying again",
    ]  # a failed confirmation's own outcome: test_window_confirm_outcome.py
    for raw in reasons:
        reason = clerk_reason(raw)
        assert reason.text and reason.text != "onverwachte fout", raw
        assert not english_in([reason.with_technical()]), raw
    assert clerk_reason("UiTPAS did not answer within 9.99446 s").text == (
        "UiTPAS antwoordde niet binnen 10 s"
    )
    assert seconds_text("0.25") == "0,3 s"
    assert not clerk_reason("this person is already a UiTPAS passholder").retry_helps
    unknown = clerk_reason("something new went wrong")
    assert unknown.with_technical() == (
        "onverwachte fout (technische melding: something new went wrong)"
    )


def test_an_existing_passholder_is_not_offered_a_new_pass_as_the_advice(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """UiTPAS refuses a second pass (409): the window says so up front and never "try again"."""
    window = make_window()
    window.insert_simulated_card("foreigner-f-plus-ec-18")  # a passholder, no social tariff
    wait_state(qtbot, window, FlowState.ADVICE)
    card = window.advice.cards[0]
    assert card.advice.right_id == "uitpas-kansentarief" and card.advice.already_passholder
    qtbot.waitUntil(card.passholder_note.isVisible)  # on the card, not in the explanation
    assert not card.toggle.isChecked()
    assert "Heeft al een UiTPAS" in card.passholder_note.text()
    current = window.decision.current()
    assert current is None or current[0].right_id != "uitpas-kansentarief"
    sale = next(b for b in window.decision.choice_buttons() if "kansentarief" in b.objectName())
    assert "heeft al een UiTPAS" in sale.text()

    assert window.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY)
    window.decision.reason.setText("De burger zegt dat zijn pas verloren is")
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.ADVICE, FlowState.CONFIRMED)
    qtbot.waitUntil(lambda: bool(window.decision.message.text()), timeout=10000)
    message = window.decision.message.text()
    assert "heeft al een UiTPAS" in message and "opnieuw proberen helpt niet" in message
    assert "u kunt opnieuw proberen" not in message.lower(), message
    assert not english_in([message]), message


def _source_error_messages() -> list[str]:
    """Every message counter_app/sources raises as a SourceError (f-string parts as "500")."""
    import ast

    root = Path(__file__).resolve().parents[2] / "counter_app" / "sources"
    found: list[str] = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "SourceError"
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(first.value)
            elif isinstance(first, ast.JoinedStr):
                found.append(
                    "".join(
                        part.value if isinstance(part, ast.Constant) else "500"
                        for part in first.values
                    )
                )
    return found


def test_no_source_failure_reaches_the_clerk_as_an_unexpected_error(
    dutch: LanguageSwitcher,
) -> None:
    """A new check in the sources (e.g. the answer's namespace, the echoed Referte) must
    come with clerk words: else the clerk reads "onverwachte fout"."""
    messages = _source_error_messages()
    assert len(messages) > 20  # the walk found the sources' errors
    unexplained = [m for m in messages if clerk_reason(m).text == "onverwachte fout"]
    assert unexplained == []
