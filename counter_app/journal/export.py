"""Turning stored entries into what people read: masked tables and CSV files.

The subject INSZ is always masked (``YY.MM.DD-xxx.xx``: enough to tell two
people apart at a glance, not enough to identify one); unmasking goes through
``JournalStore.reveal_subject``, which logs who looked.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from counter_app.journal.models import EntrySummary, StoredEntry, SummaryRow
from counter_app.journal.reports import DayFigures
from counter_app.journal.store import DEFAULT_TIMEZONE

ENTRY_COLUMNS = (
    "entry_id",
    "counter_id",
    "seq",
    "day",
    "recorded_at",
    "kind",
    "check_id",
    "entry_mode",
    "application",
    "clerk_name",
    "clerk_insz",
    "subject_insz",
    "requests",
    "failed_requests",
    "references",
    "rule_sets",
    "advice",
    "decision",
    "overridden",
    "override_reason",
    "total_ms",
    "note",
    "personal_purged",
    "hash",
)


def mask_insz(insz: str | None) -> str:
    """``01700462685`` → ``01.70.04-xxx.xx``; nothing known → empty."""
    if not insz:
        return ""
    if len(insz) != 11 or not insz.isdigit():
        return "xx.xx.xx-xxx.xx"
    return f"{insz[0:2]}.{insz[2:4]}.{insz[4:6]}-xxx.xx"


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula.

    Clerks type override reasons, and anyone at the supervisor login types a name
    that is logged even when the passphrase is wrong: ``=HYPERLINK(...)`` or
    ``=cmd|...`` would run when the supervisor opens the export in Excel or
    LibreOffice. A leading apostrophe (OWASP's advice) makes such a cell plain text.
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _advice(stored: StoredEntry) -> str:
    return "; ".join(f"{r.right}={r.outcome.value}" for r in stored.entry.rule_sets)


def entry_row(
    stored: StoredEntry, *, reveal_clerk_insz: bool = False, tz: dt.tzinfo | None = None
) -> dict[str, str]:
    """One CSV row; subject INSZ masked, clerk INSZ masked unless asked otherwise.

    ``recorded_at`` is given in ``tz`` (the counters' zone, the one that decides the
    ``day`` column) with its offset, so that 00:30 on the 29th does not read as the
    28th next to a ``day`` of the 29th; None keeps UTC.
    """
    e = stored.entry
    decision = e.decision
    return {
        "entry_id": str(stored.id),
        "counter_id": stored.counter_id,
        "seq": str(stored.seq),
        "day": stored.day.isoformat(),
        "recorded_at": (e.recorded_at.astimezone(tz) if tz else e.recorded_at).isoformat(),
        "kind": e.kind.value,
        "check_id": e.check_id,
        "entry_mode": e.entry_mode.value if e.entry_mode else "",
        "application": f"{e.application.id} {e.application.version}",
        "clerk_name": e.clerk.name or "",
        "clerk_insz": (e.clerk.insz or "") if reveal_clerk_insz else mask_insz(e.clerk.insz),
        "subject_insz": mask_insz(e.subject_insz),
        "requests": "; ".join(
            f"{r.service} {r.version} [{r.purpose}] {r.status.value} {r.duration_ms:.0f}ms"
            for r in e.requests
        ),
        "failed_requests": str(e.source_failures),
        "references": "; ".join(
            r.reference + (f"/{r.question_reference}" if r.question_reference else "")
            for r in e.requests
        ),
        "rule_sets": "; ".join(
            f"{r.rule_set_id}@{r.version}#{r.content_hash[:12]}" for r in e.rule_sets
        ),
        "advice": _advice(stored),
        "decision": decision.action.value if decision else "",
        "overridden": "yes" if decision and decision.overridden else "",
        "override_reason": decision.override_reason if decision else "",
        "total_ms": "" if e.timings.total_ms is None else f"{e.timings.total_ms:.0f}",
        "note": EntrySummary.of(e).note,  # seal, purge, reveal, login outcome in words
        "personal_purged": "yes" if stored.personal_purged else "",
        "hash": stored.hash,
    }


def write_entries_csv(
    entries: Iterable[StoredEntry], out: TextIO, *, tz: dt.tzinfo | None = None
) -> int:
    """Entries as CSV, every cell safe to open in a spreadsheet; times in ``tz``
    (default: the stores' default zone, Europe/Brussels)."""
    zone = tz or ZoneInfo(DEFAULT_TIMEZONE)
    writer = csv.DictWriter(out, fieldnames=ENTRY_COLUMNS)
    writer.writeheader()
    count = 0
    for stored in entries:
        row = entry_row(stored, tz=zone)
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        count += 1
    return count


def figures_rows(figures: DayFigures) -> list[tuple[str, str, str]]:
    """(figure, detail, value) rows: flat, so a spreadsheet can pivot them."""
    rows: list[tuple[str, str, str]] = [
        ("checks", "", str(figures.checks)),
        ("decisions", "", str(figures.decisions)),
        ("opportunity_tariff_sales", "", str(figures.opportunity_tariff_sales)),
        ("normal_sales", "", str(figures.normal_sales)),
        ("lez_registrations", "", str(figures.lez_registrations)),
        ("overrides", "", str(figures.overrides)),
        ("manual_entries", "", str(figures.manual_entries)),
        ("cancelled", "", str(figures.cancelled)),
        ("checks_with_source_failures", "", str(figures.checks_with_source_failures)),
        (
            "median_check_ms",
            "",
            "" if figures.median_check_ms is None else f"{figures.median_check_ms:.0f}",
        ),
    ]
    for right, outcomes in figures.advice.items():
        rows += [("advice", f"{right}/{outcome}", str(n)) for outcome, n in outcomes.items()]
    rows += [("source_failures", source, str(n)) for source, n in figures.source_failures.items()]
    for hour, outcomes in figures.checks_per_hour.items():
        rows += [("checks_per_hour", f"{hour:02d}h/{o}", str(n)) for o, n in outcomes.items()]
    return rows


def write_figures_csv(figures: DayFigures, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(("day", "figure", "detail", "value"))
    for figure, detail, value in figures_rows(figures):
        writer.writerow(
            tuple(spreadsheet_safe(c) for c in (figures.day.isoformat(), figure, detail, value))
        )


def figures_path_for(entries_csv: Path) -> Path:
    """``day.csv`` → ``day.figures.csv`` beside it."""
    return entries_csv.with_name(entries_csv.stem + ".figures" + (entries_csv.suffix or ".csv"))


def table(rows: Sequence[SummaryRow], tz: dt.tzinfo | None = None) -> str:
    """A plain-text table for ``log show``: one line per entry, local time, INSZ masked."""
    header = ("#", "time", "counter", "kind", "mode", "clerk", "subject", "advice / decision",
              "failed")  # fmt: skip
    lines: list[tuple[str, ...]] = [header]
    for r in rows:
        s = r.summary
        if s.decision is not None:
            what = s.decision.value + (" (override)" if s.overridden else "")
        elif s.note:
            what = s.note
        else:
            what = "; ".join(f"{right}={o.value}" for right, o in s.advice.items())
        lines.append((
            str(r.seq), s.recorded_at.astimezone(tz).strftime("%H:%M:%S"), r.counter_id,
            s.kind.value, s.entry_mode.value if s.entry_mode else "",
            "(purged)" if r.personal_purged else (r.clerk_name or ""),
            "(purged)" if r.personal_purged else mask_insz(r.subject_insz),
            what, str(len(s.failed_sources)) if s.requests else "",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in lines
    )
