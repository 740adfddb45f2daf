"""The fact catalogue: the names that rule files and source adapters share.

A rule file may only declare facts listed here, with the same type and source,
because a fact no adapter can supply would silently stay unknown forever. Adding
a fact is a deliberate change on both sides (rules and sources), hence code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from rules.facts import SourceId


class FactType(StrEnum):
    TEXT = "text"
    BOOLEAN = "boolean"
    NUMBER = "number"
    DATE = "date"
    PERIODS = "periods"  # tuple[Period, ...]; () = known, does not apply


class CatalogueEntry(NamedTuple):
    type: FactType
    source: SourceId
    key: str | None


FACT_CATALOGUE: dict[str, CatalogueEntry] = {
    "domicile_nis": CatalogueEntry(FactType.TEXT, SourceId.NATIONAL_REGISTER, None),
    "domicile_postal_code": CatalogueEntry(FactType.TEXT, SourceId.NATIONAL_REGISTER, None),
    "deceased": CatalogueEntry(FactType.BOOLEAN, SourceId.NATIONAL_REGISTER, None),
    "living_wage": CatalogueEntry(
        FactType.PERIODS, SourceId.SOCIAL_STATUTES, "LIVING_WAGES_PCSA_HELP"
    ),
    "vt_own": CatalogueEntry(FactType.PERIODS, SourceId.SOCIAL_STATUTES, "BIM_BVT"),
    "vt_family": CatalogueEntry(FactType.PERIODS, SourceId.SOCIAL_STATUTES, "BIM_BVT_IN_FAMILY"),
    "parking_card": CatalogueEntry(FactType.PERIODS, SourceId.DISABILITY_FILE, "PARKINGCARD"),
    "ocmw_budget_management": CatalogueEntry(FactType.PERIODS, SourceId.OCMW_LIST, "budgetbeheer"),
    "ocmw_budget_guidance": CatalogueEntry(
        FactType.PERIODS, SourceId.OCMW_LIST, "budgetbegeleiding"
    ),
    "ocmw_debt_mediation": CatalogueEntry(
        FactType.PERIODS, SourceId.OCMW_LIST, "schuldbemiddeling"
    ),
    "adapted_vehicle": CatalogueEntry(FactType.BOOLEAN, SourceId.CLERK_DECLARATION, None),
    "wheelchair_lift": CatalogueEntry(FactType.BOOLEAN, SourceId.CLERK_DECLARATION, None),
    "adapted_public_transport": CatalogueEntry(FactType.BOOLEAN, SourceId.CLERK_DECLARATION, None),
}
