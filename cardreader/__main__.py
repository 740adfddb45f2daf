"""Entry point of ``python -m cardreader`` (see ``cardreader.cli``)."""

from __future__ import annotations

import sys

from cardreader.cli import main

if __name__ == "__main__":
    sys.exit(main())
