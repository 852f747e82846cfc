"""The precheck of a move (core/hosts/precheck.py): every kind of row from crafted facts, the source's rows, and the
VM's description checked as untrusted input. The embedded host's ``vm.move.check`` and the client's
``conn.move_precheck`` are in tests/test_move_check_host.py."""

from __future__ import annotations

import pytest

from core.hosts import precheck
from core.hosts.precheck import check_description, choose_type, destination_rows, source_rows, summary
from core.model.errors import UsageError

MiB = 1 << 20
GiB = 1 << 30
UUID = "6f1c8a52-9f2e-4b1e-9a39-1d0f4c7b2a10"


def described(**change) -> dict:
    vm = {"id": "a" * 32, "name": "web1", "state": "Running", "kind": "bulkhead", "memory": 512 * MiB, "vcpus": 2,
          "backend": "kvm", "checkpoints": 0,
          "image": {"path": "", "bundled": True, "sha256": "ab" * 32, "size": 45 * 1024},
          "disks": [{"path": "/srv/vms/web1.vhd", "size": 2 * GiB, "format": "vhd-dynamic", "uuid": UUID}],
          "network_adapters": [{"switch": "lab"}], "protocol": {"version": "0.1.0", "stream": [1]}}
    return check_description(vm | change)


def facts(**change) -> dict:
    dest = {"host": "rack2", "kind": "bulkhead", "backend": "kvm", "memory_free": 8 * GiB, "memory_max": 16 * GiB,
            "vcpus_max": 8, "logical_processors": 8, "switches": ["lab", "lan"],
            "vms": [{"id": "b" * 32, "name": "db1"}], "protocol": {"version": "0.1.0", "stream": [1]},
            "image": {"state": "bundled", "path": ""},
            "disks": {"/srv/vms/web1.vhd": {"exists": True, "is_file": True, "size": 2 * GiB, "uuid": UUID}},
            "folder": {"path": "/srv/vms", "exists": True, "is_dir": True, "free": 100 * GiB}}
    return dest | change


def rows_of(topic: str, rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["topic"] == topic]


def one(topic: str, rows: list[dict]) -> dict:
    found = rows_of(topic, rows)
    assert len(found) == 1, found
    return found[0]


def test_a_move_that_fits_has_only_info_rows():
    rows = destination_rows(described(), facts(), "live", bandwidth=100 * MiB)
    assert summary(rows) == {"ok": True, "errors": 0, "warnings": 0}
    assert {r["topic"] for r in rows} == {"name", "memory", "processors", "backend", "protocol", "image", "disk",
                                          "network", "space"}
    assert one("memory", rows)["text"] == "memory: the VM needs 512 MiB; the destination has 8 GiB free"
    assert one("disk", rows)["shared"] is True and "is shared" in one("disk", rows)["text"]
    for r in rows:
        assert set(r) >= {"severity", "topic", "text", "hint"} and "\n" not in r["text"] + r["hint"]


def test_not_enough_free_memory_is_an_error_saying_how_much_to_free():
    rows = destination_rows(described(), facts(memory_free=200 * MiB), "live")
    r = one("memory", rows)
    assert r["severity"] == "error"
    assert r["text"] == "the destination has 200 MiB of memory free; the VM needs 512 MiB"
    assert r["hint"] == "free 312 MiB on the destination"
    assert not summary(rows)["ok"]


def test_an_off_vm_needs_the_memory_only_to_start_a_warning():
    r = one("memory", destination_rows(described(state="Off"), facts(memory_free=200 * MiB), "network"))
    assert r["severity"] == "warning" and r["hint"] == "free 312 MiB on the destination before starting it there"


def test_memory_over_the_destination_s_limit_per_vm():
    rows = rows_of("memory", destination_rows(described(memory=32 * GiB), facts(memory_free=64 * GiB), "live"))
    assert rows[0]["severity"] == "error"
    assert rows[0]["text"] == "the VM has 32 GiB of memory; the destination allows at most 16 GiB per VM"
    assert rows[0]["hint"] == "lower the VM's memory to 16 GiB or less"


def test_processors():
    ok = one("processors", destination_rows(described(), facts(), "live"))
    assert ok["severity"] == "info" and ok["text"] == "2 virtual processors; the destination has 8 logical processors"
    bad = one("processors", destination_rows(described(vcpus=16), facts(), "live"))
    assert bad["severity"] == "error" and bad["hint"] == "set the VM's processors to 8 or fewer"


def test_emulation_at_the_destination_is_a_warning():
    r = one("backend", destination_rows(described(), facts(backend="emulation"), "live"))
    assert r["severity"] == "warning"
    assert r["text"] == "the destination runs guests under CPU emulation: the guest will run slower there (it uses " \
                        "KVM here now)"
    assert r["hint"] == "move it to a host with KVM for full speed"
    assert one("backend", destination_rows(described(), facts(), "live"))["severity"] == "info"


@pytest.mark.parametrize("state, severity, says", [
    ("bundled", "info", "the guest image is the bundled one, present on the destination"),
    ("present", "info", "the guest image /images/g.elf is present on the destination"),
    ("different", "warning", "another file is at /images/g.elf on the destination: the VM's guest image (45 KiB) "
                             "will be copied into its folder"),
    ("missing", "info", "the guest image (45 KiB) will be copied to the destination")])
def test_the_guest_image_present_or_to_be_copied(state, severity, says):
    vm = described(image={"path": "/images/g.elf", "bundled": state == "bundled", "sha256": "cd" * 32,
                          "size": 45 * 1024})
    rows = destination_rows(vm, facts(image={"state": state, "path": "/images/g.elf"}), "live")
    r = one("image", rows)
    assert (r["severity"], r["text"]) == (severity, says)
    space = one("space", rows)["text"]
    assert space.endswith("the move needs 45 KiB") == (state in ("different", "missing"))


def test_a_disk_not_reached_there_is_copied_with_its_size_and_time():
    rows = destination_rows(described(), facts(disks={}), "live", bandwidth=100 * MiB)
    r = one("disk", rows)
    assert r["severity"] == "info" and r["bytes"] == 2 * GiB and r["shared"] is False
    assert r["text"] == "disk /srv/vms/web1.vhd (2 GiB) will be copied: about 20 s at 100 MiB/s"
    assert one("space", rows)["text"] == "/srv/vms: 100 GiB free, the move needs 2 GiB"


def test_a_long_copy_is_a_warning_and_an_unmeasured_bandwidth_is_said():
    r = one("disk", destination_rows(described(), facts(disks={}), "live"))
    assert r["severity"] == "info"
    assert r["text"] == ("disk /srv/vms/web1.vhd (2 GiB) will be copied: about 20 s at an assumed 100 MiB/s "
                         "(bandwidth not measured)")
    slow = one("disk", destination_rows(described(), facts(disks={}), "live", bandwidth=10 * MiB))
    assert slow["severity"] == "warning"
    assert slow["text"].endswith("about 3 min at 10 MiB/s: the move might take long")
    assert slow["hint"] == "share the disk between the hosts (the same path on both), or allow the time"


@pytest.mark.parametrize("there, shared", [
    ({"exists": True, "is_file": True, "size": 2 * GiB, "uuid": UUID}, True),
    ({"exists": True, "is_file": True, "size": 2 * GiB, "uuid": "another"}, False),
    ({"exists": True, "is_file": True, "size": GiB, "uuid": UUID}, False),
    ({"exists": True, "is_file": False, "size": 2 * GiB, "uuid": UUID}, False),
    ({"exists": False}, False)])
def test_a_disk_is_shared_only_with_the_same_path_size_and_identity(there, shared):
    rows = destination_rows(described(), facts(disks={"/srv/vms/web1.vhd": there}), "live", bandwidth=1 << 40)
    r = one("disk", rows)
    assert r["shared"] is shared
    if not shared and there["exists"]:
        assert r["severity"] == "warning" and r["text"].startswith("another file is at /srv/vms/web1.vhd on the "
                                                                   "destination; disk /srv/vms/web1.vhd (")


def test_a_raw_disk_is_the_same_file_by_inode_and_device():
    vm = described(disks=[{"path": "/srv/a.img", "size": GiB, "format": "raw", "inode": 7, "device": 2049}])
    same = {"/srv/a.img": {"exists": True, "is_file": True, "size": GiB, "uuid": "", "inode": 7, "device": 2049}}
    other = {"/srv/a.img": same["/srv/a.img"] | {"inode": 8}}
    assert one("disk", destination_rows(vm, facts(disks=same), "live"))["shared"] is True
    assert one("disk", destination_rows(vm, facts(disks=other), "live"))["shared"] is False


def test_the_nested_identity_of_a_disk_is_read_too():
    vm = described(disks=[{"path": "/srv/a.img", "identity": {"size": GiB, "dev": 2049, "inode": 7, "uuid": None,
                                                              "format": "raw"}}])
    assert vm["disks"][0] == {"path": "/srv/a.img", "size": GiB, "format": "raw", "uuid": "", "inode": 7,
                              "device": 2049}


def test_a_switch_missing_at_the_destination_asks_for_a_mapping():
    rows = destination_rows(described(), facts(switches=["lan"]), "live")
    r = one("network", rows)
    assert r["severity"] == "error"
    assert r["text"] == "the destination has no virtual switch 'lab' (it has: lan)"
    assert r["hint"] == "map adapter 'lab' to a switch on the destination (--network-map lab=SWITCH)"
    mapped = one("network", destination_rows(described(), facts(switches=["lan"]), "live", {"lab": "LAN"}))
    assert mapped["severity"] == "info" and mapped["text"] == "adapter on 'lab' is mapped to switch 'lan' on the " \
                                                              "destination"
    wrong = one("network", destination_rows(described(), facts(switches=["lan"]), "live", {"lab": "wan"}))
    assert wrong["severity"] == "error" and wrong["hint"] == "map adapter 'lab' to a switch on the destination"
    present = one("network", destination_rows(described(), facts(), "live"))
    assert present["text"] == "adapter on 'lab' connects to switch 'lab' on the destination"


def test_a_network_map_naming_no_adapter_is_a_warning():
    rows = rows_of("network", destination_rows(described(), facts(), "live", {"dmz": "lan"}))
    assert [r["severity"] for r in rows] == ["info", "warning"]
    assert rows[1]["text"] == "network map: no adapter of the VM is on 'dmz'"


def test_a_name_already_used_there_is_an_error_as_people_read_names():
    rows = destination_rows(described(name="ＤＢ1"), facts(), "live")
    r = one("name", rows)
    assert r["severity"] == "error" and r["text"] == "the destination already has a VM named 'db1'"
    assert r["hint"] == "rename the VM or remove 'db1' on the destination"


def test_the_same_vm_on_the_destination():
    here = facts(vms=[{"id": "a" * 32, "name": "web1"}])
    assert one("name", destination_rows(described(), here, "storage"))["text"] == \
        "VM 'web1' is on this host: only its storage moves"
    r = one("name", destination_rows(described(), here, "live"))
    assert r["severity"] == "error" and "already on the destination" in r["text"]


def test_protocol_versions():
    ok = one("protocol", destination_rows(described(), facts(), "live"))
    assert ok["text"] == "migration stream format 1 (Bulkhead 0.1.0 to 0.1.0)"
    newer = described(protocol={"version": "0.9.0", "stream": [3, 4]})
    bad = one("protocol", destination_rows(newer, facts(), "live"))
    assert bad["severity"] == "error" and bad["hint"] == "update Bulkhead so both hosts run the same version"
    assert "the source sends 3, 4, the destination reads 1" in bad["text"]
    silent = one("protocol", destination_rows(described(protocol={}), facts(), "live"))
    assert silent["severity"] == "warning"
    assert not rows_of("protocol", destination_rows(described(), facts(protocol=None), "live"))


def test_free_space_in_the_destination_folder():
    rows = destination_rows(described(), facts(disks={}, folder={"path": "/srv/vms", "free": GiB}), "live")
    r = one("space", rows)
    assert r["severity"] == "error" and r["text"] == "/srv/vms has 1 GiB free; the move needs 2 GiB"
    assert r["hint"] == "free 1 GiB in /srv/vms or choose another folder (--path DIR)"
    made = one("space", destination_rows(described(), facts(folder={"path": "/srv/new", "exists": False,
                                                                    "free": GiB}), "live"))
    assert made["text"] == "/srv/new (it will be made): 1 GiB free, the move needs 0 B"
    problem = one("space", destination_rows(described(), facts(folder={"path": "x", "problem": "give an absolute "
                                                                                               "path"}), "live"))
    assert problem["severity"] == "error" and problem["text"] == "x: give an absolute path"
    unknown = one("space", destination_rows(described(), facts(folder={"path": "/srv"}), "live"))
    assert unknown["severity"] == "warning"


def test_a_quick_move_needs_room_for_the_saved_state():
    rows = destination_rows(described(resident_bytes=300 * MiB), facts(), "quick")
    assert one("space", rows)["text"].endswith("the move needs 300 MiB")


def test_a_host_that_copies_no_files_in_a_live_move_refuses_one_with_files_to_copy():
    rows = destination_rows(described(), facts(disks={}, live_copies=False), "live", bandwidth=100 * MiB)
    r = one("type", rows)
    assert r["severity"] == "error"
    assert r["text"] == ("a live move to this host needs the VM's disks and guest image there already (1 file, "
                         "2 GiB to copy)")
    assert r["hint"] == "move it with --type quick (saved, copied and restored), or share its files between the hosts"
    assert not rows_of("type", destination_rows(described(), facts(disks={}, live_copies=False), "quick"))
    assert not rows_of("type", destination_rows(described(), facts(live_copies=False), "live"))  # all shared
    assert not rows_of("type", destination_rows(described(), facts(disks={}), "live"))  # it copies them
    image = described(image={"path": "/g.elf", "bundled": False, "sha256": "cd" * 32, "size": 1024})
    r = one("type", destination_rows(image, facts(live_copies=False, image={"state": "missing"}), "live"))
    assert "(1 file, 1 KiB to copy)" in r["text"]


def test_a_vm_with_checkpoints_is_an_error_until_moves_carry_them():
    assert not rows_of("checkpoints", destination_rows(described(), facts(), "live"))
    r = one("checkpoints", destination_rows(described(checkpoints=3), facts(), "live"))
    assert (r["severity"], r["text"]) == ("error", "the VM has 3 checkpoints: a move does not carry checkpoints yet "
                                                   "(their disks would stay behind)")
    assert r["hint"] == "delete its checkpoints first (bulkhead vm checkpoint-remove VM CHECKPOINT)"


def test_a_vm_of_another_kind():
    r = one("kind", destination_rows(described(), facts(kind="libvirt"), "live"))
    assert r["severity"] == "error" and r["hint"] == "choose a Bulkhead host"
    r = one("kind", destination_rows(described(kind="libvirt"), facts(), "live"))
    assert "cannot boot a libvirt domain's operating system" in r["text"]


@pytest.mark.parametrize("state, type, severity, says", [
    ("Running", "live", "info", "VM 'web1' is Running: it keeps running during the move"),
    ("Off", "live", "error", "VM 'web1' is Off: a live move needs it Running or Paused"),
    ("Saved", "live", "error", "VM 'web1' is Saved: a live move needs it Running or Paused"),
    ("Running", "quick", "info", "VM 'web1' is Running: it is saved, moved and restored (it is down meanwhile)"),
    ("Off", "quick", "info", "VM 'web1' is Off: its files are copied"),
    ("Starting", "quick", "error", "VM 'web1' is Starting: it cannot move now"),
    ("Paused", "live", "info", "VM 'web1' is Paused: it keeps running during the move")])
def test_the_source_rows_say_what_the_vm_s_state_allows(state, type, severity, says):
    r = one("state", source_rows({"name": "web1", "state": state}, type))
    assert (r["severity"], r["text"]) == (severity, says)
    if severity == "error":
        assert r["hint"]


def test_the_automatic_type():
    assert choose_type("Running")[0] == "live" and choose_type("Paused")[0] == "live"
    assert choose_type("Off") == ("network", "the VM is Off: its files are copied")
    assert choose_type("Saved")[0] == "network"
    assert choose_type("Off", "quick") == ("quick", "chosen")
    with pytest.raises(UsageError, match="type must be one of live, quick, storage, network"):
        choose_type("Off", "teleport")


@pytest.mark.parametrize("change, says", [
    ({"memory": True}, "memory must be a whole number"), ({"memory": 0}, "memory"), ({"vcpus": "2"}, "vcpus"),
    ({"name": ""}, "name is empty"), ({"name": 5}, "name must be text"),
    ({"disks": [{"path": "/a"}] * 65}, "at most 64"), ({"disks": ["a"]}, "each disk must be an object"),
    ({"disks": [{"path": "/a", "size": -1}]}, "disk size"), ({"network_adapters": "lab"}, "network_adapters"),
    ({"checkpoints": -1}, "checkpoints"), ({"protocol": {"stream": ["1"]}}, "protocol stream"),
    ({"image": "bundled"}, "image must be an object")])
def test_the_description_is_checked_as_untrusted_input(change, says):
    base = {"id": "a" * 32, "name": "web1", "memory": MiB, "vcpus": 1}
    with pytest.raises(UsageError, match=says):
        check_description(base | change)
    with pytest.raises(UsageError, match="must be an object"):
        check_description("web1")


def test_bad_network_maps_and_bandwidths_are_usage_errors():
    for bad in ({"lab": 3}, {"": "x"}, ["lab=lan"]):
        with pytest.raises(UsageError, match="network_map"):
            destination_rows(described(), facts(), "live", bad)
    for bad in (float("nan"), -1, "100M"):
        with pytest.raises(UsageError, match="bandwidth"):
            destination_rows(described(), facts(), "live", bandwidth=bad)


def test_first_error_and_summary():
    rows = destination_rows(described(vcpus=16), facts(memory_free=MiB, switches=[]), "live")
    assert precheck.first_error(rows)["topic"] == "memory"
    assert summary(rows) == {"ok": False, "errors": 3, "warnings": 0}
