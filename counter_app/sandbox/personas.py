"""The sandbox's persona data: MAGDA answers per service and INSZ, OCMW and UiTPAS data.

The MAGDA part uses the MAGDA-Mock layout (``<Domain>/<Service>/<Version>/<INSZ>.xml``
plus ``notfound.xml``) so the sandbox can run on the project's own personas or on
the official simulator files. The OCMW list (``ocmw.csv``) and UiTPAS data
(``uitpas.yaml``) are optional: missing files mean "nobody is known there".
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

MAGDA_DOMAINS = {
    "GeefPersoon": "Persoon",
    "GeefSociaalStatuut": "SocZek",
    "GeefDossierHandicap": "SocZek",
}
NOT_FOUND = "notfound"
# Well-known credentials of the sandbox's UiTPAS emulation (not a secret: sandbox only).
SANDBOX_CLIENT_ID = "loket-sandbox"
SANDBOX_CLIENT_SECRET = "sandbox-secret"  # noqa: S105


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Trajectory(_Frozen):
    kind: str
    start: dt.date
    end: dt.date | None = None


class SocialTariff(_Frozen):
    status: str  # ACTIVE / EXPIRED / SUSPENDED
    end_date: dt.date | None = None
    in_grace_period: bool = False


class Membership(_Frozen):
    card_system_id: int
    social_tariff: SocialTariff | None = None


class Passholder(_Frozen):
    id: str
    memberships: tuple[Membership, ...] = ()


class Price(_Frozen):
    price: str
    label: str
    description: str = ""


class CardSystem(_Frozen):
    id: int
    name: str
    normal: Price
    social_tariff: Price


class UitpasClientCredentials(_Frozen):
    client_id: str
    client_secret: str


class UitpasData(_Frozen):
    clients: tuple[UitpasClientCredentials, ...] = (
        UitpasClientCredentials(client_id=SANDBOX_CLIENT_ID, client_secret=SANDBOX_CLIENT_SECRET),
    )
    card_systems: tuple[CardSystem, ...] = (
        CardSystem(
            id=1,
            name="UiTPAS Gent",
            normal=Price(price="5.00", label="UiTPAS", description="Normaal tarief"),
            social_tariff=Price(
                price="1.00", label="UiTPAS kansentarief", description="Met kansentarief"
            ),
        ),
    )
    passholders: dict[str, Passholder] = Field(default_factory=dict)


def read_ocmw_csv(path: Path) -> dict[str, tuple[Trajectory, ...]]:
    """insz -> trajectories from a CSV with columns insz, kind, start, end (end may be empty)."""
    index: dict[str, list[Trajectory]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            end = (row.get("end") or "").strip()
            trajectory = Trajectory(
                kind=row["kind"].strip(),
                start=dt.date.fromisoformat(row["start"].strip()),
                end=dt.date.fromisoformat(end) if end else None,
            )
            index.setdefault(row["insz"].strip(), []).append(trajectory)
    return {insz: tuple(items) for insz, items in index.items()}


class PersonaStore:
    """Read-only access to one persona directory (MAGDA files are read per request)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        ocmw = root / "ocmw.csv" if root else None
        self.ocmw: dict[str, tuple[Trajectory, ...]] = (
            read_ocmw_csv(ocmw) if ocmw and ocmw.is_file() else {}
        )
        uitpas = root / "uitpas.yaml" if root else None
        raw: Any = (
            yaml.safe_load(uitpas.read_text(encoding="utf-8"))
            if uitpas and uitpas.is_file()
            else None
        )
        self.uitpas = UitpasData.model_validate(raw or {})

    def magda_answer(self, service: str, version: str, insz: str) -> tuple[bytes, bool] | None:
        """(file content, found) for ``insz``; else the notfound answer (found=False) or None."""
        if self.root is None or service not in MAGDA_DOMAINS:
            return None
        folder = self.root / MAGDA_DOMAINS[service] / service / version
        if insz.isdigit() and len(insz) == 11:
            candidate = folder / f"{insz}.xml"
            if candidate.is_file():
                return candidate.read_bytes(), True
        fallback = folder / f"{NOT_FOUND}.xml"
        if fallback.is_file():
            return fallback.read_bytes(), False
        return None
