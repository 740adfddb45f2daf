"""The supervisor's passphrase: Argon2 hash on disk, growing delay after failures."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from counter_app.auth import (
    AuthError,
    AuthStatus,
    PassphraseRejectedError,
    SupervisorAuth,
    default_hash_file,
    delay_after,
)

GOOD = "correct horse battery staple"


class FakeClock:
    """Time the test moves by hand: the delay logic is checked without sleeping."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(tmp_path: Path, clock: FakeClock) -> SupervisorAuth:
    made = SupervisorAuth(tmp_path / "cfg" / "supervisor.argon2", clock=clock)
    made.set_passphrase(GOOD)
    return made


def test_hash_file_holds_an_argon2_hash_not_the_passphrase(auth: SupervisorAuth) -> None:
    text = auth.hash_file.read_text()
    assert text.startswith("$argon2id$")
    assert GOOD not in text
    assert stat.S_IMODE(auth.hash_file.stat().st_mode) == 0o600


def test_right_passphrase_is_accepted(auth: SupervisorAuth) -> None:
    assert auth.verify(GOOD).status is AuthStatus.OK


def test_wrong_passphrase_starts_a_growing_delay(auth: SupervisorAuth, clock: FakeClock) -> None:
    first = auth.verify("wrong wrong wrong")
    assert first.status is AuthStatus.WRONG and first.retry_after_s == 1.0
    # during the delay even the right passphrase is refused, without being checked
    locked = auth.verify(GOOD)
    assert locked.status is AuthStatus.LOCKED and 0 < locked.retry_after_s <= 1.0
    clock.now += 1.0
    second = auth.verify("still wrong!!")
    assert second.status is AuthStatus.WRONG and second.retry_after_s == 2.0
    clock.now += 1.5
    assert auth.verify(GOOD).status is AuthStatus.LOCKED
    clock.now += 0.5
    third = auth.verify("wrong again!!")
    assert third.retry_after_s == 4.0 and third.failures == 3
    clock.now += 4.0
    assert auth.verify(GOOD).ok
    # success resets the count: the next mistake waits 1 s again
    assert auth.verify("nope nope nope").retry_after_s == 1.0


def test_the_delay_survives_a_restart(auth: SupervisorAuth, clock: FakeClock) -> None:
    auth.verify("wrong wrong wrong")
    reopened = SupervisorAuth(auth.hash_file, clock=clock)
    assert reopened.verify(GOOD).status is AuthStatus.LOCKED
    assert reopened.failures() == 1


def test_damaged_attempts_file_means_waiting_not_free_attempts(
    auth: SupervisorAuth, clock: FakeClock
) -> None:
    auth.attempts_file.write_text("{not json")
    assert auth.verify(GOOD).status is AuthStatus.LOCKED


def test_delay_is_capped() -> None:
    assert [delay_after(n, cap_s=60) for n in range(0, 9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert delay_after(10_000, cap_s=300) == 300


def test_not_configured(tmp_path: Path) -> None:
    auth = SupervisorAuth(tmp_path / "none.argon2")
    assert not auth.is_configured()
    assert auth.verify(GOOD).status is AuthStatus.NOT_CONFIGURED


def test_short_passphrase_is_refused(tmp_path: Path) -> None:
    auth = SupervisorAuth(tmp_path / "h.argon2")
    with pytest.raises(PassphraseRejectedError):
        auth.set_passphrase("short")
    assert not auth.is_configured()


def test_damaged_hash_file_is_a_clear_error(auth: SupervisorAuth) -> None:
    auth.hash_file.write_text("not a hash\n")
    with pytest.raises(AuthError, match="damaged") as caught:
        auth.verify(GOOD)
    assert GOOD not in str(caught.value)


def test_hash_file_location_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOKET_SUPERVISOR_HASH_FILE", str(tmp_path / "x.argon2"))
    assert default_hash_file() == tmp_path / "x.argon2"
    monkeypatch.delenv("LOKET_SUPERVISOR_HASH_FILE")
    assert default_hash_file().name == "supervisor.argon2"
