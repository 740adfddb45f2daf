"""UiTPAS API v4 (vzw publiq): passholder status, authoritative card price, registration.

UiTPAS is not a rule source: the status and the price are shown with the advice,
and registration happens only when the clerk confirms a sale. So this is a typed
client rather than a SourceAdapter; every method still yields a ``SourceCall``
for the log, and failures raise ``SourceError`` (with ``transient`` for 429/5xx/
timeouts and the call attached) instead of leaking httpx exceptions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from counter_app.sources.base import CallStatus, SourceCall
from counter_app.sources.errors import SourceError
from counter_app.sources.http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    http_error_is_transient,
    read_capped,
    transport_error_reason,
)
from rules.facts import SourceId

T = TypeVar("T")
TOKEN_MARGIN_SECONDS = 30.0  # renew a little before expiry so a token never dies in flight
API_VERSION = "v4"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class SocialTariffState(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    SUSPENDED = "SUSPENDED"


class CardSystemTariff(_Frozen):
    """The social-tariff status of a passholder in one card system."""

    card_system_id: int
    card_system_name: str = ""
    status: SocialTariffState | None = None  # None: member without social tariff
    end_date: dt.date | None = None
    in_grace_period: bool = False


class PassholderStatus(_Frozen):
    is_passholder: bool
    passholder_id: str | None = None  # UiTPAS's id of the passholder, when one
    card_systems: tuple[CardSystemTariff, ...] = ()


class MembershipPrice(_Frozen):
    price: Decimal
    label: str
    description: str = ""


class Address(_Frozen):
    street: str = ""
    postal_code: str = Field(alias="postalCode")
    city: str = ""


class RegistrationSocialTariff(_Frozen):
    end_date: dt.date = Field(alias="endDate")


class PassholderRegistration(_Frozen):
    """What the clerk confirmed: serialised with the API's camelCase names."""

    name: str
    first_name: str = Field(alias="firstName")
    insz_number: str = Field(alias="inszNumber")
    date_of_birth: dt.date = Field(alias="dateOfBirth")
    address: Address
    registration_card_system_id: int = Field(alias="registrationCardSystemId")
    legal_terms_paper: bool = Field(default=True, alias="legalTermsPaper")
    registration_social_tariff: RegistrationSocialTariff | None = Field(
        default=None, alias="registrationSocialTariff"
    )


class AlreadyPassholder(SourceError):
    """HTTP 409: UiTPAS holds this person already; this request registered nothing.

    Either a passholder from before, or the pass an earlier request of ours created
    although its answer never reached us: only the caller knows which to suspect.
    """


class RegistrationUncertain(SourceError):
    """The registration request reached (or may have reached) UiTPAS, but its outcome is
    unknown: an HTTP 5xx, a cut or unreadable answer, a connection lost after sending.

    Not a refusal: the pass may exist now. Never repeat the POST blindly; look the
    person up (``passholder_status``) instead.
    """

    timed_out = False


class RegistrationTimedOut(RegistrationUncertain):
    """No answer to the registration in time: sent, outcome unknown."""

    timed_out = True


class RegisteredPassholder(_Frozen):
    passholder_id: str


class Fetched(BaseModel, Generic[T]):
    """A result together with the call record the log keeps."""

    model_config = ConfigDict(frozen=True)

    value: T
    call: SourceCall


class _Token(_Frozen):
    access_token: str
    expires_at: float


class _StatusMembership(_Frozen):
    class _System(_Frozen):
        id: int
        name: str = ""

    class _Tariff(_Frozen):
        status: SocialTariffState
        end_date: dt.date | None = Field(default=None, alias="endDate")
        in_grace_period: bool = Field(default=False, alias="inGracePeriod")

    card_system: _System = Field(alias="cardSystem")
    social_tariff: _Tariff | None = Field(default=None, alias="socialTariff")


class _StatusBody(_Frozen):
    passholder_id: str | None = Field(default=None, alias="passholderId")
    card_system_memberships: list[_StatusMembership] = Field(
        default_factory=list, alias="cardSystemMemberships"
    )


class UitpasClient:
    """UiTPAS API v4 with OAuth2 client credentials (token cached until shortly before expiry).

    ``client`` is an httpx.AsyncClient; ``base_url`` the API root (``{base}/oauth/token``,
    ``{base}/passholders/...``). ``purpose`` is recorded on each call for the log.
    """

    source = SourceId.UITPAS

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        timeout: httpx.Timeout | float | None = None,
        clock: Callable[[], float] = time.monotonic,
        owns_client: bool = False,
    ) -> None:
        self._client = client
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self.max_response_bytes = max_response_bytes
        self.timeout = timeout
        self._clock = clock
        self._owns_client = owns_client
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    # -- transport --------------------------------------------------------------------------

    async def _send(self, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        request = self._client.build_request(
            method, self.base_url + path, timeout=timeout, **kwargs
        )
        response = await self._client.send(request, stream=True)
        try:
            body = await read_capped(response, self.max_response_bytes)
        finally:
            await response.aclose()
        return response.status_code, body

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token is not None and self._token.expires_at > self._clock():
                return self._token.access_token
            status, body = await self._send(
                "POST",
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                },
            )
            if status != 200:
                raise SourceError(
                    f"UiTPAS refused the client credentials (HTTP {status})",
                    transient=http_error_is_transient(status),
                )
            try:
                raw = _TokenAnswer.model_validate_json(body)
            except ValidationError:
                raise SourceError("UiTPAS token answer is not valid") from None
            lifetime = max(0.0, raw.expires_in - TOKEN_MARGIN_SECONDS)
            self._token = _Token(access_token=raw.access_token, expires_at=self._clock() + lifetime)
            return self._token.access_token

    async def _authorised(self, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        """One API request with the cached token; a 401 drops the token and retries once."""
        for attempt in range(2):
            token = await self._access_token()
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            status, body = await self._send(method, path, headers=headers, **kwargs)
            if status != 401 or attempt == 1:
                return status, body
            self._token = None
        raise AssertionError("unreachable")

    async def _call(
        self,
        service: str,
        purpose: str,
        work: Callable[[], Awaitable[T]],
    ) -> Fetched[T]:
        reference = str(uuid.uuid4())
        started_at = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()

        def record(status: CallStatus, error: str = "", transient: bool = False) -> SourceCall:
            return SourceCall(
                source=self.source,
                service=service,
                version=API_VERSION,
                reference=reference,
                purpose=purpose,
                started_at=started_at,
                duration_ms=(time.perf_counter() - t0) * 1000,
                status=status,
                error=error,
                transient=transient,
            )

        try:
            value = await work()
        except httpx.TimeoutException as exc:
            call = record(CallStatus.TIMEOUT, transport_error_reason(exc), True)
            raise SourceError(call.error, transient=True, call=call) from None
        except httpx.TransportError as exc:
            call = record(CallStatus.ERROR, transport_error_reason(exc), True)
            raise SourceError(call.error, transient=True, call=call) from None
        except SourceError as exc:
            timed_out = isinstance(exc, RegistrationUncertain) and exc.timed_out
            status = CallStatus.TIMEOUT if timed_out else CallStatus.ERROR
            call = record(status, exc.reason, exc.transient)
            # the same kind of error (a refusal, an uncertain registration), now with its call
            raise type(exc)(exc.reason, transient=exc.transient, call=call) from None
        return Fetched[T](value=value, call=record(CallStatus.OK))

    @staticmethod
    def _fail(status: int, what: str) -> SourceError:
        if status == 429:
            return SourceError(f"UiTPAS rate limit reached ({what})", transient=True)
        return SourceError(
            f"HTTP {status} from UiTPAS ({what})", transient=http_error_is_transient(status)
        )

    # -- API ----------------------------------------------------------------------------------

    async def passholder_status(self, insz: str, *, purpose: str) -> Fetched[PassholderStatus]:
        """Is this person a passholder, and their social-tariff status per card system."""
        _check_insz(insz)

        async def work() -> PassholderStatus:
            status, body = await self._authorised("GET", f"/passholders/status/insz-numbers/{insz}")
            if status == 404:
                return PassholderStatus(is_passholder=False)
            if status != 200:
                raise self._fail(status, "passholder status")
            try:
                parsed = _StatusBody.model_validate_json(body)
            except ValidationError:
                raise SourceError("UiTPAS status answer is not valid") from None
            return PassholderStatus(
                is_passholder=True,
                passholder_id=parsed.passholder_id,
                card_systems=tuple(
                    CardSystemTariff(
                        card_system_id=m.card_system.id,
                        card_system_name=m.card_system.name,
                        status=m.social_tariff.status if m.social_tariff else None,
                        end_date=m.social_tariff.end_date if m.social_tariff else None,
                        in_grace_period=m.social_tariff.in_grace_period
                        if m.social_tariff
                        else False,
                    )
                    for m in parsed.card_system_memberships
                ),
            )

        return await self._call("passholder-status", purpose, work)

    async def membership_price(
        self,
        card_system_id: int,
        *,
        postal_code: str,
        date_of_birth: dt.date,
        social_tariff: bool,
        purpose: str,
    ) -> Fetched[MembershipPrice]:
        """The authoritative card price for this person in this card system."""

        async def work() -> MembershipPrice:
            params = {
                "postalCode": postal_code,
                "dateOfBirth": date_of_birth.isoformat(),
                "socialTariff": "true" if social_tariff else "false",
            }
            status, body = await self._authorised(
                "GET", f"/passholders/membership-prices/{int(card_system_id)}", params=params
            )
            if status != 200:
                raise self._fail(status, "membership price")
            try:
                return MembershipPrice.model_validate_json(body)
            except ValidationError:
                raise SourceError("UiTPAS price answer is not valid") from None

        return await self._call("membership-prices", purpose, work)

    async def register_passholder(
        self, registration: PassholderRegistration, *, purpose: str
    ) -> Fetched[RegisteredPassholder]:
        """Register after the clerk confirmed the sale. Not idempotent: never retried blindly.

        Raises ``AlreadyPassholder`` (409), ``RegistrationUncertain`` when the pass may
        exist although no usable answer came back (5xx, cut or unreadable answer, the
        connection lost or timed out after sending), and a plain ``SourceError`` for a
        clean refusal that proves nothing was registered (another 4xx, no token, the
        request never sent).
        """
        _check_insz(registration.insz_number)

        async def work() -> RegisteredPassholder:
            payload = registration.model_dump(mode="json", by_alias=True, exclude_none=True)
            await self._access_token()  # fails cleanly: nothing was sent yet
            try:
                status, body = await self._authorised("POST", "/passholders", json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
                raise  # never sent: nothing can have been registered
            except httpx.TimeoutException as exc:
                raise RegistrationTimedOut(transport_error_reason(exc), transient=True) from None
            except httpx.TransportError as exc:
                raise RegistrationUncertain(transport_error_reason(exc), transient=True) from None
            except SourceError as exc:  # e.g. an answer over the size limit
                raise RegistrationUncertain(exc.reason) from None
            if status == 409:
                raise AlreadyPassholder("this person is already a UiTPAS passholder")
            if 400 <= status < 500:  # UiTPAS refused the request: nothing was registered
                raise SourceError(
                    self._fail(status, "registration").reason, transient=status == 429
                )
            if status not in (200, 201):  # 5xx (or stranger): it may have registered first
                raise RegistrationUncertain(self._fail(status, "registration").reason)
            try:
                created = _Created.model_validate_json(body)
            except ValidationError:
                raise RegistrationUncertain("UiTPAS registration answer is not valid") from None
            return RegisteredPassholder(passholder_id=created.id)

        return await self._call("register-passholder", purpose, work)


class _TokenAnswer(_Frozen):
    access_token: str
    expires_in: float = 300.0


class _Created(_Frozen):
    id: str


def _check_insz(insz: str) -> None:
    if not (insz.isdigit() and len(insz) == 11):
        raise SourceError("invalid INSZ format")
