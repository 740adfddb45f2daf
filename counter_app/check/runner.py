"""Wiring: from settings to a ready ``CheckService`` (sandbox in-process, a URL, or real sources).

Why one place: the window, the CLI, the tests and the benchmark must run the very
same service against the very same adapters; only where the bytes go differs
(an in-process ASGI transport, a local server, or MAGDA over mutual TLS).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx

from cardreader.errors import CardDataError
from cardreader.insz import validate_insz
from cardreader.models import EidReading
from cardreader.trust import TrustStore
from counter_app.check.models import CheckOutcome, Subject, SubjectSummary
from counter_app.check.service import CheckService, DecisionHook
from counter_app.config import INPROCESS, ConfigError, Settings
from counter_app.sandbox.app import MAGDA_PREFIX, UITPAS_PREFIX, create_sandbox_app
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sandbox.personas import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from counter_app.sources.factory import SourceSet, build_adapters
from counter_app.sources.magda_handicap import GeefDossierHandicapAdapter
from counter_app.sources.magda_statuten import GeefSociaalStatuutAdapter
from counter_app.sources.wssecurity import SigningSetupError
from rules import RuleBook, SourceId, load_rulebook

SANDBOX_BASE = "http://sandbox.invalid"  # never resolved: the ASGI transport answers


class UnknownCardProfileError(Exception):
    """``--card sim:NAME`` names no profile in the card deck."""


def _sources_base(settings: Settings, sources_url: str | None) -> str | None:
    """One base URL for all sources (sandbox layout), or None for per-source real endpoints."""
    if sources_url is not None:
        if not settings.test_mode:  # a sandbox layout: production uses the configured endpoints
            raise ConfigError(
                "invalid configuration: a sources URL (sandbox server) is refused in production;"
                " production uses the endpoints of the configuration file"
            )
        return sources_url.rstrip("/")
    urls = {s.base_url for s in settings.sources.all().values()}
    if urls == {INPROCESS}:
        return None
    if INPROCESS in urls:
        raise ConfigError(
            "invalid configuration: either every source is 'inprocess' (sandbox) or none is"
        )
    return None


def build_source_set(
    settings: Settings,
    *,
    sources_url: str | None = None,
    personas_dir: Path | None = None,
    faults: SandboxFaults | None = None,
) -> SourceSet:
    """Adapters and UiTPAS client for these settings; the caller closes the set."""
    base = _sources_base(settings, sources_url)  # refuses a sandbox / endpoint mix
    inprocess = sources_url is None and settings.uses_sandbox
    if inprocess:
        base = SANDBOX_BASE
    transport: httpx.AsyncBaseTransport | None = None
    sandbox_personas: Path | None = None  # set when the OCMW adapter reads the sandbox's CSV
    if inprocess:
        # Faults given by the caller (tests, the demo) win over the configuration's
        # ``[sandbox.faults.*]``; a sandbox server at ``sources_url`` has its own.
        chosen = faults if faults is not None else settings.sandbox.faults
        personas = personas_dir or settings.personas_dir
        app = create_sandbox_app(personas, chosen)
        transport = httpx.ASGITransport(app=app)
        # The OCMW list is a CSV export by default: here the sandbox's own, read
        # directly. Injected OCMW faults live in the sandbox's endpoint, so with
        # those the adapter asks the endpoint (which serves the same export).
        if chosen.for_source(SourceId.OCMW_LIST) == SourceFaults():
            sandbox_personas = personas
    client_id = settings.uitpas.client_id
    secret = settings.uitpas.client_secret.get_secret_value()
    if not client_id and settings.test_mode:  # the sandbox's well-known test client
        client_id, secret = SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
    # httpx's own timeout only as a backstop: the service times each attempt itself
    backstop = max(s.timeout_s for s in settings.sources.all().values()) + 1.0
    sources = settings.sources
    service_urls: dict[str, str] = {}
    if base is not None:  # the sandbox layout: every source under one base URL
        magda_url, ocmw_url, uitpas_url = base + MAGDA_PREFIX, base, base + UITPAS_PREFIX
    else:
        magda_url = sources.national_register.base_url
        ocmw_url = settings.ocmw_list.url or sources.ocmw_list.base_url
        uitpas_url = sources.uitpas.base_url
        service_urls = _own_magda_urls(settings)
    # The certificate and the signing settings apply to every server of its own, a
    # sandbox server included (``counter-app sandbox --require-signed`` may demand
    # them); the embedded sandbox needs neither.
    tls = None if inprocess else settings.tls
    try:
        return build_adapters(
            magda_url=magda_url,
            organisation_id=settings.magda.organisation,
            ocmw_csv=settings.ocmw_list.export_to_read(sandbox_personas),
            ocmw_url=ocmw_url,
            uitpas_url=uitpas_url,
            uitpas_client_id=client_id,
            uitpas_client_secret=secret,
            transport=transport,
            timeout=backstop,
            magda_client_cert=tls.client_cert if tls else None,
            magda_client_key=tls.client_key if tls else None,
            magda_ca_bundle=tls.ca_bundle if tls else None,
            ca_bundle=tls.ca_bundle if tls else None,
            magda_ws_security=settings.signs_magda_requests and tls is not None,
            magda_service_urls=service_urls,
        )
    except SigningSetupError as err:
        raise ConfigError(f"invalid configuration: WS-Security: {err}") from None


def _own_magda_urls(settings: Settings) -> dict[str, str]:
    """Endpoints of the MAGDA services whose source has a base URL of its own.

    The factory puts every MAGDA service under the national register's base URL;
    the rest of each service (client, mutual TLS, signer) stays shared.
    """
    shared = settings.sources.national_register.base_url.rstrip("/")
    urls: dict[str, str] = {}
    for source, kind in (
        (SourceId.SOCIAL_STATUTES, GeefSociaalStatuutAdapter),
        (SourceId.DISABILITY_FILE, GeefDossierHandicapAdapter),
    ):
        base = settings.sources.for_source(source).base_url.rstrip("/")
        if base != shared:
            urls[kind.service.name] = base + kind.service.default_path
    return urls


@contextlib.asynccontextmanager
async def open_check_service(
    settings: Settings,
    *,
    sources_url: str | None = None,
    personas_dir: Path | None = None,
    faults: SandboxFaults | None = None,
    rulebook: RuleBook | None = None,
    on_decision: DecisionHook | None = None,
    sequential: bool = False,
) -> AsyncIterator[CheckService]:
    """A service for one session; every HTTP client is closed when the block ends."""
    source_set = build_source_set(
        settings, sources_url=sources_url, personas_dir=personas_dir, faults=faults
    )
    try:
        service = CheckService(
            settings,
            source_set.adapters,
            rulebook if rulebook is not None else load_rulebook(),
            uitpas=source_set.uitpas,
            on_decision=on_decision,
            sequential=sequential,
        )
        yield service
    finally:
        await source_set.aclose()


def subject_from_insz(text: str, settings: Settings) -> Subject:
    """A manual entry: the INSZ typed by the clerk (test numbers only in test mode)."""
    return Subject(insz=validate_insz(text, test_mode=settings.test_mode), entry="manual")


def subject_from_reading(reading: EidReading) -> Subject:
    return Subject(
        insz=reading.identity.national_number,
        entry="card",
        summary=SubjectSummary.from_reading(reading),
    )


def trust_store(settings: Settings) -> TrustStore:
    """The configured roots (``settings.trust``), as the caching store card reads share."""
    from cardreader.reading import load_trust

    return load_trust(
        test_roots=settings.test_mode,
        production_roots_dir=settings.trust.production_roots_dir,
        test_roots_dir=settings.trust.test_roots_for(settings.environment),
    )


def read_simulated_card(profile: str, settings: Settings, on: dt.date) -> EidReading:
    """Read a card of the simulator's deck through the real reading code."""
    from cardreader.reading import read_eid
    from cardreader.simulator.inprocess import SimulatedReader
    from cardreader.simulator.profile import profile_names

    if profile not in profile_names():
        raise UnknownCardProfileError(
            f"unknown card profile {profile!r} (known: {', '.join(profile_names())})"
        )
    try:
        reader = SimulatedReader(profile)
    except CardDataError as err:
        raise UnknownCardProfileError(f"card profile {profile!r} cannot be used: {err}") from None
    try:
        return read_eid(reader, trust=trust_store(settings), today=on, test_mode=settings.test_mode)
    finally:
        reader.disconnect()


async def run_one_check(
    settings: Settings,
    *,
    insz: str | None = None,
    card_profile: str | None = None,
    on: dt.date,
    sources_url: str | None = None,
    personas_dir: Path | None = None,
    progress: Callable[..., None] | None = None,
) -> CheckOutcome:
    """What ``counter-app check`` does: one subject, one service, closed afterwards."""
    if insz is not None:
        subject = subject_from_insz(insz, settings)
    elif card_profile is not None:
        subject = subject_from_reading(read_simulated_card(card_profile, settings, on))
    else:
        raise ValueError("give an INSZ or a card profile")
    rulebook = load_rulebook()
    async with open_check_service(
        settings, sources_url=sources_url, personas_dir=personas_dir, rulebook=rulebook
    ) as service:
        return await service.run(subject, on, progress)
