"""Every way a MAGDA consultation can go wrong becomes SOURCE_ERROR facts with a reason.

"No data" is an answer (the status does not apply); an unknown INSZ, a refusal,
a busy platform, a broken server or a hostile answer are not: the facts stay
unknowable and the call says whether a retry may help.
"""

from __future__ import annotations

import datetime as dt
import resource
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from starlette.applications import Starlette

from counter_app.sandbox.app import MAGDA_PREFIX, create_sandbox_app
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sources.base import CallStatus, SourceAnswer, SourceCall, WantedFact
from counter_app.sources.errors import UnsafeAnswer, is_transient
from counter_app.sources.magda_handicap import GeefDossierHandicapAdapter
from counter_app.sources.magda_persoon import GeefPersoonAdapter
from counter_app.sources.magda_soap import GEEF_PERSOON, GEEF_SOCIAAL_STATUUT
from counter_app.sources.magda_statuten import GeefSociaalStatuutAdapter
from counter_app.sources.safe_xml import parse_untrusted
from rules.facts import FactStatus, SourceId
from tests.sources.conftest import (
    BASE,
    UNKNOWN_INSZ,
    RecordingTransport,
    SandboxEnv,
    assert_valid_request,
    build_env,
    ctx,
)
from tests.sources.hostile import (
    BILLION_LAUGHS,
    echo_app,
    exception_xml,
    fixed_app,
    soap_answer,
    write_persona_answer,
)

pytestmark = pytest.mark.anyio

PERSON = [WantedFact(name="domicile_nis"), WantedFact(name="deceased")]
STATUTES = [WantedFact(name="vt_own", key="BIM_BVT"), WantedFact(name="living_wage")]


def assert_failed(answer: SourceAnswer, reason_part: str, *, transient: bool) -> SourceCall:
    assert answer.facts, "one fact per wanted name, whatever happens"
    for fact in answer.facts:
        assert fact.status is FactStatus.SOURCE_ERROR
        assert reason_part in fact.reason
        assert fact.reference == answer.calls[0].reference
    (call,) = answer.calls
    assert call.status in (CallStatus.ERROR, CallStatus.TIMEOUT)
    assert reason_part in call.error
    assert call.transient is transient
    assert is_transient(call) is transient
    return call


_RECORDERS: list[RecordingTransport] = []


@pytest.fixture(autouse=True)
def every_request_is_valid(magda_schemas: dict[str, etree.XMLSchema]) -> Iterator[None]:
    """Requests sent to the hostile servers below are XSD-checked too."""
    _RECORDERS.clear()
    yield
    for recorder in _RECORDERS:
        for body in recorder.magda_bodies():
            assert_valid_request(magda_schemas, body)


def _recorded(app: Starlette) -> RecordingTransport:
    recorder = RecordingTransport(httpx.ASGITransport(app=app))
    _RECORDERS.append(recorder)
    return recorder


def _persoon_adapter(app: Starlette, **kwargs: object) -> GeefPersoonAdapter:
    client = httpx.AsyncClient(base_url=BASE, transport=_recorded(app))
    return GeefPersoonAdapter(
        client,
        url=MAGDA_PREFIX + GEEF_PERSOON.default_path,
        organisation_id="gent.be/loket-tests",
        owns_client=True,
        **kwargs,  # type: ignore[arg-type]
    )


# -- Uitzonderingen -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason", "transient"),
    [
        ("30003", "INSZ unknown to the source", False),
        ("40003", "refused the question (MAGDA 40003)", False),
        ("13202", "refused the question (MAGDA 13202)", False),
        ("99995", "busy (99995", True),
    ],
)
async def test_exception_codes_on_the_question(
    tmp_path: Path,
    magda_schemas: dict[str, etree.XMLSchema],
    code: str,
    reason: str,
    transient: bool,
) -> None:
    write_persona_answer(
        tmp_path, "Persoon", "GeefPersoon", "02.02.0000", UNKNOWN_INSZ, exception_xml(code)
    )
    env = build_env(create_sandbox_app(tmp_path), magda_schemas)
    answer = await env.sources.adapters[SourceId.NATIONAL_REGISTER].fetch(ctx(UNKNOWN_INSZ), PERSON)
    await env.sources.aclose()
    assert_failed(answer, reason, transient=transient)
    env.validate_all_requests()


async def test_no_data_means_the_statutes_do_not_apply(
    tmp_path: Path, magda_schemas: dict[str, etree.XMLSchema]
) -> None:
    write_persona_answer(
        tmp_path,
        "SocZek",
        "GeefSociaalStatuut",
        "03.00.0000",
        UNKNOWN_INSZ,
        exception_xml("30001", "KSZ"),
    )
    write_persona_answer(
        tmp_path,
        "SocZek",
        "GeefDossierHandicap",
        "03.00.0000",
        UNKNOWN_INSZ,
        exception_xml("30001", "KSZ"),
    )
    env = build_env(create_sandbox_app(tmp_path), magda_schemas)
    statutes = await env.sources.adapters[SourceId.SOCIAL_STATUTES].fetch(
        ctx(UNKNOWN_INSZ), STATUTES
    )
    cards = await env.sources.adapters[SourceId.DISABILITY_FILE].fetch(
        ctx(UNKNOWN_INSZ), [WantedFact(name="parking_card")]
    )
    await env.sources.aclose()
    for answer in (statutes, cards):
        assert all(f.status is FactStatus.KNOWN and f.value == () for f in answer.facts)
        assert answer.calls[0].status is CallStatus.OK
    env.validate_all_requests()


async def test_a_warning_does_not_hide_the_content(
    tmp_path: Path, magda_schemas: dict[str, etree.XMLSchema]
) -> None:
    content = (
        "<Inhoud><Persoon><INSZ>00000000000</INSZ><SocialeStatuten><SociaalStatuut>"
        "<Naam>BIM_BVT</Naam><Resultaat><Code>1</Code></Resultaat><Periodes><Periode>"
        "<Begindatum>2025-01-01</Begindatum></Periode></Periodes></SociaalStatuut>"
        "</SocialeStatuten></Persoon></Inhoud>" + exception_xml("70001", "KSZ", "WAARSCHUWING")
    )
    write_persona_answer(
        tmp_path, "SocZek", "GeefSociaalStatuut", "03.00.0000", UNKNOWN_INSZ, content
    )
    env = build_env(create_sandbox_app(tmp_path), magda_schemas)
    answer = await env.sources.adapters[SourceId.SOCIAL_STATUTES].fetch(ctx(UNKNOWN_INSZ), STATUTES)
    await env.sources.aclose()
    assert env.validate_all_requests() == 1
    by_name = {f.name: f for f in answer.facts}
    assert by_name["vt_own"].value[0].start == dt.date(2025, 1, 1)  # type: ignore[index,union-attr]
    assert by_name["living_wage"].value == ()  # asked but absent: the sandbox answers "0"


async def test_unknown_result_code_fails_only_that_statute(
    tmp_path: Path, magda_schemas: dict[str, etree.XMLSchema]
) -> None:
    content = (
        "<Inhoud><Persoon><INSZ>0</INSZ><SocialeStatuten><SociaalStatuut><Naam>BIM_BVT</Naam>"
        "<Resultaat><Code>9</Code></Resultaat></SociaalStatuut></SocialeStatuten></Persoon></Inhoud>"
    )
    write_persona_answer(
        tmp_path, "SocZek", "GeefSociaalStatuut", "03.00.0000", UNKNOWN_INSZ, content
    )
    env = build_env(create_sandbox_app(tmp_path), magda_schemas)
    answer = await env.sources.adapters[SourceId.SOCIAL_STATUTES].fetch(ctx(UNKNOWN_INSZ), STATUTES)
    await env.sources.aclose()
    assert env.validate_all_requests() == 1
    by_name = {f.name: f for f in answer.facts}
    assert by_name["vt_own"].status is FactStatus.SOURCE_ERROR
    assert "unknown result code" in by_name["vt_own"].reason
    assert by_name["living_wage"].status is FactStatus.KNOWN


async def test_dgph_failure_status_is_an_error(
    tmp_path: Path, magda_schemas: dict[str, etree.XMLSchema]
) -> None:
    content = (
        "<Inhoud><ConsultFilesByDateResponse><status><value>DATA_FOUND</value></status>"
        "<results><dgphResult><status><value>TECHNICAL_ERROR</value></status></dgphResult>"
        "</results></ConsultFilesByDateResponse></Inhoud>"
    )
    write_persona_answer(
        tmp_path, "SocZek", "GeefDossierHandicap", "03.00.0000", UNKNOWN_INSZ, content
    )
    env = build_env(create_sandbox_app(tmp_path), magda_schemas)
    answer = await env.sources.adapters[SourceId.DISABILITY_FILE].fetch(
        ctx(UNKNOWN_INSZ), [WantedFact(name="parking_card")]
    )
    await env.sources.aclose()
    assert env.validate_all_requests() == 1
    assert_failed(answer, "TECHNICAL_ERROR", transient=False)


# -- injected faults ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "reason", "transient"),
    [
        (SourceFaults(magda_busy=True), "99995", True),
        (SourceFaults(http_500=True), "SOAP fault (soapenv:Server)", True),
        (SourceFaults(error_rate=1.0), "HTTP 503", True),
        (SourceFaults(malformed=True), "not well-formed", False),
    ],
)
async def test_injected_faults(
    own_env: SandboxEnv, faults: SourceFaults, reason: str, transient: bool
) -> None:
    switch = own_env.app.state.faults
    switch.set(SandboxFaults.only(SourceId.SOCIAL_STATUTES, faults))
    broken = await own_env.sources.adapters[SourceId.SOCIAL_STATUTES].fetch(
        ctx("88681575651"), STATUTES
    )
    assert_failed(broken, reason, transient=transient)
    # other sources are untouched, and the source recovers when the fault is lifted
    healthy = await own_env.sources.adapters[SourceId.NATIONAL_REGISTER].fetch(
        ctx("88681575651"), PERSON
    )
    assert healthy.calls[0].status is CallStatus.OK
    switch.set(SandboxFaults())
    again = await own_env.sources.adapters[SourceId.SOCIAL_STATUTES].fetch(
        ctx("88681575651"), STATUTES
    )
    assert again.calls[0].status is CallStatus.OK


# -- hostile or broken answers ------------------------------------------------------------------


async def test_billion_laughs_is_refused_without_expansion() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    adapter = _persoon_adapter(fixed_app(BILLION_LAUGHS))
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    assert_failed(answer, "document type declaration refused", transient=False)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50_000  # expanded, the bomb would need gigabytes


def test_billion_laughs_with_a_late_doctype_is_still_refused() -> None:
    padded = BILLION_LAUGHS.replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0"?>' + b" " * 8000
    )
    with pytest.raises(UnsafeAnswer):
        parse_untrusted(padded)


def test_external_entity_is_refused() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(UnsafeAnswer):
        parse_untrusted(xxe)


async def test_oversized_answer_is_refused_before_parsing() -> None:
    big = b"<x>" + b"a" * 300_000 + b"</x>"
    adapter = _persoon_adapter(fixed_app(big), max_response_bytes=100_000)
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    assert_failed(answer, "refused (limit 100000)", transient=False)


@pytest.mark.parametrize(
    ("body", "status", "reason", "transient"),
    [
        (b"<html>maintenance</html>", 200, "not a SOAP 1.1 envelope", False),
        (b"<html>bad gateway</html>", 502, "HTTP 502", True),
        (b"not xml at all", 200, "not well-formed", False),
        (b"", 200, "not well-formed", False),
        (b"forbidden", 403, "HTTP 403", False),
    ],
)
async def test_broken_answers(body: bytes, status: int, reason: str, transient: bool) -> None:
    adapter = _persoon_adapter(fixed_app(body, status=status))
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    assert_failed(answer, reason, transient=transient)


async def test_soap_fault_with_http_200() -> None:
    fault = (
        b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>'
        b"<faultcode>e:Client</faultcode><faultstring>bad</faultstring></e:Fault></e:Body></e:Envelope>"
    )
    adapter = _persoon_adapter(fixed_app(fault))
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    assert_failed(answer, "SOAP fault (e:Client)", transient=False)


async def test_answer_for_another_request_is_refused() -> None:
    def make(ref: str, qref: str) -> bytes:
        return soap_answer(
            "GeefPersoon",
            GEEF_PERSOON.namespace,
            "someone-elses-referte",
            qref,
            "<Inhoud><Persoon><INSZ>01700462685</INSZ></Persoon></Inhoud>",
        )

    adapter = _persoon_adapter(echo_app(make))
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    assert_failed(answer, "Referte mismatch", transient=False)


def _person_answer(inhoud_person: str):  # type: ignore[no-untyped-def]
    def make(ref: str, qref: str) -> bytes:
        return soap_answer(
            "GeefPersoon",
            GEEF_PERSOON.namespace,
            ref,
            qref,
            f"<Inhoud><Persoon><INSZ>01700462685</INSZ>{inhoud_person}</Persoon></Inhoud>",
        )

    return make


async def test_a_residence_without_nis_code_leaves_the_municipality_open() -> None:
    """The XSD makes NISCodeGemeente optional: its absence is not "lives nowhere".

    Read as "", the rules' residence condition said a definite no, and a Ghent
    resident (postal code 9031, Drongen) was advised "no right".
    """
    residence = (
        "<Adressen><Hoofdverblijfplaats><Straat><Naam>Kerkstraat</Naam></Straat>"
        "<Postcode>9031</Postcode></Hoofdverblijfplaats></Adressen>"
    )
    adapter = _persoon_adapter(echo_app(_person_answer(residence)))
    wanted = [*PERSON, WantedFact(name="domicile_postal_code")]
    answer = await adapter.fetch(ctx("01700462685"), wanted)
    await adapter.aclose()
    facts = {f.name: f for f in answer.facts}
    assert facts["domicile_nis"].status is FactStatus.SOURCE_ERROR
    assert "main residence without NIS code" in facts["domicile_nis"].reason
    assert facts["domicile_postal_code"].value == "9031"
    assert facts["deceased"].value is False


async def test_no_main_residence_in_belgium_is_an_answer() -> None:
    adapter = _persoon_adapter(echo_app(_person_answer("")))
    answer = await adapter.fetch(ctx("01700462685"), PERSON)
    await adapter.aclose()
    facts = {f.name: f for f in answer.facts}
    assert facts["domicile_nis"].status is FactStatus.KNOWN
    assert facts["domicile_nis"].value == ""


async def test_answer_about_another_person_is_refused() -> None:
    def make(ref: str, qref: str) -> bytes:
        return soap_answer(
            "GeefSociaalStatuut",
            GEEF_SOCIAAL_STATUUT.namespace,
            ref,
            qref,
            "<Inhoud><Persoon><INSZ>88681575651</INSZ><SocialeStatuten/></Persoon></Inhoud>",
        )

    client = httpx.AsyncClient(base_url=BASE, transport=_recorded(echo_app(make)))
    adapter = GeefSociaalStatuutAdapter(client, organisation_id="x", owns_client=True)
    answer = await adapter.fetch(ctx("01700462685"), STATUTES)
    await adapter.aclose()
    assert_failed(answer, "INSZ mismatch", transient=False)


async def test_connection_refused_is_transient() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = httpx.AsyncClient(timeout=2.0)
    adapter = GeefDossierHandicapAdapter(
        client, url=f"http://127.0.0.1:{port}/magda", organisation_id="x", owns_client=True
    )
    answer = await adapter.fetch(ctx("01700462685"), [WantedFact(name="parking_card")])
    await adapter.aclose()
    assert_failed(answer, "could not connect", transient=True)


async def test_sandbox_keeps_only_asked_parts_of_the_disability_file(own_env: SandboxEnv) -> None:
    """Data minimisation in the emulation too: no recognitions or address come back."""
    async with httpx.AsyncClient(
        base_url=BASE, transport=httpx.ASGITransport(app=own_env.app)
    ) as client:
        response = await client.post(
            MAGDA_PREFIX + "/GeefDossierHandicap-03.00/soap/WebService",
            content=_handicap_request_for("90641840238"),
        )
    assert response.status_code == 200
    assert b"<cardCategory>PARKINGCARD</cardCategory>" in response.content
    assert b"handicapRecognitions" not in response.content


def _handicap_request_for(insz: str) -> bytes:
    from counter_app.sources.magda_handicap import _fill_question
    from counter_app.sources.magda_soap import GEEF_DOSSIER_HANDICAP, build_request

    return build_request(
        GEEF_DOSSIER_HANDICAP,
        ctx=ctx(insz),
        organisation_id="x",
        reference="r",
        question_reference="q",
        now=dt.datetime(2026, 1, 5, 10, 0),
        fill_question=_fill_question(insz, dt.date(2026, 1, 5)),
    )


async def test_invalid_insz_is_not_sent(own_env: SandboxEnv) -> None:
    answer = await own_env.sources.adapters[SourceId.NATIONAL_REGISTER].fetch(
        ctx("0170046268"), PERSON
    )
    assert answer.calls == () and own_env.transport.requests == []
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert "invalid INSZ format" in answer.facts[0].reason


async def test_control_characters_in_the_purpose_are_an_error_not_a_crash(
    own_env: SandboxEnv,
) -> None:
    bad = ctx("01700462685").model_copy(update={"purpose": "ipdc\x00"})
    answer = await own_env.sources.adapters[SourceId.NATIONAL_REGISTER].fetch(bad, PERSON)
    assert_failed(answer, "could not be built", transient=False)
    assert own_env.transport.requests == []
