"""Why a source or a registration failed, in the clerk's language.

The sources and the check service describe failures in plain English for the
diagnostic log and the audit trail (``SourceCall.error``, ``SourceError.reason``).
Those words are right for a technician and wrong for a Dutch desk, so the window
recognises each kind it knows and says what it means for the clerk, in a
translatable sentence. The service's own words stay available, marked as a
technical message, for the helpdesk; they are never spliced into the sentence.

The patterns follow the reason strings of ``counter_app.sources`` and
``counter_app.check``; an unknown reason is still shown, as an unexpected error with
its technical message. A failed confirmation (``ConfirmError``) is not read back out
of its text: whether UiTPAS registered, may have registered, or the attempt is in the
log are its fields, and only the source's reason inside it goes through the patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication, QLocale

from counter_app.ui.ports import ConfirmError, ConfirmFailure, ConfirmProblem


@dataclass(frozen=True)
class ClerkReason:
    text: str  # a sentence fragment in the current language, e.g. "de bron antwoordde niet op tijd"
    technical: str = ""  # the service's own words, when they add something for the helpdesk
    retry_helps: bool = True  # False when trying again cannot succeed (already a passholder)
    registered: bool = False  # UiTPAS did register: only the log is missing (confirm again)
    uncertain: bool = False  # UiTPAS MAY have registered: confirm again, never another way
    logged: str = ""  # what the log says about the attempt, in the clerk's words
    # decided, but not in the log yet: the counter keeps the entry and writes it with the
    # next log entry (or when the clerk confirms again); never "nothing was saved"
    kept: bool = False

    def with_technical(self) -> str:
        """The fragment, then its technical message in brackets and clearly labelled."""
        text = self.text
        if self.technical:
            text = "{text} ({label})".format(
                text=text,
                label=QCoreApplication.translate("Reasons", "technical message: {detail}").format(
                    detail=self.technical
                ),
            )
        return f"{text}; {self.logged}" if self.logged else text


def seconds_text(raw: str) -> str:
    """``9.99446`` -> ``10 s``; ``0.25`` -> ``0,3 s`` (in Dutch): what a clerk can read."""
    value = float(raw)
    if value >= 3:
        return f"{round(value)} s"
    return str(QLocale().toString(value, "f", 1)) + " s"


def _within(text: Callable[[], str]) -> Callable[[re.Match[str]], ClerkReason]:
    """A time limit the source did not meet, with the seconds rounded for the clerk."""

    def build(m: re.Match[str]) -> ClerkReason:
        return ClerkReason(text().format(seconds=seconds_text(m["s"])))

    return build


def _http(m: re.Match[str]) -> ClerkReason:
    code = int(m["code"])
    if code >= 500:
        text = QCoreApplication.translate(
            "Reasons", "the source reported an internal error (HTTP {code})"
        )
    elif code == 429:
        text = QCoreApplication.translate(
            "Reasons", "the source is receiving too many requests (HTTP {code}); try again shortly"
        )
    else:
        text = QCoreApplication.translate("Reasons", "the source refused the request (HTTP {code})")
    return ClerkReason(text.format(code=code), technical=m.string, retry_helps=code >= 500)


def _fixed(
    text: Callable[[], str],
    *,
    technical: bool = False,
    retry_helps: bool = True,
) -> Callable[[re.Match[str]], ClerkReason]:
    def build(m: re.Match[str]) -> ClerkReason:
        return ClerkReason(text(), m.string if technical else "", retry_helps)

    return build


_UNREADABLE = re.compile(
    r"not a SOAP 1\.1 envelope|SOAP answer without|answer without|unexpected answer element"
    r"|expected one Antwoord|Antwoord without|answer is not valid|not a valid list"
    r"|unreadable date|not well-formed|document type declaration|bytes refused"
    r"|Referte mismatch|in an unexpected namespace|does not echo the request's Referte"
)

#: (pattern, builder), first match wins; patterns are searched, so a "Service: " prefix is fine.
_KINDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], ClerkReason]], ...] = (
    (
        re.compile(r"already a UiTPAS passholder, but not with the pass"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons",
                "this person already has a UiTPAS, but not the pass this sale asked for: look "
                "the person up in UiTPAS",
            ),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"already a UiTPAS passholder"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons",
                "this person already has a UiTPAS; a new pass cannot be sold "
                "(trying again will not help)",
            ),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"no answer before the check's deadline"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the source did not answer before the check's time ran out"
            )
        ),
    ),
    (
        re.compile(r"UiTPAS did not answer within (?P<s>[0-9.]+) s"),
        _within(
            lambda: QCoreApplication.translate("Reasons", "UiTPAS did not answer within {seconds}")
        ),
    ),
    (
        re.compile(r"no answer within (?P<s>[0-9.]+) s"),
        _within(
            lambda: QCoreApplication.translate(
                "Reasons", "the source did not answer within {seconds}"
            )
        ),
    ),
    (
        re.compile(r"UiTPAS did not answer in time"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons",
                "UiTPAS did not answer in time; look the passholder up at UiTPAS before "
                "trying again",
            ),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"no answer within the time limit"),
        _fixed(lambda: QCoreApplication.translate("Reasons", "the source did not answer in time")),
    ),
    (
        re.compile(r"could not connect to the source"),
        _fixed(lambda: QCoreApplication.translate("Reasons", "no connection with the source")),
    ),
    (
        re.compile(r"transport error"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the connection with the source broke off"
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"circuit open|not asked: it failed just before"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "not asked: the source failed several times just before; try again later"
            )
        ),
    ),
    (
        re.compile(r"MAGDA is busy"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "MAGDA is too busy (too many simultaneous requests); try again"
            )
        ),
    ),
    (
        re.compile(r"rate limit reached"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "UiTPAS is receiving too many requests; try again shortly"
            )
        ),
    ),
    (re.compile(r"client credentials \(HTTP (?P<code>5\d\d)\)"), _http),
    (
        re.compile(r"refused the client credentials"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "UiTPAS refused the counter's access (configuration)"
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"WS-Security signature"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "MAGDA refused the counter's signature (configuration)"
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"SOAP fault"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "the source reported an error"),
            technical=True,
        ),
    ),
    (re.compile(r"HTTP (?P<code>\d{3})"), _http),
    (
        re.compile(r"INSZ unknown to the source"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the national number is unknown to the source"
            ),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"national register has no data"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the national register has no data on this person"
            )
        ),
    ),
    (
        re.compile(r"refused the question"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "the source refused the question"),
            technical=True,
        ),
    ),
    (
        re.compile(r"no data found"),
        _fixed(lambda: QCoreApplication.translate("Reasons", "no data found")),
    ),
    (
        re.compile(r"INSZ mismatch"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the answer was about another person and was refused"
            )
        ),
    ),
    (
        re.compile(r"invalid INSZ format"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "the national number is not valid"),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"DGPH"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons",
                "the disability administration (DG Personen met een handicap) could not answer",
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"could not determine the statutes"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the source could not determine the statutes"
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"OCMW export"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons", "the OCMW list is not available or cannot be read"
            ),
            technical=True,
        ),
    ),
    (
        re.compile(r"question could not be (built|signed)"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "the question could not be prepared"),
            technical=True,
        ),
    ),
    (
        _UNREADABLE,
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "the source gave an unreadable answer"),
            technical=True,
        ),
    ),
    (
        re.compile(r"UiTPAS is not configured"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "UiTPAS is not configured"),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"UiTPAS gave no status"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "UiTPAS gave no answer about this person")
        ),
    ),
    (
        re.compile(r"registration needs the identity and address"),
        _fixed(
            lambda: QCoreApplication.translate(
                "Reasons",
                "a pass can only be registered with the identity and address read from the eID "
                "card",
            ),
            retry_helps=False,
        ),
    ),
    (
        re.compile(r"UiTPAS did not register the pass"),
        _fixed(lambda: QCoreApplication.translate("Reasons", "UiTPAS did not register the pass")),
    ),
    (
        re.compile(r"cannot be opened"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "it cannot be opened"), technical=True
        ),
    ),
    (
        re.compile(r"not part of this installation"),
        _fixed(
            lambda: QCoreApplication.translate("Reasons", "it is not part of this installation")
        ),
    ),
)


def _confirm_reason(problem: ConfirmProblem) -> ClerkReason:
    """The clerk's words for a failed confirmation, from what it says happened.

    Its English message is never interpreted, only shown where it helps the helpdesk,
    labelled as the technical message; the source's reason inside it (a refusal) is
    mapped like any other source failure.
    """
    if problem.failure is ConfirmFailure.NO_CHECK:
        return ClerkReason(
            QCoreApplication.translate(
                "Reasons", "this advice has no check behind it; scan the card again"
            )
        )
    if problem.failure is ConfirmFailure.CONSULTATION_NOT_LOGGED:
        text = QCoreApplication.translate(
            "Reasons", "the consultation could not be written to the log"
        )
        return ClerkReason(text, technical=problem.message)
    if problem.failure is ConfirmFailure.NOT_LOGGED:
        if problem.registered_reference:  # the clerk needs the pass's reference
            text = QCoreApplication.translate(
                "Reasons",
                "UiTPAS registered the pass ({reference}), but the log could not be written; "
                "confirm again to write only the log",
            ).format(reference=problem.registered_reference)
            return ClerkReason(
                text, technical=problem.log_failed_detail, registered=True, kept=True
            )
        text = QCoreApplication.translate("Reasons", "the log could not be written")
        return ClerkReason(text, technical=problem.message, kept=True)
    # not registered: refused, or uncertain; the source's reason, and what the log holds
    logged = ""
    if problem.logged_entry:
        logged = QCoreApplication.translate(
            "Reasons", "the attempt is in the log (entry {entry})"
        ).format(entry=problem.logged_entry)
    elif problem.log_failed_detail:
        logged = QCoreApplication.translate(
            "Reasons", "the request to UiTPAS could not be written to the log"
        )
    source = clerk_reason(problem.reason)
    if problem.uncertain:  # what to do first, then why we do not know, in the clerk's words
        text = QCoreApplication.translate(
            "Reasons",
            "UiTPAS MAY have registered the pass. Do not register this person another way: "
            "confirm the sale again (the counter then looks the passholder up) or look the "
            "person up in UiTPAS",
        )
        return ClerkReason(f"{text} ({source.with_technical()})", uncertain=True, logged=logged)
    return replace(source, logged=logged)


def clerk_reason(detail: str | ConfirmProblem | ConfirmError) -> ClerkReason:
    """The clerk's words for a service's failure ``detail`` (English, for diagnostics), or
    for a failed confirmation (from its fields)."""
    if isinstance(detail, ConfirmError):
        detail = detail.problem
    if isinstance(detail, ConfirmProblem):
        return _confirm_reason(detail)
    detail = detail.strip()
    if not detail:
        return ClerkReason("")
    for pattern, build in _KINDS:
        match = pattern.search(detail)
        if match is not None:
            return build(match)
    return ClerkReason(QCoreApplication.translate("Reasons", "unexpected error"), technical=detail)


def clerk_text(detail: str | ConfirmProblem | ConfirmError) -> str:
    """``clerk_reason(detail)`` as one line: the sentence and its labelled technical message."""
    return clerk_reason(detail).with_technical()
