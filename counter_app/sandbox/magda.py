"""The sandbox's MAGDA SOAP endpoint, with the MAGDA-Mock simulator's semantics.

It answers GeefPersoon, GeefSociaalStatuut and GeefDossierHandicap from the
persona files: the subject's INSZ and our References are patched in, only the
statutes that were asked are kept (asked statutes without data get "0 — Niet van
toepassing"), only the asked parts of a disability file are kept, and an unknown
INSZ gets the service's ``notfound`` answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from counter_app.sandbox.faults import FaultSwitch
from counter_app.sandbox.personas import PersonaStore
from rules.facts import SourceId

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
# Checks a raw request like MAGDA's WS-Security layer: None when acceptable, else
# (WS-Security fault code such as "FailedCheck", reason). Given by whoever builds the
# sandbox (e.g. ``functools.partial(wssecurity.refusal, trusted=[cert])``).
RequestCheck = Callable[[bytes], tuple[str, str] | None]
MAX_REQUEST_BYTES = 256_000
SERVICE_SOURCES = {
    "GeefPersoon": SourceId.NATIONAL_REGISTER,
    "GeefSociaalStatuut": SourceId.SOCIAL_STATUTES,
    "GeefDossierHandicap": SourceId.DISABILITY_FILE,
}
HANDICAP_PARTS = ("evolutionOfRequest", "handicapRecognitions", "rights", "socialCards")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _find(element: etree._Element | None, path: str) -> etree._Element | None:
    """Unqualified child path like 'Context/Bericht/Afzender/Referte'."""
    return None if element is None else element.find(path)


def _text(element: etree._Element | None, path: str) -> str:
    found = _find(element, path)
    return (found.text or "").strip() if found is not None else ""


def _xml_response(payload: etree._Element, status: int = 200) -> Response:
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap={"soapenv": SOAP_ENV_NS})
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Header")
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body").append(payload)
    body = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    return Response(body, status_code=status, media_type="text/xml; charset=utf-8")


def soap_fault(code: str, message: str, status: int = 500, *, wsse: bool = False) -> Response:
    """A SOAP 1.1 fault; ``wsse`` puts ``code`` in the WS-Security namespace (wsse:FailedCheck)."""
    fault = etree.Element(f"{{{SOAP_ENV_NS}}}Fault", nsmap={"wsse": WSSE_NS} if wsse else None)
    prefix = "wsse" if wsse else "soapenv"
    etree.SubElement(fault, "faultcode").text = f"{prefix}:{code}"
    etree.SubElement(fault, "faultstring").text = message
    return _xml_response(fault, status)


class MagdaQuestion:
    """What the sandbox needs from a request: service, references, subject, asked items."""

    def __init__(self, operation: etree._Element) -> None:
        self.service = _local(operation)
        verzoek = _find(operation, "Verzoek")
        self.version = _text(verzoek, "Context/Versie")
        afzender = _find(verzoek, "Context/Bericht/Afzender")
        self.reference = _text(afzender, "Referte")
        self.organisation = _text(afzender, "Identificatie")
        self.purpose = _text(afzender, "Hoedanigheid")
        vraag = _find(verzoek, "Vragen/Vraag")
        self.question_reference = _text(vraag, "Referte")
        criteria = _find(vraag, "Inhoud/Criteria")
        if criteria is None:
            criteria = _find(vraag, "Criteria/ConsultFilesByDateCriteria")
        self.insz = _text(criteria, "INSZ") or _text(criteria, "ssin")
        self.statutes = [
            (s.text or "").strip()
            for s in (
                criteria.iterfind("SocialeStatuten/SociaalStatuut/Naam")
                if criteria is not None
                else []
            )
        ]
        self.parts = {
            _local(p): (p.text or "").strip() == "true"
            for p in (criteria.iterfind("parts/*") if criteria is not None else [])
        }


def parse_question(body: bytes) -> MagdaQuestion:
    if b"<!DOCTYPE" in body.upper():
        raise ValueError("DTD not allowed")
    root = etree.fromstring(body, parser=_parser())
    payload = root.find(f"{{{SOAP_ENV_NS}}}Body/*")
    if payload is None:
        raise ValueError("no Body payload")
    return MagdaQuestion(payload)


def _set(element: etree._Element | None, value: str) -> None:
    if element is not None:
        element.text = value


def _now_stamp(context: etree._Element | None) -> None:
    now = dt.datetime.now()
    _set(_find(context, "Bericht/Tijdstip/Datum"), now.date().isoformat())
    _set(
        _find(context, "Bericht/Tijdstip/Tijd"),
        now.strftime("%H:%M:%S.") + f"{now.microsecond // 1000:03d}",
    )


def _patch(answer: etree._Element, question: MagdaQuestion) -> None:
    """Make the stored answer look like the answer to *this* question."""
    repliek = _find(answer, "Repliek")
    context = _find(repliek, "Context")
    _now_stamp(context)
    _set(_find(context, "Bericht/Afzender/Referte"), str(uuid.uuid4()))
    _set(_find(context, "Bericht/Ontvanger/Referte"), question.reference)
    _set(_find(context, "Bericht/Ontvanger/Identificatie"), question.organisation)
    _set(_find(context, "Bericht/Ontvanger/Hoedanigheid"), question.purpose)
    for antwoord in repliek.iterfind("Antwoorden/Antwoord") if repliek is not None else []:
        _set(_find(antwoord, "Referte"), question.question_reference)
        inhoud = _find(antwoord, "Inhoud")
        _set(_find(inhoud, "Persoon/INSZ"), question.insz)
        _set(_find(inhoud, "ConsultFilesByDateResponse/ssin"), question.insz)
        if question.service == "GeefSociaalStatuut":
            _keep_asked_statutes(inhoud, question.statutes)
        if question.service == "GeefDossierHandicap":
            _keep_asked_parts(inhoud, question.parts)


def _keep_asked_statutes(inhoud: etree._Element | None, asked: list[str]) -> None:
    statuten = _find(inhoud, "Persoon/SocialeStatuten")
    if statuten is None:
        return
    present = []
    for statuut in list(statuten.iterfind("SociaalStatuut")):
        name = _text(statuut, "Naam")
        if name in asked:
            present.append(name)
        else:
            statuten.remove(statuut)
    for name in asked:
        if name not in present:
            statuut = etree.SubElement(statuten, "SociaalStatuut")
            etree.SubElement(statuut, "Naam").text = name
            resultaat = etree.SubElement(statuut, "Resultaat")
            etree.SubElement(resultaat, "Code").text = "0"
            etree.SubElement(resultaat, "Omschrijving").text = "Niet van toepassing"


def _keep_asked_parts(inhoud: etree._Element | None, parts: dict[str, bool]) -> None:
    results = _find(inhoud, "ConsultFilesByDateResponse/results")
    for file in results.iterfind("*/file") if results is not None else []:
        for element in list(file):
            name = _local(element)
            if name == "addressHandicappedPerson" or (
                name in HANDICAP_PARTS and not parts.get(name)
            ):
                file.remove(element)


def busy_answer(question: MagdaQuestion) -> etree._Element:
    """A MAGDA answer refusing the question with 99995 (too many simultaneous requests)."""
    namespace = f"urn:sandbox:{question.service}"
    answer = etree.Element(f"{{{namespace}}}{question.service}Response", nsmap={"web": namespace})
    repliek = etree.SubElement(answer, "Repliek")
    context = etree.SubElement(repliek, "Context")
    etree.SubElement(context, "Naam").text = question.service
    etree.SubElement(context, "Versie").text = question.version
    uitzondering = etree.SubElement(etree.SubElement(repliek, "Uitzonderingen"), "Uitzondering")
    etree.SubElement(uitzondering, "Identificatie").text = "99995"
    etree.SubElement(uitzondering, "Oorsprong").text = "MAGDA"
    etree.SubElement(uitzondering, "Type").text = "FOUT"
    etree.SubElement(uitzondering, "Diagnose").text = "Te veel gelijktijdige bevragingen"
    return answer


class MagdaEndpoint:
    """ASGI handler for every MAGDA service path."""

    def __init__(
        self, personas: PersonaStore, faults: FaultSwitch, request_check: RequestCheck | None = None
    ) -> None:
        self.personas = personas
        self.faults = faults
        self.request_check = request_check  # e.g. demand a valid WS-Security signature

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            return soap_fault("Client", "request too large", 413)
        try:
            question = parse_question(body)
        except (etree.XMLSyntaxError, ValueError):
            return soap_fault("Client", "request is not a SOAP envelope")
        if self.request_check is not None:
            refused = self.request_check(body)
            if refused is not None:
                code, reason = refused
                return soap_fault(code, reason, wsse=True)
        source = SERVICE_SOURCES.get(question.service)
        if source is None:
            return soap_fault("Client", f"unknown service {question.service}")
        faults = self.faults.current.for_source(source)
        await self.faults.delay(faults, request)
        if faults.http_500:
            return soap_fault("Server", "internal error (injected)")
        if self.faults.random_error(faults):
            return Response("service unavailable (injected)", status_code=503)
        if faults.magda_busy:
            namespace = busy_answer(question)
            return _xml_response(namespace)
        stored = self.personas.magda_answer(question.service, question.version, question.insz)
        if stored is None:
            return soap_fault("Server", "no answer configured for this service")
        answer = etree.fromstring(stored[0], parser=_parser())
        _patch(answer, question)
        response = _xml_response(answer)
        if faults.malformed:
            return Response(response.body[: len(response.body) // 2], media_type="text/xml")
        return response
