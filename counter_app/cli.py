"""``counter-app``: the window by default; ``check`` and ``sandbox`` for support and scripts.

Why a command line next to the window: support staff and CI must be able to run
exactly the production check (same service, same adapters, same rules) without a
display, and get either a readable summary or JSON. A user mistake (bad INSZ,
unknown card profile, unreachable sources, broken configuration) gives one line on
stderr and a distinct exit code, never a traceback.

Every ``check`` is a consultation of the authentic sources, so it is written to
the daily log (``--db``, else ``$LOKET_JOURNAL_URL``, else ``journal.url``) before
the command reports success; ``check --decide`` then records the clerk's decision
(registering the pass at UiTPAS first for a sale). ``log ...`` reads, verifies,
exports and purges that log.

Exit codes: ``counter_app.exit_codes`` (shared with the window, which cannot
import this module). ``log`` keeps its own: 0 done, 1 chain broken, 2 usage,
3 the journal could not be used, 4 configuration.

Subcommands plug in through ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardreader.errors import CardReaderError, InvalidNationalNumberError
from counter_app.check.runner import UnknownCardProfileError
from counter_app.config import ConfigError, Settings, load_settings, unfinished_for
from counter_app.exit_codes import (
    EXIT_DECISION_REFUSED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID_INSZ,
    EXIT_NO_GUI,
    EXIT_NOT_RECORDED,
    EXIT_NOT_REGISTERED,
    EXIT_OK,
    EXIT_REGISTRATION_UNCERTAIN,
    EXIT_RULES,
    EXIT_SANDBOX,
    EXIT_SOURCES_UNREACHABLE,
    EXIT_UNKNOWN_PROFILE,
    EXIT_USAGE,
)
from rules.errors import RuleError

if TYPE_CHECKING:
    from counter_app.check.models import CheckOutcome, RightAdvice, SaleResult
    from counter_app.check.service import CheckService
    from counter_app.journal.models import DecisionAction, StoredEntry
    from counter_app.journal.store import JournalStore

DB_HELP = (
    "daily log URL: postgresql://… or sqlite:///path (default: $LOKET_JOURNAL_URL, "
    "else journal.url of the configuration)"
)

# --decide choices -> what they do (the right they concern by default is chosen per kind)
DECIDE_CHOICES = ("opportunity-tariff", "normal", "lez", "override")


class CliError(Exception):
    """A user-facing failure: ``str()`` is the one line printed, ``exit_code`` the status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


Handler = Callable[[argparse.Namespace], int]
AddArguments = Callable[[argparse.ArgumentParser], None]

# -- check ---------------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _card(text: str) -> str:
    if not text.startswith("sim:") or len(text) <= 4:
        raise argparse.ArgumentTypeError("use --card sim:PROFILE (a simulated card profile)")
    return text[4:]


@dataclass
class _CheckRun:
    """What one ``check`` did: the outcome, what reached the log, and how it ended."""

    outcome: CheckOutcome
    journal_url: str
    consultation: StoredEntry | None = None
    decision: StoredEntry | None = None
    decided: dict[str, Any] = field(default_factory=dict)  # for the output
    problem: CliError | None = None


def _validate_decide_arguments(args: argparse.Namespace) -> None:
    """Mistakes found before anything is asked or logged (exit 2, nothing recorded)."""
    from counter_app.journal.records import is_lez_right, is_uitpas_right

    decide = args.decide
    if decide is None:
        extra = [
            flag
            for flag, value in (
                ("--reason", args.reason),
                ("--end-date", args.end_date),
                ("--right", args.right),
            )
            if value is not None
        ]
        if extra:
            raise CliError(f"{', '.join(extra)} only go(es) with --decide", EXIT_USAGE)
        return
    if decide == "override" and not (args.reason or "").strip():
        raise CliError(
            "--decide override needs --reason TEXT (why the advice is not followed)", EXIT_USAGE
        )
    if decide == "normal" and args.end_date is not None:
        raise CliError(
            "--end-date does not go with --decide normal (no status is granted)", EXIT_USAGE
        )
    right = args.right
    if right is None:
        return
    if decide in ("opportunity-tariff", "normal") and not is_uitpas_right(right):
        raise CliError(f"--decide {decide} concerns the UiTPAS right, not {right!r}", EXIT_USAGE)
    if decide == "lez" and not is_lez_right(right):
        raise CliError(f"--decide lez concerns a LEZ right, not {right!r}", EXIT_USAGE)
    if decide == "override" and not (is_uitpas_right(right) or is_lez_right(right)):
        raise CliError(f"nothing can be granted at the counter for {right!r}", EXIT_USAGE)


def run_check(args: argparse.Namespace) -> int:
    from counter_app.check.report import outcome_json, outcome_text
    from counter_app.check.runner import (
        read_simulated_card,
        subject_from_insz,
        subject_from_reading,
    )
    from counter_app.journal.errors import JournalError
    from counter_app.journal.location import resolve_journal_url
    from counter_app.journal.store import open_journal

    _validate_decide_arguments(args)
    settings = _settings(args)
    for gap in unfinished_for(settings):
        print(f"counter-app: warning: not finished: {gap}", file=sys.stderr)
    on = args.date or dt.date.today()
    card_read_ms: float | None = None
    if args.insz is not None:
        subject = subject_from_insz(args.insz, settings)
    else:
        started = time.perf_counter()
        subject = subject_from_reading(read_simulated_card(args.card, settings, on))
        card_read_ms = (time.perf_counter() - started) * 1000
    url = resolve_journal_url(args.db, settings.journal.url)
    try:
        store = open_journal(url)
    except JournalError as err:  # no unlogged consultation: nobody is asked
        raise CliError(
            f"not recorded: the daily log cannot be opened ({err}); no source was asked",
            EXIT_NOT_RECORDED,
        ) from None
    with store:
        run = asyncio.run(_check_and_decide(settings, args, subject, on, store, card_read_ms))
    if args.json:
        data = outcome_json(run.outcome, args.lang)
        data["journal"] = _journal_json(run)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(outcome_text(run.outcome, args.lang))
        for line in _journal_lines(run):
            print(line)
    if run.problem is not None:
        raise run.problem
    if _unreachable(run.outcome):
        print(
            "counter-app: no source could be reached; every advice is 'check manually'",
            file=sys.stderr,
        )
        return EXIT_SOURCES_UNREACHABLE
    return EXIT_OK


def _unreachable(outcome: CheckOutcome) -> bool:
    return bool(outcome.calls) and all(c.status.value != "ok" for c in outcome.calls)


async def _check_and_decide(
    settings: Settings,
    args: argparse.Namespace,
    subject: Any,
    on: dt.date,
    store: JournalStore,
    card_read_ms: float | None,
) -> _CheckRun:
    from counter_app.check.runner import open_check_service
    from counter_app.journal.errors import JournalError
    from counter_app.journal.records import consultation_entry
    from rules import load_rulebook

    rulebook = load_rulebook()
    async with open_check_service(
        settings, sources_url=args.sources, personas_dir=args.personas, rulebook=rulebook
    ) as service:
        outcome = await service.run(subject, on)
        run = _CheckRun(outcome=outcome, journal_url=store.url_for_display)
        try:  # the consultation is in the log (durably) before anything else happens
            run.consultation = store.append(
                consultation_entry(settings, outcome, card_read_ms=card_read_ms)
            )
        except JournalError as err:
            what = "; no decision was taken" if args.decide else ""
            run.problem = CliError(
                f"not recorded: the consultation could not be logged ({err}){what}",
                EXIT_NOT_RECORDED,
            )
            return run
        if args.decide is None:
            return run
        if _unreachable(outcome):
            run.problem = CliError(
                "no source could be reached; no decision was taken (the consultation is logged)",
                EXIT_SOURCES_UNREACHABLE,
            )
            return run
        try:
            await _decide(service, settings, args, run, store)
        except CliError as err:
            run.problem = err
    return run


def _pick_right(outcome: CheckOutcome, decide: str, explicit: str | None) -> RightAdvice:
    from counter_app.journal.records import is_lez_reduced_tariff, is_lez_right, is_uitpas_right
    from rules.advice import Outcome

    in_force = ", ".join(r.ruleset_id for r in outcome.rights) or "none"
    if explicit is not None:
        try:
            return outcome.right(explicit)
        except KeyError:
            raise CliError(
                f"not decided: no right {explicit!r} on {outcome.reference_date} "
                f"(in force: {in_force})",
                EXIT_DECISION_REFUSED,
            ) from None
    if decide == "lez":
        candidates = sorted(
            (r for r in outcome.rights if is_lez_right(r.ruleset_id)),
            key=lambda r: (r.outcome is not Outcome.ELIGIBLE, is_lez_reduced_tariff(r.ruleset_id)),
        )  # an eligible LEZ right first; the registration before the reduced tariff
    else:
        candidates = [r for r in outcome.rights if is_uitpas_right(r.ruleset_id)]
    if not candidates:
        raise CliError(
            f"not decided: no right for --decide {decide} on {outcome.reference_date} "
            f"(in force: {in_force})",
            EXIT_DECISION_REFUSED,
        )
    return candidates[0]


async def _decide(
    service: CheckService,
    settings: Settings,
    args: argparse.Namespace,
    run: _CheckRun,
    store: JournalStore,
) -> None:
    """Carry out ``--decide`` after the consultation is logged; log it before saying so.

    Nothing is recorded half-way: a decision that is refused or that UiTPAS did not
    register is not logged as taken (the consultation is); a registration request that
    reached UiTPAS is logged all the same, as "no action" with its request, because
    personal data went out; one whose outcome is unknown also says so (a source-error
    ``uitpas_registration`` fact). Confirming again after such an attempt lets the
    service look the passholder up when UiTPAS answers "already a passholder". A
    registration whose log write failed is reported with its UiTPAS reference.
    """
    from counter_app.check.models import DecisionKind
    from counter_app.journal.errors import JournalError
    from counter_app.journal.models import AdviceOutcome, DecisionAction
    from counter_app.journal.records import (
        GRANTING_ACTIONS,
        decision_entry,
        follows_advice,
        granting_action,
        is_uitpas_right,
        uncertain_registration_open,
        with_registration_fact,
    )

    outcome = run.outcome
    decide: str = args.decide
    right = _pick_right(outcome, decide, args.right)
    right_id = right.ruleset_id
    action: DecisionAction
    if decide == "normal":
        action = DecisionAction.NORMAL_SALE
    elif decide == "opportunity-tariff":
        action = DecisionAction.OPPORTUNITY_TARIFF_SALE
    else:
        action = granting_action(right_id)
    advice = AdviceOutcome(right.outcome.value)
    overridden = decide == "override" or not follows_advice(action, advice)
    reason = (args.reason or "").strip()
    if overridden and not reason:
        raise CliError(
            f"not decided: {action.value} for {right_id} departs from the advice "
            f"({advice.value}); give --reason TEXT to decide against it",
            EXIT_DECISION_REFUSED,
        )
    end_date = _end_date(args.end_date, right, action in GRANTING_ACTIONS)
    if action is DecisionAction.OPPORTUNITY_TARIFF_SALE and end_date is None:
        raise CliError(
            "not decided: the advice proposes no end date for the opportunity tariff; "
            "give --end-date YYYY-MM-DD",
            EXIT_DECISION_REFUSED,
        )
    if overridden:
        kind = DecisionKind.OVERRIDE
    elif action is DecisionAction.OPPORTUNITY_TARIFF_SALE:
        kind = DecisionKind.OPPORTUNITY_TARIFF
    elif action is DecisionAction.NORMAL_SALE:
        kind = DecisionKind.NORMAL
    else:
        kind = DecisionKind.LEZ
    uitpas_sale = is_uitpas_right(right_id)
    result = await service.confirm_sale(
        outcome,
        right_id,
        kind,
        end_date=end_date,
        reason=f"[{action.value}] {reason}" if overridden else reason,
        after_uncertain=uitpas_sale and uncertain_registration_open(store, outcome.subject.insz),
    )
    reference = result.reference
    if uitpas_sale and not result.registered:
        _log_failed_registration(settings, run, store, result, right_id)
        where = f" (entry {run.decision.id})" if run.decision is not None else ""
        if result.uncertain:
            raise CliError(
                f"registration uncertain at UiTPAS: {result.error}; the attempt is logged"
                f"{where}; the sale is not recorded yet: run the same command again",
                EXIT_REGISTRATION_UNCERTAIN,
            )
        logged = f"; the refused request is logged{where}" if run.decision is not None else ""
        raise CliError(
            f"not registered at UiTPAS: {result.error or 'no reason given'}; "
            f"the decision is not recorded (the consultation is){logged}",
            EXIT_NOT_REGISTERED,
        )
    entry = decision_entry(
        settings,
        outcome,
        action=action,
        right=right_id,
        overridden=overridden,
        reason=reason,
        end_date=end_date,
        decided_at=result.decision.decided_at,
        requests=result.calls,
    )
    if uitpas_sale and reference:
        entry = with_registration_fact(entry, result)
    run.decided = {
        "action": action.value,
        "right": right_id,
        "overridden": overridden,
        "end_date": end_date.isoformat() if end_date else None,
        "uitpas_reference": reference or None,
        "found_after_uncertain_attempt": result.recovered,
    }
    try:
        run.decision = store.append(entry)
    except JournalError as err:
        registered = (
            f"; the pass WAS registered at UiTPAS (reference {reference}): record this "
            "decision in the counter window, do not register again"
            if reference
            else ""
        )
        raise CliError(
            f"not recorded: the decision could not be logged ({err}){registered}",
            EXIT_NOT_RECORDED,
        ) from None


def _log_failed_registration(
    settings: Settings, run: _CheckRun, store: JournalStore, result: SaleResult, right: str
) -> None:
    """A registration request that reached UiTPAS but registered nothing (as far as we know)
    is logged as "no action" with its request: personal data went out."""
    from counter_app.journal.errors import JournalError
    from counter_app.journal.models import DecisionAction
    from counter_app.journal.records import failed_registration_entry

    entry = failed_registration_entry(settings, run.outcome, right, result)
    if entry is None:
        return  # refused before anything was sent (e.g. no card data): nothing to log
    try:
        run.decision = store.append(entry)
    except JournalError as err:
        uncertain = " and it MAY have registered the pass" if result.uncertain else ""
        raise CliError(
            f"not recorded: the UiTPAS registration request could not be logged ({err})"
            f"{uncertain}; look the person up in UiTPAS before anything else",
            EXIT_NOT_RECORDED,
        ) from None
    run.decided = {
        "action": DecisionAction.NO_ACTION.value,
        "right": right,
        "overridden": False,
        "end_date": None,
        "uitpas_reference": None,
        "registration_uncertain": result.uncertain,
    }


def _end_date(given: dt.date | None, right: RightAdvice, granting: bool) -> dt.date | None:
    """The clerk may bring the proposed end date forward, never past what the rules allow."""
    if not granting:
        return None
    proposed = right.advice.proposed_end_date
    if given is None:
        return proposed
    if proposed is not None and given > proposed:
        raise CliError(
            f"not decided: --end-date {given} is later than the rules allow ({proposed})",
            EXIT_DECISION_REFUSED,
        )
    return given


def _entry_json(stored: StoredEntry) -> dict[str, Any]:
    return {"id": stored.id, "seq": stored.seq, "day": stored.day.isoformat(), "hash": stored.hash}


def _journal_json(run: _CheckRun) -> dict[str, Any]:
    decision: dict[str, Any] | None = None
    if run.decision is not None:
        decision = {**_entry_json(run.decision), **run.decided}
    return {
        "url": run.journal_url,
        "consultation": _entry_json(run.consultation) if run.consultation else None,
        "decision": decision,
    }


def _journal_lines(run: _CheckRun) -> list[str]:
    lines: list[str] = []
    if run.consultation is not None:
        c = run.consultation
        lines.append(
            f"logged: consultation {c.day.isoformat()}#{c.seq} (entry {c.id}) in {run.journal_url}"
        )
    if run.decision is not None:
        d, info = run.decision, run.decided
        details = [f"entry {d.id}", f"{d.day.isoformat()}#{d.seq}"]
        if info.get("overridden"):
            details.append("against the advice")
        if info.get("end_date"):
            details.append(f"until {info['end_date']}")
        if info.get("uitpas_reference"):
            details.append(f"UiTPAS {info['uitpas_reference']}")
        lines.append(f"recorded: {info['action']} for {info['right']} ({', '.join(details)})")
    return lines


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--insz", help="the citizen's INSZ (national number or BIS number)")
    who.add_argument(
        "--card",
        type=_card,
        metavar="sim:PROFILE",
        help="read a simulated eID from resources/cards/PROFILE.yaml",
    )
    parser.add_argument("--date", type=_date, help="reference date (default: today)")
    parser.add_argument(
        "--sources",
        metavar="URL",
        help="base URL of a running sandbox or of the real endpoints "
        "(default: the embedded sandbox)",
    )
    parser.add_argument(
        "--personas",
        type=Path,
        metavar="DIR",
        help="sandbox personas directory (MAGDA-Mock layout)",
    )
    parser.add_argument("--lang", choices=("nl", "en"), help="language of the explanation")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=argparse.SUPPRESS, help="configuration file"
    )
    parser.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    decide = parser.add_argument_group(
        "decision",
        "after the advice, record what the clerk did (the consultation is always logged)",
    )
    decide.add_argument(
        "--decide",
        choices=DECIDE_CHOICES,
        help="opportunity-tariff / normal: sell the UiTPAS (registers the pass at UiTPAS; "
        "needs a card); lez: grant the LEZ right; override: grant against the advice "
        "(needs --reason)",
    )
    decide.add_argument(
        "--reason", metavar="TEXT", help="why the advice is not followed (no personal data)"
    )
    decide.add_argument(
        "--end-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="end of the granted status (default: the advice's; never later)",
    )
    decide.add_argument(
        "--right",
        metavar="RULESET_ID",
        help="the right decided on (default: UiTPAS; for lez the eligible LEZ right)",
    )


# -- log -----------------------------------------------------------------------------------


def run_log(args: argparse.Namespace) -> int:
    """The journal's own commands; the configuration is read only when it is needed
    (no ``--db`` and no ``$LOKET_JOURNAL_URL``, or ``purge`` without ``--older-than``)."""
    from counter_app.journal.cli import run_log_command

    return run_log_command(args)


def _log_arguments(parser: argparse.ArgumentParser) -> None:
    from counter_app.journal.cli import add_log_arguments

    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=argparse.SUPPRESS, help="configuration file"
    )
    add_log_arguments(parser)


# -- sandbox -------------------------------------------------------------------------------


def run_sandbox(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        sandbox = importlib.import_module("counter_app.sandbox.server")
        serve = sandbox.run_sandbox_server
    except (ImportError, AttributeError):
        raise CliError(
            "the sandbox server is not available in this installation", EXIT_SANDBOX
        ) from None
    personas = args.personas or settings.personas_dir
    if not personas.is_dir():
        raise CliError(f"personas directory not found: {personas}", EXIT_SANDBOX)
    print(
        f"sandbox: serving {personas} on http://{args.host}:{args.port} (Ctrl+C stops)",
        file=sys.stderr,
    )
    check = _signed_requests_check(args.require_signed) if args.require_signed else None
    faults = settings.sandbox.faults
    if faults.active:
        failing = ", ".join(
            name for name, value in faults.model_dump().items() if any(value.values())
        )
        print(f"sandbox: injecting configured faults into: {failing}", file=sys.stderr)
    try:
        serve(
            host=args.host,
            port=args.port,
            personas=personas,
            faults=faults,
            magda_request_check=check,
        )
    except OSError as err:
        raise CliError(
            f"cannot serve on {args.host}:{args.port}: {err.strerror or err}", EXIT_SANDBOX
        ) from None
    return EXIT_OK


def _signed_requests_check(path: Path) -> Callable[[bytes], tuple[str, str] | None]:
    """The sandbox's MAGDA refuses requests not signed (WS-Security) by one of these."""
    from cryptography import x509

    from counter_app.sources.wssecurity import refusal

    try:
        trusted = x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as err:
        raise CliError(f"cannot read {path}: {err.strerror or err}", EXIT_SANDBOX) from None
    except ValueError:
        raise CliError(f"{path} holds no PEM certificate", EXIT_SANDBOX) from None
    print(
        f"sandbox: MAGDA requests must be signed by one of {len(trusted)} certificate(s)",
        file=sys.stderr,
    )
    return lambda envelope: refusal(envelope, trusted=trusted)


def _sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument(
        "--personas",
        type=Path,
        metavar="DIR",
        help="personas directory (default: resources/personas)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=argparse.SUPPRESS, help="configuration file"
    )
    parser.add_argument(
        "--require-signed",
        type=Path,
        metavar="CERT_PEM",
        help="refuse MAGDA requests not signed with WS-Security by these certificate(s), "
        "as MAGDA does (to try a counter's signing configuration)",
    )


# name -> (arguments, handler, help)
COMMANDS: dict[str, tuple[AddArguments, Handler, str]] = {
    "check": (
        _check_arguments,
        run_check,
        "check one citizen's rights against the sources (embedded sandbox by default), "
        "log the consultation, and with --decide record the decision",
    ),
    "log": (
        _log_arguments,
        run_log,
        "the daily log: show, export, verify, purge, seal",
    ),
    "sandbox": (
        _sandbox_arguments,
        run_sandbox,
        "run the emulated sources (MAGDA, OCMW list, UiTPAS) as an HTTP server",
    ),
}


# -- the window ----------------------------------------------------------------------------


def _no_display() -> str | None:
    """Why no window can open here, or None. Qt aborts the process without a screen."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
        "use 'counter-app demo --screenshots DIR' to drive it headless, or QT_QPA_PLATFORM"
    )


def run_gui(argv: Sequence[str], module_name: str = "counter_app.ui.app") -> int:
    """Start a window (lazy: the CLI and the checks must work without Qt)."""
    wants_screen = not (argv and argv[0] == "demo") and "-h" not in argv and "--help" not in argv
    problem = _no_display() if wants_screen else None
    if problem:
        print(f"counter-app: {problem}", file=sys.stderr)
        return EXIT_NO_GUI
    try:
        module = importlib.import_module(module_name)
        gui_main = module.main
    except ImportError as err:
        missing = getattr(err, "name", "") or ""
        if missing.startswith("counter_app.ui"):
            print(
                "counter-app: the counter window is not part of this installation yet "
                "(counter_app.ui.app); use 'counter-app check ...'",
                file=sys.stderr,
            )
        else:
            print(
                f"counter-app: the counter window cannot start: missing {missing or err}",
                file=sys.stderr,
            )
        return EXIT_NO_GUI
    except AttributeError:
        print(f"counter-app: {module_name} has no main()", file=sys.stderr)
        return EXIT_NO_GUI
    result = gui_main(list(argv))
    return int(result) if isinstance(result, int) else EXIT_OK


# -- plumbing ------------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    if getattr(args, "lang", "") is None:
        args.lang = settings.ui.language
    return settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app",
        description=(
            "Loket counter application. Without a command: open the counter window. "
            "Also: 'demo --screenshots DIR' (drive the window headless), "
            "'supervisor' (the supervisor's view), 'supervisor set-passphrase'."
        ),
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: the user's loket.toml, then LOKET_*)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (add_arguments, _handler, help_text) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def _is_gui_invocation(argv: Sequence[str]) -> bool:
    """No subcommand of ours (none, or one the window owns like ``demo``): the window's turn."""
    if argv[:1] == ["demo"]:
        return True  # its own options and --help live with the demo
    if "-h" in argv or "--help" in argv:
        return False
    return not any(token in COMMANDS for token in argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["supervisor", "set-passphrase"]:
        from counter_app.journal.supervisor_access import set_passphrase_cli

        return set_passphrase_cli(argv[2:])  # no window needed to set the passphrase
    if argv[:1] == ["supervisor"]:
        return run_gui(argv[1:], "counter_app.ui.supervisor")
    if _is_gui_invocation(argv):
        return run_gui(argv)
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with argparse's usage line on bad usage
    if args.command is None:
        return run_gui(argv)
    _add, handler, _help = COMMANDS[args.command]
    # retries are reported per request (attempts) in the output; stamina's log lines are noise
    logging.getLogger("stamina").setLevel(logging.ERROR)
    try:
        return handler(args)
    except CliError as err:
        return _fail(str(err), err.exit_code)
    except ConfigError as err:
        return _fail(str(err), err.exit_code)
    except InvalidNationalNumberError as err:
        return _fail(f"invalid INSZ: {err}", EXIT_INVALID_INSZ)
    except UnknownCardProfileError as err:
        return _fail(str(err), EXIT_UNKNOWN_PROFILE)
    except RuleError as err:
        return _fail(f"rule files cannot be used: {err}", EXIT_RULES)
    except CardReaderError as err:
        return _fail(str(err), err.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except Exception as err:  # last resort: one line, no traceback, no personal data
        if os.environ.get("LOKET_DEBUG"):  # support staff reproducing a problem
            traceback.print_exc()
        return _fail(f"internal error ({type(err).__name__}); please report it", EXIT_INTERNAL)


def _fail(message: str, code: int) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return code
