"""Which requests a check makes: per source and per purpose, only the facts the rules need.

Why per purpose: MAGDA's authorisation is per right. A request made for the UiTPAS
opportunity tariff must carry that right's Hoedanigheid, and a fact needed by two
rights with different purposes is asked twice, once under each, so that every
consultation in MAGDA's audit register is covered by the right it served. Rights
sharing a purpose share the requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from counter_app.sources.base import WantedFact
from rules.facts import SourceId
from rules.ruleset import RuleSet

# Facts nobody is asked over the network: the clerk enters them, or they come from the card.
LOCAL_SOURCES = frozenset({SourceId.CLERK_DECLARATION, SourceId.EID})


@dataclass(frozen=True)
class PlannedRequest:
    source: SourceId
    purpose: str
    wanted: tuple[WantedFact, ...]
    ruleset_ids: tuple[str, ...]


def purpose_of(ruleset: RuleSet, overrides: Mapping[str, str]) -> str:
    """The configured Hoedanigheid for this right, else the one in its rule file."""
    return overrides.get(ruleset.id, ruleset.purpose)


def plan_requests(
    rulesets: Iterable[RuleSet],
    purpose_overrides: Mapping[str, str],
    on: dt.date | None = None,
) -> list[PlannedRequest]:
    """One request per (source, purpose), asking the union of what those rule sets need.

    With ``on``, only the facts that can still change an outcome on that day
    (``RuleSet.facts_needed``): a fact a parameter or the date makes irrelevant is
    not asked, under any purpose. Without it, every fact the rule sets declare.
    """
    wanted: dict[tuple[SourceId, str], dict[str, WantedFact]] = {}
    users: dict[tuple[SourceId, str], list[str]] = {}
    for ruleset in rulesets:
        purpose = purpose_of(ruleset, purpose_overrides)
        needed = ruleset.facts_needed(on) if on is not None else None
        for spec in ruleset.facts.values():
            if spec.source in LOCAL_SOURCES or (needed is not None and spec.name not in needed):
                continue
            group = (spec.source, purpose)
            wanted.setdefault(group, {})[spec.name] = WantedFact(name=spec.name, key=spec.key)
            if ruleset.id not in users.setdefault(group, []):
                users[group].append(ruleset.id)
    return [
        PlannedRequest(
            source=source,
            purpose=purpose,
            wanted=tuple(sorted(facts.values(), key=lambda w: w.name)),
            ruleset_ids=tuple(users[(source, purpose)]),
        )
        for (source, purpose), facts in sorted(wanted.items())
    ]
