"""The sandbox's JSON endpoints: the OCMW trajectories service and the UiTPAS API v4 subset.

UiTPAS is emulated closely enough to exercise the client: OAuth2 client
credentials with expiring tokens, the rate-limited status lookup, the price
lookup and registration (kept in memory, so a registered citizen becomes a
passholder for the rest of the run).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from counter_app.sandbox.faults import FaultSwitch, SourceFaults
from counter_app.sandbox.personas import Membership, Passholder, PersonaStore, SocialTariff
from rules.facts import SourceId

TOKEN_LIFETIME_SECONDS = 3600
PROBLEM = "https://api.publiq.be/probs"


def problem(status: int, kind: str, title: str) -> JSONResponse:
    return JSONResponse(
        {"type": f"{PROBLEM}/{kind}", "title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
    )


async def _misbehave(
    switch: FaultSwitch, source: SourceId, request: Request
) -> tuple[SourceFaults, Response | None]:
    faults = switch.current.for_source(source)
    await switch.delay(faults, request)
    if faults.http_500:
        return faults, problem(500, "internal", "internal error (injected)")
    if faults.rate_limited:
        return faults, problem(429, "uitpas/rate-limited", "too many requests (injected)")
    if switch.random_error(faults):
        return faults, problem(503, "unavailable", "service unavailable (injected)")
    return faults, None


def _json(payload: Any, faults: SourceFaults, status: int = 200) -> Response:
    response = JSONResponse(payload, status_code=status)
    if faults.malformed:
        return Response(
            response.body[: max(1, len(response.body) // 2)], media_type="application/json"
        )
    return response


class OcmwEndpoint:
    """GET /ocmw/v1/persons/{insz}/trajectories: this person's trajectories only, 404 if none."""

    def __init__(self, personas: PersonaStore, faults: FaultSwitch) -> None:
        self.personas = personas
        self.faults = faults

    async def handle(self, request: Request) -> Response:
        faults, failure = await _misbehave(self.faults, SourceId.OCMW_LIST, request)
        if failure is not None:
            return failure
        trajectories = self.personas.ocmw.get(request.path_params["insz"])
        if not trajectories:
            # the one 404 the adapter reads as "not on the list" (ocmw.PERSON_NOT_FOUND)
            return problem(404, "ocmw/person-not-found", "no trajectories for this person")
        return _json([t.model_dump(mode="json") for t in trajectories], faults)


class UitpasApi:
    """The UiTPAS v4 endpoints the counter uses; state (tokens, registrations) in memory."""

    def __init__(self, personas: PersonaStore, faults: FaultSwitch) -> None:
        self.personas = personas
        self.faults = faults
        self.tokens: dict[str, float] = {}
        self.tokens_issued = 0
        self.registered: dict[str, Passholder] = {}
        self.registrations: list[dict[str, Any]] = []

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return False
        expiry = self.tokens.get(header.removeprefix("Bearer ").strip())
        return expiry is not None and expiry > time.monotonic()

    async def _authorised_call(self, request: Request) -> tuple[SourceFaults, Response | None]:
        """The gate of every call but ``token``: injected faults first, then the bearer token."""
        faults, failure = await _misbehave(self.faults, SourceId.UITPAS, request)
        if failure is None and not self._authorised(request):
            failure = problem(401, "auth/unauthorized", "missing or expired token")
        return faults, failure

    def _passholder(self, insz: str) -> Passholder | None:
        return self.registered.get(insz) or self.personas.uitpas.passholders.get(insz)

    async def token(self, request: Request) -> Response:
        _, failure = await _misbehave(self.faults, SourceId.UITPAS, request)
        if failure is not None:
            return failure
        # application/x-www-form-urlencoded, parsed without python-multipart
        form = {
            k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()
        }
        known = {(c.client_id, c.client_secret) for c in self.personas.uitpas.clients}
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if (form.get("client_id"), form.get("client_secret")) not in known:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.monotonic() + TOKEN_LIFETIME_SECONDS
        self.tokens_issued += 1
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_SECONDS}
        )

    async def status(self, request: Request) -> Response:
        faults, failure = await self._authorised_call(request)
        if failure is not None:
            return failure
        holder = self._passholder(request.path_params["insz"])
        if holder is None:
            return problem(404, "uitpas/passholder-not-found", "not a passholder")
        systems = {c.id: c.name for c in self.personas.uitpas.card_systems}
        memberships = []
        for m in holder.memberships:
            entry: dict[str, Any] = {
                "cardSystem": {"id": m.card_system_id, "name": systems.get(m.card_system_id, "")}
            }
            if m.social_tariff is not None:
                entry["socialTariff"] = {
                    "status": m.social_tariff.status,
                    "endDate": m.social_tariff.end_date.isoformat()
                    if m.social_tariff.end_date
                    else None,
                    "inGracePeriod": m.social_tariff.in_grace_period,
                }
            memberships.append(entry)
        return _json({"passholderId": holder.id, "cardSystemMemberships": memberships}, faults)

    async def price(self, request: Request) -> Response:
        faults, failure = await self._authorised_call(request)
        if failure is not None:
            return failure
        try:
            system_id = int(request.path_params["card_system_id"])
            dt.date.fromisoformat(request.query_params.get("dateOfBirth", ""))
        except ValueError:
            return problem(400, "invalid-data", "invalid cardSystemId or dateOfBirth")
        if not request.query_params.get("postalCode"):
            return problem(400, "invalid-data", "postalCode is required")
        system = next((c for c in self.personas.uitpas.card_systems if c.id == system_id), None)
        if system is None:
            return problem(404, "uitpas/card-system-not-found", "unknown card system")
        social = request.query_params.get("socialTariff", "false").lower() == "true"
        chosen = system.social_tariff if social else system.normal
        return _json(
            {"price": chosen.price, "label": chosen.label, "description": chosen.description},
            faults,
        )

    async def register(self, request: Request) -> Response:
        # The request is received whole before any delay, as a real server would: a
        # client that gives up during the delay has sent it, and it is registered anyway
        # (what the counter must cope with: a registration whose answer never came).
        raw = await request.body()
        faults, failure = await self._authorised_call(request)
        if failure is not None:
            return failure
        try:
            body = json.loads(raw)
        except ValueError:
            return problem(400, "invalid-data", "body is not JSON")
        required = ("name", "firstName", "inszNumber", "dateOfBirth", "registrationCardSystemId")
        if not isinstance(body, dict) or any(not body.get(k) for k in required):
            return problem(400, "invalid-data", "missing required fields")
        if not body.get("legalTermsPaper") and not body.get("legalTermsDigital"):
            return problem(400, "uitpas/legal-terms-not-accepted", "legal consent is required")
        insz = str(body["inszNumber"])
        if self._passholder(insz) is not None:
            return problem(409, "uitpas/passholder-already-exists", "already a passholder")
        tariff = body.get("registrationSocialTariff")
        social = None
        if isinstance(tariff, dict):
            end = tariff.get("endDate")
            social = SocialTariff(
                status="ACTIVE", end_date=dt.date.fromisoformat(end) if end else None
            )
        holder = Passholder(
            id=str(uuid.uuid4()),
            memberships=(
                Membership(
                    card_system_id=int(body["registrationCardSystemId"]), social_tariff=social
                ),
            ),
        )
        self.registered[insz] = holder
        self.registrations.append(body)
        return _json({"id": holder.id}, faults, status=201)
