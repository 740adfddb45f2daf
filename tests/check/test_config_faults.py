"""Fault injection per source from the configuration: ``[sandbox.faults.<source>]``.

The issue asks for it "from configuration": the embedded sandbox of ``check`` and
the window and the ``counter-app sandbox`` server both take the configured faults;
anywhere but the sandbox environment they are refused when the settings load.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from counter_app.check.runner import run_one_check
from counter_app.config import ConfigError, load_settings
from counter_app.sources.base import CallStatus
from rules import Outcome, SourceId
from tests.check.conftest import make_settings

REPO = Path(__file__).resolve().parents[2]
ON = dt.date(2026, 3, 1)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loket.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_and_the_environment_set_faults_per_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[sandbox.faults.uitpas]\nmalformed = true\nlatency_ms = 50\n")
    monkeypatch.setenv("LOKET_SANDBOX__FAULTS__SOCIAL_STATUTES__MAGDA_BUSY", "true")
    faults = load_settings(path).sandbox.faults
    assert faults.uitpas.malformed and faults.uitpas.latency_ms == 50
    assert faults.social_statutes.magda_busy
    assert not faults.national_register.http_500 and faults.active


def test_a_mistyped_fault_is_one_clear_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[sandbox.faults.uitpas]\nmalformd = true\n")
    with pytest.raises(ConfigError, match=r"sandbox\.faults\.uitpas\.malformd"):
        load_settings(path)


@pytest.mark.parametrize("environment", ["acceptance", "production"])
def test_faults_are_refused_outside_the_sandbox(tmp_path: Path, environment: str) -> None:
    path = write(
        tmp_path, f'environment = "{environment}"\n[sandbox.faults.uitpas]\nhttp_500 = true\n'
    )
    with pytest.raises(ConfigError, match=r"sandbox\.faults are refused"):
        load_settings(path)


@pytest.mark.anyio
async def test_the_embedded_sandbox_takes_the_configured_faults() -> None:
    settings = make_settings(sandbox={"faults": {"social_statutes": {"http_500": True}}})
    outcome = await run_one_check(settings, insz="86710585636", on=ON)
    statutes = [c.status for c in outcome.calls if c.source is SourceId.SOCIAL_STATUTES]
    assert statutes and set(statutes) == {CallStatus.ERROR}
    assert outcome.right("uitpas-kansentarief").outcome is Outcome.CHECK_MANUALLY
    healthy = await run_one_check(make_settings(), insz="86710585636", on=ON)
    assert healthy.right("uitpas-kansentarief").outcome is Outcome.ELIGIBLE


@pytest.mark.live_server
def test_the_sandbox_command_serves_the_configured_faults(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    env |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "LOKET_SANDBOX__FAULTS__OCMW_LIST__HTTP_500": "true",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "sandbox", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        served = None
        for _ in range(100):
            try:
                served = httpx.get(f"http://127.0.0.1:{port}/_sandbox/faults", timeout=1).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert served is not None, "the sandbox did not start"
        assert served["ocmw_list"]["http_500"] is True
        assert served["uitpas"]["http_500"] is False
        answer = httpx.get(f"http://127.0.0.1:{port}/ocmw/v1/persons/86710585636/trajectories")
        assert answer.status_code == 500
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "injecting configured faults into: ocmw_list" in err
