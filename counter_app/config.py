"""Configuration of one counter: a TOML file, overridden by ``LOKET_*`` environment variables.

Why a file plus environment: the file is what the city's IT manages per counter
(reviewed, versioned); environment variables let a test, a container or a support
engineer change one value without editing it (``LOKET_SOURCES__UITPAS__TIMEOUT_S=2``).

Why the production checks live here and not in the code that uses the values: a
counter that talks to real authentic sources must never start with test
identities, test trust roots, the sandbox or clear-text HTTP. Refusing at load
time gives one clear message before any citizen is at the desk, instead of a
half-working counter.
"""

from __future__ import annotations

import contextvars
import random
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import urlsplit

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from cardreader.insz import is_test_number
from cardreader.resources import resources_dir
from rules.facts import SourceId

APP_NAME = "loket"
INPROCESS = "inprocess"  # base URL meaning "the sandbox, embedded in this process"


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` is one line naming the key and the problem."""

    exit_code = 4


class Environment(StrEnum):
    SANDBOX = "sandbox"  # embedded emulation of every source, test identities allowed
    ACCEPTANCE = "acceptance"  # MAGDA's acceptance platform: real protocol, test personas
    PRODUCTION = "production"  # real citizens: every safety check applies


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceSettings(_Section):
    """How to reach one source and how patient to be with it."""

    base_url: str = INPROCESS
    timeout_s: float = Field(default=5.0, gt=0)
    retries: int = Field(default=2, ge=0, le=5)  # extra attempts on transient errors only
    breaker_threshold: int = Field(default=3, ge=1)  # consecutive failures that open the circuit
    breaker_cooldown_s: float = Field(default=30.0, gt=0)  # open -> half-open after this


class SourcesSettings(_Section):
    national_register: SourceSettings = Field(default_factory=SourceSettings)
    social_statutes: SourceSettings = Field(default_factory=SourceSettings)
    disability_file: SourceSettings = Field(default_factory=SourceSettings)
    ocmw_list: SourceSettings = Field(default_factory=SourceSettings)
    uitpas: SourceSettings = Field(default_factory=SourceSettings)

    def for_source(self, source: SourceId) -> SourceSettings:
        value = getattr(self, source.value, None)
        if not isinstance(value, SourceSettings):
            raise KeyError(f"no settings for source {source.value}")
        return value

    def all(self) -> dict[str, SourceSettings]:
        return {name: getattr(self, name) for name in type(self).model_fields}


class MagdaSettings(_Section):
    """Who we are towards MAGDA (Afzender) and why we ask (Hoedanigheid per right)."""

    organisation: str = "gent.be"  # Afzender/Identificatie: the requesting organisation's URI
    # rule set id -> Hoedanigheid; a rule set not listed uses the purpose in its rule file
    purposes: dict[str, str] = Field(default_factory=dict)
    # WS-Security signature on every request (with tls.client_cert / tls.client_key).
    # None: sign outside the sandbox environment whenever the certificate is configured;
    # true: always sign (needs the certificate); false: never (production refuses this).
    ws_security: bool | None = None


class TlsSettings(_Section):
    """Mutual TLS towards MAGDA and the city's services (one certificate for TLS and signing)."""

    client_cert: Path | None = None
    client_key: Path | None = None
    ca_bundle: Path | None = None

    @property
    def has_client_identity(self) -> bool:
        """Certificate and key both given: mutual TLS and WS-Security can be done."""
        return self.client_cert is not None and self.client_key is not None


class OcmwListSettings(_Section):
    """The OCMW's own list: a CSV export (the default), or the OCMW's internal HTTP service.

    ``mode = "csv"`` reads the export at ``csv_path``. Without a ``csv_path`` it is the
    sandbox's own export (``ocmw.csv`` in the persona directory): read directly when
    the sandbox is embedded, otherwise asked from the sandbox server's OCMW endpoint.
    Production refuses that (``production_problems``): a real counter names its export.
    ``mode = "http"`` asks the service at ``url`` (default ``sources.ocmw_list.base_url``).
    A file that names only ``url`` means the HTTP service, as it did before CSV became
    the default; a file that chooses ``mode = "csv"`` must name its ``csv_path``.
    """

    mode: Literal["csv", "http"] = "csv"
    csv_path: Path | None = None
    url: str | None = None  # when mode = http and not the sandbox; else sources.ocmw_list.base_url

    @model_validator(mode="before")
    @classmethod
    def _url_alone_means_http(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("url") and "mode" not in data:
            return {**data, "mode": "http"}
        return data

    @model_validator(mode="after")
    def _chosen_csv_has_a_path(self) -> Self:
        # Only the built-in default falls back to the sandbox's list: whoever chooses
        # CSV means a real export, and a forgotten path is said here, not at the desk.
        if self.mode == "csv" and self.csv_path is None and "mode" in self.model_fields_set:
            raise ValueError("ocmw_list.mode = 'csv' needs ocmw_list.csv_path")
        return self

    @staticmethod
    def sandbox_export(personas_dir: Path) -> Path:
        """Where a persona directory keeps its OCMW list (what the sandbox serves)."""
        return personas_dir / "ocmw.csv"

    def export_to_read(self, sandbox_personas: Path | None) -> Path | None:
        """The CSV export the adapter reads, or None: ask the HTTP service instead.

        ``sandbox_personas`` is the embedded sandbox's persona directory (None when the
        sources are not embedded). A persona directory without an OCMW list (such as
        MAGDA-Mock's simulator) is left to the sandbox's endpoint, which answers "not on
        the list" for everyone, as the sandbox always did; reading the missing file
        would make every OCMW fact unknown instead.
        """
        if self.mode == "http":
            return None
        if self.csv_path is not None:
            return self.csv_path
        if sandbox_personas is None:
            return None
        export = self.sandbox_export(sandbox_personas)
        return export if export.is_file() else None

    def production_problems(self) -> list[str]:
        """Why this OCMW list must not be used for real citizens (empty = fine)."""
        if self.mode == "http":
            if self.url and urlsplit(self.url).scheme != "https":
                return ["ocmw_list.url must use https://"]
            return []
        if self.csv_path is None:
            return [
                "ocmw_list.csv_path is required (mode = 'csv', the default, would read the"
                " sandbox's list); or set ocmw_list.mode = 'http'"
            ]
        sandbox_lists = default_personas_dir().resolve()
        if self.csv_path.expanduser().resolve().is_relative_to(sandbox_lists):
            return ["ocmw_list.csv_path is the sandbox's list (fictitious personas)"]
        return []


class SourceFaults(_Section):
    """Misbehaviour of one emulated source (``counter_app.sandbox``). All off by default.

    Defined with the settings, not in the sandbox, so a faults section of the
    configuration is checked when it is loaded (one clear line for a typo), before
    any sandbox starts.
    """

    latency_ms: float = Field(default=0.0, ge=0)  # fixed delay, or lower bound when max is set
    latency_max_ms: float | None = Field(default=None, ge=0)  # uniform in [latency_ms, max]
    error_rate: float = Field(default=0.0, ge=0, le=1)  # share of requests answered HTTP 503
    hang: bool = False  # never answer (until the client gives up)
    malformed: bool = False  # answer cut in the middle: not well-formed XML/JSON
    http_500: bool = False  # every request answered HTTP 500
    magda_busy: bool = False  # MAGDA only: Uitzondering 99995 "too many simultaneous requests"
    rate_limited: bool = False  # HTTP APIs: 429 Too Many Requests

    def delay_seconds(self, rng: random.Random) -> float:
        if self.latency_max_ms is not None and self.latency_max_ms > self.latency_ms:
            return rng.uniform(self.latency_ms, self.latency_max_ms) / 1000
        return self.latency_ms / 1000


class SandboxFaults(_Section):
    """Faults per source (names are rules.facts.SourceId values)."""

    national_register: SourceFaults = SourceFaults()
    social_statutes: SourceFaults = SourceFaults()
    disability_file: SourceFaults = SourceFaults()
    ocmw_list: SourceFaults = SourceFaults()
    uitpas: SourceFaults = SourceFaults()

    def for_source(self, source: SourceId) -> SourceFaults:
        value = getattr(self, source.value, None)
        return value if isinstance(value, SourceFaults) else SourceFaults()

    @classmethod
    def only(cls, source: SourceId, faults: SourceFaults) -> SandboxFaults:
        """All sources healthy except ``source``."""
        return cls.model_validate({source.value: faults})

    @property
    def active(self) -> bool:
        """Whether any source is told to misbehave."""
        return self != SandboxFaults()


class SandboxSettings(_Section):
    """The emulated sources (embedded, and ``counter-app sandbox``); sandbox environment only.

    ``[sandbox.faults.<source>]`` makes a source slow or failing from the configuration
    (``LOKET_SANDBOX__FAULTS__UITPAS__MALFORMED=true``), for demonstrations, training
    and tests of the "check manually" paths; a running server also takes
    ``PUT /_sandbox/faults``.
    """

    faults: SandboxFaults = Field(default_factory=SandboxFaults)


class UitpasSettings(_Section):
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    card_system_id: int = 1  # UiTPAS Gent


class ClerkSettings(_Section):
    """The clerk at this counter; the INSZ goes to MAGDA as Gebruiker when set."""

    name: str = ""
    insz: str | None = None


class JournalSettings(_Section):
    url: str = Field(default_factory=lambda: default_journal_url())
    retention_days: int = Field(default=3650, ge=1)  # MAGDA keeps its own register 10 years


class UiSettings(_Section):
    language: Literal["nl", "en"] = "nl"
    privacy_clear_delay_s: int = Field(default=120, ge=5)  # screen cleared after the card left
    # A manual entry (no card to remove) left without a decision is cleared after this long
    # without keyboard or mouse input; at least 30 s, so the clerk can read the advice.
    manual_entry_idle_clear_s: int = Field(default=300, ge=30)


def default_journal_url() -> str:
    """SQLite in the user's data directory: works on a fresh machine without a server."""
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data_dir / 'journal.sqlite3'}"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "loket.toml"


def default_personas_dir() -> Path:
    return resources_dir() / "personas"


class TrustSettings(_Section):
    """Which roots an eID's certificates must chain to (see ``cardreader.trust.TrustStore``)."""

    production_roots_dir: Path = Field(
        default_factory=lambda: resources_dir() / "trust" / "belgium"
    )
    # None = the simulator's test roots outside production, none in production
    test_roots_dir: Path | None = None

    def test_roots_for(self, environment: Environment) -> Path | None:
        if environment is Environment.PRODUCTION:
            return None
        return self.test_roots_dir or resources_dir() / "trust" / "test"


# The file load_settings() asked for; read by settings_customise_sources (a class hook).
_toml_file: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "loket_toml_file", default=None
)


class Settings(BaseSettings):
    """Everything one counter needs to run. Frozen: reload to change."""

    model_config = SettingsConfigDict(
        env_prefix="LOKET_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    environment: Environment = Environment.SANDBOX
    counter_id: str = "counter-1"
    clerk: ClerkSettings = Field(default_factory=ClerkSettings)
    magda: MagdaSettings = Field(default_factory=MagdaSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    check_deadline_s: float = Field(default=10.0, gt=0)  # the whole check, all sources together
    tls: TlsSettings = Field(default_factory=TlsSettings)
    ocmw_list: OcmwListSettings = Field(default_factory=OcmwListSettings)
    uitpas: UitpasSettings = Field(default_factory=UitpasSettings)
    personas_dir: Path = Field(default_factory=default_personas_dir)  # sandbox only
    trust: TrustSettings = Field(default_factory=TrustSettings)
    journal: JournalSettings = Field(default_factory=JournalSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)

    @property
    def test_mode(self) -> bool:
        """Test identities (month + 60) and test cards are accepted only outside production."""
        return self.environment is not Environment.PRODUCTION

    @property
    def uses_sandbox(self) -> bool:
        return any(s.base_url == INPROCESS for s in self.sources.all().values())

    @property
    def signs_magda_requests(self) -> bool:
        """Whether requests to a real (not embedded) MAGDA carry a WS-Security signature."""
        if self.magda.ws_security is None:
            return self.tls.has_client_identity and self.environment is not Environment.SANDBOX
        return self.magda.ws_security and self.tls.has_client_identity

    @model_validator(mode="after")
    def _signing_has_a_certificate(self) -> Self:
        if self.magda.ws_security and not self.tls.has_client_identity:
            raise ValueError("magda.ws_security = true needs tls.client_cert and tls.client_key")
        return self

    @model_validator(mode="after")
    def _faults_only_in_the_sandbox(self) -> Self:
        # Injected faults make every advice "check manually": never at a real counter.
        if self.sandbox.faults.active and self.environment is not Environment.SANDBOX:
            raise ValueError(
                f"sandbox.faults are refused in the {self.environment.value} environment "
                "(only environment = 'sandbox' may inject faults)"
            )
        return self

    @model_validator(mode="after")
    def _production_is_real(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            problems = production_problems(self)
            if problems:
                raise ValueError("production refuses: " + "; ".join(problems))
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = _toml_file.get()
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def _is_test_trust_dir(path: Path) -> bool:
    return any(part.lower() in {"test", "tests", "testing", "sandbox"} for part in path.parts)


def production_problems(settings: Settings) -> list[str]:
    """Every reason this configuration must not reach real citizens' data (empty = fine)."""
    problems: list[str] = []
    if settings.clerk.insz and is_test_number(settings.clerk.insz):
        problems.append("clerk.insz is a test INSZ (month + 60)")
    for name, source in settings.sources.all().items():
        url = source.base_url
        if url == INPROCESS:
            problems.append(f"sources.{name}.base_url is the embedded sandbox ('inprocess')")
        elif urlsplit(url).scheme != "https":
            problems.append(f"sources.{name}.base_url must use https://")
        elif "sandbox" in (urlsplit(url).hostname or ""):
            problems.append(f"sources.{name}.base_url points at a sandbox")
    problems.extend(settings.ocmw_list.production_problems())
    if settings.trust.test_roots_dir is not None:
        problems.append("trust.test_roots_dir is set (test eID roots)")
    if _is_test_trust_dir(settings.trust.production_roots_dir):
        problems.append("trust.production_roots_dir is a test trust root directory")
    if not settings.tls.has_client_identity:
        problems.append("tls.client_cert and tls.client_key are required (MAGDA needs mutual TLS)")
    if settings.magda.ws_security is False:
        problems.append("magda.ws_security = false (production MAGDA requests must be signed)")
    return problems


def unfinished_for(settings: Settings) -> list[str]:
    """What this version cannot yet do for the chosen environment, said up front.

    The embedded sandbox needs none of it; against real platforms these gaps would
    otherwise surface as puzzling refusals at the counter.
    """
    if settings.environment == "sandbox":
        return []
    return [
        "the purposes (Hoedanigheid) in the rule files are placeholders to be confirmed",
    ]


def _first_error_line(err: ValidationError) -> str:
    lines = []
    for item in err.errors():
        where = ".".join(str(p) for p in item["loc"]) or "configuration"
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Read ``path`` (default: the user's ``loket.toml`` if present), then ``LOKET_*``.

    ``overrides`` (keyword arguments) win over both; the CLI uses them for its flags.
    Raises ``ConfigError`` with a one-line message; never a traceback for the user.
    """
    if path is None:
        candidate = default_config_path()
        path = candidate if candidate.is_file() else None
    elif not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    token = _toml_file.set(path)
    try:
        return Settings(**overrides)
    except ValidationError as err:
        where = f"{path}: " if path is not None else ""
        raise ConfigError(f"invalid configuration: {where}{_first_error_line(err)}") from None
    except (OSError, ValueError) as err:  # unreadable file, TOML syntax error
        raise ConfigError(f"cannot read configuration {path}: {err}") from None
    finally:
        _toml_file.reset(token)
