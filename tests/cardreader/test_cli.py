"""``python -m cardreader`` as a user runs it: a subprocess, exit codes, stderr, JSON keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cardreader.errors import (
    CardDataError,
    InvalidNationalNumberError,
    NotAnEidError,
    ServiceUnavailableError,
)
from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.profile import load_profile

REPO = Path(__file__).resolve().parents[2]
STABLE_KEYS = {
    "national_number",
    "surname",
    "given_names",
    "birth_date",
    "birth_date_raw",
    "sex",
    "nationality",
    "document_type",
    "card_number",
    "validity_start",
    "validity_end",
    "address",
    "verification",
}
VERIFICATION_KEYS = {
    "identity_signature",
    "address_signature",
    "photo_hash",
    "rrn_chain",
    "verdict",
}


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardreader", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], exit_code: int) -> None:
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert result.stdout == ""


def test_simulated_read_json_has_the_stable_keys() -> None:
    result = run_cli("read", "--simulated", "be-adult-ec-18", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data.keys() >= STABLE_KEYS
    assert data["verification"].keys() >= VERIFICATION_KEYS
    assert set(data["address"]) == {"street_and_number", "postal_code", "municipality"}
    profile = load_profile("be-adult-ec-18")
    assert profile.identity is not None and profile.address is not None
    assert data["national_number"] == profile.identity.national_number
    assert data["surname"] == profile.identity.surname
    assert data["address"]["postal_code"] == profile.address.postal_code
    assert data["verification"]["verdict"] == "authentic"
    assert data["apdu_count"] > 0


def test_simulated_read_with_photo_checks_the_photo_hash() -> None:
    ok = json.loads(run_cli("read", "--simulated", "be-adult-ec-18", "--json", "--photo").stdout)
    assert ok["verification"]["photo_hash"] == "valid"
    bad = json.loads(
        run_cli("read", "--simulated", "tampered-photo-ec-18", "--json", "--photo").stdout
    )
    assert bad["verification"]["photo_hash"] == "invalid"
    assert bad["verification"]["verdict"] == "not_authentic"


def test_life_cycle_is_reported_and_a_card_not_activated_is_flagged() -> None:
    normal = json.loads(run_cli("read", "--simulated", "be-adult-ec-18", "--json").stdout)
    assert normal["verification"]["life_cycle"] == "personalised"
    result = run_cli("read", "--simulated", "not-personalised-ec-18", "--json")
    assert result.returncode == 0, result.stderr
    inactive = json.loads(result.stdout)["verification"]
    assert inactive["life_cycle"] == "not_personalised"
    assert inactive["verdict"] == "authentic"  # the data itself is genuine
    assert any("not activated" in reason for reason in inactive["reasons"])
    text = run_cli("read", "--simulated", "not-personalised-ec-18").stdout
    assert "NOT ACTIVATED" in text


def test_unknown_future_tags_are_in_the_output_raw() -> None:
    future = json.loads(run_cli("read", "--simulated", "future-card-ec-18", "--json").stdout)
    assert future["unknown_tags"], "the future card's extra tag is missing from the JSON"
    assert all(len(tag) == 2 for tag in future["unknown_tags"])
    assert future["verification"]["verdict"] == "authentic"
    plain = json.loads(run_cli("read", "--simulated", "be-adult-ec-18", "--json").stdout)
    assert plain["unknown_tags"] == {}


def test_bare_year_birth_date_is_null_with_raw_text() -> None:
    data = json.loads(run_cli("read", "--simulated", "be-bare-year-ec-18", "--json").stdout)
    assert data["birth_date"] is None
    profile = load_profile("be-bare-year-ec-18")
    assert profile.identity is not None
    assert data["birth_date_raw"] == profile.identity.birth_date


def test_human_output_starts_with_the_verdict() -> None:
    result = run_cli("read", "--simulated", "tampered-identity-ec-18")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["Verdict:", "not_authentic"]


def test_not_an_eid_exit_code() -> None:
    assert_one_line_error(run_cli("read", "--simulated", "not-an-eid"), NotAnEidError.exit_code)


def test_unknown_profile_exit_code() -> None:
    assert_one_line_error(run_cli("read", "--simulated", "no-such-card"), CardDataError.exit_code)
    assert_one_line_error(run_cli("serve-vpcd", "no-such-card"), CardDataError.exit_code)


def test_service_not_running_exit_code(tmp_path: Path) -> None:
    # libpcsclite looks for pcscd at PCSCLITE_CSOCK_NAME: point it at nothing.
    env = {"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    assert_one_line_error(run_cli("read", env=env), ServiceUnavailableError.exit_code)
    assert_one_line_error(run_cli("readers", env=env), ServiceUnavailableError.exit_code)


def _dump(tmp_path: Path, profile: str) -> dict[str, Path]:
    card = VirtualBelpicCard(profile)
    paths = {}
    for option, key in {
        "--identity": simfiles.IDENTITY,
        "--identity-signature": simfiles.IDENTITY_SIGNATURE,
        "--address": simfiles.ADDRESS,
        "--address-signature": simfiles.ADDRESS_SIGNATURE,
        "--rrn-cert": simfiles.RRN_CERT,
        "--photo": simfiles.PHOTO,
    }.items():
        path = tmp_path / option.strip("-")
        path.write_bytes(card.image.files[key])
        paths[option] = path
    if simfiles.BASIC_PUBLIC_KEY in card.image.files:
        paths["--basic-key"] = tmp_path / "basic-key"
        paths["--basic-key"].write_bytes(card.image.files[simfiles.BASIC_PUBLIC_KEY])
    paths["--card-data"] = tmp_path / "card-data"
    paths["--card-data"].write_bytes(card.image.card_data)
    return paths


def _parse_args(paths: dict[str, Path]) -> list[str]:
    return [part for option, path in paths.items() for part in (option, str(path))]


@pytest.mark.parametrize(
    ("profile", "verdict"),
    [
        ("be-adult-rsa-17", "authentic"),
        ("be-adult-ec-18", "authentic"),  # needs --basic-key and --card-data
        ("tampered-address-rsa-17", "not_authentic"),
    ],
)
def test_parse_dump_files(tmp_path: Path, profile: str, verdict: str) -> None:
    args = _parse_args(_dump(tmp_path, profile))
    result = run_cli("parse", *args, "--trust-test-roots", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data.keys() >= STABLE_KEYS
    assert data["verification"]["verdict"] == verdict
    assert data["verification"]["photo_hash"] == "valid"


def test_parse_applet_18_dump_without_basic_key_is_not_verifiable(tmp_path: Path) -> None:
    paths = _dump(tmp_path, "be-adult-ec-18")
    del paths["--basic-key"]
    result = run_cli("parse", *_parse_args(paths), "--trust-test-roots", "--json")
    assert result.returncode == 0, result.stderr
    verification = json.loads(result.stdout)["verification"]
    assert verification["verdict"] == "not_verifiable"
    assert verification["basic_key_hash"] == "not_checked"


def test_parse_accepts_a_pem_rrn_certificate(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    paths = _dump(tmp_path, "be-adult-rsa-17")
    der = paths["--rrn-cert"].read_bytes()
    certificate = x509.load_der_x509_certificate(der[: 4 + int.from_bytes(der[2:4], "big")])
    paths["--rrn-cert"].write_bytes(certificate.public_bytes(Encoding.PEM))
    result = run_cli("parse", *_parse_args(paths), "--trust-test-roots", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verification"]["verdict"] == "authentic"


@pytest.mark.parametrize(
    "content", [b"-----BEGIN CERTIFICATE-----\nnonsense\n", b"\x30\x82garbage"]
)
def test_parse_unreadable_rrn_certificate_is_a_file_error(tmp_path: Path, content: bytes) -> None:
    """A file that is no certificate is a bad input (exit 17), not an altered card."""
    paths = _dump(tmp_path, "be-adult-rsa-17")
    paths["--rrn-cert"].write_bytes(content)
    result = run_cli("parse", *_parse_args(paths), "--trust-test-roots", "--json")
    assert_one_line_error(result, CardDataError.exit_code)
    assert "RRN certificate" in result.stderr


def test_parse_test_card_outside_test_mode_is_refused(tmp_path: Path) -> None:
    args = _parse_args(_dump(tmp_path, "be-adult-rsa-17"))
    result = run_cli("parse", *args, "--json")
    assert_one_line_error(result, InvalidNationalNumberError.exit_code)
    profile = load_profile("be-adult-rsa-17")
    assert profile.identity is not None
    assert profile.identity.national_number not in result.stderr


def test_parse_unreadable_or_garbage_files(tmp_path: Path) -> None:
    missing = run_cli("parse", "--identity", str(tmp_path / "absent.bin"))
    assert_one_line_error(missing, CardDataError.exit_code)
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x01\xff\xff\xff")
    assert_one_line_error(run_cli("parse", "--identity", str(garbage)), CardDataError.exit_code)
    directory = run_cli("parse", "--identity", str(tmp_path))
    assert_one_line_error(directory, CardDataError.exit_code)


def test_usage_errors_exit_2() -> None:
    assert run_cli().returncode == 2
    assert run_cli("read", "--reader", "x", "--simulated", "y").returncode == 2
    assert run_cli("--help").returncode == 0


def test_parse_card_data_of_the_wrong_length_is_a_file_error(tmp_path: Path) -> None:
    paths = _dump(tmp_path, "be-adult-ec-18")
    paths["--card-data"].write_bytes(bytes(20))
    result = run_cli("parse", *_parse_args(paths), "--trust-test-roots", "--json")
    assert_one_line_error(result, CardDataError.exit_code)
    assert "card data" in result.stderr
