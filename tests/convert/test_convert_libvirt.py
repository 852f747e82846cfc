"""vm.convert on a libvirt host of this machine (libvirt's test driver in this process): every disk converted to
qcow2 into the folder asked for and compared with its source, the domain defined Off with its disks and adapters;
a dry run writes nothing; a failure leaves no file and no domain; a host on another machine refuses with what to
do instead."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET

import pytest

from core.model.errors import BulkheadError, UsageError

from ..helpers.libvirt_test import connections, node_uri  # noqa: F401
from .test_convert_host import make_vmx

pytest.importorskip("libvirt")
pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20
WAIT = 60.0


def _domain(conn, name):
    lv = conn._transport._connection()
    return ET.fromstring(lv.lookupByName(name).XMLDesc(0))


def test_converts_a_vmx_into_a_domain_with_its_disk_and_adapter(make, node, tmp_path):
    conn = make(node)
    vmx, vmdk, raw = make_vmx(tmp_path / "vmware", name="web")
    folder = tmp_path / "images"
    folder.mkdir()
    assert conn.capabilities()["convert"] is True
    answer = conn.convert_vm(vmx, path=str(folder), network_map={"VM Network": "default"}, dry_run=True)
    assert answer["plan"]["kind"] == "libvirt" and answer["plan"]["disks"][0]["target_format"] == "qcow2"
    assert answer["plan"]["nics"][0] == {"model": "e1000", "mac": "00:0c:29:aa:bb:cc", "source_network": "VM Network",
                                         "switch": "default"}
    assert os.listdir(folder) == []
    job = conn.convert_vm(vmx, path=str(folder), network_map={"VM Network": "default"})
    assert job.target_name == "web"
    job = job.wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("web")
    assert vm.state == "Off" and vm.memory == 32 * MiB
    disk = job.result["disks"][0]["target"]
    assert disk == str(folder / "web-disk1.qcow2") and os.listdir(folder) == ["web-disk1.qcow2"]
    from core.convert import qemu_img

    assert qemu_img.info(disk, "qcow2")["format"] == "qcow2" and qemu_img.compare(raw, "raw", disk, "qcow2")
    xml = _domain(conn, "web")
    assert [d.find("source").get("file") for d in xml.iter("disk")] == [disk]
    assert xml.find("devices/disk/target").get("bus") == "scsi"
    iface = xml.find("devices/interface")
    assert iface.find("mac").get("address") == "00:0c:29:aa:bb:cc" and iface.find("source").get("network") == \
        "default" and iface.find("model").get("type") == "e1000"
    assert "Converted from vmx" in (xml.findtext("description") or "")
    assert any(n["code"] == "guest.not_converted" for n in job.result["report"])


def test_refusals_and_a_failure_leave_nothing(make, node, tmp_path, monkeypatch):
    conn = make(node)
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="web")
    folder = tmp_path / "images"
    folder.mkdir()
    with pytest.raises(UsageError, match="--path DIR"):
        conn.convert_vm(vmx)
    with pytest.raises(UsageError, match="already exists"):
        conn.convert_vm(vmx, name="web1", path=str(folder))  # a domain of the node
    broken = tmp_path / "broken-qemu-img"
    broken.write_text('#!/bin/sh\nif [ "$1" = compare ]; then exit 1; fi\nexec qemu-img "$@"\n')
    broken.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(broken))
    job = conn.convert_vm(vmx, path=str(folder)).wait(WAIT)
    assert job.state == "Failed" and "differs from the source" in job.error
    assert os.listdir(folder) == [] and "web" not in [v.name for v in conn.vms()]
    monkeypatch.setattr(conn._transport, "_is_local", lambda: False)
    monkeypatch.setattr(conn._transport, "_test_driver", lambda: False)
    with pytest.raises(BulkheadError, match="another machine.*vm new NAME --disk FILE"):
        conn.convert_vm(vmx, path=str(folder))
