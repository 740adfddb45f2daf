"""An answer becomes facts only when it proves it answers *this* question.

The audit found answers accepted that did not: a payload in a foreign namespace,
an answer that does not echo our Referte (a disability file need not name its
``ssin``, so nothing else tied it to the citizen), and a statute answered twice
with opposite results, read as whichever came last. Each now leaves the facts
open ("check manually"); the real MAGDA-Mock answers still parse
(test_magda_personas.py).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from counter_app.sources.base import CallStatus, WantedFact
from counter_app.sources.magda_handicap import GeefDossierHandicapAdapter
from counter_app.sources.magda_persoon import GeefPersoonAdapter
from counter_app.sources.magda_soap import (
    GEEF_DOSSIER_HANDICAP,
    GEEF_PERSOON,
    GEEF_SOCIAAL_STATUUT,
    SOAP_ENV_NS,
)
from counter_app.sources.magda_statuten import GeefSociaalStatuutAdapter
from rules.facts import FactStatus, Period
from tests.sources.conftest import BASE, ctx
from tests.sources.hostile import echo_app, exception_xml, soap_answer

pytestmark = pytest.mark.anyio

INSZ = "88681575651"
PERSON = [WantedFact(name="domicile_nis")]
PARKING = [WantedFact(name="parking_card")]
STATUTES = [WantedFact(name="vt_own", key="BIM_BVT"), WantedFact(name="living_wage")]

# The shape of MAGDA-Mock's 88681575651 disability file: DATA_FOUND, no <ssin>.
PARKING_FILE = (
    "<Inhoud><ConsultFilesByDateResponse><status><value>DATA_FOUND</value></status>"
    "<results><dgphResult><status><value>DATA_FOUND</value></status><file><socialCards>"
    "<socialCard><deliveryDate>2022-02-01</deliveryDate><endDate>2030-02-01</endDate>"
    "<cardCategory>PARKINGCARD</cardCategory></socialCard></socialCards></file></dgphResult>"
    "</results></ConsultFilesByDateResponse></Inhoud>"
)
PERSON_FILE = (
    f"<Inhoud><Persoon><INSZ>{INSZ}</INSZ><Adressen><Hoofdverblijfplaats>"
    "<NISCodeGemeente>44021</NISCodeGemeente></Hoofdverblijfplaats></Adressen></Persoon></Inhoud>"
)


def without_echo(service: str, namespace: str, inner: str) -> Callable[[str, str], bytes]:
    """An answer with no Ontvanger (so no echoed Referte), otherwise well formed."""

    def make(ref: str, qref: str) -> bytes:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP_ENV_NS}"><soapenv:Body>
<web:{service}Response xmlns:web="{namespace}"><Repliek>
<Context><Naam>{service}</Naam><Bericht><Type>ANTWOORD</Type></Bericht></Context>
<Antwoorden><Antwoord><Referte>{qref}</Referte>{inner}</Antwoord></Antwoorden>
</Repliek></web:{service}Response></soapenv:Body></soapenv:Envelope>""".encode()

    return make


def echoing(
    service: str, namespace: str, inner: str, *, qref: str | None = None
) -> Callable[[str, str], bytes]:
    def make(ref: str, question_ref: str) -> bytes:
        return soap_answer(service, namespace, ref, qref or question_ref, inner)

    return make


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=BASE, transport=httpx.ASGITransport(app=app))


async def _persoon(make: Callable[[str, str], bytes]) -> list[tuple[str, FactStatus, str]]:
    adapter = GeefPersoonAdapter(_client(echo_app(make)), organisation_id="x", owns_client=True)
    answer = await adapter.fetch(ctx(INSZ), PERSON)
    await adapter.aclose()
    return [(f.name, f.status, f.reason) for f in answer.facts]


async def _handicap(make: Callable[[str, str], bytes]) -> list[tuple[FactStatus, object, str]]:
    adapter = GeefDossierHandicapAdapter(
        _client(echo_app(make)), organisation_id="x", owns_client=True
    )
    answer = await adapter.fetch(ctx(INSZ), PARKING)
    await adapter.aclose()
    return [(f.status, f.value, f.reason) for f in answer.facts]


async def test_a_payload_in_a_foreign_namespace_is_refused() -> None:
    facts = await _persoon(echoing("GeefPersoon", "urn:evil", PERSON_FILE))
    assert facts[0][:2] == ("domicile_nis", FactStatus.SOURCE_ERROR)
    assert "answer element for GeefPersoon in an unexpected namespace" in facts[0][2]
    # the same answer in the service's namespace is read
    facts = await _persoon(echoing("GeefPersoon", GEEF_PERSOON.namespace, PERSON_FILE))
    assert facts[0][:2] == ("domicile_nis", FactStatus.KNOWN)


async def test_a_no_data_answer_in_a_foreign_namespace_is_refused() -> None:
    """30001 gives facts too ("does not apply"): it needs the same proof as content."""
    adapter = GeefSociaalStatuutAdapter(
        _client(echo_app(echoing("GeefSociaalStatuut", "urn:evil", exception_xml("30001")))),
        organisation_id="x",
        owns_client=True,
    )
    answer = await adapter.fetch(ctx(INSZ), STATUTES)
    await adapter.aclose()
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert all("unexpected namespace" in f.reason for f in answer.facts)


async def test_an_answer_that_does_not_echo_our_referte_is_refused() -> None:
    facts = await _persoon(without_echo("GeefPersoon", GEEF_PERSOON.namespace, PERSON_FILE))
    assert facts[0][:2] == ("domicile_nis", FactStatus.SOURCE_ERROR)
    assert "answer does not echo the request's Referte" in facts[0][2]


async def test_a_disability_file_without_ssin_needs_the_echoed_referte() -> None:
    """MAGDA may leave out ``ssin`` (the XSD allows it; 88681575651 does): the Referte binds it."""
    bound = await _handicap(
        echoing("GeefDossierHandicap", GEEF_DOSSIER_HANDICAP.namespace, PARKING_FILE)
    )
    assert bound[0][0] is FactStatus.KNOWN
    assert bound[0][1] == (Period.model_validate({"start": "2022-02-01", "end": "2030-02-01"}),)
    unbound = await _handicap(
        without_echo("GeefDossierHandicap", GEEF_DOSSIER_HANDICAP.namespace, PARKING_FILE)
    )
    assert unbound[0][0] is FactStatus.SOURCE_ERROR
    assert "does not echo the request's Referte" in unbound[0][2]


async def test_an_answer_to_another_question_is_refused() -> None:
    make = echoing(
        "GeefDossierHandicap", GEEF_DOSSIER_HANDICAP.namespace, PARKING_FILE, qref="other-question"
    )
    facts = await _handicap(make)
    assert facts[0][0] is FactStatus.SOURCE_ERROR
    assert "another question (Referte mismatch)" in facts[0][2]


async def test_a_refusal_without_proofs_still_only_fails() -> None:
    """A busy answer (99995) gives no facts: it is taken as it is, and stays transient."""
    adapter = GeefPersoonAdapter(
        _client(echo_app(without_echo("GeefPersoon", "urn:elsewhere", exception_xml("99995")))),
        organisation_id="x",
        owns_client=True,
    )
    answer = await adapter.fetch(ctx(INSZ), PERSON)
    await adapter.aclose()
    (call,) = answer.calls
    assert call.status is CallStatus.ERROR
    assert call.transient is True
    assert "busy (99995" in call.error


def _statutes(*entries: tuple[str, str]) -> str:
    body = "".join(
        f"<SociaalStatuut><Naam>{name}</Naam><Resultaat><Code>{code}</Code></Resultaat>"
        "</SociaalStatuut>"
        for name, code in entries
    )
    return (
        f"<Inhoud><Persoon><INSZ>{INSZ}</INSZ><SocialeStatuten>{body}</SocialeStatuten>"
        "</Persoon></Inhoud>"
    )


async def _ask_statutes(inner: str) -> dict[str, tuple[FactStatus, object, str]]:
    adapter = GeefSociaalStatuutAdapter(
        _client(echo_app(echoing("GeefSociaalStatuut", GEEF_SOCIAAL_STATUUT.namespace, inner))),
        organisation_id="x",
        owns_client=True,
    )
    answer = await adapter.fetch(ctx(INSZ), STATUTES)
    await adapter.aclose()
    return {f.name: (f.status, f.value, f.reason) for f in answer.facts}


async def test_a_statute_answered_twice_differently_stays_open() -> None:
    facts = await _ask_statutes(
        _statutes(
            ("LIVING_WAGES_PCSA_HELP", "1"), ("BIM_BVT", "0"), ("LIVING_WAGES_PCSA_HELP", "0")
        )
    )
    assert facts["living_wage"][0] is FactStatus.SOURCE_ERROR
    assert "conflicting answers for statute LIVING_WAGES_PCSA_HELP" in facts["living_wage"][2]
    assert facts["vt_own"][:2] == (FactStatus.KNOWN, ())  # the other statute still decides


async def test_a_statute_repeated_with_the_same_result_is_read() -> None:
    facts = await _ask_statutes(
        _statutes(
            ("LIVING_WAGES_PCSA_HELP", "0"), ("BIM_BVT", "0"), ("LIVING_WAGES_PCSA_HELP", "0")
        )
    )
    assert facts["living_wage"][:2] == (FactStatus.KNOWN, ())
