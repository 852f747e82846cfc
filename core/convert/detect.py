"""Which parser reads a foreign VM: ``read_source(path)`` chooses it from the file's extension and content (or the
one descriptor inside a folder) and refuses what it does not recognise, naming the formats it knows.

The parsers are imported when they are needed, so that one missing or broken format does not stop the others."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

from .source import ConvertError, SourceVm

__all__ = ["FORMATS", "KNOWN", "guess_format", "read_source"]

# format -> (module, function, what it is)
FORMATS = {
    "vmx": ("vmx", "parse_vmx", "VMware .vmx"),
    "ovf": ("ovf", "parse_ovf", "OVF .ovf"),
    "ova": ("ova", "parse_ova", "OVA .ova"),
    "vbox": ("vbox", "parse_vbox", "VirtualBox .vbox"),
    "libvirt": ("libvirt_xml", "parse_libvirt_xml", "libvirt domain .xml"),
    "hyperv": ("hyperv", "parse_hyperv_xml", "Hyper-V 2008 R2/2012 export (Virtual Machines/*.xml)"),
}
KNOWN = ", ".join(what for _m, _f, what in FORMATS.values()) + ", or a folder holding one of them"
_EXTENSIONS = {".vmx": "vmx", ".ovf": "ovf", ".ova": "ova", ".vbox": "vbox"}
_SNIFF_BYTES = 64 << 10
_ROOTS = {"domain": "libvirt", "configuration": "hyperv", "Envelope": "ovf", "VirtualBox": "vbox"}
_SKIP = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_VMX_KEY = re.compile(r'^\s*(config\.version|virtualhw\.version|displayname|memsize|guestos)\s*=\s*"',
                      re.I | re.M)
MAX_FOLDER_ENTRIES = 10_000


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(_SNIFF_BYTES)
    except OSError as e:
        raise ConvertError(path, f"cannot read: {e.strerror or e}") from None


def _text(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "ignore")
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be", "ignore")
    if len(data) >= 2 and data[0] != 0 and data[1] == 0:
        return data.decode("utf-16-le", "ignore")
    return data.decode("utf-8", "ignore").lstrip("\ufeff")


def xml_root(data: bytes) -> str:
    """The local name of the first element of XML text ("" when it does not look like XML)."""
    text, pos = _text(data), 0
    while True:
        m = _SKIP.match(text, pos)
        if not m:
            break
        pos = m.end()
    m = _ROOT.match(text, pos)
    return m.group(2) if m else ""


def guess_format(path) -> str:
    """The format of the file at ``path`` (a key of FORMATS), by its extension and content; "" unknown."""
    path = Path(path)
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt:
        return fmt
    data = _head(path)
    root = xml_root(data)
    if root:
        return _ROOTS.get(root, "")
    if len(data) > 262 and data[257:262] == b"ustar":
        return "ova"
    if _VMX_KEY.search(_text(data[:8192])):
        return "vmx"
    return ""


def _descriptors(folder: Path) -> list[Path]:
    """The VM descriptors in ``folder`` (not its subfolders, except a Hyper-V export's Virtual Machines)."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise ConvertError(folder, f"cannot list the folder: {e.strerror or e}") from None
    if len(entries) > MAX_FOLDER_ENTRIES:
        raise ConvertError(folder, f"more than {MAX_FOLDER_ENTRIES} entries: name the descriptor to convert")
    for entry in entries:
        p = Path(entry.path)
        try:
            is_file, is_dir = entry.is_file(), entry.is_dir()
        except OSError:
            continue
        ext = p.suffix.lower()
        if is_file and ext in _EXTENSIONS:
            found.append(p)
        elif is_file and ext == ".xml" and guess_format(p) in ("libvirt", "hyperv"):
            found.append(p)
        elif is_dir and entry.name.lower() == "virtual machines":
            try:
                inner = sorted(os.scandir(p), key=lambda e: e.name)[:MAX_FOLDER_ENTRIES]
            except OSError:
                continue
            found.extend(Path(e.path) for e in inner
                         if e.name.lower().endswith(".xml") and e.is_file() and guess_format(e.path) == "hyperv")
    return found


def _parser(fmt: str, path: Path):
    module, function, what = FORMATS[fmt]
    try:
        mod = importlib.import_module(f"{__package__}.{module}")
    except ImportError:
        raise ConvertError(path, f"reading {what} files is not available in this version") from None
    return getattr(mod, function)


def read_source(path, workdir=None) -> SourceVm:
    """The ``SourceVm`` of a foreign VM: a .vmx, .ovf, .ova (extracted into ``workdir``, an existing folder),
    .vbox, libvirt domain XML, a Hyper-V export's configuration XML, or a folder holding exactly one of them.
    ConvertError (one line naming the file) for anything else."""
    path = Path(path)
    try:
        if path.is_dir():
            found = _descriptors(path)
            if not found:
                raise ConvertError(path, f"no VM descriptor in this folder (looked for {KNOWN})")
            if len(found) > 1:
                names = ", ".join(str(p.relative_to(path)) for p in found[:5])
                more = f" and {len(found) - 5} more" if len(found) > 5 else ""
                raise ConvertError(path, f"{len(found)} VM descriptors in this folder ({names}{more}): name the one "
                                         "to convert")
            path = found[0]
        elif not path.exists():
            raise ConvertError(path, "no such file or folder")
        elif not path.is_file():
            raise ConvertError(path, "not a file or a folder")
    except OSError as e:
        raise ConvertError(path, f"cannot read: {e.strerror or e}") from None
    fmt = guess_format(path)
    if not fmt:
        raise ConvertError(path, f"not a VM description this version reads (it reads {KNOWN})")
    parse = _parser(fmt, path)
    try:
        if fmt == "ova":
            if workdir is None:
                raise ConvertError(path, "an OVA is extracted before it is read: give a folder to extract it into")
            return parse(path, workdir)
        return parse(path)
    except ConvertError:
        raise
    except (OSError, ValueError, LookupError, RecursionError) as e:
        # a parser's own check should have caught it; still one line naming the file, never a traceback
        raise ConvertError(path, f"cannot be read as {FORMATS[fmt][2]}: {type(e).__name__}: {str(e)[:120]}") \
            from None
