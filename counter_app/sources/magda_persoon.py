"""GeefPersoon 02.02: where the citizen has their main residence, and whether they died.

Only the national register (Bron RR) is asked and no KSZ extras: the rules need the
municipality (NIS code), the postal code and the death indicator, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lxml import etree

from counter_app.sources.base import QueryContext, SourceCall, WantedFact
from counter_app.sources.errors import SourceError
from counter_app.sources.magda_adapter import MagdaAdapter, NotAnswered, ReadValues
from counter_app.sources.magda_soap import GEEF_PERSOON, MagdaResult, Outcome
from counter_app.sources.safe_xml import child, text
from rules.facts import Fact, SourceId

DOMICILE_NIS = "domicile_nis"
DOMICILE_POSTAL_CODE = "domicile_postal_code"
DECEASED = "deceased"


def _fill_question(insz: str) -> Callable[[etree._Element], None]:
    def fill(vraag: etree._Element) -> None:
        inhoud = etree.SubElement(vraag, "Inhoud")
        criteria = etree.SubElement(inhoud, "Criteria")
        etree.SubElement(criteria, "INSZ").text = insz
        etree.SubElement(inhoud, "Bron").text = "RR"
        etree.SubElement(inhoud, "Taal").text = "nl"

    return fill


def read_person(result: MagdaResult, subject_insz: str) -> ReadValues:
    """Domicile and death from ``Inhoud/Persoon``.

    No main residence in Belgium (e.g. only an address abroad) is an answer: the
    NIS code and postal code are then the empty string. "No data" (30001) for a
    person is not: the register cannot tell where they live, so the facts fail.
    """
    if result.outcome is Outcome.NO_DATA:
        raise SourceError("the national register has no data for this person")
    persoon = child(result.inhoud, "Persoon")
    if persoon is None:
        raise SourceError("answer without Persoon")
    if text(persoon, "INSZ") != subject_insz:
        raise SourceError("answer is about another person (INSZ mismatch)")
    residence = child(persoon, "Adressen", "Hoofdverblijfplaats")
    return {
        DOMICILE_NIS: _residence_part(residence, "NISCodeGemeente", "NIS code"),
        DOMICILE_POSTAL_CODE: _residence_part(residence, "Postcode", "postal code"),
        DECEASED: child(persoon, "Overlijden") is not None,
    }


def _residence_part(residence: etree._Element | None, tag: str, what: str) -> str | NotAnswered:
    """One part of the main residence; "" when there is none in Belgium.

    A residence whose part is left out (the XSD makes both optional) is not "lives
    nowhere": read that way, a Ghent resident would get a definite "no right". The
    fact stays open, so the advice is "check manually".
    """
    if residence is None:
        return ""
    value = text(residence, tag)
    if not value:
        return NotAnswered(f"main residence without {what}")
    return value


class GeefPersoonAdapter(MagdaAdapter):
    """national_register facts: domicile_nis, domicile_postal_code, deceased."""

    source = SourceId.NATIONAL_REGISTER
    service = GEEF_PERSOON
    fact_names = frozenset({DOMICILE_NIS, DOMICILE_POSTAL_CODE, DECEASED})

    async def _fetch_mine(
        self, ctx: QueryContext, wanted: Sequence[WantedFact]
    ) -> tuple[list[Fact], list[SourceCall]]:
        result = await self.exchange.ask(ctx, _fill_question(ctx.subject_insz))
        return self.settle(result, wanted, lambda r: read_person(r, ctx.subject_insz))
