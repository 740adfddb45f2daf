"""The supervisor's own authentication: a passphrase, kept only as an Argon2 hash.

Why a passphrase and not the operating system's group membership: the counter
PCs run under one shared clerk session in most city offices, so "is this OS user
in the supervisors group" says nothing about who sits at the keyboard. A separate
passphrase, known only to supervisors, is what makes the supervisor's view
distinct from the clerk's. Argon2id (argon2-cffi's defaults) makes a stolen hash
file expensive to attack.

Why the delay is enforced here and not only in the dialog: any caller (the GUI,
a script, a test) gets the same protection. After ``n`` consecutive failures
``verify`` refuses every attempt for ``base * 2**(n-1)`` seconds (capped), without
even looking at the passphrase. The failure count and the moment of the last
failure are kept in a small file beside the hash, so restarting the application
does not reset the delay.

No Qt here: the dialog in ``counter_app.ui.supervisor`` only shows what this
module decides.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import platformdirs
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, ConfigDict

HASH_FILE_ENV = "LOKET_SUPERVISOR_HASH_FILE"
HASH_FILE_NAME = "supervisor.argon2"
MIN_PASSPHRASE_LENGTH = 12
BASE_DELAY_S = 1.0
MAX_DELAY_S = 300.0

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AUTH = 19  # 10-18 are card reading errors (counter_app.cli)


class AuthError(Exception):
    """Authentication cannot be done (no passphrase set, unreadable file); one line, no secret."""


class PassphraseRejectedError(AuthError):
    """The new passphrase does not meet the minimum (too short, empty)."""


class AuthStatus(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # the passphrase does not match; a delay starts
    LOCKED = "locked"  # still waiting after earlier failures; the passphrase was not checked
    NOT_CONFIGURED = "not_configured"  # no passphrase was ever set


class AuthResult(BaseModel):
    """What an attempt gave, and how long the caller must wait before the next one."""

    model_config = ConfigDict(frozen=True)

    status: AuthStatus
    retry_after_s: float = 0.0
    failures: int = 0

    @property
    def ok(self) -> bool:
        return self.status is AuthStatus.OK


class _Attempts(BaseModel):
    model_config = ConfigDict(frozen=True)

    failures: int = 0
    last_failure: float = 0.0  # wall clock (seconds since the epoch): survives a restart


def default_hash_file() -> Path:
    """``LOKET_SUPERVISOR_HASH_FILE`` when set, else the user's config folder."""
    explicit = os.environ.get(HASH_FILE_ENV, "").strip()
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir("loket", appauthor=False)) / HASH_FILE_NAME


def delay_after(
    failures: int, *, base_s: float = BASE_DELAY_S, cap_s: float = MAX_DELAY_S
) -> float:
    """1 s, 2 s, 4 s, ... after 1, 2, 3, ... consecutive failures, never above ``cap_s``."""
    if failures <= 0:
        return 0.0
    return float(min(cap_s, base_s * 2 ** min(failures - 1, 62)))


def _write_private(path: Path, text: str) -> None:
    """Write atomically with mode 0600: a half-written hash file would lock everyone out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class SupervisorAuth:
    """Checks the supervisor's passphrase against the stored hash, with a growing delay."""

    def __init__(
        self,
        hash_file: Path | None = None,
        *,
        base_delay_s: float = BASE_DELAY_S,
        max_delay_s: float = MAX_DELAY_S,
        clock: Callable[[], float] = time.time,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.hash_file = hash_file if hash_file is not None else default_hash_file()
        self.attempts_file = self.hash_file.with_name(self.hash_file.name + ".attempts")
        self._base = base_delay_s
        self._cap = max_delay_s
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def delay_for(self, failures: int) -> float:
        """The wait after ``failures`` consecutive wrong passphrases, with this store's delays."""
        return delay_after(failures, base_s=self._base, cap_s=self._cap)

    # -- setting ------------------------------------------------------------------------

    def is_configured(self) -> bool:
        return self.hash_file.is_file()

    def set_passphrase(self, passphrase: str) -> None:
        """Store the Argon2 hash of a new passphrase and clear the failure count."""
        if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
            raise PassphraseRejectedError(
                f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters"
            )
        try:
            _write_private(self.hash_file, self._hasher.hash(passphrase) + "\n")
        except OSError as exc:
            raise AuthError(f"cannot write the passphrase file {self.hash_file}: {exc}") from None
        self._save(_Attempts())

    # -- checking -----------------------------------------------------------------------

    def remaining_delay(self) -> float:
        """Seconds before ``verify`` will look at a passphrase again (0: now)."""
        attempts = self._load()
        wait = self.delay_for(attempts.failures)
        # a clock set backwards must not lengthen the wait beyond one full delay
        elapsed = max(0.0, self._clock() - attempts.last_failure)
        return max(0.0, wait - elapsed)

    def failures(self) -> int:
        return self._load().failures

    def verify(self, passphrase: str) -> AuthResult:
        """Check ``passphrase``; refuses without checking while a delay runs."""
        if not self.is_configured():
            return AuthResult(status=AuthStatus.NOT_CONFIGURED)
        attempts = self._load()
        remaining = self.remaining_delay()
        if remaining > 0:
            return AuthResult(
                status=AuthStatus.LOCKED, retry_after_s=remaining, failures=attempts.failures
            )
        stored = self._stored_hash()
        try:
            self._hasher.verify(stored, passphrase)
        except VerifyMismatchError:
            failures = attempts.failures + 1
            self._save(_Attempts(failures=failures, last_failure=self._clock()))
            return AuthResult(
                status=AuthStatus.WRONG,
                retry_after_s=self.delay_for(failures),
                failures=failures,
            )
        except (VerificationError, InvalidHashError):
            raise AuthError(
                f"the passphrase file {self.hash_file} is damaged: set the passphrase again"
            ) from None
        if self._hasher.check_needs_rehash(stored):
            with contextlib.suppress(OSError):
                _write_private(self.hash_file, self._hasher.hash(passphrase) + "\n")
        self._save(_Attempts())
        return AuthResult(status=AuthStatus.OK)

    # -- files ----------------------------------------------------------------------------

    def _stored_hash(self) -> str:
        try:
            return self.hash_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise AuthError(f"cannot read the passphrase file {self.hash_file}: {exc}") from None

    def _load(self) -> _Attempts:
        try:
            return _Attempts.model_validate_json(self.attempts_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _Attempts()
        except (OSError, ValueError):
            # unreadable or tampered with: assume the worst that is still usable
            return _Attempts(failures=8, last_failure=self._clock())

    def _save(self, attempts: _Attempts) -> None:
        try:
            _write_private(self.attempts_file, json.dumps(attempts.model_dump()))
        except OSError as exc:
            raise AuthError(f"cannot record the attempt in {self.attempts_file}: {exc}") from None


__all__ = [
    "AuthError",
    "AuthResult",
    "AuthStatus",
    "PassphraseRejectedError",
    "SupervisorAuth",
    "default_hash_file",
    "delay_after",
]
