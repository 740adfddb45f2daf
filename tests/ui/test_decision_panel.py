"""The decision panel on its own: what it pre-selects (Enter confirms the selection)."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from counter_app.ui.ports import DecisionKind, Outcome, RightAdvice
from counter_app.ui.widgets.decision import DecisionPanel

TODAY = dt.date(2026, 11, 29)


def _advice(right: str, outcome: Outcome, *decisions: DecisionKind) -> RightAdvice:
    text = {"nl": right, "en": right}
    return RightAdvice(
        right_id=right, title=text, outcome=outcome, reason=text, explanation=text,
        decisions=decisions,
    )  # fmt: skip


UITPAS_NO = _advice(
    "uitpas-kansentarief", Outcome.NOT_ELIGIBLE,
    DecisionKind.SELL_OPPORTUNITY, DecisionKind.SELL_NORMAL, DecisionKind.NO_ACTION,
)  # fmt: skip
LEZ_YES = _advice(
    "lez-vrijstelling-handicap", Outcome.ELIGIBLE, DecisionKind.REGISTER_LEZ, DecisionKind.NO_ACTION
)


def test_a_right_to_grant_is_pre_selected_before_a_sale_at_the_normal_price(
    qtbot: QtBot,
) -> None:
    """UiTPAS says "no right", the LEZ exemption "right": the LEZ registration is the
    suggestion, not a UiTPAS sale at the normal price that follows the first advice."""
    panel = DecisionPanel()
    qtbot.addWidget(panel)
    panel.show_advices((UITPAS_NO, LEZ_YES), TODAY)
    chosen = panel.current()
    assert chosen is not None
    assert (chosen[0].right_id, chosen[1]) == (
        "lez-vrijstelling-handicap",
        DecisionKind.REGISTER_LEZ,
    )


def test_without_a_right_to_grant_the_advice_s_own_choice_is_pre_selected(qtbot: QtBot) -> None:
    panel = DecisionPanel()
    qtbot.addWidget(panel)
    panel.show_advices((UITPAS_NO,), TODAY)
    chosen = panel.current()
    assert chosen is not None and chosen[1] is DecisionKind.SELL_NORMAL
