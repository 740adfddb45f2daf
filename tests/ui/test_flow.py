"""The flow state machine: stale answers are refused, forbidden transitions raise."""

from __future__ import annotations

import pytest

from counter_app.ui.flow import Flow, FlowError, FlowState


def test_card_flow_reaches_confirmation() -> None:
    flow = Flow()
    session = flow.new_session(FlowState.READING)
    for state in (FlowState.CHECKING, FlowState.ADVICE, FlowState.CONFIRMING, FlowState.CONFIRMED):
        flow.go(state)
    assert flow.state is FlowState.CONFIRMED
    assert flow.accepts(session, FlowState.CONFIRMED)


def test_answer_for_a_removed_card_is_refused() -> None:
    flow = Flow()
    session = flow.new_session(FlowState.READING)
    flow.go(FlowState.CHECKING)
    flow.end_session()
    assert not flow.accepts(session)
    assert not flow.accepts(session, FlowState.CHECKING)
    newer = flow.new_session(FlowState.READING)
    assert newer != session and flow.accepts(newer, FlowState.READING)
    assert not flow.accepts(newer, FlowState.CHECKING)


def test_advice_cannot_skip_the_check() -> None:
    flow = Flow()
    flow.new_session(FlowState.READING)
    with pytest.raises(FlowError):
        flow.go(FlowState.ADVICE)
    flow.go(FlowState.CARD_WARNING)
    with pytest.raises(FlowError):
        flow.go(FlowState.CONFIRMING)


def test_busy_states() -> None:
    flow = Flow()
    assert not flow.busy
    flow.new_session(FlowState.READING)
    assert flow.busy
    flow.go(FlowState.CARD_ERROR)
    assert not flow.busy
