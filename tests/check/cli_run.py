"""Run ``counter-app`` the way a user does: a subprocess with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_counter_app(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """No LOKET_* setting leaks in, and no user loket.toml or journal is read."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("LOKET_") or k == "LOKET_RESOURCES"
    }
    environment["XDG_CONFIG_HOME"] = str(home / "config")
    environment["XDG_DATA_HOME"] = str(home / "data")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "counter_app", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_clean_line(stderr: str) -> str:
    """The CLI's promise for errors: exactly one line, never a traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]
