"""Day figures and supervisor filters, computed from entry summaries.

Kept apart from the backends so that SQLite and PostgreSQL give identical
numbers, and computed only from non-personal, chained summaries: a retention
purge must not change a single figure. (The clerk filter is the one exception:
it needs the clerk's name, and finds nothing once that was purged.)
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from counter_app.journal.models import DecisionAction, EntryKind, EntryMode, SummaryRow
from counter_app.journal.reports import DayFigures, EntryFilter


def matches(row: SummaryRow, flt: EntryFilter) -> bool:
    """Whether one entry passes every filter that is set."""
    s = row.summary
    if flt.counter_id is not None and row.counter_id != flt.counter_id:
        return False
    if flt.clerk is not None:
        wanted = flt.clerk.strip().casefold()
        name = (row.clerk_name or "").casefold()
        if not wanted or (wanted not in name and wanted != (row.clerk_insz or "")):
            return False
    if flt.right is not None and flt.right not in s.rights:
        return False
    if flt.outcome is not None:
        # Every check evaluates all rule sets, so "about LEZ" and "some advice eligible"
        # would match a check whose LEZ advice was not eligible: with a right chosen,
        # the outcome is that right's advice.
        if flt.right is not None:
            if s.advice.get(flt.right) is not flt.outcome:
                return False
        elif flt.outcome not in s.advice.values():
            return False
    if flt.decision is not None and s.decision is not flt.decision:
        return False
    if flt.overridden is not None and s.overridden != flt.overridden:
        return False
    if flt.entry_mode is not None and s.entry_mode is not flt.entry_mode:
        return False
    return flt.source_failures is None or bool(s.failed_sources) == flt.source_failures


def filter_rows(rows: Iterable[SummaryRow], flt: EntryFilter | None) -> list[SummaryRow]:
    if flt is None:
        return list(rows)
    return [r for r in rows if matches(r, flt)]


def day_figures(day: dt.date, rows: Sequence[SummaryRow], tz: ZoneInfo) -> DayFigures:
    """The supervisor's numbers for one day (entries of that day, any counters)."""
    advice: defaultdict[str, Counter[str]] = defaultdict(Counter)
    per_hour: defaultdict[int, Counter[str]] = defaultdict(Counter)
    failures_by_source: Counter[str] = Counter()
    actions: Counter[DecisionAction] = Counter()
    check_times: list[float] = []
    checks = decisions = overrides = manual = with_failures = 0
    for row in rows:
        s = row.summary
        if s.kind is EntryKind.CONSULTATION:
            checks += 1
            for right, outcome in s.advice.items():
                advice[right][outcome.value] += 1
            overall = s.overall_outcome
            per_hour[s.recorded_at.astimezone(tz).hour][overall.value if overall else "none"] += 1
            if s.entry_mode is EntryMode.MANUAL:
                manual += 1
            if s.failed_sources:
                with_failures += 1
                failures_by_source.update(source.value for source in s.failed_sources)
            if s.total_ms is not None:
                check_times.append(s.total_ms)
        elif s.kind is EntryKind.DECISION and s.decision is not None:
            decisions += 1
            actions[s.decision] += 1
            if s.overridden:
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
