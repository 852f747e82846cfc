"""VHD images as Microsoft's Virtual Hard Disk Image Format Specification describes them (the format of Virtual PC
and Hyper-V 2008): fixed and dynamic disks; differencing ones are opened as chains by differencing.py.

A fixed disk is the disk's sectors followed by a 512-byte footer. A dynamic disk is

    footer copy (512) | dynamic disk header (1024) | block table (BAT) | blocks ... | footer (512)

where each BAT entry is the big-endian sector offset of a block, 0xFFFFFFFF while the block was never written, and
each block is a sector bitmap (bit set = sector written; the most significant bit of byte 0 is the block's first
sector) padded to a whole sector, then ``block_size`` bytes of data. All fields are big-endian; checksums are the
one's complement of the byte sum with the checksum field taken as zero.

Sizes and geometry: the footer holds a byte size and a cylinders/heads/sectors geometry computed with the
specification's algorithm, which usually covers a little less than the byte size. Hyper-V reads the byte size;
Virtual PC reads the geometry, and so does qemu for every creator application except "win ", "qem2", "d2v ",
"CTXS" and "tap", unless the geometry is the maximum 65535/16/255. New disks are therefore rounded up to a size
the geometry covers exactly, as ``qemu-img create -f vpc`` rounds, so every reader sees the same size; from
about 127 GiB the geometry is the maximum, which makes every reader use the byte size. This module always uses
the byte size, as Hyper-V does.

Block allocation is crash-safe: the block's bitmap and data are written where the end footer was, then its BAT
entry, then the footer at the new end, each step synced before the next. A crash leaves the old content or the
new, never garbage; the end footer may then be missing, and the copy at offset 0 stands in for it.
"""

from __future__ import annotations

import bisect
import os
import struct
import sys
import time
import uuid
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import SECTOR_SIZE, DiskError
from .raw import FileDisk, pread_exact, pwrite_all

COOKIE = b"conectix"
HEADER_COOKIE = b"cxsparse"
FOOTER_SIZE = 512
HEADER_SIZE = 1024
FIXED, DYNAMIC, DIFFERENCING = 2, 3, 4
DISK_TYPES = {FIXED: "fixed", DYNAMIC: "dynamic", DIFFERENCING: "differencing"}
UNUSED = 0xFFFFFFFF
NO_OFFSET = 0xFFFF_FFFF_FFFF_FFFF
FORMAT_VERSION = 0x00010000
HEADER_VERSION = 0x00010000
FEATURES_RESERVED = 0x00000002  # the specification's "always set" bit

MAX_SECTORS = 0xFF000000  # 2040 GiB, Hyper-V's and qemu's limit for VHD
MAX_SIZE = MAX_SECTORS * SECTOR_SIZE
MAX_GEOMETRY = (65535, 16, 255)
MAX_GEOMETRY_SECTORS = 65535 * 16 * 255
MAX_BAT_ENTRIES = 1 << 24  # a 64 MiB table; 2040 GiB in 2 MiB blocks needs about a million
DEFAULT_BLOCK_SIZE = 2 << 20
MAX_NEW_BLOCK_SIZE = 256 << 20

CREATOR_APP = b"bkhd"
CREATOR_VERSION = 0x00010000
CREATOR_OS = b"Lnux"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_EPOCH_UNIX = int(EPOCH.timestamp())

_FOOTER = struct.Struct(">8sIIQI4sI4sQQHBBII16sB427x")
_FOOTER_CHECKSUM_AT = 64
_HEADER = struct.Struct(">8sQQIIII16sI4x512s192s256x")
_HEADER_CHECKSUM_AT = 36
_ZERO_SECTOR = bytes(SECTOR_SIZE)
_BITMAP_CACHE_BYTES = 4 << 20

assert _FOOTER.size == FOOTER_SIZE and _HEADER.size == HEADER_SIZE


def checksum(raw: bytes, at: int) -> int:
    """One's complement of the byte sum, the 4 bytes at ``at`` (the checksum field) counted as zero."""
    return ~(sum(raw) - sum(raw[at:at + 4])) & 0xFFFFFFFF


def _sealed(raw: bytearray, at: int) -> bytes:
    """``raw`` with its checksum written at ``at``."""
    struct.pack_into(">I", raw, at, checksum(raw, at))
    return bytes(raw)


def _check_sum(raw: bytes, at: int, stored: int, mismatch: str) -> None:
    """DiskError (``mismatch``, with both sums) unless ``stored`` is the checksum of ``raw``."""
    computed = checksum(raw, at)
    if stored != computed:
        raise DiskError(f"{mismatch} (0x{stored:08x} stored, 0x{computed:08x} computed)")


def _round_up(n: int, to: int) -> int:
    return -(-n // to) * to


# --- footer and header ----------------------------------------------------------------------------------------
@dataclass
class Footer:
    disk_type: int
    current_size: int
    original_size: int
    data_offset: int
    geometry: tuple[int, int, int]
    unique_id: bytes
    timestamp: int
    creator_app: bytes = CREATOR_APP
    creator_version: int = CREATOR_VERSION
    creator_os: bytes = CREATOR_OS
    features: int = FEATURES_RESERVED
    version: int = FORMAT_VERSION
    saved_state: int = 0

    def pack(self) -> bytes:
        c, h, s = self.geometry
        raw = bytearray(_FOOTER.pack(COOKIE, self.features, self.version, self.data_offset, self.timestamp,
                                     self.creator_app, self.creator_version, self.creator_os, self.original_size,
                                     self.current_size, c, h, s, self.disk_type, 0, self.unique_id,
                                     self.saved_state))
        return _sealed(raw, _FOOTER_CHECKSUM_AT)

    @classmethod
    def parse(cls, raw: bytes, path: str, where: str) -> Footer:
        if len(raw) != FOOTER_SIZE or raw[:8] != COOKIE:
            raise DiskError(f"{path}: no VHD footer {where} (no 'conectix' cookie)")
        (cookie, features, version, data_offset, timestamp, app, app_version, host_os, original, current, c, h, s,
         disk_type, stored, unique_id, saved) = _FOOTER.unpack(raw)
        _check_sum(raw, _FOOTER_CHECKSUM_AT, stored, f"{path}: footer checksum mismatch {where}")
        return cls(disk_type, current, original, data_offset, (c, h, s), unique_id, timestamp, app, app_version,
                   host_os, features, version, saved)


@dataclass
class Header:
    table_offset: int
    max_table_entries: int
    block_size: int
    version: int = HEADER_VERSION
    data_offset: int = NO_OFFSET

    def pack(self) -> bytes:
        raw = bytearray(_HEADER.pack(HEADER_COOKIE, self.data_offset, self.table_offset, self.version,
                                     self.max_table_entries, self.block_size, 0, bytes(16), 0, bytes(512),
                                     bytes(192)))
        return _sealed(raw, _HEADER_CHECKSUM_AT)

    @classmethod
    def parse(cls, raw: bytes, path: str, offset: int) -> Header:
        if len(raw) != HEADER_SIZE or raw[:8] != HEADER_COOKIE:
            raise DiskError(f"{path}: no dynamic disk header at offset {offset} (no 'cxsparse' cookie)")
        cookie, data_offset, table_offset, version, entries, block_size, stored, *_ = _HEADER.unpack(raw)
        _check_sum(raw, _HEADER_CHECKSUM_AT, stored, f"{path}: dynamic disk header checksum mismatch")
        return cls(table_offset, entries, block_size, version, data_offset)


# --- sizes and geometry ---------------------------------------------------------------------------------------
def chs_geometry(total_sectors: int) -> tuple[int, int, int]:
    """(cylinders, heads, sectors per track) for a disk of ``total_sectors``, by the specification's algorithm."""
    total = min(total_sectors, MAX_GEOMETRY_SECTORS)
    if total >= 65535 * 16 * 63:
        spt, heads = 255, 16
        cth = total // spt
    else:
        spt = 17
        cth = total // spt
        heads = max((cth + 1023) // 1024, 4)
        if cth >= heads * 1024 or heads > 16:
            spt, heads = 31, 16
            cth = total // spt
        if cth >= heads * 1024:
            spt, heads = 63, 16
            cth = total // spt
    return cth // heads, heads, spt


def _plan(size: int) -> tuple[tuple[int, int, int], int]:
    """Geometry and virtual size of a new VHD of at least ``size`` bytes: the smallest size its geometry covers
    exactly, or, where that needs the maximum geometry, ``size`` in whole sectors."""
    sectors = -(-size // SECTOR_SIZE)
    if sectors > MAX_SECTORS:
        raise DiskError(f"a VHD can hold at most 2040 GiB ({MAX_SIZE} bytes), not {size} bytes")
    if sectors >= MAX_GEOMETRY_SECTORS:
        return MAX_GEOMETRY, sectors * SECTOR_SIZE
    t = sectors
    while True:  # at most a few thousand steps: the geometry's granularity is one cylinder
        c, h, s = chs_geometry(t)
        if c * h * s >= sectors:
            break
        t += 1
    if c * h * s == MAX_GEOMETRY_SECTORS:
        return (c, h, s), sectors * SECTOR_SIZE
    return (c, h, s), c * h * s * SECTOR_SIZE


def vhd_size_for(size: int) -> int:
    """The virtual size a new VHD of ``size`` bytes gets (see the module's notes on geometry)."""
    return _plan(size)[1]


def _now() -> int:
    return max(0, min(int(time.time()) - _EPOCH_UNIX, 0xFFFFFFFF))


def _new_footer(size: int, disk_type: int, data_offset: int) -> Footer:
    geometry, planned = _plan(size)
    if planned != size:
        raise DiskError(f"{size} bytes is not a size a VHD geometry covers; use vhd_size_for() first")
    return Footer(disk_type, size, size, data_offset, geometry, uuid.uuid4().bytes, _now())


def write_new_fixed(fd: int, size: int) -> None:
    """A new fixed VHD (sparse, like qemu-img's: the space is not reserved up front)."""
    footer = _new_footer(size, FIXED, NO_OFFSET)
    os.ftruncate(fd, size + FOOTER_SIZE)
    pwrite_all(fd, footer.pack(), size)


def write_new_dynamic(fd: int, size: int, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
    if not isinstance(block_size, int) or block_size < SECTOR_SIZE or block_size & (block_size - 1) \
            or block_size > MAX_NEW_BLOCK_SIZE:
        raise DiskError(f"block size {block_size} must be a power of two from 512 bytes to 256 MiB")
    entries = -(-size // block_size)
    if entries > MAX_BAT_ENTRIES:
        raise DiskError(f"{size} bytes in blocks of {block_size} needs {entries} blocks, more than "
                        f"{MAX_BAT_ENTRIES}; choose a larger block size")
    footer = _new_footer(size, DYNAMIC, FOOTER_SIZE).pack()
    table_offset = FOOTER_SIZE + HEADER_SIZE
    bat_bytes = _round_up(entries * 4, SECTOR_SIZE)
    header = Header(table_offset, entries, block_size).pack()
    pwrite_all(fd, footer + header, 0)
    pwrite_all(fd, b"\xff" * bat_bytes, table_offset)
    pwrite_all(fd, footer, table_offset + bat_bytes)


# --- opening --------------------------------------------------------------------------------------------------
def _try_footer(raw: bytes, path: str, where: str) -> tuple[Footer | None, str | None]:
    try:
        return Footer.parse(raw, path, where), None
    except DiskError as e:
        return None, str(e)


def _read_footer(path: str, fd: int, file_size: int) -> tuple[Footer, bytes, list[str], bool]:
    """The footer to trust, its bytes, problems, and whether the end footer is missing (a dynamic disk recovered
    through its copy at offset 0)."""
    if file_size < FOOTER_SIZE:
        raise DiskError(f"{path}: {file_size} bytes is too short for a VHD")
    end_raw = os.pread(fd, FOOTER_SIZE, file_size - FOOTER_SIZE)
    start_raw = os.pread(fd, FOOTER_SIZE, 0)
    end, end_error = _try_footer(end_raw, path, "at the end of the file")
    start, start_error = _try_footer(start_raw, path, "at offset 0")
    if end is not None:
        problems = []
        if end.disk_type != FIXED and file_size > FOOTER_SIZE:
            if start is None:
                problems.append(start_error if start_raw[:8] == COOKIE else
                                f"{path}: the footer copy at offset 0 is missing")
            elif start_raw != end_raw:
                problems.append(f"{path}: the footer copy at offset 0 differs from the footer at the end")
        return end, end_raw, problems, False
    if start is not None and start.disk_type in (DYNAMIC, DIFFERENCING):
        what = end_error if end_raw[:8] == COOKIE else f"{path}: the footer at the end of the file is missing"
        return start, start_raw, [f"{what}; the copy at offset 0 was used"], True
    if end_raw[:8] != COOKIE and start_raw[:8] == COOKIE:
        raise DiskError(start_error if start is None else f"{path}: no VHD footer at the end of the file")
    raise DiskError(end_error)


def _validate_footer(path: str, footer: Footer, file_size: int) -> None:
    v = footer.version
    if v >> 16 != 1:
        raise DiskError(f"{path}: unsupported VHD format version {v >> 16}.{v & 0xFFFF}")
    if footer.disk_type == DIFFERENCING:
        raise DiskError(f"{path}: differencing VHDs (disks with a parent) are not supported")
    if footer.disk_type not in (FIXED, DYNAMIC):
        raise DiskError(f"{path}: unknown VHD disk type {footer.disk_type}")
    size = footer.current_size
    if size == 0:
        raise DiskError(f"{path}: the virtual size is zero")
    if size % SECTOR_SIZE:
        raise DiskError(f"{path}: the virtual size {size} is not a multiple of {SECTOR_SIZE}")
    if size > MAX_SIZE:
        raise DiskError(f"{path}: the virtual size {size} is larger than VHD's limit of 2040 GiB")
    if footer.disk_type == FIXED:
        if footer.data_offset not in (NO_OFFSET, 0):
            raise DiskError(f"{path}: a fixed VHD has no data offset, but the footer says {footer.data_offset}")
        if file_size != size + FOOTER_SIZE:
            raise DiskError(f"{path}: a fixed VHD of {size} bytes is {size + FOOTER_SIZE} bytes long, "
                            f"this file is {file_size} (truncated or extended?)")


@dataclass
class _Layout:
    header_offset: int
    header: Header
    bat: array
    bitmap_size: int
    data_end: int  # end of the last block or of the metadata
    limit: int  # where the data must end: the end footer's position, or the file size when it is missing
    end_missing: bool


def _read_layout(path: str, fd: int, file_size: int, footer: Footer, end_missing: bool) -> _Layout:
    limit = file_size if end_missing else file_size - FOOTER_SIZE
    ho = footer.data_offset
    if ho < FOOTER_SIZE or ho + HEADER_SIZE > limit:
        raise DiskError(f"{path}: the dynamic disk header offset {ho} is outside the file")
    header = Header.parse(pread_exact(fd, HEADER_SIZE, ho, path, "the dynamic disk header"), path, ho)
    if header.version != HEADER_VERSION:
        raise DiskError(f"{path}: unsupported dynamic disk header version 0x{header.version:08x}")
    bs = header.block_size
    if bs < SECTOR_SIZE or bs & (bs - 1):
        raise DiskError(f"{path}: the block size {bs} is not a power of two of at least {SECTOR_SIZE}")
    needed = -(-footer.current_size // bs)
    entries = header.max_table_entries
    if entries < needed:
        raise DiskError(f"{path}: the block table has {entries} entries, too few for {footer.current_size} "
                        f"bytes in blocks of {bs} ({needed} needed)")
    if needed > MAX_BAT_ENTRIES:
        raise DiskError(f"{path}: {needed} blocks of {bs} bytes are more than this reader accepts "
                        f"({MAX_BAT_ENTRIES})")
    to = header.table_offset
    if to < FOOTER_SIZE or to + entries * 4 > limit:
        raise DiskError(f"{path}: the block table ({entries} entries at offset {to}) extends past the end of "
                        "the file")
    if to < ho + HEADER_SIZE and ho < to + entries * 4:
        raise DiskError(f"{path}: the block table (offset {to}) overlaps the dynamic disk header (offset {ho})")

    bat = array("I", pread_exact(fd, needed * 4, to, path, "the block table"))
    if sys.byteorder == "little":
        bat.byteswap()
    spb = bs // SECTOR_SIZE
    bitmap_size = _round_up(-(-spb // 8), SECTOR_SIZE)
    span = bitmap_size + bs
    used = sorted(e for e in bat if e != UNUSED)
    metadata = ((0, FOOTER_SIZE, "the footer copy"), (ho, ho + HEADER_SIZE, "the dynamic disk header"),
                (to, to + entries * 4, "the block table"))
    data_end = max(end for _, end, _ in metadata)

    def where(e: int) -> str:
        return f"block {bat.index(e)} (at offset {e * SECTOR_SIZE})"

    if used:
        last = used[-1]
        if last * SECTOR_SIZE + span > limit:
            raise DiskError(f"{path}: {where(last)} extends past the end of the file's data "
                            f"({last * SECTOR_SIZE + span} > {limit})")
        for start, end, what in metadata:  # blocks whose span meets [start, end)
            j = bisect.bisect_left(used, (start - span) // SECTOR_SIZE + 1)
            if j < len(used) and used[j] * SECTOR_SIZE < end:
                raise DiskError(f"{path}: {where(used[j])} overlaps {what}")
        step = span // SECTOR_SIZE
        for i in range(1, len(used)):
            if used[i] - used[i - 1] < step:
                a, b = used[i - 1], used[i]
                if a == b:
                    first = bat.index(a)
                    second = bat.index(a, first + 1)
                    raise DiskError(f"{path}: blocks {first} and {second} both point to offset {a * SECTOR_SIZE}")
                raise DiskError(f"{path}: {where(b)} overlaps {where(a)}")
        data_end = max(data_end, last * SECTOR_SIZE + span)
    return _Layout(ho, header, bat, bitmap_size, data_end, limit, end_missing)


def open_vhd(path: str, fd: int, file_size: int, read_only: bool, expect: str | None = None) -> FileDisk:
    footer, footer_raw, problems, end_missing = _read_footer(path, fd, file_size)
    _validate_footer(path, footer, file_size)
    kind = "vhd-fixed" if footer.disk_type == FIXED else "vhd-dynamic"
    if expect is not None and expect != kind:
        raise DiskError(f"{path}: is a {kind} image, not {expect}")
    if footer.disk_type == FIXED:
        disk = FixedVhd(path, fd, footer.current_size, file_size, read_only)
        disk.footer = footer
        return disk
    layout = _read_layout(path, fd, file_size, footer, end_missing)
    if end_missing:
        # An interrupted allocation leaves at most one block after the last one the table knows. Anything longer
        # is not what a crash of this code leaves behind: report it, and leave the file alone.
        tail = file_size - _round_up(layout.data_end, SECTOR_SIZE)
        if tail <= layout.bitmap_size + layout.header.block_size:
            problems[0] += " (repairable: opening the disk for writing rewrites it)"
        else:
            problems[0] += f" and {tail} bytes follow the last block (not repaired automatically)"
            if not read_only:
                raise DiskError(problems[0])
    disk = DynamicVhd(path, fd, file_size, read_only, footer, footer_raw, layout)
    disk.problems = problems
    if end_missing and not read_only:
        disk._rewrite_end_footer()
    return disk


# --- the disks ------------------------------------------------------------------------------------------------
def _footer_info(footer: Footer) -> dict:
    c, h, s = footer.geometry
    v = footer.creator_version
    app = footer.creator_app.decode("latin-1").rstrip("\0 ")
    host = footer.creator_os.decode("latin-1").rstrip("\0 ")
    return {
        "geometry": {"cylinders": c, "heads": h, "sectors_per_track": s},
        "geometry_size": c * h * s * SECTOR_SIZE,
        "original_size": footer.original_size,
        "uuid": str(uuid.UUID(bytes=footer.unique_id)),
        "creator": f"{app} {v >> 16}.{v & 0xFFFF} ({host})",
        "created": (EPOCH + timedelta(seconds=footer.timestamp)).isoformat(timespec="seconds"),
        "saved_state": bool(footer.saved_state),
    }


class FixedVhd(FileDisk):
    format = "vhd-fixed"
    footer: Footer

    def _info(self) -> dict:
        return {"allocated_bytes": self.size, **_footer_info(self.footer)}


class DynamicVhd(FileDisk):
    format = "vhd-dynamic"

    def __init__(self, path: str, fd: int, file_size: int, read_only: bool, footer: Footer, footer_raw: bytes,
                 layout: _Layout):
        super().__init__(path, fd, footer.current_size, file_size, read_only)
        self.footer = footer
        self._footer_raw = footer_raw
        self._layout = layout
        self._bat = layout.bat
        self._table_offset = layout.header.table_offset
        self.block_size = layout.header.block_size
        self._spb = self.block_size // SECTOR_SIZE
        self._bitmap_size = layout.bitmap_size
        self._bitmap_bytes = -(-self._spb // 8)
        self._nbits = self._bitmap_bytes * 8
        self._full_mask = ((1 << self._spb) - 1) << (self._nbits - self._spb)
        self._allocated = sum(1 for e in self._bat if e != UNUSED)
        # where the next block goes: where the end footer is (or goes, once rewritten)
        self._alloc_at = _round_up(layout.data_end if layout.end_missing else layout.limit, SECTOR_SIZE)
        self._full = bytearray(len(self._bat))  # 1: the block's bitmap is known to be all set
        self._partial: OrderedDict[int, int] = OrderedDict()  # block -> bitmap, least recently used first
        self._partial_limit = max(4, _BITMAP_CACHE_BYTES // self._bitmap_size)

    # --- reading ----------------------------------------------------------------------------------------------
    def _read(self, sector: int, count: int) -> bytes:
        parts = []
        spb = self._spb
        while count:
            block, a = divmod(sector, spb)
            n = min(count, spb - a)
            parts.append(self._read_in_block(block, a, a + n))
            sector += n
            count -= n
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _read_in_block(self, block: int, a: int, b: int) -> bytes:
        entry = self._bat[block]
        if entry == UNUSED:
            return bytes((b - a) * SECTOR_SIZE)
        base = entry * SECTOR_SIZE
        want = self._mask(a, b)
        bitmap = self._bitmap(block, base)
        have = bitmap & want
        if have == 0:
            return bytes((b - a) * SECTOR_SIZE)
        data = pread_exact(self._fd, (b - a) * SECTOR_SIZE, base + self._bitmap_size + a * SECTOR_SIZE, self.path)
        if have == want:
            return data
        out = bytearray(data)  # sectors never written read as zeros, whatever the file holds there
        top = self._nbits - 1
        for i in range(a, b):
            if not (bitmap >> (top - i)) & 1:
                out[(i - a) * SECTOR_SIZE:(i - a + 1) * SECTOR_SIZE] = _ZERO_SECTOR
        return bytes(out)

    def _mask(self, a: int, b: int) -> int:
        return ((1 << (b - a)) - 1) << (self._nbits - b)

    def _bitmap(self, block: int, base: int) -> int:
        if self._full[block]:
            return self._full_mask
        bitmap = self._partial.get(block)
        if bitmap is not None:
            self._partial.move_to_end(block)
            return bitmap
        raw = pread_exact(self._fd, self._bitmap_bytes, base, self.path, f"the sector bitmap of block {block}")
        bitmap = int.from_bytes(raw, "big")
        self._remember(block, bitmap)
        return bitmap

    def _remember(self, block: int, bitmap: int) -> None:
        if bitmap & self._full_mask == self._full_mask:
            self._full[block] = 1
            self._partial.pop(block, None)
            return
        self._partial[block] = bitmap
        self._partial.move_to_end(block)
        if len(self._partial) > self._partial_limit:
            self._partial.popitem(last=False)

    # --- writing ----------------------------------------------------------------------------------------------
    def _write(self, sector: int, view: memoryview) -> None:
        spb = self._spb
        offset = 0
        while offset < len(view):
            block, a = divmod(sector, spb)
            n = min((len(view) - offset) // SECTOR_SIZE, spb - a)
            chunk = view[offset:offset + n * SECTOR_SIZE]
            if self._bat[block] == UNUSED:
                self._allocate(block, a, a + n, chunk)
            else:
                self._write_in_block(block, a, a + n, chunk)
            offset += n * SECTOR_SIZE
            sector += n

    def _write_in_block(self, block: int, a: int, b: int, chunk) -> None:
        base = self._bat[block] * SECTOR_SIZE
        pwrite_all(self._fd, chunk, base + self._bitmap_size + a * SECTOR_SIZE)
        want = self._mask(a, b)
        bitmap = self._bitmap(block, base)
        if bitmap & want != want:  # mark the sectors written, after their data; only the bitmap sectors that change
            bitmap |= want
            raw = bitmap.to_bytes(self._bitmap_bytes, "big")
            first, last = (a // 8) // SECTOR_SIZE, ((b - 1) // 8) // SECTOR_SIZE
            pwrite_all(self._fd, raw[first * SECTOR_SIZE:(last + 1) * SECTOR_SIZE], base + first * SECTOR_SIZE)
            self._remember(block, bitmap)

    def _allocate(self, block: int, a: int, b: int, chunk) -> None:
        at = self._alloc_at
        if at // SECTOR_SIZE >= UNUSED:
            raise DiskError(f"{self.path}: the file has grown past what a VHD block table can address")
        want = self._mask(a, b)
        bitmap = want.to_bytes(self._bitmap_bytes, "big").ljust(self._bitmap_size, b"\0")
        end = at + self._bitmap_size + self.block_size
        fd = self._fd
        try:
            # 1. bitmap and data where the end footer was; the rest of the block reads as zeros
            if a == 0:
                _pwritev_all(fd, [bitmap, chunk], at)
            else:
                pwrite_all(fd, bitmap, at)
                pwrite_all(fd, chunk, at + self._bitmap_size + a * SECTOR_SIZE)
            os.ftruncate(fd, end)
            os.fdatasync(fd)
            self._crash_point("data")
            # 2. the block table entry
            pwrite_all(fd, struct.pack(">I", at // SECTOR_SIZE), self._table_offset + 4 * block)
            os.fdatasync(fd)
            self._crash_point("bat")
            # 3. the footer at the new end
            pwrite_all(fd, self._footer_raw, end)
            os.fdatasync(fd)
            self._crash_point("footer")
        except OSError as e:
            raise self._fail(f"allocating block {block} failed ({e.strerror}); reopen the disk to recover") \
                from None
        self._bat[block] = at // SECTOR_SIZE
        self._alloc_at = end
        self._file_size = end + FOOTER_SIZE
        self._allocated += 1
        self._remember(block, want)

    def _crash_point(self, step: str) -> None:
        """Between the steps of a block allocation ("data", "bat", "footer"); tests raise here to simulate a crash."""

    def _rewrite_end_footer(self) -> None:
        at = _round_up(self._layout.data_end, SECTOR_SIZE)
        try:
            pwrite_all(self._fd, self._footer_raw, at)
            os.ftruncate(self._fd, at + FOOTER_SIZE)  # drops a block a crash left unreferenced
            os.fsync(self._fd)
        except OSError as e:
            raise DiskError(f"{self.path}: rewriting the missing end footer failed ({e.strerror})") from None
        self._alloc_at = at
        self._file_size = at + FOOTER_SIZE
        # a missing end footer is the only problem found when it is missing (see _read_footer)
        self.repaired = [p.split(": ", 1)[1] for p in self.problems]
        self.problems = []

    # --- information ------------------------------------------------------------------------------------------
    def _info(self) -> dict:
        return {
            "allocated_bytes": min(self.size, self._allocated * self.block_size),
            "block_size": self.block_size,
            "blocks_total": len(self._bat),
            "blocks_allocated": self._allocated,
            "header_offset": self._layout.header_offset,
            "table_offset": self._table_offset,
            "max_table_entries": self._layout.header.max_table_entries,
            **_footer_info(self.footer),
        }


def _pwritev_all(fd: int, buffers: list, offset: int) -> None:
    total = sum(len(b) for b in buffers)
    n = os.pwritev(fd, buffers, offset)
    if n != total:  # rare (a signal, a full disk): finish the rest one piece at a time
        joined = b"".join(bytes(b) for b in buffers)
        pwrite_all(fd, memoryview(joined)[n:], offset + n)
