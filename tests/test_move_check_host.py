"""Before a move, on real hosts: the embedded host's ``vm.move.describe`` (the source) and ``vm.move.check`` (the
destination: rows from its own facts), and the client's ``conn.move_precheck``, ``conn.move_predict`` and
``api.rate_hosts`` between two embedded hosts in this process (and a libvirt test host, where libvirt-python is
installed)."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from core import api
from core.api import placement
from core.local.move_check import STREAM_FORMATS, file_sha256
from core.model.errors import UsageError

from .helpers import waiting
from .helpers.embedded import embedded_pair

MiB = 1 << 20
GiB = 1 << 30
SMALL = 32 * MiB
WAIT = 30.0


@pytest.fixture
def two(tmp_path):
    """(source, destination): two embedded hosts with their own stores; the source's sampler ticks every 0.5 s."""
    with embedded_pair(tmp_path) as pair:
        yield pair


def service(conn):
    return conn._transport.service


def rows_of(topic, rows):
    return [r for r in rows if r["topic"] == topic]


def one(topic, rows):
    found = rows_of(topic, rows)
    assert len(found) == 1, found
    return found[0]


def running_vm(conn, tmp_path, name="web1", switch="lab", workload="idle", disk=True):
    conn.new_switch(switch).wait(WAIT, check=True)
    settings = {}
    if disk:
        path = str(tmp_path / f"{name}.vhd")
        conn.new_disk(path, "16M").wait(WAIT, check=True)
        settings["disk"] = path
    conn.new_vm(name, memory=SMALL, network=switch, workload=workload, start=True, **settings).wait(WAIT,
                                                                                                     check=True)
    return name


def test_the_source_describes_the_vm_with_its_files_identities(two, tmp_path):
    a, _ = two
    running_vm(a, tmp_path)
    d = a.call("vm.move.describe", vm="web1")
    assert (d["name"], d["state"], d["kind"], d["memory"], d["vcpus"]) == ("web1", "Running", "bulkhead", SMALL, 1)
    assert d["backend"] == service(a).hypervisor.backend.name
    disk = d["disks"][0]
    st = os.stat(tmp_path / "web1.vhd")
    assert disk["path"] == str(tmp_path / "web1.vhd") and disk["size"] == st.st_size
    assert disk["format"] == "vhd-dynamic" and len(disk["uuid"]) == 36
    assert (disk["inode"], disk["device"]) == (st.st_ino, st.st_dev)
    from resources import GUEST_IMAGE

    assert d["image"]["bundled"] is True and d["image"]["sha256"] == file_sha256(str(GUEST_IMAGE))[0]
    assert d["network_adapters"] == [{"switch": "lab"}] and d["checkpoints"] == 0
    assert d["protocol"]["stream"] == list(STREAM_FORMATS)


def test_the_destination_checks_a_running_vm_row_by_row(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path)
    d = a.call("vm.move.describe", vm="web1")
    rows = b.call("vm.move.check", vm=d)
    assert one("name", rows)["text"] == "the name 'web1' is free on the destination"
    assert one("memory", rows)["severity"] == "info"
    assert one("processors", rows)["severity"] == "info"
    assert one("backend", rows)["severity"] == ("info" if service(b).hypervisor.backend.name == "kvm" else "warning")
    assert one("image", rows)["text"] == "the guest image is the bundled one, present on the destination"
    # both hosts reach the same file system here: the disk is the same file (same path, size and VHD unique id)
    assert one("disk", rows)["shared"] is True
    assert one("protocol", rows)["text"].startswith("migration stream format 1 (Bulkhead ")
    space = one("space", rows)
    assert space["text"].startswith(str(tmp_path / "b" / "vms")) and space["severity"] == "info"
    net = one("network", rows)
    assert net["severity"] == "error" and net["hint"] == ("map adapter 'lab' to a switch on the destination "
                                                          "(--network-map lab=SWITCH)")
    b.new_switch("lan").wait(WAIT, check=True)
    mapped = b.call("vm.move.check", vm=d, network_map={"lab": "lan"})
    assert one("network", mapped)["text"] == "adapter on 'lab' is mapped to switch 'lan' on the destination"
    b.new_switch("lab").wait(WAIT, check=True)
    assert one("network", b.call("vm.move.check", vm=d))["severity"] == "info"


def test_a_name_used_on_the_destination(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    b.new_vm("WEB1", memory=SMALL).wait(WAIT, check=True)
    r = one("name", b.call("vm.move.check", vm=a.call("vm.move.describe", vm="web1")))
    assert r["severity"] == "error" and r["text"] == "the destination already has a VM named 'WEB1'"


def test_memory_processors_and_the_destination_s_limits(two, tmp_path, monkeypatch):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    d = a.call("vm.move.describe", vm="web1")
    monkeypatch.setattr(service(b), "_memory_free", lambda records: 20 * MiB)
    r = one("memory", b.call("vm.move.check", vm=d))
    assert r["severity"] == "error" and r["hint"] == "free 12 MiB on the destination"
    assert r["text"] == "the destination has 20 MiB of memory free; the VM needs 32 MiB"
    limits = b.limits()
    wide = b.call("vm.move.check", vm=d | {"vcpus": limits.vcpus_max + 1})
    assert one("processors", wide)["severity"] == "error"
    big = b.call("vm.move.check", vm=d | {"memory": limits.memory_max + 2 * MiB})
    assert rows_of("memory", big)[0]["text"].endswith("per VM") and rows_of("memory", big)[0]["severity"] == "error"


def test_a_destination_under_emulation_warns_that_the_guest_will_be_slower(tmp_path):
    a = api.connect(str(tmp_path / "a"), embedded=True)
    e = api.connect(str(tmp_path / "e"), embedded=True, backend="emulation")
    try:
        a.new_vm("web1", memory=SMALL).wait(WAIT, check=True)
        r = one("backend", e.call("vm.move.check", vm=a.call("vm.move.describe", vm="web1")))
        assert r["severity"] == "warning" and "the guest will run slower there" in r["text"]
    finally:
        a.close()
        e.close()


def test_disks_and_images_the_destination_does_not_have(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    d = a.call("vm.move.describe", vm="web1")
    other = tmp_path / "other.img"
    other.write_bytes(b"\0" * 4096)
    image = tmp_path / "guest.elf"
    from resources import GUEST_IMAGE

    image.write_bytes(GUEST_IMAGE.read_bytes())
    described = d | {
        "disks": [{"path": str(tmp_path / "gone.vhd"), "size": 8 * MiB, "format": "vhd-dynamic", "uuid": "x"},
                  {"path": str(other), "size": 4096, "format": "raw", "inode": 1, "device": 1}],
        "image": {"path": str(image), "bundled": False, "sha256": file_sha256(str(image))[0], "size": 1}}
    rows = b.call("vm.move.check", vm=described, bandwidth=float(100 * MiB))
    gone, there = rows_of("disk", rows)
    assert gone["severity"] == "info" and gone["bytes"] == 8 * MiB and "will be copied: under a second at " \
                                                                      "100 MiB/s" in gone["text"]
    assert there["severity"] == "warning" and there["text"].startswith(f"another file is at {other}")
    assert one("image", rows)["text"] == f"the guest image {image} is present on the destination"
    changed = described | {"image": described["image"] | {"sha256": "00" * 32}}
    assert one("image", b.call("vm.move.check", vm=changed))["severity"] == "warning"
    missing = described | {"image": described["image"] | {"path": str(tmp_path / "nowhere.elf")}}
    assert one("image", b.call("vm.move.check", vm=missing))["text"] == "the guest image (1 B) will be copied to " \
                                                                       "the destination"


def test_the_destination_folder_and_its_free_space(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    d = a.call("vm.move.describe", vm="web1")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    r = one("space", b.call("vm.move.check", vm=d, path=str(a_file / "vms")))
    assert r["severity"] == "error" and r["text"] == f"{a_file / 'vms'}: {a_file} is a file, not a folder"
    r = one("space", b.call("vm.move.check", vm=d, path="vms"))
    assert r["severity"] == "error" and "give an absolute path" in r["text"]
    new = tmp_path / "new" / "place"
    r = one("space", b.call("vm.move.check", vm=d, path=str(new)))
    assert r["severity"] == "info" and r["text"].startswith(f"{new} (it will be made): ")
    huge = d | {"disks": [{"path": str(tmp_path / "huge.vhd"), "size": 1 << 60, "format": "vhd-dynamic"}]}
    r = one("space", b.call("vm.move.check", vm=huge))
    assert r["severity"] == "error" and r["text"].endswith("the move needs 1073741824 GiB")
    assert r["hint"].startswith("free ") and "(--path DIR)" in r["hint"]


def test_protocols_checkpoints_and_the_same_vm(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    d = a.call("vm.move.describe", vm="web1")
    r = one("protocol", b.call("vm.move.check", vm=d | {"protocol": {"version": "9.0", "stream": [99]}}))
    assert r["severity"] == "error" and "the source sends 99, the destination reads 1" in r["text"]
    r = one("checkpoints", b.call("vm.move.check", vm=d | {"checkpoints": 2}))
    # a move does not carry a chain of differencing disks yet: refused before anything is sent
    assert r["severity"] == "error" and r["text"].startswith("the VM has 2 checkpoints: a move does not carry")
    assert "checkpoint-remove" in r["hint"]
    same = a.call("vm.move.check", vm=d, type="storage")
    assert one("name", same)["text"] == "VM 'web1' is on this host: only its storage moves"
    assert one("name", a.call("vm.move.check", vm=d))["severity"] == "error"


@pytest.mark.parametrize("params, says", [
    ({"vm": "web1"}, "must be an object"), ({"vm": {}, "type": "teleport"}, "choose live, quick, storage, network"),
    ({"vm": {"name": "x", "memory": "lots", "vcpus": 1}}, "memory must be a whole number"),
    ({"vm": {"name": "x", "memory": 1, "vcpus": 1}, "bandwidth": -1.0}, "bandwidth"),
    ({"vm": {"name": "x", "memory": 1, "vcpus": 1}, "network_map": {"a": 1}}, "network_map")])
def test_bad_checks_are_usage_errors(two, params, says):
    _, b = two
    with pytest.raises(UsageError, match=says):
        b.call("vm.move.check", **params)


# --- the client -------------------------------------------------------------------------------------------------
def test_move_precheck_adds_the_source_s_rows_and_chooses_the_type(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path)
    result = a.move_precheck("web1", b)
    assert (result["vm"], result["type"], result["ok"], result["errors"]) == ("web1", "live", False, 1)
    assert result["type_reason"] == "the VM is Running: it keeps running while its memory moves"
    assert one("state", result["rows"])["text"] == "VM 'web1' is Running: it keeps running during the move"
    assert one("bandwidth", result["rows"])["text"] == "bandwidth not measured; assumed 100 MiB/s"
    assert result["bandwidth_source"] == "assumed"
    b.new_switch("lan").wait(WAIT, check=True)
    fixed = a.move_precheck("web1", b, network_map={"lab": "lan"}, bandwidth=50 * MiB)
    assert fixed["ok"] and fixed["bandwidth_source"] == "given" and not rows_of("bandwidth", fixed["rows"])
    off = a.move_precheck("web1", b, type="live")
    assert off["type"] == "live"
    a.stop_vm("web1", mode="turn_off").wait(WAIT, check=True)
    stopped = a.move_precheck("web1", b, type="live", network_map={"lab": "lan"})
    assert one("state", stopped["rows"])["severity"] == "error" and not stopped["ok"]
    auto = a.move_precheck("web1", b, network_map={"lab": "lan"})
    assert auto["type"] == "network" and auto["ok"]


def test_an_automatic_move_with_files_to_copy_is_a_quick_one(two, tmp_path, monkeypatch):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    b.new_switch("lab").wait(WAIT, check=True)
    assert a.move_precheck("web1", b)["type"] == "live"
    monkeypatch.setattr(service(b), "_image_facts", lambda image: {"state": "missing", "path": ""})
    auto = a.move_precheck("web1", b)
    assert auto["ok"] and auto["type"] == "quick"
    assert auto["type_reason"] == ("the VM is Running, but its files are not all on the destination: it is saved, "
                                   "moved and restored")
    assert one("state", auto["rows"])["text"].startswith("VM 'web1' is Running: it is saved, moved and restored")
    live = a.move_precheck("web1", b, type="live")
    assert not live["ok"] and one("type", live["rows"])["hint"].startswith("move it with --type quick")
    p = a.move_predict("web1", b, bandwidth=float(100 * MiB))
    assert p["type"] == "quick" and p["copy_bytes"] > 0 and p["downtime_s"] == p["total_s"]


def test_move_precheck_to_the_vm_s_own_host(two, tmp_path):
    a, _ = two
    running_vm(a, tmp_path, disk=False)
    r = one("host", a.move_precheck("web1", a)["rows"])
    assert r["severity"] == "error" and r["text"] == "the destination is the VM's own host"
    assert not rows_of("host", a.move_precheck("web1", a, type="storage")["rows"])


def test_move_predict_uses_the_measured_dirty_rate_and_resident_memory(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, workload="dirty:8", disk=False)
    waiting.wait(lambda: (a.measure_vm("web1", 30).get("average_dirty_mib_s") or 0) > 1, WAIT,
                 "a dirty rate measured")
    p = a.move_predict("web1", b, downtime_limit=0.05)
    assert p["type"] == "live" and p["measured"] == {"dirty_rate": True, "resident": True, "bandwidth": False}
    assert 2 * MiB < p["dirty_rate"] < 30 * MiB and 0 < p["resident_bytes"] <= SMALL
    assert p["notes"] == ["bandwidth not measured; assumed 100 MiB/s"]
    assert p["converges"] and p["rounds"] >= 1 and p["downtime_s"] < 0.05
    assert p["data_bytes"] >= p["resident_bytes"] and p["total_s"] > 0
    given = a.move_predict("web1", b, bandwidth=float(4 * MiB), downtime_limit=0.05)
    assert given["bandwidth_source"] == "given" and given["notes"] == [] and given["bandwidth"] == 4 * MiB
    assert given["total_s"] > p["total_s"]
    if given["dirty_rate"] >= given["bandwidth"]:
        assert given["reason"] == "will not converge without throttling"


def test_move_predict_of_an_off_vm_is_a_copy_of_its_files(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    a.stop_vm("web1", mode="turn_off").wait(WAIT, check=True)
    p = a.move_predict("web1", b, bandwidth=float(100 * MiB), copy_bytes=200 * MiB)
    assert p["type"] == "network" and p["downtime_s"] == 0.0 and p["total_s"] == pytest.approx(2.0)
    assert p["notes"] == []
    with pytest.raises(UsageError, match="copy_bytes"):
        a.move_predict("web1", b, copy_bytes=-1)


def test_the_bandwidth_of_the_last_move_between_two_hosts_is_used():
    job = SimpleNamespace(state="Completed", name="Migrate VM", result={
        "destination": "bulkhead+tls://rack2", "rounds": [{"bandwidth": 10 * MiB}, {"bandwidth": 30 * MiB}]})
    src = SimpleNamespace(jobs=lambda limit: [job])
    dst = SimpleNamespace(uri="bulkhead+tls://rack2", description="Bulkhead host rack2")
    assert placement.measured_bandwidth(src, dst) == 20 * MiB
    assert placement.choose_bandwidth(src, dst, None) == (20 * MiB, "measured", "bandwidth 20 MiB/s, as the last "
                                                                              "move between these hosts measured")
    assert placement.choose_bandwidth(src, dst, 5.0)[:2] == (5.0, "given")
    elsewhere = SimpleNamespace(uri="bulkhead+tls://rack3", description="")
    assert placement.choose_bandwidth(src, elsewhere, None)[1] == "assumed"
    with pytest.raises(UsageError, match="bandwidth"):
        placement.choose_bandwidth(src, dst, float("nan"))


def test_rate_hosts_rates_each_candidate_and_names_the_vm_s_own_host(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    service(b).sampler.tick()
    service(b).sampler.tick()
    rated = api.rate_hosts(a, "web1", [b, a, "bulkhead+tls://127.0.0.1:1"], names=["b", "a", "gone"])
    by = {r["host"]: r for r in rated}
    assert set(by) == {"a", "b", "gone"} and rated[-1]["host"] == "gone"
    assert by["gone"]["stars"] == 0 and by["gone"]["explanation"][0].startswith("cannot reach gone: ")
    assert by["a"]["transfer_type"] == "storage" and by["b"]["transfer_type"] == "live"
    assert by["b"]["index"] == 0 and by["gone"]["uri"] == "bulkhead+tls://127.0.0.1:1"
    for r in (by["a"], by["b"]):
        assert r["memory_free"] and r["backend"] == service(a).hypervisor.backend.name
    maximize = api.rate_hosts(a, "web1", [b], goal="maximize", load={"cpu_percent": 50.0})
    assert maximize[0]["host"] == b.description
    with pytest.raises(UsageError, match="goal"):
        api.rate_hosts(a, "web1", [b], goal="everything")
    with pytest.raises(UsageError, match="at least one host"):
        api.rate_hosts(a, "web1", [])


def test_a_libvirt_vm_is_described_from_vm_show_and_its_dirty_rate_is_not_measured(two, tmp_path):
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    a, _ = two
    lv = api.connect(str(tmp_path / "lv"), uri="test:///default")
    try:
        d = placement.describe(lv, "test")
        assert d["kind"] == "libvirt" and d["name"] == "test" and d["memory"] > 0
        result = lv.move_precheck("test", a)
        assert one("kind", result["rows"])["text"] == ("the embedded engine cannot boot a libvirt domain's operating "
                                                       "system")
        p = lv.move_predict("test", a, copy_bytes=0)
        assert p["measured"]["dirty_rate"] is False
        assert any(n.startswith("dirty rate not measured: libvirt hosts do not report one") for n in p["notes"])
        running_vm(a, tmp_path, disk=False)
        to_libvirt = a.move_precheck("web1", lv)["rows"]
        assert one("kind", to_libvirt)["hint"] == "choose a Bulkhead host"
        assert one("host", to_libvirt)["severity"] == "warning"  # it does not check moves itself
        assert one("backend", to_libvirt)["severity"] == "warning"  # the test driver offers no KVM domains
    finally:
        lv.close()


class OlderHost:
    """A connection to a host of an older version: it knows nothing of the precheck's methods."""

    def __init__(self, conn):
        self._conn = conn
        self.description = "an older host"

    def call(self, method, **params):
        if method in ("vm.move.describe", "vm.move.check"):
            raise UsageError(f"unknown method '{method}'")
        return self._conn.call(method, **params)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_a_host_of_an_older_version_is_described_and_checked_from_what_it_has(two, tmp_path):
    a, b = two
    running_vm(a, tmp_path, disk=False)
    old_source = OlderHost(a)
    d = placement.describe(old_source, "web1")
    assert d["name"] == "web1" and d["memory"] == SMALL and d["network_adapters"] == [{"switch": "lab"}]
    assert "sha256" not in d["image"]
    service(b).sampler.tick()  # its free memory in the metrics
    result = placement.move_precheck(a, "web1", OlderHost(b))
    assert one("host", result["rows"])["text"].startswith("the destination does not check moves itself")
    assert one("network", result["rows"])["severity"] == "error"
    assert one("memory", result["rows"])["severity"] == "info"
