"""Synthetic devices with the real guest kernel on both backends: disks, the virtual switch, integration services,
and a guest that corrupts its own ring beside a healthy VM."""

import re

import pytest

from core.engine import VmState
from core.engine.storage import create_disk
from core.engine.vswitch import VirtualSwitch, mac_for

from .conftest import MiB
from .helpers import waiting


@pytest.fixture
def start(boot):
    """start(name, cmdline='', **devices) -> (partition, console): a 64 MiB, one-vCPU VM at its prompt."""
    return boot


def until(predicate, timeout=10.0, what="condition"):
    waiting.wait(predicate, timeout, what)


@pytest.mark.parametrize("kind", ["dynamic", "fixed"])
def test_disk_data_crosses_between_synthetic_and_emulated_paths(start, tmp_path, kind):
    path = str(tmp_path / f"shared-{kind}.vhd")
    create_disk(path, 16 * MiB, kind).close()
    p, c = start("writer", disk=path, disk_controller="synthetic")
    assert "synthetic" in c.command("disk")
    c.command("disk write 100 written-through-vmbus")
    p.turn_off()
    q, d = start("reader", disk=path, disk_controller="emulated")
    assert "emulated" in d.command("disk")
    assert d.command("disk read 100") == "written-through-vmbus"
    d.command("disk write 101 written-through-ide")
    q.turn_off()
    r, e = start("again", disk=path, disk_controller="synthetic")
    assert e.command("disk read 101") == "written-through-ide"
    counters = r.snapshot_counters()
    assert counters["devices"]["storage"]["read_ops"] >= 1


def test_ping_between_two_vms_on_a_private_switch(start):
    switch = VirtualSwitch("lab", "private")
    a, ca = start("ping-a", switch=switch, mac=mac_for("a"), cmdline="ip=192.0.2.11")
    b, cb = start("ping-b", switch=switch, mac=mac_for("b"), cmdline="ip=192.0.2.12")
    reply = ca.command("ping 192.0.2.12 3", timeout=30)
    assert "reply from 192.0.2.12" in reply and "3 sent, 3 received" in reply, reply
    assert switch.snapshot()["mac_table"]  # it learned both adapters
    assert b.state is VmState.RUNNING


def test_internal_switch_reaches_the_parent_partition(start):
    switch = VirtualSwitch("hostnet", "internal")
    a, ca = start("inside", switch=switch, mac=mac_for("i"), cmdline="ip=192.0.2.20")
    assert "2 received" in ca.command("ping 192.0.2.1 2", timeout=30)


def test_graceful_shutdown_through_the_integration_service(start):
    p, c = start("polite")
    until(lambda: p.vsp("shutdown").channel.state == "open", what="the shutdown channel to open")
    p.request_shutdown()
    assert p.wait_for_state(VmState.OFF, timeout=15)
    assert "shutdown requested by the host" in c.text


def test_heartbeat_stops_and_resumes_with_the_guest(start):
    p, c = start("beating")
    until(lambda: p.heartbeat() == "OK", timeout=10, what="heartbeat OK")
    c.command("heartbeat stop")
    until(lambda: p.heartbeat() == "Lost Communication", timeout=10, what="Lost Communication")
    c.command("heartbeat start")
    until(lambda: p.heartbeat() == "OK", timeout=10, what="heartbeat OK again")
    p.pause()
    assert p.heartbeat() == "Paused"
    p.resume()


def test_kvp_values_round_trip(start):
    p, c = start("kvp-vm", cmdline="hostname=kvphost")
    until(lambda: p.kvp()["guest"].get("HostName") == "kvphost", what="the guest's HostName")
    assert p.kvp()["guest"]["OSName"] == "Bulkhead guest kernel"
    p.kvp_push("Owner", "lab team")
    until(lambda: "lab team" in c.command("kvp get Owner"), what="the pushed key in the guest")
    assert "Owner=lab team" in c.command("kvp")


def test_a_guest_that_corrupts_its_ring_fails_only_that_channel(start, tmp_path):
    path = str(tmp_path / "d.vhd")
    create_disk(path, 8 * MiB, "dynamic").close()
    create_disk(str(tmp_path / "h.vhd"), 8 * MiB, "dynamic").close()
    healthy, hc = start("healthy", disk=str(tmp_path / "h.vhd"))
    evil, ec = start("evil", disk=path)
    ec.command("vmbus corrupt storage")
    until(lambda: "storage" in evil.device_failures, what="the storage channel to fail")
    assert "ring" in evil.device_failures["storage"]
    assert evil.state is VmState.RUNNING
    assert ec.command("echo still alive") == "still alive"
    hc.command("disk write 5 healthy-data")
    assert hc.command("disk read 5") == "healthy-data"
    assert healthy.device_failures == {}


def test_save_and_restore_with_open_channels(start, tmp_path):
    path = str(tmp_path / "s.vhd")
    create_disk(path, 8 * MiB, "dynamic").close()
    p, c = start("saver", disk=path)
    c.command("disk write 7 before-save")
    p.save(tmp_path / "saver.state")
    p.start()
    assert c.command("disk read 7") == "before-save"
    c.command("disk write 8 after-restore")
    assert c.command("disk read 8") == "after-restore"
    until(lambda: p.heartbeat() == "OK", what="heartbeat after restore")


def test_bench_disk_reports_both_paths(start, tmp_path):
    path = str(tmp_path / "b.vhd")
    create_disk(path, 16 * MiB, "dynamic").close()
    p, c = start("bench", disk=path, disk_controller="synthetic")
    out = c.command("bench disk 256 64", timeout=60)
    m = re.search(r"bench disk synthetic write (\d+) B (\d+) ns read (\d+) B (\d+) ns", out)
    assert m and int(m.group(1)) == 256 * 1024, out
