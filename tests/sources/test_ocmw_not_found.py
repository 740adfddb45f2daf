"""Only the OCMW service's own "not on the list" answer means "no trajectories".

The audit found every HTTP 404 read as "this person has no trajectories": a typo in
the configured URL made every citizen "not on the OCMW list", the call was logged
"ok" and the UiTPAS right became NOT ELIGIBLE instead of "check manually".
"""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from counter_app.check.models import Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings
from counter_app.sandbox.app import create_sandbox_app
from counter_app.sandbox.server import running_sandbox
from counter_app.sources.base import CallStatus, SourceAnswer, WantedFact
from counter_app.sources.ocmw import PERSON_NOT_FOUND, OcmwHttpAdapter
from rules.advice import Outcome
from rules.facts import FactStatus, SourceId
from tests.sources.conftest import BASE, OWN_PERSONAS, ctx

pytestmark = pytest.mark.anyio

WANTED = [
    WantedFact(name="ocmw_budget_management", key="budgetbeheer"),
    WantedFact(name="ocmw_debt_mediation", key="schuldbemiddeling"),
]
NOT_ON_THE_LIST = "01700462685"  # a sandbox persona with no OCMW trajectory
ON_THE_LIST = "95700203364"  # budgetbeheer since 2025-01-15


async def _ask(app: Starlette, base_url: str, insz: str) -> SourceAnswer:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    adapter = OcmwHttpAdapter(client, base_url=base_url, owns_client=True)
    try:
        return await adapter.fetch(ctx(insz), WANTED)
    finally:
        await adapter.aclose()


def _failed(answer: SourceAnswer, reason: str) -> None:
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert all(reason in f.reason for f in answer.facts)
    (call,) = answer.calls
    assert call.status is CallStatus.ERROR


async def test_the_sandbox_not_found_answer_means_no_trajectories() -> None:
    answer = await _ask(create_sandbox_app(OWN_PERSONAS), BASE, NOT_ON_THE_LIST)
    assert [(f.status, f.value) for f in answer.facts] == [(FactStatus.KNOWN, ())] * 2
    assert answer.calls[0].status is CallStatus.OK


async def test_a_wrong_base_path_is_a_source_error_not_an_empty_list() -> None:
    app = create_sandbox_app(OWN_PERSONAS)
    for insz in (NOT_ON_THE_LIST, ON_THE_LIST):
        _failed(await _ask(app, BASE + "/typo", insz), "HTTP 404")


def _answering(status: int, body: bytes, media_type: str) -> Starlette:
    async def answer(request: Request) -> Response:
        return Response(body, status_code=status, media_type=media_type)

    return Starlette(routes=[Route("/{path:path}", answer)])


def _problem(kind: str) -> bytes:
    return json.dumps({"type": kind, "title": "x", "status": 404}).encode()


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        (b"<html><body>404 Not Found</body></html>", "text/html"),  # a proxy's page
        (b"", "text/plain"),
        (_problem("about:blank"), "application/problem+json"),  # some other not-found
        (_problem(PERSON_NOT_FOUND + "-x"), "application/problem+json"),
        (_problem(PERSON_NOT_FOUND), "application/json"),  # not a problem answer
        (b'{"type": ' + json.dumps(PERSON_NOT_FOUND).encode(), "application/problem+json"),
        (
            json.dumps({"type": PERSON_NOT_FOUND, "status": 500}).encode(),
            "application/problem+json",
        ),
    ],
)
async def test_any_other_404_is_a_source_error(body: bytes, media_type: str) -> None:
    _failed(await _ask(_answering(404, body, media_type), BASE, NOT_ON_THE_LIST), "HTTP 404")


async def test_the_not_found_type_on_another_status_is_not_an_answer() -> None:
    app = _answering(410, _problem(PERSON_NOT_FOUND), "application/problem+json")
    _failed(await _ask(app, BASE, NOT_ON_THE_LIST), "HTTP 410")


async def test_a_wrong_ocmw_url_makes_the_check_say_check_manually() -> None:
    """End to end against a real sandbox server: the probe of the audit, as a test."""
    day = dt.date(2026, 2, 1)
    outcomes = {}
    with running_sandbox(OWN_PERSONAS) as sandbox:
        for suffix in ("", "/typo"):
            magda = {"base_url": sandbox.magda_url}
            settings = Settings(
                sources={
                    "national_register": magda,
                    "social_statutes": magda,
                    "disability_file": magda,
                    "ocmw_list": {"base_url": sandbox.ocmw_url + suffix},
                    "uitpas": {"base_url": sandbox.uitpas_url},
                },
                ocmw_list={"mode": "http"},
            )
            async with open_check_service(settings) as service:
                outcome = await service.run(Subject(insz=ON_THE_LIST, entry="manual"), day)
            calls = [c.status for c in outcome.calls if c.source is SourceId.OCMW_LIST]
            outcomes[suffix] = (outcome.right("uitpas-kansentarief").outcome, calls)
    assert outcomes[""] == (Outcome.ELIGIBLE, [CallStatus.OK])
    assert outcomes["/typo"][0] is Outcome.CHECK_MANUALLY
    assert CallStatus.OK not in outcomes["/typo"][1]
