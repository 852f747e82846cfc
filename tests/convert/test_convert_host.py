"""vm.convert on a Bulkhead host (embedded, and the local host service over its socket): a VMware VM (a .vmx and a
monolithicSparse VMDK written here with qemu-img from known data) becomes a VM, Off, with its disk converted to a
dynamic VHD that compares equal with the source and stays sparse; a dry run writes nothing; a cancel midway and a
damaged source leave no file and no VM."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import types

import pytest

from core import api
from core.model.errors import BulkheadError, UsageError
from tests.convert.conftest import small_vmx

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20
WAIT = 60.0
HAVE_DETECT = importlib.util.find_spec("core.convert.detect") is not None



def web_vmx(name: str, disk: str) -> str:
    """The .vmx of a VMware VM ``name`` with its disk on scsi0:0 and one e1000 adapter on "VM Network"."""
    return small_vmx(name, disk, {"annotation": "a web server"}, {"virtualDev": "lsilogic"},
                     ("ethernet0", {"virtualDev": "e1000", "networkName": "VM Network", "addressType": "generated",
                                    "generatedAddress": "00:0c:29:aa:bb:cc"}))


@pytest.fixture(autouse=True)
def _detect(monkeypatch):
    """Until the format detection lands, a .vmx is read by its parser directly (embedded hosts only)."""
    if not HAVE_DETECT:
        from core.convert.vmx import parse_vmx

        stub = types.ModuleType("core.convert.detect")
        stub.read_source = lambda path, workdir=None: parse_vmx(path)
        monkeypatch.setitem(sys.modules, "core.convert.detect", stub)


def make_vmx(folder, name="web", size=64 * MiB, chunks=6, data=MiB):
    """A VMware VM in ``folder``: NAME.vmx and NAME.vmdk (monolithicSparse) holding ``chunks`` blocks of random
    data in ``size`` bytes; returns (vmx, vmdk, raw) paths (raw: the same data as a raw file)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / "data.raw"
    with open(raw, "wb") as f:
        f.truncate(size)
        for i in range(chunks):
            f.seek(i * (size // chunks))
            f.write(os.urandom(data))
    vmdk = folder / f"{name}.vmdk"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw),
                    str(vmdk)], check=True)
    vmx = folder / f"{name}.vmx"
    vmx.write_text(web_vmx(name, vmdk.name))
    return str(vmx), str(vmdk), str(raw)


def _stop_socket(conn, home):
    try:
        conn.call("host.stop")
    finally:
        conn.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            api.connect(str(home), autostart=False).close()
        except (BulkheadError, OSError):
            return
        time.sleep(0.05)


@pytest.fixture(params=["embedded", "socket"])
def host(request, tmp_path, monkeypatch):
    home = tmp_path / "home"
    if request.param == "embedded":
        conn = api.connect(str(home), embedded=True)
        yield conn, home
        conn.close()
        return
    if not HAVE_DETECT:
        pytest.skip("core.convert.detect has not landed: the host service in its own process cannot read sources")
    monkeypatch.setenv("BULKHEAD_HOME", str(home))
    conn = api.connect(str(home))
    yield conn, home
    _stop_socket(conn, home)


def _converted(home):
    """What the host's folder of converted VMs holds."""
    from core.hosts.paths import HostPaths

    root = HostPaths.resolve(str(home)).data / "converted"
    return sorted(os.listdir(root)) if root.is_dir() else []


def test_converts_a_vmx_into_an_off_vm_with_its_disk_compared_and_sparse(host, tmp_path):
    conn, home = host
    vmx, vmdk, raw = make_vmx(tmp_path / "vmware")
    conn.new_switch("VM Network").wait(WAIT, check=True)
    job = conn.convert_vm(vmx)
    assert job.name == "Convert VM" and job.target_name == "web"
    job = job.wait(WAIT)
    assert job.state == "Completed", job.error
    r = job.result
    vm = conn.vm("web")
    assert vm.state == "Off" and vm.memory == 32 * MiB and vm.network == "VM Network"
    assert vm.disk == r["disks"][0]["target"] and vm.disk_format == "vhd-dynamic"
    assert os.path.dirname(vm.disk) == r["folder"] and os.path.basename(r["folder"]) == vm.id
    assert r["vm"]["name"] == "web" and r["disks"][0]["compared"] is True and r["disks"][0]["format"] == "vpc"
    from core.convert import qemu_img

    assert qemu_img.compare(raw, "raw", vm.disk, "vpc") and qemu_img.compare(vmdk, "vmdk", vm.disk, "vpc")
    st = os.stat(vm.disk)
    assert st.st_blocks * 512 < 16 * MiB, f"{st.st_blocks * 512} bytes allocated for 6 MiB of data"
    codes = {n["code"] for n in r["report"]}
    assert "guest.not_converted" in codes
    kept = json.loads(open(os.path.join(r["folder"], "conversion-report.json")).read())
    assert kept["report"] == r["report"] and kept["vm"] == vm.id
    assert "conversion report" in vm.notes and "a web server" in vm.notes
    assert _converted(home) == [vm.id]  # no temporary folder left
    # the VM is the host's like any other: it goes with vm remove, its disk with --delete-storage
    conn.remove_vm("web", delete_storage=True).wait(WAIT, check=True)
    assert not os.path.exists(vm.disk)


def test_a_dry_run_answers_the_plan_and_writes_nothing(host, tmp_path):
    conn, home = host
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="db")
    before = sorted(os.listdir(tmp_path / "vmware"))
    answer = conn.convert_vm(vmx, name="db2", dry_run=True, network_map={"VM Network": ""})
    assert answer["ok"] is True and answer["source"]["format"] == "vmx" and answer["source"]["name"] == "db"
    plan = answer["plan"]
    assert plan["name"] == "db2" and plan["settings"]["memory"] == 32 * MiB
    assert plan["disks"][0]["target_format"] == "vpc" and plan["disks"][0]["attach"] is True
    assert answer["report"] == plan["report"]
    assert conn.vms() == [] and _converted(home) == [] and sorted(os.listdir(tmp_path / "vmware")) == before
    assert conn.script("vm.convert", source=vmx, name="db2").command_line == f"bulkhead convert vm {vmx} --name db2"


def test_into_a_folder_of_the_request(host, tmp_path):
    conn, home = host
    vmx, _, raw = make_vmx(tmp_path / "vmware")
    folder = tmp_path / "vhds"
    folder.mkdir()
    job = conn.convert_vm(vmx, name="web-copy", path=str(folder)).wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("web-copy")
    assert os.path.dirname(vm.disk) == str(folder)
    assert sorted(os.listdir(folder)) == ["web-copy-conversion-report.json", "web-copy-disk1.vhd"]
    again = conn.convert_vm(vmx, name="web-copy2", path=str(folder))
    assert again.wait(WAIT).state == "Completed"  # its own names
    with pytest.raises(UsageError, match="already exists"):
        conn.convert_vm(vmx, name="web-copy", path=str(folder))


def test_bad_requests_are_refused_at_once(host, tmp_path):
    conn, home = host
    vmx, _, _ = make_vmx(tmp_path / "vmware")
    with pytest.raises(UsageError, match="absolute"):
        conn.convert_vm("vmware/web.vmx")
    with pytest.raises(UsageError, match="no such folder"):
        conn.convert_vm(vmx, path=str(tmp_path / "nowhere"))
    with pytest.raises(UsageError):
        conn.convert_vm(vmx, network_map={"VM Network": "no-such-switch"})
    conn.new_vm("web", memory="32M").wait(WAIT, check=True)
    with pytest.raises(UsageError, match="already exists"):
        conn.convert_vm(vmx, name="web")
    assert [v.name for v in conn.vms()] == ["web"] and _converted(home) == []


def test_a_damaged_source_leaves_nothing_and_says_so_in_one_line(host, tmp_path):
    conn, home = host
    vmx, vmdk, _ = make_vmx(tmp_path / "vmware")
    with open(vmdk, "r+b") as f:  # the grain directory's sectors point past the file's end
        f.seek(512)
        f.write(b"\xff" * 1024)
    try:
        job = conn.convert_vm(vmx).wait(WAIT)
    except BulkheadError as e:  # refused before a job, as the parser read it
        message = str(e)
    else:
        assert job.state == "Failed"
        message = job.error
    assert message and "\n" not in message and "Traceback" not in message
    assert conn.vms() == [] and _converted(home) == []
    (tmp_path / "garbage.vmx").write_bytes(b"\x00\xff" * 100)
    with pytest.raises(UsageError):
        conn.convert_vm(str(tmp_path / "garbage.vmx"))


def test_cancel_midway_leaves_no_file_and_no_vm(tmp_path, monkeypatch):
    slow = tmp_path / "slow-qemu-img"  # the same qemu-img, its conversions held to 4 MiB/s
    slow.write_text('#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 4M "$@"; fi\n'
                    'exec qemu-img "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(slow))
    home = tmp_path / "home"
    vmx, _, _ = make_vmx(tmp_path / "vmware", chunks=8, data=4 * MiB)
    with api.connect(str(home), embedded=True) as conn:
        job = conn.convert_vm(vmx)
        deadline = time.monotonic() + WAIT
        while conn.job(job.id).progress < 5:
            assert time.monotonic() < deadline and not conn.job(job.id).finished, conn.job(job.id)
            time.sleep(0.05)
        assert "disk 1 of 1" in conn.job(job.id).message
        conn.cancel_job(job.id)
        done = conn.wait_job(job.id, WAIT)
        assert done.state == "Cancelled"
        assert conn.vms() == [] and _converted(home) == []


@pytest.mark.parametrize("fails", ["convert", "compare"])
def test_a_failed_job_removes_what_it_wrote(tmp_path, monkeypatch, fails):
    """qemu-img failing half-way (convert: after writing part of the file; compare: the copy differs) fails the job
    with one line, and neither the disk nor the VM's folder nor a VM is left."""
    broken = tmp_path / "broken-qemu-img"
    broken.write_text(
        '#!/bin/sh\n'
        'if [ "$1" = convert ] && [ "$FAILS" = convert ]; then for last; do :; done\n'
        '  qemu-img create -f vpc "$last" 1M >/dev/null; echo "qemu-img: error while reading at byte 4096: '
        'Input/output error" >&2; exit 1; fi\n'
        'if [ "$1" = compare ] && [ "$FAILS" = compare ]; then exit 1; fi\n'
        'exec qemu-img "$@"\n')
    broken.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(broken))
    monkeypatch.setenv("FAILS", fails)
    vmx, _, _ = make_vmx(tmp_path / "vmware")
    home = tmp_path / "home"
    folder = tmp_path / "vhds"
    folder.mkdir()
    with api.connect(str(home), embedded=True) as conn:
        for path in ("", str(folder)):
            job = conn.convert_vm(vmx, path=path).wait(WAIT)
            assert job.state == "Failed" and "\n" not in job.error
            assert ("Input/output error" if fails == "convert" else "differs from the source") in job.error
            assert conn.vms() == [] and _converted(home) == [] and os.listdir(folder) == []


def test_an_ova_is_extracted_converted_and_its_extraction_removed(host, tmp_path):
    """An OVA (an OVF 1.x package with a streamOptimized VMDK): the dry run extracts it to read it and removes the
    extraction at once; the job extracts it again, converts the disk and removes the extraction."""
    from .samples_xml import ova_from_folder, write_ovf

    conn, home = host
    ovf = write_ovf(tmp_path / "pkg", name="appliance")
    ova = ova_from_folder(tmp_path / "appliance.ova", ovf)
    answer = conn.convert_vm(str(ova), dry_run=True)
    assert answer["source"]["format"] == "ova" and answer["plan"]["name"] == "appliance"
    assert _converted(home) == []
    job = conn.convert_vm(str(ova))
    assert job.target_name == "appliance"
    job = job.wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("appliance")
    assert vm.state == "Off" and vm.disk_format == "vhd-dynamic"
    from core.convert import qemu_img

    assert qemu_img.compare(str(ovf.parent / "appliance-disk1.vmdk"), "vmdk", vm.disk, "vpc")
    assert _converted(home) == [vm.id]  # the extraction is gone


def test_notes_given_replace_the_sources_and_are_scripted(host, tmp_path):
    from core.api import convert as convert_api

    conn, home = host
    vmx, _, _ = make_vmx(tmp_path / "vmware")
    kept = convert_api.convert_vm(conn, vmx, dry_run=True)
    assert kept["plan"]["settings"]["notes"] == "a web server"  # "" keeps the source's notes
    answer = convert_api.convert_vm(conn, vmx, dry_run=True, notes="moved from the lab\nowner: ops")
    assert answer["plan"]["settings"]["notes"] == "moved from the lab\nowner: ops"
    with pytest.raises(UsageError, match="at most 10000 characters"):
        convert_api.convert_vm(conn, vmx, dry_run=True, notes="x" * 10_001)
    job = convert_api.convert_vm(conn, vmx, notes="moved from the lab").wait(WAIT)
    assert job.state == "Completed", job.error
    notes = conn.vm("web").notes
    assert notes.startswith("moved from the lab") and "a web server" not in notes and "conversion report" in notes
    script = conn.script("vm.convert", source=vmx, notes="moved from the lab")
    assert script.command_line == f"bulkhead convert vm {vmx} --notes 'moved from the lab'"
    assert "notes='moved from the lab'" in script.python
