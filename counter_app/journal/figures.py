"""Day figures and supervisor filters, computed from stored entries.

Kept apart from the backends so that SQLite and PostgreSQL give identical
numbers, and so that the figures use only non-personal fields: a retention
purge must not change a single figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from counter_app.journal.models import DecisionAction, EntryKind, EntryMode, StoredEntry
from counter_app.journal.reports import DayFigures, EntryFilter


def matches(stored: StoredEntry, flt: EntryFilter) -> bool:
    """Whether one entry passes every filter that is set."""
    e = stored.entry
    if flt.counter_id is not None and e.counter_id != flt.counter_id:
        return False
    if flt.clerk is not None:
        wanted = flt.clerk.strip().casefold()
        name = (e.clerk.name or "").casefold()
        if not wanted or (wanted not in name and wanted != (e.clerk.insz or "")):
            return False
    if flt.right is not None and flt.right not in e.rights:
        return False
    if flt.outcome is not None and all(r.outcome is not flt.outcome for r in e.rule_sets):
        return False
    if flt.decision is not None and (e.decision is None or e.decision.action is not flt.decision):
        return False
    if (
        flt.overridden is not None
        and (e.decision is not None and e.decision.overridden) != flt.overridden
    ):
        return False
    if flt.entry_mode is not None and e.entry_mode is not flt.entry_mode:
        return False
    return flt.source_failures is None or (e.source_failures > 0) == flt.source_failures


def filter_entries(entries: Iterable[StoredEntry], flt: EntryFilter | None) -> list[StoredEntry]:
    if flt is None:
        return list(entries)
    return [s for s in entries if matches(s, flt)]


def day_figures(day: dt.date, entries: Sequence[StoredEntry], tz: ZoneInfo) -> DayFigures:
    """The supervisor's numbers for one day (entries of that day, any counters)."""
    advice: defaultdict[str, Counter[str]] = defaultdict(Counter)
    per_hour: defaultdict[int, Counter[str]] = defaultdict(Counter)
    failures_by_source: Counter[str] = Counter()
    actions: Counter[DecisionAction] = Counter()
    check_times: list[float] = []
    checks = decisions = overrides = manual = with_failures = 0
    for stored in entries:
        e = stored.entry
        if e.kind is EntryKind.CONSULTATION:
            checks += 1
            for r in e.rule_sets:
                advice[r.right][r.outcome.value] += 1
            overall = e.overall_outcome
            hour = e.recorded_at.astimezone(tz).hour
            per_hour[hour][overall.value if overall else "none"] += 1
            if e.entry_mode is EntryMode.MANUAL:
                manual += 1
            failed = [r for r in e.requests if r.failed]
            if failed:
                with_failures += 1
                failures_by_source.update(r.source.value for r in failed)
            if e.timings.total_ms is not None:
                check_times.append(e.timings.total_ms)
        elif e.kind is EntryKind.DECISION and e.decision is not None:
            decisions += 1
            actions[e.decision.action] += 1
            if e.decision.overridden:
                overrides += 1
    return DayFigures(
        day=day,
        checks=checks,
        decisions=decisions,
        advice={right: dict(sorted(c.items())) for right, c in sorted(advice.items())},
        opportunity_tariff_sales=actions[DecisionAction.OPPORTUNITY_TARIFF_SALE],
        normal_sales=actions[DecisionAction.NORMAL_SALE],
        lez_registrations=actions[DecisionAction.LEZ_REGISTERED],
        overrides=overrides,
        manual_entries=manual,
        cancelled=actions[DecisionAction.CANCELLED],
        checks_with_source_failures=with_failures,
        source_failures=dict(sorted(failures_by_source.items())),
        median_check_ms=statistics.median(check_times) if check_times else None,
        checks_per_hour={h: dict(sorted(c.items())) for h, c in sorted(per_hour.items())},
    )
