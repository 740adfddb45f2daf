"""Where the shared resources (rule sets, card profiles, trust roots, translations) live."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """``LOKET_RESOURCES`` when set, else the repository's top-level ``resources/``."""
    if "LOKET_RESOURCES" in os.environ:
        return Path(os.environ["LOKET_RESOURCES"])
    return Path(__file__).resolve().parents[1] / "resources"
