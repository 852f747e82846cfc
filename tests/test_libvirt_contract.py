"""libvirt connections on the one host contract (core/hosts/registry.py), against libvirt's test driver in this
process: the methods it registers, refusals with reasons (never "unknown method"), capabilities, the host's own
limits, disk.new (the drift bug: capabilities() said supported, the call said unknown), names and states from
core.model, arguments checked before anything runs, jobs with target names, a host that cannot be reached."""

from __future__ import annotations

import ast
import socket
import time
from pathlib import Path

import pytest

from core.api import Connection
from core.model.errors import NotFound, ServiceUnavailable, StateError, UsageError
from core.model.methods import CAPABILITIES, METHODS

libvirt = pytest.importorskip("libvirt", reason="libvirt-python is not installed (tools/ci-libvirt.sh install)")

from core.hosts.registry import implemented  # noqa: E402
from core.libvirt.transport import LibvirtTransport  # noqa: E402

from .helpers.libvirt_test import connections, node_uri  # noqa: E402, F401

MiB = 1 << 20
NOT_ON_LIBVIRT = {"vm.kvp.set", "switch.new", "switch.remove", "switch.rename", "host.stop", "vm.move.storage"}
NOT_ON_LIBVIRT |= {"vm.move", "vm.move.begin", "vm.move.prepare", "vm.move.send", "vm.move.receive", "vm.move.status",
                   "vm.move.resolve", "vm.move.abort", "vm.move.describe", "vm.move.check"}  # between Bulkhead hosts
NOT_ON_LIBVIRT |= {"host.scan", "vm.convert.physical"}  # a physical machine is captured by a Bulkhead host
NOT_ON_LIBVIRT |= {"vm.export.ova"}  # a Bulkhead VM's package; a domain's disks are exported with qemu-img
# a Bulkhead VM's folder; a domain is exported with virsh dumpxml
NOT_ON_LIBVIRT |= {"vm.export", "vm.import", "vm.import.read"}


def test_registers_every_declared_method_but_what_libvirt_has_not():
    assert LibvirtTransport.kind == "libvirt" and LibvirtTransport.describe_kind == "libvirt connections"
    have = implemented(LibvirtTransport)
    assert set(METHODS) - set(have) == NOT_ON_LIBVIRT
    import core.libvirt.transport as module

    # one table of methods, the model's (no table of the transport's own)
    assert getattr(module, "METHODS", METHODS) is METHODS and not hasattr(module, "NOT_HERE")


def test_refusals_say_why_never_unknown_method(make):
    conn = make()
    for method, params, why in (("switch.new", {"name": "lan"}, r"virsh net-define"),
                                ("switch.remove", {"name": "default"}, r"virsh net-define"),
                                ("host.stop", {}, r"not Bulkhead's to stop"),
                                ("vm.kvp.set", {"vm": "test", "key": "a", "value": "b"}, r"key-value pairs"),
                                ("host.scan", {}, r"capture the machine onto a Bulkhead host"),
                                ("vm.convert.physical", {"disks": ["/dev/sda"]}, r"bulkhead convert physical"),
                                ("vm.export.ova", {"vm": "test", "path": "/tmp/test.ova"},
                                 r"export the domain's disks with qemu-img")):
        with pytest.raises(StateError, match=why) as e:
            conn.call(method, **params)
        assert "unknown method" not in str(e.value)
        assert e.value.to_dict()["code"] == "method.unavailable"
    caps = conn.capabilities()
    assert set(caps) == {*CAPABILITIES, "reasons", "connected", "kind"} and caps["connected"] is True
    assert caps["kind"] == "libvirt"
    assert caps["pools"] is True and caps["metrics"] is True
    assert {k for k in CAPABILITIES if not caps[k]} == {"kvp", "switches", "host_stop", "migrate", "console",
                                                        "new_disk", "move_storage", "move", "convert_physical",
                                                        "export_ova", "export"}
    assert caps["reasons"]["host_stop"] == "a libvirt host's daemon is not Bulkhead's to stop"
    assert conn.jobs() == []


def test_disk_new_is_refused_with_the_reason_capabilities_give(make):
    """The drift bug: capabilities() said new_disk, the call said "unknown method 'disk.new'". The test driver has
    no disk files (nor has a host on another machine): capabilities() says so, and the call refuses with the same
    reason, pointing at storage volumes made with the VM (the volume path itself: test_libvirt_qemu_disks.py)."""
    conn = make()
    caps = conn.capabilities()
    reason = caps["reasons"]["new_disk"]
    assert caps["new_disk"] is False and "vm new NAME --disk-size SIZE --pool POOL" in reason
    for path in ("/default-pool/data.qcow2", "/var/tmp/elsewhere.qcow2"):
        with pytest.raises(StateError) as e:
            conn.new_disk(path, "64M")
        assert str(e.value) == reason and "unknown method" not in str(e.value)
    with pytest.raises(UsageError, match=r"size must be between"):  # argument checks come first
        conn.call("disk.new", path="/default-pool/u.qcow2", size=-1)
    assert conn.jobs() == [] and conn._transport._conn.storagePoolLookupByName("default-pool").listVolumes() == []
    # a storage volume made with the VM is the way there
    job = conn.new_vm("withdisk", disk_size="64M", pool="default-pool").wait(timeout=10, check=True)
    assert job.result["disk"] == "/default-pool/withdisk.qcow2"


def test_limits_are_the_hosts_and_new_vm_keeps_to_them(make, node):
    conn = make(node)
    limits = conn.limits()
    assert (limits.memory_min, limits.memory_max, limits.memory_step) == (MiB, 8192 * MiB, MiB)
    assert limits.vcpus_max == 4 and limits.cmdline_max == 0
    assert limits.memory_reason == f"{node} has 8,192 MiB" and node in limits.vcpus_reason
    assert conn.call("host.limits") == limits.to_dict()
    with pytest.raises(UsageError, match=r"at most 8192 MiB \(test://.* has 8,192 MiB\)"):
        conn.new_vm("big", memory="9G")
    with pytest.raises(UsageError, match=r"between 1 and 4 \(test://.* has 4 logical processors\)"):
        conn.new_vm("wide", vcpus=5)
    with pytest.raises(UsageError, match=r"multiple of 1 MiB"):
        conn.call("vm.new", name="odd", memory=MiB + 512)
    with pytest.raises(UsageError, match=r"at least 1 MiB"):
        conn.call("vm.set", vm="db1", memory=512 * 1024)
    assert conn.jobs() == []


def test_names_and_states_from_the_one_vocabulary(make, node):
    conn = make(node)
    for taken in ("WEB1", "ｗｅｂ１"):  # case and width: the same name
        with pytest.raises(UsageError, match=r"a VM named 'web1' already exists .* case or width"):
            conn.new_vm(taken)
    with pytest.raises(UsageError, match=r"format characters \(found U\+200B"):
        conn.new_vm("we\u200bb2")
    with pytest.raises(UsageError, match=r"a VM named 'web1' already exists"):
        conn.set_vm("db1", name="Web1")
    job = conn.set_vm("db1", name="DB1").wait(timeout=10, check=True)  # its own name in other letters
    assert job.result["name"] == "DB1" and job.target_name == "DB1"
    with pytest.raises(StateError, match=r"cannot reset VM 'DB1': it is Off \(reset needs Running or Paused\)"):
        conn.restart_vm("DB1")
    with pytest.raises(UsageError, match=r"automatic_start_action: choose nothing, start_if_running, always_start"):
        conn.set_vm("DB1", automatic_start_action="sometimes")
    # turn_off's states are the model's: a paused VM may be turned off
    assert conn.stop_vm("batch", mode="turn_off").wait(timeout=10, check=True).result["state"] == "Off"
    with pytest.raises(UsageError, match=r"nothing to change"):
        conn.call("vm.set", vm="DB1")


def test_arguments_are_checked_before_anything_runs(make):
    conn = make()
    for method, params, why in (("vm.start", {"vm": 5}, r"vm.start: vm must be text"),
                                ("vm.stop", {"vm": "test", "timeout": float("nan")}, r"finite"),
                                ("vm.stop", {"vm": "test", "timeout": -1.0}, r"timeout must be between"),
                                ("vm.new", {"name": "x", "memory": "lots"}, r"memory must be a number of bytes"),
                                ("vm.new", {"name": "x", "vcpus": True}, r"vcpus must be a whole number"),
                                ("job.show", {"job": 0}, r"job must be between"),
                                ("vm.migrate", {"vm": "test"}, r"missing required argument 'destination'")):
        with pytest.raises(UsageError, match=why):
            conn.call(method, **params)
    assert conn.vm("test").state == "Running" and conn.jobs() == []


def test_jobs_and_alerts_through_the_shared_calls_keep_target_names(make, node):
    conn = make(node)
    job = conn.pause_vm("web1").wait(timeout=10, check=True)
    assert conn.job(job.id).target_name == "web1"
    with pytest.raises(StateError, match="finished"):
        conn.cancel_job(job.id)
    with pytest.raises(NotFound, match="no job 999"):
        conn.job(999)
    assert [j.id for j in conn.jobs(vm="web1")] == [job.id] and conn.jobs(vm="db1") == []
    with pytest.raises(NotFound, match="no VM named 'nope'"):
        conn.jobs(vm="nope")
    assert conn.alerts(vm="web1") == []
    conn.resume_vm("web1").wait(check=True)
    removed = conn.remove_vm("db1").wait(timeout=10, check=True)
    assert conn.job(removed.id).target_name == "db1"  # the history keeps the last name seen


def test_a_host_that_cannot_be_reached_refuses_with_the_reason(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    t = LibvirtTransport(f"qemu+tcp://127.0.0.1:{port}/system", tmp_path, connect_timeout=2, wait=2)
    conn = Connection(t, "away")
    try:
        deadline = time.monotonic() + 5
        while t.status()["state"] != "disconnected" and time.monotonic() < deadline:
            time.sleep(0.05)
        caps = conn.capabilities()
        assert caps["connected"] is False and "is disconnected" in caps["reason"]
        assert [k for k in CAPABILITIES if caps[k]] == ["metrics"]  # the history is kept here
        assert caps["reasons"]["start"] == caps["reason"] and caps["reasons"]["kvp"].startswith("libvirt domains")
        with pytest.raises(ServiceUnavailable, match=r"qemu\+tcp://127.0.0.1:\d+/system is disconnected"):
            conn.start_vm("anything")
        with pytest.raises(ServiceUnavailable, match="disconnected"):
            conn.limits()
        assert conn.jobs() == [] and conn.status()["state"] == "disconnected"
    finally:
        conn.close()


def test_libvirt_never_imports_the_local_host():
    folder = Path(__file__).resolve().parent.parent / "core" / "libvirt"
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            for name in names:
                assert not name.startswith(("core.local", "core.service")), f"{path.name} imports {name}"
        assert len(path.read_text().splitlines()) <= 600, path.name
