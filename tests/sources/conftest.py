"""Fixtures of the source tests: the sandbox in-process, every MAGDA request checked by XSD."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from lxml import etree
from starlette.applications import Starlette

from counter_app.sandbox.app import MAGDA_PREFIX, UITPAS_PREFIX, create_sandbox_app
from counter_app.sandbox.personas import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from counter_app.sources.base import QueryContext
from counter_app.sources.factory import SourceSet, build_adapters

REPO = Path(__file__).resolve().parents[2]
MAGDA_MOCK = REPO.parent / "shared" / "magda-mock"
SIMULATOR = MAGDA_MOCK / "simulator"
XSD_DIR = MAGDA_MOCK / "xsd"
STUB_DIR = Path(__file__).resolve().parent / "xsd_stub"
OWN_PERSONAS = REPO / "resources" / "personas"
BASE = "http://sandbox.test"
SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"
SERVICE_XSD = {
    "GeefPersoon": "GeefPersoonDienst-02.02/WebService/GeefPersoon.xsd",
    "GeefSociaalStatuut": "GeefSociaalStatuutDienst-03.00/WebService/GeefSociaalStatuut.xsd",
    "GeefDossierHandicap": "GeefDossierHandicapDienst-03.00/WebService/GeefDossierHandicap.xsd",
}
# Fictitious INSZ numbers (month + 60, valid mod-97) that no persona directory knows.
UNKNOWN_INSZ = "99631512307"
OTHER_UNKNOWN_INSZ = "81620704537"
CLERK_INSZ = "75681199943"

requires_mock = pytest.mark.skipif(
    not SIMULATOR.is_dir(), reason="../shared/magda-mock is not available"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _StubResolver(etree.Resolver):
    """Serves the stand-in Sleutel-02.00 schema missing from the shared subset."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        if system_url.endswith("Sleutel-02.00/Sleutel.xsd"):
            stub = str(STUB_DIR / "Sleutel-02.00" / "Sleutel.xsd")
            return self.resolve_filename(stub, context)  # type: ignore[attr-defined]
        return None


@pytest.fixture(scope="session")
def magda_schemas() -> dict[str, etree.XMLSchema]:
    if not XSD_DIR.is_dir():
        pytest.skip("../shared/magda-mock/xsd is not available")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_StubResolver())
    return {
        name: etree.XMLSchema(etree.parse(str(XSD_DIR / path), parser))
        for name, path in SERVICE_XSD.items()
    }


def soap_payload(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert root.tag == SOAP_ENV + "Envelope"
    payload = root.find(f"{SOAP_ENV}Body/*")
    assert payload is not None
    return payload


def assert_valid_request(schemas: dict[str, etree.XMLSchema], body: bytes) -> etree._Element:
    payload = soap_payload(body)
    schema = schemas[etree.QName(payload).localname]
    assert schema.validate(payload), str(schema.error_log)
    return payload


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the real (ASGI or HTTP) transport and keeps their bodies."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def magda_bodies(self) -> list[bytes]:
        return [r.content for r in self.requests if r.url.path.startswith(MAGDA_PREFIX)]


@dataclass
class SandboxEnv:
    app: Starlette
    transport: RecordingTransport
    sources: SourceSet
    schemas: dict[str, etree.XMLSchema]
    extra: list[SourceSet] = field(default_factory=list)

    def validate_all_requests(self) -> int:
        bodies = self.transport.magda_bodies()
        for body in bodies:
            assert_valid_request(self.schemas, body)
        return len(bodies)


def build_env(app: Starlette, schemas: dict[str, etree.XMLSchema], **kwargs: object) -> SandboxEnv:
    transport = RecordingTransport(httpx.ASGITransport(app=app))
    options: dict[str, object] = {
        "magda_url": BASE + MAGDA_PREFIX,
        "organisation_id": "gent.be/loket-tests",
        "ocmw_url": BASE,
        "uitpas_url": BASE + UITPAS_PREFIX,
        "uitpas_client_id": SANDBOX_CLIENT_ID,
        "uitpas_client_secret": SANDBOX_CLIENT_SECRET,
        "transport": transport,
    }
    options.update(kwargs)
    return SandboxEnv(app, transport, build_adapters(**options), schemas)  # type: ignore[arg-type]


@pytest.fixture
async def mock_env(magda_schemas: dict[str, etree.XMLSchema]) -> AsyncIterator[SandboxEnv]:
    """Sandbox on the MAGDA-Mock simulator files; every MAGDA request is XSD-checked at the end."""
    if not SIMULATOR.is_dir():
        pytest.skip("../shared/magda-mock is not available")
    env = build_env(create_sandbox_app(SIMULATOR, seed=1), magda_schemas)
    yield env
    await env.sources.aclose()
    env.validate_all_requests()


@pytest.fixture
async def own_env(magda_schemas: dict[str, etree.XMLSchema]) -> AsyncIterator[SandboxEnv]:
    """Sandbox on the project's own personas (resources/personas)."""
    env = build_env(create_sandbox_app(OWN_PERSONAS, seed=1), magda_schemas)
    yield env
    await env.sources.aclose()
    env.validate_all_requests()


def ctx(
    insz: str, *, day: dt.date = dt.date(2026, 1, 5), clerk: str | None = CLERK_INSZ
) -> QueryContext:
    return QueryContext(subject_insz=insz, reference_date=day, purpose="ipdc2858", clerk_insz=clerk)
