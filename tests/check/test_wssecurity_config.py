"""WS-Security from the settings to the check: when requests are signed, and what a refusal does."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.check import Subject
from counter_app.check.runner import build_source_set, open_check_service
from counter_app.config import (
    ConfigError,
    Environment,
    Settings,
    SourceSettings,
    SourcesSettings,
    TlsSettings,
    load_settings,
    production_problems,
    unfinished_for,
)
from counter_app.sandbox.app import create_sandbox_app
from counter_app.sandbox.server import RunningSandbox, running_sandbox
from counter_app.sources.base import CallStatus
from counter_app.sources.magda_adapter import MagdaAdapter
from counter_app.sources.wssecurity import refusal
from rules import Outcome, SourceId
from tests.check.test_config import PRODUCTION_OK, write
from tests.sources.wsspki import Identity, make_identity

ON = dt.date(2026, 3, 1)
MAGDA_SOURCES = (SourceId.NATIONAL_REGISTER, SourceId.SOCIAL_STATUTES, SourceId.DISABILITY_FILE)


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return make_identity(tmp_path_factory.mktemp("wss-client"), "ec-p256")


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("LOKET_") and name not in ("LOKET_RESOURCES", "LOKET_JOURNAL_URL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def tls(identity: Identity) -> TlsSettings:
    return TlsSettings(client_cert=identity.cert, client_key=identity.key)


@pytest.mark.parametrize(
    ("environment", "with_tls", "ws_security", "signs"),
    [
        ("sandbox", False, None, False),
        ("sandbox", True, None, False),  # the sandbox environment signs only when asked
        ("sandbox", True, True, True),
        ("acceptance", False, None, False),
        ("acceptance", True, None, True),  # default outside the sandbox: sign with the TLS cert
        ("acceptance", True, False, False),
    ],
)
def test_when_requests_are_signed(
    identity: Identity, environment: str, with_tls: bool, ws_security: bool | None, signs: bool
) -> None:
    settings = Settings(
        environment=environment,
        tls=tls(identity) if with_tls else TlsSettings(),
        magda={"ws_security": ws_security},
    )
    assert settings.signs_magda_requests is signs


def test_signing_asked_without_a_certificate_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"magda.ws_security = true needs tls.client_cert"):
        load_settings(magda={"ws_security": True})


def test_production_refuses_unsigned_requests(tmp_path: Path) -> None:
    ok = load_settings(write(tmp_path, PRODUCTION_OK))
    assert production_problems(ok) == []
    assert ok.magda.ws_security is None
    assert ok.signs_magda_requests  # production signs by default
    with pytest.raises(ConfigError, match="production MAGDA requests must be signed"):
        load_settings(write(tmp_path, PRODUCTION_OK + "[magda]\nws_security = false\n"))


def test_ws_security_is_no_longer_listed_as_unfinished() -> None:
    gaps = unfinished_for(Settings(environment=Environment.ACCEPTANCE))
    assert gaps and not any("WS-Security" in gap for gap in gaps)
    assert any("Hoedanigheid" in gap for gap in gaps)


def acceptance(live: RunningSandbox, identity: Identity, ws_security: bool | None) -> Settings:
    def one(url: str) -> SourceSettings:
        return SourceSettings(base_url=url, timeout_s=2.0, retries=1)

    return Settings(
        environment="acceptance",
        tls=tls(identity),
        magda={"ws_security": ws_security},
        sources=SourcesSettings(
            national_register=one(live.magda_url),
            social_statutes=one(live.magda_url),
            disability_file=one(live.magda_url),
            ocmw_list=one(live.ocmw_url),
            uitpas=one(live.uitpas_url),
        ),
    )


def test_an_unusable_key_is_a_one_line_config_error(tmp_path: Path, identity: Identity) -> None:
    other = make_identity(tmp_path, "ec-p256", name="someone else")
    settings = Settings(
        environment="acceptance",
        tls=TlsSettings(client_cert=identity.cert, client_key=other.key),
        sources=SourcesSettings(
            **{
                n: SourceSettings(base_url="https://magda.example")
                for n in SourcesSettings.model_fields
            }
        ),
    )
    with pytest.raises(ConfigError) as caught:
        build_source_set(settings)
    assert "does not belong to tls.client_cert" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_every_magda_adapter_gets_the_signer(identity: Identity) -> None:
    def one(url: str) -> SourceSettings:
        return SourceSettings(base_url=url)

    settings = Settings(
        environment="acceptance",
        tls=tls(identity),
        sources=SourcesSettings(
            national_register=one("https://magda.example/a"),
            social_statutes=one("https://magda.example/b"),  # its own endpoint
            disability_file=one("https://magda.example/a"),
            ocmw_list=one("https://ocmw.example"),
            uitpas=one("https://uitpas.example"),
        ),
    )
    source_set = build_source_set(settings)
    signers = {}
    for source in MAGDA_SOURCES:
        adapter = source_set.adapters[source]
        assert isinstance(adapter, MagdaAdapter)
        signers[source] = adapter.exchange.signer
    assert all(s is not None for s in signers.values())
    assert signers[SourceId.SOCIAL_STATUTES] is signers[SourceId.NATIONAL_REGISTER]


@pytest.fixture(scope="module")
def strict_sandbox(personas_dir: Path, identity: Identity) -> Iterator[RunningSandbox]:
    check = functools.partial(refusal, trusted=[identity.certificate])
    with running_sandbox(app=create_sandbox_app(personas_dir, magda_request_check=check)) as live:
        yield live


@pytest.mark.anyio
@pytest.mark.live_server
async def test_signed_check_gets_its_answers(
    strict_sandbox: RunningSandbox, identity: Identity
) -> None:
    async with open_check_service(acceptance(strict_sandbox, identity, None)) as service:
        outcome = await service.run(Subject(insz="88681575651", entry="manual"), ON)
    for call in outcome.calls:
        assert call.status is CallStatus.OK, (call.source, call.error)
    assert outcome.right("uitpas-kansentarief").outcome is Outcome.ELIGIBLE


@pytest.mark.anyio
@pytest.mark.live_server
async def test_unsigned_check_says_check_manually_with_the_reason(
    strict_sandbox: RunningSandbox, identity: Identity
) -> None:
    async with open_check_service(acceptance(strict_sandbox, identity, False)) as service:
        outcome = await service.run(Subject(insz="88681575651", entry="manual"), ON)
    magda_calls = [c for c in outcome.calls if c.source in MAGDA_SOURCES]
    assert magda_calls
    for call in magda_calls:
        assert call.status is CallStatus.ERROR
        assert "WS-Security" in call.error
    assert len(magda_calls) == len({c.source for c in magda_calls})  # a refusal is not retried
    for right in outcome.rights:
        assert right.outcome is not Outcome.NOT_ELIGIBLE
    assert outcome.right("uitpas-kansentarief").outcome is Outcome.CHECK_MANUALLY


def test_a_sources_url_is_refused_in_production(tmp_path: Path) -> None:
    """A sandbox server's URL would bypass the configured endpoints, their TLS and signing."""
    settings = load_settings(write(tmp_path, PRODUCTION_OK))
    with pytest.raises(ConfigError, match="refused in production"):
        build_source_set(settings, sources_url="https://magda.example.be")


@pytest.mark.anyio
@pytest.mark.live_server
async def test_a_sources_url_still_signs_when_the_settings_say_so(
    strict_sandbox: RunningSandbox, identity: Identity
) -> None:
    """``check --sources URL`` against a sandbox server that demands signatures."""
    settings = acceptance(strict_sandbox, identity, True)
    source_set = build_source_set(settings, sources_url=strict_sandbox.url)
    try:
        adapter = source_set.adapters[SourceId.NATIONAL_REGISTER]
        assert isinstance(adapter, MagdaAdapter) and adapter.exchange.signer is not None
    finally:
        await source_set.aclose()
    async with open_check_service(settings, sources_url=strict_sandbox.url) as service:
        outcome = await service.run(Subject(insz="88681575651", entry="manual"), ON)
    for call in outcome.calls:
        assert call.status is CallStatus.OK, (call.source, call.error)
