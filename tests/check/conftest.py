"""Shared fixtures of the check tests.

Async tests run on asyncio through anyio's pytest plugin. The personas are the
official MAGDA-Mock simulator answers (``../shared/magda-mock/simulator``), read
by the project's sandbox; tests read them from there, the project never copies them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_app.config import Settings, SourceSettings, SourcesSettings
from counter_app.sandbox.server import RunningSandbox, running_sandbox

REPO = Path(__file__).resolve().parents[2]
MAGDA_MOCK = REPO.parent / "shared" / "magda-mock" / "simulator"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def private_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every ``check`` logs its consultation: tests log into a throw-away journal, never
    into the user's real daily log (subprocesses inherit the variable)."""
    url = f"sqlite:///{tmp_path / 'test-journal.sqlite3'}"
    monkeypatch.setenv("LOKET_JOURNAL_URL", url)
    return url


@pytest.fixture(scope="session")
def personas_dir() -> Path:
    if not MAGDA_MOCK.is_dir():
        pytest.skip(f"MAGDA-Mock simulator data not found at {MAGDA_MOCK}")
    return MAGDA_MOCK


def make_settings(
    *,
    timeout_s: float = 2.0,
    retries: int = 1,
    breaker_threshold: int = 50,
    breaker_cooldown_s: float = 30.0,
    deadline_s: float = 5.0,
    per_source: dict[str, SourceSettings] | None = None,
    **overrides: Any,
) -> Settings:
    """Sandbox settings with test-friendly patience (no file, no environment surprises)."""
    one = SourceSettings(
        timeout_s=timeout_s,
        retries=retries,
        breaker_threshold=breaker_threshold,
        breaker_cooldown_s=breaker_cooldown_s,
    )
    each = {name: one for name in SourcesSettings.model_fields}
    each.update(per_source or {})
    sources = SourcesSettings(**each)
    return Settings(sources=sources, check_deadline_s=deadline_s, **overrides)


@pytest.fixture(scope="module")
def live_sandbox(personas_dir: Path) -> Iterator[RunningSandbox]:
    """A real uvicorn server on 127.0.0.1 serving the MAGDA-Mock personas."""
    with running_sandbox(personas_dir) as sandbox:
        yield sandbox
