"""The files of a VM that moves: what the source describes (each disk's identity, the guest image), what the
destination decides for each (shared, or copied to which path), and the ``FILE_*`` records that carry a copy.

- **shared**: the destination reaches the same path with the same identity: for a VHD the same size and footer
  unique id, for a raw image the same size, device and inode (the same file). It is not copied.
- **copied**: sent as ``FILE_BEGIN {id, role, name, size}``, ``FILE_DATA`` (u32 id, u64 offset, bytes; offsets
  rising, runs of zeros left out) and ``FILE_END {id, sha256}`` of the whole file. The destination writes it
  beside its target under a temporary name (``.<name>.<hex8>.tmp``, listed for the sweep at start, so a killed
  host leaves nothing that looks like a disk), checks the size and the SHA-256, and renames it into place only
  when the VM is made durable (``commit``). Storage migration builds on ``IncomingFile``: it stays open and takes
  writes at any offset (``write_at``) until it is committed or dropped.

Everything read from the stream is untrusted: a file id that was not asked for, an offset that goes backwards or
past the declared size, a size other than the one prepared, a wrong checksum: refused with a ``WireError``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.model.files import fsync_dir, temp_name

from .migration_wire import BLOCKS, FILE_BEGIN, FILE_DATA, FILE_END, WireError

CHUNK = 1 << 20
DATA_HEAD = struct.Struct("<IQ")
_ZERO = bytes(CHUNK)
ROLES = ("disk", "image", "saved_state")
_pwrite = os.pwrite  # the one write of received bytes (tests inject a full disk here)


class NoSpace(WireError):
    """The destination's disk is full."""


# --- describing (the source) -------------------------------------------------------------------------------------
def identity(path: str) -> dict:
    """What makes a disk file the same file elsewhere: size, and the VHD footer's unique id or (raw) device and
    inode."""
    st = os.stat(path)
    out = {"size": st.st_size, "dev": st.st_dev, "inode": st.st_ino, "uuid": None}
    try:
        from core.engine.storage import open_disk

        with open_disk(path, read_only=True) as disk:
            out["format"] = disk.format
            out["uuid"] = disk.info().get("uuid")
            out["virtual_size"] = disk.size  # what a copy made by create_disk must have (live moves)
            out["vhd_block"] = getattr(disk, "block_size", None) if disk.format == "vhd-dynamic" else None
    except (OSError, ValueError):
        out["format"] = None
    return out


def sha256_of(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def same_file(described: dict, path: str) -> bool:
    """Whether ``path`` on this host is the file the source described (the shared-storage rule)."""
    try:
        here = identity(path)
    except OSError:
        return False
    theirs = described.get("identity") or {}
    if here["size"] != theirs.get("size"):
        return False
    if here.get("uuid") or theirs.get("uuid"):
        return here.get("uuid") == theirs.get("uuid")
    return (here["dev"], here["inode"]) == (theirs.get("dev"), theirs.get("inode"))


# --- the plan (the destination) ----------------------------------------------------------------------------------
@dataclass
class FilePlan:
    """One file of the moving VM as the destination will have it."""

    id: int
    role: str  # disk | image | saved_state
    source_path: str  # the path at the source ("" for the saved state)
    size: int  # bytes (for the saved state: at most this many)
    target: str  # where it ends up on this host
    shared: bool = False  # the destination reaches the same file: not sent
    sha256: str = ""  # an image's, known in advance
    staged: str = ""  # the temporary file being written
    identity: dict = field(default_factory=dict)  # a disk's, as the source described it (a live copy's format)

    def to_dict(self) -> dict:
        return {"id": self.id, "role": self.role, "path": self.source_path, "size": self.size, "target": self.target,
                "shared": self.shared}


@dataclass
class IncomingFile:
    """A file being received: written at ``staged`` (a temporary name beside ``target``), hashed in order."""

    plan: FilePlan
    fd: int = -1
    size: int = 0
    at: int = 0  # the next offset the in-order hash expects
    hash: object = field(default_factory=hashlib.sha256)
    done: bool = False

    def open(self, size: int) -> None:
        target = Path(self.plan.target)
        staged = target if self.plan.role == "saved_state" else temp_name(target)
        self.plan.staged = str(staged)
        self.fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        os.fchmod(self.fd, 0o600)
        self.size = size
        _io(lambda: os.ftruncate(self.fd, size), staged)

    def write_at(self, offset: int, data: bytes | memoryview) -> None:
        if offset < 0 or offset + len(data) > self.size:
            raise WireError(f"{self.plan.role} data at offset {offset} (+{len(data)}) runs past its size "
                            f"{self.size}", "bounds")
        view = memoryview(data)
        while view:
            n = _io(lambda v=view, o=offset: _pwrite(self.fd, v, o), self.plan.staged)
            view, offset = view[n:], offset + n

    def data(self, offset: int, data: bytes | memoryview) -> None:
        """A FILE_DATA record: offsets rise; what lies between is zeros (left out by the sender)."""
        if offset < self.at:
            raise WireError(f"{self.plan.role} data at offset {offset} goes back (expected {self.at} or later)",
                            "order")
        self.write_at(offset, data)
        _hash_zeros(self.hash, offset - self.at)
        self.hash.update(data)
        self.at = offset + len(data)

    def end(self, sha256: str) -> None:
        _hash_zeros(self.hash, self.size - self.at)
        self.at = self.size
        if not isinstance(sha256, str) or self.hash.hexdigest() != sha256.lower():
            raise WireError(f"the {self.plan.role} {os.path.basename(self.plan.target)} arrived damaged (its "
                            f"SHA-256 does not match)", "checksum")
        _io(lambda: os.fsync(self.fd), self.plan.staged)
        self.close()
        self.done = True

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def drop(self) -> None:
        self.close()
        if self.plan.staged:
            try:
                os.unlink(self.plan.staged)
            except OSError:
                pass

    def commit(self) -> None:
        """Put a copied disk or image into place (never over an existing file)."""
        if self.plan.role == "saved_state" or self.plan.staged == self.plan.target:
            return
        try:
            os.link(self.plan.staged, self.plan.target)
            os.unlink(self.plan.staged)
        except OSError as e:
            if e.errno == errno.EEXIST:
                raise
            if os.path.lexists(self.plan.target):
                raise FileExistsError(errno.EEXIST, "File exists", self.plan.target) from None
            os.rename(self.plan.staged, self.plan.target)
        fsync_dir(os.path.dirname(self.plan.target))


def _hash_zeros(h, n: int) -> None:
    while n > 0:
        step = min(n, CHUNK)
        h.update(_ZERO[:step])
        n -= step


def _io(fn, path):
    try:
        return fn()
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise NoSpace(f"this host's disk is full (writing {path})", "nospace") from None
        raise WireError(f"cannot write {path}: {e.strerror or e}", "io") from None


class FileReceiver:
    """The destination's side of the FILE_* records for the files it asked for."""

    def __init__(self, plans: list[FilePlan]) -> None:
        self.plans = {p.id: p for p in plans if not p.shared}
        self.files: dict[int, IncomingFile] = {}
        self.current: IncomingFile | None = None
        self.bytes = 0

    @property
    def complete(self) -> bool:
        return all(i in self.files and self.files[i].done for i in self.plans)

    def handle(self, rtype: int, payload: bytes) -> None:
        if rtype == FILE_BEGIN:
            meta = _meta(payload)
            fid, size = meta.get("id"), meta.get("size")
            plan = self.plans.get(fid) if isinstance(fid, int) else None
            if plan is None or fid in self.files:
                raise WireError(f"the source sent file {str(fid)[:20]}, which was not asked for", "order")
            if self.current is not None:
                raise WireError("the source began a file before ending the last one", "order")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0 or size > plan.size or \
                    (plan.role != "saved_state" and size != plan.size):
                raise WireError(f"the source sent a {plan.role} of {str(size)[:20]} bytes where {plan.size} were "
                                f"prepared", "size")
            incoming = IncomingFile(plan)
            self.files[fid] = incoming
            incoming.open(size)
            self.current = incoming
        elif rtype == FILE_DATA:
            if len(payload) < DATA_HEAD.size:
                raise WireError("a FILE_DATA record is too short", "length")
            fid, offset = DATA_HEAD.unpack_from(payload)
            if self.current is None or self.current.plan.id != fid:
                raise WireError(f"the source sent data of file {fid} outside it", "order")
            self.current.data(offset, memoryview(payload)[DATA_HEAD.size:])
            self.bytes += len(payload) - DATA_HEAD.size
        elif rtype == FILE_END:
            meta = _meta(payload)
            if self.current is None or meta.get("id") != self.current.plan.id:
                raise WireError("the source ended a file it had not begun", "order")
            self.current.end(meta.get("sha256"))
            self.current = None
        else:
            raise WireError(f"unexpected record {rtype} among the files", "order")

    def commit(self) -> None:
        for f in self.files.values():
            f.commit()

    def drop(self) -> None:
        for f in self.files.values():
            f.drop()


def _meta(payload: bytes) -> dict:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or len(payload) > 4096:
        raise WireError("a file record is not a small JSON object", "json")
    return data


# --- sending (the source) ----------------------------------------------------------------------------------------
class FileSender:
    """Sends files through a Wire, reporting progress (``progress(sent_bytes)``) and stopping when ``cancelled()``."""

    def __init__(self, wire, progress=None, cancelled=None) -> None:
        self.wire = wire
        self.progress = progress or (lambda sent: None)
        self.cancelled = cancelled or (lambda: False)
        self.sent = 0  # file bytes read and accounted (zeros included)

    def send(self, fid: int, role: str, path: str) -> dict:
        """Send one file whole; returns {id, role, path, size, sha256, seconds}."""
        started = time.monotonic()
        h = hashlib.sha256()
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.wire.send_json(FILE_BEGIN, {"id": fid, "role": role, "name": os.path.basename(path), "size": size})
            offset = 0
            while True:
                if self.cancelled():
                    raise WireError("the move was cancelled", "cancelled")
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                h.update(chunk)
                if chunk != _ZERO[:len(chunk)]:
                    self.wire.send(FILE_DATA, DATA_HEAD.pack(fid, offset), chunk)
                offset += len(chunk)
                self.sent += len(chunk)
                self.progress(self.sent)
                if self.wire.channel.poll():  # the destination has something to say: its refusal
                    rtype, _ = self.wire.recv(1.0)
                    raise WireError(f"the destination sent record {rtype} in the middle of a file", "order")
        digest = h.hexdigest()
        self.wire.send_json(FILE_END, {"id": fid, "sha256": digest})
        return {"id": fid, "role": role, "path": path, "size": size, "sha256": digest,
                "seconds": round(time.monotonic() - started, 4)}


# --- a live move's disk copy: BLOCKS records -----------------------------------------------------------------------
# ``u32 file id, u32 count, count x u64 offsets, the blocks`` (each one tracking block long, the disk's last one may
# be shorter); a record with a count of 0 ends the file's copy (the destination flushes and closes it).
BLOCKS_HEAD = struct.Struct("<II")
BLOCKS_MAX = 4096  # blocks in one record
_KIND_OF = {"vhd-dynamic": "dynamic", "vhd-fixed": "fixed", "raw": "raw"}


def disk_copy_problem(plan: FilePlan) -> str:
    """Why this host cannot make a copy of the described disk for a live move ('' when it can)."""
    from core.engine.storage import DiskError, disk_size_for

    ident = plan.identity or {}
    kind, size = _KIND_OF.get(ident.get("format")), ident.get("virtual_size")
    if kind is None or not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        return f"the disk {plan.source_path} was described without its format and virtual size"
    try:
        if disk_size_for(size, kind) != size:
            return f"the disk {plan.source_path} has a size ({size} bytes) a new {kind} disk here cannot have"
    except DiskError as e:
        return str(e)
    return ""


class BlockSender:
    """DiskCopy's writer at the source: each batch as one BLOCKS record on the engine's channel, the destination's
    refusal (a record coming back) raised between records."""

    def __init__(self, channel, fid: int) -> None:
        self.ch = channel
        self.fid = fid

    def __call__(self, batch: list) -> None:
        from core.engine import migration_stream as ms

        if self.ch.poll():
            rec = self.ch.recv(1.0)
            if rec.type in (ms.ERROR, ms.ABORT):
                raise ms.peer_error(rec, "destination")
            raise ms.StreamError(f"the destination sent a {rec.name} record during the disk copy", "order")
        offsets = struct.pack(f"<{len(batch)}Q", *(o for o, _ in batch))
        self.ch.send(BLOCKS, BLOCKS_HEAD.pack(self.fid, len(batch)), offsets, *(d for _, d in batch))

    def end(self) -> None:
        self.ch.send(BLOCKS, BLOCKS_HEAD.pack(self.fid, 0))


class _StagedDisk:
    def __init__(self, plan: FilePlan) -> None:
        from core.engine.storage import create_disk
        from core.engine.storage.tracking import block_size_for

        self.plan = plan
        ident = plan.identity
        self.size = ident["virtual_size"]
        self.block = block_size_for(self.size)
        kind = _KIND_OF[ident["format"]]
        staged = temp_name(plan.target)
        plan.staged = str(staged)
        try:
            self.disk = create_disk(staged, self.size, kind, ident.get("vhd_block") if kind == "dynamic" else None)
        except ValueError as e:
            plan.staged = ""
            raise WireError(f"cannot make the disk copy {staged}: {e}", "io") from None
        self.done = False
        self.bytes = 0

    def handle(self, count: int, payload: memoryview) -> None:
        import numpy as np

        if self.done:
            raise WireError("BLOCKS came for a disk whose copy had ended", "order")
        if count == 0:
            if len(payload) != BLOCKS_HEAD.size:
                raise WireError("a BLOCKS record ending a copy carries data", "length")
            _disk_io(self.disk.flush, self.plan.staged)
            self.disk.close()
            self.done = True
            return
        head = BLOCKS_HEAD.size + 8 * count
        if count > BLOCKS_MAX or len(payload) < head:
            raise WireError(f"a BLOCKS record of {count} blocks is too short or holds too many", "length")
        offsets = np.frombuffer(payload, "<u8", count, BLOCKS_HEAD.size).astype(np.int64)
        if (offsets < 0).any() or (offsets % self.block).any() or (offsets >= self.size).any():
            raise WireError(f"a BLOCKS record has an offset outside the disk of {self.size} bytes or not on a "
                            f"{self.block}-byte block", "bounds")
        lengths = np.minimum(self.block, self.size - offsets)
        if head + int(lengths.sum()) != len(payload):
            raise WireError("a BLOCKS record's data is not its blocks' length", "length")
        ends = offsets + lengths
        breaks = np.flatnonzero(offsets[1:] != ends[:-1]) + 1
        at = head
        for run in np.split(np.arange(count), breaks):
            start, n = int(offsets[run[0]]), int(lengths[run].sum())
            data = payload[at:at + n]
            _disk_io(lambda s=start, d=data: self.disk.write(s // 512, bytes(d)), self.plan.staged)
            at += n
        self.bytes += at - head

    def close(self) -> None:
        if not self.done:
            self.disk.close()


def _disk_io(fn, path):
    """``_io`` for a virtual disk's writes, which also fail as a DiskError (a ValueError)."""
    try:
        return _io(fn, path)
    except ValueError as e:  # a DiskError
        if "space" in str(e):
            raise NoSpace(f"this host's disk is full ({e})", "nospace") from None
        raise WireError(f"cannot write {path}: {e}", "io") from None


class BlockReceiver:
    """The destination's copies of the disks a live move carries: each a fresh image (same format, size and VHD
    block size, made by create_disk) under a temporary name beside its target, written from untrusted BLOCKS
    records (every offset and length checked), flushed and closed at the copy's end, renamed into place by
    ``commit`` (never over a file), removed by ``drop``."""

    def __init__(self, plans: list[FilePlan]) -> None:
        self.plans = [p for p in plans if p.role == "disk" and not p.shared]
        self.disks: dict[int, _StagedDisk] = {}

    def open(self) -> None:
        for plan in self.plans:
            self.disks[plan.id] = _StagedDisk(plan)

    @property
    def bytes(self) -> int:
        return sum(d.bytes for d in self.disks.values())

    def handle(self, rtype: int, payload: bytes) -> None:
        if rtype != BLOCKS or len(payload) < BLOCKS_HEAD.size:
            raise WireError("a BLOCKS record is too short", "length")
        fid, count = BLOCKS_HEAD.unpack_from(payload)
        disk = self.disks.get(fid)
        if disk is None:
            raise WireError(f"the source sent blocks of file {fid}, which was not asked for", "order")
        disk.handle(count, memoryview(payload))

    def commit(self) -> None:
        for disk in self.disks.values():
            if not disk.done:
                raise WireError(f"the copy of {disk.plan.target} did not end", "order")
            IncomingFile(disk.plan).commit()

    def drop(self) -> None:
        for disk in self.disks.values():
            disk.close()
            IncomingFile(disk.plan).drop()
