"""The disk-block tracker (core/engine/storage/tracking.py), the live copy in rounds (storage/livecopy.py) and a
running partition's disk switched under its guest (core/engine/partition_storage.py)."""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time

import numpy as np
import pytest

from core.engine import VmState
from core.engine.partition_storage import STORAGE_CONSUMER, move_disk, quiesced, tracked_disk
from core.engine.storage import DiskError, check_disk, create_disk, open_disk
from core.engine.storage.livecopy import CopyCancelled, DiskCopy, DiskWriter, copy_disk_live
from core.engine.storage.tracking import TRACK_BLOCK, TrackingDisk, allocated_blocks, block_size_for
from core.model.states import TransitionError

from .conftest import MiB

KiB = 1 << 10


def digest(disk) -> str:
    h = hashlib.sha256()
    sectors = disk.size // 512
    for s in range(0, sectors, 8192):
        h.update(disk.read(s, min(8192, sectors - s)))
    return h.hexdigest()


@pytest.fixture
def tracked(tmp_path):
    disk = TrackingDisk(create_disk(tmp_path / "src.vhd", 64 * MiB, "dynamic"))
    yield disk
    disk.close()


# --- the tracker ----------------------------------------------------------------------------------------------
def test_writes_are_recorded_for_each_consumer_from_its_registration(tracked):
    bs = tracked.track_block
    assert bs == TRACK_BLOCK == 64 * KiB
    tracked.write(0, bytes(4096))  # before anyone tracks: nobody is told
    tracked.register("a")
    tracked.write(bs // 512 - 1, bytes(1024))  # the last sector of block 0 and the first of block 1
    tracked.register("b")
    tracked.write(5 * bs // 512, bytes(512))
    assert tracked.count("a") == 3 and tracked.consumers == ["a", "b"]
    assert tracked.collect("a").tolist() == [0, 1, 5]
    assert tracked.collect("a").tolist() == []  # collected: gone for a ...
    assert tracked.collect("b").tolist() == [5]  # ... but not for b
    tracked.write(7 * bs // 512, bytes(3 * bs))
    assert tracked.collect("b").tolist() == [7, 8, 9]
    tracked.unregister("a")
    with pytest.raises(ValueError, match="no disk-block consumer 'a'"):
        tracked.collect("a")
    with pytest.raises(ValueError, match="already registered"):
        tracked.register("b")
    assert tracked.register("b", exist_ok=True) is False
    tracked.mark_all("b")
    assert tracked.count("b") == tracked.blocks


def test_reads_do_not_count_and_the_wrapped_disk_shows_through(tracked):
    tracked.register("r")
    tracked.read(0, 128)
    assert tracked.collect("r").size == 0
    assert tracked.format == "vhd-dynamic" and tracked.block_size == 2 * MiB
    assert tracked.info()["blocks_total"] == -(-tracked.size // (2 * MiB))
    assert tracked.path.endswith("src.vhd") and tracked.sector_size == 512


def test_concurrent_writers_lose_no_block(tracked):
    tracked.register("t")
    seen: set[int] = set()
    written: list[set[int]] = [set() for _ in range(4)]
    bs = tracked.track_block
    stop = threading.Event()

    def writer(i):
        rnd = random.Random(i)
        while not stop.is_set():
            sector = rnd.randrange(0, tracked.size // 512 - 64)
            tracked.write(sector, bytes(rnd.choice((512, 4096, 32 * KiB))))
            written[i].update(range(sector * 512 // bs, (sector * 512 + 32 * KiB - 1) // bs + 1))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        seen.update(tracked.collect("t").tolist())
    stop.set()
    for t in threads:
        t.join()
    seen.update(tracked.collect("t").tolist())
    # every block written is reported (the writer's own bookkeeping over-counts short writes, never under-counts)
    assert seen and seen <= set().union(*written)
    assert len(seen) > 50


def test_block_size_keeps_a_consumers_map_small():
    assert block_size_for(64 * MiB) == 64 * KiB
    assert block_size_for(2040 << 30) == 512 * KiB  # 2040 GiB: 4 Mi blocks at most


def test_swap_needs_the_same_size(tmp_path, tracked):
    other = create_disk(tmp_path / "other.vhd", 32 * MiB, "dynamic")
    with pytest.raises(DiskError, match="not the"):
        tracked.swap(other)
    other.close()
    same = create_disk(tmp_path / "same.img", tracked.size, "raw")
    old = tracked.swap(same)
    assert tracked.inner is same and tracked.format == "raw" and old.format == "vhd-dynamic"
    old.close()


# --- allocated blocks -----------------------------------------------------------------------------------------
def test_allocated_blocks_of_a_dynamic_vhd_are_its_allocated_vhd_blocks(tracked):
    tracked.write(3 * MiB // 512, b"x" * 512)  # VHD block 1 (2-4 MiB)
    tracked.write(40 * MiB // 512, b"y" * 512)  # VHD block 20
    blocks = allocated_blocks(tracked, 64 * KiB)
    per = 2 * MiB // (64 * KiB)
    assert blocks.tolist() == list(range(per, 2 * per)) + list(range(20 * per, 21 * per))


@pytest.mark.parametrize("kind, name", [("raw", "d.img"), ("fixed", "d.vhd")])
def test_allocated_blocks_of_sparse_files_are_their_data_extents(tmp_path, kind, name):
    with create_disk(tmp_path / name, 64 * MiB, kind) as disk:
        disk.write(10 * MiB // 512, b"z" * 4096)
        blocks = allocated_blocks(disk, 64 * KiB)
    assert 160 in blocks.tolist() and len(blocks) < 20  # the written block, a few around it (file system pages)


# --- the copy -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, name", [("dynamic", "d.vhd"), ("fixed", "f.vhd"), ("raw", "r.img")])
def test_a_copy_under_concurrent_writes_is_the_source_exactly_and_a_valid_image(tmp_path, kind, name):
    src = TrackingDisk(create_disk(tmp_path / name, 48 * MiB, kind))
    rnd = random.Random(7)
    for _ in range(64):
        src.write(rnd.randrange(0, src.size // 512 - 128), os.urandom(64 * KiB))
    dst = create_disk(tmp_path / f"copy-{name}", src.size, kind)
    stop = threading.Event()

    def guest():
        r = random.Random(8)
        while not stop.is_set():
            src.write(r.randrange(0, src.size // 512 - 32), os.urandom(16 * KiB))
            time.sleep(0.0002)

    writer = threading.Thread(target=guest)
    writer.start()
    copy = DiskCopy(src, DiskWriter(dst))
    try:
        copy.precopy()
    finally:
        stop.set()
        writer.join()
    copy.final()  # the guest is still now
    copy.close()
    assert src.consumers == []
    assert digest(dst) == digest(src)
    summary = copy.summary()
    assert summary["rounds"] >= 2 and summary["per_round"][0]["round"] == 0
    if kind == "dynamic":
        assert dst.info()["blocks_allocated"] <= src.info()["blocks_allocated"]  # only allocated blocks copied
    dst.close()
    src.close()
    assert check_disk(tmp_path / f"copy-{name}") == []
    assert check_disk(tmp_path / f"copy-{name}", format={"dynamic": "vhd-dynamic", "fixed": "vhd-fixed",
                                                       "raw": "raw"}[kind]) == []


def test_a_disk_that_is_not_tracked_is_copied_in_one_round(tmp_path):
    path = tmp_path / "off.vhd"
    with create_disk(path, 16 * MiB, "dynamic") as d:
        d.write(100, b"off-vm".ljust(512, b"\0"))
    src = open_disk(path, read_only=True)
    dst = create_disk(tmp_path / "off-copy.vhd", src.size, "dynamic")
    result = copy_disk_live(src, DiskWriter(dst))
    assert result["rounds"] == 2 and result["final_bytes"] == 0 and result["pause_s"] >= 0
    assert dst.read(100, 1).startswith(b"off-vm") and dst.info()["blocks_allocated"] == 1
    dst.close()
    src.close()


def test_writer_batches_are_contiguous_blocks_of_the_tracking_size(tracked):
    tracked.write(0, os.urandom(200 * KiB))
    tracked.write(tracked.size // 512 - 1, b"e" * 512)  # the last sector
    batches = []
    copy = DiskCopy(tracked, batches.append)
    copy.precopy()
    copy.final()
    copy.close()
    bs = tracked.track_block
    for batch in batches:
        offsets = [o for o, _ in batch]
        assert offsets == list(range(offsets[0], offsets[0] + bs * len(batch), bs)) and offsets[0] % bs == 0
        assert sum(len(d) for _, d in batch) <= 2 * MiB
        assert all(len(d) == bs or o + len(d) == tracked.size for o, d in batch)
    got = {o: bytes(d) for batch in batches for o, d in batch}
    assert got[0] == tracked.read(0, bs // 512)  # round 0 skipped zero runs, sent the data
    assert max(got) + len(got[max(got)]) == tracked.size


def test_cancel_stops_the_copy_and_bandwidth_limits_it(tracked):
    tracked.write(0, os.urandom(8 * MiB))
    cancel = threading.Event()
    sink = []
    copy = DiskCopy(tracked, sink.append, cancel=cancel, bandwidth=16 * MiB,
                    progress=lambda info: cancel.set() if info["round_done"] >= 2 * MiB else None)
    t0 = time.monotonic()
    with pytest.raises(CopyCancelled):
        copy.precopy()
    copy.close()
    assert tracked.consumers == []
    assert 0.1 <= time.monotonic() - t0 < 2.0  # throttled to 16 MiB/s, cancelled after about 2 MiB
    assert 0 < sum(len(d) for b in sink for _, d in b) < 8 * MiB
    copy = DiskCopy(tracked, sink.append, bandwidth=32 * MiB)
    t0 = time.monotonic()
    copy.precopy()
    copy.close()
    assert time.monotonic() - t0 >= 0.2  # 8 MiB at 32 MiB/s


# --- a running partition ------------------------------------------------------------------------------------------
@pytest.fixture
def disk_vm(boot, tmp_path):
    path = tmp_path / "vm.vhd"
    create_disk(path, 32 * MiB, "dynamic").close()
    p, c = boot("mover", disk=str(path))
    return p, c, path


def _switch_to(tmp_path, p, name="new.vhd"):
    """A new image for the partition's disk and the switch that opens it for writing."""
    dst = create_disk(tmp_path / name, p.disk.size, "dynamic")
    return dst, lambda: (dst.close(), open_disk(tmp_path / name))[1]


def test_the_running_guest_moves_to_the_copy_and_keeps_its_data(disk_vm, tmp_path):
    p, c, old_path = disk_vm
    c.command("disk write 300 before-the-move")
    dst, switch = _switch_to(tmp_path, p)
    stop, runs = threading.Event(), []

    def guest():  # writes, and checks what it reads back, while the copy runs and across the switch
        while not stop.is_set():
            runs.append(c.command("bench disk 2048 64", timeout=60))

    bench = threading.Thread(target=guest)
    bench.start()
    time.sleep(0.2)
    clock = p.guest_clock_ns()
    result = move_disk(p, DiskWriter(dst), switch, bandwidth=8 * MiB)  # round 0 alone takes a quarter second
    assert p.guest_clock_ns() > clock  # never back
    stop.set()
    bench.join()
    odd = [r for r in runs if not r.endswith("in flight)")]
    if odd:  # say what the guest and the host saw of the channels (pytest would shorten an assertion's message)
        pytest.fail(f"{odd[:3]} of {len(runs)}; guest: {c.command('vmbus')!r}; host: {p.vmbus.snapshot()}; "
                    f"failures: {p.device_failures}", pytrace=False)
    assert len(runs) >= 3
    assert p.state is VmState.RUNNING and p.disk.path == str(tmp_path / "new.vhd")
    assert p.config.disk == str(tmp_path / "new.vhd") and p.disk.consumers == []
    assert result["pause_s"] < 1.0 and result["rounds"] >= 2
    assert c.command("disk read 300") == "before-the-move"
    c.command("disk write 301 after-the-move")
    assert c.command("bench disk 1024 64", timeout=60).endswith("in flight)")
    with open_disk(old_path, read_only=True) as old:  # the old image is closed and unchanged since the switch
        assert old.read(300, 1).startswith(b"before-the-move") and not old.read(301, 1).strip(b"\0")


def test_a_failing_switch_leaves_the_guest_running_on_its_old_disk(disk_vm, tmp_path):
    p, c, old_path = disk_vm
    dst = create_disk(tmp_path / "new.vhd", p.disk.size, "dynamic")

    def switch():
        raise DiskError("the copy could not be made durable")

    with pytest.raises(DiskError, match="durable"):
        move_disk(p, DiskWriter(dst), switch)
    dst.close()
    assert p.state is VmState.RUNNING and p.disk.path == str(old_path) and p.disk.consumers == []
    c.command("disk write 9 still-here")
    assert c.command("disk read 9") == "still-here"


def test_quiesced_parks_a_running_guest_briefly_and_refuses_a_stopped_one(disk_vm):
    p, c, _ = disk_vm
    disk = tracked_disk(p)
    time.sleep(0.3)
    before = p.guest_clock_ns()
    with quiesced(p, disk):
        assert p._parked >= 1 and p.state is VmState.RUNNING
        stopped = p.guest_clock_ns()
        time.sleep(0.05)
        assert p.guest_clock_ns() == stopped  # the park counts toward no timeout of the guest
    assert stopped >= before and p.guest_clock_ns() >= stopped  # and its clock goes on from where it was
    assert c.command("echo on again") == "on again"
    p.pause()
    with quiesced(p, disk):  # already still: nothing to park
        assert p.state is VmState.PAUSED
    p.resume()
    p.turn_off()
    with pytest.raises(TransitionError, match="not running or paused"):
        tracked_disk(p)
    with pytest.raises(TransitionError, match="not running or paused"):
        with quiesced(p, disk):
            pass


def test_a_vm_stopped_during_the_copy_fails_it_and_nothing_switches(disk_vm, tmp_path):
    p, c, old_path = disk_vm
    c.command("disk write 5 x")
    dst, switch = _switch_to(tmp_path, p)
    seen = []

    def progress(info):
        if not seen:
            seen.append(info)
            threading.Thread(target=p.turn_off).start()
            p.wait_for_state(VmState.OFF, 10)

    with pytest.raises((DiskError, TransitionError)) as e:
        move_disk(p, DiskWriter(dst), switch, progress=progress, bandwidth=4 * MiB)
    assert "closed during the copy" in str(e.value) or "not running" in str(e.value), e.value
    dst.close()
    assert p.config.disk == str(old_path) and STORAGE_CONSUMER not in (p.disk.consumers if p.disk else [])


def test_the_tracker_sees_the_guests_writes_through_both_controllers(boot, tmp_path):
    for controller in ("synthetic", "emulated"):
        path = tmp_path / f"{controller}.vhd"
        create_disk(path, 16 * MiB, "dynamic").close()
        p, c = boot(f"track-{controller}", disk=str(path), disk_controller=controller)
        disk = tracked_disk(p)
        disk.register("test")
        c.command(f"disk write 1000 tracked via {controller}")
        assert (1000 * 512 // disk.track_block) in disk.collect("test").tolist()
        assert np.all(disk.collect("test") >= 0)
        p.turn_off()
