"""Supervisor filters against a direct SQL count on the stored summaries.

The audit found "right = LEZ, outcome = eligible" listing checks whose LEZ advice
was not eligible (the outcome matched any right's advice). The count here comes
from the database itself, not from the code under test.
"""

from __future__ import annotations

import datetime as dt
import itertools

from counter_app.journal.models import AdviceOutcome
from counter_app.journal.reports import EntryFilter
from counter_app.journal.store import SqlJournalStore
from tests.journal.builders import LEZ, UITPAS, consultation, decision, fake_insz
from tests.journal.raw import RawDb

NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 10)


def _sql_count(raw: RawDb, right: str, outcome: AdviceOutcome) -> int:
    if raw.postgres:
        sql = ("SELECT COUNT(*) FROM journal_entries WHERE day = ?"
               " AND (summary::json -> 'advice' ->> ?) = ?")  # fmt: skip
    else:
        sql = ("SELECT COUNT(*) FROM journal_entries WHERE day = ?"
               " AND json_extract(summary, '$.advice.' || ?) = ?")  # fmt: skip
    return int(raw.execute(sql, (DAY.isoformat(), right, outcome.value))[0][0])


def test_right_and_outcome_filters_combine_on_that_rights_advice(
    store: SqlJournalStore, journal_url: str
) -> None:
    outcomes = list(AdviceOutcome)
    entries = []
    for i, (lez, uitpas) in enumerate(itertools.product(outcomes, outcomes)):
        for j in range(i % 3 + 1):  # uneven counts, so a wrong filter gives a wrong number
            c = consultation(at=NOON + dt.timedelta(minutes=10 * i + j), subject=fake_insz(i),
                             outcomes={LEZ: lez, UITPAS: uitpas})  # fmt: skip
            entries += [c, decision(c)]
    store.append_many(entries)
    raw = RawDb(journal_url)
    try:
        for right, outcome in itertools.product((LEZ, UITPAS), outcomes):
            shown = store.day_view(DAY, EntryFilter(right=right, outcome=outcome)).entries
            assert len(shown) == _sql_count(raw, right, outcome) > 0, (right, outcome)
            assert all(r.summary.advice[right] is outcome for r in shown)
            listed = store.entries(DAY, EntryFilter(right=right, outcome=outcome))
            assert len(listed) == len(shown)
    finally:
        raw.close()
