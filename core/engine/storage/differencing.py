"""Differencing VHDs (disk type 4 of Microsoft's VHD specification) and the chains they make.

    create_differencing("web1-2.vhd", "web1-1.vhd")     # a new, empty child of web1-1.vhd
    disk = open_disk("web1-2.vhd")                        # the whole chain: a ChainDisk (format "vhd-differencing")
    merge_into_parent("web1-2.vhd"); os.unlink(...)       # its data into web1-1.vhd, then the caller deletes it
    reparent("web1-3.vhd", "web1-1.vhd")                  # a grandchild whose parent was merged away
    disk.merge_parent(1)                                  # the same, live: the link below the top into its parent

A differencing VHD is laid out as a dynamic one (footer copy, dynamic disk header, block table, blocks, footer,
see vhd.py); its header also names its parent: the parent's unique id (from the parent's footer), its modification
time in seconds since 2000-01-01, its file name (UTF-16BE) and parent locators, here ``W2ru`` (the path relative
to the child's folder) and ``W2ku`` (absolute), UTF-16LE, as Hyper-V writes them. A sector whose bit is set in its
block's bitmap is the child's; any other is the parent's, recursively; past the end of a shorter parent, zeros.
Writes go to the top child only (a new block starts with only the written sectors' bits set). Parents are opened
read-only; a parent whose unique id is not the one the child recorded, a missing parent, a loop or a chain deeper
than 64 is refused with a DiskError naming the file. The parent's time stamp is recorded, not checked: a merge
into a parent changes its modification time, and its unique id says all that matters. A chain opened with
``format="vhd-dynamic"`` is accepted (a differencing disk is a dynamic disk with a parent), any other expected
format is refused; the chain's own format is "vhd-differencing".

Files this module creates reserve two header slots (offsets 512 and 1536) and, for each, its own locator area
(8 KiB per locator: any path of PATH_MAX bytes fits in UTF-16). ``reparent`` is atomic without assuming that a
two-sector write is: it writes the new locators and the new header into the slot the footer does not point to,
syncs, then points the footers at it: the end footer first (synced), then the copy at offset 0. Each footer is one
sector with a checksum; a torn footer fails its checksum and the other copy is used, so a crash at any point leaves
either the old header (the old parent, still on disk until the caller deletes it) or the new one. Writing the
header in place was rejected: it spans two sectors and a torn write would break the disk. Copying the whole file
was rejected too: a child can be gigabytes. A differencing VHD made by another tool (no spare slot) is refused by
``reparent``; it can still be read, written and merged.

``merge_into_parent`` never writes the child: it copies the sectors the child holds into the parent (opened
read-write, its block allocation crash-safe as vhd.py describes), flushes and returns. Interrupted, the child is
still the disk that holds the data and running it again redoes the copy. The parent's unique id is kept, so the
child (and the parent's other children, whose content changes: that is the caller's business) still open.

QEMU 7.2's vpc driver does not follow parent locators: ``qemu-img info --backing-chain`` reports a type-4 image as
a plain "vpc" image without a backing file, and reads its unallocated blocks as zeros (it ignores sector bitmaps
and the parent). Tools that read the chain are Hyper-V and Virtual PC; the tests check the chain's content by
flattening it with this module and comparing the result with ``qemu-img compare``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import struct
import threading
import uuid

from core.model.files import NotRegularFile, write_atomic
from core.model.opening import open_regular_as

from . import SECTOR_SIZE, DiskError
from .raw import Closing, pread_exact, pwrite_all
from .vhd import (
    _EPOCH_UNIX,
    _HEADER,
    _HEADER_CHECKSUM_AT,
    DEFAULT_BLOCK_SIZE,
    DIFFERENCING,
    FOOTER_SIZE,
    HEADER_SIZE,
    HEADER_VERSION,
    MAX_BAT_ENTRIES,
    UNUSED,
    DynamicVhd,
    Footer,
    _read_footer,
    _read_layout,
    _sealed,
    open_vhd,
)

FORMAT = "vhd-differencing"
MAX_DEPTH = 64
LOCATOR = struct.Struct(">4sIIIQ")  # platform code, data space (sectors), data length (bytes), reserved, offset
LOCATOR_SPACE = 8192  # bytes reserved for each locator's data in files made here
SLOTS = (512, 1536)  # the two header slots of files made here
LOCATOR_AREAS = (2560, 2560 + 2 * LOCATOR_SPACE)
TABLE_OFFSET = LOCATOR_AREAS[1] + 2 * LOCATOR_SPACE
CODES = (b"W2ru", b"W2ku")
MAX_LOCATOR_BYTES = 64 << 10


def _round_up(n: int, to: int) -> int:
    return -(-n // to) * to


# --- the header's parent fields -------------------------------------------------------------------------------
class ParentInfo:
    """What a differencing header says of its parent."""

    def __init__(self, unique_id: bytes, timestamp: int, name: str, locators: list[tuple[bytes, str]]):
        self.unique_id = unique_id
        self.timestamp = timestamp
        self.name = name
        self.locators = locators  # (platform code, path) in the header's order, the ones that decode


def _parse_parent(path: str, fd: int, raw: bytes, file_size: int) -> ParentInfo:
    fields = _HEADER.unpack(raw)
    parent_id, timestamp, name_raw, table = fields[7], fields[8], fields[9], fields[10]
    name = name_raw.decode("utf-16-be", "replace").split("\0", 1)[0]
    locators = []
    for i in range(8):
        code, space, length, _, offset = LOCATOR.unpack_from(table, i * LOCATOR.size)
        if code not in CODES or length == 0:
            continue
        if length > MAX_LOCATOR_BYTES or length % 2 or offset + length > file_size:
            raise DiskError(f"{path}: parent locator {i} ({code.decode('latin-1')}) is outside the file or too "
                            f"long ({length} bytes at offset {offset})")
        if offset < FOOTER_SIZE:  # other tools align locator data to sectors; not required to read it
            raise DiskError(f"{path}: parent locator {i} has a misplaced data offset {offset}")
        data = pread_exact(fd, length, offset, path, f"parent locator {i}")
        try:
            text = data.decode("utf-16-le").split("\0", 1)[0]
        except UnicodeDecodeError:
            raise DiskError(f"{path}: parent locator {i} is not UTF-16 text") from None
        if text:
            locators.append((code, text))
    return ParentInfo(parent_id, timestamp, name, locators)


def _candidates(child: str, info: ParentInfo) -> list[str]:
    folder = os.path.dirname(os.path.abspath(child))
    found = []
    for want in CODES:  # relative first, then absolute
        for code, text in info.locators:
            if code != want:
                continue
            for p in dict.fromkeys((text, text.replace("\\", "/"))):
                if code == b"W2ru":
                    p = os.path.normpath(os.path.join(folder, p))
                elif not os.path.isabs(p):
                    continue
                if p not in found:
                    found.append(p)
    return found


def _mtime_stamp(st: os.stat_result) -> int:
    return max(0, min(int(st.st_mtime) - _EPOCH_UNIX, 0xFFFFFFFF))


def _parent_fields(child: str, parent: str, parent_id: bytes, stamp: int, area: int) -> tuple[bytes, bytes, list]:
    """(unicode name field, locator table, [(offset, data)]) for a header naming ``parent``."""
    absolute = os.path.abspath(parent)
    relative = os.path.relpath(absolute, os.path.dirname(os.path.abspath(child)))
    if not relative.startswith("../"):
        relative = "./" + relative
    name = os.path.basename(absolute).encode("utf-16-be", "surrogatepass")[:510]
    if len(name) % 2:
        name = name[:-1]
    table = bytearray(192)
    writes = []
    for i, (code, text) in enumerate(((b"W2ru", relative), (b"W2ku", absolute))):
        data = text.encode("utf-16-le", "surrogatepass")
        if len(data) > LOCATOR_SPACE:
            raise DiskError(f"{child}: the path of its parent {parent} is too long for a VHD parent locator")
        offset = area + i * LOCATOR_SPACE
        LOCATOR.pack_into(table, i * LOCATOR.size, code, LOCATOR_SPACE // SECTOR_SIZE, len(data), 0, offset)
        writes.append((offset, data.ljust(LOCATOR_SPACE, b"\0")))
    return name.ljust(512, b"\0"), bytes(table), writes


def _pack_header(table_offset: int, entries: int, block_size: int, parent_id: bytes, stamp: int, name: bytes,
                 table: bytes) -> bytes:
    from .vhd import HEADER_COOKIE, NO_OFFSET

    raw = bytearray(_HEADER.pack(HEADER_COOKIE, NO_OFFSET, table_offset, HEADER_VERSION, entries, block_size, 0,
                                 parent_id, stamp, name, table))
    return _sealed(raw, _HEADER_CHECKSUM_AT)


# --- creating -------------------------------------------------------------------------------------------------
def create_differencing(child: str | os.PathLike, parent: str | os.PathLike) -> None:
    """Create ``child``, an empty differencing VHD of ``parent`` (a VHD: fixed, dynamic or differencing), with the
    parent's virtual size and block size (2 MiB for a fixed parent). Never overwrites; written under a temporary
    name, synced, then linked into place. Open it with ``open_disk``."""
    from . import open_disk

    child, parent = os.fspath(child), os.fspath(parent)
    if os.path.lexists(child):
        raise DiskError(f"{child}: already exists; choose another name or remove it first")
    folder = os.path.dirname(os.path.abspath(child))
    if not os.path.isdir(folder):
        raise DiskError(f"{child}: the folder {folder} does not exist")
    disk = open_disk(parent, read_only=True)
    try:
        footer = _footer_of(disk)
        if footer is None:
            raise DiskError(f"{parent}: a differencing disk's parent must be a VHD, not {disk.format}")
        if isinstance(disk, ChainDisk) and len(disk.links) >= MAX_DEPTH:
            raise DiskError(f"{parent}: already a chain of {len(disk.links)} disks; a child would make it deeper "
                            f"than {MAX_DEPTH}")
        block_size = getattr(disk, "block_size", None) or DEFAULT_BLOCK_SIZE
        size = disk.size
        stamp = _mtime_stamp(os.stat(parent))
    finally:
        disk.close()
    entries = -(-size // block_size)
    if entries > MAX_BAT_ENTRIES:
        raise DiskError(f"{parent}: too many blocks for a differencing child ({entries})")
    new = Footer(DIFFERENCING, size, size, SLOTS[0], footer.geometry, uuid.uuid4().bytes, _now_stamp())
    footer_raw = new.pack()
    name, table, locators = _parent_fields(child, parent, footer.unique_id, stamp, LOCATOR_AREAS[0])
    header = _pack_header(TABLE_OFFSET, entries, block_size, footer.unique_id, stamp, name, table)
    bat_bytes = _round_up(entries * 4, SECTOR_SIZE)

    def write(f) -> None:
        fd = f.fileno()
        pwrite_all(fd, footer_raw + header, 0)
        for offset, data in locators:
            pwrite_all(fd, data, offset)
        pwrite_all(fd, b"\xff" * bat_bytes, TABLE_OFFSET)
        pwrite_all(fd, footer_raw, TABLE_OFFSET + bat_bytes)

    try:
        write_atomic(child, write, replace=False)
    except FileExistsError:
        raise DiskError(f"{child}: already exists; choose another name or remove it first") from None
    except OSError as e:
        if e.errno == errno.ENOSPC:
            raise DiskError(f"{child}: not enough free space") from None
        raise DiskError(f"{child}: cannot create ({e.strerror})") from None


def _now_stamp() -> int:
    from .vhd import _now

    return _now()


def _footer_of(disk) -> Footer | None:
    if isinstance(disk, ChainDisk):
        return disk.top.footer
    return getattr(disk, "footer", None)


# --- opening --------------------------------------------------------------------------------------------------
def is_differencing(fd: int, file_size: int) -> bool:
    """Whether the VHD footer of the open file says disk type 4 (False where there is no readable footer)."""
    try:
        footer = _read_footer("", fd, file_size)[0]
    except DiskError:
        return False
    return footer.disk_type == DIFFERENCING


def _open_fd(path: str, read_only: bool) -> tuple[int, os.stat_result]:
    fd, st = open_regular_as(path, os.O_RDONLY if read_only else os.O_RDWR, DiskError, {
        FileNotFoundError: f"{path}: no such file",
        IsADirectoryError: f"{path}: is a folder, not a disk image",
        PermissionError: f"{path}: permission denied",
        NotRegularFile: f"{path}: not a regular file"}, cannot=f"{path}: cannot open")
    if not read_only:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DiskError(f"{path}: in use (opened for writing elsewhere)") from None
    return fd, st


class Link(DynamicVhd):
    """One differencing VHD of a chain, alone: ``read`` gives its own sectors (zeros where it holds none), ``runs``
    says which sectors it holds."""

    format = FORMAT

    def __init__(self, path, fd, file_size, read_only, footer, footer_raw, layout, parent: ParentInfo):
        super().__init__(path, fd, file_size, read_only, footer, footer_raw, layout)
        self.parent_info = parent
        self.parent_path: str | None = None

    def runs(self, sector: int, count: int) -> list[tuple[int, int, bool]]:
        """(first sector, count, held by this file) covering ``sector .. sector + count - 1``."""
        out: list[tuple[int, int, bool]] = []
        spb = self._spb
        with self._lock:
            self._check_usable()
            while count:
                block, a = divmod(sector, spb)
                n = min(count, spb - a)
                entry = self._bat[block]
                if entry == UNUSED:
                    _add(out, sector, n, False)
                else:
                    bits = self._bitmap(block, entry * SECTOR_SIZE)
                    bits = (bits >> (self._nbits - a - n)) & ((1 << n) - 1)
                    if bits == 0 or bits == (1 << n) - 1:
                        _add(out, sector, n, bits != 0)
                    else:
                        for m in re.finditer("1+|0+", format(bits, f"0{n}b")):
                            _add(out, sector + m.start(), m.end() - m.start(), m.group()[0] == "1")
                sector += n
                count -= n
        return out

    def held_runs(self):
        """(first sector, count) of every run of sectors this file holds, in order."""
        spb = self._spb
        for block, entry in enumerate(self._bat):
            if entry != UNUSED:
                first = block * spb
                n = min(spb, self.sectors - first)
                for start, count, held in self.runs(first, n):
                    if held:
                        yield start, count

    def _info(self) -> dict:
        info = super()._info()
        info["parent_uuid"] = str(uuid.UUID(bytes=self.parent_info.unique_id))
        info["parent_name"] = self.parent_info.name
        info["parent_locators"] = {c.decode(): t for c, t in self.parent_info.locators}
        return info


def _add(out: list, start: int, n: int, held: bool) -> None:
    if out and out[-1][2] == held and out[-1][0] + out[-1][1] == start:
        out[-1] = (out[-1][0], out[-1][1] + n, held)
    else:
        out.append((start, n, held))


def open_link(path: str, fd: int, file_size: int, read_only: bool) -> Link:
    """The differencing VHD open on ``fd`` as one Link (its parent not opened)."""
    footer, footer_raw, problems, end_missing = _read_footer(path, fd, file_size)
    if footer.disk_type != DIFFERENCING:
        raise DiskError(f"{path}: not a differencing VHD (disk type {footer.disk_type})")
    if footer.version >> 16 != 1:
        raise DiskError(f"{path}: unsupported VHD format version {footer.version >> 16}")
    size = footer.current_size
    if size == 0 or size % SECTOR_SIZE or size > (0xFF000000 * SECTOR_SIZE):
        raise DiskError(f"{path}: the virtual size {size} is not one a VHD can have")
    layout = _read_layout(path, fd, file_size, footer, end_missing)
    raw = pread_exact(fd, HEADER_SIZE, layout.header_offset, path, "the dynamic disk header")
    parent = _parse_parent(path, fd, raw, file_size)
    if end_missing:
        tail = file_size - _round_up(layout.data_end, SECTOR_SIZE)
        if tail > layout.bitmap_size + layout.header.block_size and not read_only:
            raise DiskError(f"{problems[0]} and {tail} bytes follow the last block (not repaired automatically)")
    link = Link(path, fd, file_size, read_only, footer, footer_raw, layout, parent)
    link.problems = problems
    if end_missing and not read_only:
        link._rewrite_end_footer()
    return link


def open_chain(path: str, fd: int, file_size: int, read_only: bool, expect: str | None = None) -> ChainDisk:
    """The chain whose top is the differencing VHD open on ``fd`` (closed on failure by the caller)."""
    if expect not in (None, FORMAT, "vhd-dynamic"):
        raise DiskError(f"{path}: is a {FORMAT} image, not {expect}")
    top = open_link(path, fd, file_size, read_only)
    try:
        parents = _open_parents(top)
    except BaseException:
        top._fd = -1  # the caller closes fd
        raise
    return ChainDisk([top, *parents])


def _open_parents(link: Link) -> list:
    """The disks below ``link``, opened read-only, nearest first."""
    seen = {_identity(link._fd)}
    out: list = []
    try:
        while isinstance(link, Link):
            if len(out) + 1 >= MAX_DEPTH:
                raise DiskError(f"{link.path}: the chain of parents is deeper than {MAX_DEPTH} disks")
            disk = _open_parent(link, seen)
            out.append(disk)
            link = disk
    except BaseException:
        for d in out:
            d.close()
        raise
    return out


def _identity(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return st.st_dev, st.st_ino


def _open_parent(link: Link, seen: set, read_only: bool = True):
    info = link.parent_info
    candidates = _candidates(link.path, info)
    if not candidates:
        raise DiskError(f"{link.path}: names no parent: differencing VHDs need a W2ru or W2ku parent locator")
    for p in candidates:
        if os.path.isfile(p):
            break
    else:
        raise DiskError(f"{link.path}: its parent {candidates[0]} is missing")
    disk = open_parent_file(p, read_only)
    try:
        ident = _identity(disk._fd)
        if ident in seen:
            raise DiskError(f"{link.path}: its parent {p} is already in the chain (the parents loop)")
        seen.add(ident)
        footer = getattr(disk, "footer", None)
        if footer is None or footer.unique_id != info.unique_id:
            raise DiskError(f"{link.path}: its parent {p} is not the disk it was made from")
    except BaseException:
        disk.close()
        raise
    link.parent_path = p
    return disk


def open_parent_file(path: str, read_only: bool = True):
    """One VHD of a chain alone: a Link for a differencing VHD, else the fixed or dynamic VHD."""
    fd, st = _open_fd(path, read_only)
    try:
        if is_differencing(fd, st.st_size):
            return open_link(path, fd, st.st_size, read_only)
        return open_vhd(path, fd, st.st_size, read_only)
    except BaseException:
        os.close(fd)
        raise


# --- the chain ------------------------------------------------------------------------------------------------
class ChainDisk(Closing):
    """A VirtualDisk: a differencing VHD (``top``, written) over its parents (read-only), ``links[0]`` the top,
    ``links[-1]`` the fixed or dynamic base. ``info()`` is the top's, with ``type`` "differencing", ``parent``
    (the path its locators led to), ``depth`` (how many files the chain has, the top and the base included) and
    ``chain`` (their paths, top first). Thread-safe: reads and writes take the chain's lock. It has no ``_fd``:
    ``tracking.allocated_blocks`` takes every block of a chain as possibly holding data."""

    format = FORMAT
    sector_size = SECTOR_SIZE

    def __init__(self, links: list) -> None:
        self.links = links
        top = links[0]
        self.path = top.path
        self.size = top.size
        self.sectors = top.sectors
        self.read_only = top.read_only
        self.block_size = top.block_size
        self._lock = threading.RLock()
        self._merging = threading.Lock()

    @property
    def top(self) -> Link:
        return self.links[0]

    @property
    def closed(self) -> bool:
        return self.top.closed

    @property
    def problems(self) -> list[str]:
        return [p for link in self.links for p in link.problems]

    @property
    def repaired(self) -> list[str]:
        return list(self.top.repaired)

    def read(self, sector: int, count: int) -> bytes:
        self.top._check_range(sector, count)
        with self._lock:
            return self._read_at(0, sector, count)

    def _read_at(self, level: int, sector: int, count: int) -> bytes:
        disk = self.links[level]
        inside = max(0, min(count, disk.sectors - sector))
        if inside == 0:
            return bytes(count * SECTOR_SIZE)
        if isinstance(disk, Link):
            parts = [disk.read(s, n) if held else self._read_at(level + 1, s, n)
                     for s, n, held in disk.runs(sector, inside)]
        else:
            parts = [disk.read(sector, inside)]
        if inside < count:
            parts.append(bytes((count - inside) * SECTOR_SIZE))
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def write(self, sector: int, data) -> None:
        with self._lock:
            self.top.write(sector, data)

    def flush(self) -> None:
        with self._lock:
            self.top.flush()

    def close(self) -> None:
        with self._lock:
            for disk in self.links:
                disk.close()

    def check(self) -> list[str]:
        with self._lock:
            return [p for disk in self.links for p in disk.check()]

    def info(self) -> dict:
        with self._lock:
            info = self.top.info()
            info.update({"type": "differencing", "format": FORMAT, "parent": self.top.parent_path,
                         "depth": len(self.links), "chain": [d.path for d in self.links],
                         "problems": self.problems})
        return info

    def __repr__(self) -> str:
        return f"<ChainDisk {self.path!r} depth {len(self.links)}{' ro' if self.read_only else ''}>"

    # --- live merge (diffmerge.py) -----------------------------------------------------------------------------
    def merge_parent(self, level: int = 1) -> str:
        """Merge ``links[level]`` into ``links[level + 1]`` while the chain stays open and in use, then make
        ``links[level - 1]`` the child of ``links[level + 1]`` (on disk and here). Returns the path of the merged
        link, which the chain no longer uses: the caller deletes it (see ``diffmerge.merge_link``)."""
        from .diffmerge import merge_link

        return merge_link(self, level)


def merge_into_parent(child_path: str | os.PathLike) -> str:
    """Write every sector ``child_path`` holds into its parent and flush it; the child is not modified (after a
    crash, run it again). Returns the parent's path; the caller then deletes the child (see diffmerge.py)."""
    from .diffmerge import merge_into_parent as merge

    return merge(child_path)


def parent_of(path: str | os.PathLike) -> str:
    """The file a differencing VHD's parent locators lead to (that file's unique id checked against the one the
    child recorded): what its header says, whatever a caller's own records say. DiskError if it is not a
    differencing VHD or its parent is missing or another disk."""
    link = open_parent_file(os.fspath(path))
    try:
        if not isinstance(link, Link):
            raise DiskError(f"{os.fspath(path)}: not a differencing VHD (it has no parent)")
        _open_parent(link, {_identity(link._fd)}).close()
        return link.parent_path
    finally:
        link.close()


def reparent(child_path: str | os.PathLike, new_parent_path: str | os.PathLike) -> None:
    """Make ``child_path`` the child of ``new_parent_path``, atomically (see the notes above and diffmerge.py)."""
    from .diffmerge import reparent as change

    change(child_path, new_parent_path)

__all__ = ["FORMAT", "ChainDisk", "Link", "create_differencing", "is_differencing", "merge_into_parent",
           "open_chain", "parent_of", "reparent"]
