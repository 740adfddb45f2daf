"""Shared helpers for the rule tests: the shipped rule book and small rule files."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from rules import RuleBook, load_rulebook
from rules.resources import rules_dir

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 3, 15)


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rulebook()


@pytest.fixture(scope="session")
def shipped_dir() -> Path:
    return rules_dir()


MINIMAL = textwrap.dedent(
    """\
    id: mini
    version: "1"
    valid_from: 2024-01-01
    title: {nl: Mini, en: Mini}
    purpose: {value: test}
    parameters:
      towns:
        description: {nl: gemeenten, en: municipalities}
        unit: nis_code_list
        reference: test
        values:
          - {from: 2024-01-01, value: ["44021"]}
          - {from: 2025-01-01, value: ["44021", "44019"]}
    facts:
      domicile_nis:
        type: text
        source: national_register
        label: {nl: woonplaats, en: residence}
        ask_citizen: {nl: bewijs van woonst, en: proof of residence}
      vt_own:
        type: periods
        source: social_statutes
        key: BIM_BVT
        label: {nl: verhoogde tegemoetkoming, en: increased allowance}
        ask_citizen: {nl: attest, en: certificate}
    eligibility:
      all:
        - id: resident
          member: {fact: domicile_nis, param: towns}
        - id: vt
          covers: {fact: vt_own}
    advice:
      eligible: {nl: ja, en: "yes"}
      not_eligible: {nl: nee, en: "no"}
      check_manually: {nl: nakijken, en: check}
    """
)


def write_rule(directory: Path, text: str, name: str = "mini.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
