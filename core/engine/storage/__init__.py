"""Virtual hard disks: VHD (fixed and dynamic, Hyper-V 2008's format) and raw images.

    disk = create_disk("web1.vhd", 10 << 30)           # dynamic VHD; "fixed" or "raw" as kind
    disk = open_disk("web1.vhd", read_only=True)        # the format is detected, or given with format=
    problems = check_disk("web1.vhd")                   # [] when clean; never modifies the file

Every image is untrusted input: opening validates all it reads and refuses a damaged or hostile image with a
``DiskError`` whose message says which file and what is wrong. A disk is safe to use from several threads.
"""

from __future__ import annotations

import errno
import fcntl
import os
from typing import Protocol, runtime_checkable

from core.model.files import NotRegularFile, write_atomic
from core.model.opening import open_regular_as

SECTOR_SIZE = 512
KINDS = ("dynamic", "fixed", "raw")
FORMATS = ("vhd-dynamic", "vhd-fixed", "raw")
_KIND_FORMAT = dict(zip(KINDS, FORMATS, strict=True))


class DiskError(ValueError):
    """A disk image that cannot be created, opened, read or written, with a one-line reason a person can act on."""


@runtime_checkable
class VirtualDisk(Protocol):
    path: str
    format: str  # "vhd-fixed" | "vhd-dynamic" | "raw"
    size: int  # virtual size in bytes, a multiple of sector_size
    sector_size: int
    read_only: bool

    def read(self, sector: int, count: int) -> bytes: ...
    def write(self, sector: int, data: bytes) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
    def info(self) -> dict: ...


def disk_size_for(size: int, kind: str = "dynamic") -> int:
    """The virtual size ``create_disk`` gives a disk of ``size`` bytes: raw images round up to whole sectors; VHDs
    round up to a size their CHS geometry describes exactly (see ``vhd.vhd_size_for``). DiskError if impossible."""
    if kind not in KINDS:
        raise DiskError(f"unknown disk type '{kind}' (choose {', '.join(KINDS)})")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise DiskError(f"disk size must be a positive number of bytes, not {size!r}")
    if kind == "raw":
        return -(-size // SECTOR_SIZE) * SECTOR_SIZE
    from .vhd import vhd_size_for

    return vhd_size_for(size)


def create_disk(path: str | os.PathLike, size: int, kind: str = "dynamic",
                block_size: int | None = None) -> VirtualDisk:
    """Create a new disk image and return it opened for writing. Never overwrites: the image is written under a
    temporary name in the same folder (``.<name>.<hex8>.tmp``), synced, then linked into place only if ``path``
    still does not exist."""
    path = os.fspath(path)
    size = disk_size_for(size, kind)
    if kind != "dynamic" and block_size is not None:
        raise DiskError(f"a block size only applies to dynamic disks, not {kind}")
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.lexists(path):
        raise DiskError(f"{path}: already exists; choose another name or remove it first")
    if not os.path.isdir(folder):
        raise DiskError(f"{path}: the folder {folder} does not exist")
    if kind == "raw" and _named_vhd(path):
        raise DiskError(f"{path}: a raw image must not be named .vhd (it would be taken for a VHD without its "
                        "footer); name it .img or .raw")
    from . import raw, vhd

    def write(f) -> None:
        fd = f.fileno()
        if kind == "raw":
            raw.write_new(fd, size)
        elif kind == "fixed":
            vhd.write_new_fixed(fd, size)
        else:
            vhd.write_new_dynamic(fd, size, vhd.DEFAULT_BLOCK_SIZE if block_size is None else block_size)

    exists = DiskError(f"{path}: already exists; choose another name or remove it first")
    try:
        write_atomic(path, write, replace=False)  # put into place only if the name is still free
    except FileExistsError:
        raise exists from None
    except OSError as e:
        if e.errno == errno.ENOSPC:
            raise DiskError(f"{path}: not enough free space for a {kind} disk of {size} bytes") from None
        raise DiskError(f"{path}: cannot create ({e.strerror})") from None
    return open_disk(path, format=_KIND_FORMAT[kind])


def _named_vhd(path: str) -> bool:
    return os.path.splitext(path)[1].lower() == ".vhd"


def detect_format(fd: int, file_size: int) -> str | None:
    """ "vhd" when a VHD footer cookie is at the end or (a dynamic disk's copy) at offset 0, or a dynamic disk
    header sits at offset 512 (a VHD whose footers are both damaged must not pass for a raw image); "raw" for any
    other file of whole sectors; None otherwise."""
    from .vhd import COOKIE, FOOTER_SIZE, HEADER_COOKIE

    if file_size >= FOOTER_SIZE:
        if os.pread(fd, 8, file_size - FOOTER_SIZE) == COOKIE or os.pread(fd, 8, 0) == COOKIE \
                or os.pread(fd, 8, FOOTER_SIZE) == HEADER_COOKIE:
            return "vhd"
    if file_size > 0 and file_size % SECTOR_SIZE == 0:
        return "raw"
    return None


def open_disk(path: str | os.PathLike, read_only: bool = False, *, format: str | None = None) -> VirtualDisk:
    """Open an image, detecting its format unless ``format`` (one of FORMATS) is given. Pass the format recorded
    when the disk was made where you can: a raw image's guest could otherwise write a VHD footer into its own disk
    and change how the file is read next time. Writers take an exclusive lock; a second writer is refused."""
    path = os.fspath(path)
    if format is not None and format not in FORMATS:
        raise DiskError(f"unknown disk format '{format}' (choose {', '.join(FORMATS)})")
    fd, st = open_regular_as(path, os.O_RDONLY if read_only else os.O_RDWR, DiskError, {
        FileNotFoundError: f"{path}: no such file",
        IsADirectoryError: f"{path}: is a folder, not a disk image",
        PermissionError: f"{path}: permission denied" + ("" if read_only else "; open it read-only"),
        NotRegularFile: f"{path}: not a regular file"}, cannot=f"{path}: cannot open")
    try:
        if not read_only:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DiskError(f"{path}: in use (opened for writing elsewhere)") from None
        found = detect_format(fd, st.st_size)
        wanted = format or found
        if format is None and found == "raw" and _named_vhd(path):
            # a fixed VHD is its sectors and a footer: with the footer zeroed or overwritten it would pass for a raw
            # image one sector too large, its last sector the old footer; say so rather than guess
            raise DiskError(f"{path}: named .vhd but has no VHD footer ('conectix' is missing from its last 512 "
                            "bytes: a fixed VHD whose footer was zeroed or overwritten?); if it is a raw image, "
                            "attach it with format raw or name it .img")
        if wanted is None:
            if st.st_size == 0:
                raise DiskError(f"{path}: the file is empty")
            raise DiskError(f"{path}: not a VHD (no 'conectix' footer) and its size {st.st_size} is not a "
                            f"multiple of {SECTOR_SIZE}, so not a raw image either")
        if wanted == "raw":
            from .raw import RawDisk

            return RawDisk.open(path, fd, st.st_size, read_only)
        from .differencing import is_differencing, open_chain

        if is_differencing(fd, st.st_size):  # type 4: the whole chain (core/engine/storage/differencing.py)
            return open_chain(path, fd, st.st_size, read_only, expect=format)
        from .vhd import open_vhd

        return open_vhd(path, fd, st.st_size, read_only, expect=format)
    except BaseException:
        os.close(fd)
        raise


def check_disk(path: str | os.PathLike, *, format: str | None = None) -> list[str]:
    """Problems found in an image, one line each; an empty list when it is clean. Opens read-only, never writes."""
    try:
        disk = open_disk(path, read_only=True, format=format)
    except DiskError as e:
        return [str(e)]
    try:
        return disk.check()
    finally:
        disk.close()


__all__ = ["FORMATS", "KINDS", "SECTOR_SIZE", "DiskError", "VirtualDisk", "check_disk", "create_disk",
           "detect_format", "disk_size_for", "open_disk"]
