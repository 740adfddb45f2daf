"""The check service: from an INSZ to an explained advice per right (no Qt, no card)."""

from counter_app.check.models import (
    CheckOutcome,
    Decision,
    DecisionKind,
    ProgressState,
    RightAdvice,
    SaleResult,
    SourceProgress,
    Subject,
    SubjectSummary,
    Timings,
    UitpasInfo,
)
from counter_app.check.service import CheckService

__all__ = [
    "CheckOutcome",
    "CheckService",
    "Decision",
    "DecisionKind",
    "ProgressState",
    "RightAdvice",
    "SaleResult",
    "SourceProgress",
    "Subject",
    "SubjectSummary",
    "Timings",
    "UitpasInfo",
]
