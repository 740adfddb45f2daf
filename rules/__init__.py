"""Loket's rule engine: dated, three-valued, explained.

Rule sets are data (``resources/rules/*.yaml``); this package loads and checks
them, evaluates them against facts from the authentic sources and explains the
result. It does no I/O beyond reading rule files and imports no Qt.
"""

from __future__ import annotations

from rules.advice import Advice, ConditionRef, MissingFact, Outcome, PriceLine, TraceLine, Truth
from rules.catalogue import FACT_CATALOGUE, FactType
from rules.engine import evaluate
from rules.errors import RuleError, RuleFileError, UnknownRuleSetError
from rules.facts import Fact, FactStatus, Period, SourceId
from rules.fileformat import LocalText
from rules.labels import SOURCE_LABELS, source_label
from rules.loader import load_rulebook, load_ruleset
from rules.rulebook import RuleBook
from rules.ruleset import FactSpec, RuleSet

__all__ = [
    "FACT_CATALOGUE",
    "SOURCE_LABELS",
    "Advice",
    "ConditionRef",
    "Fact",
    "FactSpec",
    "FactStatus",
    "FactType",
    "LocalText",
    "MissingFact",
    "Outcome",
    "Period",
    "PriceLine",
    "RuleBook",
    "RuleError",
    "RuleFileError",
    "RuleSet",
    "SourceId",
    "TraceLine",
    "Truth",
    "UnknownRuleSetError",
    "evaluate",
    "load_rulebook",
    "load_ruleset",
    "source_label",
]
