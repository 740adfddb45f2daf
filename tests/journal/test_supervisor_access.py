"""The supervisor's passphrase against a clerk in the same session (journal audit, item 3).

The audit took the supervisor login over from the clerk's shared session: set a
new passphrase without knowing the old one (nothing logged), or delete the
attempts file to lift the delay. Real journal (both backends), real Argon2 files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from counter_app.auth import AuthStatus, SupervisorAuth
from counter_app.journal.models import EntryKind, LoginOutcome, StoredEntry
from counter_app.journal.records import supervisor_application
from counter_app.journal.store import SqlJournalStore, open_journal
from counter_app.journal.supervisor_access import (
    JournalGuardedAuth,
    log_attempt,
    resolve_hash_file,
    set_passphrase_cli,
    site_hash_file,
)

OLD = "de oude wachtzin van de stad"
NEW = "een nieuwe wachtzin voor 2027"


def _asker(*answers: str) -> Callable[[str], str]:
    queue = list(answers)
    return lambda _prompt: queue.pop(0)


@pytest.fixture
def opener(store: SqlJournalStore, journal_url: str) -> Iterator[Callable[..., object]]:
    opened: list[SqlJournalStore] = []

    def open_store(_url: object, _config: object) -> tuple[SqlJournalStore, str]:
        made = open_journal(journal_url)
        opened.append(made)
        return made, "balie-9"

    yield open_store
    for s in opened:
        s.close()


def _logins(store: SqlJournalStore) -> list[StoredEntry]:
    today = dt.datetime.now(store.tz).date()
    return [s for s in store.entries(today) if s.entry.kind is EntryKind.SUPERVISOR_LOGIN]


def _outcomes(store: SqlJournalStore) -> list[LoginOutcome]:
    return [s.entry.supervisor_login.outcome for s in _logins(store) if s.entry.supervisor_login]


def test_first_setup_asks_no_old_passphrase_and_is_logged(
    store: SqlJournalStore, opener: Callable[..., object], tmp_path: Path
) -> None:
    hash_file = tmp_path / "user" / "supervisor.argon2"
    code = set_passphrase_cli(
        ["--hash-file", str(hash_file), "--name", "Sam"], ask=_asker(OLD, OLD),
        site_dir=tmp_path / "site", open_store=opener,  # type: ignore[arg-type]
    )  # fmt: skip
    assert code == 0
    assert SupervisorAuth(hash_file).verify(OLD).ok
    assert _outcomes(store) == [LoginOutcome.PASSPHRASE_CHANGED]
    assert _logins(store)[0].entry.clerk.name == "Sam"


def test_changing_needs_the_old_passphrase_and_a_wrong_one_is_a_logged_failure(
    store: SqlJournalStore, opener: Callable[..., object], tmp_path: Path
) -> None:
    hash_file = tmp_path / "user" / "supervisor.argon2"
    SupervisorAuth(hash_file).set_passphrase(OLD)
    args = ["--hash-file", str(hash_file), "--name", "clerk"]
    site = tmp_path / "site"
    # the clerk's attempt: any "old" passphrase but the right one is refused
    assert set_passphrase_cli(args, ask=_asker("geraden wachtzin!!", NEW, NEW), site_dir=site,
                              open_store=opener) == 19  # type: ignore[arg-type]  # fmt: skip
    assert SupervisorAuth(hash_file, base_delay_s=0).verify(OLD).ok  # unchanged
    assert _outcomes(store) == [LoginOutcome.WRONG]
    # during the delay even the right passphrase is refused, and that is logged too
    assert set_passphrase_cli(args, ask=_asker(OLD, NEW, NEW), site_dir=site,
                              open_store=opener) == 19  # type: ignore[arg-type]  # fmt: skip
    assert _outcomes(store)[-1] is LoginOutcome.LOCKED


def _change_old_to_new(hash_file: Path, opener: Callable[..., object], tmp_path: Path) -> int:
    """``set-passphrase`` by Sam, from OLD (set first) to NEW; its exit code."""
    SupervisorAuth(hash_file).set_passphrase(OLD)
    return set_passphrase_cli(
        ["--hash-file", str(hash_file), "--name", "Sam"], ask=_asker(OLD, NEW, NEW),
        site_dir=tmp_path / "site", open_store=opener,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_supervisor_changes_it_with_the_old_one(
    store: SqlJournalStore, opener: Callable[..., object], tmp_path: Path
) -> None:
    hash_file = tmp_path / "user" / "supervisor.argon2"
    assert _change_old_to_new(hash_file, opener, tmp_path) == 0
    assert SupervisorAuth(hash_file).verify(NEW).ok
    assert _outcomes(store) == [LoginOutcome.OK, LoginOutcome.PASSPHRASE_CHANGED]


def test_the_command_lines_entries_carry_the_version_the_windows_do(
    store: SqlJournalStore, opener: Callable[..., object], tmp_path: Path
) -> None:
    """``set-passphrase`` logged its attempt and its change as version 0.0.0, while the
    window's login attempts named the installed version: an audit could not tell which
    release changed the passphrase."""
    hash_file = tmp_path / "user" / "supervisor.argon2"
    assert _change_old_to_new(hash_file, opener, tmp_path) == 0
    logged = [s.entry.application for s in _logins(store)]
    assert [a.id for a in logged] == ["loket-supervisor", "loket-supervisor"]
    assert [a.version for a in logged] == [metadata.version("loket")] * 2
    # the window's login log takes its application from the same place
    assert all(a == supervisor_application() for a in logged)


def test_a_change_that_cannot_be_logged_is_undone(tmp_path: Path, journal_url: str) -> None:
    with open_journal(journal_url):
        pass  # create (and migrate) it

    def read_only(_url: object, _config: object) -> tuple[SqlJournalStore, str]:
        return open_journal(journal_url, read_only=True), "balie-9"  # every append fails

    hash_file = tmp_path / "user" / "supervisor.argon2"
    code = set_passphrase_cli(["--hash-file", str(hash_file)], ask=_asker(OLD, OLD),
                              site_dir=tmp_path / "site", open_store=read_only)  # fmt: skip
    assert code == 19
    assert not hash_file.exists()


def test_deleting_the_attempts_file_does_not_lift_the_delay(
    store: SqlJournalStore, tmp_path: Path
) -> None:
    plain = SupervisorAuth(tmp_path / "supervisor.argon2", base_delay_s=30, max_delay_s=600)
    plain.set_passphrase(OLD)
    # (seconds from now the attempt is made, expected failures, delay still running then)
    for offset, expected, waiting in ((0, 1, 25), (40, 2, 15)):
        auth = JournalGuardedAuth(plain, store, clock=lambda o=offset: _later(o))
        result = auth.verify("verkeerd verkeerd")
        assert (result.status, result.failures) == (AuthStatus.WRONG, expected)
        log_attempt(store, result, counter_id="balie-9", name="x")
        plain.attempts_file.unlink()  # what the clerk did in the audit
        assert auth.remaining_delay() > waiting  # 30 s after one failure, 60 s after two
        locked = auth.verify(OLD)
        assert locked.status is AuthStatus.LOCKED and locked.failures == expected
        log_attempt(store, locked, counter_id="balie-9", name="x")
    later = JournalGuardedAuth(plain, store, clock=lambda: _later(200))
    assert later.verify(OLD).ok  # once the delay has passed, the right passphrase opens


def test_a_flood_of_refused_attempts_does_not_push_the_failures_out_of_sight(
    store: SqlJournalStore, tmp_path: Path
) -> None:
    """Only the newest 500 logins were read: 500 attempts refused during the delay
    (each one logged) hid the wrong passphrases and lifted the delay."""
    plain = SupervisorAuth(tmp_path / "supervisor.argon2", base_delay_s=30, max_delay_s=600)
    plain.set_passphrase(OLD)
    auth = JournalGuardedAuth(plain, store)
    wrong = auth.verify("verkeerd verkeerd")
    log_attempt(store, wrong, counter_id="balie-9", name="x")
    for _ in range(510):
        refused = auth.verify(OLD)
        assert refused.status is AuthStatus.LOCKED
        log_attempt(store, refused, counter_id="balie-9", name="x")
    plain.attempts_file.unlink()
    assert auth.remaining_delay() > 20
    assert auth.verify(OLD).status is AuthStatus.LOCKED


def _later(seconds: float) -> float:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).timestamp()


def test_the_city_wide_hash_wins_over_the_users_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: SqlJournalStore,
    opener: Callable[..., object],
) -> None:  # fmt: skip
    site = tmp_path / "etc-loket"
    mine = tmp_path / "clerk" / "supervisor.argon2"
    monkeypatch.setenv("LOKET_SUPERVISOR_HASH_FILE", str(mine))
    assert resolve_hash_file(site) == mine  # nothing installed by the city yet
    SupervisorAuth(site_hash_file(site)).set_passphrase(OLD)
    assert resolve_hash_file(site) == site_hash_file(site)
    # the clerk's own file, or one named on the command line, is not used nor written
    code = set_passphrase_cli(["--hash-file", str(mine)], ask=_asker(NEW, NEW), site_dir=site,
                              open_store=opener)  # type: ignore[arg-type]  # fmt: skip
    assert code == 2 and not mine.exists()
    assert SupervisorAuth(resolve_hash_file(site)).verify(OLD).ok


def test_a_mismatch_a_short_passphrase_and_bad_usage_change_nothing(
    store: SqlJournalStore,
    opener: Callable[..., object],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hash_file = tmp_path / "user" / "supervisor.argon2"
    common = {"site_dir": tmp_path / "site", "open_store": opener}
    argv = ["--hash-file", str(hash_file)]
    assert set_passphrase_cli(argv, ask=_asker(NEW, NEW + "x"), **common) == 2  # type: ignore[arg-type]
    assert "differ" in capsys.readouterr().err
    assert set_passphrase_cli(argv, ask=_asker("short", "short"), **common) == 19  # type: ignore[arg-type]
    assert set_passphrase_cli(["--bogus"], ask=_asker(NEW, NEW), **common) == 2  # type: ignore[arg-type]
    assert not hash_file.exists()
    assert NEW not in capsys.readouterr().out
    assert _outcomes(store) == []
