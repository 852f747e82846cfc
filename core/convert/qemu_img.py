"""qemu-img, run as a bounded child process: ``info`` (what an image is), ``convert`` (one image into another format,
with progress, cancel and nothing left behind on failure) and ``compare`` (whether two images hold the same data).

Every failure is one line: qemu-img's own last line of error output (``qemu-img: ...``), or what went wrong running
it. Formats are always given (``-f``), so an image is never probed: a raw file that looks like a qcow2 header is
still read as raw, and a fixed VHD (which qemu-img probes as raw) is read as ``vpc``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from core.model.errors import OperationFailed, UsageError
from core.model.files import fsync_dir

__all__ = ["FORMATS", "JobCancel", "QemuImgError", "compare", "convert", "info", "qemu_img", "sync_file", "verify"]

FORMATS = ("raw", "qcow2", "vpc", "vmdk", "vdi", "vhdx", "qed", "parallels", "dmg", "cloop", "bochs")
INFO_TIMEOUT = 60.0
INFO_MAX = 1 << 20  # bytes of JSON qemu-img info may print
COMPARE_TIMEOUT = 6 * 3600.0
PARALLEL_MIN = 64 << 20  # images from this size up are compared in ranges at once
MiB = 1 << 20
ERR_MAX = 64 << 10  # bytes of error output kept (its last line is the message)
_PROGRESS = re.compile(rb"\((\d{1,3}(?:\.\d+)?)/100%\)")
# qemu-img's own options per target format (a Bulkhead host reads dynamic VHDs of exactly the source's size)
TARGET_OPTIONS = {"vpc": ("subformat=dynamic", "force_size=on")}


class QemuImgError(OperationFailed):
    """qemu-img could not be run or failed: one line, qemu-img's own last line where it gave one."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message, code="convert.qemu_img", **params)


def qemu_img() -> str:
    """The qemu-img program (QEMU_IMG, else the PATH), or QemuImgError saying how to get it."""
    found = os.environ.get("QEMU_IMG") or shutil.which("qemu-img")
    if not found:
        raise QemuImgError("qemu-img is not installed on this host (Debian/Ubuntu: apt install qemu-utils; "
                           "Fedora: dnf install qemu-img)")
    return found


def _fmt(fmt: str | None) -> str:
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"{fmt!r} is not a disk format qemu-img is asked to read here ({', '.join(FORMATS)})")
    return fmt or ""


def _last_line(raw: bytes, fallback: str) -> str:
    lines = [ln.strip() for ln in raw.decode("utf-8", "backslashreplace").replace("\r", "\n").splitlines()]
    lines = [ln for ln in lines if ln]
    return lines[-1][:500] if lines else fallback


def info(path: str | os.PathLike, fmt: str | None = None) -> dict:
    """``qemu-img info --output=json`` of one image (``fmt`` given: read as that format, never probed)."""
    fmt = _fmt(fmt)
    cmd = [qemu_img(), "info", "--output=json", *(["-f", fmt] if fmt else []), "--", str(path)]
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=INFO_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise QemuImgError(f"{path}: qemu-img info gave no answer within {INFO_TIMEOUT:g} s") from None
    except OSError as e:
        raise QemuImgError(f"cannot run qemu-img: {e.strerror or e}") from None
    if done.returncode != 0:
        raise QemuImgError(_last_line(done.stderr[-ERR_MAX:], f"qemu-img info failed ({done.returncode})"))
    if len(done.stdout) > INFO_MAX:
        raise QemuImgError(f"{path}: qemu-img info printed more than {INFO_MAX >> 10} KiB")
    try:
        data = json.loads(done.stdout)
    except ValueError:
        raise QemuImgError(f"{path}: qemu-img info did not print JSON") from None
    if not isinstance(data, dict):
        raise QemuImgError(f"{path}: qemu-img info did not print a JSON object")
    return data


def _temp_name(dst: Path) -> Path:
    """A temporary name beside ``dst`` that core.model.files.is_temp_name knows (swept after a kill)."""
    return dst.with_name(f".{dst.name}.{secrets.token_hex(4)}.tmp")


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def convert(src: str | os.PathLike, src_format: str, dst: str | os.PathLike, dst_format: str = "qcow2",
            progress: Callable[[float], None] | None = None, cancel=None, options=(), sync: bool = True) -> dict:
    """Convert ``src`` (read as ``src_format``) into ``dst`` in ``dst_format``: written under a temporary name
    beside ``dst`` and renamed into place once qemu-img has finished it; an existing ``dst`` is refused. qemu-img
    convert writes without flushing (its cache mode "unsafe"): with ``sync`` the file is flushed to disk before
    the rename; without, the caller flushes it (``verify`` does, while it compares). ``progress(percent)`` is
    called as qemu-img reports it; ``cancel`` (a threading.Event, or anything with ``is_set()``) stops it: the
    child is killed. On any failure or cancel nothing is left at ``dst`` or the
    temporary name. Returns ``{"path", "format", "bytes" (allocated on disk), "size" (virtual), "seconds"}``;
    QemuImgError (OperationFailed) on failure, ``Cancelled`` (also OperationFailed) on cancel."""
    src_format = _fmt(src_format)
    dst_format = _fmt(dst_format)
    if not src_format or not dst_format:
        raise UsageError("qemu-img convert needs the source's and the target's format")
    dst = Path(dst)
    if os.path.lexists(dst):
        raise QemuImgError(f"{dst} already exists", path=str(dst))
    opts = list({o.partition("=")[0]: o for o in (*TARGET_OPTIONS.get(dst_format, ()), *options)}.values())
    tmp = _temp_name(dst)
    cmd = [qemu_img(), "convert", "-p", "-f", src_format, "-O", dst_format, *(["-o", ",".join(opts)] if opts else []),
           "--", str(src), str(tmp)]
    started = time.monotonic()
    try:
        _run_convert(cmd, progress, cancel)
        os.chmod(tmp, 0o600)
        if sync:
            sync_file(tmp)
        if os.path.lexists(dst):
            raise QemuImgError(f"{dst} appeared while it was being written", path=str(dst))
        os.rename(tmp, dst)
    except BaseException:
        _unlink(tmp)
        raise
    try:
        fsync_dir(dst.parent)
    except OSError:
        pass
    st = os.stat(dst)
    return {"path": str(dst), "format": dst_format, "bytes": st.st_blocks * 512,
            "size": _virtual_size(dst, dst_format), "seconds": round(time.monotonic() - started, 3)}


def sync_file(path: str | os.PathLike) -> None:
    """Flush a file's data to disk; QemuImgError (one line) if that fails."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise QemuImgError(f"{path}: cannot be flushed to disk ({e.strerror or e})", path=str(path)) from None


def verify(src: str | os.PathLike, src_format: str, dst: str | os.PathLike, dst_format: str, cancel=None) -> bool:
    """A converted copy (from ``convert(..., sync=False)``) flushed to disk while it is compared with its source:
    whether they hold the same data. The flush overlaps the comparison, which reads the copy from the page cache."""
    flushed: list[BaseException] = []

    def flush() -> None:
        try:
            sync_file(dst)
        except QemuImgError as e:
            flushed.append(e)

    flusher = threading.Thread(target=flush, daemon=True, name="qemu-img-flush")
    flusher.start()
    try:
        same = compare(src, src_format, dst, dst_format, cancel=cancel)
    finally:
        flusher.join()
    if flushed:
        raise flushed[0]
    return same


def _virtual_size(path: Path, fmt: str) -> int:
    try:
        size = info(path, fmt).get("virtual-size")
    except QemuImgError:
        return 0
    return size if isinstance(size, int) else 0


class Cancelled(OperationFailed):
    """A conversion stopped by its cancel event."""

    def __init__(self) -> None:
        super().__init__("cancelled", code="convert.cancelled")


class JobCancel:
    """A job's cancel request (its context's ``cancelled``) as ``convert`` and ``compare`` take one (``is_set()``)."""

    def __init__(self, ctx) -> None:
        self._ctx = ctx

    def is_set(self) -> bool:
        return self._ctx.cancelled


def _run_convert(cmd: list[str], progress, cancel) -> None:
    try:
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 start_new_session=True)
    except OSError as e:
        raise QemuImgError(f"cannot run qemu-img: {e.strerror or e}") from None
    errors = bytearray()

    def drain_errors() -> None:
        for chunk in iter(lambda: child.stderr.read(4096), b""):
            errors.extend(chunk)
            del errors[:-ERR_MAX]

    err_thread = threading.Thread(target=drain_errors, daemon=True, name="qemu-img-stderr")
    err_thread.start()
    stop = threading.Event()
    watcher = None
    if cancel is not None:
        def watch() -> None:
            while not stop.wait(0.05):
                if cancel.is_set():
                    _kill(child)
                    return

        watcher = threading.Thread(target=watch, daemon=True, name="qemu-img-cancel")
        watcher.start()
    try:
        buf = b""
        last = -1.0
        for chunk in iter(lambda: child.stdout.read1(4096), b""):
            buf = (buf + chunk)[-256:]
            found = _PROGRESS.findall(buf)
            if found and progress is not None:
                pct = min(100.0, float(found[-1]))
                if pct != last:
                    last = pct
                    progress(pct)
            buf = buf[buf.rfind(b")") + 1:] if found else buf
        code = child.wait()
    except BaseException:
        _kill(child)
        raise
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        err_thread.join(5)
        child.stdout.close()
        child.stderr.close()
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    if code != 0:
        raise QemuImgError(_last_line(bytes(errors), f"qemu-img convert failed (exit status {code})"))


def _kill(child: subprocess.Popen) -> None:
    try:
        child.kill()
    except OSError:
        pass
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        pass


def compare(a: str | os.PathLike, a_fmt: str, b: str | os.PathLike, b_fmt: str, cancel=None,
            parts: int | None = None) -> bool:
    """Whether the two images hold the same data (``qemu-img compare -f A_FMT -F B_FMT``; sizes may differ if the
    larger one is zero beyond the smaller one's end). Images of the same size from PARALLEL_MIN up are compared in
    ``parts`` ranges at once (default: one a processor, at most 4), each range read through qemu's raw driver over
    the image's own. QemuImgError when either cannot be read."""
    a_fmt, b_fmt = _fmt(a_fmt), _fmt(b_fmt)
    parts = parts or max(1, min(4, os.cpu_count() or 1))
    size = 0
    if parts > 1:
        sa, sb = info(a, a_fmt).get("virtual-size"), info(b, b_fmt).get("virtual-size")
        size = sa if isinstance(sa, int) and sa == sb else 0
    if size < PARALLEL_MIN or parts < 2:
        return _compare([qemu_img(), "compare", "-q", "-f", a_fmt, "-F", b_fmt, "--", str(a), str(b)], cancel)
    per_part = -(-size // parts)
    step = -(-per_part // MiB) * MiB  # a part each, rounded up to whole MiB
    children: list[subprocess.Popen] = []
    try:
        for off in range(0, size, step):
            n = min(step, size - off)
            children.append(_start_compare([qemu_img(), "compare", "-q", "--", _ranged(a, a_fmt, off, n),
                                            _ranged(b, b_fmt, off, n)]))
        return all([_finish_compare(child, cancel) for child in children])
    finally:
        for child in children:
            if child.poll() is None:
                _kill(child)


def _ranged(path, fmt: str, offset: int, size: int) -> str:
    """A json: file name reading ``size`` bytes from ``offset`` of the image (its format given, never probed)."""
    protocol = "host_device" if _is_block(path) else "file"
    node = {"driver": "raw", "offset": offset, "size": size,
            "file": {"driver": fmt, "file": {"driver": protocol, "filename": os.path.abspath(path)}}}
    return "json:" + json.dumps(node)


def _is_block(path) -> bool:
    try:
        return stat.S_ISBLK(os.stat(path).st_mode)
    except OSError:
        return False


def _compare(cmd: list[str], cancel) -> bool:
    return _finish_compare(_start_compare(cmd), cancel)


def _start_compare(cmd: list[str]) -> subprocess.Popen:
    try:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as e:
        raise QemuImgError(f"cannot run qemu-img: {e.strerror or e}") from None


def _finish_compare(child: subprocess.Popen, cancel) -> bool:
    deadline = time.monotonic() + COMPARE_TIMEOUT
    try:
        while True:
            try:
                child.wait(0.1)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    _kill(child)
                    raise Cancelled() from None
                if time.monotonic() > deadline:
                    _kill(child)
                    raise QemuImgError(f"qemu-img compare took more than {COMPARE_TIMEOUT:g} s") from None
        err = child.stderr.read(ERR_MAX)
    except BaseException:
        _kill(child)
        raise
    finally:
        child.stderr.close()
    if child.returncode == 0:
        return True
    if child.returncode == 1:
        return False
    raise QemuImgError(_last_line(err, f"qemu-img compare failed (exit status {child.returncode})"))
