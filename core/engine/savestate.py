"""Saved-state files: memory the guest touched, vCPU registers, device state and the guest clock.

The file is written atomically (temp file, fsync, rename, fsync of the folder) and is untrusted on load: its magic,
version, header, every memory record's bounds and a SHA-256 over the whole content are checked before anything of
it reaches a partition.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

MAGIC = b"BKHDSAVE"
FORMAT_VERSION = 1
_END = 0xFFFFFFFFFFFFFFFF
_HEADER_LIMIT = 1 << 20
_CHUNK = 1 << 20


class SavedStateError(ValueError):
    """A saved-state file that cannot be restored; the message says why."""


def write_saved_state(path: str | Path, header: dict, memory) -> int:
    """Write header and the resident pages of ``memory``; returns the file size."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    digest = hashlib.sha256()
    raw_header = json.dumps(header, sort_keys=True).encode()
    try:
        with open(tmp, "wb") as f:
            def put(data: bytes | memoryview) -> None:
                digest.update(data)
                f.write(data)

            put(MAGIC + struct.pack("<II", FORMAT_VERSION, len(raw_header)))
            put(raw_header)
            for gpa, length in memory.resident_runs():
                put(struct.pack("<QQ", gpa, length))
                for off in range(0, length, _CHUNK):
                    put(memory.view[gpa + off : gpa + min(length, off + _CHUNK)])
            put(struct.pack("<QQ", _END, 0))
            f.write(digest.digest())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def read_saved_state(path: str | Path, memory=None) -> dict:
    """Check the file whole, then (when ``memory`` is given) copy its pages in. Returns the header."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SavedStateError(f"saved state {path} is missing") from None
    except OSError as e:
        raise SavedStateError(f"saved state {path} cannot be read: {e.strerror}") from None
    if len(data) < len(MAGIC) + 8 + 16 + 32 or data[: len(MAGIC)] != MAGIC:
        raise SavedStateError(f"saved state {path} is not a Bulkhead saved state")
    body, checksum = data[:-32], data[-32:]
    if hashlib.sha256(body).digest() != checksum:
        raise SavedStateError(f"saved state {path} is damaged (checksum mismatch)")
    version, header_len = struct.unpack_from("<II", body, len(MAGIC))
    if version != FORMAT_VERSION:
        raise SavedStateError(f"saved state {path} has format {version}; this engine reads {FORMAT_VERSION}")
    pos = len(MAGIC) + 8
    if header_len > _HEADER_LIMIT or pos + header_len > len(body):
        raise SavedStateError(f"saved state {path} has a damaged header")
    try:
        header = json.loads(body[pos : pos + header_len])
    except ValueError:
        raise SavedStateError(f"saved state {path} has a header that is not JSON") from None
    if not isinstance(header, dict):
        raise SavedStateError(f"saved state {path} has a damaged header")
    pos += header_len
    records = []
    while True:
        if pos + 16 > len(body):
            raise SavedStateError(f"saved state {path} is truncated")
        gpa, length = struct.unpack_from("<QQ", body, pos)
        pos += 16
        if gpa == _END:
            break
        size = header.get("memory")
        if not isinstance(size, int) or gpa % 4096 or gpa + length > size or pos + length > len(body):
            raise SavedStateError(f"saved state {path} has a memory record outside guest memory")
        records.append((gpa, pos, length))
        pos += length
    if pos != len(body):
        raise SavedStateError(f"saved state {path} has trailing data")
    if memory is not None:
        if header.get("memory") != memory.size:
            raise SavedStateError(f"saved state {path} was taken with {header.get('memory')} bytes of memory, "
                                  f"the VM has {memory.size}")
        for gpa, off, length in records:
            memory.write(gpa, memoryview(body)[off : off + length])
    return header
