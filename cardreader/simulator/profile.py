"""A simulated card described as data: one YAML file per card in ``resources/cards/``.

Profiles say what is printed on the card (as the card would store it: raw
strings, so odd real-world formats such as ``21 DEC  1981`` or a German
``05.MÄR.1975`` can be written down exactly) and how the card behaves (applet
version, signer, tampering, faults). Everything derived (hashes, signatures,
padding, TLV) is computed by ``files.py``, so a profile cannot be internally
inconsistent by accident, only on purpose (``tamper``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cardreader.errors import CardDataError
from cardreader.resources import resources_dir
from cardreader.simulator.faults import FaultPlan

AppletVersion = Literal["1.7", "1.8"]
TamperTarget = Literal["identity", "address", "photo"]

ATR_APPLET_17 = bytes.fromhex("3B9813400AA503010101AD1311")
ATR_APPLET_18 = bytes.fromhex("3B 7F 96 00 00 80 31 80 65 B0 85 04 01 20 12 0F FF 82 90 00")
ATR_NOT_AN_EID = bytes.fromhex("3B6800000073C84012009000")  # looks like a bank card


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IdentityProfile(_Frozen):
    """Identity file fields, as the card stores them (strings are written as UTF-8)."""

    card_number: str
    chip_number: str | None = None  # 32 hex digits; derived from the card number when absent
    validity_start: str  # DD.MM.YYYY
    validity_end: str
    issuing_municipality: str
    national_number: str
    surname: str
    given_names: str
    third_initial: str = ""
    nationality: str
    birth_place: str
    birth_date: str
    sex: str
    noble_condition: str = ""
    document_type: str  # raw code, e.g. "1", "31", or an unknown "99"
    special_status: str | None = None
    duplicate: str | None = None
    special_organisation: str | None = None
    member_of_family: bool = False
    date_and_country_of_protection: str | None = None
    work_permit: str | None = None
    employer_vat_1: str | None = None
    employer_vat_2: str | None = None
    regional_file_number: str | None = None
    brexit_mention_1: str | None = None
    brexit_mention_2: str | None = None
    card_a_mention_1: str | None = None
    card_a_mention_2: str | None = None
    eu_registration_date: str | None = None
    extra_tags: dict[int, str] = Field(default_factory=dict)
    """Tags this version of the reader does not know (future cards); values as UTF-8 text."""

    @field_validator("chip_number")
    @classmethod
    def _chip_is_16_bytes(cls, value: str | None) -> str | None:
        if value is not None and len(bytes.fromhex(value)) != 16:
            raise ValueError("chip_number must be 16 bytes (32 hex digits)")
        return value

    @field_validator("extra_tags")
    @classmethod
    def _extra_tags_unknown(cls, value: dict[int, str]) -> dict[int, str]:
        for tag in value:
            if not 0x20 <= tag <= 0xFF:
                raise ValueError(f"extra tag {tag:#x} collides with a known identity tag")
        return value


class AddressProfile(_Frozen):
    street_and_number: str
    postal_code: str
    municipality: str


class CardProfile(_Frozen):
    """One card of the deck."""

    name: str
    description: str
    kind: Literal["eid", "not_eid"] = "eid"
    applet: AppletVersion = "1.8"
    atr: str | None = None  # hex; default follows the applet version
    signer: Literal["test", "rogue"] = "test"
    life_cycle: int = Field(default=0x0F, ge=0, le=0xFF)
    pin_tries_left: int = Field(default=3, ge=0, le=3)
    magda_persona: bool = False
    """True when the INSZ is a MAGDA simulator persona, so an end-to-end check can run."""
    identity: IdentityProfile | None = None
    address: AddressProfile | None = None
    photo: str = "placeholder-150x195.jpg"  # file in resources/cards/photos
    tamper: tuple[TamperTarget, ...] = ()
    with_token_info: bool = True
    empty_certificates: bool = False
    """Kids-ID variant: certificate files present but all zero (no RRN/root cert)."""
    faults: FaultPlan = FaultPlan()

    @property
    def atr_bytes(self) -> bytes:
        if self.atr is not None:
            return bytes.fromhex(self.atr)
        if self.kind == "not_eid":
            return ATR_NOT_AN_EID
        return ATR_APPLET_17 if self.applet == "1.7" else ATR_APPLET_18

    @property
    def signer_key_name(self) -> Literal["test-rsa", "test-ec", "rogue-rsa", "rogue-ec"]:
        kind = "rsa" if self.applet == "1.7" else "ec"
        if self.signer == "test":
            return "test-rsa" if kind == "rsa" else "test-ec"
        return "rogue-rsa" if kind == "rsa" else "rogue-ec"


def cards_dir() -> Path:
    return resources_dir() / "cards"


def profile_names() -> list[str]:
    """Names of all profiles in the deck (file stems), sorted."""
    return sorted(path.stem for path in cards_dir().glob("*.yaml"))


def parse_profile(name: str, text: str) -> CardProfile:
    """Validate one profile's YAML; a bad file raises ``CardDataError`` naming the file only."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)  # YAML errors span lines: keep one
        at = f" (line {where.line + 1}, column {where.column + 1})" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CardDataError(f"card profile {name!r} is not valid YAML{at}: {problem}") from None
    if not isinstance(data, dict):
        raise CardDataError(f"card profile {name!r} must be a mapping")
    try:
        profile = CardProfile.model_validate({"name": name, **data})
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise CardDataError(f"card profile {name!r} has invalid fields: {fields}") from None
    if profile.kind == "eid" and (profile.identity is None or profile.address is None):
        raise CardDataError(f"card profile {name!r}: an eID needs identity and address")
    return profile


@cache
def load_profile(name: str) -> CardProfile:
    """Load ``resources/cards/<name>.yaml`` (cached per process)."""
    path = cards_dir() / f"{name}.yaml"
    if not path.is_file():
        raise CardDataError(f"no card profile named {name!r} in the deck")
    return parse_profile(name, path.read_text(encoding="utf-8"))
