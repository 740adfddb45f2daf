"""Benchmark of the rule engine: load time of the rule files and evaluations per second.

Targets (issue): rule files load in ≤ 50 ms; the UiTPAS rule set evaluates at
≥ 50,000 advices per second on one core with traces on. Figures are medians over
several repeats, on a varied population of generated citizens (eligible, not
eligible and "check manually" mixed), each with its own fact objects. Evaluation
rates use the thread's CPU time, so that other processes on a shared machine do
not distort them; load time is wall-clock time.

Run: .venv/bin/python benchmarks/bench_rules.py [--repeats 7] [--citizens 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import time
from collections import Counter

from rules import Fact, Outcome, Period, SourceId, evaluate, load_rulebook

DAY = dt.date(2026, 3, 15)
NR, SS, OCMW = SourceId.NATIONAL_REGISTER, SourceId.SOCIAL_STATUTES, SourceId.OCMW_LIST
STATUTES = ("living_wage", "vt_own", "vt_family")
OCMW_FACTS = ("ocmw_budget_management", "ocmw_budget_guidance", "ocmw_debt_mediation")


def _periods(rng: random.Random) -> tuple[Period, ...]:
    roll = rng.random()
    if roll < 0.7:
        return ()
    start = DAY - dt.timedelta(days=rng.randint(-30, 900))
    end = None if rng.random() < 0.3 else DAY + dt.timedelta(days=rng.randint(-60, 700))
    if end is not None and end < start:
        start, end = end, start
    return (Period(start=start, end=end),)


def population(size: int, seed: int = 2026) -> list[dict[str, Fact]]:
    """Citizens with their own fact objects; about 5 % of answers are source errors."""
    rng = random.Random(seed)
    citizens = []
    for _ in range(size):
        facts = {
            "deceased": Fact.known("deceased", rng.random() < 0.01, NR),
            "domicile_nis": Fact.known("domicile_nis", rng.choice(["44021"] * 8 + ["11002"]), NR),
        }
        statutes_down = rng.random() < 0.05
        for name in STATUTES:
            facts[name] = (
                Fact.error(name, SS, "timeout")
                if statutes_down
                else Fact.known(name, _periods(rng), SS)
            )
        for name in OCMW_FACTS:
            facts[name] = Fact.known(name, _periods(rng), OCMW)
        citizens.append(facts)
    return citizens


def bench_load(repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_rulebook()
        times.append((time.perf_counter() - start) * 1000)  # wall time, file reads included
    return times


def bench_eval(
    citizens: list[dict[str, Fact]],
    repeats: int,
    *,
    trace: bool,
    cold: bool = False,
    coldest: bool = False,
) -> list[float]:
    """Evaluations per CPU second; ``cold`` forgets every condition-result pattern first.

    The engine builds what a pattern of condition results decides (outcome, reasons,
    fixed trace lines) once per rule set, date and pattern; ``cold`` measures the worst
    case, a population where no two citizens share a pattern. Patterns still share
    decisions (verdict + deciding conditions, far fewer than patterns); ``coldest``
    forgets those too, so that nothing but the date's parameters is reused.
    """
    ruleset = load_rulebook().get("uitpas-kansentarief", DAY)
    for facts in citizens[:100]:  # warm the per-date caches
        evaluate(ruleset, facts, DAY, trace=trace)
    rates = []
    for _ in range(repeats):
        shapes = ruleset.shapes
        gc.collect()  # every repeat starts from the same heap
        start = time.thread_time()  # CPU time of this thread: other processes do not count
        if coldest:
            decisions = ruleset.date_views[DAY].decisions
            for facts in citizens:
                shapes.clear()
                decisions.clear()
                evaluate(ruleset, facts, DAY, trace=trace)
        elif cold:
            for facts in citizens:
                shapes.clear()
                evaluate(ruleset, facts, DAY, trace=trace)
        else:
            for facts in citizens:
                evaluate(ruleset, facts, DAY, trace=trace)
        rates.append(len(citizens) / (time.thread_time() - start))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--citizens", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    loads = bench_load(args.repeats)
    print(
        f"load_rulebook (3 rule files): median {statistics.median(loads):.1f} ms, "
        f"min {min(loads):.1f} ms over {args.repeats} runs  (target ≤ 50 ms)"
    )

    citizens = population(args.citizens)
    ruleset = load_rulebook().get("uitpas-kansentarief", DAY)
    mix = Counter(evaluate(ruleset, f, DAY, trace=False).outcome for f in citizens)
    shares = ", ".join(f"{o.value} {mix[o] * 100 // len(citizens)} %" for o in Outcome)
    ruleset.shapes.clear()
    for facts in citizens:
        evaluate(ruleset, facts, DAY, trace=False)
    print(
        f"population: {len(citizens)} citizens ({shares}); "
        f"{len(ruleset.shapes)} distinct patterns of condition results"
    )
    runs = [("trace on ", True), ("trace off", False)]
    for label, trace in runs:
        rates = bench_eval(citizens, args.repeats, trace=trace)
        _report(label, rates, "  (target ≥ 50,000/s)" if trace else "")
    _report(
        "trace on, every pattern new (worst case)",
        bench_eval(citizens, args.repeats, trace=True, cold=True),
        "",
    )
    _report(
        "trace on, nothing shared at all (coldest)",
        bench_eval(citizens, args.repeats, trace=True, coldest=True),
        "",
    )
    # a long-running bulk check loads its population once; freezing it spares the cyclic
    # garbage collector from re-scanning those objects while advices are being built
    gc.freeze()
    _report("trace on, gc.freeze()", bench_eval(citizens, args.repeats, trace=True), "")
    gc.unfreeze()


def _report(label: str, rates: list[float], target: str) -> None:
    print(
        f"evaluate uitpas-kansentarief, {label}: median {statistics.median(rates):,.0f}/s, "
        f"best {max(rates):,.0f}/s, {1e6 / statistics.median(rates):.1f} µs each (CPU time)"
        f"{target}"
    )


if __name__ == "__main__":
    main()
