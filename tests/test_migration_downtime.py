"""The live migration's switch-over, timed: over TCP the small records leave at once (TCP_NODELAY), a VM without
a disk has its machine and devices built while the memory comes (the stop-and-copy only restores state), and the
result says where the downtime went (``timeline``) and what the guest saw (``guest_downtime_s``)."""

from __future__ import annotations

import socket
import threading

from core.engine.partition_migration import MigrationOptions

from .test_engine_migration import hypervisors, vms  # noqa: F401 - the fixtures

STEPS = ("parked", "last_pages_sent", "state_sent", "prepared_received", "before_go_done", "go_sent",
         "running_received")
DEST_STEPS = ("dest_state_received", "dest_state_applied", "dest_prepared_sent", "dest_go_received",
              "dest_on_go_done", "dest_launched", "dest_running_sent")


def tcp_pair():
    with socket.create_server(("127.0.0.1", 0)) as server:
        a = socket.create_connection(server.getsockname())
        b, _ = server.accept()
    return a, b


def test_a_move_over_tcp_is_timed_step_by_step_with_small_records_sent_at_once(vms):  # noqa: F811
    src, c = vms(cmdline="workload=dirty:10")
    assert c.command("pattern fill 16 7").startswith("pattern filled")
    dst, _ = vms(boot=False)
    a, b = tcp_pair()
    got, delays = {}, {}

    def receive():
        try:
            got["in"] = dst.migrate_in(b, on_go=lambda: None)
        except Exception as e:  # noqa: BLE001 - checked below
            got["in"] = e
        delays["b"] = b.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)

    t = threading.Thread(target=receive)
    t.start()
    try:
        out = src.migrate_out(a, MigrationOptions(), before_go=lambda: None)
        delays["a"] = a.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        t.join(30)
        a.close()
        b.close()
    assert isinstance(got["in"], dict), got["in"]
    assert delays["a"] and delays["b"]
    line = out["timeline"]
    assert [line[k] for k in STEPS] == sorted(line[k] for k in STEPS), line
    assert all(k in line for k in DEST_STEPS), line
    assert [line[k] for k in DEST_STEPS] == sorted(line[k] for k in DEST_STEPS), line
    assert line["dest_built_early"] < line["parked"]  # no disk: machine and devices made while the memory came
    assert line["dest_built"] - line["dest_state_received"] < 5  # ms: nothing left to build at the state
    assert 0 < out["guest_downtime_s"] <= out["downtime_s"]
    assert got["in"]["timeline"]["launched"] >= got["in"]["timeline"]["go_received"]
    assert dst.state.value == "Running" and console_ok(dst)


def console_ok(p) -> bool:
    from .test_engine_migration import console_after

    return console_after(p).command("pattern check") == "pattern ok 16 MiB"


def test_a_vm_with_a_disk_opens_it_only_with_the_state(vms, tmp_path):  # noqa: F811
    from core.engine.storage import create_disk

    path = tmp_path / "disk.img"
    create_disk(path, 8 << 20, "raw").close()
    src, c = vms(disk=str(path), disk_format="raw")
    dst, _ = vms(boot=False, disk=str(path), disk_format="raw")
    a, b = socket.socketpair()
    seen = {}

    def receive():
        seen["in"] = dst.migrate_in(b, progress=lambda f: seen.setdefault("round", (dst.disk, dst.machine)))

    t = threading.Thread(target=receive)
    t.start()
    try:
        src.migrate_out(a, MigrationOptions())
    finally:
        t.join(30)
        a.close()
        b.close()
    disk, machine = seen["round"]
    assert disk is None and machine is not None  # during the rounds the source holds the disk; the machine is made
    line = seen["in"]["timeline"]
    assert line["built_early"] < line["state_received"] <= line["built"]
    assert dst.disk is not None and dst.state.value == "Running"
