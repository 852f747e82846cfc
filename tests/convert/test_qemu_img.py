"""core.convert.qemu_img: info, convert (progress, cancel, nothing left behind, sparse stays sparse), compare."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from core.convert import qemu_img
from core.model.errors import OperationFailed, UsageError

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20


def _raw(path, size, chunks):
    """A sparse raw file of ``size`` bytes with ``chunks`` [(offset, bytes)] written."""
    with open(path, "wb") as f:
        f.truncate(size)
        for offset, data in chunks:
            f.seek(offset)
            f.write(data)
    return str(path)


def _vmdk(tmp_path, size=256 * MiB, data_mib=8, name="src.vmdk"):
    raw = _raw(tmp_path / "data.raw", size, [(i * 16 * MiB, os.urandom(MiB)) for i in range(data_mib)])
    out = tmp_path / name
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", raw,
                    str(out)], check=True)
    return raw, str(out)


def test_info_reads_the_format_it_is_told(tmp_path):
    raw, vmdk = _vmdk(tmp_path)
    i = qemu_img.info(vmdk, "vmdk")
    assert i["format"] == "vmdk" and i["virtual-size"] == 256 * MiB
    assert qemu_img.info(vmdk, "raw")["format"] == "raw"  # told raw, read as raw: never probed
    with pytest.raises(OperationFailed, match=r"^qemu-img: .*(No such file|Could not open)"):
        qemu_img.info(tmp_path / "missing.vmdk", "vmdk")
    with pytest.raises(UsageError, match="not a disk format"):
        qemu_img.info(vmdk, "evil")


def test_convert_to_dynamic_vhd_reports_progress_stays_sparse_and_compares_equal(tmp_path):
    raw, vmdk = _vmdk(tmp_path)
    seen = []
    out = tmp_path / "out.vhd"
    done = qemu_img.convert(vmdk, "vmdk", out, "vpc", progress=seen.append)
    assert done["path"] == str(out) and done["format"] == "vpc" and done["size"] == 256 * MiB
    assert seen and seen[-1] == 100.0 and seen == sorted(seen)
    st = os.stat(out)
    assert st.st_blocks * 512 < 32 * MiB, "8 MiB of data in 256 MiB must stay sparse"
    assert oct(st.st_mode & 0o777) == oct(0o600)
    assert qemu_img.compare(vmdk, "vmdk", out, "vpc") and qemu_img.compare(raw, "raw", out, "vpc")
    assert sorted(os.listdir(tmp_path)) == ["data.raw", "out.vhd", "src.vmdk"]  # no temporary name left
    from core.engine.storage import open_disk

    with open_disk(out, read_only=True) as disk:  # exactly the source's size, as this host reads VHDs
        assert disk.format == "vhd-dynamic" and disk.size == 256 * MiB


def test_compare_finds_a_difference_and_a_fixed_vhd_needs_vpc(tmp_path):
    raw, vmdk = _vmdk(tmp_path)
    other = _raw(tmp_path / "other.raw", 256 * MiB, [(5 * MiB, b"x")])
    assert not qemu_img.compare(raw, "raw", other, "raw")
    fixed = tmp_path / "fixed.vhd"
    qemu_img.convert(raw, "raw", fixed, "vpc", options=("subformat=fixed",))
    assert qemu_img.compare(raw, "raw", fixed, "vpc")
    assert not qemu_img.compare(raw, "raw", fixed, "raw")  # read as raw, its footer is one more sector of data


def test_a_failure_is_one_line_and_leaves_nothing(tmp_path):
    bad = _raw(tmp_path / "bad.vmdk", MiB, [(0, b"KDMV" + b"\xff" * 508)])
    with pytest.raises(OperationFailed) as e:
        qemu_img.convert(bad, "vmdk", tmp_path / "out.vhd", "vpc")
    assert "\n" not in str(e.value) and str(e.value).startswith("qemu-img: ")
    assert sorted(os.listdir(tmp_path)) == ["bad.vmdk"]


def test_an_existing_target_is_refused(tmp_path):
    raw = _raw(tmp_path / "a.raw", MiB, [])
    (tmp_path / "out.vhd").write_bytes(b"mine")
    with pytest.raises(OperationFailed, match="already exists"):
        qemu_img.convert(raw, "raw", tmp_path / "out.vhd", "vpc")
    assert (tmp_path / "out.vhd").read_bytes() == b"mine"


def test_cancel_kills_it_and_removes_the_partial_file(tmp_path, cancel_midway):
    raw = _raw(tmp_path / "big.raw", 2048 * MiB, [(i * 8 * MiB, os.urandom(4 * MiB)) for i in range(0, 256, 2)])
    cancel, progress, seen = cancel_midway
    with pytest.raises(qemu_img.Cancelled):
        qemu_img.convert(raw, "raw", tmp_path / "out.qcow2", "qcow2", progress=progress, cancel=cancel)
    assert seen and seen[-1] < 100
    assert sorted(os.listdir(tmp_path)) == ["big.raw"]


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_compare_in_ranges_finds_a_difference_in_any_range(tmp_path, parts):
    size = 96 * MiB + 4096  # not a multiple of the ranges
    a = _raw(tmp_path / "a.raw", size, [(i * 8 * MiB, os.urandom(64 * 1024)) for i in range(12)])
    vhd = tmp_path / "a.vhd"
    qemu_img.convert(a, "raw", vhd, "vpc")
    assert qemu_img.compare(a, "raw", vhd, "vpc", parts=parts)
    for where in (0, 50 * MiB, size - 1):
        b = tmp_path / "b.raw"
        shutil.copyfile(a, b)
        with open(b, "r+b") as f:
            f.seek(where)
            old = f.read(1)
            f.seek(where)
            f.write(bytes([old[0] ^ 0xFF]))
        assert not qemu_img.compare(str(b), "raw", vhd, "vpc", parts=parts), where
        os.unlink(b)


def test_verify_flushes_while_it_compares(tmp_path, monkeypatch):
    raw, vmdk = _vmdk(tmp_path)
    flushed = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    out = tmp_path / "out.vhd"
    qemu_img.convert(vmdk, "vmdk", out, "vpc", sync=False)
    assert not [f for f in flushed if f.endswith(".tmp")]  # not flushed by convert
    assert qemu_img.verify(vmdk, "vmdk", out, "vpc") and str(out) in flushed
    other = tmp_path / "other.vhd"
    qemu_img.convert(raw, "raw", other, "vpc")  # sync (the default): flushed under its temporary name
    assert any(os.path.basename(f).startswith(".other.vhd.") for f in flushed)


def test_compare_in_ranges_reads_a_block_device_as_one(tmp_path):
    raw = _raw(tmp_path / "dev.raw", 96 * MiB, [(i * 8 * MiB, os.urandom(4096)) for i in range(12)])
    r = subprocess.run(["losetup", "-f", "--show", raw], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"no loop device here: {r.stderr.strip()}")
    device = r.stdout.strip()
    try:
        vhd = tmp_path / "dev.vhd"
        qemu_img.convert(device, "raw", vhd, "vpc")
        assert qemu_img.compare(device, "raw", vhd, "vpc", parts=2)
    finally:
        subprocess.run(["losetup", "-d", device])
