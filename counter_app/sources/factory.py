"""Building every source adapter from plain values, for real endpoints or the sandbox.

The configuration layer (pydantic-settings) and the CLI decide the values; this
function only wires clients and adapters, so tests and benchmarks can build the
same set against an in-process sandbox (``transport=httpx.ASGITransport(app)``)
or a local server URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from counter_app.sources.base import SourceAdapter
from counter_app.sources.http import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, make_http_client
from counter_app.sources.magda_handicap import GeefDossierHandicapAdapter
from counter_app.sources.magda_persoon import GeefPersoonAdapter
from counter_app.sources.magda_soap import MagdaService
from counter_app.sources.magda_statuten import GeefSociaalStatuutAdapter
from counter_app.sources.ocmw import OcmwCsvAdapter, OcmwHttpAdapter
from counter_app.sources.uitpas import UitpasClient
from counter_app.sources.wssecurity import WsSecuritySigner
from rules.facts import SourceId


@dataclass
class SourceSet:
    """The adapters per source, the UiTPAS client (if configured) and the clients they share."""

    adapters: dict[SourceId, SourceAdapter]
    uitpas: UitpasClient | None = None
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    async def aclose(self) -> None:
        for adapter in self.adapters.values():
            await adapter.aclose()
        if self.uitpas is not None:
            await self.uitpas.aclose()
        for client in self.clients:
            await client.aclose()


def build_adapters(
    *,
    magda_url: str,
    organisation_id: str,
    ocmw_csv: Path | None = None,
    ocmw_url: str | None = None,
    uitpas_url: str | None = None,
    uitpas_client_id: str = "",
    uitpas_client_secret: str = "",
    transport: httpx.AsyncBaseTransport | None = None,
    magda_client_cert: Path | None = None,
    magda_client_key: Path | None = None,
    magda_ca_bundle: Path | None = None,
    ca_bundle: Path | None = None,
    timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    magda_service_urls: Mapping[str, str] | None = None,
    magda_ws_security: bool = True,
) -> SourceSet:
    """All adapters. ``magda_url`` is the MAGDA base; each service path is appended.

    The OCMW list comes from ``ocmw_csv`` when given, else from ``ocmw_url``; with
    neither, the OCMW source is absent (its facts stay UNKNOWN). UiTPAS is built
    when ``uitpas_url`` is given. ``transport`` replaces the network (sandbox in-process).
    ``magda_service_urls`` (service name -> full URL, e.g. {"GeefPersoon": "https://..."})
    overrides the endpoint of individual MAGDA services.

    MAGDA requests are signed with WS-Security (the mutual-TLS certificate and key,
    as MAGDA requires) when ``magda_client_cert`` and ``magda_client_key`` are given,
    unless ``magda_ws_security`` is False. An unusable certificate or key raises
    ``wssecurity.SigningSetupError`` (one line) here, before any request.
    """
    overrides = dict(magda_service_urls or {})
    signer = None
    if magda_ws_security and magda_client_cert is not None and magda_client_key is not None:
        signer = WsSecuritySigner.from_pem_files(magda_client_cert, magda_client_key)

    def magda_endpoint(service: MagdaService) -> str:
        return overrides.get(service.name, base + service.default_path)

    magda_client = make_http_client(
        transport=transport,
        timeout=timeout,
        ca_bundle=magda_ca_bundle,
        client_cert=magda_client_cert,
        client_key=magda_client_key,
    )
    clients = [magda_client]
    base = magda_url.rstrip("/")
    adapters: dict[SourceId, SourceAdapter] = {
        SourceId.NATIONAL_REGISTER: GeefPersoonAdapter(
            magda_client,
            url=magda_endpoint(GeefPersoonAdapter.service),
            organisation_id=organisation_id,
            max_response_bytes=max_response_bytes,
            signer=signer,
        ),
        SourceId.SOCIAL_STATUTES: GeefSociaalStatuutAdapter(
            magda_client,
            url=magda_endpoint(GeefSociaalStatuutAdapter.service),
            organisation_id=organisation_id,
            max_response_bytes=max_response_bytes,
            signer=signer,
        ),
        SourceId.DISABILITY_FILE: GeefDossierHandicapAdapter(
            magda_client,
            url=magda_endpoint(GeefDossierHandicapAdapter.service),
            organisation_id=organisation_id,
            max_response_bytes=max_response_bytes,
            signer=signer,
        ),
    }
    if ocmw_csv is not None:
        adapters[SourceId.OCMW_LIST] = OcmwCsvAdapter(ocmw_csv)
    elif ocmw_url is not None:
        ocmw_client = make_http_client(transport=transport, timeout=timeout, ca_bundle=ca_bundle)
        clients.append(ocmw_client)
        adapters[SourceId.OCMW_LIST] = OcmwHttpAdapter(
            ocmw_client, base_url=ocmw_url, max_response_bytes=max_response_bytes
        )
    uitpas = None
    if uitpas_url is not None:
        uitpas_client = make_http_client(transport=transport, timeout=timeout, ca_bundle=ca_bundle)
        clients.append(uitpas_client)
        uitpas = UitpasClient(
            uitpas_client,
            base_url=uitpas_url,
            client_id=uitpas_client_id,
            client_secret=uitpas_client_secret,
            max_response_bytes=max_response_bytes,
        )
    return SourceSet(adapters=adapters, uitpas=uitpas, clients=clients)
