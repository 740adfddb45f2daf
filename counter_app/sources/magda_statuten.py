"""GeefSociaalStatuut 03.00: does a social statute apply on the reference date?

Data minimisation is the point of this service: it answers "applies / does not
apply" per named statute, not the underlying file. We ask only the statutes the
rules in force need (the ``key`` of each wanted fact), each on the reference date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from lxml import etree

from counter_app.sources.base import QueryContext, SourceCall, WantedFact
from counter_app.sources.errors import SourceError
from counter_app.sources.magda_adapter import (
    MagdaAdapter,
    NotAnswered,
    ReadValues,
    answer_date,
)
from counter_app.sources.magda_soap import GEEF_SOCIAAL_STATUUT, MagdaResult, Outcome
from counter_app.sources.safe_xml import child, children, text
from rules.facts import Fact, Period, SourceId

# Statute asked for each catalogue fact when the wanted fact carries no key.
DEFAULT_STATUTES: dict[str, str] = {
    "living_wage": "LIVING_WAGES_PCSA_HELP",
    "vt_own": "BIM_BVT",
    "vt_family": "BIM_BVT_IN_FAMILY",
}
MAX_STATUTES_PER_QUESTION = 8  # XSD: SocialeStatuten/SociaalStatuut maxOccurs=8


def statute_of(wanted: WantedFact) -> str:
    return wanted.key or DEFAULT_STATUTES[wanted.name]


def _fill_question(
    insz: str, statutes: Sequence[str], day: dt.date
) -> Callable[[etree._Element], None]:
    def fill(vraag: etree._Element) -> None:
        criteria = etree.SubElement(etree.SubElement(vraag, "Inhoud"), "Criteria")
        etree.SubElement(criteria, "INSZ").text = insz
        statuten = etree.SubElement(criteria, "SocialeStatuten")
        for name in statutes:
            statuut = etree.SubElement(statuten, "SociaalStatuut")
            etree.SubElement(statuut, "Naam").text = name
            etree.SubElement(etree.SubElement(statuut, "Datum"), "Datum").text = day.isoformat()

    return fill


def read_statutes(
    result: MagdaResult, subject_insz: str, statutes: Sequence[str]
) -> dict[str, tuple[Period, ...] | NotAnswered]:
    """Periods per asked statute (code 1 without periods = open period; code 0 = none).

    A statute the answer does not mention, or with an unknown result code, stays
    unanswered for that statute only; 30001 means none of them applies.
    """
    if result.outcome is Outcome.NO_DATA:
        return {name: () for name in statutes}
    persoon = child(result.inhoud, "Persoon")
    if persoon is None:
        raise SourceError("answer without Persoon")
    if text(persoon, "INSZ") != subject_insz:
        raise SourceError("answer is about another person (INSZ mismatch)")
    answered = child(persoon, "SocialeStatuten")
    if answered is None:
        status = text(persoon, "Status", "Code") or "unspecified"
        raise SourceError(f"the source could not determine the statutes (status {status})")
    by_name: dict[str | None, list[etree._Element]] = {}
    for statuut in children(answered, "SociaalStatuut"):
        by_name.setdefault(text(statuut, "Naam"), []).append(statuut)
    values: dict[str, tuple[Period, ...] | NotAnswered] = {}
    for name in statutes:
        readings = {_read_statute(name, s) for s in by_name.get(name, [])}
        if not readings:
            values[name] = NotAnswered(f"no answer for statute {name}")
        elif len(readings) > 1:
            # The same statute answered twice, differently: neither can be trusted, and
            # taking one of them would decide on a guess. The clerk checks it instead.
            values[name] = NotAnswered(f"conflicting answers for statute {name}")
        else:
            values[name] = readings.pop()
    return values


def _read_statute(name: str, statuut: etree._Element) -> tuple[Period, ...] | NotAnswered:
    code = text(statuut, "Resultaat", "Code")
    if code == "0":
        return ()
    if code == "1":
        periods = tuple(
            Period(
                start=answer_date(text(p, "Begindatum")),
                end=answer_date(text(p, "Einddatum")),
            )
            for p in children(child(statuut, "Periodes"), "Periode")
        )
        return periods or (Period(start=None, end=None),)
    return NotAnswered(f"unknown result code for statute {name}")


class GeefSociaalStatuutAdapter(MagdaAdapter):
    """social_statutes facts: living_wage, vt_own, vt_family (periods)."""

    source = SourceId.SOCIAL_STATUTES
    service = GEEF_SOCIAAL_STATUUT
    fact_names = frozenset(DEFAULT_STATUTES)

    def provides(self, wanted: WantedFact) -> bool:
        """Any statute named by a rule file's key can be asked, not only the catalogue's three."""
        return wanted.key is not None or wanted.name in DEFAULT_STATUTES

    async def _fetch_mine(
        self, ctx: QueryContext, wanted: Sequence[WantedFact]
    ) -> tuple[list[Fact], list[SourceCall]]:
        statutes = list(dict.fromkeys(statute_of(w) for w in wanted))
        facts: list[Fact] = []
        calls: list[SourceCall] = []
        for i in range(0, len(statutes), MAX_STATUTES_PER_QUESTION):
            chunk = statutes[i : i + MAX_STATUTES_PER_QUESTION]
            chunk_wanted = [w for w in wanted if statute_of(w) in chunk]
            result = await self.exchange.ask(
                ctx, _fill_question(ctx.subject_insz, chunk, ctx.reference_date)
            )

            def read(r: MagdaResult, chunk: Sequence[str] = chunk) -> ReadValues:
                per_statute = read_statutes(r, ctx.subject_insz, chunk)
                return {
                    w.name: per_statute[statute_of(w)] for w in wanted if statute_of(w) in chunk
                }

            f, c = self.settle(result, chunk_wanted, read)
            facts.extend(f)
            calls.extend(c)
        return facts, calls
