"""Exporting a VM as an OVA (core/convert/ova_export.py, vm.export.ova): the descriptor parses back with the OVF
parser into the same settings; the package is a USTAR tar whose first member is the .ovf with a SHA256 manifest that
open_ova checks; a round trip on an embedded host (export, then vm.convert) gives a VM with the same settings whose
disk compares equal with the original VHD; a running VM is refused; a failure or a cancel leaves no file."""

from __future__ import annotations

import os
import shutil
import tarfile
import threading
import time

import pytest

from core.convert import ova_export, qemu_img
from core.convert.ova import open_ova, parse_ova
from core.convert.ovf import parse_ovf
from core.model.errors import StateError, UsageError

from ..helpers.embedded import embedded_fixture

MiB = 1 << 20
WAIT = 120.0
QEMU = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
VM = {"id": "0123456789abcdef0123456789abcdef", "name": "web 1", "memory": 48 * MiB, "vcpus": 2,
      "notes": "a web server\nsecond line <&>", "network": "lab", "disk_controller": "synthetic"}
MAC = "00:15:5d:0a:0b:0c"

host = embedded_fixture("tmp_path", "home")


def _descriptor(tmp_path, vm=VM, capacity=16 * MiB):
    disk = tmp_path / "web_1-disk1.vmdk"
    disk.write_bytes(b"KDMV" + b"\0" * 508)  # a sparse VMDK's magic: read as vmdk
    text = ova_export.ovf_descriptor(vm, [{"href": disk.name, "size": 512, "capacity": capacity}], mac=MAC)
    ovf = tmp_path / "web_1.ovf"
    ovf.write_text(text, encoding="utf-8")
    return ovf, disk


def test_the_descriptor_parses_back_into_the_same_settings(tmp_path):
    ovf, disk = _descriptor(tmp_path)
    text = ovf.read_text()
    assert 'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"' in text
    vm = parse_ovf(ovf)
    assert (vm.name, vm.memory, vm.vcpus, vm.notes) == ("web 1", 48 * MiB, 2, VM["notes"])
    assert vm.uuid == "01234567-89ab-cdef-0123-456789abcdef"
    assert [(n.mac, n.network) for n in vm.nics] == [(MAC, "lab")]
    assert [(d.path, d.capacity, d.bus, d.device) for d in vm.disks] == [(str(disk), 16 * MiB, "scsi", "disk")]
    assert not [n for n in vm.report if n.severity == "warning"], vm.report


def test_an_emulated_controller_is_ide_and_no_switch_means_no_adapter(tmp_path):
    vm = parse_ovf(_descriptor(tmp_path, dict(VM, network="", disk_controller="emulated", notes=""))[0])
    assert vm.nics == [] and vm.notes == "" and [d.bus for d in vm.disks] == ["ide"]


def test_the_package_is_ustar_ovf_first_with_a_manifest_open_ova_checks(tmp_path):
    ovf, disk = _descriptor(tmp_path)
    disk.write_bytes(os.urandom(3 * MiB + 17))
    seen = []
    out = tmp_path / "out" / "web.ova"
    out.parent.mkdir()
    done = ova_export.write_ova(out, ovf.read_text(), [(disk.name, disk)], progress=seen.append,
                                ovf_name="web_1.ovf")
    assert done["members"] == ["web_1.ovf", "web_1.mf", disk.name] and seen and seen[-1] == 100.0
    with tarfile.open(out) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == done["members"] and all(m.isfile() for m in members)
        manifest = tar.extractfile("web_1.mf").read().decode()
    with open(out, "rb") as f:
        assert f.read(512)[257:265] == b"ustar\x0000"  # POSIX USTAR headers
    assert manifest.splitlines()[0].startswith("SHA256(web_1.ovf)= ") and f"SHA256({disk.name})= " in manifest
    work = tmp_path / "work"
    work.mkdir()
    assert open_ova(out, work) == work / "web_1.ovf"
    assert (work / disk.name).read_bytes() == disk.read_bytes()
    assert sorted(os.listdir(out.parent)) == ["web.ova"]  # no temporary file left beside it
    with pytest.raises(UsageError, match="already exists"):
        ova_export.write_ova(out, ovf.read_text(), [(disk.name, disk)])


def test_a_damaged_member_fails_the_manifest_check(tmp_path):
    ovf, disk = _descriptor(tmp_path)
    out = tmp_path / "web.ova"
    ova_export.write_ova(out, ovf.read_text(), [(disk.name, disk)], ovf_name="web_1.ovf")
    with tarfile.open(out) as tar:
        where = tar.getmember(disk.name).offset_data + 100  # inside the disk member's data
    data = bytearray(out.read_bytes())
    data[where] ^= 0xFF
    out.write_bytes(bytes(data))
    work = tmp_path / "work"
    work.mkdir()
    from core.convert.source import ConvertError

    with pytest.raises(ConvertError, match="SHA256"):
        open_ova(out, work)


def test_a_cancel_midway_leaves_nothing(tmp_path):
    ovf, disk = _descriptor(tmp_path)
    disk.write_bytes(os.urandom(4 * MiB))
    stop = threading.Event()
    out = tmp_path / "out"
    out.mkdir()

    def progress(pct):
        if pct > 10:
            stop.set()

    with pytest.raises(qemu_img.Cancelled):
        ova_export.write_ova(out / "web.ova", ovf.read_text(), [(disk.name, disk)], progress=progress, cancel=stop)
    assert os.listdir(out) == []


def _vhd(path, size=16 * MiB):
    """A dynamic VHD with known data in a few places (the rest never written)."""
    from core.engine.storage import create_disk, open_disk

    create_disk(path, size).close()
    with open_disk(path) as d:
        for sector, fill in ((0, b"\x11"), (2048, b"\x22"), (size // 512 - 8, b"\x33")):
            d.write(sector, fill * (512 * 8))
            d.write(sector + 8, os.urandom(512 * 4))
        d.flush()
    return str(path)


@QEMU
def test_round_trip_export_then_convert_back(host, tmp_path):
    vhd = _vhd(tmp_path / "web.vhd")
    host.new_switch("lab").wait(WAIT, check=True)
    host.new_vm("web", memory="48M", vcpus=2, disk=vhd, network="lab", notes="a web server").wait(WAIT, check=True)
    ova = tmp_path / "web.ova"
    job = host.export_ova("web", str(ova)).wait(WAIT, check=True)
    assert job.name == "Export VM as OVA" and job.target_name == "web" and job.result["path"] == str(ova)
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []
    with tarfile.open(ova) as tar:
        assert tar.getnames() == ["web.ovf", "web.mf", "web-disk1.vmdk"]
    work = tmp_path / "work"
    work.mkdir()
    source = parse_ova(ova, work)  # the manifest is checked
    assert any(n.code == "ova.manifest" and "checked" in n.text for n in source.report), source.report
    assert qemu_img.info(source.disks[0].path, "vmdk")["format-specific"]["data"]["create-type"] == \
        "streamOptimized"
    shutil.rmtree(work)
    back = host.convert_vm(str(ova), name="back").wait(WAIT, check=True)
    vm = host.vm("back")
    orig = host.vm("web")
    assert (vm.state, vm.memory, vm.vcpus, vm.network) == ("Off", orig.memory, orig.vcpus, "lab")
    assert vm.notes.startswith("a web server")
    assert qemu_img.compare(vhd, "vpc", vm.disk, "vpc")
    assert back.result["disks"][0]["compared"] is True


@QEMU
def test_a_saved_vm_is_exported_and_a_running_one_refused(host, tmp_path):
    host.new_vm("run", memory="32M", start=True).wait(WAIT, check=True)
    before = [j.id for j in host.jobs()]
    with pytest.raises(StateError, match="shut it down or save it first"):
        host.export_ova("run", str(tmp_path / "run.ova"))
    assert [j.id for j in host.jobs()] == before and not (tmp_path / "run.ova").exists()
    host.stop_vm("run", mode="save").wait(WAIT, check=True)
    host.export_ova("run", str(tmp_path / "run.ova")).wait(WAIT, check=True)
    with tarfile.open(tmp_path / "run.ova") as tar:
        assert tar.getnames() == ["run.ovf", "run.mf"]  # a VM without a disk


def test_bad_paths_are_usage_errors(host, tmp_path):
    host.new_vm("web", memory="32M").wait(WAIT, check=True)
    (tmp_path / "there.ova").write_bytes(b"x")
    for path, says in (("web.ova", "absolute"), (str(tmp_path / "web.tar"), ".ova"),
                       (str(tmp_path / "nowhere" / "web.ova"), "no such folder"),
                       (str(tmp_path / "there.ova"), "already exists")):
        with pytest.raises(UsageError, match=says):
            host.export_ova("web", path)


@QEMU
def test_a_failure_or_a_cancel_in_the_job_leaves_no_file(host, tmp_path, monkeypatch):
    import core.local.export_ova as module

    vhd = _vhd(tmp_path / "web.vhd")
    host.new_vm("web", memory="32M", disk=vhd).wait(WAIT, check=True)
    out = tmp_path / "out"
    out.mkdir()

    def failing(*args, **kwargs):
        raise qemu_img.QemuImgError("qemu-img: no space left on device")

    monkeypatch.setattr(module.qemu_img, "convert", failing)
    job = host.export_ova("web", str(out / "web.ova")).wait(WAIT)
    assert job.state == "Failed" and "no space left" in job.error
    assert os.listdir(out) == []

    started = threading.Event()

    def slow(src, fmt, dst, dst_fmt, cancel=None, **kwargs):
        open(dst, "wb").close()
        started.set()
        while not cancel.is_set():
            time.sleep(0.02)
        raise qemu_img.Cancelled()

    monkeypatch.setattr(module.qemu_img, "convert", slow)
    job = host.export_ova("web", str(out / "web.ova"))
    assert started.wait(WAIT)
    host.cancel_job(job.id)
    job = job.wait(WAIT)
    assert job.state == "Cancelled"
    assert os.listdir(out) == []
    host.start_vm("web").wait(WAIT, check=True)  # the VM was held only while it was exported


def test_view_script_and_the_command_line(host, tmp_path, monkeypatch, capsys):
    from contextlib import nullcontext

    import core.cli.common as cli  # run_job connects through it
    import core.cli.vm  # noqa: F401 - loaded before connect is replaced: it binds connect when it loads
    from core.api.script import render
    from core.cli import main

    script = render("vm.export.ova", {"vm": "web 1", "path": "/srv/export/web.ova"})
    assert script.command_line == "bulkhead vm export-ova 'web 1' /srv/export/web.ova"
    assert "conn.export_ova('web 1', '/srv/export/web.ova')" in script.python and script.title.startswith("Export")
    host.new_vm("web", memory="32M").wait(WAIT, check=True)
    monkeypatch.setattr(cli, "connect", lambda args: nullcontext(host))
    monkeypatch.chdir(tmp_path)
    assert main(["vm", "export-ova", "web", "web.ova"]) == 0  # resolved against the caller's folder
    assert "written to " + str(tmp_path / "web.ova") in capsys.readouterr().out
    assert tarfile.is_tarfile(tmp_path / "web.ova")
    assert main(["vm", "export-ova", "web", "web.ova"]) == 2  # exists: a usage error
    assert "already exists" in capsys.readouterr().err


@QEMU
def test_a_disk_with_checkpoints_is_exported_as_its_whole_chain(host, tmp_path):
    """qemu-img does not follow a differencing VHD's parent: the chain is read through the disk layer."""
    from core.engine.storage import open_disk

    vhd = _vhd(tmp_path / "web.vhd")
    host.new_vm("web", memory="32M", disk=vhd).wait(WAIT, check=True)
    host.checkpoint("web", "before").wait(WAIT, check=True)
    top = host.vm("web").disk
    assert top != vhd
    with open_disk(top) as d:  # what the VM wrote after the checkpoint: only in the child
        d.write(4096, b"\x44" * (512 * 16))
        d.write(0, b"\x55" * 512)
        d.flush()
    expected = tmp_path / "expected.raw"
    with open_disk(top, read_only=True) as d, open(expected, "wb") as f:
        f.write(d.read(0, d.size // 512))
    host.export_ova("web", str(tmp_path / "web.ova")).wait(WAIT, check=True)
    host.convert_vm(str(tmp_path / "web.ova"), name="back").wait(WAIT, check=True)
    back = host.vm("back").disk
    assert qemu_img.compare(expected, "raw", back, "vpc")
    assert not qemu_img.compare(vhd, "vpc", back, "vpc")  # the child's data is there, not only the parent's
