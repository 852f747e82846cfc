"""libvirt connections against libvirt's test driver (in this process): everything the test driver supports,
through the same controller API (core.api.Connection) as the embedded engine."""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time

import pytest

from core.api import Connection
from core.model.errors import NotFound, ServiceUnavailable, StateError, UsageError

libvirt = pytest.importorskip("libvirt", reason="libvirt-python is not installed (tools/ci-libvirt.sh install)")

from core.libvirt import ConnectionStore, validate_uri  # noqa: E402

from .helpers.events import EventLog  # noqa: E402
from .helpers.libvirt_test import connections, node_uri  # noqa: E402, F401


class Events(EventLog):
    def states(self, name: str) -> list[str]:
        with self.cond:
            return [d["state"] for k, d in self.items if k == "vm.state" and d["name"] == name]


def test_connects_and_reports_the_host(make):
    started = time.monotonic()
    conn = make()
    assert time.monotonic() - started < 5
    t = conn._transport
    assert t.status()["state"] == "connected"
    info = conn.host_info()
    assert info["backend"] == "libvirt" and info["store"] == "test:///default"
    assert "libvirt" in info["backend_description"]
    caps = info["capabilities"]
    assert caps["logical_processors"] >= 1 and caps["memory_bytes"] > 0 and caps["cpu_model"]
    assert info["vms"] == 1 and info["vm_states"] == {"Running": 1}
    assert info["status"]["state"] == "connected" and info["notice"] == ""


def test_several_domains_read_into_the_vm_model(make, node):
    conn = make(node)
    vms = {v.name: v for v in conn.vms()}
    assert {n: v.state for n, v in vms.items()} == {"web1": "Running", "db1": "Off", "batch": "Paused"}
    web = conn.vm("web1")
    assert web.memory == 256 << 20 and web.vcpus == 2 and web.notes == "front end"
    assert web.disk == "/guest/web1.qcow2" and web.disk_controller == "virtio" and web.network == "default"
    assert conn.vm(web.id).name == "web1"  # by UUID too
    raw = conn.call("vm.show", vm="web1")
    assert raw["interfaces"][0]["mac"] == "52:54:00:00:00:01" and raw["persistent"] is True
    assert conn.vm("db1").counters is None
    with pytest.raises(NotFound, match="no VM named 'nope'"):
        conn.vm("nope")
    assert [s["name"] for s in conn.switches()] == ["default"]


def test_lifecycle_through_jobs_with_events(make, node):
    conn = make(node)
    ev = Events(conn)
    steps = [(conn.pause_vm, {}, "Paused"), (conn.resume_vm, {}, "Running"),
             (conn.stop_vm, {"mode": "save"}, "Saved"), (conn.start_vm, {}, "Running"),
             (conn.restart_vm, {}, "Running"), (conn.stop_vm, {"mode": "shut_down"}, "Off"),
             (conn.start_vm, {}, "Running"), (conn.stop_vm, {"mode": "turn_off"}, "Off")]
    for fn, kw, state in steps:
        job = fn("web1", **kw)
        assert job.state in ("Queued", "Running") and job.target_name == "web1"
        job = job.wait(timeout=10, check=True)
        assert job.result["state"] == state, (fn.__name__, kw, job.result)
    ev.wait_for(lambda k, d: k == "vm.state" and d["name"] == "web1" and d["state"] == "Off")
    assert ev.states("web1") == ["Paused", "Running", "Saved", "Running", "Off", "Running", "Off"]
    first = next(d for k, d in ev.items if k == "vm.state")
    assert set(first) == {"id", "name", "state", "reason"}
    kinds = {k for k, _ in ev.items}
    assert {"job.created", "job.progress", "job.finished"} <= kinds
    jobs = conn.jobs(vm="web1")
    assert len(jobs) == len(steps) and all(j.state == "Completed" and j.target_name == "web1" for j in jobs)
    assert conn.job(jobs[0].id).name == "Turn off VM"
    # a saved VM turned off loses its saved state
    conn.start_vm("db1").wait(check=True)
    conn.stop_vm("db1", mode="save").wait(check=True)
    assert conn.vm("db1").state == "Saved"
    assert conn.stop_vm("db1", mode="turn_off").wait(check=True).result["state"] == "Off"


def test_refusals_before_any_job(make, node):
    conn = make(node)
    for error, match, refused in (
            (StateError, "cannot pause VM 'db1': it is Off", lambda: conn.pause_vm("db1")),
            (StateError, "cannot remove VM 'web1': it is Running", lambda: conn.remove_vm("web1")),
            (UsageError, "unknown stop mode", lambda: conn.stop_vm("web1", mode="explode")),
            (UsageError, "unknown method", lambda: conn.call("vm.teleport", vm="web1")),
            (UsageError, "unexpected keyword", lambda: conn.call("vm.start", vm="web1", force=True)),
            (StateError, "key-value", lambda: conn.kvp_set("web1", "a", "b")),
            (UsageError, "already exists", lambda: conn.new_vm("web1")),
            (UsageError, "workload profiles", lambda: conn.new_vm("x", workload="cpu:50")),
            (UsageError, "no libvirt network named 'lan'", lambda: conn.new_vm("x", network="lan")),
            (UsageError, "more than", lambda: conn.new_vm("x", memory="64G"))):
        with pytest.raises(error, match=match):
            refused()
    assert conn.jobs() == []


def test_new_vm_set_and_remove(make, node):
    conn = make(node)
    ev = Events(conn)
    job = conn.call("vm.new", name="app", memory=128 << 20, vcpus=2, disk="/guest/app.qcow2", iso="/isos/debian.iso",
                    network="default", notes="made by a test", start=True)
    job = conn.wait_job(job["id"], 10)
    assert job.state == "Completed", job.error
    vm = conn.vm("app")
    assert (vm.state, vm.memory, vm.vcpus, vm.image, vm.network) == ("Running", 128 << 20, 2, "/isos/debian.iso",
                                                                     "default")
    assert job.target == vm.id and job.target_name == "app"
    raw = conn.call("vm.show", vm="app")
    assert [d["device"] for d in raw["disks"]] == ["disk", "cdrom"] and raw["serial_console"]
    ev.wait_for(lambda k, d: k == "vm.added" and d["name"] == "app")
    with pytest.raises(StateError, match="turn it off first"):
        conn.set_vm("app", memory="256M")
    conn.stop_vm("app", mode="turn_off").wait(check=True)
    conn.set_vm("app", memory="256M", vcpus=3, notes="changed", automatic_start_action="always_start").wait(check=True)
    vm = conn.vm("app")
    assert (vm.memory, vm.vcpus, vm.notes, vm.automatic_start_action) == (256 << 20, 3, "changed", "always_start")
    with pytest.raises(UsageError, match="cannot be changed"):
        conn.set_vm("app", workload="idle")
    job = conn.remove_vm("app").wait(check=True)
    assert job.result["kept_files"] == ["/guest/app.qcow2"]
    ev.wait_for(lambda k, d: k == "vm.removed" and d["name"] == "app")
    # the job saw it go and libvirt's UNDEFINED event says so too: told once, and no later event brings it back
    time.sleep(0.5)
    assert [k for k, d in ev.items if d.get("name") == "app" and k in ("vm.removed", "vm.added")][-2:] == \
        ["vm.added", "vm.removed"]
    assert sum(1 for k, d in ev.items if k == "vm.removed" and d["name"] == "app") == 1
    with pytest.raises(NotFound):
        conn.vm("app")
    assert conn.jobs(limit=1)[0].target_name == "app"  # the history keeps the name


def test_new_disk_as_a_storage_volume_and_remove_with_storage(make):
    conn = make()
    pool = libvirt.open("test:///default")  # another connection to the same driver would be a fresh one
    del pool
    with pytest.raises(UsageError, match="no storage pool 'default'"):
        conn.call("vm.new", name="vol", disk_size=1 << 30)
    pools = conn.storage_pools()
    assert [(p["name"], p["active"], p["path"]) for p in pools] == [("default-pool", True, "/default-pool")]
    assert pools[0]["capacity"] >= pools[0]["available"] > 0
    with pytest.raises(UsageError, match="disk_size"):
        conn.new_vm("vol", disk_size="lots", pool="default-pool")
    with pytest.raises(UsageError, match="unknown parameter volume"):
        conn.new_vm("vol", volume="vol.qcow2")
    job = conn.new_vm("vol", disk_size="1G", pool="default-pool").wait(timeout=10)
    assert job.state == "Completed", job.error
    # what the console's View Script shows connects to this host, with the same options
    script = conn.script("vm.new", name="vol", disk_size="1G", pool="default-pool", disk_readonly=True)
    assert script.command_line == ("bulkhead --connect test:///default vm new vol --disk-size 1G "
                                   "--pool default-pool --disk-readonly")
    assert "api.connect(uri='test:///default')" in script.python and "disk_readonly=True" in script.python
    assert conn.script("vm.set", vm="vol", memory="128M").command_line == (
        "bulkhead --connect test:///default vm set vol --memory 128M")
    vm = conn.vm("vol")
    assert vm.disk == "/default-pool/vol.qcow2"
    lv = conn._transport._conn
    assert lv.storagePoolLookupByName("default-pool").listVolumes() == ["vol.qcow2"]
    job = conn.call("vm.remove", vm="vol", delete_storage=True)
    job = conn.wait_job(job["id"], 10)
    assert job.state == "Completed" and job.result["deleted_files"] == ["/default-pool/vol.qcow2"], job
    assert lv.storagePoolLookupByName("default-pool").listVolumes() == []


def test_migration_and_console_are_refused_with_the_reason(make):
    conn = make()
    caps = conn._transport.capabilities()
    assert caps["migrate"] is False and caps["reasons"]["migrate"] == "the test driver cannot migrate"
    assert caps["console"] is False and caps["start"] is True
    assert conn.host_info()["operations"]["migrate"] is False
    with pytest.raises(StateError, match="the test driver cannot migrate"):
        conn.call("vm.migrate", vm="test", destination="qemu+ssh://other/system")
    with pytest.raises(StateError, match="no serial consoles"):
        conn.console_send("test", "hello\r")
    assert conn.console_history("test") == ""
    assert conn.jobs() == []


def test_libvirt_errors_are_one_line(make, node):
    conn = make(node)
    job = conn.set_vm("db1", vcpus=100).wait(timeout=10)
    assert job.state == "Failed"
    assert "\n" not in job.error and job.error.startswith("Change VM settings 'db1': ")
    assert "exceeds maximum" in job.error
    from core.libvirt.transport import libvirt_error

    try:
        libvirt.open("test:///default").lookupByName("missing")
    except libvirt.libvirtError as e:
        err = libvirt_error(e, "VM 'missing'")
    assert isinstance(err, NotFound) and str(err) == "VM 'missing': Domain not found"


def test_metrics_measure_and_alert_rules(make, node):
    conn = make(node, tick=3600)  # ticks by hand
    t = conn._transport
    events = Events(conn)
    now = time.time()
    t.tick(now - 2)
    sample = t.tick(now - 1)
    web = conn.vm("web1")
    assert set(sample) == {"t", "host", "vms"} and web.id in sample["vms"]
    assert sample["host"]["vms_running"] == 2  # web1 running, batch paused
    events.wait_for(lambda k, d: k == "metrics")
    h = conn.metrics_history("web1", 60)
    assert len(h["t"]) >= 2 and set(h["series"]) >= {"cpu_percent", "memory_assigned", "disk_read_bps"}
    m = conn.measure_vm("web1", 60)
    assert m["vm"] == "web1" and m["samples"] >= 2 and m["assigned_memory_bytes"] == 256 << 20
    assert conn.metrics_history("host", 60)["series"]["vms_running"][-1] == 2
    assert {r["id"] for r in conn.alert_rules()} >= {"cpu_high", "vm_critical"}
    assert conn.alerts() == []
    assert t.tick_seconds and max(t.tick_seconds) < 1


def _wait_disconnected(t, timeout: float = 5.0) -> None:
    """Give the transport ``timeout`` seconds to say it is disconnected (the test checks its status after)."""
    deadline = time.monotonic() + timeout
    while t.status()["state"] != "disconnected" and time.monotonic() < deadline:
        time.sleep(0.05)


def test_unreachable_host_does_not_block_and_says_why(tmp_path):
    from core.libvirt.transport import LibvirtTransport

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    started = time.monotonic()
    t = LibvirtTransport(f"qemu+tcp://127.0.0.1:{port}/system", tmp_path, connect_timeout=2, wait=2)
    try:
        assert time.monotonic() - started < 3
        _wait_disconnected(t)
        status = t.status()
        assert status["state"] == "disconnected" and status["reason"], status
        with pytest.raises(ServiceUnavailable, match="disconnected"):
            Connection(t, "x").vms()
        info = t.host_info()  # still answers, with the reason
        assert info["status"]["state"] == "disconnected" and "disconnected" in info["notice"]
        assert t.capabilities()["connected"] is False
    finally:
        t.close()


def test_silent_host_times_out_in_the_background(tmp_path):
    from core.libvirt.transport import LibvirtTransport

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        try:
            while True:
                accepted.append(server.accept()[0])  # and never answer
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    started = time.monotonic()
    t = LibvirtTransport(f"qemu+tcp://127.0.0.1:{port}/system", tmp_path, connect_timeout=1, wait=3)
    try:
        assert time.monotonic() - started < 4
        _wait_disconnected(t)
        assert "no answer" in t.status()["reason"] and "within 1 s" in t.status()["reason"]
    finally:
        server.close()
        for c in accepted:
            c.close()
        closing = time.monotonic()
        t.close()
        assert time.monotonic() - closing < 10


def test_uri_validation():
    for uri in ("qemu:///system", "qemu:///session", "qemu+ssh://user@host/system", "qemu+tls://host/system",
                "qemu+ssh://admin@10.0.0.5:2222/system?keyfile=/k", "test:///default", "test:///tmp/node.xml",
                "qemu:///system?socket=/run/x/libvirt-sock"):
        assert validate_uri(uri) == uri
    for uri, why in (("", "empty"), ("qemu:///", "/system or /session"), ("qemu+ssh:///system", "needs a host"),
                     ("xen:///system", "unsupported scheme"), ("test://host/default", "takes no host"),
                     ("test:///tmp/node.txt", "XML file"), ("qemu:///sys tem", "spaces"),
                     ("qemu://otherhost/system", "this machine"), ("system", "not a libvirt URI")):
        with pytest.raises(UsageError, match=why):
            validate_uri(uri)


def test_connection_store(tmp_path):
    store = ConnectionStore(tmp_path)
    assert store.list() == []
    a = store.add("qemu:///system")
    assert a["name"] == "localhost (system)"
    store.add("qemu+ssh://admin@rack1/system", name="rack1", group="Lab")
    with pytest.raises(UsageError, match="already saved"):
        store.add("qemu:///system", name="again")
    with pytest.raises(UsageError, match="already exists"):
        store.add("test:///default", name="RACK1")
    with pytest.raises(UsageError, match="unsupported scheme"):
        store.add("vbox:///session")
    again = ConnectionStore(tmp_path)  # persisted
    assert [(c["name"], c["group"]) for c in again.list()] == [("localhost (system)", ""), ("rack1", "Lab")]
    data = json.loads((tmp_path / "libvirt-connections.json").read_text())
    assert data["format"] == 1 and len(data["connections"]) == 2
    assert not list(tmp_path.glob(".vm.json.*"))  # no temp file left behind
    assert again.get("rack1")["uri"] == "qemu+ssh://admin@rack1/system"
    assert again.remove("qemu:///system")["name"] == "localhost (system)"
    with pytest.raises(NotFound):
        again.remove("qemu:///system")
    (tmp_path / "libvirt-connections.json").write_text("{broken")
    with pytest.raises(UsageError, match="damaged"):
        again.add("test:///default")
    assert (tmp_path / "libvirt-connections.json").read_text() == "{broken"  # left as it was


def test_host_verbs(tmp_path, capsys):
    from core.cli.host import register_host_verbs

    parser = argparse.ArgumentParser()
    parser.add_argument("--home")
    sub = parser.add_subparsers(dest="noun")
    host = sub.add_parser("host")
    register_host_verbs(host.add_subparsers(dest="verb"))

    def run(*argv):
        args = parser.parse_args(["--home", str(tmp_path), "host", *argv])
        return args.func(args)

    assert run("list") == 0 and "No saved connections" in capsys.readouterr().out
    assert run("add", "test:///default", "--name", "demo", "--group", "Lab", "--check") == 0
    out = capsys.readouterr().out
    assert "saved test:///default as 'demo'" in out and "demo: connected" in out
    assert run("list", "--status", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert items[0]["name"] == "demo" and items[0]["status"]["state"] == "connected"
    assert run("remove", "demo") == 0 and "forgot 'demo'" in capsys.readouterr().out
    with pytest.raises(NotFound):
        run("remove", "demo")
