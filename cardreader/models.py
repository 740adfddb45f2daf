"""Immutable models of what an eID holds and what we concluded about it.

These are the boundary between the card layer and everything above it (the
check service, the UI, the CLI's JSON). They are frozen so that a reading
cannot be altered after it was verified: whoever wants other data reads again.
Raw values are kept next to parsed ones because future cards add tags and codes
that this version cannot know; dropping them would lose information support
staff need.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    # Bytes (hashes, photo, raw files) are binary: JSON carries them as hex, which
    # support staff can read and compare, and which reads back to the same bytes.
    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="hex", val_json_bytes="hex"
    )


class DocumentType(StrEnum):
    """Known document types (tag 0F). Unknown codes stay as ``Identity.document_type_code``."""

    BELGIAN_EID = "belgian_eid"  # 1
    KIDS_ID = "kids_id"  # 6
    BOOTSTRAP = "bootstrap"  # 7
    HABILITATION = "habilitation"  # 8
    FOREIGNER_A = "foreigner_a"  # 11, 33
    FOREIGNER_B = "foreigner_b"  # 12, 34
    FOREIGNER_C = "foreigner_c"  # 13
    FOREIGNER_D = "foreigner_d"  # 14
    FOREIGNER_E = "foreigner_e"  # 15
    FOREIGNER_E_PLUS = "foreigner_e_plus"  # 16
    FOREIGNER_F = "foreigner_f"  # 17, 35
    FOREIGNER_F_PLUS = "foreigner_f_plus"  # 18, 36
    FOREIGNER_H = "foreigner_h"  # 19
    FOREIGNER_I = "foreigner_i"  # 20
    FOREIGNER_J = "foreigner_j"  # 21
    FOREIGNER_M = "foreigner_m"  # 22
    FOREIGNER_N = "foreigner_n"  # 23
    FOREIGNER_K = "foreigner_k"  # 27
    FOREIGNER_L = "foreigner_l"  # 28
    EU = "eu"  # 31
    EU_PLUS = "eu_plus"  # 32
    KIDS_FOREIGNER = "kids_foreigner"  # 61-69
    UNKNOWN = "unknown"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "?"


class BirthDate(_Frozen):
    """A birth date as printed on the card: partial dates are real (bare year, blank month)."""

    raw: str
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def date(self) -> dt.date | None:
        """The full date, or None when the card only gives part of it."""
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


class Identity(_Frozen):
    """Identity file (3F00/DF01/4031), parsed. ``raw_tags`` holds every tag as hex, known or not."""

    card_number: str
    chip_number: str | None = None  # hex
    validity_start: dt.date | None
    validity_end: dt.date | None
    validity_start_raw: str = ""
    validity_end_raw: str = ""
    issuing_municipality: str = ""
    national_number: str
    surname: str
    given_names: str
    third_initial: str = ""
    nationality: str = ""
    birth_place: str = ""
    birth_date: BirthDate
    sex: Sex
    sex_raw: str = ""
    noble_condition: str = ""
    document_type: DocumentType
    document_type_code: int | None = None
    document_type_raw: str = ""
    special_status: int | None = None
    photo_hash: bytes | None = None
    duplicate: str = ""
    special_organisation: str = ""
    member_of_family: bool = False
    date_and_country_of_protection: str = ""
    work_permit: str = ""
    employer_vat_1: str = ""
    employer_vat_2: str = ""
    regional_file_number: str = ""
    basic_key_hash: bytes | None = None
    brexit_mention_1: str = ""
    brexit_mention_2: str = ""
    card_a_mention_1: str = ""
    card_a_mention_2: str = ""
    eu_registration_date: str = ""
    file_version: bytes | None = None
    raw_tags: dict[int, bytes] = Field(default_factory=dict)
    unknown_tags: dict[int, bytes] = Field(default_factory=dict)


class Address(_Frozen):
    """Address file (3F00/DF01/4033), parsed."""

    street_and_number: str
    postal_code: str
    municipality: str
    file_version: bytes | None = None
    raw_tags: dict[int, bytes] = Field(default_factory=dict)
    unknown_tags: dict[int, bytes] = Field(default_factory=dict)


class CardData(_Frozen):
    """GET CARD DATA answer: the applet version decides which checks apply (basic key on 1.8)."""

    raw: bytes
    serial_number: bytes
    applet_version: int  # 0x17 = 1.7, 0x18 = 1.8
    life_cycle: int  # 0x0F = personalised
    pin_tries_left: int | None = None

    @property
    def personalised(self) -> bool:
        return self.life_cycle == 0x0F


class CardFiles(_Frozen):
    """The raw files as read, exactly: signatures are computed over these bytes."""

    atr: bytes = b""
    card_data: bytes | None = None
    identity: bytes
    identity_signature: bytes | None = None
    address: bytes | None = None
    address_signature: bytes | None = None
    rrn_certificate: bytes | None = None
    root_certificate: bytes | None = None
    basic_public_key: bytes | None = None
    photo: bytes | None = None


class CheckStatus(StrEnum):
    """Outcome of one integrity check."""

    VALID = "valid"
    INVALID = "invalid"
    NOT_CHECKED = "not_checked"  # could not be checked (missing file, no trust root, ...)
    NOT_APPLICABLE = "not_applicable"  # e.g. basic-key hash on an applet 1.7 card


class Verdict(StrEnum):
    AUTHENTIC = "authentic"
    NOT_AUTHENTIC = "not_authentic"
    NOT_VERIFIABLE = "not_verifiable"


class CheckResult(_Frozen):
    status: CheckStatus
    detail: str = ""  # why, in plain English; never personal data


class ValidityStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNKNOWN = "unknown"


class LifeCycleStatus(StrEnum):
    """Whether the card was activated (GET CARD DATA byte 27; 0x0F = personalised).

    A card that is not personalised was never handed out or has been blocked:
    its data may be authentic, but it is not a card in use.
    """

    PERSONALISED = "personalised"
    NOT_PERSONALISED = "not_personalised"
    UNKNOWN = "unknown"  # GET CARD DATA not read (dump files without it)


class Verification(_Frozen):
    """What we know about the authenticity of a reading. Never raised: always returned."""

    identity_signature: CheckResult
    address_signature: CheckResult
    photo_hash: CheckResult
    basic_key_hash: CheckResult
    rrn_chain: CheckResult
    validity: ValidityStatus
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    life_cycle: LifeCycleStatus = LifeCycleStatus.UNKNOWN


class EidReading(_Frozen):
    """One complete reading of a card, with its verification."""

    files: CardFiles
    card_data: CardData | None
    identity: Identity
    address: Address | None
    verification: Verification
    reader: str = ""
    apdu_count: int = 0
