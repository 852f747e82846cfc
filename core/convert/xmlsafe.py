"""The one loader of foreign XML (OVF, VirtualBox, libvirt, Hyper-V): bounded in size and depth, parsed with
defusedxml (no DTD, no entity, no external reference), every element remembering its line so that a parser's
complaint names the line of the descriptor. Also the small helpers every XML parser uses: children by local name
(the formats' namespaces vary between versions), attributes by local name, checked integers."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

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


class _Builder(TreeBuilder):
    """ElementTree's builder, remembering the line where each element starts and bounding depth and count."""

    def __init__(self, path) -> None:
        super().__init__()
        self.path = path
        self.lines: dict[int, int] = {}
        self.depth = 0
        self.parser = None  # the DefusedXMLParser feeding this builder (its .parser is the expat parser)

    def line(self) -> int | None:
        return self.parser.parser.CurrentLineNumber if self.parser is not None else None

    def start(self, tag, attrs):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConvertError(self.path, f"elements nested more than {MAX_DEPTH} deep", self.line())
        if len(self.lines) >= MAX_ELEMENTS:
            raise ConvertError(self.path, f"more than {MAX_ELEMENTS} elements: not a descriptor", self.line())
        elem = super().start(tag, attrs)
        self.lines[id(elem)] = self.line() or 0
        return elem

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


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
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ConvertError:
        raise
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else builder.line()
        what = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise ConvertError(path, f"not well-formed XML: {short(what, 100)}", line) from None
    except DefusedXmlException as exc:
        kind = type(exc).__name__
        what = {"DTDForbidden": "a DTD (<!DOCTYPE>) is not accepted in a descriptor",
                "EntitiesForbidden": "entity declarations are not accepted in a descriptor",
                "ExternalReferenceForbidden": "external references are not accepted in a descriptor"}
        raise ConvertError(path, what.get(kind, f"refused XML: {kind}"), builder.line()) from None
    except (ValueError, LookupError, UnicodeError, RecursionError, TypeError) as exc:
        raise ConvertError(path, f"cannot be read as XML: {short(exc, 100)}", builder.line()) from None
    finally:
        builder.parser = None
    if root is None:
        raise ConvertError(path, "holds no XML element")
    return XmlDoc(path, root, builder.lines, notes)


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
