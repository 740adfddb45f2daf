"""``python -m counter_app.journal [log] show|export|verify|purge|seal …``."""

from __future__ import annotations

import sys

from counter_app.journal.cli import main

if __name__ == "__main__":
    sys.exit(main())
