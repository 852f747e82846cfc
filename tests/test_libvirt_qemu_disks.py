"""disk.new on a real libvirtd (qemu:///system, as tools/ci-libvirt.sh starts it): qemu-img files on this machine
in the format their name says (qcow2, raw, VHD dynamic or fixed, at the size asked for), a missing folder made,
nothing overwritten; in a storage pool's folder a volume of that pool, which a new VM can boot from and which goes
with the VM when it is removed with its storage."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from core.model.errors import UsageError

from .test_libvirt_qemu import SOCKET, cleanup, connect, libvirt

pytestmark = [
    pytest.mark.skipif(libvirt is None, reason="libvirt-python is not installed (tools/ci-libvirt.sh install)"),
    pytest.mark.skipif(not SOCKET.exists(), reason=f"no libvirtd socket at {SOCKET} (tools/ci-libvirt.sh start)"),
    pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed (qemu-utils)"),
]
MiB = 1 << 20


def image_info(path: Path, fmt: str | None = None) -> dict:
    cmd = ["qemu-img", "info", "-U", "--output=json", *(["-f", fmt] if fmt else []), str(path)]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


@pytest.fixture
def folder():
    # QEMU runs as libvirt-qemu: the folder must be reachable by it
    path = Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-disks-", dir="/var/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_disk_new_makes_files_with_qemu_img(tmp_path, folder):
    conn = connect("qemu:///system", tmp_path)
    try:
        assert conn.capabilities()["new_disk"] is True
        cases = (("sub/one.qcow2", "dynamic", "qcow2"), ("two.img", "raw", "raw"), ("three.vhd", "dynamic", "vpc"),
                 ("four.vhd", "fixed", "vpc"), ("five.qcow2", "fixed", "qcow2"))
        for name, kind, fmt in cases:
            path = folder / name
            job = conn.new_disk(str(path), 48 * MiB, kind=kind).wait(timeout=60)
            assert job.state == "Completed", (name, job.error)
            assert job.target_name == path.name and job.result["format"] == fmt and job.result["pool"] == ""
            info = image_info(path, fmt)
            assert info["format"] == fmt and info["virtual-size"] == 48 * MiB, (name, info)  # VHD: not CHS-rounded
        assert (folder / "sub" / "one.qcow2").read_bytes()[:4] == b"QFI\xfb"  # its folder was made
        raw = folder / "two.img"
        assert raw.stat().st_size == 48 * MiB and raw.stat().st_blocks * 512 < 48 * MiB  # sparse
        assert (folder / "four.vhd").stat().st_size >= 48 * MiB  # fixed: all of it there
        assert image_info(folder / "five.qcow2")["actual-size"] >= 48 * MiB  # preallocated
        before = (folder / "two.img").read_bytes()[:512]
        with pytest.raises(UsageError, match="already exists"):
            conn.new_disk(str(folder / "two.img"), MiB)
        assert (folder / "two.img").read_bytes()[:512] == before
        for params, why in (({"path": str(folder / "six.vmdk"), "size": MiB}, r"six.vmdk: .*from the file name"),
                            ({"path": "disks/rel.qcow2", "size": MiB}, r"full path"),
                            ({"path": str(folder / "r.qcow2"), "size": MiB, "kind": "raw"}, r"ends in .img or .raw"),
                            ({"path": str(folder / "s.qcow2"), "size": MiB, "kind": "sparse"}, r"unknown disk type"),
                            ({"path": str(folder / "t.qcow2"), "size": 1000}, r"multiple of 512 bytes")):
            with pytest.raises(UsageError, match=why):
                conn.call("disk.new", **params)
        assert len(conn.jobs()) == len(cases)  # no job for a refused request
        job = conn.new_disk(str(folder / "none" / "seven.qcow2"), 1 << 62).wait(timeout=60)  # qemu-img refuses
        assert job.state == "Failed" and job.error.startswith("qemu-img could not create") and "\n" not in job.error
        assert not (folder / "none").exists()  # nothing left behind
    finally:
        conn.close()


def test_disk_new_in_a_pool_folder_is_a_volume_a_vm_boots_from(tmp_path, folder):
    pool_name = f"bk-pool-{uuid.uuid4().hex[:8]}"
    vm_name = f"bk-vol-{uuid.uuid4().hex[:8]}"
    (folder / "pool").mkdir()
    (folder / "pool").chmod(0o755)
    lv = libvirt.open("qemu:///system")
    pool = lv.storagePoolCreateXML(f"<pool type='dir'><name>{pool_name}</name><target><path>{folder / 'pool'}"
                                   "</path></target></pool>", 0)  # transient: gone when destroyed
    conn = connect("qemu:///system", tmp_path)
    try:
        path = folder / "pool" / "boot.qcow2"
        job = conn.new_disk(str(path), 32 * MiB).wait(timeout=60)
        assert job.state == "Completed", job.error
        assert job.result == {"path": str(path), "format": "qcow2", "size": 32 * MiB, "kind": "dynamic",
                              "pool": pool_name}
        pool.refresh(0)
        assert pool.listVolumes() == ["boot.qcow2"] and image_info(path)["format"] == "qcow2"
        with pytest.raises(UsageError, match="already exists"):
            conn.new_disk(str(path), MiB)
        job = conn.call("vm.new", name=vm_name, memory=16 * MiB, disk=str(path), domain_type="qemu",
                        integration_services=False, start=True)
        job = conn.wait_job(job["id"], 60)
        assert job.state == "Completed", job.error
        assert job.result["state"] == "Running" and job.result["disk_format"] == "qcow2"
        conn.stop_vm(vm_name, mode="turn_off").wait(timeout=30, check=True)
        job = conn.remove_vm(vm_name, delete_storage=True).wait(timeout=30, check=True)
        assert job.result["deleted_files"] == [str(path)] and not path.exists()
    finally:
        conn.close()
        cleanup("qemu:///system", vm_name)
        try:
            pool.destroy()
        except libvirt.libvirtError:
            pass
        lv.close()
