"""What the three MAGDA adapters share: constructor, wanted-fact filtering, fact building.

Each service adapter only says which facts it can give and how to turn the
answer content into values; failure handling (every wanted fact becomes
SOURCE_ERROR with the reason and the Referte) is the same for all of them, so
it is written once here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import httpx

from counter_app.sources.base import CallStatus, QueryContext, SourceAnswer, SourceCall, WantedFact
from counter_app.sources.errors import SourceError
from counter_app.sources.http import DEFAULT_MAX_RESPONSE_BYTES
from counter_app.sources.magda_soap import MagdaExchange, MagdaResult, MagdaService, Outcome
from counter_app.sources.wssecurity import WsSecuritySigner
from rules.facts import Fact, FactValue, SourceId


def answer_date(value: str | None) -> dt.date | None:
    """A date element of a MAGDA answer (a time part is ignored); absent = None."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise SourceError("answer holds an unreadable date") from None


@dataclasses.dataclass(frozen=True)
class NotAnswered:
    """Marks one fact the answer left open (e.g. a statute missing from the answer)."""

    reason: str


ReadValues = dict[str, FactValue | NotAnswered]


class MagdaAdapter:
    """Base of the MAGDA adapters. Constructor arguments are plain values: no global config.

    ``client`` is an httpx.AsyncClient (mTLS configured by the caller, see
    ``http.make_http_client``; or with ``ASGITransport`` for the in-process sandbox).
    ``url`` is the full endpoint of the service (absolute, or relative to the
    client's base_url). ``organisation_id`` is the MAGDA ``Identificatie``.
    ``timeout`` (when given) overrides the client's timeout for each request.
    ``signer`` (when given) signs every request with WS-Security.
    """

    source: SourceId
    service: MagdaService
    fact_names: frozenset[str]

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        url: str | None = None,
        organisation_id: str,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        timeout: httpx.Timeout | float | None = None,
        owns_client: bool = False,
        signer: WsSecuritySigner | None = None,
    ) -> None:
        self._client = client
        self._owns_client = owns_client
        self.url = url if url is not None else self.service.default_path
        self.exchange = MagdaExchange(
            client=client,
            source=self.source,
            service=self.service,
            url=self.url,
            organisation_id=organisation_id,
            max_response_bytes=max_response_bytes,
            timeout=timeout,
            signer=signer,
        )

    def provides(self, wanted: WantedFact) -> bool:
        """Whether this service can answer ``wanted`` (by catalogue name, or by its key)."""
        return wanted.name in self.fact_names

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def fetch(self, ctx: QueryContext, wanted: Sequence[WantedFact]) -> SourceAnswer:
        mine = [w for w in wanted if self.provides(w)]
        others = [
            Fact.unknown(w.name, self.source, f"{self.service.name} does not provide this fact")
            for w in wanted
            if not self.provides(w)
        ]
        if not mine:
            return SourceAnswer(facts=tuple(others), calls=())
        if not (ctx.subject_insz.isdigit() and len(ctx.subject_insz) == 11):
            # nothing is sent: a malformed number would only be refused, and logged by MAGDA
            refused = tuple(
                Fact.error(w.name, self.source, f"{self.service.name}: invalid INSZ format")
                for w in mine
            )
            return SourceAnswer(facts=refused + tuple(others), calls=())
        facts, calls = await self._fetch_mine(ctx, mine)
        return SourceAnswer(facts=tuple(facts) + tuple(others), calls=tuple(calls))

    async def _fetch_mine(
        self, ctx: QueryContext, wanted: Sequence[WantedFact]
    ) -> tuple[list[Fact], list[SourceCall]]:
        raise NotImplementedError

    def settle(
        self,
        result: MagdaResult,
        wanted: Sequence[WantedFact],
        read: Callable[[MagdaResult], ReadValues],
    ) -> tuple[list[Fact], list[SourceCall]]:
        """Facts and call record for one exchange; an unreadable answer marks the call failed."""
        if result.outcome is Outcome.FAILED:
            return self.facts_from(result, wanted, None), [result.call]
        try:
            values = read(result)
        except SourceError as exc:
            failed_call = result.call.model_copy(
                update={"status": CallStatus.ERROR, "error": exc.reason, "transient": exc.transient}
            )
            failed = dataclasses.replace(
                result, call=failed_call, outcome=Outcome.FAILED, reason=exc.reason
            )
            return self.facts_from(failed, wanted, None), [failed_call]
        return self.facts_from(result, wanted, values), [result.call]

    def facts_from(
        self,
        result: MagdaResult,
        wanted: Sequence[WantedFact],
        values: ReadValues | None,
    ) -> list[Fact]:
        """One fact per wanted name: the value when known, else SOURCE_ERROR with the reason."""
        reference = result.call.reference
        facts: list[Fact] = []
        for w in wanted:
            value = values.get(w.name, NotAnswered("")) if values is not None else None
            if value is not None and not isinstance(value, NotAnswered):
                facts.append(
                    Fact.known(
                        w.name,
                        value,
                        self.source,
                        reference=reference,
                        retrieved_at=result.retrieved_at,
                    )
                )
            else:
                specific = value.reason if isinstance(value, NotAnswered) else ""
                reason = specific or result.reason or "no usable answer"
                facts.append(
                    Fact.error(
                        w.name,
                        self.source,
                        f"{self.service.name}: {reason}",
                        reference=reference,
                        retrieved_at=result.retrieved_at,
                    )
                )
        return facts
