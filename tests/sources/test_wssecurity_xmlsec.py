"""Independent proof that the signature is standard XML-DSig: the ``xmlsec1`` tool verifies it.

xmlsec1 (libxmlsec1, Debian package ``xmlsec1``) knows nothing of WS-Security: it is
told which attributes are Ids (``--id-attr:Id <namespace>:<element>``, matching the
attribute by its local name, so ``wsu:Id`` on soap:Body and wsu:Timestamp) and is
given the certificate directly (``--pubkey-cert-pem``), since it does not follow a
``wsse:SecurityTokenReference``. ``./loket.sh test`` installs the package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from counter_app.sources.wssecurity import SOAP_ENV_NS, WSU_NS, WsSecuritySigner
from tests.sources.test_wssecurity import envelope
from tests.sources.wsspki import KINDS, Identity, make_identity

XMLSEC_ID_FLAGS = (
    "--id-attr:Id",
    f"{SOAP_ENV_NS}:Body",
    "--id-attr:Id",
    f"{WSU_NS}:Timestamp",
)


@pytest.fixture(scope="module")
def xmlsec1() -> str:
    tool = shutil.which("xmlsec1")
    if tool is None:
        pytest.fail(
            "xmlsec1 is not installed: run the README's test command (./loket.sh test), "
            "which installs the Debian package xmlsec1, or apt-get install xmlsec1"
        )
    return tool


def xmlsec_verify(tool: str, document: Path, cert: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool, "--verify", *XMLSEC_ID_FLAGS, "--pubkey-cert-pem", str(cert), str(document)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def sign_to_file(identity: Identity, path: Path) -> Path:
    signer = WsSecuritySigner.from_pem_files(identity.cert, identity.key)
    path.write_bytes(signer.sign(envelope()))
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_xmlsec1_verifies_our_signature(xmlsec1: str, tmp_path: Path, kind: str) -> None:
    identity = make_identity(tmp_path, kind)
    document = sign_to_file(identity, tmp_path / "signed.xml")
    result = xmlsec_verify(xmlsec1, document, identity.cert)
    assert result.returncode == 0, result.stderr
    assert "SignedInfo References (ok/all): 2/2" in result.stderr


def test_xmlsec1_refuses_a_changed_body_or_another_certificate(
    xmlsec1: str, tmp_path: Path
) -> None:
    """The same flags do fail when they should: the positive test above proves something."""
    identity = make_identity(tmp_path, "rsa-2048")
    other = make_identity(tmp_path, "rsa-2048", name="someone else")
    document = sign_to_file(identity, tmp_path / "signed.xml")
    changed = tmp_path / "changed.xml"
    changed.write_bytes(document.read_bytes().replace(b"01700462685", b"62691699717"))
    assert xmlsec_verify(xmlsec1, changed, identity.cert).returncode != 0
    assert xmlsec_verify(xmlsec1, document, other.cert).returncode != 0
