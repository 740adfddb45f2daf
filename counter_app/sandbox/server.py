"""Serving the sandbox over real HTTP: the CLI command and a thread-hosted test server.

The in-process ASGI transport skips the network (and httpx timeouts do not apply
to it), so timeouts, concurrency and benchmarks need a real uvicorn on
127.0.0.1. ``running_sandbox`` starts one on a free port in a thread and always
stops it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from counter_app.sandbox.app import MAGDA_PREFIX, UITPAS_PREFIX, create_sandbox_app
from counter_app.sandbox.faults import FaultSwitch, SandboxFaults

STARTUP_TIMEOUT_SECONDS = 10.0


def run_sandbox_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    personas: Path | None = None,
    faults: SandboxFaults | None = None,
) -> None:
    """Serve the sandbox until interrupted (``counter-app sandbox``)."""
    app = create_sandbox_app(personas, faults)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)


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


@contextlib.contextmanager
def running_sandbox(
    personas_dir: Path | None = None,
    faults: SandboxFaults | None = None,
    *,
    app: Starlette | None = None,
) -> Iterator[RunningSandbox]:
    """Start uvicorn on 127.0.0.1 on a free port in a thread; stop it on exit."""
    application = app if app is not None else create_sandbox_app(personas_dir, faults)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        application,
        log_level="warning",
        timeout_graceful_shutdown=1,
        lifespan="off",
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
        yield RunningSandbox(url=f"http://127.0.0.1:{port}", app=application)
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        sock.close()
