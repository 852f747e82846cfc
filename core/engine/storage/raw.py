"""Raw images, sector for sector, and the file handling every disk format shares: bounds checks, the lock that lets
the storage VSP and the emulated IDE controller use one disk from different threads, flush and close."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

from . import SECTOR_SIZE, DiskError


def pwrite_all(fd: int, data, offset: int) -> None:
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, offset)
        if n <= 0:
            raise OSError(28, "No space left on device")
        view, offset = view[n:], offset + n


def pread_exact(fd: int, length: int, offset: int, path: str, what: str = "data") -> bytes:
    data = os.pread(fd, length, offset)
    if len(data) != length:
        raise DiskError(f"{path}: short read of {what} at offset {offset} ({len(data)} of {length} bytes; "
                        "was the file truncated?)")
    return data


class Closing:
    """A disk used as a context manager: closed when the ``with`` block ends."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FileDisk(Closing):
    """A disk whose sectors are one contiguous run of the file starting at ``data_offset``; formats with another
    layout override ``_read`` and ``_write``."""

    format = "raw"
    sector_size = SECTOR_SIZE
    data_offset = 0

    def __init__(self, path: str, fd: int, size: int, file_size: int, read_only: bool):
        self.path = path
        self.size = size
        self.sectors = size // SECTOR_SIZE
        self.read_only = read_only
        self._fd = fd
        self._file_size = file_size
        self._lock = threading.Lock()
        self._failed: str | None = None
        self.problems: list[str] = []  # found on opening; check() may add more
        self.repaired: list[str] = []  # what opening for writing put right

    # --- the VirtualDisk protocol -----------------------------------------------------------------------------
    def read(self, sector: int, count: int) -> bytes:
        self._check_range(sector, count)
        if count == 0:
            return b""
        with self._lock:
            self._check_usable()
            try:
                return self._read(sector, count)
            except OSError as e:
                raise DiskError(f"{self.path}: read failed at sector {sector} ({e.strerror})") from None

    def write(self, sector: int, data: bytes) -> None:
        data = memoryview(data).cast("B")  # bytes, bytearray or a contiguous view of anything: counted in bytes
        if len(data) % SECTOR_SIZE:
            raise DiskError(f"{self.path}: a write of {len(data)} bytes is not a whole number of "
                            f"{SECTOR_SIZE}-byte sectors")
        count = len(data) // SECTOR_SIZE
        self._check_range(sector, count)
        if self.read_only:
            raise DiskError(f"{self.path}: opened read-only")
        if count == 0:
            return
        with self._lock:
            self._check_usable()
            try:
                self._write(sector, data)
            except OSError as e:
                raise DiskError(f"{self.path}: write failed at sector {sector} ({e.strerror})") from None

    def flush(self) -> None:
        with self._lock:
            self._check_usable()
            if not self.read_only:
                try:
                    os.fsync(self._fd)
                except OSError as e:
                    raise DiskError(f"{self.path}: flush failed ({e.strerror})") from None

    def close(self) -> None:
        with self._lock:
            if self._fd < 0:
                return
            fd, self._fd = self._fd, -1
            try:
                if not self.read_only and self._failed is None:
                    os.fsync(fd)
            finally:
                os.close(fd)

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def info(self) -> dict:
        with self._lock:
            self._check_usable()
            st = os.fstat(self._fd)
            details = self._info()
        base = {
            "path": self.path,
            "format": self.format,
            "virtual_size": self.size,
            "sector_size": SECTOR_SIZE,
            "file_size": st.st_size,
            "disk_usage": st.st_blocks * 512,
            "allocated_bytes": min(self.size, st.st_blocks * 512),
            "block_size": None,
            "blocks_total": None,
            "blocks_allocated": None,
            "geometry": None,
            "uuid": None,
            "creator": None,
            "created": None,
            "read_only": self.read_only,
            "problems": list(self.problems),
            "repaired": list(self.repaired),
        }
        base.update(details)
        return base

    def check(self) -> list[str]:
        """Problems in the image beyond those that refuse it; [] when clean. Reads only."""
        with self._lock:
            self._check_usable()
            return list(self.problems) + self._check()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path!r} {self.format} {self.size} bytes{' ro' if self.read_only else ''}>"

    # --- for formats to override -----------------------------------------------------------------------------
    def _read(self, sector: int, count: int) -> bytes:
        return pread_exact(self._fd, count * SECTOR_SIZE, self.data_offset + sector * SECTOR_SIZE, self.path)

    def _write(self, sector: int, data) -> None:
        pwrite_all(self._fd, data, self.data_offset + sector * SECTOR_SIZE)

    def _info(self) -> dict:
        return {}

    def _check(self) -> list[str]:
        return []

    # --- helpers ----------------------------------------------------------------------------------------------
    def _check_range(self, sector: int, count: int) -> None:
        if not isinstance(sector, int) or not isinstance(count, int):
            raise DiskError(f"{self.path}: sector and count must be integers")
        if sector < 0 or count < 0 or sector + count > self.sectors:
            raise DiskError(f"{self.path}: sectors {sector}..{sector + count - 1} are outside the disk "
                            f"(0..{self.sectors - 1})")

    def _check_usable(self) -> None:
        if self._fd < 0:
            raise DiskError(f"{self.path}: the disk is closed")
        if self._failed is not None:
            raise DiskError(f"{self.path}: failed earlier and must be reopened ({self._failed})")

    def _fail(self, reason: str) -> DiskError:
        self._failed = reason
        return DiskError(f"{self.path}: {reason}")


class RawDisk(FileDisk):
    format = "raw"

    @classmethod
    def open(cls, path: str, fd: int, file_size: int, read_only: bool) -> RawDisk:
        if file_size <= 0 or file_size % SECTOR_SIZE:
            raise DiskError(f"{path}: a raw image must be a positive multiple of {SECTOR_SIZE} bytes, "
                            f"not {file_size}")
        return cls(path, fd, file_size, file_size, read_only)

    def _info(self) -> dict:
        st = os.fstat(self._fd)
        return {"modified": datetime.fromtimestamp(st.st_mtime, UTC).isoformat(timespec="seconds")}


def write_new(fd: int, size: int) -> None:
    """A new raw image: sparse, every sector zero."""
    os.ftruncate(fd, size)
