"""UiTPAS API v4 client: token caching, status, price, registration, rate limiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sources.base import CallStatus
from counter_app.sources.errors import SourceError, is_transient
from counter_app.sources.uitpas import (
    Address,
    PassholderRegistration,
    RegistrationSocialTariff,
    SocialTariffState,
    UitpasClient,
)
from rules.facts import SourceId
from tests.sources.conftest import BASE, SandboxEnv

pytestmark = pytest.mark.anyio

PURPOSE = "uitpas-kansentarief"


def _client(env: SandboxEnv) -> UitpasClient:
    assert env.sources.uitpas is not None
    return env.sources.uitpas


def _registration(insz: str, *, social_until: dt.date | None) -> PassholderRegistration:
    return PassholderRegistration(
        name="Jacobs",
        first_name="Lina",
        insz_number=insz,
        date_of_birth=dt.date(1995, 10, 2),
        address=Address(street="Korenmarkt 4", postal_code="9000", city="Gent"),
        registration_card_system_id=1,
        registration_social_tariff=RegistrationSocialTariff(end_date=social_until)
        if social_until
        else None,
    )


async def test_status_of_a_passholder_with_social_tariff(own_env: SandboxEnv) -> None:
    fetched = await _client(own_env).passholder_status("01700462685", purpose=PURPOSE)
    status = fetched.value
    assert status.is_passholder
    (system,) = status.card_systems
    assert (system.card_system_id, system.card_system_name) == (1, "UiTPAS Gent")
    assert system.status is SocialTariffState.ACTIVE
    assert system.end_date == dt.date(2026, 4, 30) and not system.in_grace_period
    assert fetched.call.status is CallStatus.OK and fetched.call.source is SourceId.UITPAS
    assert fetched.call.purpose == PURPOSE


async def test_status_variants(own_env: SandboxEnv) -> None:
    client = _client(own_env)
    grace = (await client.passholder_status("00631499723", purpose=PURPOSE)).value.card_systems[0]
    assert (grace.status, grace.in_grace_period) == (SocialTariffState.EXPIRED, True)
    plain = (await client.passholder_status("88681575651", purpose=PURPOSE)).value.card_systems[0]
    assert plain.status is None
    nobody = (await client.passholder_status("95700203364", purpose=PURPOSE)).value
    assert not nobody.is_passholder and nobody.card_systems == ()


async def test_token_is_cached_until_expiry(own_env: SandboxEnv) -> None:
    now = [1000.0]
    transport = httpx.ASGITransport(app=own_env.app)
    client = UitpasClient(
        httpx.AsyncClient(transport=transport),
        base_url=BASE + "/uitpas",
        client_id="loket-sandbox",
        client_secret="sandbox-secret",
        clock=lambda: now[0],
        owns_client=True,
    )
    api = own_env.app.state.uitpas
    for _ in range(3):
        await client.passholder_status("01700462685", purpose=PURPOSE)
    assert api.tokens_issued == 1
    now[0] += 3600  # past expires_in minus the safety margin
    await client.passholder_status("01700462685", purpose=PURPOSE)
    assert api.tokens_issued == 2
    await client.aclose()


async def test_a_revoked_token_is_renewed_once(own_env: SandboxEnv) -> None:
    client = _client(own_env)
    await client.passholder_status("01700462685", purpose=PURPOSE)
    own_env.app.state.uitpas.tokens.clear()  # the server forgot every token
    fetched = await client.passholder_status("01700462685", purpose=PURPOSE)
    assert fetched.value.is_passholder
    assert own_env.app.state.uitpas.tokens_issued == 2


async def test_wrong_credentials_are_a_clear_error(own_env: SandboxEnv) -> None:
    client = UitpasClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=own_env.app)),
        base_url=BASE + "/uitpas",
        client_id="loket-sandbox",
        client_secret="wrong",
        owns_client=True,
    )
    with pytest.raises(SourceError) as caught:
        await client.passholder_status("01700462685", purpose=PURPOSE)
    await client.aclose()
    assert "client credentials (HTTP 401)" in caught.value.reason
    assert caught.value.call is not None and not is_transient(caught.value.call)


async def test_prices(own_env: SandboxEnv) -> None:
    client = _client(own_env)
    social = await client.membership_price(
        1,
        postal_code="9000",
        date_of_birth=dt.date(1995, 10, 2),
        social_tariff=True,
        purpose=PURPOSE,
    )
    normal = await client.membership_price(
        1,
        postal_code="9000",
        date_of_birth=dt.date(1995, 10, 2),
        social_tariff=False,
        purpose=PURPOSE,
    )
    assert social.value.price == Decimal("1.00") and "kansentarief" in social.value.label
    assert normal.value.price == Decimal("5.00")
    request = next(r for r in own_env.transport.requests if "membership-prices" in r.url.path)
    assert dict(request.url.params) == {
        "postalCode": "9000",
        "dateOfBirth": "1995-10-02",
        "socialTariff": "true",
    }
    with pytest.raises(SourceError, match="HTTP 404"):
        await client.membership_price(
            99,
            postal_code="9000",
            date_of_birth=dt.date(1995, 10, 2),
            social_tariff=False,
            purpose=PURPOSE,
        )


async def test_registration_then_status(own_env: SandboxEnv) -> None:
    client = _client(own_env)
    created = await client.register_passholder(
        _registration("95700203364", social_until=dt.date(2027, 4, 30)), purpose=PURPOSE
    )
    assert created.value.passholder_id and created.call.status is CallStatus.OK
    sent = own_env.app.state.uitpas.registrations[-1]
    assert sent["inszNumber"] == "95700203364" and sent["firstName"] == "Lina"
    assert sent["registrationSocialTariff"] == {"endDate": "2027-04-30"}
    assert sent["address"]["postalCode"] == "9000" and sent["legalTermsPaper"] is True
    status = (await client.passholder_status("95700203364", purpose=PURPOSE)).value
    assert status.card_systems[0].status is SocialTariffState.ACTIVE
    assert status.card_systems[0].end_date == dt.date(2027, 4, 30)
    with pytest.raises(SourceError, match="already a UiTPAS passholder") as again:
        await client.register_passholder(
            _registration("95700203364", social_until=None), purpose=PURPOSE
        )
    assert again.value.call is not None and again.value.call.status is CallStatus.ERROR


async def test_rate_limit_is_transient(own_env: SandboxEnv) -> None:
    client = _client(own_env)
    await client.passholder_status("01700462685", purpose=PURPOSE)  # token first
    own_env.app.state.faults.set(
        SandboxFaults.only(SourceId.UITPAS, SourceFaults(rate_limited=True))
    )
    with pytest.raises(SourceError, match="rate limit") as caught:
        await client.passholder_status("01700462685", purpose=PURPOSE)
    assert caught.value.transient and caught.value.call is not None
    assert is_transient(caught.value.call)


@pytest.mark.parametrize(
    ("faults", "message", "transient"),
    [
        (SourceFaults(http_500=True), "HTTP 500", True),
        (SourceFaults(malformed=True), "not valid", False),
    ],
)
async def test_status_failures(
    own_env: SandboxEnv, faults: SourceFaults, message: str, transient: bool
) -> None:
    client = _client(own_env)
    await client.passholder_status("01700462685", purpose=PURPOSE)
    own_env.app.state.faults.set(SandboxFaults.only(SourceId.UITPAS, faults))
    with pytest.raises(SourceError, match=message) as caught:
        await client.passholder_status("01700462685", purpose=PURPOSE)
    assert caught.value.transient is transient


async def test_invalid_insz_is_refused_before_any_request(own_env: SandboxEnv) -> None:
    with pytest.raises(SourceError, match="invalid INSZ"):
        await _client(own_env).passholder_status("../admin", purpose=PURPOSE)
    assert own_env.transport.requests == []
