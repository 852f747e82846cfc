"""VMDK descriptors and sparse headers: what a ``.vmdk`` is made of, checked before qemu-img reads it.

``read_vmdk(path)`` takes what a VM names as its disk (a text descriptor, or a sparse file with the descriptor
embedded: monolithicSparse, streamOptimized) and returns a ``Vmdk``: the layout (createType), the CIDs, the parent
(snapshot deltas and linked clones), the extents and the capacity. Every extent and parent file must exist inside
the descriptor's folder; a damaged header or descriptor is a ``ConvertError`` naming the file (and the descriptor's
line). The file qemu-img reads is ``path`` itself with the format "vmdk": qemu follows the extents and parents.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .source import MAX_DESCRIPTOR, ConvertError

__all__ = ["EXTENT_TYPES", "Extent", "Vmdk", "decode_text", "inside", "read_vmdk", "show"]

SECTOR = 512
MAX_SECTORS = 1 << 41  # 1 PiB of 512-byte sectors: far above VMware's 62 TB, far below overflow
MAX_EXTENTS = 1 << 15  # a 62 TB twoGbMaxExtent disk has ~31 000
MAX_CHAIN = 64  # parents followed at most (snapshot deltas, linked clones)
PARENT_WINDOW = 10240  # bytes of a descriptor in which qemu-img looks for the CIDs and parentFileNameHint
MAX_TEXT = (1 << 20) - 1  # bytes of a text descriptor qemu-img reads
NO_PARENT = 0xFFFFFFFF
GD_AT_END = 0xFFFFFFFFFFFFFFFF
FLAG_NL_DETECT = 1 << 0
FLAG_RGD = 1 << 1
FLAG_COMPRESSED = 1 << 16
EXTENT_TYPES = ("SPARSE", "FLAT", "ZERO", "VMFS", "VMFSSPARSE", "SESPARSE")
RAW_DEVICE_EXTENTS = ("VMFSRDM", "VMFSRAW")
# createTypes of a standalone (text) descriptor that qemu-img reads
TEXT_CREATE_TYPES = ("monolithicFlat", "vmfs", "vmfsSparse", "seSparse", "twoGbMaxExtentSparse",
                     "twoGbMaxExtentFlat")
RAW_DEVICE_TYPES = ("vmfsRaw", "vmfsRawDeviceMap", "vmfsPassthroughRawDeviceMap", "fullDevice",
                    "partitionedDevice")
SPLIT_TYPES = ("twoGbMaxExtentSparse", "twoGbMaxExtentFlat")
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "windows-1252": "cp1252", "iso-8859-1": "latin-1",
             "shift_jis": "shift_jis", "gbk": "gbk", "big5": "big5", "euc-kr": "euc-kr"}

# SparseExtentHeader (VMware Virtual Disk Format 1.1): magic, version, flags, capacity, grainSize,
# descriptorOffset, descriptorSize, numGTEsPerGT, rgdOffset, gdOffset, overHead, uncleanShutdown,
# the four line-ending check characters, compressAlgorithm
_HEADER = struct.Struct("<4sIIQQQQIQQQB4sH")
_EXTENT = re.compile(r'(RW|RDONLY|NOACCESS)\s+(\d{1,20})\s+([A-Za-z]+)'
                     r'(?:\s+"([^"\x00-\x1f\x7f]*)"(?:\s+(\d{1,20}))?)?\s*')
QEMU_KEYS = ("cid", "parentcid", "parentfilenamehint", "createtype")
_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_.:-]*)\s*=\s*(.*)")


class Extent(NamedTuple):
    """An extent line: access (RW, RDONLY, NOACCESS), size in sectors, type (EXTENT_TYPES), the absolute path of
    its file and its offset in sectors inside that file (FLAT). ZERO and non-RW extents are refused: qemu-img
    would leave them out."""
    access: str
    sectors: int
    type: str
    file: str
    offset: int


@dataclass
class Vmdk:
    """A VMDK as its descriptor describes it. ``path`` is what qemu-img opens (``qemu_format``); ``capacity`` in
    bytes; ``cid`` / ``parent_cid`` as numbers (``NO_PARENT`` none); ``parent`` the parent's absolute path when
    there is one (read and checked too: ``parent_vmdk``); ``warnings`` what qemu-img reads but the report should
    say (a renamed sparse file, a parent changed after the delta was taken)."""
    path: str
    create_type: str
    cid: int = 0
    parent_cid: int = NO_PARENT
    parent_hint: str = ""
    extents: list[Extent] = field(default_factory=list)
    capacity: int = 0
    qemu_format: str = "vmdk"
    version: int = 1
    adapter_type: str = ""
    parent: str = ""
    parent_vmdk: Vmdk | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def chain(self) -> int:
        """How many files deep the disk is (1: no parent)."""
        return 1 + (self.parent_vmdk.chain if self.parent_vmdk else 0)


def read_vmdk(path) -> Vmdk:
    """Read and check the VMDK at ``path`` (a descriptor or a sparse file with its descriptor inside), its
    extents and its parents. Raises ConvertError naming the file (and the line) for anything qemu-img would
    misread or refuse."""
    return _read(Path(path), set())


def _read(path: Path, seen: set) -> Vmdk:
    try:
        resolved = path.resolve()
        if not resolved.is_file():
            raise ConvertError(path, "no such disk file" if not resolved.exists() else "not a regular file")
        size = resolved.stat().st_size
        with open(resolved, "rb") as f:
            head = f.read(SECTOR)
            if head[:4] == b"KDMV":
                hdr = _sparse(path, f, size)
                if not hdr["desc_size"]:
                    raise ConvertError(path, _EXTENT_ONLY)
                f.seek(hdr["desc_offset"] * SECTOR)
                raw = f.read(hdr["desc_size"] * SECTOR).split(b"\0", 1)[0]
                if not raw.strip():
                    raise ConvertError(path, _EXTENT_ONLY)
            elif head[:4] == b"COWD":
                raise ConvertError(path, "a vmfsSparse delta extent: open the descriptor .vmdk that names it")
            else:
                hdr = None
                if size > MAX_TEXT:
                    raise ConvertError(path, f"not a VMDK descriptor ({size} bytes, no sparse header; qemu-img "
                                             f"reads {MAX_TEXT} at most): a flat extent? open the descriptor "
                                             ".vmdk that names it")
                raw = head + f.read(MAX_TEXT)
    except OSError as e:
        raise ConvertError(path, f"cannot read: {e.strerror or e}") from None
    text, _, padding = raw.partition(b"\0")  # a descriptor may be padded with NULs to a whole sector
    if padding.strip(b"\0") or (padding and not text.strip()):
        raise ConvertError(path, "not a VMDK: neither a sparse disk (KDMV header) nor a text descriptor")
    raw = text
    text, codec = _decode(path, raw)
    vmdk = _parse_descriptor(path, resolved, text, hdr)
    _as_qemu_reads(path, raw, codec, vmdk, text_descriptor=hdr is None)
    seen.add(resolved)
    if vmdk.parent_hint and vmdk.parent_cid != NO_PARENT:
        _read_parent(path, vmdk, seen)
    return vmdk


_EXTENT_ONLY = ("a sparse extent without a descriptor (part of a split disk?): open the descriptor .vmdk that "
                "names it")


def _sparse(path, f, size: int) -> dict:
    """The header of the sparse file open as ``f``; a stream-optimized disk whose header says "grain directory
    at the end" is read from its footer, as qemu-img does (the last three sectors: footer marker, footer, end of
    stream)."""
    f.seek(0)
    hdr = _sparse_header(path, f.read(SECTOR), size)
    if not hdr["gd_at_end"]:
        return hdr
    if size < 4 * SECTOR:
        raise ConvertError(path, "damaged stream-optimized disk: no footer (truncated?)")
    f.seek(size - 3 * SECTOR)
    tail = f.read(3 * SECTOR)
    marker_size, marker_type = struct.unpack_from("<II", tail, 8)
    eos_value, eos_size, eos_type = struct.unpack_from("<QII", tail, 2 * SECTOR)
    if tail[SECTOR:SECTOR + 4] != b"KDMV" or marker_size or marker_type != 3 or eos_value or eos_size or eos_type:
        raise ConvertError(path, "damaged stream-optimized disk: no footer at the end of the file (truncated?)")
    footer = _sparse_header(path, tail[SECTOR:2 * SECTOR], size)
    if footer["gd_at_end"]:
        raise ConvertError(path, "damaged stream-optimized disk: its footer puts the grain directory at the end too")
    return {**footer, "desc_offset": hdr["desc_offset"], "desc_size": hdr["desc_size"]}


def _sparse_header(path, head: bytes, size: int) -> dict:
    """Check a KDMV header; one-line reasons for what is damaged."""
    if len(head) < _HEADER.size or size < SECTOR:
        raise ConvertError(path, "damaged sparse header: the file is shorter than one sector")
    (_, version, flags, capacity, grain, desc_offset, desc_size, gtes, rgd, gd, overhead, _unclean, nl,
     compress) = _HEADER.unpack_from(head)
    sectors = size // SECTOR
    if version not in (1, 2, 3):
        raise ConvertError(path, f"damaged sparse header: unknown version {version}")
    if flags & FLAG_NL_DETECT and nl != b"\n \r\n":
        raise ConvertError(path, "damaged sparse header: its line-ending check bytes changed (copied in text "
                                 "mode?)")
    if not 0 < capacity <= MAX_SECTORS:
        raise ConvertError(path, f"damaged sparse header: capacity of {capacity} sectors")
    if not 1 <= grain <= 1 << 21 or grain & (grain - 1):
        raise ConvertError(path, f"damaged sparse header: grain size of {grain} sectors")
    if not 1 <= gtes <= 512:
        raise ConvertError(path, f"damaged sparse header: {gtes} entries a grain table")
    if desc_size > MAX_DESCRIPTOR // SECTOR:
        raise ConvertError(path, f"damaged sparse header: a descriptor of {desc_size} sectors")
    if desc_size and not (1 <= desc_offset and desc_offset + desc_size <= sectors):
        raise ConvertError(path, "damaged sparse header: the descriptor lies beyond the end of the file "
                                 "(truncated?)")
    if gd == GD_AT_END:
        if not flags & FLAG_COMPRESSED:
            raise ConvertError(path, "damaged sparse header: grain directory at the end of an uncompressed disk")
    elif not gd < sectors or (flags & FLAG_RGD and not rgd < sectors):
        raise ConvertError(path, "damaged sparse header: the grain directory lies beyond the end of the file "
                                 "(truncated?)")
    if overhead > MAX_SECTORS or (gd != GD_AT_END and overhead > sectors):
        raise ConvertError(path, "damaged sparse header: metadata beyond the end of the file (truncated?)")
    if compress not in (0, 1) or (flags & FLAG_COMPRESSED and compress != 1):
        raise ConvertError(path, f"damaged sparse header: unknown compression {compress}")
    return {"version": version, "capacity": capacity, "desc_offset": desc_offset, "desc_size": desc_size,
            "compressed": bool(flags & FLAG_COMPRESSED), "gd_at_end": gd == GD_AT_END}


def decode_text(path, raw: bytes, what: str = "the descriptor") -> str:
    """A descriptor's bytes as text: UTF-8, or the legacy encoding its ``encoding`` / ``.encoding`` line names
    (windows-1252 ...); otherwise a ConvertError naming the line of the first bad byte."""
    return _decode(path, raw, what)[0]


def _decode(path, raw: bytes, what: str = "the descriptor") -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    m = re.search(rb'(?im)^[ \t]*\.?encoding[ \t]*=[ \t]*"([A-Za-z0-9_-]{1,20})"', raw)
    codec = ENCODINGS.get(m.group(1).decode("ascii").lower()) if m else None
    if codec and codec != "utf-8":
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            pass
    nor = f" (nor {m.group(1).decode()})" if codec else ""
    raise ConvertError(path, f"{what} is not UTF-8 text{nor}", raw.count(b"\n", 0, bad) + 1)


def _value(path, text: str, lineno: int) -> str:
    text = text.strip()
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"') or '"' in text[1:-1]:
            raise ConvertError(path, "bad quoting in the descriptor", lineno)
        return text[1:-1]
    if '"' in text:
        raise ConvertError(path, "bad quoting in the descriptor", lineno)
    return text


def _hex(path, value: str, key: str, lineno: int) -> int:
    if not re.fullmatch(r"[0-9A-Fa-f]{1,8}", value):
        raise ConvertError(path, f"{key} {show(value)} is not an 8-digit hexadecimal number", lineno)
    return int(value, 16)


def show(text: str, limit: int = 60) -> str:
    """A piece of a foreign file made safe for a one-line message."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return repr(clean[:limit] + ("..." if len(clean) > limit else ""))


def _parse_descriptor(path: Path, resolved: Path, text: str, hdr: dict | None) -> Vmdk:
    keys: dict[str, tuple[str, int]] = {}
    lines: list[tuple[int, re.Match]] = []
    for lineno, line in enumerate(text.split("\n"), 1):  # qemu-img's lines end at \n only
        line = line.strip(" \t\r").lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        m = _EXTENT.fullmatch(line)
        if m:
            if len(lines) >= MAX_EXTENTS:
                raise ConvertError(path, f"more than {MAX_EXTENTS} extents", lineno)
            lines.append((lineno, m))
            continue
        if re.match(r"(RW|RDONLY|NOACCESS)\s", line):
            raise ConvertError(path, f"bad extent line {show(line)}", lineno)
        k = _KEY.fullmatch(line)
        if not k:
            raise ConvertError(path, f"unrecognised descriptor line {show(line)}", lineno)
        key = k.group(1).lower()
        if key in keys and key in QEMU_KEYS:
            raise ConvertError(path, f"{k.group(1)} is set twice", lineno)
        keys[key] = (_value(path, k.group(2), lineno), lineno)

    def get(key: str) -> tuple[str, int]:
        return keys.get(key.lower(), ("", 0))

    create_type, ct_line = get("createType")
    if not create_type:
        raise ConvertError(path, "not a VMDK descriptor: no createType")
    version_text, line = get("version")
    if version_text and not re.fullmatch(r"[1-3]", version_text):
        raise ConvertError(path, f"unknown descriptor version {show(version_text)}", line)
    vmdk = Vmdk(path=str(resolved), create_type=create_type, version=int(version_text or 1),
                adapter_type=get("ddb.adapterType")[0])
    if get("CID")[0]:
        vmdk.cid = _hex(path, get("CID")[0], "CID", get("CID")[1])
    if get("parentCID")[0]:
        vmdk.parent_cid = _hex(path, get("parentCID")[0], "parentCID", get("parentCID")[1])
    vmdk.parent_hint, hint_line = get("parentFileNameHint")
    if vmdk.parent_cid != NO_PARENT and not vmdk.parent_hint:
        raise ConvertError(path, "a delta disk (parentCID set) without parentFileNameHint: its parent is unknown",
                           get("parentCID")[1])
    if vmdk.parent_hint and vmdk.parent_cid == NO_PARENT:
        raise ConvertError(path, "parentFileNameHint without a parentCID: VMware reads no parent, qemu-img would "
                                 "read one", hint_line)
    if hdr is not None and hdr["desc_offset"] != 1:
        raise ConvertError(path, "damaged sparse header: the descriptor does not start at sector 1, where qemu-img "
                                 "reads it")
    if hdr is not None:
        _embedded_extents(path, resolved, vmdk, hdr, lines)
        return vmdk
    if create_type in RAW_DEVICE_TYPES:
        raise ConvertError(path, f"createType {create_type!r} maps a physical device, not a file: copy it into a "
                                 "virtual disk first", ct_line)
    if create_type not in TEXT_CREATE_TYPES:
        raise ConvertError(path, f"createType {show(create_type)} is not a layout that can be read (known: "
                                 f"{', '.join(TEXT_CREATE_TYPES)}; monolithicSparse and streamOptimized are "
                                 "single sparse files)", ct_line)
    if not lines:
        raise ConvertError(path, "the descriptor names no extent")
    total = 0
    for lineno, m in lines:
        ext = _extent(path, resolved.parent, m, lineno)
        total += ext.sectors
        if total > MAX_SECTORS:
            raise ConvertError(path, f"the extents add up to more than {MAX_SECTORS} sectors", lineno)
        vmdk.extents.append(ext)
    vmdk.capacity = total * SECTOR
    return vmdk


def _as_qemu_reads(path, raw: bytes, codec: str, vmdk: Vmdk, *, text_descriptor: bool) -> None:
    """qemu-img finds CID, parentCID, parentFileNameHint (in the first 10 KiB) and createType by the first
    occurrence of their name anywhere in the descriptor (a comment too), then reads a fixed layout after it
    (``parentCID=<hex>``, ``createType="..."``): refuse a descriptor it would read otherwise than this parser."""
    window = raw[:PARENT_WINDOW]

    def line_of(i: int) -> int:
        return raw.count(b"\n", 0, i) + 1

    def starts_line(i: int) -> bool:
        return not raw[raw.rfind(b"\n", 0, i) + 1:i].replace(b"\xef\xbb\xbf", b"").strip(b" \t")

    i = window.find(b"parentCID")
    if i < 0:
        raise ConvertError(path, f"no parentCID in the descriptor's first {PARENT_WINDOW} bytes (qemu-img needs "
                                 "one; ffffffff for none)")
    if not starts_line(i) or not re.match(rb"parentCID=[ \t]*[0-9A-Fa-f]", window[i:]):
        raise ConvertError(path, "parentCID is not written parentCID=<hex> where qemu-img reads it", line_of(i))
    i = window.find(b"CID")
    if not re.match(rb"[ \t]*[0-9A-Fa-f]", window[i + 4:]):
        raise ConvertError(path, "the first CID is not written CID=<hex>, as qemu-img reads it", line_of(i))
    i = window.find(b"parentFileNameHint")
    hint = b""
    if i >= 0:
        end = window.find(b'"', i + 20)
        if not starts_line(i) or window[i + 18:i + 20] != b'="' or end < 0 or b"\n" in window[i:end]:
            raise ConvertError(path, 'parentFileNameHint is not written parentFileNameHint="file" where qemu-img '
                                     "reads it (it would read a parent from it)", line_of(i))
        hint = window[i + 20:end]
    if hint.decode(codec, "replace") != vmdk.parent_hint:
        raise ConvertError(path, f"parentFileNameHint lies beyond the descriptor's first {PARENT_WINDOW} bytes, "
                                 "where qemu-img looks for it (the parent would be left out)",
                           line_of(max(raw.find(b"parentFileNameHint"), 0)))
    if text_descriptor:
        i = raw.find(b"createType")
        end = raw.find(b'"', i + 12)
        if not starts_line(i) or raw[i + 10:i + 12] != b'="' or raw[i + 12:end].decode(codec, "replace") != \
                vmdk.create_type:
            raise ConvertError(path, 'createType is not written createType="..." where qemu-img reads it',
                               line_of(i))


def _embedded_extents(path, resolved: Path, vmdk: Vmdk, hdr: dict, lines) -> None:
    """qemu-img reads a sparse file with an embedded descriptor as one extent: the file itself."""
    if vmdk.create_type in SPLIT_TYPES:
        raise ConvertError(path, _EXTENT_ONLY)
    if len(lines) > 1:
        raise ConvertError(path, "the embedded descriptor names several extents", lines[1][0])
    if lines:
        lineno, m = lines[0]
        if m.group(3) != "SPARSE":
            raise ConvertError(path, f"the embedded descriptor names a {m.group(3)} extent", lineno)
        if int(m.group(2)) != hdr["capacity"]:
            raise ConvertError(path, f"the embedded descriptor says {int(m.group(2))} sectors, the header "
                                     f"{hdr['capacity']}", lineno)
        if m.group(4) is not None and m.group(4) != resolved.name and m.group(4) != Path(path).name:
            vmdk.warnings.append(f"{Path(path).name} was renamed (its descriptor names {show(m.group(4))}); "
                                 "read as the file itself")
    vmdk.extents.append(Extent("RW", hdr["capacity"], "SPARSE", str(resolved), 0))
    vmdk.capacity = hdr["capacity"] * SECTOR
    if vmdk.create_type == "streamOptimized" and not hdr["compressed"]:
        vmdk.warnings.append(f"{Path(path).name}: streamOptimized without compressed grains")


def inside(path, folder: Path, name: str, what: str, lineno: int = 0, where: str = "descriptor's folder") -> Path:
    """The file ``name`` (as a descriptor spells it) resolved inside ``folder``; refused when it escapes the
    folder (absolute, ``..``, a symbolic link out) or does not exist."""
    if not name or "\0" in name:
        raise ConvertError(path, f"{what}: an empty file name", lineno)
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or "\\" in name:
        raise ConvertError(path, f"{what} {show(name)} is not a file inside the {where}", lineno)
    try:
        base = folder.resolve()
        target = (base / name).resolve()
        if target != base and base not in target.parents:
            raise ConvertError(path, f"{what} {show(name)} is outside the {where}", lineno)
        if not target.is_file():
            raise ConvertError(path, f"{what} {show(name)} not found" if not target.exists()
                               else f"{what} {show(name)} is not a regular file", lineno)
    except (OSError, ValueError) as e:
        raise ConvertError(path, f"{what} {show(name)}: {getattr(e, 'strerror', None) or e}", lineno) from None
    return target


def _extent(path, folder: Path, m: re.Match, lineno: int) -> Extent:
    access, sectors, kind, name, offset = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
    if kind in RAW_DEVICE_EXTENTS:
        raise ConvertError(path, f"a {kind} extent maps a physical device, not a file: copy it into a virtual "
                                 "disk first", lineno)
    if kind not in EXTENT_TYPES:
        raise ConvertError(path, f"unknown extent type {show(m.group(3))}", lineno)
    # qemu-img skips the extents it does not read (not RW, ZERO): the disk would come out short or shifted
    if access != "RW":
        raise ConvertError(path, f"an extent marked {access}: qemu-img reads only RW extents (the disk would "
                                 "come out short)", lineno)
    if not 0 < sectors <= MAX_SECTORS:
        raise ConvertError(path, f"an extent of {sectors} sectors", lineno)
    if kind == "ZERO":
        raise ConvertError(path, "a ZERO extent: qemu-img does not read ZERO extents (the disk would come out "
                                 "short)", lineno)
    off = int(offset) if offset is not None else 0
    if off > MAX_SECTORS or (offset is not None and kind != "FLAT"):
        raise ConvertError(path, f"a bad extent offset {offset} (only FLAT extents have one)", lineno)
    if name is None:
        raise ConvertError(path, f"a {kind} extent without a file name", lineno)
    if kind == "FLAT" and offset is None:
        raise ConvertError(path, "a FLAT extent without its offset", lineno)
    if len(name) > 255:
        raise ConvertError(path, f"an extent file name of {len(name)} characters", lineno)
    target = inside(path, folder, name, "extent file", lineno)
    size = target.stat().st_size
    with open(target, "rb") as f:
        head = f.read(SECTOR)
        hdr = _sparse(target, f, size) if kind == "SPARSE" and head[:4] == b"KDMV" else None
    if kind == "SPARSE":
        if hdr is None:
            raise ConvertError(path, f"extent file {show(name)} has no sparse header (KDMV)", lineno)
        if hdr["capacity"] != sectors:  # qemu-img takes the extent's size from its header
            raise ConvertError(path, f"extent file {show(name)} holds {hdr['capacity']} sectors, the descriptor "
                                     f"says {sectors}", lineno)
    elif kind == "VMFSSPARSE":
        if head[:4] != b"COWD":
            raise ConvertError(path, f"extent file {show(name)} has no vmfsSparse header (COWD)", lineno)
        _cowd_header(target, head, size, sectors, path, name, lineno)
    elif kind == "SESPARSE":
        if len(head) < 8 or head[:8] != struct.pack("<Q", 0x00000000CAFEBABE):
            raise ConvertError(path, f"extent file {show(name)} has no seSparse header", lineno)
    elif size < (off + sectors) * SECTOR:
        raise ConvertError(path, f"extent file {show(name)} is {size} bytes, the descriptor needs "
                                 f"{(off + sectors) * SECTOR} (truncated?)", lineno)
    return Extent(access, sectors, kind, str(target), off)


def _cowd_header(target, head: bytes, size: int, sectors: int, path, name: str, lineno: int) -> None:
    """An ESX vmfsSparse (COWD) delta extent: version, disk_sectors, granularity, l1dir_offset, l1dir_size after
    the magic. qemu-img takes the extent's size from disk_sectors."""
    if len(head) < 28:
        raise ConvertError(target, "damaged vmfsSparse header: the file is shorter than its header")
    version, _flags, disk_sectors, granularity, l1_offset, l1_size = struct.unpack_from("<6I", head, 4)
    if version != 1:
        raise ConvertError(target, f"damaged vmfsSparse header: unknown version {version}")
    if not 1 <= granularity <= 1 << 21 or granularity & (granularity - 1):
        raise ConvertError(target, f"damaged vmfsSparse header: grain size of {granularity} sectors")
    if not 1 <= l1_size <= 1 << 25 or (l1_offset + (l1_size * 4 + SECTOR - 1) // SECTOR) * SECTOR > size:
        raise ConvertError(target, "damaged vmfsSparse header: the grain directory lies beyond the end of the file "
                                   "(truncated?)")
    if l1_size * 4096 * granularity < disk_sectors:
        raise ConvertError(target, "damaged vmfsSparse header: the grain directory is too small for the disk")
    if disk_sectors != sectors:
        raise ConvertError(path, f"extent file {show(name)} holds {disk_sectors} sectors, the descriptor says "
                                 f"{sectors}", lineno)


def _read_parent(path: Path, vmdk: Vmdk, seen: set) -> None:
    hint = vmdk.parent_hint
    parent = inside(path, Path(vmdk.path).parent, hint, "parent disk")
    if parent in seen:
        raise ConvertError(path, f"parent disk {show(hint)} makes a loop")
    if len(seen) >= MAX_CHAIN:
        raise ConvertError(path, f"more than {MAX_CHAIN} disks in the chain of parents")
    vmdk.parent = str(parent)
    vmdk.parent_vmdk = _read(parent, seen)
    if vmdk.parent_vmdk.capacity != vmdk.capacity:
        vmdk.warnings.append(f"{Path(path).name}: its parent {parent.name} is {vmdk.parent_vmdk.capacity} bytes, "
                             f"the delta {vmdk.capacity}")
    if vmdk.parent_vmdk.cid != vmdk.parent_cid:
        vmdk.warnings.append(f"{Path(path).name}: its parent {parent.name} changed after the delta was made "
                             f"(CID {vmdk.parent_vmdk.cid:08x}, expected {vmdk.parent_cid:08x}); its data may "
                             "be inconsistent")
    vmdk.warnings.extend(vmdk.parent_vmdk.warnings)
