"""``counter-app``: the window by default; ``check`` and ``sandbox`` for support and scripts.

Why a command line next to the window: support staff and CI must be able to run
exactly the production check (same service, same adapters, same rules) without a
display, and get either a readable summary or JSON. A user mistake (bad INSZ,
unknown card profile, unreachable sources, broken configuration) gives one line on
stderr and a distinct exit code, never a traceback.

Exit codes: 0 done; 1 unexpected internal error; 2 usage; 3 window not available;
4 configuration; 5 invalid INSZ; 6 unknown card profile; 7 no source could be
reached (the advice is still printed); 8 rule files unusable; 9 sandbox server
could not start; 10-18 card reading errors (``cardreader.errors``).

New subcommands (``log ...``, ``check --decide ...``) plug in through ``COMMANDS``.
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
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from cardreader.errors import CardReaderError, InvalidNationalNumberError
from counter_app.auth import set_passphrase_cli
from counter_app.check.runner import UnknownCardProfileError
from counter_app.config import ConfigError, Settings, load_settings
from rules.errors import RuleError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NO_GUI = 3
EXIT_CONFIG = ConfigError.exit_code  # 4
EXIT_INVALID_INSZ = 5
EXIT_UNKNOWN_PROFILE = 6
EXIT_SOURCES_UNREACHABLE = 7
EXIT_RULES = 8
EXIT_SANDBOX = 9


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


def run_check(args: argparse.Namespace) -> int:
    from counter_app.check.report import outcome_json, outcome_text
    from counter_app.check.runner import run_one_check

    settings = _settings(args)
    outcome = asyncio.run(
        run_one_check(
            settings,
            insz=args.insz,
            card_profile=args.card,
            on=args.date or dt.date.today(),
            sources_url=args.sources,
            personas_dir=args.personas,
        )
    )
    if args.json:
        print(json.dumps(outcome_json(outcome, args.lang), indent=2, ensure_ascii=False))
    else:
        print(outcome_text(outcome, args.lang))
    if outcome.calls and all(c.status.value != "ok" for c in outcome.calls):
        print(
            "counter-app: no source could be reached; every advice is 'check manually'",
            file=sys.stderr,
        )
        return EXIT_SOURCES_UNREACHABLE
    return EXIT_OK


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
    try:
        serve(host=args.host, port=args.port, personas=personas, faults=None)
    except OSError as err:
        raise CliError(
            f"cannot serve on {args.host}:{args.port}: {err.strerror or err}", EXIT_SANDBOX
        ) from None
    return EXIT_OK


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


# name -> (arguments, handler, help). Later issues add "log" and "check --decide" here.
COMMANDS: dict[str, tuple[AddArguments, Handler, str]] = {
    "check": (
        _check_arguments,
        run_check,
        "check one citizen's rights against the sources (embedded sandbox by default)",
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
    if "-h" in argv or "--help" in argv:
        return False
    return not any(token in COMMANDS for token in argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["supervisor", "set-passphrase"]:
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
        return _fail("interrupted", 130)
    except Exception as err:  # last resort: one line, no traceback, no personal data
        if os.environ.get("LOKET_DEBUG"):  # support staff reproducing a problem
            traceback.print_exc()
        return _fail(f"internal error ({type(err).__name__}); please report it", EXIT_INTERNAL)


def _fail(message: str, code: int) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return code
