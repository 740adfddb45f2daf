"""The OCMW's own list (budget management, budget guidance, debt mediation).

Two ways to reach it: a CSV export (indexed in memory, re-read when the file
changes) or the OCMW's internal HTTP service. Either way the adapter answers only
for the asked INSZ: the clerk, the log and the advice never see the list itself.

The HTTP service (the sandbox implements it, ``counter_app.sandbox.rest``):
``GET {base}/ocmw/v1/persons/{insz}/trajectories`` answers 200 with a JSON list of
``{"kind", "start", "end"}`` for a person on the list; for a person who is not, it
answers 404 with an RFC 9457 problem (``application/problem+json``) whose ``type``
is ``PERSON_NOT_FOUND``. Only that answer means "no trajectories": any other 404
(a wrong base URL, a proxy's error page, a moved API) says nothing about the
citizen, and reading it as "not on the list" would turn a configuration mistake
into a silent "no right". It is a source error, so the advice is "check manually".
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from counter_app.sources.base import CallStatus, QueryContext, SourceAnswer, SourceCall, WantedFact
from counter_app.sources.errors import SourceError
from counter_app.sources.http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    http_error_is_transient,
    read_capped,
    transport_error_reason,
)
from rules.facts import Fact, Period, SourceId

KINDS = ("budgetbeheer", "budgetbegeleiding", "schuldbemiddeling")
DEFAULT_KINDS: dict[str, str] = {
    "ocmw_budget_management": "budgetbeheer",
    "ocmw_budget_guidance": "budgetbegeleiding",
    "ocmw_debt_mediation": "schuldbemiddeling",
}
CSV_COLUMNS = ("insz", "kind", "start", "end")
# The problem type of the HTTP service's "this person has no trajectories" answer.
PERSON_NOT_FOUND = "https://api.publiq.be/probs/ocmw/person-not-found"
PROBLEM_JSON = "application/problem+json"


class Trajectory(BaseModel):
    """One trajectory of one person at the OCMW."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: str
    start: dt.date
    end: dt.date | None = None


_TRAJECTORIES = TypeAdapter(list[Trajectory])


class _Problem(BaseModel):
    """The part of an RFC 9457 problem answer that tells "not on the list" apart."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: str
    status: int | None = None


def is_person_not_found(response: httpx.Response, body: bytes) -> bool:
    """Whether a 404 is the service's own "no trajectories for this person" answer."""
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if response.status_code != 404 or media_type != PROBLEM_JSON:
        return False
    try:
        problem = _Problem.model_validate_json(body)
    except ValidationError:
        return False
    return problem.type == PERSON_NOT_FOUND and problem.status in (None, 404)


def kind_of(wanted: WantedFact) -> str:
    return wanted.key or DEFAULT_KINDS[wanted.name]


def provides(wanted: WantedFact) -> bool:
    """A catalogue name, or any fact whose key is one of the list's kinds."""
    return wanted.key in KINDS or (wanted.key is None and wanted.name in DEFAULT_KINDS)


def _facts(
    wanted: Sequence[WantedFact],
    trajectories: Sequence[Trajectory] | None,
    reason: str,
    reference: str,
    retrieved_at: dt.datetime,
) -> tuple[Fact, ...]:
    facts: list[Fact] = []
    for w in wanted:
        if not provides(w):
            facts.append(
                Fact.unknown(w.name, SourceId.OCMW_LIST, "the OCMW list does not provide this fact")
            )
        elif trajectories is None:
            facts.append(
                Fact.error(
                    w.name,
                    SourceId.OCMW_LIST,
                    f"OCMW list: {reason}",
                    reference=reference,
                    retrieved_at=retrieved_at,
                )
            )
        else:
            periods = tuple(
                Period(start=t.start, end=t.end) for t in trajectories if t.kind == kind_of(w)
            )
            facts.append(
                Fact.known(
                    w.name,
                    periods,
                    SourceId.OCMW_LIST,
                    reference=reference,
                    retrieved_at=retrieved_at,
                )
            )
    return tuple(facts)


@dataclass(frozen=True)
class _CsvIndex:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file this index was built from
    by_insz: dict[str, tuple[Trajectory, ...]]


def read_ocmw_csv(path: Path) -> dict[str, tuple[Trajectory, ...]]:
    """insz -> trajectories. Any invalid row makes the whole export unusable (never half a list)."""
    index: dict[str, list[Trajectory]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(f"the OCMW export lacks column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            insz = (row["insz"] or "").strip()
            kind = (row["kind"] or "").strip().lower()
            end = (row["end"] or "").strip()
            if not (insz.isdigit() and len(insz) == 11) or kind not in KINDS:
                raise SourceError(f"the OCMW export has an invalid row (line {line})")
            try:
                trajectory = Trajectory(
                    kind=kind,
                    start=dt.date.fromisoformat((row["start"] or "").strip()),
                    end=dt.date.fromisoformat(end) if end else None,
                )
            except ValueError:
                raise SourceError(f"the OCMW export has an invalid date (line {line})") from None
            index.setdefault(insz, []).append(trajectory)
    return {insz: tuple(items) for insz, items in index.items()}


class OcmwCsvAdapter:
    """ocmw_* facts from a CSV export (columns insz, kind, start, end; ISO dates; end optional)."""

    source = SourceId.OCMW_LIST
    service = "OcmwCsvExport"
    version = "1"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._index: _CsvIndex | None = None
        self._lock = asyncio.Lock()

    async def _current(self) -> dict[str, tuple[Trajectory, ...]]:
        try:
            info = await asyncio.to_thread(self.path.stat)
        except OSError:
            raise SourceError("the OCMW export file is not available") from None
        stamp = (info.st_mtime_ns, info.st_size)
        async with self._lock:
            if self._index is None or self._index.stamp != stamp:
                try:
                    by_insz = await asyncio.to_thread(read_ocmw_csv, self.path)
                except (OSError, UnicodeDecodeError, csv.Error):
                    raise SourceError("the OCMW export file cannot be read") from None
                self._index = _CsvIndex(stamp=stamp, by_insz=by_insz)
            return self._index.by_insz

    async def fetch(self, ctx: QueryContext, wanted: Sequence[WantedFact]) -> SourceAnswer:
        reference = str(uuid.uuid4())
        started_at = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        error = ""
        trajectories: tuple[Trajectory, ...] | None
        try:
            trajectories = (await self._current()).get(ctx.subject_insz, ())
        except SourceError as exc:
            trajectories, error = None, exc.reason
        call = SourceCall(
            source=self.source,
            service=self.service,
            version=self.version,
            reference=reference,
            purpose=ctx.purpose,
            started_at=started_at,
            duration_ms=(time.perf_counter() - t0) * 1000,
            status=CallStatus.ERROR if error else CallStatus.OK,
            error=error,
        )
        facts = _facts(wanted, trajectories, error, reference, dt.datetime.now(dt.UTC))
        return SourceAnswer(facts=facts, calls=(call,))

    async def aclose(self) -> None:
        return None


class OcmwHttpAdapter:
    """ocmw_* facts from GET {base}/ocmw/v1/persons/{insz}/trajectories.

    A 404 means "none" only as the service's ``PERSON_NOT_FOUND`` problem (see the
    module docstring); every other 404 is a source error.
    """

    source = SourceId.OCMW_LIST
    service = "OcmwTrajectories"
    version = "v1"

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str = "",
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        timeout: httpx.Timeout | float | None = None,
        owns_client: bool = False,
    ) -> None:
        self._client = client
        self.base_url = base_url.rstrip("/")
        self.max_response_bytes = max_response_bytes
        self.timeout = timeout
        self._owns_client = owns_client

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def _get(self, insz: str, reference: str) -> tuple[Trajectory, ...]:
        url = f"{self.base_url}/ocmw/v1/persons/{insz}/trajectories"
        timeout = httpx.USE_CLIENT_DEFAULT if self.timeout is None else self.timeout
        headers = {"Accept": "application/json", "X-Request-ID": reference}
        async with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
            body = await read_capped(response, self.max_response_bytes)
        if is_person_not_found(response, body):
            return ()
        if response.status_code == 404:  # a wrong URL or a moved API, not an answer
            raise SourceError("HTTP 404 from the source (not the service's 'not on the list')")
        if response.status_code != 200:
            raise SourceError(
                f"HTTP {response.status_code} from the source",
                transient=http_error_is_transient(response.status_code),
            )
        try:
            return tuple(_TRAJECTORIES.validate_json(body))
        except ValidationError:
            raise SourceError("the answer is not a valid list of trajectories") from None

    async def fetch(self, ctx: QueryContext, wanted: Sequence[WantedFact]) -> SourceAnswer:
        reference = str(uuid.uuid4())
        started_at = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        status, error, transient = CallStatus.OK, "", False
        trajectories: tuple[Trajectory, ...] | None = None
        if any(provides(w) for w in wanted):
            if not (ctx.subject_insz.isdigit() and len(ctx.subject_insz) == 11):
                status, error = CallStatus.ERROR, "invalid INSZ format"
            else:
                try:
                    trajectories = await self._get(ctx.subject_insz, reference)
                except httpx.TimeoutException as exc:
                    status, error, transient = CallStatus.TIMEOUT, transport_error_reason(exc), True
                except httpx.TransportError as exc:
                    status, error, transient = CallStatus.ERROR, transport_error_reason(exc), True
                except SourceError as exc:
                    status, error, transient = CallStatus.ERROR, exc.reason, exc.transient
        else:
            return SourceAnswer(facts=_facts(wanted, (), "", "", started_at), calls=())
        call = SourceCall(
            source=self.source,
            service=self.service,
            version=self.version,
            reference=reference,
            purpose=ctx.purpose,
            started_at=started_at,
            duration_ms=(time.perf_counter() - t0) * 1000,
            status=status,
            error=error,
            transient=transient,
        )
        facts = _facts(wanted, trajectories, error, reference, dt.datetime.now(dt.UTC))
        return SourceAnswer(facts=facts, calls=(call,))
