"""Appends confirmations until killed, printing ``recorded N`` after each durable append.

Run as ``python -m tests.journal.crash_writer DB_PATH PREFIX``; the crash test
kills it with SIGKILL at random moments.
"""

from __future__ import annotations

import sys

from counter_app.journal.errors import JournalError
from counter_app.journal.models import DecisionAction
from counter_app.journal.store import open_journal
from tests.journal.builders import consultation, decision, fake_insz


def main() -> int:
    path, prefix = sys.argv[1], sys.argv[2]
    store = open_journal(path)
    print("ready", flush=True)
    n = 0
    while True:
        check = consultation(subject=fake_insz(n), check_id=f"{prefix}-{n}")
        try:
            store.append(check)
            store.append(decision(check, DecisionAction.NORMAL_SALE))
        except JournalError as exc:
            print(f"not recorded {n}: {exc}", flush=True)
            return 1
        print(f"recorded {n}", flush=True)
        n += 1


if __name__ == "__main__":
    sys.exit(main())
