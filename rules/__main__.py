"""Entry point of ``python -m rules``."""

from rules.cli import main

raise SystemExit(main())
