"""WS-Security over real HTTP: a sandbox on 127.0.0.1 that, like MAGDA, demands signed requests."""

from __future__ import annotations

import functools
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import anyio
import httpx
import pytest
from lxml import etree

from counter_app.sandbox.app import MAGDA_PREFIX, create_sandbox_app
from counter_app.sandbox.server import RunningSandbox, running_sandbox
from counter_app.sources.base import CallStatus, SourceAnswer, WantedFact
from counter_app.sources.errors import is_transient
from counter_app.sources.factory import build_adapters
from counter_app.sources.wssecurity import refusal, verify_envelope
from rules.facts import FactStatus, SourceId
from tests.sources.conftest import OWN_PERSONAS, RecordingTransport, assert_valid_request, ctx
from tests.sources.wsspki import Identity, make_identity

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

WANTED = {
    SourceId.NATIONAL_REGISTER: [WantedFact(name="domicile_nis"), WantedFact(name="deceased")],
    SourceId.SOCIAL_STATUTES: [WantedFact(name="vt_own", key="BIM_BVT")],
    SourceId.DISABILITY_FILE: [WantedFact(name="parking_card", key="PARKINGCARD")],
}


@pytest.fixture(scope="module")
def client_identity(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return make_identity(tmp_path_factory.mktemp("client"), "rsa-2048")


@pytest.fixture(scope="module")
def strict_server(client_identity: Identity) -> Iterator[RunningSandbox]:
    """MAGDA emulation that answers only requests signed with the city's certificate."""
    check = functools.partial(refusal, trusted=[client_identity.certificate])
    app = create_sandbox_app(OWN_PERSONAS, magda_request_check=check)
    with running_sandbox(app=app) as running:
        yield running


async def _ask(
    server: RunningSandbox,
    identity: Identity,
    *,
    signing: bool,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[SourceId, SourceAnswer]:
    sources = build_adapters(
        magda_url=server.magda_url,
        organisation_id="gent.be/loket-tests",
        magda_client_cert=identity.cert,
        magda_client_key=identity.key,
        magda_ws_security=signing,
        transport=transport,
        timeout=5.0,
    )
    try:
        return {
            source: await sources.adapters[source].fetch(ctx("69650368562"), wanted)
            for source, wanted in WANTED.items()
        }
    finally:
        await sources.aclose()


async def test_signed_requests_are_answered(
    strict_server: RunningSandbox,
    client_identity: Identity,
    magda_schemas: dict[str, etree.XMLSchema],
) -> None:
    recorder = RecordingTransport(httpx.AsyncHTTPTransport())
    answers = await _ask(strict_server, client_identity, signing=True, transport=recorder)
    for answer in answers.values():
        (call,) = answer.calls
        assert call.status is CallStatus.OK, call.error
    facts = {f.name: f for a in answers.values() for f in a.facts}
    assert all(f.status is FactStatus.KNOWN for f in facts.values())
    assert facts["domicile_nis"].value == "44021"
    bodies = recorder.magda_bodies()
    assert len(bodies) == 3
    for body in bodies:
        verify_envelope(body, trusted=[client_identity.certificate])
        assert_valid_request(magda_schemas, body)  # the signed payload still meets the XSD


async def test_unsigned_requests_fail_clearly(
    strict_server: RunningSandbox, client_identity: Identity
) -> None:
    """Signing off: every fact is a source error that names WS-Security, never "no right"."""
    answers = await _ask(strict_server, client_identity, signing=False)
    for answer in answers.values():
        (call,) = answer.calls
        assert call.status is CallStatus.ERROR
        assert not is_transient(call)
        assert call.error == (
            "MAGDA refused the request's WS-Security signature "
            "(wsse:InvalidSecurity: error in the WS-Security header)"
        )
        for fact in answer.facts:
            assert fact.status is FactStatus.SOURCE_ERROR
            assert "WS-Security" in fact.reason


async def test_a_certificate_the_server_does_not_know_is_refused(
    strict_server: RunningSandbox, tmp_path: Path
) -> None:
    stranger = make_identity(tmp_path, "ec-p256", name="someone else")
    answers = await _ask(strict_server, stranger, signing=True)
    call = answers[SourceId.NATIONAL_REGISTER].calls[0]
    assert call.status is CallStatus.ERROR
    assert "FailedAuthentication" in call.error


async def test_counter_app_sandbox_command_can_require_signed_requests(
    client_identity: Identity, tmp_path: Path
) -> None:
    """``counter-app sandbox --require-signed CERT``: the same refusal from the command line."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counter_app",
            "sandbox",
            "--port",
            str(port),
            "--require-signed",
            str(client_identity.cert),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):  # until it listens
                try:
                    await client.get(base + "/")
                    break
                except httpx.TransportError:
                    await anyio.sleep(0.05)
        running = SimpleNamespace(magda_url=base + MAGDA_PREFIX)
        signed = await _ask(running, client_identity, signing=True)  # type: ignore[arg-type]
        assert signed[SourceId.NATIONAL_REGISTER].calls[0].status is CallStatus.OK
        unsigned = await _ask(running, client_identity, signing=False)  # type: ignore[arg-type]
        call = unsigned[SourceId.NATIONAL_REGISTER].calls[0]
        assert call.status is CallStatus.ERROR and "WS-Security" in call.error
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert "must be signed by one of 1 certificate(s)" in stderr
