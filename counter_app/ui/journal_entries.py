"""The window's decisions in the daily log's terms (no Qt).

The mapping from a check and a decision to journal entries lives in
``counter_app.journal.records`` (shared with ``counter-app check --decide``); this
module only translates the window's own ``DecisionKind``/``DecisionRequest``.
"""

from __future__ import annotations

from collections.abc import Iterable

from counter_app.check.models import CheckOutcome
from counter_app.check.models import Decision as ServiceDecision
from counter_app.check.models import DecisionKind as ServiceKind
from counter_app.config import Settings
from counter_app.journal import records
from counter_app.journal.models import DecisionAction, JournalEntry
from counter_app.sources.base import SourceCall
from counter_app.ui.ports import DecisionKind, DecisionRequest

consultation_entry = records.consultation_entry

_ACTIONS = {
    DecisionKind.SELL_OPPORTUNITY: DecisionAction.OPPORTUNITY_TARIFF_SALE,
    DecisionKind.SELL_NORMAL: DecisionAction.NORMAL_SALE,
    DecisionKind.REGISTER_LEZ: DecisionAction.LEZ_REGISTERED,
    DecisionKind.GRANT_LEZ_REDUCTION: DecisionAction.LEZ_REDUCED_TARIFF,
    DecisionKind.NO_ACTION: DecisionAction.NO_ACTION,
}


def decision_entry(
    settings: Settings,
    outcome: CheckOutcome,
    request: DecisionRequest,
    decision: ServiceDecision,
    *,
    requests: Iterable[SourceCall] = (),
) -> JournalEntry:
    overridden = decision.kind is ServiceKind.OVERRIDE
    return records.decision_entry(
        settings,
        outcome,
        action=_ACTIONS[request.kind],
        right=request.right_id,
        overridden=overridden,
        reason=request.override_reason,
        end_date=decision.end_date,
        decided_at=decision.decided_at,
        requests=requests,
    )


__all__ = ["consultation_entry", "decision_entry"]
