"""Check the card's signatures on another core while the rest of the card is still being read.

Why: most of a reading is waiting for the reader (a quarter of a millisecond
per APDU through pcscd, several milliseconds on a USB reader), and on applet
1.8 cards each signature is an ECDSA P-384 verification of about 0.6 ms.
``cryptography`` releases the GIL while it verifies, so the identity
signature can be checked while the address and its signature are read, and
the address signature while the basic key is read: the reading ends when the
card I/O ends, not a millisecond later.

This is not a cache. Results belong to one reading, are looked up by the exact
certificate, signature and message bytes they were computed on, and are used
at most once; anything that does not match (a card re-read after a reset, a
file that changed) is simply verified again the ordinary way. A failure here
(no thread available, an unexpected exception) also falls back to the
ordinary way, so this module can make a reading faster but never different.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from cryptography import x509

from cardreader.errors import CardDataError
from cardreader.integrity import (
    Verifier,
    load_rrn_certificate,
    signature_forms,
    signature_verifier,
)
from cardreader.parse import strip_padding

log = logging.getLogger(__name__)

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """Two threads for the whole process: a reading has at most two signatures in flight."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="eid-verify")
        return _pool


_Key = tuple[bytes, bytes]  # (signature, message)


class EarlySignatureChecks:
    """Starts each signature check as soon as the files it needs have been read.

    Feed it every file as it arrives (``file_read``, the reading's ``on_file``
    hook); hand ``verifier_for`` to ``integrity.verify`` afterwards.
    """

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._cert: x509.Certificate | None = None
        self._base: Verifier | None = None
        self._pending: dict[_Key, Future[bool]] = {}
        self.started = 0  # how many checks ran early (tests and the benchmark look)

    def file_read(self, name: str, content: bytes | None) -> None:
        """One file of the card, exactly as read (None: the card does not have it)."""
        if content is None:
            return
        self._files[name] = content
        if name == "rrn_certificate":
            self._load_certificate(content)
        if self._base is None:
            return
        files = self._files
        identity_signature = files.get("identity_signature")
        if identity_signature is None:
            return
        if "identity" in files:
            self._start(identity_signature, files["identity"])
        address, address_signature = files.get("address"), files.get("address_signature")
        if address is not None and address_signature is not None:
            # The first form is the one the card normally signs; another one, if
            # the first fails, is checked the ordinary way.
            form = signature_forms(identity_signature)[0]
            self._start(address_signature, strip_padding(address) + form)

    def verifier_for(self, cert: x509.Certificate) -> Verifier | None:
        """``integrity.signature_verifier`` that first takes a matching result computed early."""
        base = signature_verifier(cert)
        if base is None or self._cert is None or cert != self._cert:
            return base

        def verify(signature: bytes, message: bytes) -> bool:
            future = self._pending.pop((signature, message), None)
            if future is not None:
                try:
                    return future.result()
                except Exception:  # pragma: no cover - the verifiers catch their own errors
                    log.debug("an early signature check failed; checking again", exc_info=True)
            return base(signature, message)

        return verify

    def cancel(self) -> None:
        """Drop checks whose result nobody will ask for (the reading failed)."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()

    def _load_certificate(self, content: bytes) -> None:
        try:
            cert = load_rrn_certificate(content)
        except CardDataError:
            return  # verify() reports the broken certificate
        self._cert = cert
        self._base = signature_verifier(cert)

    def _start(self, signature: bytes, message: bytes) -> None:
        """Start one check unless the same bytes are already in flight (files re-read)."""
        base = self._base
        if base is None or (signature, message) in self._pending:
            return
        try:
            future = _executor().submit(base, signature, message)
        except RuntimeError:  # interpreter shutting down: verify() checks the ordinary way
            return
        self._pending[(signature, message)] = future
        self.started += 1
