"""No INSZ in diagnostic logs, whatever logging configuration the process runs with.

The audit found httpx logging every request URL at INFO ("HTTP Request: GET
.../ocmw/v1/persons/01700462685/trajectories"): with logging at INFO or DEBUG, each
citizen's national number went to the log. These tests capture everything at DEBUG
on the root logger and look for the subject's number.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from counter_app.check.models import Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings
from counter_app.logs import MASK, mask_insz
from counter_app.sandbox.server import running_sandbox
from tests.sources.conftest import OWN_PERSONAS, REPO

pytestmark = pytest.mark.anyio

DAY = dt.date(2026, 2, 1)
# on the OCMW list (the OCMW URL is asked) / a UiTPAS passholder (the status URL is asked)
SUBJECTS = ("95700203364", "01700462685")


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG by any logger, as a deployment's root handler would see it."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _assert_clean(log: str) -> None:
    assert "HTTP Request:" in log, "httpx logged no request: the test would prove nothing"
    for insz in SUBJECTS:
        assert insz not in log, [line for line in log.splitlines() if insz in line][:3]


async def test_a_check_at_debug_logs_no_insz_in_process(debug_log: io.StringIO) -> None:
    async with open_check_service(Settings(ocmw_list={"mode": "http"})) as service:
        for insz in SUBJECTS:
            await service.run(Subject(insz=insz, entry="manual"), DAY)
    _assert_clean(debug_log.getvalue())
    assert f"/ocmw/v1/persons/{MASK}/trajectories" in debug_log.getvalue()


async def test_a_check_at_debug_logs_no_insz_through_a_real_server(
    debug_log: io.StringIO,
) -> None:
    with running_sandbox(OWN_PERSONAS) as sandbox:
        settings = Settings(ocmw_list={"mode": "http"})
        async with open_check_service(settings, sources_url=sandbox.url) as service:
            for insz in SUBJECTS:
                await service.run(Subject(insz=insz, entry="manual"), DAY)
    _assert_clean(debug_log.getvalue())


def test_exceptions_and_child_loggers_are_masked(debug_log: io.StringIO) -> None:
    """A filter on ``httpcore`` would miss ``httpcore.http11``; the record factory does not."""
    log = logging.getLogger("some.library.child")
    try:
        raise ValueError("GET /passholders/status/insz-numbers/95700203364 failed")
    except ValueError:
        log.exception("request for %s (%s)", "95700203364", "95.70.02-033.64")
    logging.getLogger("httpcore.http11").debug("url=%r", b"/x/01700462685/y")
    text = debug_log.getvalue()
    assert "95700203364" not in text and "95.70.02-033.64" not in text
    assert "01700462685" not in text
    assert text.count(MASK) >= 4
    assert "ValueError" in text  # the traceback itself is kept


def test_only_national_number_shapes_are_masked() -> None:
    assert mask_insz("ids 95700203364, 1234567890123 and 2026-02-01") == (
        f"ids {MASK}, 1234567890123 and 2026-02-01"
    )


def test_the_command_line_masks_without_any_test_setup(tmp_path: object) -> None:
    """A fresh interpreter that only imports the entry point, with logging at DEBUG."""
    code = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)\n"
        "from counter_app.cli import main\n"
        f"sys.exit(main(['check', '--insz', '{SUBJECTS[0]}', '--date', '{DAY}']))\n"
    )
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": f"{tmp_path}/config",
        "XDG_DATA_HOME": f"{tmp_path}/data",
        "LOKET_OCMW_LIST__MODE": "http",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    logged = result.stdout + result.stderr
    assert "HTTP Request:" in logged
    assert f"persons/{MASK}/trajectories" in logged
    # the check's own output names the subject only where the clerk needs it: not in log lines
    log_lines = [line for line in logged.splitlines() if line.startswith(("DEBUG:", "INFO:"))]
    assert log_lines
    assert not [line for line in log_lines if SUBJECTS[0] in line]
