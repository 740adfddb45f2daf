"""Where the rule files live.

``rules`` may not import ``cardreader`` (import-linter), so it repeats the
project's one-line convention: ``LOKET_RESOURCES`` when set, else the
repository's top-level ``resources/``.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """``LOKET_RESOURCES`` when set, else the repository's top-level ``resources/``."""
    if "LOKET_RESOURCES" in os.environ:
        return Path(os.environ["LOKET_RESOURCES"])
    return Path(__file__).resolve().parents[1] / "resources"


def rules_dir() -> Path:
    return resources_dir() / "rules"


def golden_dir() -> Path:
    return rules_dir() / "golden"
