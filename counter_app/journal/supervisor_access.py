"""The supervisor's passphrase as the daily log sees it: where it lives, the delay, changes.

``counter_app.auth`` checks a passphrase against an Argon2 hash and keeps its
failure count in a file beside the hash. On a counter PC that runs one shared
clerk session, that hash and that file sit in the clerk's own config folder: a
clerk could delete the failure file to lift the delay, or delete the hash and set
a passphrase of their own. Three things here close that:

- **Where the hash lives.** A hash in the system-wide, administrator-owned
  config folder (``platformdirs.site_config_dir("loket")``: ``/etc/xdg/loket``
  on Linux, ``%PROGRAMDATA%\\loket`` on Windows) takes precedence over anything
  in the user's folder or named by ``LOKET_SUPERVISOR_HASH_FILE``: once the city
  installs it there, the clerk's session can neither replace nor remove it.
- **The delay** after wrong passphrases is counted from the supervisor logins the
  journal already records (all counters, newest first), not only from the file.
  Journal entries cannot be deleted, so the delay cannot be reset either.
- **Changing the passphrase** needs the current one (which counts as a login
  attempt, delay included) and is itself written to the journal; only the very
  first setup, when no hash exists anywhere, asks for no old passphrase. When the
  change cannot be logged, the old hash is put back: no unlogged change.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import platformdirs

from counter_app.auth import (
    EXIT_AUTH,
    EXIT_OK,
    EXIT_USAGE,
    HASH_FILE_NAME,
    AuthError,
    AuthResult,
    AuthStatus,
    SupervisorAuth,
    default_hash_file,
)
from counter_app.journal.errors import JournalError
from counter_app.journal.models import Application, LoginOutcome
from counter_app.journal.records import supervisor_application, supervisor_login_entry
from counter_app.journal.store import JournalStore

_OUTCOMES = {
    AuthStatus.OK: LoginOutcome.OK,
    AuthStatus.WRONG: LoginOutcome.WRONG,
    AuthStatus.LOCKED: LoginOutcome.LOCKED,
}


def site_hash_file(site_dir: Path | None = None) -> Path:
    """The administrator's place for the hash (``site_dir`` replaces it in tests)."""
    folder = site_dir or Path(platformdirs.site_config_dir("loket", appauthor=False))
    return folder / HASH_FILE_NAME


def resolve_hash_file(site_dir: Path | None = None) -> Path:
    """The system-wide hash when the city installed one, else the user's (or the
    ``LOKET_SUPERVISOR_HASH_FILE`` one). No setting of the clerk's session overrides
    the system-wide file: that is the point of it."""
    site = site_hash_file(site_dir)
    return site if site.is_file() else default_hash_file()


def logged_failures(store: JournalStore, now: dt.datetime | None = None) -> tuple[int, float]:
    """Consecutive wrong passphrases since the last success or change, and how many
    seconds ago the last of them was (inf: none). Refused attempts during a delay
    (``locked``) neither count nor reset."""
    failures = 0
    last: dt.datetime | None = None
    for at, outcome in store.supervisor_logins():
        if outcome in (LoginOutcome.OK, LoginOutcome.PASSPHRASE_CHANGED):
            break
        if outcome is LoginOutcome.WRONG:
            failures += 1
            last = at if last is None else max(last, at)
    if last is None:
        return failures, float("inf")
    return failures, ((now or dt.datetime.now(dt.UTC)) - last).total_seconds()


class JournalGuardedAuth:
    """``SupervisorAuth`` whose delay also counts the wrong passphrases in the journal.

    Same interface as ``SupervisorAuth`` for the login dialog. The longer of the two
    delays applies, so deleting the attempts file changes nothing. When the journal
    cannot be read, the file's delay still applies (and the attempt cannot be logged,
    which keeps the view closed anyway).
    """

    def __init__(
        self,
        auth: SupervisorAuth,
        store: JournalStore | None = None,
        *,
        open_store: Callable[[], JournalStore] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``open_store`` opens the journal when a passphrase is checked (on the login
        dialog's worker thread), never for ``remaining_delay``, which the dialog asks
        on the GUI thread: that one only uses a journal that is already open. The
        delays are those of ``auth``."""
        self.auth = auth
        self.store = store
        self._open_store = open_store
        self._clock = clock

    def is_configured(self) -> bool:
        return self.auth.is_configured()

    def _logged(self, *, may_open: bool) -> tuple[int, float]:
        """(consecutive logged failures, seconds of delay they still impose)."""
        try:
            if self.store is None and may_open and self._open_store is not None:
                self.store = self._open_store()
            if self.store is None:
                return 0, 0.0
            now = dt.datetime.fromtimestamp(self._clock(), dt.UTC)
            failures, ago = logged_failures(self.store, now)
        except JournalError:
            return 0, 0.0
        wait = self.auth.delay_for(failures)
        # a clock set backwards must not lengthen the wait beyond one full delay
        return failures, max(0.0, wait - max(0.0, ago))

    def remaining_delay(self) -> float:
        return max(self.auth.remaining_delay(), self._logged(may_open=False)[1])

    def verify(self, passphrase: str) -> AuthResult:
        if not self.is_configured():
            return AuthResult(status=AuthStatus.NOT_CONFIGURED)
        logged, remaining = self._logged(may_open=True)
        if remaining > 0:
            failures = max(logged, self.auth.failures())
            return AuthResult(status=AuthStatus.LOCKED, retry_after_s=remaining, failures=failures)
        result = self.auth.verify(passphrase)
        if result.status is AuthStatus.WRONG:
            failures = max(result.failures, logged + 1)
            return AuthResult(
                status=AuthStatus.WRONG,
                retry_after_s=self.auth.delay_for(failures),
                failures=failures,
            )
        if result.status is AuthStatus.LOCKED:
            return AuthResult(
                status=AuthStatus.LOCKED,
                retry_after_s=result.retry_after_s,
                failures=max(result.failures, logged),
            )
        return result


def log_attempt(
    store: JournalStore,
    result: AuthResult,
    *,
    counter_id: str,
    name: str,
    application: Application | None = None,
) -> None:
    """Write one checked attempt (right, wrong or refused) to the journal."""
    outcome = _OUTCOMES.get(result.status)
    if outcome is not None:
        store.append(
            supervisor_login_entry(
                counter_id, name=name, outcome=outcome, failures=result.failures, app=application
            )
        )


# -- ``counter-app supervisor set-passphrase`` ------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app supervisor set-passphrase",
        description="Set the supervisors' passphrase (the current one is asked when one is set)."
        " The change is written to the daily log.",
    )
    parser.add_argument(
        "--hash-file",
        type=Path,
        help="where to keep the hash (default: the system-wide file when the city installed "
        "one, else the user's config folder)",
    )
    parser.add_argument("--journal", metavar="URL", help="journal URL (default: configuration)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file")
    parser.add_argument("--name", help="who changes it (default: the operating-system user)")
    return parser


def _fail(message: str, code: int) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return code


def set_passphrase_cli(
    argv: Sequence[str] | None = None,
    *,
    ask: Callable[[str], str] = getpass.getpass,
    site_dir: Path | None = None,
    open_store: Callable[[str | None, Path | None], tuple[JournalStore, str]] | None = None,
) -> int:
    """Read the current passphrase (when one is set) and the new one twice, without
    echo; store the new hash and log the change. Returns an exit code.

    ``site_dir`` and ``open_store`` (journal URL, config file → store and counter id)
    are for tests.
    """
    try:
        args = _parser().parse_args(list(argv or []))
    except SystemExit as stop:
        return EXIT_USAGE if stop.code else EXIT_OK
    hash_file = args.hash_file or resolve_hash_file(site_dir)
    site = site_hash_file(site_dir)
    if site.is_file() and hash_file.resolve() != site.resolve():
        return _fail(
            f"the city's passphrase is installed in {site}: change it there "
            "(as an administrator, with --hash-file); nothing changed",
            EXIT_USAGE,
        )
    name = (args.name or "").strip() or _os_user()
    try:
        store, counter_id = (open_store or _open_store)(args.journal, args.config)
    except (JournalError, AuthError) as err:
        return _fail(f"the daily log cannot be opened ({err}): nothing changed", EXIT_AUTH)
    try:
        return _change(store, counter_id, SupervisorAuth(hash_file), name, ask)
    finally:
        store.close()


def _change(
    store: JournalStore,
    counter_id: str,
    plain: SupervisorAuth,
    name: str,
    ask: Callable[[str], str],
) -> int:
    auth = JournalGuardedAuth(plain, store)
    app = supervisor_application()
    try:
        if auth.is_configured():
            result = auth.verify(ask("Current supervisor passphrase: "))
            log_attempt(store, result, counter_id=counter_id, name=name, application=app)
            if result.status is AuthStatus.LOCKED:
                wait = f"{result.retry_after_s:.0f} s"
                return _fail(f"too many wrong attempts: try again in {wait}", EXIT_AUTH)
            if not result.ok:
                return _fail("that is not the current passphrase; nothing changed", EXIT_AUTH)
        first = ask("New supervisor passphrase: ")
        second = ask("Repeat the passphrase: ")
    except (EOFError, KeyboardInterrupt):
        return _fail("no passphrase given; nothing changed", EXIT_USAGE)
    except JournalError as err:
        return _fail(f"the attempt could not be logged ({err}); nothing changed", EXIT_AUTH)
    except AuthError as err:
        return _fail(f"{err}; nothing changed", EXIT_AUTH)
    if first != second:
        return _fail("the two passphrases differ; nothing changed", EXIT_USAGE)
    before = _read(plain.hash_file)
    try:
        plain.set_passphrase(first)
    except AuthError as err:
        return _fail(f"{err}; nothing changed", EXIT_AUTH)
    try:
        store.append(
            supervisor_login_entry(
                counter_id, name=name, outcome=LoginOutcome.PASSPHRASE_CHANGED, app=app
            )
        )
    except JournalError as err:
        _restore(plain.hash_file, before)
        return _fail(f"the change could not be logged ({err}); nothing changed", EXIT_AUTH)
    print(f"supervisor passphrase set ({plain.hash_file}); the change is in the daily log")
    return EXIT_OK


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _restore(path: Path, text: str | None) -> None:
    with contextlib.suppress(OSError):
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "supervisor"


def _open_store(journal: str | None, config: Path | None) -> tuple[JournalStore, str]:
    from counter_app.config import ConfigError, load_settings
    from counter_app.journal.location import resolve_journal_url
    from counter_app.journal.store import open_journal

    try:
        settings = load_settings(config)
    except ConfigError as err:
        raise AuthError(str(err)) from None
    url = resolve_journal_url(journal, settings.journal.url)
    return open_journal(url), str(settings.counter_id)


__all__ = [
    "JournalGuardedAuth",
    "log_attempt",
    "logged_failures",
    "resolve_hash_file",
    "set_passphrase_cli",
    "site_hash_file",
]
