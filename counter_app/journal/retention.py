"""Retention: personal data is kept only as long as the city's policy says.

After ``retention_days`` the clerk's and the subject's identities are removed
from the journal while everything else stays: the day figures do not change and
the hash chain still verifies, because the chain holds only a salted commitment
of the personal fields (see ``chain``). The purge is itself a journal entry.
"""

from __future__ import annotations

import datetime as dt

from counter_app.journal.chain import MINIMUM_RETENTION_DAYS
from counter_app.journal.models import Application, Clerk, utc_now
from counter_app.journal.reports import PurgeReport
from counter_app.journal.store import JournalStore


def purge_cutoff(retention_days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The instant before which personal data goes."""
    if retention_days < MINIMUM_RETENTION_DAYS:
        raise ValueError(f"the retention period is at least {MINIMUM_RETENTION_DAYS} day")
    return (now or utc_now()).astimezone(dt.UTC) - dt.timedelta(days=retention_days)


def purge_personal_data(
    store: JournalStore,
    retention_days: int,
    *,
    counter_id: str,
    application: Application | None = None,
    clerk: Clerk | None = None,
    now: dt.datetime | None = None,
) -> PurgeReport:
    """Remove names and INSZ numbers older than ``retention_days``, logging the purge."""
    return store.purge(
        purge_cutoff(retention_days, now),
        retention_days=retention_days,
        counter_id=counter_id,
        application=application or Application(),
        clerk=clerk or Clerk(),
    )
