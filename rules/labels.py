"""What the clerk reads instead of internal names: the sources' names in both languages.

Fact labels live in the rule files (``facts.<name>.label``); the sources are code
(``SourceId``), so their names are here. ``explain`` and the counter window show
these, never the enum values, which stay in the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from rules.facts import SourceId
from rules.fileformat import LocalText

SOURCE_LABELS: Mapping[SourceId, LocalText] = MappingProxyType(
    {
        SourceId.NATIONAL_REGISTER: LocalText(
            nl="Rijksregister (MAGDA)", en="National Register (MAGDA)"
        ),
        SourceId.SOCIAL_STATUTES: LocalText(
            nl="Sociale statuten (MAGDA)", en="Social statutes (MAGDA)"
        ),
        SourceId.DISABILITY_FILE: LocalText(
            nl="Dossier handicap (MAGDA)", en="Disability file (MAGDA)"
        ),
        SourceId.OCMW_LIST: LocalText(nl="OCMW-lijst", en="OCMW list"),
        SourceId.UITPAS: LocalText(nl="UiTPAS", en="UiTPAS"),
        SourceId.CLERK_DECLARATION: LocalText(
            nl="verklaring van de loketmedewerker", en="declaration by the clerk"
        ),
        SourceId.EID: LocalText(nl="eID-kaart", en="eID card"),
    }
)


def source_label(source: SourceId | str, lang: str = "nl") -> str:
    """The source's name for the clerk; an unknown value is shown as it is."""
    try:
        return SOURCE_LABELS[SourceId(source)].get(lang)
    except ValueError:
        return str(source)
