"""Every MAGDA-Mock persona, asked through the sandbox, parsed into the facts its XML holds.

The expectations were written by reading each simulator file (reference date
2026-01-05); the project's own persona directory must give the same facts for the
INSZ numbers it shares with MAGDA-Mock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.sources.base import CallStatus, SourceAnswer, WantedFact
from counter_app.sources.factory import SourceSet
from rules.facts import FactStatus, FactValue, Period, SourceId
from tests.sources.conftest import UNKNOWN_INSZ, SandboxEnv, ctx

pytestmark = pytest.mark.anyio

PERSON = [
    WantedFact(name="domicile_nis"),
    WantedFact(name="domicile_postal_code"),
    WantedFact(name="deceased"),
]
STATUTES = [
    WantedFact(name="living_wage", key="LIVING_WAGES_PCSA_HELP"),
    WantedFact(name="vt_own", key="BIM_BVT"),
    WantedFact(name="vt_family", key="BIM_BVT_IN_FAMILY"),
]
PARKING = [WantedFact(name="parking_card", key="PARKINGCARD")]
OPEN = (Period(start=None, end=None),)
P2024_2030 = (Period(start=dt.date(2024, 1, 1), end=dt.date(2030, 1, 1)),)

# insz -> (nis, postal code) from GeefPersoon/02.02.0000/<insz>.xml (none has Overlijden)
DOMICILE = {
    "00683042157": ("44021", "9000"),
    "01700462685": ("44021", "9031"),
    "06671797413": ("44021", "9030"),
    "11691489807": ("44021", "9000"),
    "44640618933": ("44021", "9000"),
    "69650368562": ("44021", "9032"),
    "76642812413": ("31005", "8000"),
    "86710585636": ("44021", "9000"),
    "88681575651": ("44021", "9000"),
}
# insz -> (living_wage, vt_own, vt_family) from GeefSociaalStatuut/03.00.0000/<insz>.xml
STATUTE_PERIODS: dict[str, tuple[tuple[Period, ...], ...]] = {
    "00683042157": ((), (), ()),  # only GENT_PARKING_* answered
    "01700462685": ((), (), ()),
    "06671797413": ((), (), ()),
    "11691489807": ((), (), ()),  # 30001
    "44640618933": ((), (), ()),  # PCSA_AND_BIM_HELP only
    "62691699717": (OPEN, OPEN, ()),  # code 1 without Periodes
    "69650368562": ((), (), ()),  # 30001
    "76642812413": ((), P2024_2030, ()),
    "86710585636": (P2024_2030, (), ()),
    "88681575651": ((), (), P2024_2030),
    UNKNOWN_INSZ: ((), (), ()),  # notfound: every asked statute "0"
}
# insz -> parking_card periods from GeefDossierHandicap/03.00.0000/<insz>.xml (or notfound)
PARKING_PERIODS: dict[str, tuple[Period, ...]] = {
    "00683042157": (),
    "01700462685": (),
    "06671797413": (),
    "11691489807": (),
    "69650368562": (),
    "88681575651": (Period(start=dt.date(2022, 2, 1), end=dt.date(2030, 2, 1)),),
    "44640618933": (),  # no file: notfound (NO_DATA_FOUND + warning 70001)
    "62691699717": (),
    "76642812413": (),
    "86710585636": (),
    UNKNOWN_INSZ: (),
}


def values(answer: SourceAnswer) -> dict[str, FactValue]:
    assert all(f.status is FactStatus.KNOWN for f in answer.facts), answer.facts
    assert all(c.status is CallStatus.OK for c in answer.calls)
    return {f.name: f.value for f in answer.facts}


async def _person(sources: SourceSet, insz: str) -> SourceAnswer:
    return await sources.adapters[SourceId.NATIONAL_REGISTER].fetch(ctx(insz), PERSON)


@pytest.mark.parametrize("insz", sorted(DOMICILE))
async def test_persoon(mock_env: SandboxEnv, insz: str) -> None:
    nis, postal = DOMICILE[insz]
    answer = await _person(mock_env.sources, insz)
    assert values(answer) == {
        "domicile_nis": nis,
        "domicile_postal_code": postal,
        "deceased": False,
    }
    assert all(f.reference == answer.calls[0].reference and f.retrieved_at for f in answer.facts)


async def test_persoon_unknown_insz_is_a_source_error(mock_env: SandboxEnv) -> None:
    for insz in ("62691699717", UNKNOWN_INSZ):  # 62691699717 has no GeefPersoon answer
        answer = await _person(mock_env.sources, insz)
        assert {f.status for f in answer.facts} == {FactStatus.SOURCE_ERROR}
        assert "no data" in answer.facts[0].reason
        assert answer.calls[0].status is CallStatus.ERROR and not answer.calls[0].transient


@pytest.mark.parametrize("insz", sorted(STATUTE_PERIODS))
async def test_sociaal_statuut(mock_env: SandboxEnv, insz: str) -> None:
    adapter = mock_env.sources.adapters[SourceId.SOCIAL_STATUTES]
    answer = await adapter.fetch(ctx(insz), STATUTES)
    living, own, family = STATUTE_PERIODS[insz]
    assert values(answer) == {"living_wage": living, "vt_own": own, "vt_family": family}


@pytest.mark.parametrize("insz", sorted(PARKING_PERIODS))
async def test_dossier_handicap(mock_env: SandboxEnv, insz: str) -> None:
    adapter = mock_env.sources.adapters[SourceId.DISABILITY_FILE]
    answer = await adapter.fetch(ctx(insz), PARKING)
    assert values(answer) == {"parking_card": PARKING_PERIODS[insz]}


@pytest.mark.parametrize("insz", sorted(set(DOMICILE) | set(STATUTE_PERIODS) - {UNKNOWN_INSZ}))
async def test_own_personas_agree_with_magda_mock(
    mock_env: SandboxEnv, own_env: SandboxEnv, insz: str
) -> None:
    for source, wanted in (
        (SourceId.NATIONAL_REGISTER, PERSON),
        (SourceId.SOCIAL_STATUTES, STATUTES),
        (SourceId.DISABILITY_FILE, PARKING),
    ):
        mine = await own_env.sources.adapters[source].fetch(ctx(insz), wanted)
        theirs = await mock_env.sources.adapters[source].fetch(ctx(insz), wanted)
        assert [(f.name, f.status, f.value) for f in mine.facts] == [
            (f.name, f.status, f.value) for f in theirs.facts
        ]


async def test_own_personas_beyond_magda_mock(own_env: SandboxEnv) -> None:
    adapters = own_env.sources.adapters
    deceased = values(await _person(own_env.sources, "92672108834"))
    assert deceased["deceased"] is True
    eupen = values(await _person(own_env.sources, "75630523183"))
    assert (eupen["domicile_nis"], eupen["domicile_postal_code"]) == ("63023", "4700")
    statutes = values(await adapters[SourceId.SOCIAL_STATUTES].fetch(ctx("90641840238"), STATUTES))
    assert statutes["vt_own"] == (Period(start=dt.date(2023, 1, 1), end=None),)
    cards = values(await adapters[SourceId.DISABILITY_FILE].fetch(ctx("90641840238"), PARKING))
    assert cards["parking_card"] == (Period(start=dt.date(2021, 3, 1), end=dt.date(2031, 2, 28)),)
    # a reduction card is not a parking card
    reduction = values(await adapters[SourceId.DISABILITY_FILE].fetch(ctx("01700462685"), PARKING))
    assert reduction["parking_card"] == ()


async def test_facts_outside_the_service_are_left_unknown(own_env: SandboxEnv) -> None:
    adapter = own_env.sources.adapters[SourceId.NATIONAL_REGISTER]
    answer = await adapter.fetch(ctx("01700462685"), [WantedFact(name="vt_own")])
    assert answer.calls == ()
    assert answer.facts[0].status is FactStatus.UNKNOWN
