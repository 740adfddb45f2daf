"""Test-wide isolation: no test reads or writes the developer's own Loket files.

platformdirs reads the XDG variables at call time, so pointing them at a
session folder keeps the default journal, configuration and supervisor
passphrase of every test (and every subprocess it starts) out of ~/.local.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    base = tmp_path_factory.mktemp("userdirs")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    for key in saved:
        folder = base / key.lower()
        folder.mkdir()
        os.environ[key] = str(folder)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def user_data_dir() -> Path:
    """Where the default journal of this test session lives."""
    return Path(os.environ["XDG_DATA_HOME"])
