"""HTTP plumbing shared by the adapters: mutual TLS clients and byte-capped reads.

A source answer is untrusted input. Reading it with a byte cap (checked on
Content-Length first, then while streaming) means a broken or hostile server
cannot make the counter application allocate unbounded memory.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from pathlib import Path

import httpx

from counter_app.sources.errors import AnswerTooLarge

DEFAULT_MAX_RESPONSE_BYTES = 2_000_000
# The official MAGDA connector uses 15 s connect / 30 s read; the check service
# usually imposes a much shorter overall deadline on top.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=15.0)


def tls_context(
    *,
    ca_bundle: Path | None = None,
    client_cert: Path | None = None,
    client_key: Path | None = None,
    key_password: str | None = None,
) -> ssl.SSLContext:
    """An SSL context for mutual TLS: trust ``ca_bundle`` (else system roots), present our cert."""
    context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
    if client_cert is not None:
        context.load_cert_chain(
            certfile=str(client_cert),
            keyfile=str(client_key) if client_key else None,
            password=key_password,
        )
    return context


def make_http_client(
    *,
    base_url: str = "",
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
    ca_bundle: Path | None = None,
    client_cert: Path | None = None,
    client_key: Path | None = None,
    key_password: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient for one source; with ``transport`` (e.g. ASGITransport) TLS is not used."""
    if transport is not None:
        return httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=timeout, headers=headers
        )
    verify: ssl.SSLContext | bool = True
    if ca_bundle is not None or client_cert is not None:
        verify = tls_context(
            ca_bundle=ca_bundle,
            client_cert=client_cert,
            client_key=client_key,
            key_password=key_password,
        )
    return httpx.AsyncClient(base_url=base_url, verify=verify, timeout=timeout, headers=headers)


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body of a streamed response, refusing it as soon as it exceeds ``max_bytes``."""
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise AnswerTooLarge(f"answer of {declared} bytes refused (limit {max_bytes})")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise AnswerTooLarge(f"answer larger than {max_bytes} bytes refused")
        chunks.append(chunk)
    return b"".join(chunks)


def http_error_is_transient(status_code: int) -> bool:
    """5xx, 429 (rate limited) and 408 may pass on a retry; other 4xx will not."""
    return status_code >= 500 or status_code in (408, 429)


def transport_error_reason(exc: httpx.TransportError) -> str:
    """Plain words for a transport failure, without URLs or payloads."""
    if isinstance(exc, httpx.TimeoutException):
        return "no answer within the time limit"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect to the source"
    return f"transport error ({type(exc).__name__})"
