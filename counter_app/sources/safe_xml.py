"""Parsing untrusted XML answers without letting them reach into memory, disk or network.

SOAP 1.1 forbids a document type declaration, so any answer that carries one is
refused outright: that closes entity expansion ("billion laughs"), external
entities and DTD retrieval before libxml2 sees them. The parser itself is also
configured defensively (no entity resolution, no network, no huge trees) as a
second line.
"""

from __future__ import annotations

from lxml import etree

from counter_app.sources.errors import UnsafeAnswer

# The DTD scan looks only at the prolog: a declaration must come before the root element.
_PROLOG_SCAN_BYTES = 4096


def _parser(*, keep_markup: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=not keep_markup,
        remove_pis=not keep_markup,
        collect_ids=False,
    )


def parse_untrusted(body: bytes, *, keep_markup: bool = False) -> etree._Element:
    """The root element of ``body``; UnsafeAnswer if it has a DTD or is not well-formed XML.

    Comments and processing instructions are dropped unless ``keep_markup``: a
    signature check needs the document exactly as received (canonical XML keeps
    processing instructions), so it can refuse what it cannot vouch for.
    """
    head = body[:_PROLOG_SCAN_BYTES].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in body.upper():
        raise UnsafeAnswer("answer with a document type declaration refused")
    try:
        root = etree.fromstring(body, parser=_parser(keep_markup=keep_markup))
    except etree.XMLSyntaxError as exc:
        raise UnsafeAnswer(f"answer is not well-formed XML (line {exc.lineno})") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeAnswer("answer with a document type declaration refused")
    return root


def local_name(element: etree._Element) -> str:
    """The element name without namespace (MAGDA payloads are mostly unqualified)."""
    return etree.QName(element).localname


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """Follow unqualified child names; None as soon as one is missing."""
    current = element
    for name in path:
        if current is None:
            return None
        current = next(
            (c for c in current if isinstance(c.tag, str) and local_name(c) == name), None
        )
    return current


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and local_name(c) == name]


def text(element: etree._Element | None, *path: str) -> str | None:
    """Stripped text at ``path`` below ``element``, or None when absent/empty."""
    found = child(element, *path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None
