"""Saved-state files: memory the guest touched, vCPU registers, device state and the guest clock.

Layout (format 2; format 1 files, which lack the length and its check, are still read):

    preamble (32): magic "BKHDSAVE" | format u32 | header length u32 | file length u64 | crc32 of the above u32 | 0
    header: JSON
    memory records: gpa u64 | length u64 | bytes ... ; an end record gpa = 2^64-1, length 0
    SHA-256 of everything before it (32)

The file is written atomically (``core.model.files.write_atomic``) and is untrusted on load. A damaged file is
refused with a ``SavedStateError`` that says what is wrong, as cheaply as that can be known: a truncated or extended
file from its size alone (the length is in the preamble), a changed byte by the checksum, read in one streaming
pass that holds no more than a chunk of the file at a time (pages are read straight into guest memory).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import zlib
from pathlib import Path

from core.model.files import write_atomic

MAGIC = b"BKHDSAVE"
FORMAT_VERSION = 2
READS = (1, 2)
_END = 0xFFFFFFFFFFFFFFFF
_HEADER_LIMIT = 1 << 20
_CHUNK = 1 << 20
_PREAMBLE = struct.Struct("<8sIIQII")  # 32 bytes (format 2)
_PREAMBLE_V1 = struct.Struct("<8sII")  # 16 bytes
_RECORD = struct.Struct("<QQ")
_DIGEST = 32


class SavedStateError(ValueError):
    """A saved-state file that cannot be restored. ``reason`` is what is wrong (the message without the file),
    ``code`` one word for it: missing, unreadable, foreign, version, truncated, extended, damaged, invalid,
    mismatch."""

    def __init__(self, message: str, *, path: str | os.PathLike | None = None, reason: str = "",
                 code: str = "invalid") -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.reason = reason or message
        self.code = code

    @classmethod
    def of(cls, path, reason: str, code: str) -> SavedStateError:
        return cls(f"saved state {path} {reason}", path=path, reason=reason, code=code)


def write_saved_state(path: str | Path, header: dict, memory) -> int:
    """Write header and the resident pages of ``memory`` (which must not change meanwhile: the vCPUs and the
    VSPs are stopped); returns the file size."""
    path = Path(path)
    raw_header = json.dumps(header, sort_keys=True).encode()
    runs = memory.resident_runs()
    size = (_PREAMBLE.size + len(raw_header) + sum(_RECORD.size + length for _, length in runs) + _RECORD.size
            + _DIGEST)
    first = struct.pack("<8sIIQ", MAGIC, FORMAT_VERSION, len(raw_header), size)
    preamble = first + struct.pack("<II", zlib.crc32(first), 0)

    def write(f) -> None:
        digest = hashlib.sha256()

        def put(data: bytes | memoryview) -> None:
            digest.update(data)
            f.write(data)

        put(preamble)
        put(raw_header)
        for gpa, length in runs:
            put(_RECORD.pack(gpa, length))
            for off in range(0, length, _CHUNK):
                put(memory.view[gpa + off : gpa + min(length, off + _CHUNK)])
        put(_RECORD.pack(_END, 0))
        f.write(digest.digest())

    write_atomic(path, write)
    return path.stat().st_size


def read_saved_state(path: str | Path, memory=None) -> dict:
    """Check the file whole and return its header; with ``memory``, its pages are read into it on the way (a
    fresh run's memory: on an error it holds part of the file and must be thrown away)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise SavedStateError.of(path, "is missing", "missing") from None
    except (OSError, ValueError) as e:
        raise SavedStateError.of(path, f"cannot be read ({getattr(e, 'strerror', None) or e})", "unreadable") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SavedStateError.of(path, "is not a regular file", "unreadable")
        return _Reader(fd, st.st_size, path, memory).read()
    except OSError as e:
        raise SavedStateError.of(path, f"cannot be read ({e.strerror})", "unreadable") from None
    finally:
        os.close(fd)


class _Reader:
    """One pass over the file: every byte is hashed in order; the first problem of structure is kept and the
    hashing goes on, because a changed byte (checksum mismatch) explains a broken structure, not the other way."""

    def __init__(self, fd: int, size: int, path: Path, memory) -> None:
        self.fd, self.size, self.path, self.memory = fd, size, path, memory
        self.digest = hashlib.sha256()
        self.pos = 0
        self.problem: tuple[str, str] | None = None
        self._scratch = bytearray(_CHUNK)

    def fail(self, reason: str, code: str) -> SavedStateError:
        return SavedStateError.of(self.path, reason, code)

    def read(self) -> dict:
        start = os.pread(self.fd, _PREAMBLE.size, 0)
        short = self.fail(f"is truncated: {self.size} bytes, shorter than any saved state", "truncated")
        if not start:
            raise self.fail("is empty (0 bytes)", "truncated")
        if not start.startswith(MAGIC):
            if MAGIC.startswith(start):
                raise short
            raise self.fail("is not a Bulkhead saved state (no BKHDSAVE magic)", "foreign")
        if len(start) < _PREAMBLE_V1.size:
            raise short
        _, version, header_len = _PREAMBLE_V1.unpack_from(start)
        if version not in READS:
            raise self.fail(f"has format {version}; this engine reads formats {READS[0]}-{READS[-1]}", "version")
        if version >= 2:
            if len(start) < _PREAMBLE.size:
                raise short
            _, _, _, expected, crc, _ = _PREAMBLE.unpack(start)
            if zlib.crc32(start[:24]) != crc:
                raise self.fail("is damaged: its preamble (format, lengths) does not match its checksum", "damaged")
            if self.size < expected:
                raise self.fail(f"is truncated: {self.size:,} of {expected:,} bytes ({expected - self.size:,} "
                                "missing; the save was interrupted or the file was cut)", "truncated")
            if self.size > expected:
                raise self.fail(f"has {self.size - expected:,} bytes more than the {expected:,} it was written "
                                "with", "extended")
            self._hash(_PREAMBLE.size)
        else:
            if self.size < _PREAMBLE_V1.size + 2 * _RECORD.size + _DIGEST:
                raise short
            self._hash(_PREAMBLE_V1.size)
        body_end = self.size - _DIGEST
        header = self._header(header_len, body_end)
        if header is not None:
            self._records(header, body_end)
        self._hash(body_end - self.pos)  # whatever is left (only when something was wrong)
        stored = os.pread(self.fd, _DIGEST, body_end)
        if self.digest.digest() != stored:
            if version == 1:
                raise self.fail("is damaged (checksum mismatch: it was cut short or changed after it was "
                                "written)", "damaged")
            raise self.fail("is damaged: its checksum does not match (bytes changed after it was written)",
                            "damaged")
        if self.problem is not None:
            raise self.fail(*self.problem)
        if self.memory is not None and header.get("memory") != self.memory.size:
            raise self.fail(f"was taken with {header.get('memory')} bytes of memory, the VM has "
                            f"{self.memory.size}", "mismatch")
        return header

    def _note(self, reason: str, code: str = "invalid") -> None:
        if self.problem is None:
            self.problem = (reason, code)

    def _hash(self, length: int) -> None:
        """Hash ``length`` bytes from the current position, through the scratch buffer."""
        view = memoryview(self._scratch)
        while length > 0:
            n = os.preadv(self.fd, [view[: min(length, _CHUNK)]], self.pos)
            if n <= 0:
                raise OSError(5, "the file shrank while it was read")
            self.digest.update(view[:n])
            self.pos += n
            length -= n

    def _take(self, length: int) -> bytes:
        data = os.pread(self.fd, length, self.pos)
        if len(data) != length:
            raise OSError(5, "the file shrank while it was read")
        self.digest.update(data)
        self.pos += length
        return data

    def _header(self, header_len: int, body_end: int) -> dict | None:
        if header_len > _HEADER_LIMIT or self.pos + header_len + _RECORD.size > body_end:
            self._note(f"has a damaged header (length {header_len})")
            return None
        try:
            header = json.loads(self._take(header_len))
        except ValueError:
            self._note("has a header that is not JSON")
            return None
        if not isinstance(header, dict):
            self._note("has a damaged header (not an object)")
            return None
        return header

    def _records(self, header: dict, body_end: int) -> None:
        size = header.get("memory")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            self._note("has a damaged header (no memory size)")
            return
        memory = self.memory
        if memory is not None and size != memory.size:
            return  # reported once the file is known to be intact; nothing is copied
        while True:
            if self.pos + _RECORD.size > body_end:
                self._note("ends inside its memory records (no end record)")
                return
            gpa, length = _RECORD.unpack(self._take(_RECORD.size))
            if gpa == _END:
                if length != 0 or self.pos != body_end:
                    self._note(f"has {body_end - self.pos} bytes of data after its end record")
                return
            if gpa % 4096 or length > size or gpa > size - length or self.pos + length > body_end:
                self._note(f"has a memory record (0x{gpa:x}+{length}) outside guest memory or the file")
                return
            if memory is None:
                self._hash(length)
                continue
            for off in range(0, length, _CHUNK):  # straight into guest memory, hashed from there
                chunk = memory.view[gpa + off : gpa + min(length, off + _CHUNK)]
                n = os.preadv(self.fd, [chunk], self.pos)
                if n != len(chunk):
                    raise OSError(5, "the file shrank while it was read")
                self.digest.update(chunk)
                self.pos += n
            memory.mark(gpa, length)
