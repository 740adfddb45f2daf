"""GeefDossierHandicap 03.00: does the citizen hold a disability parking card?

Only the ``socialCards`` part of the DGPH file is asked (no recognitions, no
rights, no amounts): the LEZ rule needs the validity of a PARKINGCARD, nothing
about the handicap itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from lxml import etree

from counter_app.sources.base import QueryContext, SourceCall, WantedFact
from counter_app.sources.errors import SourceError
from counter_app.sources.magda_adapter import MagdaAdapter, ReadValues, answer_date
from counter_app.sources.magda_soap import GEEF_DOSSIER_HANDICAP, MagdaResult, Outcome
from counter_app.sources.safe_xml import child, children, text
from rules.facts import Fact, Period, SourceId

PARKING_CARD = "parking_card"
DEFAULT_CARD_CATEGORY = "PARKINGCARD"
CARD_CATEGORIES = frozenset({"PARKINGCARD", "REDUCTIONCARD"})
_NO_DATA = "NO_DATA_FOUND"
_DATA = "DATA_FOUND"


def _fill_question(insz: str, day: dt.date) -> Callable[[etree._Element], None]:
    def fill(vraag: etree._Element) -> None:
        criteria = etree.SubElement(
            etree.SubElement(vraag, "Criteria"), "ConsultFilesByDateCriteria"
        )
        etree.SubElement(criteria, "ssin").text = insz
        sources = etree.SubElement(criteria, "handicapAuthenticSources")
        etree.SubElement(sources, "DGPH").text = "true"
        etree.SubElement(criteria, "referenceDate").text = day.isoformat()
        parts = etree.SubElement(criteria, "parts")
        etree.SubElement(parts, "socialCards").text = "true"

    return fill


def read_cards(result: MagdaResult, subject_insz: str, category: str) -> tuple[Period, ...]:
    """deliveryDate..endDate of every social card of ``category`` in the DGPH file."""
    if result.outcome is Outcome.NO_DATA:
        return ()
    response = child(result.inhoud, "ConsultFilesByDateResponse")
    if response is None:
        raise SourceError("answer without ConsultFilesByDateResponse")
    overall = text(response, "status", "value")
    # ``ssin`` is optional in the MAGDA answer type (and absent from real answers such
    # as MAGDA-Mock's 88681575651), so it cannot be required; an answer without it is
    # bound to this citizen by the echoed Referte that ``interpret_answer`` demands.
    ssin = text(response, "ssin")
    if ssin is not None and ssin != subject_insz:
        raise SourceError("answer is about another person (INSZ mismatch)")
    dgph = child(response, "results", "dgphResult")
    if dgph is None:
        if overall == _NO_DATA:
            return ()
        raise SourceError(f"no DGPH result in the answer (status {overall or 'unspecified'})")
    dgph_status = text(dgph, "status", "value")
    if dgph_status == _NO_DATA:
        return ()
    if dgph_status != _DATA:
        raise SourceError(f"the DGPH could not answer (status {dgph_status or 'unspecified'})")
    periods: list[Period] = []
    for card in children(child(dgph, "file", "socialCards"), "socialCard"):
        if text(card, "cardCategory") != category:
            continue
        delivered = answer_date(text(card, "deliveryDate"))
        periods.append(Period(start=delivered, end=answer_date(text(card, "endDate"))))
    return tuple(periods)


class GeefDossierHandicapAdapter(MagdaAdapter):
    """disability_file fact: parking_card (periods of valid PARKINGCARD social cards)."""

    source = SourceId.DISABILITY_FILE
    service = GEEF_DOSSIER_HANDICAP
    fact_names = frozenset({PARKING_CARD})

    def provides(self, wanted: WantedFact) -> bool:
        return wanted.name in self.fact_names or wanted.key in CARD_CATEGORIES

    async def _fetch_mine(
        self, ctx: QueryContext, wanted: Sequence[WantedFact]
    ) -> tuple[list[Fact], list[SourceCall]]:
        result = await self.exchange.ask(ctx, _fill_question(ctx.subject_insz, ctx.reference_date))

        def read(r: MagdaResult) -> ReadValues:
            return {
                w.name: read_cards(r, ctx.subject_insz, w.key or DEFAULT_CARD_CATEGORY)
                for w in wanted
            }

        return self.settle(result, wanted, read)
