"""Test doubles that are real HTTP servers: they answer with crafted bytes.

The sandbox is well-behaved by design; these tiny ASGI apps stand in for a
broken or hostile source (XML bombs, huge or foreign answers) so the adapters'
defences are exercised over a real request/response exchange.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<Persoon><INSZ>&lol9;</INSZ></Persoon></soapenv:Body></soapenv:Envelope>
"""


def fixed_app(body: bytes, status: int = 200, media_type: str = "text/xml") -> Starlette:
    async def answer(request: Request) -> Response:
        await request.body()
        return Response(body, status_code=status, media_type=media_type)

    return Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST"])])


def echo_app(make: Callable[[str, str], bytes]) -> Starlette:
    """Answers with ``make(message_referte, question_referte)`` of each request."""

    async def answer(request: Request) -> Response:
        root = etree.fromstring(await request.body())
        payload = root.find(f"{{{SOAP}}}Body/*")
        assert payload is not None
        ref = payload.findtext("Verzoek/Context/Bericht/Afzender/Referte") or ""
        qref = payload.findtext("Verzoek/Vragen/Vraag/Referte") or ""
        return Response(make(ref, qref), media_type="text/xml")

    return Starlette(routes=[Route("/{path:path}", answer, methods=["POST"])])


def endless_app(chunk: bytes = b"<a>" + b"x" * 65_536) -> tuple[Starlette, list[int]]:
    """Streams an answer without Content-Length that never ends; counts chunks sent."""
    sent = [0]

    async def stream() -> AsyncIterator[bytes]:
        yield b'<?xml version="1.0"?>'
        while sent[0] < 100_000:
            sent[0] += 1
            await asyncio.sleep(0)  # let the server notice a client that hung up
            yield chunk

    async def answer(request: Request) -> Response:
        await request.body()
        return StreamingResponse(stream(), media_type="text/xml")

    return Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST"])]), sent


def soap_answer(service: str, namespace: str, ref: str, qref: str, antwoord_inner: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>
<web:{service}Response xmlns:web="{namespace}"><Repliek>
<Context><Naam>{service}</Naam><Bericht><Type>ANTWOORD</Type>
<Ontvanger><Identificatie>x</Identificatie><Referte>{ref}</Referte></Ontvanger></Bericht></Context>
<Antwoorden><Antwoord><Referte>{qref}</Referte>{antwoord_inner}</Antwoord></Antwoorden>
</Repliek></web:{service}Response></soapenv:Body></soapenv:Envelope>""".encode()


def exception_xml(code: str, origin: str = "MAGDA", kind: str = "FOUT") -> str:
    return (
        f"<Uitzonderingen><Uitzondering><Identificatie>{code}</Identificatie>"
        f"<Oorsprong>{origin}</Oorsprong><Type>{kind}</Type>"
        f"<Diagnose>diagnose</Diagnose></Uitzondering></Uitzonderingen>"
    )


def write_persona_answer(
    root: Path, domain: str, service: str, version: str, insz: str, body: str
) -> None:
    """A stored answer (MAGDA-Mock layout) whose Antwoord holds ``body``."""
    folder = root / domain / service / version
    folder.mkdir(parents=True, exist_ok=True)
    ns = {
        "GeefPersoon": "http://magda.vlaanderen.be/persoon/soap/geefpersoon/v02_02",
        "GeefSociaalStatuut": "http://magda.vlaanderen.be/soczek/soap/geefsociaalstatuut/v03_00",
        "GeefDossierHandicap": "http://magda.vlaanderen.be/soczek/soap/geefdossierhandicap/v03_00",
    }[service]
    (folder / f"{insz}.xml").write_text(
        f"""<web:{service}Response xmlns:web="{ns}"><Repliek><Context><Naam>{service}</Naam>
<Versie>{version}</Versie><Bericht><Type>ANTWOORD</Type><Tijdstip><Datum>2026-01-01</Datum>
<Tijd>10:00:00.000</Tijd></Tijdstip><Afzender><Identificatie>vip</Identificatie><Referte>a</Referte>
</Afzender><Ontvanger><Identificatie>x</Identificatie><Referte>b</Referte></Ontvanger></Bericht>
</Context><Antwoorden><Antwoord><Referte>q</Referte>{body}</Antwoord></Antwoorden></Repliek>
</web:{service}Response>""",
        encoding="utf-8",
    )
