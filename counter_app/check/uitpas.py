"""What the UiTPAS API adds to the UiTPAS advice: the authoritative price, an active tariff.

Why this is separate from the rules: the rules decide the *right* (from the
authentic sources); UiTPAS knows the *product* — whether the person already holds
a pass with an active social tariff (then selling again is not the answer) and
what the card costs this person today (the rule file's price is only a fallback).
A failing UiTPAS API therefore never changes the outcome; it only removes the extra.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import stamina

from cardreader.errors import InvalidNationalNumberError
from cardreader.insz import birth_date_from_insz
from counter_app.check.models import Subject, UitpasInfo
from counter_app.check.resilience import CircuitBreaker
from counter_app.sources.base import CallStatus, SourceCall
from counter_app.sources.errors import SourceError
from counter_app.sources.uitpas import (
    API_VERSION,
    Address,
    Fetched,
    MembershipPrice,
    PassholderRegistration,
    PassholderStatus,
    RegistrationSocialTariff,
    UitpasClient,
)
from rules.advice import Advice, Outcome
from rules.facts import SourceId
from rules.fileformat import LocalText


def is_uitpas_right(ruleset_id: str) -> bool:
    """The UiTPAS rule sets are named after it (``uitpas-...``)."""
    return ruleset_id.startswith("uitpas")


def _birth_date(subject: Subject) -> dt.date | None:
    if subject.summary is not None and subject.summary.birth_date is not None:
        return subject.summary.birth_date
    try:
        return birth_date_from_insz(subject.insz)
    except InvalidNationalNumberError:
        return None


def _info(
    status: PassholderStatus,
    prices: dict[bool, MembershipPrice],
    card_system_id: int,
) -> UitpasInfo:
    tariff = next((c for c in status.card_systems if c.card_system_id == card_system_id), None)
    social, normal = prices.get(True), prices.get(False)
    return UitpasInfo(
        available=True,
        passholder=status.is_passholder,
        social_tariff_status=tariff.status.value if tariff and tariff.status else None,
        social_tariff_end=tariff.end_date if tariff else None,
        in_grace_period=tariff.in_grace_period if tariff else None,
        price=social.price if social is not None else None,
        price_label=social.label if social is not None else "",
        normal_price=normal.price if normal is not None else None,
    )


T = TypeVar("T")


async def _read_with_retries(
    read: Callable[[], Awaitable[Fetched[T]]], retries: int, calls: list[SourceCall]
) -> T:
    """One idempotent UiTPAS read, retried on transient errors (429, 5xx, timeouts).

    Every attempt's call record is kept: each was a request the log must show.
    """
    attempt = 0
    async for try_ in stamina.retry_context(
        on=lambda exc: isinstance(exc, SourceError) and exc.transient,
        attempts=retries + 1,
        timeout=None,
        wait_initial=0.05,
        wait_max=0.5,
        wait_jitter=0.1,
    ):
        with try_:
            attempt += 1
            try:
                fetched = await read()
            except SourceError as err:
                if err.call is not None:
                    calls.append(err.call.model_copy(update={"attempts": attempt}))
                raise
            calls.append(fetched.call.model_copy(update={"attempts": attempt}))
            return fetched.value
    raise AssertionError("unreachable: stamina either returns or raises")


async def ask_uitpas(
    client: UitpasClient,
    subject: Subject,
    card_system_id: int,
    purpose: str,
    *,
    breaker: CircuitBreaker,
    timeout_s: float,
    retries: int = 0,
) -> tuple[UitpasInfo, tuple[SourceCall, ...]]:
    """Status and both card prices at once; a failure gives ``available=False``.

    Both prices are asked because the outcome is not known yet when the check
    starts; the price needs the postal code, which only the card gives without
    asking another source: after a manual entry the rules' price stands.
    """
    if not breaker.allow():
        return UitpasInfo(available=False, error="UiTPAS not asked: it failed just before"), ()
    postal_code = subject.summary.postal_code if subject.summary is not None else ""
    birth = _birth_date(subject)
    calls: list[SourceCall] = []
    status: PassholderStatus | None = None
    prices: dict[bool, MembershipPrice] = {}
    errors: list[str] = []

    async def get_status() -> None:
        nonlocal status
        try:
            status = await _read_with_retries(
                lambda: client.passholder_status(subject.insz, purpose=purpose), retries, calls
            )
        except SourceError as err:
            errors.append(f"UiTPAS: {err.reason}")

    async def get_price(born: dt.date, social: bool) -> None:
        try:
            prices[social] = await _read_with_retries(
                lambda: client.membership_price(
                    card_system_id,
                    postal_code=postal_code,
                    date_of_birth=born,
                    social_tariff=social,
                    purpose=purpose,
                ),
                retries,
                calls,
            )
        except SourceError as err:
            errors.append(f"UiTPAS: {err.reason}")

    started_at = dt.datetime.now(dt.UTC)
    try:
        async with asyncio.timeout(timeout_s), asyncio.TaskGroup() as group:
            group.create_task(get_status())
            if postal_code and birth is not None:
                group.create_task(get_price(birth, True))
                group.create_task(get_price(birth, False))
    except TimeoutError:
        error = f"UiTPAS did not answer within {timeout_s:g} s"
        errors.insert(0, error)
        if status is None:
            calls.append(timed_out_call("passholder-status", purpose, started_at, timeout_s, error))
    except asyncio.CancelledError:
        breaker.release_trial()
        raise
    if status is None:
        breaker.record_failure()
        reason = errors[0] if errors else "UiTPAS gave no status"
        return UitpasInfo(available=False, error=reason), tuple(calls)
    breaker.record_success()
    info = _info(status, prices, card_system_id)
    if errors:
        info = info.model_copy(update={"error": errors[0]})
    return info, tuple(calls)


def timed_out_call(
    service: str, purpose: str, started_at: dt.datetime, timeout_s: float, error: str
) -> SourceCall:
    """The record of a request we gave up on (the client never got to write its own)."""
    return SourceCall(
        source=SourceId.UITPAS,
        service=service,
        version=API_VERSION,
        reference=f"loket-{uuid.uuid4()}",
        purpose=purpose,
        started_at=started_at,
        duration_ms=timeout_s * 1000,
        status=CallStatus.TIMEOUT,
        error=error,
        transient=True,
    )


def registration_for(
    subject: Subject, card_system_id: int, end_date: dt.date | None
) -> PassholderRegistration:
    """The registration body from the card's data; a manual entry lacks name and address."""
    summary = subject.summary
    birth = _birth_date(subject)
    if summary is None or not summary.surname or birth is None or not summary.postal_code:
        raise SourceError("registration needs the identity and address read from the eID")
    return PassholderRegistration(
        name=summary.surname,
        first_name=summary.given_names,
        insz_number=subject.insz,
        date_of_birth=birth,
        address=Address(
            street=summary.street_and_number,
            postal_code=summary.postal_code,
            city=summary.municipality,
        ),
        registration_card_system_id=card_system_id,
        registration_social_tariff=(
            RegistrationSocialTariff(end_date=end_date) if end_date is not None else None
        ),
    )


def uitpas_notes(info: UitpasInfo, advice: Advice) -> tuple[LocalText, ...]:
    """Plain sentences for the clerk about what UiTPAS said."""
    if not info.available:
        return (
            LocalText(
                nl=f"UiTPAS kon niet bevraagd worden ({info.error}); prijs volgens de regels.",
                en=f"UiTPAS could not be asked ({info.error}); price from the rules.",
            ),
        )
    notes: list[LocalText] = []
    if info.active_social_tariff:
        until = f" tot {info.social_tariff_end}" if info.social_tariff_end else ""
        until_en = f" until {info.social_tariff_end}" if info.social_tariff_end else ""
        notes.append(
            LocalText(
                nl=f"Heeft al een actief kansentarief bij UiTPAS{until}: geen nieuwe pas nodig.",
                en=f"Already has an active social tariff at UiTPAS{until_en}: no new card needed.",
            )
        )
    elif info.passholder:
        notes.append(LocalText(nl="Is al UiTPAS-houder.", en="Already holds a UiTPAS card."))
    if info.price is not None and advice.outcome is Outcome.ELIGIBLE:
        notes.append(
            LocalText(
                nl=f"Prijs volgens UiTPAS: € {info.price}.",
                en=f"Price according to UiTPAS: € {info.price}.",
            )
        )
    return tuple(notes)
