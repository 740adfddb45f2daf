"""The MAGDA SOAP 1.1 exchange shared by the three services: envelope, post, classify.

Every MAGDA service wraps its question in the same ``Verzoek/Context`` and answers
in the same ``Repliek/Antwoorden/Antwoord`` with either ``Inhoud`` or
``Uitzonderingen``. This module owns that common part so that each service module
only builds its criteria and reads its content. It decides what an answer *means*
for the facts: "no data" is an answer, a busy or broken platform is not.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import httpx
from lxml import etree

from counter_app.sources.base import CallStatus, QueryContext, SourceCall
from counter_app.sources.errors import SourceError
from counter_app.sources.http import (
    http_error_is_transient,
    read_capped,
    transport_error_reason,
)
from counter_app.sources.safe_xml import child, children, local_name, parse_untrusted, text
from counter_app.sources.wssecurity import WsSecuritySigner
from rules.facts import SourceId

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"

CODE_NO_DATA = "30001"
CODE_INSZ_UNKNOWN = "30003"
CODE_TOO_BUSY = "99995"

# WS-Security 1.0 fault codes (OASIS SOAP Message Security, section 12) in plain words
WSS_FAULTS = {
    "UnsupportedSecurityToken": "unsupported security token",
    "UnsupportedAlgorithm": "unsupported signature or encryption algorithm",
    "InvalidSecurity": "error in the WS-Security header",
    "InvalidSecurityToken": "invalid security token",
    "FailedAuthentication": "the signing certificate was not accepted",
    "FailedCheck": "invalid signature",
    "SecurityTokenUnavailable": "the security token could not be found",
    "MessageExpired": "the message has expired",
}


@dataclass(frozen=True)
class MagdaService:
    """One MAGDA web service: its name, version and the namespace of its Body element."""

    name: str
    version: str
    namespace: str

    @property
    def short_version(self) -> str:
        return self.version[:5]  # "02.02.0000" -> "02.02"

    @property
    def default_path(self) -> str:
        """Path below the MAGDA base URL (the sandbox serves the same layout)."""
        return f"/{self.name}-{self.short_version}/soap/WebService"


GEEF_PERSOON = MagdaService(
    "GeefPersoon", "02.02.0000", "http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02"
)
GEEF_SOCIAAL_STATUUT = MagdaService(
    "GeefSociaalStatuut",
    "03.00.0000",
    "http://magda.vlaanderen.be/soczek/soap/geefsociaalstatuut/v03_00",
)
GEEF_DOSSIER_HANDICAP = MagdaService(
    "GeefDossierHandicap",
    "03.00.0000",
    "http://magda.vlaanderen.be/soczek/soap/geefdossierhandicap/v03_00",
)


def new_reference() -> str:
    """A unique Referte (MAGDA requires one per message and one per question)."""
    return str(uuid.uuid4())


def _sub(parent: etree._Element, name: str, value: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if value is not None:
        element.text = value  # lxml escapes text: user data never becomes markup
    return element


def build_request(
    service: MagdaService,
    *,
    ctx: QueryContext,
    organisation_id: str,
    reference: str,
    question_reference: str,
    now: dt.datetime,
    fill_question: Callable[[etree._Element], None],
) -> bytes:
    """A complete SOAP envelope; ``fill_question`` adds the service's criteria to ``Vraag``."""
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"soapenv": SOAP_ENV_NS})
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body")
    operation = etree.SubElement(
        body, f"{{{service.namespace}}}{service.name}", nsmap={"web": service.namespace}
    )
    verzoek = _sub(operation, "Verzoek")
    context = _sub(verzoek, "Context")
    _sub(context, "Naam", service.name)
    _sub(context, "Versie", service.version)
    bericht = _sub(context, "Bericht")
    _sub(bericht, "Type", "VRAAG")
    tijdstip = _sub(bericht, "Tijdstip")
    _sub(tijdstip, "Datum", now.date().isoformat())
    _sub(tijdstip, "Tijd", now.strftime("%H:%M:%S.") + f"{now.microsecond // 1000:03d}")
    afzender = _sub(bericht, "Afzender")
    _sub(afzender, "Identificatie", organisation_id)
    _sub(afzender, "Referte", reference)
    _sub(afzender, "Hoedanigheid", ctx.purpose)
    if ctx.clerk_insz:
        _sub(afzender, "Gebruiker", ctx.clerk_insz)
    vraag = _sub(_sub(verzoek, "Vragen"), "Vraag")
    _sub(vraag, "Referte", question_reference)
    fill_question(vraag)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _build_checked(service: MagdaService, **kwargs: Any) -> bytes:
    """build_request, refusing values XML cannot carry (control characters) as a SourceError."""
    try:
        return build_request(service, **kwargs)
    except ValueError:
        raise SourceError("the question could not be built (invalid characters)") from None


def _signed(signer: WsSecuritySigner, envelope: bytes) -> bytes:
    try:
        return signer.sign(envelope)
    except ValueError:
        raise SourceError("the question could not be signed (WS-Security)") from None


class Outcome(Enum):
    CONTENT = "content"  # Inhoud present, no blocking exception
    NO_DATA = "no_data"  # 30001: the source has nothing for this question
    FAILED = "failed"  # anything that leaves the facts unknown


@dataclass(frozen=True)
class MagdaResult:
    """What one exchange produced: the call record plus, when usable, the answer content."""

    call: SourceCall
    outcome: Outcome
    inhoud: etree._Element | None
    reason: str
    retrieved_at: dt.datetime


@dataclass(frozen=True)
class _Classified:
    outcome: Outcome
    inhoud: etree._Element | None = None
    reason: str = ""
    transient: bool = False


def _classify_exceptions(exceptions: list[etree._Element]) -> _Classified | None:
    """Map MAGDA Uitzonderingen of type FOUT to a meaning; warnings do not block content."""
    errors = [u for u in exceptions if (text(u, "Type") or "FOUT") == "FOUT"]
    if not errors:
        return None
    # codes and origins are the platform's words, trimmed so a confused server cannot flood the log
    codes = [
        ((text(u, "Identificatie") or "?")[:12], (text(u, "Oorsprong") or "?")[:16]) for u in errors
    ]
    for code, _origin in codes:
        if code == CODE_TOO_BUSY:
            return _Classified(
                Outcome.FAILED,
                reason="MAGDA is busy (99995: too many simultaneous requests)",
                transient=True,
            )
    for code, origin in codes:
        if code == CODE_INSZ_UNKNOWN:
            return _Classified(
                Outcome.FAILED, reason=f"INSZ unknown to the source ({origin} 30003)"
            )
    for code, origin in codes:
        if code != CODE_NO_DATA:
            return _Classified(
                Outcome.FAILED, reason=f"the source refused the question ({origin} {code})"
            )
    return _Classified(Outcome.NO_DATA, reason="no data found (30001)")


def interpret_answer(
    body: bytes, service: MagdaService, reference: str, question_reference: str | None = None
) -> _Classified:
    """Read a SOAP answer: fault, exceptions, or the Inhoud of the single Antwoord.

    An answer whose content becomes facts must prove it is the answer to *this*
    question: the service's own element in the service's namespace, and our
    message ``Referte`` echoed as ``Ontvanger/Referte`` (MAGDA always echoes it; the
    XSD leaves it optional, so a missing echo is refused here, not by validation).
    Without that, a misrouted or forged answer (a GeefDossierHandicap file need not
    name its ``ssin``) would be read as this citizen's data. An answer that only
    refuses (an Uitzondering, e.g. 99995) is taken even without those proofs: it
    can only make facts unknown, never give them a value.
    """
    root = parse_untrusted(body)
    if local_name(root) != "Envelope" or etree.QName(root).namespace != SOAP_ENV_NS:
        raise SourceError("answer is not a SOAP 1.1 envelope")
    soap_body = next((c for c in root if isinstance(c.tag, str) and local_name(c) == "Body"), None)
    payload = (
        None if soap_body is None else next((c for c in soap_body if isinstance(c.tag, str)), None)
    )
    if payload is None:
        raise SourceError("SOAP answer without a body")
    if local_name(payload) == "Fault":
        code = (text(payload, "faultcode") or "unspecified")[:40]
        wss_meaning = WSS_FAULTS.get(code.rpartition(":")[2])
        if wss_meaning is not None:
            # not transient: the same request would be refused again
            return _Classified(
                Outcome.FAILED,
                reason=f"MAGDA refused the request's WS-Security signature ({code}: {wss_meaning})",
            )
        return _Classified(
            Outcome.FAILED, reason=f"SOAP fault ({code})", transient=code.endswith("Server")
        )
    if local_name(payload) != f"{service.name}Response":
        raise SourceError(f"unexpected answer element for {service.name}")
    repliek = child(payload, "Repliek")
    if repliek is None:
        raise SourceError("answer without Repliek")
    echoed = text(repliek, "Context", "Bericht", "Ontvanger", "Referte")
    if echoed is not None and echoed != reference:
        raise SourceError("answer belongs to another request (Referte mismatch)")
    classified = _classify_exceptions(children(child(repliek, "Uitzonderingen"), "Uitzondering"))
    if classified is None:
        classified = _read_antwoord(repliek, question_reference)
    if classified.outcome is Outcome.FAILED:
        return classified
    # From here on the answer gives facts (content, or 30001 = "does not apply").
    if etree.QName(payload).namespace != service.namespace:
        raise SourceError(f"answer element for {service.name} in an unexpected namespace")
    if echoed is None:
        raise SourceError("answer does not echo the request's Referte")
    return classified


def _read_antwoord(repliek: etree._Element, question_reference: str | None) -> _Classified:
    """The single Antwoord: its exceptions, else its Inhoud."""
    antwoorden = children(child(repliek, "Antwoorden"), "Antwoord")
    if len(antwoorden) != 1:
        raise SourceError(f"expected one Antwoord, got {len(antwoorden)}")
    antwoord = antwoorden[0]
    answered = text(antwoord, "Referte")
    if question_reference is not None and answered is not None and answered != question_reference:
        raise SourceError("answer belongs to another question (Referte mismatch)")
    question_level = _classify_exceptions(
        children(child(antwoord, "Uitzonderingen"), "Uitzondering")
    )
    if question_level is not None:
        return question_level
    inhoud = child(antwoord, "Inhoud")
    if inhoud is None:
        raise SourceError("Antwoord without Inhoud or exception")
    return _Classified(Outcome.CONTENT, inhoud=inhoud)


@dataclass
class MagdaExchange:
    """Posts one question to one MAGDA service endpoint and classifies the answer."""

    client: httpx.AsyncClient
    source: SourceId
    service: MagdaService
    url: str
    organisation_id: str
    max_response_bytes: int
    timeout: httpx.Timeout | float | None = None
    signer: WsSecuritySigner | None = None  # signs every envelope (WS-Security) when set

    async def ask(
        self, ctx: QueryContext, fill_question: Callable[[etree._Element], None]
    ) -> MagdaResult:
        reference = new_reference()
        question_reference = new_reference()
        started_at = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        status = CallStatus.OK
        try:
            envelope = _build_checked(
                self.service,
                ctx=ctx,
                organisation_id=self.organisation_id,
                reference=reference,
                question_reference=question_reference,
                now=started_at.astimezone(),
                fill_question=fill_question,
            )
            if self.signer is not None:
                envelope = _signed(self.signer, envelope)
            classified = await self._post(envelope, reference, question_reference)
        except httpx.TimeoutException as exc:
            status = CallStatus.TIMEOUT
            classified = _Classified(
                Outcome.FAILED, reason=transport_error_reason(exc), transient=True
            )
        except httpx.TransportError as exc:
            classified = _Classified(
                Outcome.FAILED, reason=transport_error_reason(exc), transient=True
            )
        except SourceError as exc:
            classified = _Classified(Outcome.FAILED, reason=exc.reason, transient=exc.transient)
        duration_ms = (time.perf_counter() - t0) * 1000
        if classified.outcome is Outcome.FAILED and status is CallStatus.OK:
            status = CallStatus.ERROR
        call = SourceCall(
            source=self.source,
            service=self.service.name,
            version=self.service.version,
            reference=reference,
            question_reference=question_reference,
            purpose=ctx.purpose,
            started_at=started_at,
            duration_ms=duration_ms,
            status=status,
            error=classified.reason if status is not CallStatus.OK else "",
            transient=classified.transient,
        )
        return MagdaResult(
            call=call,
            outcome=classified.outcome,
            inhoud=classified.inhoud,
            reason=classified.reason,
            retrieved_at=dt.datetime.now(dt.UTC),
        )

    async def _post(self, envelope: bytes, reference: str, question_reference: str) -> _Classified:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        async with self.client.stream(
            "POST", self.url, content=envelope, headers=headers, timeout=timeout
        ) as response:
            body = await read_capped(response, self.max_response_bytes)
            if response.status_code >= 400:
                # SOAP 1.1 faults come with HTTP 500: read them if they parse.
                try:
                    classified = interpret_answer(body, self.service, reference, question_reference)
                except SourceError:
                    classified = None
                if classified is not None and classified.outcome is Outcome.FAILED:
                    return classified
                return _Classified(
                    Outcome.FAILED,
                    reason=f"HTTP {response.status_code} from the source",
                    transient=http_error_is_transient(response.status_code),
                )
        return interpret_answer(body, self.service, reference, question_reference)
