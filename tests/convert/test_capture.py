"""Capturing disks: image files of known data standing in for disks (and, as root with loop devices, a loop device
over one: a real block device) captured into VHD and qcow2; the result is sparse and compares equal; the SSH stream
into a sparse raw temporary; cancel and failure leave nothing; freezing is refused where it would stop the capture."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest

from core.convert import capture, qemu_img
from core.convert.capture import CaptureError, stream_to_sparse
from core.model.errors import UsageError

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20


CHUNKS = ((0, MiB), (20 * MiB, 3 * MiB + 5), (64 * MiB - 4096, 4096))  # 4 MiB of data in 64 MiB


def allocated(path) -> int:
    return os.stat(path).st_blocks * 512


@pytest.mark.parametrize("fmt", ["vpc", "qcow2"])
def test_an_image_file_captured_sparse_and_equal(tmp_path, raw_disk, fmt):
    src = raw_disk(chunks=CHUNKS, name="disk.img")
    seen = []
    done = capture.capture(str(src), tmp_path / f"out.{fmt}", fmt, progress=seen.append)
    assert done["compared"] is True and done["read"] == 64 * MiB and done["size"] == 64 * MiB
    assert qemu_img.compare(src, "raw", tmp_path / f"out.{fmt}", fmt)
    assert allocated(tmp_path / f"out.{fmt}") < 8 * MiB  # 4 MiB of data in 64 MiB: the zeroes are not written
    assert done["bytes"] == allocated(tmp_path / f"out.{fmt}")
    assert seen and seen[-1] == 100.0 and seen == sorted(seen)
    assert sorted(os.listdir(tmp_path)) == ["disk.img", f"out.{fmt}"]


def test_refusals_name_the_device(tmp_path, raw_disk):
    with pytest.raises(CaptureError, match="no such device"):
        capture.capture(str(tmp_path / "nope.img"), tmp_path / "x.vhd")
    with pytest.raises(UsageError, match="absolute"):
        capture.capture("disk.img", tmp_path / "x.vhd")
    with pytest.raises(UsageError):
        capture.capture("/dev/sda;rm -rf /", tmp_path / "x.vhd")
    (tmp_path / "x.vhd").write_bytes(b"")
    with pytest.raises(CaptureError, match="already exists"):
        capture.capture(str(raw_disk(MiB, ((0, 10),), "d.img")), tmp_path / "x.vhd")


def test_cancel_leaves_nothing(tmp_path, monkeypatch, raw_disk, cancel_midway):
    slow = tmp_path / "slow-qemu-img"
    slow.write_text('#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 2M "$@"; fi\n'
                    'exec qemu-img "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(slow))
    src = raw_disk(chunks=((0, 32 * MiB),), name="disk.img")
    cancel, progress, _ = cancel_midway
    with pytest.raises(qemu_img.Cancelled):
        capture.capture(str(src), tmp_path / "out.vhd", progress=progress, cancel=cancel)
    assert sorted(os.listdir(tmp_path)) == ["disk.img", "slow-qemu-img"]


def test_the_stream_skips_zeroed_blocks():
    data = bytearray(5 * MiB + 1000)
    data[100:200] = b"x" * 100  # block 0
    data[3 * MiB + 70000] = 7  # one byte in block 1 of the fourth MiB
    data[-1] = 1  # the short tail
    out = io.BytesIO()
    writes = []
    real_write = out.write
    out.write = lambda b: (writes.append(len(b)), real_write(b))[1]
    seen = []
    n = stream_to_sparse(io.BufferedReader(io.BytesIO(bytes(data))), out, len(data), seen.append)
    assert n == len(data) and out.getvalue() == bytes(data)
    assert sum(writes) == 2 * capture.BLOCK + 1000 % capture.BLOCK  # the two blocks with data and the tail's
    assert seen[-1] == 100.0


def test_the_stream_writes_a_sparse_file(tmp_path):
    size = 16 * MiB
    data = bytearray(size)
    data[8 * MiB:8 * MiB + 4] = b"abcd"
    path = tmp_path / "raw"
    with open(path, "wb") as f:
        stream_to_sparse(io.BufferedReader(io.BytesIO(bytes(data))), f, size)
    assert os.path.getsize(path) == size and allocated(path) <= 1 * MiB and path.read_bytes() == bytes(data)


def test_freezing_is_refused_where_it_would_stop_the_capture(tmp_path):
    with pytest.raises(UsageError, match="cannot freeze / on this machine"):
        capture.check_freeze(["/"], tmp_path / "x.vhd", None)
    with pytest.raises(UsageError, match="written onto it"):
        capture.check_freeze([str(tmp_path)], tmp_path / "x.vhd", None)
    assert capture.check_freeze(["[SWAP]"], tmp_path / "x.vhd", None) == []


def _losetup(path) -> str:
    done = subprocess.run(["losetup", "--find", "--show", "--read-only", str(path)], capture_output=True,
                          text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"no loop device here: {done.stderr.strip() or done.returncode}")
    return done.stdout.strip()


@pytest.mark.skipif(os.geteuid() != 0, reason="a loop device needs root")
@pytest.mark.skipif(shutil.which("losetup") is None, reason="losetup (util-linux) is not installed")
def test_a_loop_device_captured_as_a_real_block_device(tmp_path, raw_disk):
    src = raw_disk(96 * MiB, ((MiB, 2 * MiB), (90 * MiB, 4096)), "backing.img")  # compared in one piece
    dev = _losetup(src)
    try:
        assert os.path.exists(dev) and os.major(os.stat(dev).st_rdev) == 7  # a block device, not the file
        done = capture.capture(dev, tmp_path / "out.vhd", "vpc", size=96 * MiB)
        assert done["compared"] is True and done["size"] == 96 * MiB and done["read"] == 96 * MiB
        assert qemu_img.compare(src, "raw", tmp_path / "out.vhd", "vpc")
        assert allocated(tmp_path / "out.vhd") < 6 * MiB
    finally:
        subprocess.run(["losetup", "-d", dev], capture_output=True, timeout=30)


@pytest.fixture
def mounted(tmp_path):
    """An ext4 file system on a loop device, mounted: (device, mountpoint, backing file); skipped where it cannot."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4") or not shutil.which("fsfreeze"):
        pytest.skip("a mounted file system to freeze needs root, mkfs.ext4 and fsfreeze")
    backing = tmp_path / "fs.img"
    backing.write_bytes(b"")
    os.truncate(backing, 64 * MiB)
    subprocess.run(["mkfs.ext4", "-q", str(backing)], check=True, capture_output=True, timeout=60)
    done = subprocess.run(["losetup", "--find", "--show", str(backing)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"no loop device here: {done.stderr.strip()}")
    dev = done.stdout.strip()
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    try:
        if subprocess.run(["mount", dev, str(mnt)], capture_output=True, timeout=30).returncode != 0:
            pytest.skip("cannot mount a file system here")
        (mnt / "data").write_bytes(os.urandom(MiB))
        yield dev, str(mnt), backing
    finally:
        subprocess.run(["fsfreeze", "-u", str(mnt)], capture_output=True, timeout=30)
        subprocess.run(["umount", str(mnt)], capture_output=True, timeout=30)
        subprocess.run(["losetup", "-d", dev], capture_output=True, timeout=30)


def _writable(mnt: str) -> bool:
    """Whether a write to the file system finishes (a frozen one blocks it) within 5 s."""
    done = subprocess.run(["timeout", "5", "sh", "-c", f"echo x > {mnt}/probe && sync -f {mnt}/probe"],
                          capture_output=True, timeout=30)
    return done.returncode == 0


def test_a_mounted_file_system_is_frozen_during_its_capture_and_thawed_after(mounted, tmp_path, monkeypatch):
    dev, mnt, _ = mounted
    calls = []
    real = capture._fsfreeze

    def spy(action, mountpoint, ssh):
        calls.append((action, mountpoint))
        real(action, mountpoint, ssh)

    monkeypatch.setattr(capture, "_fsfreeze", spy)
    again = []  # freezing it again during the capture fails: it is frozen

    def progress(pct):
        if not again:
            again.append(subprocess.run(["fsfreeze", "-f", mnt], capture_output=True, text=True, timeout=30))

    done = capture.capture(dev, tmp_path / "out.vhd", "vpc", freeze=[mnt], progress=progress)
    assert calls == [("-f", mnt), ("-u", mnt)] and done["frozen"] == [mnt] and done["compared"] is True
    assert again and again[0].returncode != 0 and "busy" in again[0].stderr.lower()
    assert _writable(mnt)


def test_a_failed_capture_still_thaws(mounted, tmp_path, monkeypatch):
    dev, mnt, _ = mounted
    broken = tmp_path / "broken-qemu-img"
    broken.write_text('#!/bin/sh\nif [ "$1" = convert ]; then echo "qemu-img: I/O error" >&2; exit 1; fi\n'
                      'exec qemu-img "$@"\n')
    broken.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(broken))
    with pytest.raises(qemu_img.QemuImgError, match="I/O error"):
        capture.capture(dev, tmp_path / "out.vhd", "vpc", freeze=[mnt])
    assert _writable(mnt) and not os.path.exists(tmp_path / "out.vhd")


def test_a_stream_longer_than_its_device_said_is_refused():
    with pytest.raises(ValueError, match="more than the 1048576 bytes"):
        stream_to_sparse(io.BufferedReader(io.BytesIO(b"\x01" * (3 * MiB))), io.BytesIO(), MiB, limit=MiB)
