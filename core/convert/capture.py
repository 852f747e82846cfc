"""Capturing a physical machine's disk or partition (a block device, or an image file standing in for one) into a
virtual hard disk (VHD or qcow2), with progress and cancel, skipping zeroed space.

- Here: ``qemu_img.convert`` reads the device as raw and writes the target sparse (qemu-img skips zeroes).
- Over SSH: ``ssh ... dd if=DEV bs=1M status=none`` streams the device into a sparse raw temporary beside the
  target (an all-zero 64 KiB block is a seek, not a write), which qemu-img then converts; the progress is the
  bytes read of the device's size.
- A mounted file system captured online is not crash-consistent: ``freeze`` (mountpoints) runs ``fsfreeze -f``
  before and ``fsfreeze -u`` after (always, in ``finally``), with the copy compared to the source while frozen.

Whatever fails or is cancelled, nothing is left at the target or its temporaries (qemu_img.convert's rule).
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shlex
import stat
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from core.model.errors import OperationFailed, UsageError

from . import qemu_img
from .physical import SshTarget, clean, ssh_command

__all__ = ["BLOCK", "CaptureError", "capture", "stream_to_sparse"]

BLOCK = 64 << 10  # an all-zero block of this size is skipped (a seek) in the raw temporary
CHUNK = 1 << 20
_ZERO_BLOCK = bytes(BLOCK)
_ZERO_CHUNK = bytes(CHUNK)
_DEVICE = re.compile(r"^/[A-Za-z0-9._+:@/ -]{1,1000}$")
HEADER_MAX = 32
PIPE_SIZE = 1 << 20
FREEZE_TIMEOUT = 60.0
STREAM_SHARE = 80.0  # percent of an SSH capture's progress given to the stream (the rest: qemu-img)


class CaptureError(OperationFailed):
    """A capture that failed: one line naming the device and what went wrong."""

    def __init__(self, device: str, what: str) -> None:
        super().__init__(f"{device}: {what}", code="convert.capture", device=str(device))


def check_device(device: str) -> str:
    """``device`` as a capture takes it: an absolute path of plain characters, or UsageError."""
    if not isinstance(device, str) or not _DEVICE.match(device) or "/../" in f"{device}/":
        raise UsageError(f"disk {str(device)[:80]!r}: give an absolute device path (/dev/sdb, /dev/sdb1) or image "
                         "file", code="convert.disk")
    return device


def _pct(progress, value: float) -> None:
    if progress is not None:
        progress(max(0.0, min(100.0, value)))


# --- freezing -------------------------------------------------------------------------------------------------------
def _freeze_cmd(action: str, mountpoint: str, ssh: SshTarget | None) -> list[str]:
    if ssh is not None:
        return ssh_command(ssh, f"fsfreeze {action} {shlex.quote(mountpoint)}")
    return ["fsfreeze", action, mountpoint]


def _fsfreeze(action: str, mountpoint: str, ssh: SshTarget | None) -> None:
    try:
        done = subprocess.run(_freeze_cmd(action, mountpoint, ssh), stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=FREEZE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CaptureError(mountpoint, f"fsfreeze {action} gave no answer within {FREEZE_TIMEOUT:g} s") from None
    except OSError as e:
        raise CaptureError(mountpoint, f"cannot run fsfreeze: {e.strerror or e}") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise CaptureError(mountpoint, clean(lines[-1] if lines else f"fsfreeze {action} failed", 300))


def check_freeze(mountpoints, dst: Path, ssh: SshTarget | None) -> list[str]:
    """The mountpoints to freeze, refused (UsageError) where freezing would stop the capture itself: the file
    system the target is written to, or this machine's root."""
    out = []
    for mp in mountpoints:
        if mp == "[SWAP]" or mp in out:
            continue
        if ssh is None:
            if mp == "/":
                raise UsageError("cannot freeze / on this machine while it runs the capture: capture it from a "
                                 "snapshot, or over SSH from another machine", code="convert.freeze")
            try:
                same = os.stat(mp).st_dev == os.stat(dst.parent).st_dev
            except OSError as e:
                raise UsageError(f"cannot freeze {mp}: {e.strerror or e}", code="convert.freeze") from None
            if same:
                raise UsageError(f"cannot freeze {mp}: the capture is written onto it ({dst.parent}): give a folder "
                                 "on another file system (--path DIR)", code="convert.freeze")
        out.append(mp)
    return out


# --- the SSH stream -------------------------------------------------------------------------------------------------
def stream_to_sparse(reader, out, size: int, progress=None, cancel=None, limit: int | None = None) -> int:
    """Copy ``reader`` (a binary stream) into the open file ``out``, seeking over all-zero BLOCKs; returns the bytes
    read. ``out`` ends exactly at the bytes read (a trailing hole is made by truncate). ``limit``: more bytes than
    that is a ValueError (a stream longer than its device said), read no further than one chunk past it."""
    total = 0
    last = -1
    buf = bytearray(CHUNK)
    view = memoryview(buf)  # read into; compared as the bytearray (a memoryview compares byte by byte, slowly)
    while True:
        if cancel is not None and cancel.is_set():
            raise qemu_img.Cancelled()
        n = 0
        while n < CHUNK:  # a whole chunk (pipes give less at a time)
            got = reader.readinto(view[n:])
            if not got:
                break
            n += got
        if not n:
            break
        if n == CHUNK and buf == _ZERO_CHUNK:
            out.seek(n, os.SEEK_CUR)
        else:
            for i in range(0, n, BLOCK):
                end = min(n, i + BLOCK)
                if end - i == BLOCK and buf[i:end] == _ZERO_BLOCK:
                    out.seek(BLOCK, os.SEEK_CUR)
                else:
                    out.write(view[i:end])
        total += n
        if limit is not None and total > limit:
            raise ValueError(f"more than the {limit} bytes it said")
        if size and progress is not None:
            pct = int(total * 100 / size)
            if pct != last:
                last = pct
                progress(min(100.0, total * 100 / size))
        if n < CHUNK:
            break
    out.truncate(total)
    return total


def _ssh_stream(device: str, raw: Path, ssh: SshTarget, size: int, progress, cancel) -> int:
    q = shlex.quote(device)
    remote = (f"s=$(blockdev --getsize64 {q} 2>/dev/null || stat -L -c %s {q}) || exit 3; echo \"$s\"; "
              f"exec dd if={q} bs=1M status=none")
    try:
        child = subprocess.Popen(ssh_command(ssh, remote), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, start_new_session=True, bufsize=0)
    except OSError as e:
        raise CaptureError(device, f"cannot run ssh: {e.strerror or e}") from None
    try:  # a larger pipe: fewer, larger reads of the stream
        fcntl.fcntl(child.stdout.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except OSError:
        pass
    errors = bytearray()

    def drain() -> None:
        for chunk in iter(lambda: child.stderr.read(4096), b""):
            errors.extend(chunk)
            del errors[:-8192]

    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.05):
            if cancel is not None and cancel.is_set():
                child.kill()
                return

    threads = [threading.Thread(target=drain, daemon=True), threading.Thread(target=watch, daemon=True)]
    for t in threads:
        t.start()
    where = f"{ssh.uri} {device}"
    try:
        header = child.stdout.readline(HEADER_MAX)
        told = header.strip()
        read = 0
        if told.isdigit() and len(told) <= 19:
            told_size = int(told)
            expected = size or told_size
            with open(raw, "wb") as out:
                os.fchmod(out.fileno(), 0o600)
                try:
                    read = stream_to_sparse(child.stdout, out, expected, cancel=cancel, limit=told_size,
                                            progress=lambda p: _pct(progress, p * STREAM_SHARE / 100))
                except ValueError as e:
                    raise CaptureError(f"{ssh.uri} {device}", f"the stream sent {e}") from None
                out.flush()
                os.fsync(out.fileno())
        code = child.wait()
    except BaseException:
        child.kill()
        child.wait()
        raise
    finally:
        stop.set()
        for t in threads:
            t.join(5)
        child.stdout.close()
        child.stderr.close()
    if cancel is not None and cancel.is_set():
        raise qemu_img.Cancelled()
    if code != 0 or not (told.isdigit() and len(told) <= 19):
        lines = [ln.strip() for ln in errors.decode("utf-8", "replace").splitlines() if ln.strip()]
        what = lines[-1] if lines else (f"ssh exit status {code}" if code else "no size given before the data")
        raise CaptureError(where, clean(what, 300))
    if read != told_size:
        raise CaptureError(where, f"read {read} bytes of {told_size}: the device changed size or the stream was cut")
    return read


# --- the capture ----------------------------------------------------------------------------------------------------
def capture(device: str, dst: str | os.PathLike, dst_format: str = "vpc", *, ssh: SshTarget | None = None,
            size: int = 0, progress: Callable[[float], None] | None = None, cancel=None, freeze=(),
            verify: bool = True, options=()) -> dict:
    """Capture ``device`` (a block device or image file; on ``ssh``'s machine when given) into ``dst`` in
    ``dst_format``. ``size`` the device's size when known (progress; checked against what was read over SSH);
    ``freeze`` mountpoints frozen during the capture; ``verify`` compares the copy with what was read (here: the
    device, so only for a device not written meanwhile; over SSH: the streamed copy, always); ``options``
    qemu-img's for the target ("subformat=fixed": a fixed-size VHD). Returns
    ``{"path", "format", "bytes" (allocated), "size", "read", "seconds", "compared", "frozen"}``."""
    device = check_device(device)
    dst = Path(dst)
    started = time.monotonic()
    if os.path.lexists(dst):
        raise CaptureError(device, f"{dst} already exists")
    if ssh is None and not os.path.exists(device):
        raise CaptureError(device, "no such device or file on this machine")
    frozen: list[str] = []
    thawed: list[str] = []
    mountpoints = check_freeze(freeze, dst, ssh)
    raw = dst.with_name(f".{dst.name}.{secrets.token_hex(4)}.tmp") if ssh is not None else None
    try:
        for mp in mountpoints:
            _fsfreeze("-f", mp, ssh)
            frozen.append(mp)
        if ssh is None:
            done = qemu_img.convert(device, "raw", dst, dst_format, progress=progress, cancel=cancel,
                                    options=options)
            read = os.path.getsize(device) if os.path.isfile(device) else done["size"]
            # a block device is compared in one piece: qemu_img.compare's ranges open their files with the "file"
            # driver, which refuses a device
            parts = 1 if stat.S_ISBLK(os.stat(device).st_mode) else None
            same = qemu_img.compare(device, "raw", dst, dst_format, cancel=cancel, parts=parts) if verify else None
            label = device
        else:
            read = _ssh_stream(device, raw, ssh, size, progress, cancel)
            for mp in reversed(frozen):  # the data is here: the machine's file systems go on at once
                _fsfreeze("-u", mp, ssh)
            thawed, frozen = frozen, []
            done = qemu_img.convert(raw, "raw", dst, dst_format, cancel=cancel, options=options,
                                    progress=lambda p: _pct(progress, STREAM_SHARE + p * (95 - STREAM_SHARE) / 100))
            same = qemu_img.compare(raw, "raw", dst, dst_format, cancel=cancel)
            label = f"{ssh.uri} {device}"
        if same is False:
            raise CaptureError(label, f"the captured copy {dst.name} differs from what was read")
    except BaseException:
        _unlink(dst)
        raise
    finally:
        errors = []
        for mp in reversed(frozen):
            try:
                _fsfreeze("-u", mp, ssh)
            except CaptureError as e:
                errors.append(str(e))
        if raw is not None:
            _unlink(raw)
        if errors:
            _unlink(dst)
            raise CaptureError(device, f"could not unfreeze: {'; '.join(errors)} (run fsfreeze -u by hand)")
    _pct(progress, 100.0)
    return {"path": str(dst), "format": dst_format, "bytes": done["bytes"], "size": done["size"], "read": read,
            "seconds": round(time.monotonic() - started, 3), "compared": same is True,
            "frozen": thawed if ssh is not None else list(mountpoints)}


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
