"""The OCMW's own list: answers for the asked INSZ only, from the CSV export or the HTTP service."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import httpx
import pytest

from counter_app.sandbox.app import create_sandbox_app
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sources.base import CallStatus, WantedFact
from counter_app.sources.errors import is_transient
from counter_app.sources.ocmw import OcmwCsvAdapter, OcmwHttpAdapter
from rules.facts import FactStatus, Period, SourceId
from tests.sources.conftest import BASE, OWN_PERSONAS, SandboxEnv, ctx
from tests.sources.hostile import fixed_app

pytestmark = pytest.mark.anyio

WANTED = [
    WantedFact(name="ocmw_budget_management", key="budgetbeheer"),
    WantedFact(name="ocmw_budget_guidance", key="budgetbegeleiding"),
    WantedFact(name="ocmw_debt_mediation", key="schuldbemiddeling"),
]
CSV = """insz,kind,start,end
85720315705,budgetbegeleiding,2024-09-01,
85720315705,schuldbemiddeling,2025-02-01,2027-01-31
95700203364,budgetbeheer,2025-01-15,
"""


def _values(answer: object) -> dict[str, object]:
    facts = answer.facts  # type: ignore[attr-defined]
    assert all(f.status is FactStatus.KNOWN for f in facts), facts
    return {f.name: f.value for f in facts}


async def test_csv_answers_only_for_the_asked_person(tmp_path: Path) -> None:
    path = tmp_path / "ocmw.csv"
    path.write_text(CSV, encoding="utf-8")
    adapter = OcmwCsvAdapter(path)
    answer = await adapter.fetch(ctx("85720315705"), WANTED)
    assert _values(answer) == {
        "ocmw_budget_management": (),
        "ocmw_budget_guidance": (Period(start=dt.date(2024, 9, 1), end=None),),
        "ocmw_debt_mediation": (Period(start=dt.date(2025, 2, 1), end=dt.date(2027, 1, 31)),),
    }
    (call,) = answer.calls
    assert call.status is CallStatus.OK and call.source is SourceId.OCMW_LIST
    assert all(f.reference == call.reference for f in answer.facts)
    nobody = await adapter.fetch(ctx("01700462685"), WANTED)
    assert set(_values(nobody).values()) == {()}


async def test_csv_is_reread_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "ocmw.csv"
    path.write_text(CSV, encoding="utf-8")
    adapter = OcmwCsvAdapter(path)
    before = _values(await adapter.fetch(ctx("01700462685"), WANTED))
    assert before["ocmw_budget_management"] == ()
    path.write_text(CSV + "01700462685,budgetbeheer,2025-12-01,\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new mtime, surely
    after = _values(await adapter.fetch(ctx("01700462685"), WANTED))
    assert after["ocmw_budget_management"] == (Period(start=dt.date(2025, 12, 1), end=None),)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("insz,kind,start\n85720315705,budgetbeheer,2024-01-01\n", "lacks column(s) end"),
        ("insz,kind,start,end\n85720315705,gokken,2024-01-01,\n", "invalid row (line 2)"),
        ("insz,kind,start,end\n857203,budgetbeheer,2024-01-01,\n", "invalid row (line 2)"),
        ("insz,kind,start,end\n85720315705,budgetbeheer,01/02/2024,\n", "invalid date (line 2)"),
    ],
)
async def test_an_invalid_export_is_an_error_not_half_a_list(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "ocmw.csv"
    path.write_text(content, encoding="utf-8")
    answer = await OcmwCsvAdapter(path).fetch(ctx("85720315705"), WANTED)
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert all(reason in f.reason for f in answer.facts)
    assert answer.calls[0].status is CallStatus.ERROR


async def test_missing_export_is_an_error(tmp_path: Path) -> None:
    answer = await OcmwCsvAdapter(tmp_path / "absent.csv").fetch(ctx("85720315705"), WANTED)
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert "not available" in answer.facts[0].reason


async def test_http_service_through_the_sandbox(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.OCMW_LIST]
    assert isinstance(adapter, OcmwHttpAdapter)
    known = _values(await adapter.fetch(ctx("78680927121"), WANTED))
    assert known["ocmw_debt_mediation"] == (
        Period(start=dt.date(2022, 2, 1), end=dt.date(2024, 12, 31)),
    )
    assert known["ocmw_budget_management"] == ()
    unknown = await adapter.fetch(ctx("01700462685"), WANTED)  # 404: no trajectories
    assert set(_values(unknown).values()) == {()}
    paths = [r.url.path for r in own_env.transport.requests]
    assert paths == [
        "/ocmw/v1/persons/78680927121/trajectories",
        "/ocmw/v1/persons/01700462685/trajectories",
    ]


@pytest.mark.parametrize(
    ("faults", "reason", "transient"),
    [
        (SourceFaults(http_500=True), "HTTP 500", True),
        (SourceFaults(rate_limited=True), "HTTP 429", True),
        (SourceFaults(malformed=True), "not a valid list", False),
    ],
)
async def test_http_failures(
    own_env: SandboxEnv, faults: SourceFaults, reason: str, transient: bool
) -> None:
    own_env.app.state.faults.set(SandboxFaults.only(SourceId.OCMW_LIST, faults))
    answer = await own_env.sources.adapters[SourceId.OCMW_LIST].fetch(ctx("78680927121"), WANTED)
    assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
    assert reason in answer.facts[0].reason
    assert is_transient(answer.calls[0]) is transient


async def test_http_wrong_shape_and_oversize_are_refused() -> None:
    for app, limit, reason in (
        (
            fixed_app(b'{"kind": "budgetbeheer"}', media_type="application/json"),
            10_000,
            "not a valid list",
        ),
        (fixed_app(b"[" + b" " * 50_000 + b"]", media_type="application/json"), 10_000, "refused"),
    ):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        adapter = OcmwHttpAdapter(client, base_url=BASE, max_response_bytes=limit, owns_client=True)
        answer = await adapter.fetch(ctx("78680927121"), WANTED)
        await adapter.aclose()
        assert reason in answer.facts[0].reason


async def test_sandbox_reads_the_project_ocmw_list() -> None:
    app = create_sandbox_app(OWN_PERSONAS)
    async with httpx.AsyncClient(base_url=BASE, transport=httpx.ASGITransport(app=app)) as client:
        response = await client.get("/ocmw/v1/persons/95700203364/trajectories")
    assert response.json() == [{"kind": "budgetbeheer", "start": "2025-01-15", "end": None}]
