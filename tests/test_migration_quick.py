"""Quick moves (save, the saved state and the files that are not shared, restore) and network copies of Off VMs
between two hosts in this process: what is copied and what is not (shared disks stay where they are), checksums,
the VM's state at the destination (Running, Paused or Saved as it was), the network map, the downtime."""

from __future__ import annotations

import hashlib
import ipaddress

import pytest

from core.model.errors import UsageError

from .helpers.moves import MiB, guest, leftovers, names, new_running, pair_fixture, raw_disk, service, temp_files

pair = pair_fixture()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_running_vm_moves_quick_with_its_disk_copied_and_its_memory_kept(pair, tmp_path):
    a, b = pair
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    disk = tmp_path / "here" / "data.img"
    raw_disk(disk, 8 * MiB)
    digest = _sha(disk)
    new_running(a, "db1", disk=str(disk))
    assert guest(a, "db1", "pattern fill 8 11").startswith("pattern filled 8 MiB")
    job = a.move_vm("db1", b, type="quick", path=str(tmp_path / "there")).wait(60)
    assert job.state == "Completed", job.error
    r = job.result
    assert r["type"] == "quick" and {f["role"] for f in r["files"]} == {"saved_state", "disk"}
    assert 0 < r["save_s"] <= r["downtime_s"] < 10 and r["restore_s"] is not None and r["bandwidth"] > 0
    copied = tmp_path / "there" / "data.img"
    assert _sha(copied) == digest and not disk.exists()  # moved: the copy there, none left here
    vm = b.vm("db1")
    assert (vm.state, vm.disk) == ("Running", str(copied))
    assert guest(b, "db1", "pattern check") == "pattern ok 8 MiB"
    assert a.vms() == [] and leftovers(tmp_path / "a") == leftovers(tmp_path / "b") == []
    assert temp_files(tmp_path / "there") == []


def test_a_shared_disk_is_not_copied(pair, tmp_path):
    a, b = pair
    disk = tmp_path / "shared.img"
    raw_disk(disk, 4 * MiB)
    new_running(a, "web1", memory="32M", disk=str(disk))
    job = a.move_vm("web1", b, type="quick").wait(60)
    assert job.state == "Completed", job.error
    assert [f["role"] for f in job.result["files"]] == ["saved_state"]
    assert disk.exists() and b.vm("web1").disk == str(disk) and names(b) == [("web1", "Running")]


def test_an_off_vm_is_copied_and_a_saved_one_stays_saved(pair, tmp_path):
    a, b = pair
    (tmp_path / "there").mkdir()
    disk = tmp_path / "cold.img"
    raw_disk(disk, 4 * MiB)
    a.new_vm("cold", memory="32M", disk=str(disk)).wait(check=True)
    job = a.move_vm("cold", b, path=str(tmp_path / "there")).wait(60)
    assert job.state == "Completed", job.error
    assert job.result["type"] == "network" and "downtime_s" not in job.result
    assert names(b) == [("cold", "Off")] and a.vms() == [] and not disk.exists()
    new_running(b, "warm", memory="32M")
    assert guest(b, "warm", "pattern fill 4 5").startswith("pattern filled")
    b.stop_vm("warm", mode="save").wait(check=True)
    job = b.move_vm("warm", a).wait(60)
    assert job.state == "Completed" and job.result["type"] == "quick", job.error
    assert names(a) == [("warm", "Saved")]
    a.start_vm("warm").wait(check=True)
    assert guest(a, "warm", "pattern check") == "pattern ok 4 MiB"


def test_a_paused_vm_arrives_paused(pair):
    a, b = pair
    new_running(a, "p1", memory="32M")
    a.pause_vm("p1").wait(check=True)
    job = a.move_vm("p1", b, type="quick").wait(60)
    assert job.state == "Completed", job.error
    assert names(b) == [("p1", "Paused")]


def test_live_with_a_disk_to_copy_is_refused_and_a_switch_must_be_mapped(pair, tmp_path):
    a, b = pair
    (tmp_path / "there").mkdir()
    disk = tmp_path / "d.img"
    raw_disk(disk, 4 * MiB)
    a.new_switch("lab").wait(check=True)
    b.new_switch("lan").wait(check=True)
    new_running(a, "n1", memory="32M", disk=str(disk), network="lab")
    service(b).live_move_copies_files = False  # a host whose live moves take no disk copies
    with pytest.raises(UsageError, match=r"the disks are not shared; use --type quick or move the storage"):
        a.move_vm("n1", b, type="live", path=str(tmp_path / "there"), network_map={"lab": "lan"})
    with pytest.raises(UsageError, match=r"no virtual switch named 'lab' on this host .*--network-map lab=SWITCH"):
        a.move_vm("n1", b, type="quick")
    assert b.vms() == [] and names(a) == [("n1", "Running")]
    job = a.move_vm("n1", b, type="quick", network_map={"lab": "lan"}).wait(60)
    assert job.state == "Completed", job.error
    vm = b.vm("n1")
    assert (vm.state, vm.network) == ("Running", "lan")
    assert ipaddress.IPv4Address(vm.ip) in service(b).switches["lan"].subnet
    assert service(b).store.entry(vm.id).config.network == "lan"


def test_a_vhd_is_shared_by_its_unique_id_and_copied_whole(pair, tmp_path):
    a, b = pair
    (tmp_path / "there").mkdir()
    vhd = tmp_path / "disk.vhd"
    a.new_disk(str(vhd), "16M").wait(check=True)
    a.new_vm("v1", memory="32M", disk=str(vhd)).wait(check=True)
    description = a.call("vm.move.begin", vm="v1")
    assert description["files"][0]["identity"]["uuid"]
    job = a.move_vm("v1", b, path=str(tmp_path / "there")).wait(60)
    assert job.state == "Completed", job.error
    b.start_vm("v1").wait(check=True)  # the copy opens as the VHD it was
    assert b.vm("v1").disk_format == "vhd-dynamic"
