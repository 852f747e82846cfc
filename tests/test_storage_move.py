"""vm.move.storage on the embedded engine's host (core/local/storage_move.py): a running, paused, off or saved VM's
disk moved to another folder; the faults (cancel, a full destination, a killed host service) leave the VM on its
old disk and no partial copy behind; the command line; libvirt hosts refuse it with the reason."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from core import api
from core.engine.storage import check_disk, open_disk
from core.model.errors import StateError, UsageError

from .conftest import MiB
from .guestconsole import GuestConsole
from .helpers import waiting


@pytest.fixture
def host(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as conn:
        yield conn


def _service(conn):
    return conn._transport.service


def _record(conn, name):
    return next(r for r in _service(conn).vms.values() if r.name == name)


def _stored_disk(conn, name) -> str:
    record = _record(conn, name)
    return json.loads((record.stored.folder / "vm.json").read_text())["disk"]


def _fill(path, mib: int) -> None:
    with open_disk(path) as disk:
        for i in range(mib):
            disk.write(i * 2048, i.to_bytes(4, "little") * (MiB // 4))


def _vm(conn, tmp_path, name="mover", size="64M", fill=0, start=True, folder="disks"):
    disk = tmp_path / folder / f"{name}.vhd"
    disk.parent.mkdir(exist_ok=True)
    conn.new_disk(str(disk), size).wait(check=True)
    if fill:
        _fill(disk, fill)
    conn.new_vm(name, memory="64M", disk=str(disk), start=start).wait(check=True)
    console = None
    if start:
        console = GuestConsole(_record(conn, name).partition)
        console.expect(r"bulkhead\$ ", timeout=30)
    return disk, console


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_running_vm_moves_to_the_new_folder_and_keeps_writing(host, tmp_path):
    old, c = _vm(host, tmp_path, fill=8)
    c.command("disk write 100 before-the-move")
    stop, runs = threading.Event(), []

    def guest():
        while not stop.is_set():
            runs.append(c.command("bench disk 1024 64", timeout=60))

    bench = threading.Thread(target=guest)
    bench.start()
    time.sleep(0.2)
    try:
        job = host.move_storage("mover", str(tmp_path / "fast"), bandwidth="32M").wait(60)
    finally:
        stop.set()
        bench.join()
    assert job.state == "Completed", job.error
    new = tmp_path / "fast" / "mover.vhd"
    r = job.result
    assert r["disk"] == str(new) and r["old_disk"] == str(old) and r["live"] is True and r["state"] == "Running"
    assert r["message"] == f"left the old disk at {old}" and not r["old_disk_deleted"] and old.exists()
    assert r["rounds"] >= 2 and r["pause_s"] < 1.0 and r["sent_bytes"] >= 8 * MiB
    assert [x["round"] for x in r["per_round"]] == list(range(r["rounds"]))
    assert host.vm("mover").disk == str(new) and _stored_disk(host, "mover") == str(new)
    odd = [x for x in runs if not x.endswith("in flight)")]
    assert len(runs) >= 2 and not odd, odd  # each run checked its reads
    assert c.command("disk read 100") == "before-the-move"
    c.command("disk write 101 after-the-move")
    assert _leftovers(tmp_path / "fast") == ["mover.vhd"]
    host.stop_vm("mover", mode="turn_off").wait(check=True)
    assert check_disk(new) == []
    with open_disk(new, read_only=True) as d:
        assert d.format == "vhd-dynamic" and d.read(101, 1).startswith(b"after-the-move")
        assert d.read(2048 * 7, 1)[:4] == (7).to_bytes(4, "little")  # what was there before the VM started
    with open_disk(old, read_only=True) as d:
        assert not d.read(101, 1).strip(b"\0")  # the old file stopped at the switch
    # the next start uses the new disk
    host.start_vm("mover").wait(check=True)
    c = GuestConsole(_record(host, "mover").partition)
    c.expect(r"bulkhead\$ ", timeout=30)
    assert c.command("disk read 101") == "after-the-move"
    host.stop_vm("mover", mode="turn_off").wait(check=True)


def test_an_off_vm_is_copied_and_its_own_old_disk_deleted(host, tmp_path):
    disk, _ = _vm(host, tmp_path, start=False, size="32M")
    _fill(disk, 3)
    record = _record(host, "mover")
    # a disk in the VM's own folder is the VM's: it goes when the move is done
    own = record.stored.folder / "own.vhd"
    os.rename(disk, own)
    host.set_vm("mover", disk=str(own)).wait(check=True)
    job = host.move_storage("mover", str(tmp_path / "moved")).wait(30)
    assert job.state == "Completed", job.error
    r = job.result
    assert r["live"] is False and r["old_disk_deleted"] and r["message"] == f"deleted the old disk {own}"
    assert not own.exists() and r["rounds"] == 2 and r["pause_s"] == 0.0
    new = tmp_path / "moved" / "own.vhd"
    assert _stored_disk(host, "mover") == str(new) and check_disk(new) == []
    with open_disk(new, read_only=True) as d:
        assert d.read(2048 * 2, 1)[:4] == (2).to_bytes(4, "little")


def test_a_saved_vm_restores_from_the_moved_disk_and_delete_source_removes_the_old_one(host, tmp_path):
    old, c = _vm(host, tmp_path, size="32M")
    c.command("disk write 42 saved-with-the-vm")
    host.stop_vm("mover", mode="save").wait(check=True)
    job = host.move_storage("mover", str(tmp_path / "elsewhere" / "deeper"), delete_source=True).wait(30)
    assert job.state == "Completed", job.error
    assert job.result["old_disk_deleted"] and not old.exists() and job.result["state"] == "Saved"
    host.start_vm("mover").wait(check=True)
    assert _record(host, "mover").partition.disk.path == str(tmp_path / "elsewhere" / "deeper" / "mover.vhd")
    c = GuestConsole(_record(host, "mover").partition)
    assert c.command("disk read 42") == "saved-with-the-vm"
    host.stop_vm("mover", mode="turn_off").wait(check=True)


def test_a_paused_vm_moves_and_stays_paused(host, tmp_path):
    _vm(host, tmp_path, size="32M")
    host.pause_vm("mover").wait(check=True)
    job = host.move_storage("mover", str(tmp_path / "p")).wait(30)
    assert job.state == "Completed", job.error
    assert job.result["live"] and job.result["state"] == "Paused"
    host.stop_vm("mover", mode="turn_off").wait(check=True)


def test_bad_requests_are_refused_before_anything_is_written(host, tmp_path):
    host.new_vm("bare", memory="64M").wait(check=True)
    with pytest.raises(UsageError, match="has no virtual hard disk"):
        host.move_storage("bare", str(tmp_path / "x"))
    old, _ = _vm(host, tmp_path, start=False, size="16M")
    with pytest.raises(UsageError, match="is in .* already"):
        host.move_storage("mover", str(old.parent))
    with pytest.raises(UsageError, match="absolute path"):
        host.move_storage("mover", "relative/folder")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mover.vhd").write_bytes(b"someone else's")
    with pytest.raises(UsageError, match="already holds a file named mover.vhd"):
        host.move_storage("mover", str(taken))
    (tmp_path / "afile").write_text("x")
    with pytest.raises(UsageError, match="is not a folder"):
        host.move_storage("mover", str(tmp_path / "afile"))
    assert _stored_disk(host, "mover") == str(old) and not (tmp_path / "x").exists()


def test_cancel_leaves_the_running_vm_on_its_old_disk_and_no_partial_copy(host, tmp_path):
    old, c = _vm(host, tmp_path, fill=16)
    job = host.move_storage("mover", str(tmp_path / "slow"), bandwidth="4M")
    waiting.wait(lambda: any(n.endswith(".tmp") for n in _leftovers(tmp_path / "slow")), 10, "the copy to begin")
    with pytest.raises(StateError, match="being moved already"):
        host.move_storage("mover", str(tmp_path / "other"))
    host.cancel_job(job.id)
    done = host.wait_job(job.id, 30)
    assert done.state == "Cancelled", done
    assert _leftovers(tmp_path / "slow") == [] and not (tmp_path / "other").exists()
    assert _stored_disk(host, "mover") == str(old) and _record(host, "mover").partition.disk.path == str(old)
    assert _record(host, "mover").partition.disk.consumers == []
    c.command("disk write 7 after-the-cancel")
    assert c.command("disk read 7") == "after-the-cancel"
    # and a new move may start
    assert host.move_storage("mover", str(tmp_path / "slow")).wait(30).state == "Completed"
    host.stop_vm("mover", mode="turn_off").wait(check=True)


@pytest.fixture
def small_mount(tmp_path):
    """A 12 MiB tmpfs (as root), for a destination that fills up."""
    where = tmp_path / "small"
    where.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(where)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_destination_too_small_is_refused_at_once(host, tmp_path, small_mount):
    _vm(host, tmp_path, fill=24, start=False)
    with pytest.raises(UsageError, match="not enough free space in .*small"):
        host.move_storage("mover", str(small_mount))


def test_a_destination_that_fills_up_fails_the_move_and_the_vm_runs_on(host, tmp_path, small_mount, monkeypatch):
    old, c = _vm(host, tmp_path, fill=24)
    from core.local import storage_move

    monkeypatch.setattr(storage_move.StorageMoveMethods, "_check_space", staticmethod(lambda *a: None))
    job = host.move_storage("mover", str(small_mount / "vhds")).wait(30)
    assert job.state == "Failed" and "destination is full" in job.error and f"goes on with {old}" in job.error, \
        job.error
    assert _leftovers(small_mount) == []  # the partial copy and the folder made for it are gone
    assert _stored_disk(host, "mover") == str(old) and _record(host, "mover").partition.state.value == "Running"
    c.command("disk write 3 still-writing")
    assert c.command("disk read 3") == "still-writing"
    host.stop_vm("mover", mode="turn_off").wait(check=True)


def test_libvirt_hosts_refuse_it_with_the_reason(tmp_path):
    pytest.importorskip("libvirt")
    with api.connect(str(tmp_path / "home"), uri="test:///default") as conn:
        caps = conn.capabilities()
        assert caps["move_storage"] is False and "virsh blockcopy" in caps["reasons"]["move_storage"]
        with pytest.raises(StateError, match="virsh blockcopy"):
            conn.move_storage("test", "/tmp")


def test_the_command_line_moves_and_a_killed_service_leaves_the_old_disk_and_no_partial_copy(cli, tmp_path):
    disks = tmp_path / "disks"
    disks.mkdir()
    cli("disk", "new", str(disks / "k.vhd"), "--size", "64M", check=True)
    _fill(disks / "k.vhd", 24)
    cli("vm", "new", "k", "--memory", "64M", "--disk", str(disks / "k.vhd"), "--start", check=True)
    # a move the host service is killed in the middle of
    out = cli("vm", "move-storage", "k", "--path", str(tmp_path / "dest"), "--bandwidth", "2M", "--no-wait",
              check=True).stdout
    assert out.startswith("job ") and "Move VM storage" in out, out
    waiting.wait(lambda: any(n.endswith(".tmp") for n in _leftovers(tmp_path / "dest")), 15, "the partial copy")
    pid = cli.json("host", "info")["pid"]
    os.kill(pid, signal.SIGKILL)
    waiting.wait(lambda: not _alive(pid), 10, "the host service to die")
    assert any(n.endswith(".tmp") for n in _leftovers(tmp_path / "dest"))
    vm = cli.json("vm", "show", "k")  # starts the service again: it sweeps what the killed move left
    assert vm["disk"] == str(disks / "k.vhd") and vm["state"] == "Off"
    assert _leftovers(tmp_path / "dest") == []
    # the command line's own move, to the end
    r = cli("vm", "move-storage", "k", "--path", str(tmp_path / "dest"))
    assert r.returncode == 0, r.stderr
    assert f"uses {tmp_path / 'dest' / 'k.vhd'}" in r.stdout and f"left the old disk at {disks / 'k.vhd'}" in r.stdout
    r = cli("vm", "move-storage", "k", "--path", str(tmp_path / "dest"))
    assert r.returncode == 2 and "already" in r.stderr and "Traceback" not in r.stderr, r.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of nobody here is gone for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False
