"""The ``counter-app log`` commands: show, export, verify, purge, seal.

``add_log_commands(subparsers)`` plugs them into the application's own parser;
``main()`` runs them alone (``python -m counter_app.journal``). Every failure is
a one-line message and an exit code, never a traceback:
0 done, 1 the chain is broken, 2 bad usage, 3 the journal could not be used,
4 the configuration could not be read.

The journal is ``--db``, else ``$LOKET_JOURNAL_URL``, else the configuration's
``journal.url`` (default: ``journal.sqlite3`` in the user data folder); ``purge``
without ``--older-than`` uses the configuration's ``journal.retention_days``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from counter_app.journal.chain import MINIMUM_RETENTION_DAYS
from counter_app.journal.errors import JournalError
from counter_app.journal.export import figures_path_for, table, write_entries_csv, write_figures_csv
from counter_app.journal.location import JOURNAL_URL_ENV, resolve_journal_url
from counter_app.journal.models import AdviceOutcome, DecisionAction, EntryMode
from counter_app.journal.records import application
from counter_app.journal.reports import DaySeal, EntryFilter, VerifyReport
from counter_app.journal.retention import purge_personal_data
from counter_app.journal.store import DEFAULT_TIMEZONE, JournalStore, open_journal

if TYPE_CHECKING:
    from counter_app.config import Settings

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_USAGE = 2
EXIT_JOURNAL = 3
EXIT_CONFIG = 4
COUNTER_ENV = "LOKET_COUNTER_ID"
MAX_DEFAULT_WORKERS = 4
READ_ONLY_COMMANDS = frozenset({"show", "export", "verify"})


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if value < MINIMUM_RETENTION_DAYS:
        raise argparse.ArgumentTypeError(
            f"personal data is kept at least {MINIMUM_RETENTION_DAYS} day (today's checks stay)"
        )
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least one worker is needed")
    return value


def default_workers() -> int:
    """One verifying process per CPU, at most ``MAX_DEFAULT_WORKERS``: a million entries
    need two to stay under 10 s, and more would only crowd a shared counter PC."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def _today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()


def _common() -> argparse.ArgumentParser:
    """``--db`` may come before or after the subcommand; the inner one must not reset it."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=DB_HELP,
    )
    common.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="configuration file (journal.url, journal.retention_days)",
    )
    return common


LOG_HELP = "the daily log: show, export, verify, purge, seal"
DB_HELP = (
    "journal URL: postgresql://… or sqlite:///path (default: $LOKET_JOURNAL_URL, "
    "else journal.url of the configuration, else journal.sqlite3 in the user data folder)"
)


def add_log_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``log`` with its subcommands to an argparse ``add_subparsers()`` object.

    The parser's ``handler`` default is ``run_log_command(args) -> int`` (exit code).
    """
    log: argparse.ArgumentParser = subparsers.add_parser("log", help=LOG_HELP)
    add_log_arguments(log)
    log.set_defaults(handler=run_log_command)
    return log


def add_log_arguments(log: argparse.ArgumentParser) -> None:
    """Fill an existing ``log`` parser (for registries of (add_arguments, handler, help))."""
    log.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=DB_HELP,
    )
    common = _common()
    sub = log.add_subparsers(dest="log_command", metavar="COMMAND", required=True)

    show = sub.add_parser("show", parents=[common], help="a day's entries (INSZ masked)")
    show.add_argument("--day", type=_day, default=None, help="YYYY-MM-DD (default: today)")
    show.add_argument("--counter", help="only this counter")
    show.add_argument("--clerk", help="only this clerk (name or INSZ)")
    show.add_argument("--right", help="only checks or decisions about this right")
    show.add_argument("--outcome", choices=[o.value for o in AdviceOutcome])
    show.add_argument("--decision", choices=[d.value for d in DecisionAction])
    show.add_argument("--overridden", action="store_true", help="only overridden decisions")
    show.add_argument("--manual", action="store_true", help="only manually entered checks")
    show.add_argument(
        "--source-failures", action="store_true", help="only checks where a source failed"
    )
    show.add_argument("--figures", action="store_true", help="also print the day's figures")

    export = sub.add_parser("export", parents=[common], help="a day's entries and figures as CSV")
    export.add_argument("--day", type=_day, required=True)
    export.add_argument("--csv", type=Path, required=True, metavar="FILE", help="entries CSV")
    export.add_argument(
        "--figures-csv",
        type=Path,
        metavar="FILE",
        help="figures CSV (default: FILE with .figures before the suffix)",
    )

    verify = sub.add_parser("verify", parents=[common], help="recompute the hash chains")
    verify.add_argument("--day", type=_day, help="only this day (default: everything)")
    verify.add_argument(
        "--seal", type=Path, metavar="FILE", help="also compare with a seal exported earlier (JSON)"
    )
    verify.add_argument(
        "--workers",
        type=_workers,
        default=default_workers(),
        metavar="N",
        help="processes for a full check of a big journal (default: the number of CPUs, "
        f"at most {MAX_DEFAULT_WORKERS})",
    )

    purge = sub.add_parser(
        "purge", parents=[common], help="remove personal data older than DAYS (figures stay)"
    )
    purge.add_argument(
        "--older-than",
        type=_days,
        default=None,
        metavar="DAYS",
        help="retention period in days (default: journal.retention_days of the configuration)",
    )
    purge.add_argument(
        "--counter", help=f"counter recording the purge (default: ${COUNTER_ENV} or the host name)"
    )

    seal = sub.add_parser("seal", parents=[common], help="seal a day and export its seal (JSON)")
    seal.add_argument("--day", type=_day, required=True)
    seal.add_argument(
        "--out", type=Path, metavar="FILE", help="write the seal here (default: stdout)"
    )


def _needs_settings(args: argparse.Namespace) -> bool:
    no_url = not args.db and not os.environ.get(JOURNAL_URL_ENV, "").strip()
    return no_url or (args.log_command == "purge" and args.older_than is None)


def run_log_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run one parsed ``log`` command; returns the exit code.

    ``settings`` (the application's configuration) gives the journal URL when
    neither ``--db`` nor ``$LOKET_JOURNAL_URL`` does, and the retention period of
    ``purge``; without it the configuration is read only when needed.
    """
    if settings is None and _needs_settings(args):
        from counter_app.config import ConfigError, load_settings

        try:
            settings = load_settings(getattr(args, "config", None))
        except ConfigError as exc:
            _error(str(exc))
            return EXIT_CONFIG
    configured = settings.journal.url if settings is not None else None
    if args.log_command == "purge" and args.older_than is None:
        args.older_than = settings.journal.retention_days if settings is not None else None
    try:
        command = args.log_command
        # Reading commands take no write lock and migrate nothing: they work on a
        # read-only copy and while a counter is writing.
        read_only = command in READ_ONLY_COMMANDS
        with open_journal(resolve_journal_url(args.db, configured), read_only=read_only) as store:
            if command == "show":
                return _show(store, args)
            if command == "export":
                return _export(store, args)
            if command == "verify":
                return _verify(store, args)
            if command == "purge":
                return _purge(store, args)
            return _seal(store, args)
    except JournalError as exc:
        _error(str(exc))
        return EXIT_JOURNAL
    except OSError as exc:
        _error(f"cannot use {exc.filename or 'the file'}: {exc.strerror or exc}")
        return EXIT_JOURNAL


def _error(message: str) -> None:
    print(f"counter-app log: error: {message}", file=sys.stderr)


def _show(store: JournalStore, args: argparse.Namespace) -> int:
    day = args.day or _today()
    flt = EntryFilter(
        counter_id=args.counter,
        clerk=args.clerk,
        right=args.right,
        outcome=AdviceOutcome(args.outcome) if args.outcome else None,
        decision=DecisionAction(args.decision) if args.decision else None,
        overridden=True if args.overridden else None,
        entry_mode=EntryMode.MANUAL if args.manual else None,
        source_failures=True if args.source_failures else None,
    )
    view = store.day_view(day, flt)
    print(f"Journal {store.url_for_display} — {day.isoformat()}: {len(view.entries)} entries")
    if view.entries:
        print(table(view.entries, store.tz))
    if args.figures:
        f = view.figures
        median = "-" if f.median_check_ms is None else f"{f.median_check_ms:.0f} ms"
        print(
            f"\nchecks {f.checks}, decisions {f.decisions}, opportunity-tariff sales "
            f"{f.opportunity_tariff_sales}, overrides {f.overrides}, manual entries "
            f"{f.manual_entries}, checks with source failures {f.checks_with_source_failures}, "
            f"median check {median}"
        )
        for right, outcomes in f.advice.items():
            print(f"  {right}: " + ", ".join(f"{o} {n}" for o, n in outcomes.items()))
    return EXIT_OK


def _export(store: JournalStore, args: argparse.Namespace) -> int:
    entries = store.entries(args.day)
    figures = store.day_figures(args.day)
    figures_file = args.figures_csv or figures_path_for(args.csv)
    with args.csv.open("w", newline="", encoding="utf-8") as out:
        count = write_entries_csv(entries, out, tz=store.tz)
    with figures_file.open("w", newline="", encoding="utf-8") as out:
        write_figures_csv(figures, out)
    print(
        f"exported {count} entries of {args.day.isoformat()} to {args.csv}, figures to "
        f"{figures_file}"
    )
    return EXIT_OK


def _report(report: VerifyReport) -> None:
    scope = report.day.isoformat() if report.day else "all days"
    counters = len(report.counters)
    print(f"verified {report.entries_checked} entries of {counters} counter chain(s), {scope}")
    for p in report.problems:
        where = f"entry id {p.entry_id}" if p.entry_id is not None else "no stored row"
        print(
            f"BROKEN: counter {p.counter_id}, entry #{p.seq} ({where}): {p.kind.value}: {p.message}"
        )


def _verify(store: JournalStore, args: argparse.Namespace) -> int:
    seal = None
    if args.seal is not None:
        try:
            seal = DaySeal.model_validate_json(args.seal.read_text(encoding="utf-8"))
        except ValidationError:
            _error(f"{args.seal} is not a seal exported by 'log seal'")
            return EXIT_USAGE
    report = store.verify(args.day, seal, workers=args.workers)
    _report(report)
    if report.ok and report.day is not None and not report.counters:
        # Nothing read is nothing proven: the day may have been deleted. A full verify
        # (or the next day's) notices a chain with entries missing.
        print(
            f"no entries recorded on {report.day.isoformat()}: nothing to verify "
            "(run 'log verify' without --day to check the whole chain)"
        )
        return EXIT_OK
    if report.ok:
        print("chain intact")
        return EXIT_OK
    return EXIT_BROKEN


def _counter(args: argparse.Namespace) -> str:
    return str(args.counter or os.environ.get(COUNTER_ENV) or socket.gethostname() or "loket")


def _purge(store: JournalStore, args: argparse.Namespace) -> int:
    result = purge_personal_data(
        store, args.older_than, counter_id=_counter(args), application=application()
    )
    print(
        f"removed personal data of {result.entries_purged} entries recorded before "
        f"{result.before:%Y-%m-%d %H:%M} UTC; figures and chain kept"
    )
    return EXIT_OK


def _seal(store: JournalStore, args: argparse.Namespace) -> int:
    store.seal_all(args.day, application=application())
    exported = store.export_seal(args.day).model_dump_json(indent=2)
    if args.out is None:
        print(exported)
    else:
        args.out.write_text(exported + "\n", encoding="utf-8")
        print(f"sealed {args.day.isoformat()}; seal written to {args.out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m counter_app.journal", description="The counter's daily log."
    )
    add_log_commands(parser.add_subparsers(dest="command", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] != "log":
        args_list.insert(0, "log")
    args = build_parser().parse_args(args_list)
    code: int = args.handler(args)
    return code
