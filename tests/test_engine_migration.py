"""Live migration between two partitions in this process, joined by a socket pair: the guest's memory (a pattern
it wrote and checks), clock, counter and serial history come through while it dirties pages; a cancel, a destination
that goes away, a hostile stream or a lost confirmation leave exactly one VM that can run."""

import json
import os
import re
import socket
import struct
import threading
import time
import zlib

import numpy as np
import pytest

from core.engine import Hypervisor, PartitionConfig, TransitionError, VmState
from core.engine import migration_stream as ms
from core.engine.migration_stream import Channel
from core.engine.partition_migration import MigrationError, MigrationOptions, MigrationUnconfirmed, StreamError
from core.engine.storage import create_disk, open_disk
from core.model.converge import next_throttle

from .conftest import BACKENDS, KVM_SKIP_REASON, KVM_USABLE, MiB
from .guestconsole import GuestConsole

BACKEND = os.environ.get("BULKHEAD_TEST_MIGRATION_BACKEND") or ("kvm" if KVM_USABLE else "emulation")
PROGRESS_KEYS = {"round", "sent_bytes", "remaining_bytes", "dirty_rate", "bandwidth", "expected_downtime_s",
                 "throttle"}


@pytest.fixture(scope="module")
def hypervisors():
    made = {}

    def get(backend):
        if backend not in made:
            made[backend] = Hypervisor(backend)
        return made[backend]

    yield get
    for hv in made.values():
        hv.shutdown()


@pytest.fixture
def vms(hypervisors, guest_image):
    """vms(backend, cmdline='', memory=64 MiB, boot=True, **devices) -> (partition, console): booted at its prompt,
    or Off."""
    made = []

    def make(backend=BACKEND, cmdline="", memory=64 * MiB, boot=True, **devices):
        config = PartitionConfig("mover", memory, str(guest_image), 1, cmdline, **devices)
        p = hypervisors(backend).create_partition(config)
        c = GuestConsole(p)
        made.append((p, c))
        if boot:
            p.start()
            c.expect(r"bulkhead\$ ", timeout=30)
        return p, c

    yield make
    for p, c in made:
        c.close()
        p.close()


def console_after(p) -> GuestConsole:
    """A console on a VM that came in: what it printed before is history, new replies are read after it."""
    c = GuestConsole(p)
    c._mark = len(c.text)
    return c


def migrate(src, dst, opts=None, *, wire=None, progress=None, cancel=None, before_go=None, on_go=None):
    """Run migrate_in on a thread and migrate_out here; returns (out result or error, in result or error)."""
    a, b = socket.socketpair()
    far = b
    if wire is not None:
        c, d = socket.socketpair()
        threading.Thread(target=wire, args=(b, c), daemon=True).start()
        far = d
    got = {}

    def receive():
        try:
            got["in"] = dst.migrate_in(far, on_go=on_go)
        except Exception as e:
            got["in"] = e
        finally:
            far.close()

    t = threading.Thread(target=receive)
    t.start()
    try:
        out = src.migrate_out(a, opts or MigrationOptions(), progress=progress, cancel=cancel, before_go=before_go)
    except Exception as e:
        out = e
    finally:
        a.close()
    t.join(30)
    assert not t.is_alive()
    return out, got["in"]


def number(c, command) -> float:
    return float(c.command(command).split()[1])


def check_released(p):
    assert p.state is VmState.OFF and p.memory is None and p.machine is None


def check_runs_on(p, c, ticks_before):
    assert p.state is VmState.RUNNING
    assert c.command("pattern check") == "pattern ok 16 MiB"
    time.sleep(0.1)
    assert number(c, "ticks") > ticks_before  # still running its loop


def same_memory(a, b) -> bool:
    x, y = np.frombuffer(a.memory.view, np.uint64), np.frombuffer(b.memory.view, np.uint64)
    return bool(np.array_equal(x, y))  # the arrays go with this frame: the mappings can be closed later


@pytest.mark.parametrize("backend", BACKENDS)
def test_live_migration_while_dirtying_keeps_memory_clock_counter_and_serial(vms, backend):
    src, c = vms(backend, cmdline="workload=dirty:10")
    assert c.command("pattern fill 16 7").startswith("pattern filled 16 MiB")
    time.sleep(0.5)
    ticks, uptime = number(c, "ticks"), number(c, "uptime")
    c.command("echo before the move")
    dst, _ = vms(backend, boot=False)
    rounds, seen = [], {}

    def progress(figures):
        rounds.append(figures)
        if figures["round"] == 0:  # the guest rewrites its pattern while the migration goes on
            assert c.command("pattern fill 16 8").startswith("pattern filled 16 MiB")

    def before_go():  # the source is stopped, the destination holds all it was sent and waits for GO
        seen["same"] = same_memory(src, dst)
        seen["clock"], seen["at"] = src.guest_clock_ns(), time.monotonic_ns()
        seen["history"] = src.serial_history()
        time.sleep(0.2)  # a slow switch-over: the guest clock must count it

    opts = MigrationOptions(bandwidth=64 * MiB, downtime_limit=0.005)  # a few rounds while the guest dirties
    out, got = migrate(src, dst, opts, progress=progress, before_go=before_go,
                       on_go=lambda: seen.setdefault("on_go", dst.state))
    assert isinstance(out, dict), out
    assert isinstance(got, dict), got
    clock_gap = dst.guest_clock_ns() - seen["clock"]
    assert clock_gap >= time.monotonic_ns() - seen["at"] - 5_000_000  # the clock went on while it was stopped
    assert seen["same"], seen
    assert seen["on_go"] is VmState.STARTING, seen
    check_released(src)
    assert src.reason == "Moved to another host"
    assert len(rounds) >= 2 and all(PROGRESS_KEYS <= set(r) for r in rounds)
    assert [r["round"] for r in rounds] == list(range(len(rounds)))
    assert rounds[0]["sent_bytes"] > 16 * MiB and 0 < rounds[0]["bandwidth"] <= 64 * MiB
    assert max(r["sent_bytes"] for r in rounds[1:]) > 16 * MiB  # the pattern written again after round 0
    assert out["rounds"] == rounds and out["stop_reason"] == "converged"
    assert out["pages_sent"] >= 8192 and out["bytes_sent"] >= out["pages_sent"] * 4096
    assert 0 < out["destination_pause_s"] <= out["downtime_s"] < out["total_s"] < 20
    assert out["downtime_s"] >= 0.2 and out["stop_copy_bytes"] > 0  # the state at least
    assert got["pages_received"] == out["pages_sent"] and got["bytes_received"] == out["bytes_sent"]
    assert got["pause_s"] == pytest.approx(out["destination_pause_s"])

    d = console_after(dst)
    assert dst.state is VmState.RUNNING
    assert d.command("pattern check") == "pattern ok 16 MiB"
    assert number(d, "ticks") >= ticks  # the counter in guest memory went on, no reboot
    assert number(d, "uptime") >= uptime  # so did the guest clock: no jump back
    assert "dirty:10" in d.command("info")
    assert dst.serial_history().startswith(seen["history"])  # the serial history goes on where it was
    assert "before the move" in d.text and d.text.count("Bulkhead guest kernel") == 1


@pytest.mark.skipif(not KVM_USABLE, reason=KVM_SKIP_REASON)
def test_from_kvm_to_emulation_and_back(vms):
    a, c = vms("kvm", cmdline="workload=dirty:10")
    c.command("pattern fill 16 7")
    b, _ = vms("emulation", boot=False)
    out, got = migrate(a, b)
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    assert (out["source_backend"], out["destination_backend"]) == ("kvm", "emulation")
    cb = console_after(b)
    assert cb.command("pattern check") == "pattern ok 16 MiB"
    uptime = number(cb, "uptime")
    back, _ = vms("kvm", boot=False)
    out, got = migrate(b, back)
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    assert (got["source_backend"], got["backend"]) == ("emulation", "kvm")
    check_released(b)
    cc = console_after(back)
    assert cc.command("pattern check") == "pattern ok 16 MiB"
    assert number(cc, "uptime") >= uptime


def test_a_paused_vm_arrives_paused(vms):
    src, c = vms()
    c.command("pattern fill 16 7")
    src.pause()
    clock = src.guest_clock_ns()
    dst, _ = vms(boot=False)
    out, got = migrate(src, dst)
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    assert dst.state is VmState.PAUSED and dst.guest_clock_ns() == clock
    dst.resume()
    assert console_after(dst).command("pattern check") == "pattern ok 16 MiB"


def test_cancel_during_precopy_leaves_the_vm_running_here_unchanged(vms):
    src, c = vms(cmdline="workload=dirty:10")
    c.command("pattern fill 16 7")
    ticks = number(c, "ticks")
    dst, _ = vms(boot=False)
    cancel = threading.Event()
    out, got = migrate(src, dst, MigrationOptions(bandwidth=32 * MiB), progress=lambda f: cancel.set(),
                       cancel=cancel)
    assert isinstance(out, MigrationError) and out.code == "cancelled" and not out.remote, out
    assert len(out.result["rounds"]) == 1
    assert isinstance(got, MigrationError) and got.remote and got.code == "cancelled", got
    assert "the source aborted the migration: the migration was cancelled" in str(got)
    check_released(dst)
    check_runs_on(src, c, ticks)
    assert src.dirty.consumers == [] or "migration" not in src.dirty.consumers
    assert not src._throttle_hold


def test_a_guest_that_powers_off_during_the_migration_ends_it_and_goes_off(vms):
    src, c = vms(cmdline="workload=dirty:10")
    c.command("pattern fill 16 7")
    dst, _ = vms(boot=False)

    def power_off(figures):
        src.send_serial(b"poweroff\r")
        deadline = time.monotonic() + 10
        while src._pending is None:  # the guest's request is in: its handler waits for the migration
            assert time.monotonic() < deadline
            time.sleep(0.01)

    out, got = migrate(src, dst, MigrationOptions(bandwidth=64 * MiB), progress=power_off)
    assert isinstance(out, MigrationError) and out.code == "guest" and "the guest powered off" in str(out), out
    assert isinstance(got, MigrationError) and got.remote, got
    check_released(dst)
    assert src.wait_for_state(VmState.OFF, timeout=10) and src.memory is None


def relay(mutate):
    """A wire between source and destination that hands the source's records to ``mutate(index, header, payload)``,
    which returns the bytes to forward (or None to cut the stream there); the other way bytes pass as they are."""

    def wire(near, far):
        def upstream():
            try:
                while data := far.recv(65536):
                    near.sendall(data)
            except OSError:
                pass
            finally:
                near.shutdown(socket.SHUT_RDWR)

        threading.Thread(target=upstream, daemon=True).start()
        try:
            index = 0
            while True:
                head = near.recv(ms.HEADER.size, socket.MSG_WAITALL)
                if len(head) < ms.HEADER.size:
                    break
                payload = near.recv(ms.HEADER.unpack(head)[3], socket.MSG_WAITALL)
                data = mutate(index, head, payload)
                index += 1
                if data is None:
                    break
                far.sendall(data)
        except OSError:
            pass
        finally:
            far.close()

    return wire


def first_of(rtype, change):
    def mutate(index, head, payload):
        if head[0] == rtype and not getattr(mutate, "done", False):
            mutate.done = True
            return change(head, bytearray(payload))
        return head + payload

    return mutate


def flip_a_byte(head, payload):
    payload[-100] ^= 0x40
    return head + payload


def page_out_of_range(head, payload):
    struct.pack_into("<I", payload, 8, 64 * MiB // 4096)  # the first page number: one past the end
    return ms.HEADER.pack(ms.PAGES, 0, 0, len(payload), zlib.crc32(payload)) + payload


def oversized(head, payload):
    return ms.HEADER.pack(ms.PAGES, 0, 0, ms.MAX_PAYLOAD + 1, 0)


def wrong_round(head, payload):
    struct.pack_into("<I", payload, 0, 7)
    return ms.HEADER.pack(ms.PAGES, 0, 0, len(payload), zlib.crc32(payload)) + payload


def wild_registers(head, payload):
    state = json.loads(payload)
    state["registers"][0]["rip"] = 1 << 40
    raw = json.dumps(state).encode()
    return ms.HEADER.pack(ms.STATE, 0, 0, len(raw), zlib.crc32(raw)) + raw


def test_a_hostile_stream_breaks_only_the_incoming_vm_and_the_source_resumes(vms):
    src, c = vms(cmdline="workload=dirty:10")
    c.command("pattern fill 16 7")
    cases = [(ms.PAGES, flip_a_byte, "crc", "does not match its crc32"),
             (ms.PAGES, page_out_of_range, "page", "names page 16384, outside the VM's 16384 pages"),
             (ms.PAGES, oversized, "length", "over the 16,842,752-byte limit"),
             (ms.PAGES, wrong_round, "order", "a PAGES record of round 7 came in round 0"),
             (ms.STATE, wild_registers, "invalid", "instruction pointer 0x10000000000 is outside guest memory")]
    for rtype, change, code, match in cases:  # the last comes once the source has stopped the VM
        ticks = number(c, "ticks")
        dst, _ = vms(boot=False)
        out, got = migrate(src, dst, wire=relay(first_of(rtype, change)))
        assert isinstance(got, StreamError) and got.code == code and re.search(match, str(got)), got
        check_released(dst)
        assert isinstance(out, MigrationError) and out.remote and out.code == code, out
        assert "the destination refused the migration" in str(out) and re.search(match, str(out))
        check_runs_on(src, c, ticks)
    dst, _ = vms(boot=False)
    out, got = migrate(src, dst)  # and it can still move
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    assert console_after(dst).command("pattern check") == "pattern ok 16 MiB"


def fake_destination(sock, seen, *, close_on=None, count=1, disk=None, held=None):
    """A destination that answers READY, drains the stream, says PREPARED on STATE (having opened ``disk`` into
    ``held``) and on GO closes without RUNNING (or closes on the ``count``-th ``close_on`` record); the records it
    saw go to ``seen``."""
    ch = Channel(sock, timeout=10)
    try:
        ch.recv()
        ch.send_json(ms.READY, {"format": ms.FORMAT_VERSION, "backend": "fake"})
        while True:
            rec = ch.recv()
            seen.append(rec.name)
            if rec.name == close_on and seen.count(close_on) >= count:
                return
            if rec.type == ms.STATE:
                if disk is not None:
                    held.append(open_disk(disk))
                ch.send_json(ms.PREPARED, {})
            if rec.type == ms.GO:
                return
    except StreamError:
        return
    finally:
        sock.close()


def test_a_shared_disk_goes_with_the_vm_and_stays_when_the_move_fails(vms, tmp_path):
    path = tmp_path / "shared.img"
    create_disk(path, 16 * MiB, "raw").close()
    src, c = vms(disk=str(path), disk_format="raw")
    c.command("pattern fill 16 7")
    assert c.command("disk write 5 before-the-move").startswith("wrote")
    dst, _ = vms(boot=False, disk=str(path), disk_format="raw")

    def refuse():
        raise OSError(28, "No space left on device")

    out, got = migrate(src, dst, before_go=refuse)  # the destination had opened the disk: it lets go of it
    assert isinstance(out, MigrationError) and "No space left on device" in str(out), out
    assert isinstance(got, MigrationError) and got.code == "failed" and got.remote, got
    check_released(dst)
    assert src.state is VmState.RUNNING and not src._disk_away
    assert c.command("disk write 6 still-here").startswith("wrote")
    dst, _ = vms(boot=False, disk=str(path), disk_format="raw")
    out, got = migrate(src, dst)
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    d = console_after(dst)
    assert d.command("disk read 5") == "before-the-move" and d.command("disk read 6") == "still-here"
    assert d.command("disk write 7 after-the-move").startswith("wrote")
    assert d.command("disk read 7") == "after-the-move"


def run_against(src, opts=None, **fake):
    a, b = socket.socketpair()
    src.seen = seen = []
    t = threading.Thread(target=fake_destination, args=(b, seen), kwargs=fake)
    t.start()
    try:
        return src.migrate_out(a, opts or MigrationOptions(), before_go=lambda: seen.append("before_go"))
    finally:
        t.join(10)
        a.close()


@pytest.mark.parametrize("close_on, count", [("PAGES", 2), ("STATE", 1)])
def test_a_destination_that_goes_away_before_go_leaves_the_vm_running_here(vms, close_on, count):
    src, c = vms(cmdline="workload=dirty:10")
    c.command("pattern fill 16 7")
    ticks = number(c, "ticks")
    with pytest.raises(MigrationError, match="closed the connection") as e:
        run_against(src, close_on=close_on, count=count)  # mid-round, or once the VM was stopped for the last pages
    assert e.value.code == "closed" and not isinstance(e.value, MigrationUnconfirmed)
    assert "before_go" not in src.seen
    check_runs_on(src, c, ticks)


def test_go_without_running_keeps_the_vm_paused_here(vms, tmp_path):
    path = tmp_path / "disk.img"
    create_disk(path, 16 * MiB, "raw").close()
    src, c = vms(cmdline="workload=dirty:10", disk=str(path), disk_format="raw")
    c.command("pattern fill 16 7")
    c.command("disk write 3 kept")
    held = []  # the disk, as a destination that runs the VM holds it
    with pytest.raises(MigrationUnconfirmed, match="did not confirm it runs") as e:
        run_against(src, MigrationOptions(timeout=1.0), disk=path, held=held)
    assert e.value.code == "unconfirmed" and e.value.result["rounds"]
    assert src.seen[-3:] == ["STATE", "before_go", "GO"]
    assert src.state is VmState.PAUSED and src.memory is not None  # never resumed on its own
    clock = src.guest_clock_ns()
    time.sleep(0.2)
    assert src.guest_clock_ns() == clock
    with pytest.raises(TransitionError, match="its disk went to a migration's destination"):
        src.resume()  # while the destination holds the disk the VM does not run here
    assert src.state is VmState.PAUSED
    held.pop().close()
    src.resume()  # what the host does once the destination says it does not have the VM
    assert c.command("pattern check") == "pattern ok 16 MiB"
    assert c.command("disk read 3") == "kept"


def test_auto_converge_throttles_a_guest_that_dirties_faster_than_the_link(vms):
    src, c = vms(cmdline="workload=dirty:2000", memory=16 * MiB)
    c.command("pattern fill 2 7")
    dst, _ = vms(memory=16 * MiB, boot=False)
    rounds = []
    opts = MigrationOptions(bandwidth=24 * MiB, max_rounds=4, downtime_limit=0.01)
    out, got = migrate(src, dst, opts, progress=rounds.append)
    assert isinstance(out, dict) and isinstance(got, dict), (out, got)
    # from the second round on: a step, or at once what brings the dirty rate to half the link (core.model.converge)
    expected = [0, 0]
    for r in rounds[1:]:  # the rate sampled each second of a round, or the round's own figure when it was shorter
        dirtied = (r["sampled_dirty_rate"], 1.0) if r["sampled_dirty_rate"] else (r["remaining_bytes"], r["duration_s"])
        expected.append(next_throttle(expected[-1], *dirtied, r["bandwidth"]))
    assert [r["throttle"] for r in rounds] == expected[:len(rounds)]
    assert rounds[2]["throttle"] > 20  # 2000 MiB/s against 24 MiB/s: held far more than the first step at once
    assert all(r["remaining_bytes"] > r["sent_bytes"] / 2 for r in rounds[1:])
    assert out["throttle"] == expected[len(rounds)] and out["stop_reason"] == "max rounds"
    assert all(r["bandwidth"] <= 24 * MiB for r in rounds)
    assert console_after(dst).command("pattern check") == "pattern ok 2 MiB"


def test_the_throttle_holds_the_vcpus_for_its_share(vms):
    from core.engine.partition_migration import _Throttle
    from core.model.converge import THROTTLE_MAX

    src, c = vms(cmdline="workload=cpu:100")

    def cpu_share(seconds: float) -> float:
        before, t0 = sum(src.vcpu_cpu_ns()), time.monotonic()
        time.sleep(seconds)
        return (sum(src.vcpu_cpu_ns()) - before) / 1e9 / (time.monotonic() - t0)

    time.sleep(0.3)
    free = cpu_share(0.6)
    throttle = _Throttle(src)
    steps = []
    while throttle.percent < THROTTLE_MAX:
        throttle.step()
        steps.append(throttle.percent)
    assert steps == [20, 30, 40, 50, 60, 70, 80, 90, 99]  # with nothing measured: steps
    try:
        time.sleep(0.2)
        held = cpu_share(1.0)
        assert c.command("echo still here") == "still here"  # held, not stopped
    finally:
        throttle.stop()
    assert held < 0.1 and held < free / 3, (held, free)
    assert not src._throttle_hold and cpu_share(0.5) > held


def test_options_and_states_are_checked(vms):
    src, _ = vms(boot=False)
    a, b = socket.socketpair()
    with pytest.raises(ValueError, match="downtime_limit"):
        src.migrate_out(a, MigrationOptions(downtime_limit=0))
    with pytest.raises(ValueError, match="bandwidth"):
        src.migrate_out(a, MigrationOptions(bandwidth=-1))
    with pytest.raises(Exception, match="cannot migrate VM 'mover': it is Off"):
        src.migrate_out(a, MigrationOptions())
    running, _ = vms()
    with pytest.raises(MigrationError, match="it is Running") as e:
        running.migrate_in(b)
    assert e.value.code == "state" and running.state is VmState.RUNNING
    a.close()
    b.close()
