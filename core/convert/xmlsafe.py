"""The one loader of foreign XML (OVF, VirtualBox, libvirt, Hyper-V): bounded in size and depth, parsed with
defusedxml (no DTD, no entity, no external reference), every element remembering its line so that a parser's
complaint names the line of the descriptor. Also the small helpers every XML parser uses: children by local name
(the formats' namespaces vary between versions), attributes by local name, checked integers."""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser

from core.convert.source import MAX_DESCRIPTOR, ConvertError

__all__ = ["XmlDoc", "load_xml", "parse_xml_bytes", "local", "namespace", "kids", "kid", "attr", "text_of"]

MAX_DEPTH = 200  # elements nested deeper than this are refused (no real descriptor comes near)
MAX_ELEMENTS = 300_000  # elements in one descriptor (a .vbox with hundreds of snapshots has tens of thousands)
INT_MAX = (1 << 63) - 1

_DECL = re.compile(rb"^(\xef\xbb\xbf)?(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._-]+)\3", re.I)


class XmlDoc:
    """A parsed descriptor: ``root`` (an ElementTree element with Clark-notation tags ``{ns}name``), ``path`` and
    the line where each element starts (``line(elem)``); ``error(elem, what)`` makes the ConvertError naming the
    file and that line."""

    def __init__(self, path, root: Element, lines: dict[int, int], notes: list[str]) -> None:
        self.path = str(path)
        self.root = root
        self._lines = lines
        self.notes = notes  # what the loader had to work around (an encoding declared wrongly)

    def line(self, elem: Element | None) -> int | None:
        return self._lines.get(id(elem)) if elem is not None else None

    def error(self, elem: Element | None, what: str) -> ConvertError:
        return ConvertError(self.path, what, self.line(elem))

    def int_of(self, elem: Element | None, value, what: str, lo: int = 0, hi: int = INT_MAX) -> int:
        """``value`` (text) as an integer in [lo, hi], else a ConvertError naming ``what`` and the line."""
        text = (value or "").strip()
        if not re.fullmatch(r"[+]?[0-9]{1,19}", text):
            raise self.error(elem, f"{what} is not a whole number: {short(text)!r}")
        number = int(text)
        if not lo <= number <= hi:
            raise self.error(elem, f"{what} {number} is out of range ({lo} to {hi})")
        return number


def short(text: str, limit: int = 60) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[:limit] + "..."


class _Builder(xml.sax.handler.ContentHandler):
    def __init__(self, path) -> None:
        super().__init__()
        self.path = path
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.lines: dict[int, int] = {}
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def _line(self) -> int | None:
        return self.locator.getLineNumber() if self.locator is not None else None

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802
        if len(self.stack) >= MAX_DEPTH:
            raise ConvertError(self.path, f"elements nested more than {MAX_DEPTH} deep", self._line())
        if len(self.lines) >= MAX_ELEMENTS:
            raise ConvertError(self.path, f"more than {MAX_ELEMENTS} elements: not a descriptor", self._line())
        tag = f"{{{name[0]}}}{name[1]}" if name[0] else name[1]
        attrib = {(f"{{{k[0]}}}{k[1]}" if k[0] else k[1]): v for k, v in attrs.items()}
        elem = Element(tag, attrib)
        self.lines[id(elem)] = self._line() or 0
        if self.stack:
            self.stack[-1].append(elem)
        elif self.root is None:
            self.root = elem
        self.stack.append(elem)

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        self.stack.pop()

    def characters(self, content: str) -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        if len(top):
            last = top[-1]
            last.tail = (last.tail or "") + content
        else:
            top.text = (top.text or "") + content


def _fix_declaration(data: bytes, notes: list[str]) -> bytes:
    """A declaration naming UTF-16 on bytes that are really 8-bit (Hyper-V exports do this) is rewritten to
    UTF-8, provided the bytes are UTF-8; real UTF-16 (a BOM or NUL bytes) is left to the parser."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return data
    match = _DECL.match(data)
    if not match or not match.group(4).lower().startswith(b"utf-16"):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    notes.append(f"declared as {match.group(4).decode()} but written in UTF-8; read as UTF-8")
    return data[:match.start(4)] + b"UTF-8" + data[match.end(4):]


def parse_xml_bytes(data: bytes, path) -> XmlDoc:
    """Parse ``data`` (the contents of ``path``) safely; every failure is a ConvertError with the line."""
    if len(data) > MAX_DESCRIPTOR:
        raise ConvertError(path, f"larger than {MAX_DESCRIPTOR >> 20} MiB: not a descriptor")
    notes: list[str] = []
    data = _fix_declaration(data, notes)
    builder = _Builder(path)
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(builder)
    parser.setErrorHandler(xml.sax.handler.ErrorHandler())
    try:
        source = xml.sax.xmlreader.InputSource(str(path))
        source.setByteStream(io.BytesIO(data))
        parser.parse(source)
    except ConvertError:
        raise
    except xml.sax.SAXParseException as exc:
        raise ConvertError(path, f"not well-formed XML: {short(exc.getMessage(), 100)}", exc.getLineNumber()) from None
    except DefusedXmlException as exc:
        kind = type(exc).__name__
        what = {"DTDForbidden": "a DTD (<!DOCTYPE>) is not accepted in a descriptor",
                "EntitiesForbidden": "entity declarations are not accepted in a descriptor",
                "ExternalReferenceForbidden": "external references are not accepted in a descriptor"}
        raise ConvertError(path, what.get(kind, f"refused XML: {kind}"), builder._line()) from None
    except (xml.sax.SAXException, ValueError, LookupError, UnicodeError, RecursionError) as exc:
        raise ConvertError(path, f"cannot be read as XML: {short(exc, 100)}", builder._line()) from None
    if builder.root is None:
        raise ConvertError(path, "holds no XML element")
    return XmlDoc(path, builder.root, builder.lines, notes)


def load_xml(path) -> XmlDoc:
    """Read at most 16 MiB of ``path`` and parse it (``parse_xml_bytes``)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DESCRIPTOR + 1)
    except IsADirectoryError:
        raise ConvertError(path, "is a folder, not a descriptor file") from None
    except OSError as exc:
        raise ConvertError(path, f"cannot be read: {exc.strerror or exc}") from None
    return parse_xml_bytes(data, path)


def local(tag) -> str:
    """The local part of a Clark-notation tag ("{ns}Disk" -> "Disk")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def kids(elem: Element | None, name: str) -> list[Element]:
    """The children of ``elem`` whose local name is ``name`` (whatever their namespace)."""
    return [child for child in elem if local(child.tag) == name] if elem is not None else []


def kid(elem: Element | None, name: str) -> Element | None:
    found = kids(elem, name)
    return found[0] if found else None


def attr(elem: Element | None, name: str, default: str = "") -> str:
    """The attribute ``name`` of ``elem`` with or without a namespace prefix (ovf:href and href alike)."""
    if elem is None:
        return default
    if name in elem.attrib:
        return elem.attrib[name]
    for key, value in elem.attrib.items():
        if local(key) == name:
            return value
    return default


def text_of(elem: Element | None, name: str = "") -> str:
    """The stripped text of ``elem`` (or of its first child named ``name``)."""
    if name:
        elem = kid(elem, name)
    return (elem.text or "").strip() if elem is not None else ""
