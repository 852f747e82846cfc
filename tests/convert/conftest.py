"""Shared sample writers for the conversion tests. Every sample is written by the tests themselves.

- ``raw_disk(size=..., chunks=...)``: a sparse raw file of known data (random bytes at a few offsets, the rest
  zeros); the reference a converted disk is compared with.
- ``make_vmdk(raw, name, subformat)``: the raw file converted by qemu-img into a VMDK of that subformat
  (monolithicSparse, monolithicFlat, twoGbMaxExtentSparse, twoGbMaxExtentFlat, streamOptimized); returns the path
  of the descriptor (or single file) a VMX names.
- ``write_vmx(text, name="vm.vmx", folder=None)``: a .vmx (str or bytes) in the sample folder; ``vmx_text(settings,
  *devices)`` a .vmx's text, ``small_vmx(name, disk, ...)`` a small VM's (the host tests and the benchmark convert).
- ``qemu_compare(raw, path, fmt)``: True when qemu-img reads ``path`` as ``fmt`` and finds the same data as the
  raw file.
- ``cancel_midway``: (cancel, progress, seen): a progress callback that records each percentage and sets the cancel
  event once the copy is past 1% (``cancel_past(threshold)`` the same past another percentage).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

MiB = 1 << 20
GiB = 1 << 30
VMDK_SUBFORMATS = ("monolithicSparse", "monolithicFlat", "twoGbMaxExtentSparse", "twoGbMaxExtentFlat",
                   "streamOptimized")
needs_qemu_img = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def _qemu_img(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["qemu-img", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def sample_dir(tmp_path) -> Path:
    """The folder the samples of a test are written into (a VM's folder)."""
    folder = tmp_path / "vm"
    folder.mkdir()
    return folder


def write_raw(path: Path, size: int, chunks) -> Path:
    """A sparse raw file of ``size`` bytes with random data at the [(offset, length)] chunks, zeros elsewhere."""
    with open(path, "wb") as f:
        f.truncate(size)
        for offset, length in chunks:
            f.seek(offset)
            f.write(os.urandom(length))
    return path


@pytest.fixture
def raw_disk(tmp_path):
    """raw_disk(size=64 MiB, chunks=None, name="data.raw") -> Path: a sparse raw file with random data at the
    start, in the middle and at the end (or at the given [(offset, length)] chunks)."""
    def write(size: int = 64 * MiB, chunks=None, name: str = "data.raw") -> Path:
        chunks = chunks or [(0, 64 << 10), (size // 2 - 4096, 8192), (size - (64 << 10), 64 << 10)]
        return write_raw(tmp_path / name, size, chunks)
    return write


@pytest.fixture
def make_vmdk(sample_dir):
    """make_vmdk(raw, name="disk.vmdk", subformat="monolithicSparse", folder=sample_dir) -> Path of the VMDK
    (its descriptor for the split and flat layouts), made by qemu-img from the raw file."""
    def make(raw: Path, name: str = "disk.vmdk", subformat: str = "monolithicSparse", folder: Path | None = None
             ) -> Path:
        target = (folder or sample_dir) / name
        done = _qemu_img("convert", "-q", "-f", "raw", "-O", "vmdk", "-o", f"subformat={subformat}", str(raw),
                         str(target))
        assert done.returncode == 0, done.stderr
        return target
    return make


@pytest.fixture
def empty_vmdk(sample_dir):
    """empty_vmdk(name="disk.vmdk", size=16 MiB, subformat="monolithicSparse", options="") -> Path: a VMDK made
    with qemu-img create (``options`` more -o options, e.g. a backing file)."""
    def make(name: str = "disk.vmdk", size: int = 16 * MiB, subformat: str = "monolithicSparse",
             options: str = "", folder: Path | None = None) -> Path:
        target = (folder or sample_dir) / name
        opts = f"subformat={subformat}" + (f",{options}" if options else "")
        done = _qemu_img("create", "-q", "-f", "vmdk", "-o", opts, str(target), str(size))
        assert done.returncode == 0, done.stderr
        return target
    return make


def vmx_text(settings: dict[str, str], *devices: tuple[str, dict[str, str]]) -> str:
    """A .vmx's text: each setting as ``key = "value"``, then each device (prefix, keys) as ``prefix.present =
    "TRUE"`` (first, unless its keys give another) and its ``prefix.key = "value"`` lines, in that order."""
    lines = [f'{key} = "{value}"' for key, value in settings.items()]
    for prefix, keys in devices:
        lines += [f'{prefix}.{key} = "{value}"' for key, value in {"present": "TRUE", **keys}.items()]
    return "\n".join(lines) + "\n"


def small_vmx(name: str, disk: str, settings: dict[str, str] | None = None, scsi0: dict[str, str] | None = None,
              *devices: tuple[str, dict[str, str]]) -> str:
    """A small VMware VM (32 MiB, one vCPU, other-64) named ``name``, its disk on scsi0:0: ``settings`` more settings
    after guestOS, ``scsi0`` the controller's keys, ``devices`` more devices after the disk."""
    return vmx_text({".encoding": "UTF-8", "config.version": "8", "virtualHW.version": "14", "displayName": name,
                     "memsize": "32", "numvcpus": "1", "guestOS": "other-64", **(settings or {})},
                    ("scsi0", scsi0 or {}), ("scsi0:0", {"fileName": disk}), *devices)


@pytest.fixture
def write_vmx(sample_dir):
    """write_vmx(text, name="vm.vmx", folder=sample_dir) -> Path: a VMX (str written as UTF-8, or bytes)."""
    def write(text, name: str = "vm.vmx", folder: Path | None = None) -> Path:
        path = (folder or sample_dir) / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path
    return write


@pytest.fixture
def qemu_compare():
    """qemu_compare(raw, path, fmt) -> bool: qemu-img compare between a raw file and ``path`` read as ``fmt``."""
    def compare(raw: Path, path, fmt: str) -> bool:
        done = _qemu_img("compare", "-q", "-f", "raw", "-F", fmt, str(raw), str(path))
        assert done.returncode in (0, 1), done.stderr
        return done.returncode == 0
    return compare


def cancel_past(threshold: float):
    """(cancel, progress, seen): ``progress`` appends each percentage to ``seen`` and sets the threading.Event
    ``cancel`` once past ``threshold`` percent, as a person cancelling a copy under way."""
    cancel = threading.Event()
    seen: list[float] = []

    def progress(pct):
        seen.append(pct)
        if pct > threshold:
            cancel.set()

    return cancel, progress, seen


@pytest.fixture
def cancel_midway():
    """cancel_past(1): the copy cancelled once past 1%."""
    return cancel_past(1)
