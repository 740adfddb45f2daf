"""How long the citizen waits: one check end to end with every source at 200 ms.

A real sandbox server (``counter-app sandbox``, its own process, like a remote
source) on 127.0.0.1 adds 200 ms to every answer (its fault configuration). Measured after warm-up:
  1. concurrent check (production mode): median; goal <= 1.3 x the slowest source;
  2. the same check with the sources asked one after another (comparison only);
  3. 50 checks at once on one service: median and p95 per check.
Run: ``python benchmarks/bench_check.py`` (or ``./loket.sh bench check``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counter_app.check import CheckService, Subject
from counter_app.check.runner import open_check_service
from counter_app.config import Settings, SourceSettings, SourcesSettings
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.sources.base import CallStatus

LATENCY_MS = 200.0
GOAL_RATIO = 1.3
ON = dt.date(2026, 3, 1)
# a card-read subject would also ask the UiTPAS price; a manual entry asks the status only
SUBJECT = Subject(insz="86710585636", entry="manual")
WARMUP = 3
ROUNDS = 15
CONCURRENT = 50


def settings() -> Settings:
    one = SourceSettings(timeout_s=5.0, retries=0, breaker_threshold=1000)
    return Settings(
        sources=SourcesSettings(
            national_register=one,
            social_statutes=one,
            disability_file=one,
            ocmw_list=one,
            uitpas=one,
        ),
        check_deadline_s=30.0,
    )


async def timed(service: CheckService) -> float:
    t0 = time.perf_counter()
    outcome = await service.run(SUBJECT, ON)
    elapsed = (time.perf_counter() - t0) * 1000
    bad = [c for c in outcome.calls if c.status is not CallStatus.OK]
    if bad:
        raise SystemExit(f"benchmark check failed: {bad[0].source.value}: {bad[0].error}")
    return elapsed


async def series(service: CheckService, rounds: int) -> list[float]:
    for _ in range(WARMUP):
        await timed(service)
    return [await timed(service) for _ in range(rounds)]


@contextlib.contextmanager
def sandbox_process(faults: SandboxFaults) -> Iterator[str]:
    """``counter-app sandbox`` in its own process on a free port, faults set over HTTP."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "sandbox", "--port", str(port)],
        cwd=Path(__file__).resolve().parents[1],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/_sandbox/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the sandbox server did not start") from None
                time.sleep(0.1)
        httpx.put(
            url + "/_sandbox/faults", json=faults.model_dump(mode="json"), timeout=5
        ).raise_for_status()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def main() -> None:
    logging.getLogger("stamina").setLevel(logging.ERROR)
    every = SourceFaults(latency_ms=LATENCY_MS)
    faults = SandboxFaults(
        national_register=every,
        social_statutes=every,
        disability_file=every,
        ocmw_list=every,
        uitpas=every,
    )
    with sandbox_process(faults) as url:
        async with open_check_service(settings(), sources_url=url) as service:
            concurrent = await series(service, ROUNDS)
            burst_start = time.perf_counter()
            burst = await asyncio.gather(*(timed(service) for _ in range(CONCURRENT)))
            burst_wall = (time.perf_counter() - burst_start) * 1000
        async with open_check_service(settings(), sources_url=url, sequential=True) as service:
            sequential = await series(service, max(ROUNDS // 3, 5))

    median = statistics.median(concurrent)
    seq_median = statistics.median(sequential)
    goal = GOAL_RATIO * LATENCY_MS
    print(
        f"every source at {LATENCY_MS:.0f} ms (sandbox process, real HTTP on 127.0.0.1), "
        f"{len(concurrent)} checks after {WARMUP} warm-up"
    )
    print(
        f"  concurrent check   median {median:7.1f} ms  min {min(concurrent):7.1f}  "
        f"max {max(concurrent):7.1f}  = {median / LATENCY_MS:.2f} x slowest source "
        f"(goal <= {GOAL_RATIO} x = {goal:.0f} ms: {'met' if median <= goal else 'NOT met'})"
    )
    print(
        f"  sequential check   median {seq_median:7.1f} ms  "
        f"= {seq_median / LATENCY_MS:.2f} x slowest source; concurrent is "
        f"{seq_median / median:.1f} x faster"
    )
    print(
        f"  {CONCURRENT} checks at once  median {statistics.median(burst):7.1f} ms  "
        f"p95 {p95(list(burst)):7.1f} ms  wall {burst_wall:7.1f} ms  "
        f"(median = {statistics.median(burst) / LATENCY_MS:.2f} x slowest source)"
    )


if __name__ == "__main__":
    asyncio.run(main())
