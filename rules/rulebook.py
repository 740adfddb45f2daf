"""All rule sets known to the counter, and which version is in force when.

Several versions of the same rule set may sit side by side (a tariff change
from a date); the reference date picks exactly one. Overlapping versions would
make that choice ambiguous, so the loader refuses them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from rules.errors import UnknownRuleSetError
from rules.facts import SourceId
from rules.ruleset import FactSpec, RuleSet


class RuleBook:
    def __init__(self, rulesets: Iterable[RuleSet]) -> None:
        self._rulesets = sorted(rulesets, key=lambda r: (r.id, r.valid_from))

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(self._rulesets)

    def __len__(self) -> int:
        return len(self._rulesets)

    def ids(self) -> list[str]:
        return sorted({r.id for r in self._rulesets})

    def in_force(self, on: dt.date) -> list[RuleSet]:
        return [r for r in self._rulesets if r.in_force(on)]

    def get(self, ruleset_id: str, on: dt.date) -> RuleSet:
        for ruleset in self._rulesets:
            if ruleset.id == ruleset_id and ruleset.in_force(on):
                return ruleset
        known = ", ".join(self.ids()) or "none"
        raise UnknownRuleSetError(
            f"no rule set {ruleset_id!r} in force on {on.isoformat()} (known: {known})"
        )

    def wanted_facts(self, on: dt.date) -> dict[SourceId, list[FactSpec]]:
        """Per source, the facts the rule sets in force need — the source layer asks only these."""
        wanted: dict[SourceId, dict[str, FactSpec]] = {}
        for ruleset in self.in_force(on):
            needed = ruleset.facts_needed(on)
            for spec in ruleset.facts.values():
                if spec.name in needed:
                    wanted.setdefault(spec.source, {}).setdefault(spec.name, spec)
        return {source: list(specs.values()) for source, specs in wanted.items()}
