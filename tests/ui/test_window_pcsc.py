"""The window on a real pcscd with the vpcd virtual reader (the clerk's path, end to end).

Card events come from ``cardreader.monitor.CardMonitor``'s own thread through the
queued bridge; the card is read with pyscard through pcscd. Skips when pcscd
cannot run here (fails instead under LOKET_REQUIRE_PCSC=1, as in CI).
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from counter_app.config import Settings
from counter_app.ui.embedded import build_backend
from counter_app.ui.flow import FlowState
from counter_app.ui.widgets.status import ReaderState
from tests.pcsc import conftest as pcsc_stack
from tests.pcsc.conftest import READER_0, ServeCard

from .conftest import WindowFactory, wait_state
from .helpers import all_texts

pytestmark = pytest.mark.pcsc

# The real pcscd + vpcd fixtures of tests/pcsc (shared, not copied).
pcscd = pcsc_stack.pcscd
serve_card = pcsc_stack.serve_card


def test_card_in_a_pcsc_reader_gets_advice_and_removal_clears(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings, serve_card: ServeCard
) -> None:
    backend = build_backend(settings, reader="pcsc")
    window = make_window(backend=backend, clear_delay_ms=0)
    assert READER_0 in window._readers
    server = serve_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE, timeout=20000)
    assert window.subject is not None and window.subject.reading is not None
    assert window.subject.reading.reader == READER_0
    surname = window.subject.reading.identity.surname
    server.stop()
    qtbot.waitUntil(lambda: window.subject is None, timeout=10000)
    assert window.reader_status.state is ReaderState.EMPTY
    assert surname not in " ".join(all_texts(window))


def test_not_an_eid_in_a_pcsc_reader(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings, serve_card: ServeCard
) -> None:
    window = make_window(backend=build_backend(settings, reader="pcsc"))
    serve_card("not-an-eid")
    wait_state(qtbot, window, FlowState.CARD_ERROR, timeout=20000)
    assert window.reader_status.state is ReaderState.NOT_EID
