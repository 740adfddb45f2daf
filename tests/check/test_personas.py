"""Every MAGDA-Mock persona, checked end to end: in-process sandbox and a real local server.

The expectations below were written from reading the simulator's XML answers
(../shared/magda-mock/simulator) against the rules in gent-rules.md, reference
date 2026-03-01. What the answers say, per persona:

| INSZ        | GeefPersoon domicile | GeefSociaalStatuut (asked)    | GeefDossierHandicap    |
|-------------|----------------------|-------------------------------|------------------------|
| 00683042157 | Gent 44021, 9000     | only GENT_PARKING_*: 0        | no socialCards         |
| 01700462685 | Gent 44021, 9031     | only GENT_PARKING_*: 0        | no socialCards         |
| 06671797413 | Gent 44021, 9030     | only GENT_PARKING_*: 0        | no socialCards         |
| 11691489807 | Gent 44021, 9000     | 30001 no data found (KSZ)     | no socialCards         |
| 44640618933 | Gent 44021, 9000     | PCSA_AND_BIM_HELP (not asked) | NO_DATA_FOUND          |
| 62691699717 | 30001 (no record)    | LIVING_WAGES 1, BIM_BVT 1     | NO_DATA_FOUND          |
| 69650368562 | Gent 44021, 9032     | 30001 no data found           | no socialCards         |
| 76642812413 | Brugge 31005, 8000   | BIM_BVT 1, 2024-01..2030-01   | NO_DATA_FOUND          |
| 86710585636 | Gent 44021, 9000     | LIVING_WAGES 1, 2024..2030-01 | NO_DATA_FOUND          |
| 88681575651 | Gent 44021, 9000     | BIM_BVT_IN_FAMILY 1, 2024..   | PARKINGCARD 2022..2030 |
| 00631499723 | 30001 (no record)    | notfound: 0 for every statute | NO_DATA_FOUND          |

Nobody is on the OCMW list (the mock has none) and nobody is a UiTPAS passholder.
Hence, per right (U = uitpas-kansentarief, F = lez-vrijstelling-handicap (free LEZ
registration), R = lez-verminderd-tarief (reduced LEZ tariff, needs own VT and a
Gent domicile)):
- 62691699717: the national register has no record, so the domicile is unknown
  while living wage and VT apply: U and R "check manually", never a silent no.
  F: no parking card -> not eligible whatever the rest.
- 00631499723: no domicile either, but no qualifying statute at all -> U and R
  are decided "not eligible" (no unknown can change that).
- 86710585636: Gent + living wage -> U eligible (end date: the living wage's end).
- 88681575651: Gent + VT in the family (counts for UiTPAS) -> U eligible; parking
  card valid but no own VT -> F depends on the clerk's declarations -> "check
  manually" asking for them; R needs own VT -> not eligible.
- 76642812413: VT but lives in Brugge -> U and R not eligible; no card -> F no.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from counter_app.check import CheckOutcome, Subject
from counter_app.check.runner import open_check_service
from counter_app.sandbox.server import RunningSandbox
from counter_app.sources.base import CallStatus
from rules import Outcome
from tests.check.conftest import make_settings

pytestmark = pytest.mark.anyio

ON = dt.date(2026, 3, 1)
E, N, M = Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.CHECK_MANUALLY

#            INSZ            U  F  R
EXPECTED: dict[str, tuple[Outcome, Outcome, Outcome]] = {
    "00683042157": (N, N, N),
    "01700462685": (N, N, N),
    "06671797413": (N, N, N),
    "11691489807": (N, N, N),
    "44640618933": (N, N, N),
    "62691699717": (M, N, M),
    "69650368562": (N, N, N),
    "76642812413": (N, N, N),
    "86710585636": (E, N, N),
    "88681575651": (E, M, N),
    "00631499723": (N, N, N),
}
RIGHTS = ("uitpas-kansentarief", "lez-vrijstelling-handicap", "lez-verminderd-tarief")


def outcomes(outcome: CheckOutcome) -> tuple[Outcome, ...]:
    return tuple(outcome.right(r).outcome for r in RIGHTS)


def check_basics(outcome: CheckOutcome, insz: str) -> None:
    assert outcome.subject.insz == insz
    assert outcome.reference_date == ON
    sources = {c.source.value for c in outcome.calls}
    assert {"national_register", "social_statutes", "disability_file", "ocmw_list"} <= sources
    for call in outcome.calls:
        assert call.purpose, "every request carries the purpose of the right it serves"
        assert call.reference
    assert outcome.timings.total_ms >= outcome.timings.sources_ms


async def run_all(personas_dir: Path, sources_url: str | None) -> dict[str, CheckOutcome]:
    results = {}
    async with open_check_service(
        make_settings(), personas_dir=personas_dir, sources_url=sources_url
    ) as service:
        for insz in EXPECTED:
            results[insz] = await service.run(Subject(insz=insz, entry="manual"), ON)
    return results


async def test_every_persona_in_process(personas_dir: Path) -> None:
    results = await run_all(personas_dir, None)
    for insz, expected in EXPECTED.items():
        check_basics(results[insz], insz)
        assert outcomes(results[insz]) == expected, insz


@pytest.mark.live_server
async def test_every_persona_through_a_real_server(
    personas_dir: Path, live_sandbox: RunningSandbox
) -> None:
    results = await run_all(personas_dir, live_sandbox.url)
    for insz, expected in EXPECTED.items():
        check_basics(results[insz], insz)
        assert outcomes(results[insz]) == expected, insz


async def test_details_follow_the_answers(personas_dir: Path) -> None:
    async with open_check_service(make_settings(), personas_dir=personas_dir) as service:
        living_wage = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        no_register = await service.run(Subject(insz="62691699717", entry="manual"), ON)
        parking = await service.run(Subject(insz="88681575651", entry="manual"), ON)

    uitpas = living_wage.right("uitpas-kansentarief")
    # the earliest end of the qualifying rights: the living wage's period ends 2030-01-01
    assert uitpas.advice.proposed_end_date == dt.date(2030, 1, 1)
    assert uitpas.uitpas is not None and uitpas.uitpas.available
    assert uitpas.uitpas.passholder is False

    missing = no_register.right("uitpas-kansentarief").advice.missing
    assert {m.name for m in missing} >= {"domicile_nis"}
    register_calls = [c for c in no_register.calls if c.source.value == "national_register"]
    assert register_calls and all(c.status is CallStatus.ERROR for c in register_calls)

    lez = parking.right("lez-vrijstelling-handicap").advice
    asked = {m.name for m in lez.missing}
    assert asked == {"adapted_vehicle", "wheelchair_lift", "adapted_public_transport"}


async def test_clerk_declarations_decide_the_open_lez_right(personas_dir: Path) -> None:
    subject = Subject(insz="88681575651", entry="manual")
    async with open_check_service(make_settings(), personas_dir=personas_dir) as service:
        yes = await service.run(subject, ON, declarations={"adapted_vehicle": True})
        no = await service.run(
            subject,
            ON,
            declarations={
                "adapted_vehicle": False,
                "wheelchair_lift": False,
                "adapted_public_transport": False,
            },
        )
    assert yes.right("lez-vrijstelling-handicap").outcome is Outcome.ELIGIBLE
    assert no.right("lez-vrijstelling-handicap").outcome is Outcome.NOT_ELIGIBLE


async def test_only_wanted_facts_are_asked(personas_dir: Path) -> None:
    async with open_check_service(make_settings(), personas_dir=personas_dir) as service:
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON)
        wanted = service.rulebook.wanted_facts(ON)
    asked = {f.name for facts in outcome.facts.values() for f in facts}
    needed = {
        spec.name
        for specs in wanted.values()
        for spec in specs
        if spec.source.value not in ("clerk_declaration", "eid")
    }
    assert asked == needed


async def test_progress_reports_every_source(personas_dir: Path) -> None:
    seen: list[tuple[str, str]] = []
    async with open_check_service(make_settings(), personas_dir=personas_dir) as service:
        await service.run(
            Subject(insz="86710585636", entry="manual"),
            ON,
            progress=lambda p: seen.append((p.source.value, p.state.value)),
        )
    sources = {s for s, _ in seen}
    assert sources == {
        "national_register",
        "social_statutes",
        "disability_file",
        "ocmw_list",
        "uitpas",
    }
    for source in sources:
        states = [state for s, state in seen if s == source]
        assert states[0] == "started" and states[-1] == "answered"


async def test_a_failing_progress_listener_does_not_abort_the_check(personas_dir: Path) -> None:
    def broken(_event: object) -> None:
        raise RuntimeError("UI bug")

    async with open_check_service(make_settings(), personas_dir=personas_dir) as service:
        outcome = await service.run(Subject(insz="86710585636", entry="manual"), ON, broken)
    assert outcomes(outcome) == EXPECTED["86710585636"]
