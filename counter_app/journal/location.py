"""Where the journal lives: ``--db``, then ``LOKET_JOURNAL_URL``, then the configuration.

A city sharing one log across counters sets ``LOKET_JOURNAL_URL`` (or
``journal.url`` in the configuration, or passes ``--db``) to ``postgresql://…``;
a lone counter keeps its journal in the user's data folder. Every entry point
(``counter-app check``, ``counter-app log``, the counter window, the supervisor's
view) resolves it the same way: the explicit URL, then the environment variable,
then the configured ``journal.url`` (whose default is the data-folder file).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

JOURNAL_URL_ENV = "LOKET_JOURNAL_URL"


def default_journal_path() -> Path:
    return Path(user_data_dir("loket")) / "journal.sqlite3"


def resolve_journal_url(explicit: str | None = None, configured: str | None = None) -> str:
    """``explicit`` (``--db``) > ``$LOKET_JOURNAL_URL`` > ``configured`` > the default file."""
    if explicit:
        return explicit
    from_env = os.environ.get(JOURNAL_URL_ENV, "").strip()
    if from_env:
        return from_env
    if configured:
        return configured
    return f"sqlite://{default_journal_path()}"
