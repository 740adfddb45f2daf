"""The optimised engine gives exactly the advice the frozen reference engine gives.

``rules.engine.evaluate`` caches, per rule set and date, what the vector of condition
results alone decides (outcome, decisive conditions, reason, fixed trace lines, ...),
from a pattern's second sighting on; the first is answered directly. Both ways share
decisions kept per date. These tests compare it, field by field and trace line by
trace line, with ``reference_engine.evaluate`` (a frozen copy of the engine before that
change) on generated populations for every shipped rule set, a what-if variant, a
synthetic rule set that uses every kind of condition, several dates, traces on and
off, the golden cases, a tiny shape cache that keeps forgetting, each sighting of a
pattern (first, second, later) on its own, and hypothesis-drawn fact combinations.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import (
    Advice,
    Fact,
    Period,
    RuleSet,
    evaluate,
    load_rulebook,
    load_ruleset,
)
from rules import engine as engine_module
from rules import ruleset as ruleset_module
from rules.catalogue import FACT_CATALOGUE, FactType
from rules.facts import FactValue
from rules.golden import case_facts, golden_files, load_golden
from rules.resources import golden_dir

from . import reference_engine
from .conftest import write_rule

BOOK = load_rulebook()
DAY = dt.date(2026, 3, 15)
DATES = (
    DAY,
    dt.date(2024, 1, 1),
    dt.date(2024, 2, 29),
    dt.date(2025, 6, 30),
    dt.date(2025, 12, 31),
    dt.date(2026, 4, 30),
    dt.date(2027, 2, 28),
)
SHIPPED = [BOOK.get(i, DAY) for i in BOOK.ids()]

# a rule set that uses every kind of condition, parameters for days and dates, nested
# "not"s and a proposed end over nested conditions, capped by max_years
WIDE = textwrap.dedent(
    """\
    id: wide
    version: "1"
    valid_from: 2024-01-01
    title: {nl: Breed, en: Wide}
    purpose: {value: test}
    parameters:
      towns:
        description: {nl: gemeenten, en: municipalities}
        unit: nis_code_list
        reference: test
        values:
          - {from: 2024-01-01, value: ["44021"]}
          - {from: 2025-01-01, value: ["44021", "44019"]}
      family_counts:
        description: {nl: gezin telt, en: family counts}
        unit: yes_no
        reference: test
        values:
          - {from: 2024-01-01, value: true}
          - {from: 2025-07-01, value: false}
          - {from: 2026-01-01, value: true}
      grace:
        description: {nl: marge, en: grace}
        unit: days
        reference: test
        values:
          - {from: 2024-01-01, value: 14}
          - {from: 2026-01-01, value: 0}
      window:
        description: {nl: venster, en: window}
        unit: days
        reference: test
        values: [{from: 2024-01-01, value: 60}]
      scheme_end:
        description: {nl: einde regeling, en: end of the scheme}
        unit: date
        reference: test
        values: [{from: 2024-01-01, value: 2026-12-31}]
      min_postal:
        description: {nl: laagste postcode, en: lowest postal code}
        unit: text
        reference: test
        values: [{from: 2024-01-01, value: "9000"}]
      price:
        description: {nl: prijs, en: price}
        unit: EUR
        reference: test
        values:
          - {from: 2024-01-01, value: 1.5}
          - {from: 2026-01-01, value: 2}
      end_day:
        description: {nl: einddag, en: end day}
        unit: month_day
        reference: test
        values: [{from: 2024-01-01, value: "02-29"}]
      years:
        description: {nl: jaren, en: years}
        unit: years
        reference: test
        values: [{from: 2024-01-01, value: 1}]
    facts:
      deceased:
        type: boolean
        source: national_register
        label: {nl: overleden, en: deceased}
        ask_citizen: {nl: niets, en: nothing}
      domicile_nis:
        type: text
        source: national_register
        label: {nl: woonplaats, en: residence}
        ask_citizen: {nl: bewijs van woonst, en: proof of residence}
      domicile_postal_code:
        type: text
        source: national_register
        label: {nl: postcode, en: postal code}
        ask_citizen: {nl: adres, en: address}
      vt_own:
        type: periods
        source: social_statutes
        key: BIM_BVT
        label: {nl: verhoogde tegemoetkoming, en: increased allowance}
        ask_citizen: {nl: attest, en: certificate}
      vt_family:
        type: periods
        source: social_statutes
        key: BIM_BVT_IN_FAMILY
        label: {nl: VT gezin, en: family VT}
        ask_citizen: {nl: attest gezin, en: family certificate}
      living_wage:
        type: periods
        source: social_statutes
        key: LIVING_WAGES_PCSA_HELP
        label: {nl: leefloon, en: living wage}
        ask_citizen: {nl: attest OCMW, en: OCMW certificate}
      parking_card:
        type: periods
        source: disability_file
        key: PARKINGCARD
        label: {nl: parkeerkaart, en: parking card}
        ask_citizen: {nl: kaart, en: card}
      adapted_vehicle:
        type: boolean
        source: clerk_declaration
        label: {nl: aangepast voertuig, en: adapted vehicle}
        ask_citizen: {nl: inschrijving, en: registration}
    eligibility:
      id: root
      label: {nl: wortel, en: root}
      any:
        - id: main
          all:
            - id: alive
              not:
                compare: {fact: deceased, op: eq, value: true}
            - id: town
              label: {nl: woont hier, en: lives here}
              member: {fact: domicile_nis, param: towns}
            - id: status
              any:
                - id: own
                  label: {nl: VT, en: VT}
                  covers: {fact: vt_own}
                - id: own_soon
                  covers: {fact: vt_own, offset_days: 30}
                - id: family
                  all:
                    - param_true: family_counts
                    - id: family_period
                      covers: {fact: vt_family, offset_days: {param: grace}}
                - id: wage_lasts
                  not:
                    any:
                      - ends_within: {fact: living_wage, days: {param: window}}
                      - ends_within: {fact: living_wage, days: 10}
                - id: wage
                  covers: {fact: living_wage}
            - id: in_scheme
              reference_date: {op: le, param: scheme_end, offset_days: {param: grace}}
        - id: card
          all:
            - id: parking
              covers: {fact: parking_card}
            - compare: {fact: adapted_vehicle, op: ne, value: false}
            - member: {fact: domicile_postal_code, values: ["9000", "9050"]}
            - reference_date: {op: ge, value: 2024-06-01, offset_days: -7}
            - compare: {fact: domicile_postal_code, op: ge, param: min_postal}
            - not:
                not:
                  covers: {fact: vt_own, offset_days: -30}
    advice:
      eligible: {nl: "ja, {price} euro", en: "yes, {price} euro"}
      not_eligible: {nl: nee, en: "no"}
      check_manually: {nl: nakijken, en: check}
    prices:
      - name: card
        label: {nl: kaart, en: card}
        amount: {param: price}
    proposed_end:
      earliest_end_of: [main, status, family, own, card, parking]
      default_day_next_year: {param: end_day}
      max_years: {param: years}
    """
)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_ruleset(write_rule(tmp_path_factory.mktemp("wide"), WIDE, "wide.yaml"))


# --- the comparison ----------------------------------------------------------------------------


def assert_same(new: Advice, old: Advice) -> None:
    """Equal in every field, in the same order, and with the citizen's very own fact objects."""
    assert type(new) is type(old) is Advice
    assert list(new.__dict__) == list(old.__dict__)
    for name, value in old.__dict__.items():
        got = new.__dict__[name]
        assert type(got) is type(value), name
        assert got == value, name
    assert new.__pydantic_fields_set__ == old.__pydantic_fields_set__
    assert new.__pydantic_extra__ == old.__pydantic_extra__
    assert new.__pydantic_private__ == old.__pydantic_private__
    assert new == old
    assert len(new.trace) == len(old.trace)
    for got_line, line in zip(new.trace, old.trace, strict=True):
        assert type(got_line) is type(line)
        assert tuple(got_line) == tuple(line)
        assert all(a is b for a, b in zip(got_line.facts, line.facts, strict=True)), line.path
        assert type(got_line.parameters) is type(line.parameters)
    assert all(a is b for a, b in zip(new.decisive_facts, old.decisive_facts, strict=True))
    assert new.reference_date is old.reference_date
    for got_missing, missing in zip(new.missing, old.missing, strict=True):
        assert got_missing.__dict__ == missing.__dict__
        assert got_missing.__pydantic_fields_set__ == missing.__pydantic_fields_set__
    assert new.model_dump(mode="json") == old.model_dump(mode="json")
    assert new.model_dump_json() == old.model_dump_json()


def check(ruleset: RuleSet, facts: Mapping[str, Fact], on: dt.date) -> None:
    for trace in (True, False):
        old = reference_engine.evaluate(ruleset, facts, on, trace=trace)
        new = evaluate(ruleset, facts, on, trace=trace)
        assert_same(new, old)


# --- generated populations ---------------------------------------------------------------------


def _periods(rng: random.Random, on: dt.date) -> tuple[Period, ...]:
    out = []
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
        start = None if rng.random() < 0.15 else on + dt.timedelta(days=rng.randint(-900, 60))
        end = None if rng.random() < 0.3 else on + dt.timedelta(days=rng.randint(-90, 900))
        if start is not None and end is not None and end < start:
            start, end = end, start
        out.append(Period(start=start, end=end))
    return tuple(out)


def _value(rng: random.Random, fact_type: FactType, on: dt.date) -> FactValue:
    if rng.random() < 0.03:  # a source that answered with nothing, or with the wrong type
        return rng.choice([None, "x", 7, on, ()])
    if fact_type is FactType.PERIODS:
        return _periods(rng, on)
    if fact_type is FactType.BOOLEAN:
        return rng.random() < 0.2
    if fact_type is FactType.TEXT:
        return rng.choice(["44021", "44021", "44019", "11002", "9000", "9050", "8999", ""])
    return rng.randint(0, 10)


def citizen(rng: random.Random, ruleset: RuleSet, on: dt.date) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    down = {s for s in {spec.source for spec in ruleset.facts.values()} if rng.random() < 0.04}
    for name, spec in ruleset.facts.items():
        if spec.source in down:
            facts[name] = Fact.error(name, spec.source, rng.choice(["timeout", "HTTP 500"]))
            continue
        roll = rng.random()
        if roll < 0.82:
            value = _value(rng, FACT_CATALOGUE[name].type, on)
            facts[name] = Fact.known(name, value, spec.source, reference=f"REF-{rng.random()}")
        elif roll < 0.88:
            facts[name] = Fact.unknown(name, spec.source, rng.choice(["", "not declared yet"]))
        elif roll < 0.94:
            facts[name] = Fact.error(name, spec.source, "source did not answer")
        # else: absent
    return facts


def _rulesets(wide: RuleSet) -> Iterator[RuleSet]:
    yield from SHIPPED
    yield BOOK.get("uitpas-kansentarief", DAY).with_parameter("vt_in_family_counts", False)
    yield wide


def test_generated_populations_give_the_same_advice(wide: RuleSet) -> None:
    rng = random.Random(20260315)
    for ruleset in _rulesets(wide):
        for on in DATES:
            for _ in range(300 if on == DAY else 100):
                check(ruleset, citizen(rng, ruleset, on), on)


def _benchmark_module() -> ModuleType:
    """benchmarks/bench_rules.py itself (not a package: loaded from its file)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_rules.py"
    spec = importlib.util.spec_from_file_location("bench_rules", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_population_gives_the_same_advice() -> None:
    """The benchmark's own citizens (its generator, its seed), on its rule set and date."""
    bench = _benchmark_module()
    ruleset = BOOK.get("uitpas-kansentarief", bench.DAY)
    for facts in bench.population(1000):
        check(ruleset, facts, bench.DAY)


def test_the_same_citizens_in_another_order_and_with_a_tiny_shape_cache(
    wide: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached shapes come and go (the cache forgets when full); advices stay the same.

    The per-date decisions fill up too: past their limit they are worked out each time.
    """
    monkeypatch.setattr(ruleset_module, "_SHAPE_LIMIT", 3)
    monkeypatch.setattr(engine_module, "_DECISION_LIMIT", 2)
    rng = random.Random(7)
    for base in [*SHIPPED, wide]:
        ruleset = RuleSet(base.definition, file=base.file)  # fresh: no views built yet
        people = [citizen(rng, ruleset, DAY) for _ in range(150)]
        for facts in [*people, *reversed(people), *rng.sample(people, len(people))]:
            check(ruleset, facts, DAY)
        assert 0 < len(ruleset.shapes) <= 3


@pytest.mark.parametrize("trace", [True, False])
def test_each_sighting_of_a_pattern_gives_the_same_advice(wide: RuleSet, trace: bool) -> None:
    """First sighting (answered directly), second (builds the shape), later (reuses it).

    ``check`` evaluates with the trace first, so in the other tests a new pattern is
    always met with the trace on; here every sighting is compared for both settings,
    and each is checked to have taken its way. Every other citizen starts without the
    per-date decisions too, so that the direct way also works them out.
    """
    rng = random.Random(1107)
    for ruleset in _rulesets(wide):
        for on in (DAY, dt.date(2024, 2, 29)):
            for number in range(60):
                facts = citizen(rng, ruleset, on)
                old = reference_engine.evaluate(ruleset, facts, on, trace=trace)
                ruleset.shapes.clear()
                if number % 2:
                    ruleset.date_views.clear()
                for sighting in range(3):
                    assert_same(evaluate(ruleset, facts, on, trace=trace), old)
                    (kept,) = ruleset.shapes.values()
                    assert isinstance(kept, engine_module._Shape) == (sighting > 0)


def test_the_golden_cases_give_the_same_advice() -> None:
    count = 0
    for file in golden_files(golden_dir()):
        golden = load_golden(file)
        for index, case in enumerate(golden.cases):
            on = case.date or golden.defaults.date
            assert on is not None
            facts, ruleset = case_facts(golden, case, index, Path(file), BOOK, on)
            check(ruleset, facts, on)
            count += 1
    assert count > 10


# --- hypothesis --------------------------------------------------------------------------------

days = st.integers(min_value=-800, max_value=800).map(lambda n: DAY + dt.timedelta(days=n))
periods = st.builds(Period, start=st.none() | days, end=st.none() | days).filter(
    lambda p: p.start is None or p.end is None or p.start <= p.end
)


def _strategy(fact_type: FactType) -> st.SearchStrategy[FactValue]:
    if fact_type is FactType.PERIODS:
        return st.lists(periods, max_size=3).map(tuple) | st.none()
    if fact_type is FactType.BOOLEAN:
        return st.booleans() | st.none()
    return st.sampled_from(["44021", "11002", "44019", "9000", "9050", None, 3])


@st.composite
def cases(draw: st.DrawFn) -> tuple[RuleSet, dict[str, Fact], dt.date]:
    ruleset = draw(st.sampled_from(SHIPPED))
    on = draw(st.sampled_from(DATES))
    facts: dict[str, Fact] = {}
    for name, spec in ruleset.facts.items():
        kind = draw(st.sampled_from(["known", "known", "known", "unknown", "error", "absent"]))
        if kind == "known":
            value = draw(_strategy(FACT_CATALOGUE[name].type))
            facts[name] = Fact.known(name, value, spec.source)
        elif kind == "unknown":
            facts[name] = Fact.unknown(name, spec.source, draw(st.sampled_from(["", "not yet"])))
        elif kind == "error":
            facts[name] = Fact.error(name, spec.source, "source did not answer")
    return ruleset, facts, on


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_any_fact_combination_gives_the_same_advice(
    case: tuple[RuleSet, dict[str, Fact], dt.date],
) -> None:
    ruleset, facts, on = case
    check(ruleset, facts, on)
