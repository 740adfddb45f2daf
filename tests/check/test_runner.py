"""From settings to adapters: per-source endpoints as an acceptance configuration has them."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from counter_app.check import Subject
from counter_app.check.runner import open_check_service
from counter_app.config import ConfigError, Settings, SourceSettings, SourcesSettings
from counter_app.sandbox.server import RunningSandbox
from counter_app.sources.base import CallStatus
from rules import Outcome, SourceId

pytestmark = [pytest.mark.anyio, pytest.mark.live_server]

ON = dt.date(2026, 3, 1)


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def acceptance(live: RunningSandbox, disability_url: str) -> Settings:
    def one(url: str) -> SourceSettings:
        return SourceSettings(base_url=url, timeout_s=1.0, retries=0)

    return Settings(
        environment="acceptance",
        sources=SourcesSettings(
            national_register=one(live.magda_url),
            social_statutes=one(live.magda_url),
            disability_file=one(disability_url),
            ocmw_list=one(live.ocmw_url),
            uitpas=one(live.uitpas_url),
        ),
    )


async def test_each_source_uses_its_own_endpoint(live_sandbox: RunningSandbox) -> None:
    settings = acceptance(live_sandbox, dead_url() + "/magda")
    async with open_check_service(settings) as service:
        outcome = await service.run(Subject(insz="88681575651", entry="manual"), ON)
    by_source = {c.source: c.status for c in outcome.calls}
    assert by_source[SourceId.DISABILITY_FILE] is CallStatus.ERROR  # its own (dead) endpoint
    for source in (
        SourceId.NATIONAL_REGISTER,
        SourceId.SOCIAL_STATUTES,
        SourceId.OCMW_LIST,
        SourceId.UITPAS,
    ):
        assert by_source[source] is CallStatus.OK
    assert outcome.right("uitpas-kansentarief").outcome is Outcome.ELIGIBLE
    assert outcome.right("lez-vrijstelling-handicap").outcome is Outcome.CHECK_MANUALLY


async def test_mixing_sandbox_and_endpoints_is_refused(live_sandbox: RunningSandbox) -> None:
    settings = acceptance(live_sandbox, "inprocess")
    with pytest.raises(ConfigError, match="inprocess"):
        async with open_check_service(settings):
            pass
