"""Serving the sandbox over real HTTP: the CLI command and a thread-hosted test server.

The in-process ASGI transport skips the network (and httpx timeouts do not apply
to it), so timeouts, concurrency and benchmarks need a real uvicorn on
127.0.0.1. ``running_sandbox`` starts one on a free port in a thread and always
stops it.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from counter_app.sandbox.app import MAGDA_PREFIX, UITPAS_PREFIX, create_sandbox_app
from counter_app.sandbox.faults import FaultSwitch, SandboxFaults
from counter_app.sandbox.magda import RequestCheck

STARTUP_TIMEOUT_SECONDS = 10.0


DEFAULT_PORT = 8800


def _bound_socket(host: str, port: int) -> socket.socket:
    """Bind first, so a busy port is a plain OSError for the caller (uvicorn would exit)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit this: without it, Nagle + delayed ACK add ~40 ms per answer
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def run_sandbox_server(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    personas: Path | None = None,
    faults: SandboxFaults | None = None,
    magda_request_check: RequestCheck | None = None,
) -> None:
    """Serve until interrupted (``counter-app sandbox``); OSError if the port is busy.

    ``magda_request_check``: see ``create_sandbox_app`` (e.g. require signed requests).
    """
    app = create_sandbox_app(personas, faults, magda_request_check=magda_request_check)
    sock = _bound_socket(host, port)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


@dataclass(frozen=True)
class RunningSandbox:
    """A live sandbox: its base URL, the app (state, faults) and the URLs adapters need."""

    url: str
    app: Starlette

    @property
    def faults(self) -> FaultSwitch:
        switch: FaultSwitch = self.app.state.faults
        return switch

    @property
    def magda_url(self) -> str:
        return self.url + MAGDA_PREFIX

    @property
    def ocmw_url(self) -> str:
        return self.url

    @property
    def uitpas_url(self) -> str:
        return self.url + UITPAS_PREFIX


@dataclass(frozen=True)
class SandboxTls:
    """Serve over HTTPS; with ``client_ca`` the server demands a client certificate (mTLS)."""

    certfile: Path
    keyfile: Path
    client_ca: Path | None = None


@contextlib.contextmanager
def running_sandbox(
    personas_dir: Path | None = None,
    faults: SandboxFaults | None = None,
    *,
    app: Starlette | None = None,
    tls: SandboxTls | None = None,
) -> Iterator[RunningSandbox]:
    """Start uvicorn on 127.0.0.1 on a free port in a thread; stop it on exit."""
    application = app if app is not None else create_sandbox_app(personas_dir, faults)
    sock = _bound_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    tls_options: dict[str, object] = {}
    if tls is not None:
        tls_options = {"ssl_certfile": str(tls.certfile), "ssl_keyfile": str(tls.keyfile)}
        if tls.client_ca is not None:
            tls_options["ssl_ca_certs"] = str(tls.client_ca)
            tls_options["ssl_cert_reqs"] = ssl.CERT_REQUIRED
    config = uvicorn.Config(
        application,
        log_level="warning",
        timeout_graceful_shutdown=1,
        lifespan="off",
        **tls_options,  # type: ignore[arg-type]
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sandbox-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        scheme = "https" if tls is not None else "http"
        yield RunningSandbox(url=f"{scheme}://127.0.0.1:{port}", app=application)
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        sock.close()
