"""The OCMW list is "a CSV export by default, or an HTTP JSON endpoint" (issue #4).

The default used to be HTTP. Now the default is CSV: without a ``csv_path`` it is
the sandbox's own export (``resources/personas/ocmw.csv``, the file the sandbox
serves), so the embedded defaults keep every sandbox persona on the list; a real
counter must name its export, and production refuses the sandbox's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from counter_app.config import OcmwListSettings, Settings
from counter_app.sandbox.app import create_sandbox_app
from counter_app.sandbox.personas import PersonaStore
from counter_app.sources.base import CallStatus, WantedFact
from counter_app.sources.ocmw import OcmwCsvAdapter, OcmwHttpAdapter
from rules.facts import FactStatus, Period
from tests.sources.conftest import BASE, OWN_PERSONAS, SIMULATOR, ctx

pytestmark = pytest.mark.anyio

WANTED = [
    WantedFact(name="ocmw_budget_management", key="budgetbeheer"),
    WantedFact(name="ocmw_budget_guidance", key="budgetbegeleiding"),
    WantedFact(name="ocmw_debt_mediation", key="schuldbemiddeling"),
]


def test_the_default_is_the_csv_export() -> None:
    settings = Settings()
    assert settings.ocmw_list.mode == "csv"
    assert settings.ocmw_list.csv_path is None
    assert settings.ocmw_list.export_to_read(OWN_PERSONAS) == OWN_PERSONAS / "ocmw.csv"


def test_where_the_list_comes_from() -> None:
    export = Path("/srv/ocmw/lijst.csv")
    assert OcmwListSettings(csv_path=export).export_to_read(OWN_PERSONAS) == export
    assert OcmwListSettings(csv_path=export).export_to_read(None) == export
    # not embedded (a sandbox server, or real endpoints): its HTTP endpoint serves the list
    assert OcmwListSettings().export_to_read(None) is None
    # a persona directory without a list (MAGDA-Mock): the sandbox endpoint says "none"
    assert not (SIMULATOR / "ocmw.csv").exists()
    assert OcmwListSettings().export_to_read(SIMULATOR) is None
    assert OcmwListSettings(mode="http").export_to_read(OWN_PERSONAS) is None


def test_a_file_naming_only_the_url_still_means_the_http_service() -> None:
    settings = OcmwListSettings.model_validate({"url": "https://ocmw.example/api"})
    assert settings.mode == "http"
    assert settings.export_to_read(OWN_PERSONAS) is None


def test_choosing_csv_without_a_path_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"needs ocmw_list\.csv_path"):
        OcmwListSettings.model_validate({"mode": "csv"})


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({}, "ocmw_list.csv_path is required"),
        ({"csv_path": OWN_PERSONAS / "ocmw.csv"}, "the sandbox's list"),
        ({"csv_path": OWN_PERSONAS / "sub" / ".." / "ocmw.csv"}, "the sandbox's list"),
        ({"mode": "http", "url": "http://ocmw.example"}, "must use https://"),
        ({"url": "http://ocmw.example"}, "must use https://"),
    ],
)
def test_production_refuses_the_sandbox_list(values: dict[str, object], problem: str) -> None:
    problems = OcmwListSettings.model_validate(values).production_problems()
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    "values",
    [
        {"csv_path": Path("/srv/ocmw/lijst.csv")},
        {"mode": "http"},
        {"mode": "http", "url": "https://ocmw.example/api"},
    ],
)
def test_production_accepts_a_real_list(values: dict[str, object]) -> None:
    assert OcmwListSettings.model_validate(values).production_problems() == []


async def test_the_default_export_agrees_with_the_sandbox_for_every_persona() -> None:
    """The embedded default reads the very list the sandbox serves: same answer for everyone."""
    export = Settings().ocmw_list.export_to_read(OWN_PERSONAS)
    assert export is not None
    csv_adapter = OcmwCsvAdapter(export)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_sandbox_app(OWN_PERSONAS)))
    http_adapter = OcmwHttpAdapter(client, base_url=BASE, owns_client=True)
    personas = {p.stem for p in (OWN_PERSONAS / "Persoon").rglob("*.xml") if p.stem.isdigit()}
    on_the_list = set(PersonaStore(OWN_PERSONAS).ocmw)
    assert on_the_list and on_the_list <= personas
    try:
        for insz in sorted(personas):
            from_csv = await csv_adapter.fetch(ctx(insz), WANTED)
            from_http = await http_adapter.fetch(ctx(insz), WANTED)
            assert from_csv.calls[0].status is CallStatus.OK
            assert all(f.status is FactStatus.KNOWN for f in from_csv.facts)
            assert [f.value for f in from_csv.facts] == [f.value for f in from_http.facts], insz
    finally:
        await http_adapter.aclose()
    on_budget_management = await csv_adapter.fetch(ctx("95700203364"), WANTED)
    assert on_budget_management.facts[0].value == (Period(start=dt.date(2025, 1, 15), end=None),)
