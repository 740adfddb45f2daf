"""The embedded defaults read the OCMW list from the sandbox's CSV export (issue #4: "a CSV
export by default"); with OCMW faults injected, the sandbox's endpoint (where faults live)."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.check.models import Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from rules.advice import Outcome
from rules.facts import SourceId

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize(
    ("faults", "service", "outcome"),
    [
        (None, "OcmwCsvExport", Outcome.ELIGIBLE),
        (
            SandboxFaults.only(SourceId.OCMW_LIST, SourceFaults(http_500=True)),
            "OcmwTrajectories",
            Outcome.CHECK_MANUALLY,
        ),
    ],
)
async def test_the_embedded_default_reads_the_sandbox_csv(
    faults: SandboxFaults | None, service: str, outcome: Outcome
) -> None:
    async with open_check_service(Settings(), faults=faults) as checks:
        result = await checks.run(Subject(insz="95700203364", entry="manual"), dt.date(2026, 2, 1))
    calls = [c for c in result.calls if c.source is SourceId.OCMW_LIST]
    assert {c.service for c in calls} == {service}
    assert result.right("uitpas-kansentarief").outcome is outcome
