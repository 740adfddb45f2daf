"""The adapters against a real uvicorn sandbox on 127.0.0.1 (network, timeouts, streaming)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sandbox.personas import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from counter_app.sandbox.server import (
    RunningSandbox,
    SandboxTls,
    run_sandbox_server,
    running_sandbox,
)
from counter_app.sources.base import CallStatus, WantedFact
from counter_app.sources.errors import is_transient
from counter_app.sources.factory import SourceSet, build_adapters
from counter_app.sources.http import make_http_client
from counter_app.sources.magda_persoon import GeefPersoonAdapter
from rules.facts import FactStatus, Period, SourceId
from tests.sources.conftest import OWN_PERSONAS, RecordingTransport, assert_valid_request, ctx
from tests.sources.hostile import endless_app
from tests.sources.tlspki import make_pki

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

WANTED = {
    SourceId.NATIONAL_REGISTER: [WantedFact(name="domicile_nis"), WantedFact(name="deceased")],
    SourceId.SOCIAL_STATUTES: [
        WantedFact(name="vt_own", key="BIM_BVT"),
        WantedFact(name="living_wage", key="LIVING_WAGES_PCSA_HELP"),
    ],
    SourceId.DISABILITY_FILE: [WantedFact(name="parking_card", key="PARKINGCARD")],
    SourceId.OCMW_LIST: [WantedFact(name="ocmw_budget_guidance", key="budgetbegeleiding")],
}


@pytest.fixture(scope="module")
def server() -> Iterator[RunningSandbox]:
    with running_sandbox(OWN_PERSONAS) as running:
        yield running


@pytest.fixture(autouse=True)
def healthy(server: RunningSandbox) -> Iterator[None]:
    server.faults.set(SandboxFaults())
    yield
    server.faults.set(SandboxFaults())


def _sources(
    server: RunningSandbox, transport: httpx.AsyncBaseTransport | None = None
) -> SourceSet:
    return build_adapters(
        magda_url=server.magda_url,
        organisation_id="gent.be/loket-tests",
        ocmw_url=server.ocmw_url,
        uitpas_url=server.uitpas_url,
        uitpas_client_id=SANDBOX_CLIENT_ID,
        uitpas_client_secret=SANDBOX_CLIENT_SECRET,
        transport=transport,
        timeout=5.0,
    )


async def test_all_sources_over_real_http(
    server: RunningSandbox, magda_schemas: dict[str, etree.XMLSchema]
) -> None:
    recorder = RecordingTransport(httpx.AsyncHTTPTransport())
    sources = _sources(server, recorder)
    try:
        subject = ctx("69650368562")
        answers = {s: await sources.adapters[s].fetch(subject, w) for s, w in WANTED.items()}
        assert sources.uitpas is not None
        status = await sources.uitpas.passholder_status("01700462685", purpose="p")
    finally:
        await sources.aclose()
    facts = {f.name: f for a in answers.values() for f in a.facts}
    assert all(f.status is FactStatus.KNOWN for f in facts.values())
    assert facts["domicile_nis"].value == "44021"
    assert facts["vt_own"].value == ()  # 30001 for this persona
    assert facts["ocmw_budget_guidance"].value == (
        Period(start=dt.date(2025, 6, 1), end=dt.date(2026, 5, 31)),
    )
    assert status.value.is_passholder
    bodies = recorder.magda_bodies()
    assert len(bodies) == 3
    for body in bodies:
        assert_valid_request(magda_schemas, body)


async def test_a_hanging_source_ends_at_the_adapter_timeout(server: RunningSandbox) -> None:
    server.faults.set(SandboxFaults.only(SourceId.NATIONAL_REGISTER, SourceFaults(hang=True)))
    client = httpx.AsyncClient(timeout=30.0)
    adapter = GeefPersoonAdapter(
        client,
        url=server.magda_url + "/GeefPersoon-02.02/soap/WebService",
        organisation_id="x",
        timeout=httpx.Timeout(0.5),
        owns_client=True,
    )
    answer = await adapter.fetch(ctx("01700462685"), WANTED[SourceId.NATIONAL_REGISTER])
    await adapter.aclose()
    (call,) = answer.calls
    assert call.status is CallStatus.TIMEOUT and is_transient(call)
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert "time limit" in answer.facts[0].reason


async def test_latency_and_concurrency(server: RunningSandbox) -> None:
    server.faults.set(
        SandboxFaults.only(SourceId.SOCIAL_STATUTES, SourceFaults(latency_ms=20, latency_max_ms=60))
    )
    sources = _sources(server)
    adapter = sources.adapters[SourceId.SOCIAL_STATUTES]
    try:
        answers = await asyncio.gather(
            *(
                adapter.fetch(ctx("76642812413"), WANTED[SourceId.SOCIAL_STATUTES])
                for _ in range(20)
            )
        )
    finally:
        await sources.aclose()
    assert all(a.calls[0].status is CallStatus.OK for a in answers)
    assert all(a.calls[0].duration_ms >= 20 for a in answers)
    assert len({a.calls[0].reference for a in answers}) == 20


async def test_faults_can_be_changed_over_http(server: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.put(
            "/_sandbox/faults", json={"disability_file": {"magda_busy": True}}
        )
        assert response.status_code == 200
        bad = await client.put("/_sandbox/faults", json={"disability_file": {"nonsense": 1}})
        assert bad.status_code == 400
    assert server.faults.current.disability_file.magda_busy
    sources = _sources(server)
    try:
        answer = await sources.adapters[SourceId.DISABILITY_FILE].fetch(
            ctx("88681575651"), WANTED[SourceId.DISABILITY_FILE]
        )
    finally:
        await sources.aclose()
    assert "99995" in answer.calls[0].error and answer.calls[0].transient


async def test_an_endless_answer_is_cut_at_the_byte_cap() -> None:
    app, sent = endless_app()
    with running_sandbox(app=app) as hostile:
        client = httpx.AsyncClient(timeout=10.0)
        adapter = GeefPersoonAdapter(
            client,
            url=hostile.url + "/magda",
            organisation_id="x",
            max_response_bytes=1_000_000,
            owns_client=True,
        )
        answer = await adapter.fetch(ctx("01700462685"), WANTED[SourceId.NATIONAL_REGISTER])
        await adapter.aclose()
    assert "larger than 1000000 bytes refused" in answer.calls[0].error
    assert sent[0] < 1_000  # the server was stopped long before its 6.5 GB were read


async def test_mutual_tls(tmp_path: Path) -> None:
    """Client certificate and CA bundle reach the TLS layer; without them MAGDA refuses us."""
    pki = make_pki(tmp_path)
    tls = SandboxTls(certfile=pki.server_cert, keyfile=pki.server_key, client_ca=pki.ca)
    with running_sandbox(OWN_PERSONAS, tls=tls) as secure:
        assert secure.url.startswith("https://")
        sources = build_adapters(
            magda_url=secure.magda_url,
            organisation_id="gent.be/loket-tests",
            magda_client_cert=pki.client_cert,
            magda_client_key=pki.client_key,
            magda_ca_bundle=pki.ca,
            timeout=5.0,
        )
        anonymous = GeefPersoonAdapter(
            make_http_client(ca_bundle=pki.ca, timeout=5.0),
            url=secure.magda_url + "/GeefPersoon-02.02/soap/WebService",
            organisation_id="x",
            owns_client=True,
        )
        untrusting = GeefPersoonAdapter(
            make_http_client(timeout=5.0),  # system roots only: the sandbox CA is unknown
            url=secure.magda_url + "/GeefPersoon-02.02/soap/WebService",
            organisation_id="x",
            owns_client=True,
        )
        try:
            ok = await sources.adapters[SourceId.NATIONAL_REGISTER].fetch(
                ctx("01700462685"), WANTED[SourceId.NATIONAL_REGISTER]
            )
            refused = await anonymous.fetch(ctx("01700462685"), WANTED[SourceId.NATIONAL_REGISTER])
            distrusted = await untrusting.fetch(
                ctx("01700462685"), WANTED[SourceId.NATIONAL_REGISTER]
            )
        finally:
            await sources.aclose()
            await anonymous.aclose()
            await untrusting.aclose()
    assert ok.calls[0].status is CallStatus.OK and ok.facts[0].value == "44021"
    for failed in (refused, distrusted):
        assert failed.calls[0].status is CallStatus.ERROR
        assert {f.status for f in failed.facts} == {FactStatus.SOURCE_ERROR}


def test_a_busy_port_is_a_plain_os_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            run_sandbox_server(port=taken.getsockname()[1], personas=OWN_PERSONAS)
