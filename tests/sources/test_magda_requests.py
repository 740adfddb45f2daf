"""Requests: valid against the official XSDs, minimal, and traceable (Referte, purpose, clerk)."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from counter_app.sources.base import QueryContext, WantedFact
from counter_app.sources.magda_soap import GEEF_PERSOON, build_request
from rules.facts import SourceId
from tests.sources.conftest import CLERK_INSZ, SandboxEnv, assert_valid_request, ctx, soap_payload

pytestmark = pytest.mark.anyio

ALL_STATUTES = [
    WantedFact(name="living_wage", key="LIVING_WAGES_PCSA_HELP"),
    WantedFact(name="vt_own", key="BIM_BVT"),
    WantedFact(name="vt_family", key="BIM_BVT_IN_FAMILY"),
]


def _afzender(payload: etree._Element) -> etree._Element:
    found = payload.find("Verzoek/Context/Bericht/Afzender")
    assert found is not None
    return found


async def test_every_service_request_validates_against_its_xsd(own_env: SandboxEnv) -> None:
    adapters = own_env.sources.adapters
    subject = ctx("88681575651")
    await adapters[SourceId.NATIONAL_REGISTER].fetch(subject, [WantedFact(name="domicile_nis")])
    await adapters[SourceId.SOCIAL_STATUTES].fetch(subject, ALL_STATUTES)
    await adapters[SourceId.DISABILITY_FILE].fetch(subject, [WantedFact(name="parking_card")])
    bodies = own_env.transport.magda_bodies()
    assert len(bodies) == 3
    services = [etree.QName(assert_valid_request(own_env.schemas, b)).localname for b in bodies]
    assert services == ["GeefPersoon", "GeefSociaalStatuut", "GeefDossierHandicap"]


async def test_request_without_clerk_validates_and_omits_gebruiker(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.NATIONAL_REGISTER]
    await adapter.fetch(ctx("01700462685", clerk=None), [WantedFact(name="deceased")])
    payload = assert_valid_request(own_env.schemas, own_env.transport.magda_bodies()[0])
    assert _afzender(payload).find("Gebruiker") is None


async def test_context_carries_organisation_purpose_clerk_and_unique_references(
    own_env: SandboxEnv,
) -> None:
    adapter = own_env.sources.adapters[SourceId.NATIONAL_REGISTER]
    answers = [
        await adapter.fetch(ctx("01700462685"), [WantedFact(name="domicile_nis")]) for _ in range(3)
    ]
    payloads = [soap_payload(b) for b in own_env.transport.magda_bodies()]
    references = set()
    for payload, answer in zip(payloads, answers, strict=True):
        afzender = _afzender(payload)
        assert afzender.findtext("Identificatie") == "gent.be/loket-tests"
        assert afzender.findtext("Hoedanigheid") == "ipdc2858"
        assert afzender.findtext("Gebruiker") == CLERK_INSZ
        message_ref = afzender.findtext("Referte")
        question_ref = payload.findtext("Verzoek/Vragen/Vraag/Referte")
        (call,) = answer.calls
        assert (call.reference, call.question_reference) == (message_ref, question_ref)
        assert call.purpose == "ipdc2858" and call.service == "GeefPersoon"
        assert call.version == "02.02.0000"
        assert answer.facts[0].reference == message_ref
        references.update({message_ref, question_ref})
    assert len(references) == 6  # one per message and one per question, never reused


async def test_only_asked_statutes_on_the_reference_date(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.SOCIAL_STATUTES]
    day = dt.date(2025, 11, 3)
    await adapter.fetch(
        ctx("88681575651", day=day), [WantedFact(name="vt_family", key="BIM_BVT_IN_FAMILY")]
    )
    payload = assert_valid_request(own_env.schemas, own_env.transport.magda_bodies()[0])
    statutes = payload.findall(
        "Verzoek/Vragen/Vraag/Inhoud/Criteria/SocialeStatuten/SociaalStatuut"
    )
    assert [s.findtext("Naam") for s in statutes] == ["BIM_BVT_IN_FAMILY"]
    assert statutes[0].findtext("Datum/Datum") == "2025-11-03"


async def test_more_than_eight_statutes_are_split_into_valid_questions(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.SOCIAL_STATUTES]
    wanted = [WantedFact(name="vt_own", key=f"STATUTE_{i}") for i in range(9)]
    answer = await adapter.fetch(ctx("88681575651"), wanted)
    assert len(answer.calls) == 2
    assert own_env.validate_all_requests() == 2


async def test_disability_request_asks_only_social_cards(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.DISABILITY_FILE]
    await adapter.fetch(
        ctx("88681575651", day=dt.date(2026, 2, 1)), [WantedFact(name="parking_card")]
    )
    payload = assert_valid_request(own_env.schemas, own_env.transport.magda_bodies()[0])
    criteria = payload.find("Verzoek/Vragen/Vraag/Criteria/ConsultFilesByDateCriteria")
    assert criteria is not None
    parts = criteria.find("parts")
    assert parts is not None and [p.tag for p in parts] == ["socialCards"]
    assert criteria.findtext("referenceDate") == "2026-02-01"
    assert criteria.findtext("ssin") == "88681575651"


def test_user_text_is_escaped_not_interpreted(magda_schemas: dict[str, etree.XMLSchema]) -> None:
    hostile = QueryContext(
        subject_insz="01700462685",
        reference_date=dt.date(2026, 1, 5),
        purpose="</H><Gebruiker>&x",
    )

    def fill(vraag: etree._Element) -> None:
        inhoud = etree.SubElement(vraag, "Inhoud")
        etree.SubElement(etree.SubElement(inhoud, "Criteria"), "INSZ").text = "01700462685"
        etree.SubElement(inhoud, "Bron").text = "RR"
        etree.SubElement(inhoud, "Taal").text = "nl"

    body = build_request(
        GEEF_PERSOON,
        ctx=hostile,
        organisation_id="gent.be/loket",
        reference="r1",
        question_reference="q1",
        now=dt.datetime(2026, 1, 5, 9, 30, 1, 250000),
        fill_question=fill,
    )
    payload = assert_valid_request(magda_schemas, body)
    afzender = _afzender(payload)
    assert afzender.findtext("Hoedanigheid") == "</H><Gebruiker>&x"
    assert afzender.find("Gebruiker") is None
    assert payload.findtext("Verzoek/Context/Bericht/Tijdstip/Tijd") == "09:30:01.250"


def test_schema_rejects_a_broken_request(magda_schemas: dict[str, etree.XMLSchema]) -> None:
    """The validation is real: a request with a malformed INSZ does not pass."""

    def fill(vraag: etree._Element) -> None:
        inhoud = etree.SubElement(vraag, "Inhoud")
        etree.SubElement(etree.SubElement(inhoud, "Criteria"), "INSZ").text = "123"
        etree.SubElement(inhoud, "Bron").text = "RR"
        etree.SubElement(inhoud, "Taal").text = "nl"

    body = build_request(
        GEEF_PERSOON,
        ctx=ctx("01700462685"),
        organisation_id="gent.be/loket",
        reference="r1",
        question_reference="q1",
        now=dt.datetime(2026, 1, 5, 9, 30),
        fill_question=fill,
    )
    payload = soap_payload(body)
    assert not magda_schemas["GeefPersoon"].validate(payload)


async def test_service_endpoints_default_and_override(
    magda_schemas: dict[str, etree.XMLSchema],
) -> None:
    from counter_app.sandbox.app import create_sandbox_app
    from tests.sources.conftest import BASE, OWN_PERSONAS, build_env

    env = build_env(
        create_sandbox_app(OWN_PERSONAS),
        magda_schemas,
        magda_service_urls={"GeefPersoon": BASE + "/magda/elsewhere/GeefPersoon"},
    )
    subject = ctx("01700462685")
    await env.sources.adapters[SourceId.NATIONAL_REGISTER].fetch(
        subject, [WantedFact(name="deceased")]
    )
    await env.sources.adapters[SourceId.DISABILITY_FILE].fetch(
        subject, [WantedFact(name="parking_card")]
    )
    await env.sources.aclose()
    assert [r.url.path for r in env.transport.requests] == [
        "/magda/elsewhere/GeefPersoon",
        "/magda/GeefDossierHandicap-03.00/soap/WebService",
    ]
    assert all(r.headers["content-type"].startswith("text/xml") for r in env.transport.requests)
    assert env.validate_all_requests() == 2
