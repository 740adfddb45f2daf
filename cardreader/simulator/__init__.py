"""A simulated Belgian eID: BELPIC applet at APDU level, card deck, test PKI and readers.

Used wherever no real card is at hand: the embedded demo (``inprocess``), the
real PC/SC stack without hardware (``vpcd``), and tests. Card files are built
from declarative profiles and signed by a TEST-only PKI that production mode
refuses to trust.
"""

from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.deck import deck, new_card
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.inprocess import SimulatedReader, SimulatedReaderBank
from cardreader.simulator.profile import CardProfile, load_profile, profile_names

__all__ = [
    "CardProfile",
    "FaultPlan",
    "SimulatedReader",
    "SimulatedReaderBank",
    "VirtualBelpicCard",
    "deck",
    "load_profile",
    "new_card",
    "profile_names",
]
