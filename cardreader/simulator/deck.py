"""The deck of simulated cards: every profile in ``resources/cards/``, by name.

The application's demo mode, the CLI (``read --simulated NAME``) and the tests
pick cards from here rather than from file paths, so adding a card to the deck
is adding one YAML file.
"""

from __future__ import annotations

from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.profile import CardProfile, load_profile, profile_names


def deck() -> dict[str, CardProfile]:
    """All profiles of the deck, by name (validated; a bad file raises ``CardDataError``)."""
    return {name: load_profile(name) for name in profile_names()}


def magda_persona_names() -> list[str]:
    """Profiles whose national number is a MAGDA simulator persona (end-to-end checks)."""
    return [name for name, profile in deck().items() if profile.magda_persona]


def eid_names() -> list[str]:
    """Profiles that are eIDs (everything but the not-an-eID card)."""
    return [name for name, profile in deck().items() if profile.kind == "eid"]


def new_card(name: str, *, faults: FaultPlan | None = None) -> VirtualBelpicCard:
    """A fresh card instance of profile ``name`` (own selection state and fault counters)."""
    return VirtualBelpicCard(load_profile(name), faults=faults)
