"""Configuration: file + environment, defaults, and what production refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.config import (
    INPROCESS,
    ConfigError,
    Environment,
    load_settings,
    production_problems,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "config" / "example.toml"

PRODUCTION_OK = """
environment = "production"
[tls]
client_cert = "/etc/loket/client.pem"
client_key = "/etc/loket/client.key"
[sources.national_register]
base_url = "https://magda.example/persoon"
[sources.social_statutes]
base_url = "https://magda.example/soczek"
[sources.disability_file]
base_url = "https://magda.example/soczek"
[sources.ocmw_list]
base_url = "https://ocmw.example/api"
[sources.uitpas]
base_url = "https://api.uitpas.example"
[ocmw_list]
csv_path = "/srv/ocmw/lijst.csv"
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("LOKET_") and name != "LOKET_RESOURCES":
            monkeypatch.delenv(name)
    # no user loket.toml leaks in from the machine running the tests
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loket.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_sandbox_in_test_mode(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.environment is Environment.SANDBOX
    assert settings.test_mode is True
    assert settings.sources.social_statutes.base_url == INPROCESS
    assert settings.ui.language == "nl"
    assert settings.journal.url.startswith("sqlite:///")
    assert str(tmp_path / "xdg-data") in settings.journal.url


def test_example_file_documents_every_key_and_loads() -> None:
    settings = load_settings(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in type(settings).model_fields:
        assert key in text, f"example.toml does not mention {key}"
    for section in ("clerk", "magda", "tls", "ocmw_list", "uitpas", "trust", "journal", "ui"):
        sub = getattr(settings, section)
        for key in type(sub).model_fields:
            assert key in text, f"example.toml does not mention {section}.{key}"
    assert settings.environment is Environment.SANDBOX


def test_file_values_and_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        '[sources.uitpas]\ntimeout_s = 7.5\nretries = 1\n[ui]\nlanguage = "en"\n'
        '[magda.purposes]\nuitpas-kansentarief = "ipdc9999"\n',
    )
    settings = load_settings(path)
    assert settings.sources.uitpas.timeout_s == 7.5
    assert settings.magda.purposes == {"uitpas-kansentarief": "ipdc9999"}
    monkeypatch.setenv("LOKET_SOURCES__UITPAS__TIMEOUT_S", "2")
    monkeypatch.setenv("LOKET_UI__LANGUAGE", "nl")
    settings = load_settings(path)
    assert settings.sources.uitpas.timeout_s == 2.0
    assert settings.sources.uitpas.retries == 1  # the file's other keys in that section stay
    assert settings.ui.language == "nl"


def test_acceptance_is_test_mode_production_is_not() -> None:
    assert load_settings(environment="acceptance").test_mode is True


def test_production_with_real_endpoints_loads(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, PRODUCTION_OK))
    assert settings.environment is Environment.PRODUCTION
    assert settings.test_mode is False
    assert production_problems(settings) == []
    assert settings.trust.test_roots_for(settings.environment) is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[clerk]\ninsz = "01700462685"\n', "test INSZ"),
        ('[trust]\ntest_roots_dir = "/x/trust/test"\n', "test eID roots"),
        ('[sources.uitpas]\nbase_url = "inprocess"\n', "sandbox"),
        ('[sources.uitpas]\nbase_url = "http://api.uitpas.example"\n', "https://"),
        ('[sources.ocmw_list]\nbase_url = "https://sandbox.example"\n', "sandbox"),
        ('[ocmw_list]\nurl = "http://ocmw.example"\n', "ocmw_list.url must use https"),
        ('[ocmw_list]\nmode = "http"\n', ""),  # the HTTP service at sources.ocmw_list
        (f'[ocmw_list]\ncsv_path = "{REPO}/resources/personas/ocmw.csv"\n', "sandbox's list"),
    ],
)
def test_production_refusals(tmp_path: Path, extra: str, message: str) -> None:
    text = PRODUCTION_OK
    # later TOML tables with the same name are errors: replace the section instead
    for header in ("[sources.uitpas]", "[sources.ocmw_list]", "[ocmw_list]"):
        if extra.startswith(header):
            start = text.index(header)
            end = text.index("\n", text.index("=", start)) + 1
            text = text[:start] + text[end:]
    if not message:  # not a refusal: the replaced section is fine in production
        load_settings(write(tmp_path, text + extra))
        return
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text + extra))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "01700462685" not in str(caught.value)  # no personal data in the message


def test_production_needs_its_own_ocmw_list(tmp_path: Path) -> None:
    """The default OCMW list (CSV without a path) is the sandbox's: not for real citizens."""
    text = PRODUCTION_OK.replace('[ocmw_list]\ncsv_path = "/srv/ocmw/lijst.csv"\n', "")
    with pytest.raises(ConfigError, match=r"ocmw_list\.csv_path is required"):
        load_settings(write(tmp_path, text))


def test_production_needs_mutual_tls(tmp_path: Path) -> None:
    text = PRODUCTION_OK.replace('client_cert = "/etc/loket/client.pem"\n', "")
    with pytest.raises(ConfigError, match="mutual TLS"):
        load_settings(write(tmp_path, text))


def test_environment_variable_can_switch_to_production_and_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOKET_ENVIRONMENT", "production")
    with pytest.raises(ConfigError, match="inprocess"):
        load_settings()


@pytest.mark.parametrize(
    "text",
    [
        "retries = 1\n",  # unknown top-level key (belongs in a source section)
        "[sources.uitpas]\ntimeout_s = -1\n",
        '[ui]\nlanguage = "fr"\n',
        'environment = "staging"\n',
        "this is not toml",
        '[ocmw_list]\nmode = "csv"\n',  # csv without a path
    ],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_user_config_file_is_picked_up(tmp_path: Path) -> None:
    user_file = tmp_path / "xdg-config" / "loket" / "loket.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('counter_id = "zuid-3"\n', encoding="utf-8")
    assert load_settings().counter_id == "zuid-3"
