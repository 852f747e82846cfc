"""Live moves that carry a disk the destination does not reach (storage migration with the VM): the disk's allocated
blocks, then the blocks the guest writes meanwhile, go as BLOCKS records during the pre-copy, the last ones in the
stop-and-copy, and the destination switches the VM to its copy (a fresh image of the same format, size and block
size, renamed into place on GO). A move stopped midway leaves the VM running at the source on its own disk and no
partial copy at the destination."""

from __future__ import annotations

import socket
import threading

import pytest

from core.engine.storage import check_disk, open_disk

from .helpers.moves import guest, leftovers, names, new_running, pair_fixture, service, temp_files
from .helpers.waiting import wait, wait_until

MiB = 1 << 20
pair = pair_fixture()


def _disk_vm(a, tmp_path, name="d1", size="256M", fill_mib=24):
    here = tmp_path / "here"
    here.mkdir()
    (tmp_path / "there").mkdir()
    disk = here / f"{name}.vhd"
    a.new_disk(str(disk), size).wait(check=True)
    with open_disk(disk) as d:  # data the round 0 copy must carry (a dynamic VHD allocates it)
        for i in range(fill_mib):
            d.write(i * 2048 + 4096, bytes([i + 1]) * MiB)
    new_running(a, name, memory="64M", disk=str(disk))
    assert guest(a, name, "disk write 100 before-the-move") != ""
    return disk


def _writing(a, name):
    """The guest's `bench disk` in a loop (each run writes, reads back and checks); (stop, runs, thread)."""
    stop, runs = threading.Event(), []

    def loop():
        while not stop.is_set():
            try:
                runs.append(guest(a, name, "bench disk 1024 64", timeout=30))
            except Exception as e:  # noqa: BLE001 - the VM moved away mid-run: the last reply is elsewhere
                runs.append(f"moved: {e}")
                return

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return stop, runs, t


def test_a_live_move_copies_the_disk_the_guest_keeps_writing(pair, tmp_path):
    a, b = pair
    disk = _disk_vm(a, tmp_path)
    with open_disk(disk, read_only=True) as d:
        size, block = d.size, d.block_size
    assert a.move_precheck("d1", b, path=str(tmp_path / "there"))["type"] == "live"
    stop, runs, t = _writing(a, "d1")
    wait(lambda: len(runs) >= 1, 30, "a first bench run")
    try:
        job = a.move_vm("d1", b, path=str(tmp_path / "there"), bandwidth=64 * MiB).wait(60)  # auto: live, copied
    finally:
        stop.set()
        t.join(40)
    assert job.state == "Completed", job.error
    r = job.result
    copied = tmp_path / "there" / "d1.vhd"
    assert r["type"] == "live" and r["downtime_s"] < 2.0
    c = r["disk_copy"]
    assert c["path"] == str(disk) and c["rounds"] >= 2 and c["sent_bytes"] >= 24 * MiB
    assert r["bytes_sent"] >= c["sent_bytes"] and c["final_bytes"] <= 64 * MiB
    assert names(b) == [("d1", "Running")] and a.vms() == [] and b.vm("d1").disk == str(copied)
    assert not disk.exists()  # the source's copy deleted once the VM runs there
    assert all(x.endswith("in flight)") for x in runs if not x.startswith("moved")), runs
    assert guest(b, "d1", "disk read 100") == "before-the-move"
    assert guest(b, "d1", "bench disk 1024 64").endswith("in flight)")  # written and checked on the copy
    guest(b, "d1", "disk write 101 after-the-move")
    assert temp_files(tmp_path / "there") == [] and leftovers(tmp_path / "b") == []
    b.stop_vm("d1", mode="turn_off").wait(check=True)
    assert check_disk(copied) == []
    with open_disk(copied, read_only=True) as d:
        assert (d.format, d.size, d.block_size) == ("vhd-dynamic", size, block)
        for i in (0, 11, 23):
            assert d.read(i * 2048 + 4096, 1) == bytes([i + 1]) * 512
        assert d.read(101, 1).startswith(b"after-the-move")
    print("live move with a 256 MiB disk:", {k: r[k] for k in ("total_s", "downtime_s", "bytes_sent")}, c)


@pytest.mark.parametrize("how", ["cancelled at the source", "the destination's stream cut"])
def test_a_live_disk_move_stopped_midway_leaves_the_vm_on_its_own_disk(pair, tmp_path, how):
    a, b = pair
    disk = _disk_vm(a, tmp_path, size="128M", fill_mib=40)
    job = a.move_vm("d1", b, type="live", path=str(tmp_path / "there"), bandwidth=8 * MiB)
    incoming = wait_until(lambda: next(iter(service(b).moves_in.values()), None), 10, "the reservation")
    wait(lambda: any(n.endswith(".tmp") for n in temp_files(tmp_path / "there")), 10, "the copy to begin")
    wait(lambda: incoming.state == "receiving" and incoming.sock is not None, 10, "the stream")
    threading.Event().wait(1.0)  # some of the disk sent
    if how.startswith("cancelled"):
        a.cancel_job(job.id)
        assert job.wait(30).state == "Cancelled"
    else:
        socket.socket.shutdown(incoming.sock, socket.SHUT_RDWR)
        job = job.wait(30)
        assert job.state == "Failed" and "carries on here" in job.error, job.error
    assert names(a) == [("d1", "Running")] and a.vm("d1").disk == str(disk)
    wait(lambda: b.vms() == [], 10, "the destination to drop the VM")
    assert temp_files(tmp_path / "there") == [] and list((tmp_path / "there").iterdir()) == []
    assert leftovers(tmp_path / "b") == []
    assert guest(a, "d1", "disk read 100") == "before-the-move"
    assert guest(a, "d1", "bench disk 1024 64").endswith("in flight)")
    a.stop_vm("d1", mode="turn_off").wait(check=True)
    assert check_disk(disk) == []
