"""host.scan and vm.convert.physical on an embedded Bulkhead host: the scan of this machine; a dry run (the scan, the
plan with the chosen disks only, the report) writes nothing; an image file standing in for a disk is captured into a
VM, Off, with the scanned processors and its disk (sparse, equal to the source); a cancel leaves no file and no VM;
and over SSH (a test sshd on this machine, where one can run) the scan and a capture through the ssh stream."""

from __future__ import annotations

import os
import shutil
import time
from urllib.parse import quote

import pytest

from core import api
from core.convert import qemu_img
from core.model.errors import UsageError
from tests.helpers.remote import far_fixture
from tests.remotehosts import SshHost, sshd_missing

from .conftest import cancel_past, write_raw
from .test_capture import mounted  # noqa: F401 - the fixture: a mounted ext4 on a loop device

pytestmark = [pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed"),
              pytest.mark.skipif(shutil.which("lsblk") is None, reason="lsblk (util-linux) is not installed")]
MiB = 1 << 20
WAIT = 60.0


def image(path, size=64 * MiB, data=((MiB, 2 * MiB), (40 * MiB, MiB))):
    return str(write_raw(path, size, data))


@pytest.fixture
def conn(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as c:
        yield c


def _converted(tmp_path):
    from core.hosts.paths import HostPaths

    root = HostPaths.resolve(str(tmp_path / "home")).data / "converted"
    return sorted(os.listdir(root)) if root.is_dir() else []


def test_scan_of_this_machine(conn):
    answer = conn.scan_physical()
    src, scan = answer["source"], answer["scan"]
    assert src["format"] == "physical" and src["memory"] > 0 and src["vcpus"] == os.cpu_count()
    assert scan["local"] is True and isinstance(scan["disks"], list) and isinstance(scan["adapters"], list)
    assert conn.capabilities()["convert"] is True


def test_a_dry_run_plans_the_chosen_disks_only_and_writes_nothing(conn, tmp_path):
    disk = image(tmp_path / "disk.img")
    answer = conn.convert_physical(disks=[disk], name="p2v", dry_run=True)
    assert answer["ok"] is True and answer["source"]["format"] == "physical" and "disks" in answer["scan"]
    plan = answer["plan"]
    assert plan["name"] == "p2v" and [d["source"] for d in plan["disks"]] == [disk]
    assert plan["disks"][0]["capacity"] == 64 * MiB and plan["disks"][0]["target_format"] == "vpc"
    codes = {n["code"] for n in answer["report"]}
    assert "physical.image" in codes and "guest.not_converted" in codes
    assert conn.vms() == [] and _converted(tmp_path) == [] and sorted(os.listdir(tmp_path)) == ["disk.img", "home"]
    none = conn.convert_physical(dry_run=True)
    assert none["plan"]["disks"] == [] and "physical.no_disk" in {n["code"] for n in none["report"]}
    script = conn.script("vm.convert.physical", disks=[disk], name="p2v")
    assert script.command_line == f"bulkhead convert physical --disk {disk} --name p2v"
    assert f"conn.convert_physical(disks=[{disk!r}], name='p2v')" in script.python


def test_an_image_file_captured_into_an_off_vm(conn, tmp_path):
    disk = image(tmp_path / "disk.img")
    job = conn.convert_physical(disks=[disk], name="server1")
    assert job.name == "Convert physical server" and job.target_name == "server1"
    job = job.wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("server1")
    scanned = conn.scan_physical()["source"]
    assert vm.state == "Off" and vm.vcpus == min(scanned["vcpus"], conn.limits().vcpus_max)
    assert vm.disk == job.result["disks"][0]["target"] and vm.disk_format == "vhd-dynamic"
    assert qemu_img.compare(disk, "raw", vm.disk, "vpc") and job.result["disks"][0]["compared"] is True
    assert os.stat(vm.disk).st_blocks * 512 < 8 * MiB  # 3 MiB of data in 64 MiB
    assert "Converted from physical this machine" in vm.notes
    assert _converted(tmp_path) == [vm.id]


def test_bad_requests_are_refused_at_once(conn, tmp_path):
    disk = image(tmp_path / "disk.img", MiB, ((0, 10),))
    with pytest.raises(UsageError, match="choose the disks"):
        conn.convert_physical()
    with pytest.raises(UsageError, match="absolute"):
        conn.convert_physical(disks=["disk.img"])
    with pytest.raises(UsageError, match="No such file"):
        conn.convert_physical(disks=[str(tmp_path / "nope.img")])
    with pytest.raises(UsageError, match="named twice"):
        conn.convert_physical(disks=[disk, disk])
    with pytest.raises(UsageError, match="at most 16"):
        conn.convert_physical(disks=[f"/dev/sd{i}" for i in range(17)])
    with pytest.raises(UsageError, match="ssh://user@host"):
        conn.convert_physical(from_="db1", disks=[disk])
    with pytest.raises(UsageError, match="neither a block device"):
        conn.convert_physical(disks=["/dev/null"])
    with pytest.raises(UsageError, match="no such folder"):
        conn.convert_physical(disks=[disk], path=str(tmp_path / "nowhere"))
    assert conn.vms() == [] and _converted(tmp_path) == []


def test_cancel_leaves_no_file_and_no_vm(tmp_path, monkeypatch):
    slow = tmp_path / "slow-qemu-img"
    slow.write_text('#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 4M "$@"; fi\n'
                    'exec qemu-img "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(slow))
    disk = image(tmp_path / "disk.img", data=((0, 32 * MiB),))
    with api.connect(str(tmp_path / "home"), embedded=True) as conn:
        job = conn.convert_physical(disks=[disk])
        deadline = time.monotonic() + WAIT
        while conn.job(job.id).progress < 5:
            assert time.monotonic() < deadline and not conn.job(job.id).finished, conn.job(job.id)
            time.sleep(0.05)
        conn.cancel_job(job.id)
        assert conn.wait_job(job.id, WAIT).state == "Cancelled"
        assert conn.vms() == [] and _converted(tmp_path) == []


def test_a_mounted_device_is_reported_online_and_frozen_on_request(conn, mounted):  # noqa: F811
    dev, mnt, _ = mounted
    plain = conn.convert_physical(disks=[dev], dry_run=True)
    node = [n for n in plain["report"] if n["code"] == "physical.online"]
    assert node and mnt in node[0]["text"] and "not crash-consistent unless frozen or snapshotted" in node[0]["text"]
    assert "physical.unfrozen" in {n["code"] for n in plain["report"]}
    job = conn.convert_physical(disks=[dev], name="online", freeze=True).wait(WAIT)
    assert job.state == "Completed", job.error
    codes = {n["code"] for n in job.result["report"]}
    assert {"physical.online", "physical.frozen"} <= codes and job.result["disks"][0]["compared"] is True
    unfrozen = conn.convert_physical(disks=[dev], name="online2").wait(WAIT)
    assert unfrozen.state == "Completed" and unfrozen.result["disks"][0]["compared"] is False


# --- over SSH (a test sshd on this machine standing for the physical server) ---------------------------------------
far = far_fixture(SshHost, "p2v-ssh")


@pytest.fixture
def machine(far):
    return (f"ssh://{far.user}@127.0.0.1:{far.port}/?keyfile={quote(str(far.keys / 'user_key'))}"
            f"&known_hosts={quote(str(far.keys / 'known_hosts'))}")


needs_sshd = pytest.mark.skipif(bool(sshd_missing()), reason=sshd_missing() or "sshd")


@needs_sshd
def test_scan_over_ssh(conn, machine):
    answer = conn.scan_physical(machine)
    scan = answer["scan"]
    assert scan["local"] is False and scan["machine"].startswith("ssh://") and "keyfile" not in scan["machine"]
    assert answer["source"]["memory"] > 0 and answer["source"]["vcpus"] >= 1 and scan["disks"]


@needs_sshd
def test_capture_over_ssh_into_an_off_vm(conn, machine, tmp_path):
    disk = image(tmp_path / "remote-disk.img")  # on "the machine" (this one, reached over ssh)
    job = conn.convert_physical(from_=machine, disks=[disk], name="far1").wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("far1")
    assert vm.state == "Off" and qemu_img.compare(disk, "raw", vm.disk, "vpc")
    assert job.result["disks"][0]["compared"] is True and os.stat(vm.disk).st_blocks * 512 < 8 * MiB
    assert not [n for n in os.listdir(os.path.dirname(vm.disk)) if n.endswith(".tmp")]


@needs_sshd
def test_an_unreadable_device_over_ssh_fails_in_one_line_and_leaves_nothing(conn, machine, tmp_path):
    job = conn.convert_physical(from_=machine, disks=[str(tmp_path / "missing.img")]).wait(WAIT)
    assert job.state == "Failed" and "\n" not in job.error and "missing.img" in job.error
    assert conn.vms() == [] and _converted(tmp_path) == []


@needs_sshd
def test_a_machine_that_refuses_the_key_is_one_line(conn, far):
    bad = f"ssh://{far.user}@127.0.0.1:{far.port}/?keyfile={quote(str(far.keys / 'stranger_key'))}" \
          f"&known_hosts={quote(str(far.keys / 'known_hosts'))}"
    with pytest.raises(Exception) as e:
        conn.scan_physical(bad)
    assert "Permission denied" in str(e.value) and "\n" not in str(e.value)


@needs_sshd
def test_a_capture_over_ssh_cancelled_midway_leaves_nothing(far, tmp_path):
    from core.convert import capture, physical

    disk = image(tmp_path / "big.img", size=256 * MiB, data=((0, 8 * MiB), (200 * MiB, 8 * MiB)))
    target = physical.SshTarget(far.user, "127.0.0.1", far.port, str(far.keys / "user_key"),
                                str(far.keys / "known_hosts"))
    out = tmp_path / "out"
    out.mkdir()
    cancel, progress, seen = cancel_past(2)
    with pytest.raises(qemu_img.Cancelled):
        capture.capture(disk, out / "disk.vhd", "vpc", ssh=target, size=256 * MiB, progress=progress, cancel=cancel)
    assert seen and max(seen) < capture.STREAM_SHARE and os.listdir(out) == []
