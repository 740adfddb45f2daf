"""Where the journal lives when nobody says: command line, then environment, then a file.

A city sharing one log across counters sets ``LOKET_JOURNAL_URL`` (or the
configuration passes ``--db``) to ``postgresql://…``; a lone counter keeps its
journal in the user's data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

JOURNAL_URL_ENV = "LOKET_JOURNAL_URL"


def default_journal_path() -> Path:
    return Path(user_data_dir("loket")) / "journal.sqlite3"


def resolve_journal_url(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    from_env = os.environ.get(JOURNAL_URL_ENV, "").strip()
    if from_env:
        return from_env
    return f"sqlite://{default_journal_path()}"
