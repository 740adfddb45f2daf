"""Start, stop and restart the one pcscd of this machine (tests and the benchmark share it).

pcscd's socket path is fixed, so there is only ever one; a daemon already
running (left by a previous run, or started by hand) is reused. Stopping waits
until the process is really gone, because a new pcscd refuses to start while the
old one is still being reaped ("Another pcscd seems to be running").
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from smartcard import scard

SOCKET = Path("/run/pcscd/pcscd.comm")
PID_FILE = Path("/run/pcscd/pcscd.pid")
VPCD_READERS = ("Virtual PCD 00 00", "Virtual PCD 00 01")


class PcscdUnavailable(RuntimeError):
    """pcscd cannot be started on this machine."""


def list_reader_names() -> list[str] | None:
    """Reader names, or None when pcscd does not answer."""
    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, names = scard.SCardListReaders(ctx, [])
        return [str(n) for n in names] if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(ctx)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); look at its state.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


class Pcscd:
    """Our handle on pcscd: ``ensure()`` to have it, ``restart()`` to bounce it."""

    def __init__(self, log_path: Path, *, debug: bool = True) -> None:
        self.log_path = log_path
        self.debug = debug
        self.process: subprocess.Popen[bytes] | None = None
        self.reused = False

    def running(self) -> bool:
        return SOCKET.exists() and list_reader_names() is not None

    def ensure(self, timeout: float = 10.0) -> None:
        """Start pcscd unless one already answers; wait until the vpcd readers are listed."""
        if self.running():
            self.reused = self.process is None
        else:
            self.start()
        self.wait_for_readers(timeout)

    def start(self, config_dir: Path | None = None) -> None:
        """Start pcscd; ``config_dir`` replaces /etc/reader.conf.d (an empty one: no readers)."""
        binary = "/usr/sbin/pcscd"
        if not os.path.exists(binary):
            raise PcscdUnavailable("pcscd is not installed")
        args = [binary, "--foreground"]
        if config_dir is not None:
            args += ["--config", str(config_dir)]
        if self.debug:
            args += ["--debug", "--apdu"]
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        except OSError as err:
            raise PcscdUnavailable(f"pcscd cannot start: {err}") from err
        finally:
            log.close()
        self.reused = False
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PcscdUnavailable(
                    f"pcscd exited with {self.process.returncode}; see {self.log_path}"
                )
            if SOCKET.exists() and list_reader_names() is not None:
                return
            time.sleep(0.02)
        raise PcscdUnavailable(f"pcscd did not become ready; see {self.log_path}")

    def wait_for_readers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            names = list_reader_names() or []
            if all(r in names for r in VPCD_READERS):
                return
            time.sleep(0.05)
        raise PcscdUnavailable("pcscd runs but the vpcd readers do not appear")

    def stop(self) -> None:
        """SIGTERM our pcscd (or the reused one, through its pid file) and wait until gone."""
        pid: int | None = None
        if self.process is not None and self.process.poll() is None:
            pid = self.process.pid
        elif PID_FILE.exists():
            with contextlib.suppress(ValueError, OSError):
                pid = int(PID_FILE.read_text().strip("\x00\n "))  # pcscd writes "1234\n\0"
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if self.process is not None and self.process.pid == pid:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        else:
            deadline = time.monotonic() + 10
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
                while _pid_alive(pid):
                    time.sleep(0.05)
        deadline = time.monotonic() + 5
        while SOCKET.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.process = None

    def restart(self, config_dir: Path | None = None) -> None:
        self.stop()
        self.start(config_dir)
        if config_dir is None:
            self.wait_for_readers(10)

    def close(self) -> None:
        """Stop pcscd if we started it; leave a reused one running."""
        if self.process is not None:
            self.stop()
