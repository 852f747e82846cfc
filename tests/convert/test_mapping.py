"""mapping.plan: a SourceVm becomes what a Bulkhead or libvirt host creates, with every note of the report."""

import importlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.api.convert import convert_params
from core.convert.mapping import DiskPlan, NicPlan, Plan, checked_network_map, plan
from core.convert.source import Note, SourceDisk, SourceNic, SourceVm
from core.model.errors import UsageError
from core.model.limits import HostLimits
from core.model.spec import VmSpec

MiB = 1 << 20
GiB = 1 << 30


def rich_source(**over) -> SourceVm:
    vm = SourceVm(
        format="vmx", path="/src/web01/web01.vmx", name="web01", memory=2 * GiB, vcpus=2, firmware="efi",
        os="ubuntu-64", notes="line one\nline two", uuid="42",
        disks=[SourceDisk("/src/web01/web01.vmdk", "vmdk", 8 * GiB, "nvme", "nvme0:0"),
               SourceDisk("/src/web01/data.vmdk", "vmdk", 4 * GiB, "scsi", "scsi0:1"),
               SourceDisk("/src/ubuntu.iso", "raw", 0, "sata", "sata0:1", device="cdrom", readonly=True),
               SourceDisk("/src/web01/logs.vmdk", "vmdk", GiB, "sata", "sata0:2")],
        nics=[SourceNic("vmxnet3", "00:50:56:aa:bb:cc", "VM Network", "bridged"),
              SourceNic("e1000", "00:50:56:aa:bb:dd", "backup", "custom")],
        serial_ports=2, snapshots=3, report=[Note("warning", "parser.x", "something the parser saw")])
    for k, v in over.items():
        setattr(vm, k, v)
    return vm


def codes(p: Plan) -> list[str]:
    return [n.code for n in p.report]


def text_of(p: Plan, code: str) -> str:
    found = [n.text for n in p.report if n.code == code]
    assert found, f"no note {code}: {codes(p)}"
    return found[0]


# --- Bulkhead hosts ---------------------------------------------------------------------------------------------

def test_bulkhead_plan_of_a_rich_source():
    p = plan(rich_source(), "bulkhead", switches=["VM Network"])
    assert p.kind == "bulkhead" and p.name == "web01"
    assert p.settings["memory"] == 2 * GiB and p.settings["vcpus"] == 2
    assert p.settings["notes"] == "line one\nline two"
    assert p.settings["disk_controller"] == "synthetic"
    assert p.settings["disk"] == "web01-disk1.vhd"
    assert p.settings["network"] == "VM Network"
    assert [d.target for d in p.disks] == ["web01-disk1.vhd", "web01-disk2.vhd", "web01-disk3.vhd"]
    assert [d.attach for d in p.disks] == [True, False, False]
    assert {d.target_format for d in p.disks} == {"vpc"}
    assert p.disks[0].source == "/src/web01/web01.vmdk" and p.disks[0].source_format == "vmdk"
    assert p.disks[0].capacity == 8 * GiB
    assert "the embedded engine attaches one virtual hard disk; 2 more converted into the VM's folder, " \
           "not attached" == text_of(p, "disk.extra")
    assert text_of(p, "disk.nvme") == "NVMe controller attached as synthetic storage"
    assert "disk.scsi" not in codes(p)  # only the attached disk's controller matters
    assert text_of(p, "firmware.efi") == "EFI firmware: the embedded engine boots Bulkhead images only"
    assert text_of(p, "guest.not_converted") == (
        "the guest operating system is not converted: it does not boot on the embedded engine; its disks are "
        "readable by the bundled guest over synthetic storage")
    assert text_of(p, "cdrom.ignored").startswith("CD image ignored")
    assert "2 serial ports" in text_of(p, "serial.ignored")
    assert text_of(p, "snapshots.left").startswith("3 snapshots not converted")
    assert "1 more adapter not converted" in text_of(p, "nic.extra")
    assert len(p.nics) == 1
    assert p.nics[0] == NicPlan(model="synthetic", mac="", source_network="VM Network", switch="VM Network")
    assert "00:50:56:aa:bb:cc" in text_of(p, "nic.mac")
    assert codes(p)[0] == "parser.x"  # the parser's own notes come first
    assert p.firmware == "bios"


@pytest.mark.parametrize("bus,label", [("scsi", "SCSI"), ("sata", "SATA"), ("nvme", "NVMe")])
def test_bulkhead_controller_notes(bus, label):
    p = plan(SourceVm("vmx", "/x.vmx", name="a", memory=64 * MiB, disks=[SourceDisk("/d", "vmdk", bus=bus)]),
             "bulkhead")
    assert text_of(p, f"disk.{bus}") == f"{label} controller attached as synthetic storage"
    assert p.disks[0].bus == "synthetic" and p.settings["disk_controller"] == "synthetic"


def test_bulkhead_plain_source_has_only_the_guest_note():
    src = SourceVm("vmx", "/x.vmx", name="plain", memory=512 * MiB, vcpus=1, firmware="bios",
                   disks=[SourceDisk("/d.vmdk", "vmdk", GiB, "")], nics=[SourceNic("e1000", "", "lan")])
    p = plan(src, "bulkhead", network_map={"lan": "External"}, switches=["External"])
    assert codes(p) == ["guest.not_converted"]
    assert p.nics[0].switch == "External" and p.settings["network"] == "External"


def test_settings_are_a_valid_new_vm_for_each_kind():
    for kind in ("bulkhead", "libvirt"):
        p = plan(rich_source(), kind)
        spec = VmSpec(**p.settings)
        spec.validate(kind, HostLimits())  # raises if a setting is wrong for the kind


# --- libvirt hosts ----------------------------------------------------------------------------------------------

def test_libvirt_plan_keeps_every_disk_and_adapter():
    p = plan(rich_source(), "libvirt", network_map={"VM Network": "default"}, switches=["default", "backup"])
    assert [d.target for d in p.disks] == ["web01-disk1.qcow2", "web01-disk2.qcow2", "web01-disk3.qcow2"]
    assert all(d.attach for d in p.disks) and {d.target_format for d in p.disks} == {"qcow2"}
    assert [d.bus for d in p.disks] == ["scsi", "scsi", "sata"]  # nvme -> scsi with a note
    assert text_of(p, "disk.nvme") == "NVMe controller attached as SCSI"
    assert p.firmware == "efi" and "firmware.efi" not in codes(p)
    assert [(n.model, n.mac, n.source_network, n.switch) for n in p.nics] == [
        ("vmxnet3", "00:50:56:aa:bb:cc", "VM Network", "default"),
        ("e1000", "00:50:56:aa:bb:dd", "backup", "backup")]
    assert "nic.extra" not in codes(p) and "disk.extra" not in codes(p)
    assert p.settings["disk_controller"] == "scsi" and p.settings["network"] == "default"
    assert p.settings["boot"] == "hd"
    assert "cdrom.ignored" in codes(p) and "snapshots.left" in codes(p)
    assert text_of(p, "guest.not_converted").startswith("the guest operating system is not converted")


def test_libvirt_unknown_firmware_and_models():
    src = SourceVm("ovf", "/x.ovf", name="a", memory=64 * MiB, firmware="",
                   disks=[SourceDisk("/d", "vmdk", bus="floppybus"), SourceDisk("/e", "", bus="virtio")],
                   nics=[SourceNic("fancy9000", "", ""), SourceNic("82540EM", "08:00:27:00:00:01", "")])
    p = plan(src, "libvirt")
    assert text_of(p, "firmware.unknown").endswith("assuming BIOS") and p.firmware == "bios"
    assert [d.bus for d in p.disks] == ["sata", "virtio"]
    assert "disk.bus" in codes(p)
    assert p.disks[1].source_format == "raw" and "read as raw" in text_of(p, "disk.format")
    assert [n.model for n in p.nics] == ["e1000", "e1000"]
    assert "fancy9000" in text_of(p, "nic.model")
    assert [n.switch for n in p.nics] == ["", ""]
    assert "not connected" in text_of(p, "nic.not_connected")


def test_libvirt_readonly_kept_bulkhead_noted():
    src = SourceVm("vmx", "/x.vmx", name="a", memory=64 * MiB, disks=[SourceDisk("/d", "vmdk", readonly=True)])
    assert plan(src, "libvirt").disks[0].readonly is True
    p = plan(src, "bulkhead")
    assert p.disks[0].readonly is False and "disk.readonly" in codes(p)


# --- names ------------------------------------------------------------------------------------------------------

def test_invalid_source_name_is_cleaned_with_a_note():
    p = plan(rich_source(name="../we\u202eb/01\x00"), "bulkhead")
    assert p.name == "web-01"
    assert "name.cleaned" in codes(p)
    assert p.disks[0].target == f"{p.name}-disk1.vhd"


def test_empty_source_name_uses_the_file_name():
    p = plan(rich_source(name=""), "bulkhead")
    assert p.name == "web01" and "name.missing" in codes(p)
    p = plan(rich_source(name="\x01\x02", path="/src/.../\x03.vmx"), "bulkhead")
    assert p.name == "converted-vm"


def test_long_source_name_is_cut():
    p = plan(rich_source(name="x" * 300), "bulkhead")
    assert len(p.name) == 64 and "name.cleaned" in codes(p)


def test_explicit_name_wins_and_is_validated():
    assert plan(rich_source(), "bulkhead", name="  new-name ").name == "new-name"
    with pytest.raises(UsageError, match="cannot contain"):
        plan(rich_source(), "bulkhead", name="a/b")


def test_name_collisions():
    p = plan(rich_source(), "bulkhead", taken=["WEB01", "web01 (2)"])
    assert p.name == "web01 (3)" and "name.taken" in codes(p)
    assert p.disks[0].target == "web01 (3)-disk1.vhd"
    with pytest.raises(UsageError, match="already exists"):
        plan(rich_source(), "bulkhead", name="ｗｅｂ０１", taken=["web01"])


def test_target_names_are_unique():
    disks = [SourceDisk(f"/d{i}", "vmdk") for i in range(12)]
    p = plan(rich_source(disks=disks), "libvirt")
    targets = [d.target for d in p.disks]
    assert len(set(t.casefold() for t in targets)) == 12
    assert targets[10] == "web01-disk11.qcow2"


# --- limits -----------------------------------------------------------------------------------------------------

def test_memory_rounded_up_to_the_step():
    p = plan(rich_source(memory=1000 * MiB + 1), "bulkhead", limits=HostLimits(memory_step=4 * MiB))
    assert p.settings["memory"] == 1004 * MiB and "memory.rounded" in codes(p)


def test_memory_under_the_minimum_is_raised():
    p = plan(rich_source(memory=MiB), "bulkhead", limits=HostLimits(memory_min=32 * MiB))
    assert p.settings["memory"] == 32 * MiB and "memory.raised" in codes(p)


def test_memory_unknown_gets_the_default():
    p = plan(rich_source(memory=0), "bulkhead")
    assert p.settings["memory"] == 64 * MiB and "memory.unknown" in codes(p)


def test_memory_over_the_maximum_is_refused_naming_the_limit():
    limits = HostLimits(memory_max=1 * GiB, memory_reason="this host has 1,024 MiB")
    with pytest.raises(UsageError, match=r"at most 1024 MiB \(this host has 1,024 MiB\)") as e:
        plan(rich_source(memory=4 * GiB), "libvirt", limits=limits)
    assert "\n" not in str(e.value) and e.value.code == "convert.memory"


def test_vcpus_capped_with_a_note():
    p = plan(rich_source(vcpus=96), "bulkhead", limits=HostLimits(vcpus_max=8, vcpus_reason="8 processors"))
    assert p.settings["vcpus"] == 8
    assert "96 virtual processors capped" in text_of(p, "vcpus.capped") and "8 processors" in text_of(
        p, "vcpus.capped")
    p = plan(rich_source(vcpus=0), "bulkhead")
    assert p.settings["vcpus"] == 1 and "vcpus.unknown" in codes(p)


def test_unknown_kind_refused():
    with pytest.raises(UsageError, match="choose bulkhead or libvirt"):
        plan(rich_source(), "vmware")


# --- networks ---------------------------------------------------------------------------------------------------

def test_network_map_then_same_name_then_not_connected():
    src = rich_source()
    assert plan(src, "bulkhead", network_map={"VM Network": "Ext"}).nics[0].switch == "Ext"
    assert plan(src, "bulkhead", switches=["vm network"]).nics[0].switch == "vm network"
    p = plan(src, "bulkhead", switches=["Other"])
    assert p.nics[0].switch == "" and p.settings["network"] == ""
    assert "not connected: map it to a switch of the destination" in text_of(p, "nic.not_connected")


def test_network_map_to_an_unknown_switch_is_refused():
    with pytest.raises(UsageError, match="no switch 'Nope'"):
        plan(rich_source(), "bulkhead", network_map={"VM Network": "Nope"}, switches=["Ext"])


def test_network_map_of_other_than_names_is_refused():
    with pytest.raises(UsageError, match="must map a name to a switch name"):
        plan(rich_source(), "bulkhead", network_map={1: "a", "b": None})


def test_a_disk_without_a_file_is_skipped_with_a_note():
    src = rich_source(disks=[SourceDisk("", "vmdk", slot="scsi0:0"), SourceDisk("/b.vmdk", "vmdk")])
    p = plan(src, "bulkhead")
    assert [d.source for d in p.disks] == ["/b.vmdk"] and "scsi0:0" in text_of(p, "disk.no_file")


def test_network_map_unused_entry_noted():
    p = plan(rich_source(), "libvirt", network_map={"ghost": "default"})
    assert "ghost" in text_of(p, "network_map.unused")


def test_no_disks_no_nics():
    p = plan(SourceVm("ovf", "/e.ovf", name="empty", memory=64 * MiB), "bulkhead")
    assert p.disks == [] and p.nics == [] and p.settings["disk"] == "" and p.settings["network"] == ""
    assert "disk.none" in codes(p)


def test_folder_prefixes_the_attached_disk():
    p = plan(rich_source(), "bulkhead", folder="/vms/web01")
    assert p.folder == "/vms/web01" and p.settings["disk"] == "/vms/web01/web01-disk1.vhd"
    assert p.disks[0].target == "web01-disk1.vhd"


def test_notes_cleaned_and_cut():
    p = plan(rich_source(notes="a\x07b\n" + "x" * 20_000), "bulkhead")
    assert p.settings["notes"].startswith("ab\n") and len(p.settings["notes"]) == 10_000
    assert "notes.cleaned" in codes(p) and "notes.cut" in codes(p)


# --- shape ------------------------------------------------------------------------------------------------------

def test_deterministic_and_json_round_trip():
    for kind in ("bulkhead", "libvirt"):
        a = plan(rich_source(), kind, network_map={"backup": "default", "VM Network": "default"},
                 switches=["default"]).to_dict()
        b = plan(rich_source(), kind, network_map={"VM Network": "default", "backup": "default"},
                 switches=["default"]).to_dict()
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
        back = json.loads(json.dumps(a))
        assert back == a
        assert Plan.from_dict(back).to_dict() == a
        assert set(a) >= {"kind", "name", "settings", "disks", "nics", "report", "folder"}
        assert set(a["disks"][0]) >= {"source", "source_format", "target", "target_format", "capacity", "bus",
                                      "attach"}
        assert set(a["nics"][0]) >= {"model", "mac", "source_network", "switch"}
        assert set(a["report"][0]) == {"severity", "code", "text"}
        assert {n["severity"] for n in a["report"]} <= {"info", "warning"}


def test_plan_does_not_change_the_source():
    src = rich_source()
    before = src.to_dict()
    plan(src, "bulkhead")
    plan(src, "libvirt")
    assert src.to_dict() == before


def test_diskplan_defaults():
    assert DiskPlan("/a", "raw", "a.vhd", "vpc").attach is True


# --- any SourceVm a parser could make -----------------------------------------------------------------------------

_TEXT = st.text(max_size=12)
_DISKS = st.builds(SourceDisk, path=_TEXT, format=st.sampled_from(["", "vmdk", "raw", "vpc"]),
                   capacity=st.integers(0, 1 << 50), bus=st.sampled_from(["", "ide", "scsi", "sata", "nvme", "x"]),
                   slot=_TEXT, device=st.sampled_from(["disk", "cdrom", "floppy"]), readonly=st.booleans())
_NICS = st.builds(SourceNic, model=_TEXT, mac=st.sampled_from(["", "00:50:56:00:00:01"]), network=_TEXT,
                  connection=_TEXT)


@settings(max_examples=150, deadline=None)
@given(name=_TEXT, memory=st.integers(-5, 1 << 37), vcpus=st.integers(-1, 200), firmware=_TEXT, notes=_TEXT,
       disks=st.lists(_DISKS, max_size=4), nics=st.lists(_NICS, max_size=3), serial=st.integers(0, 3),
       snaps=st.integers(0, 3), kind=st.sampled_from(["bulkhead", "libvirt"]))
def test_any_source_plans_or_refuses_in_one_line(name, memory, vcpus, firmware, notes, disks, nics, serial, snaps,
                                                  kind):
    src = SourceVm("vmx", "/x/y.vmx", name=name, memory=memory, vcpus=vcpus, firmware=firmware, notes=notes,
                   disks=disks, nics=nics, serial_ports=serial, snapshots=snaps)
    try:
        p = plan(src, kind, switches=["LAN"])
    except UsageError as e:
        assert "\n" not in str(e) and e.code == "convert.memory"
        return
    VmSpec(**p.settings).validate(kind, HostLimits())
    assert json.loads(json.dumps(p.to_dict())) == p.to_dict()
    assert len({d.target for d in p.disks}) == len(p.disks)
    assert sum(d.attach for d in p.disks) == (min(1, len(p.disks)) if kind == "bulkhead" else len(p.disks))


def test_a_line_the_parser_and_the_mapping_both_say_is_said_once():
    source = SourceVm("vmx", "/x/a.vmx", name="a", memory=64 << 20, firmware="efi")
    source.warn("firmware.efi", "EFI firmware in the source")
    report = plan(source, "bulkhead").to_dict()["report"]
    efi = [n for n in report if n["code"] == "firmware.efi"]
    assert len(efi) == 1 and "embedded engine" in efi[0]["text"], report


@pytest.mark.parametrize("host,to", [("core.local.convert", "a switch's name (1-256 characters)"),
                                     ("core.libvirt.convert", "a libvirt network's name")])
def test_each_host_checks_the_network_map_saying_what_it_maps_to(host, to):
    checked = importlib.import_module(host)._checked_map
    assert checked(None) == {} and checked({}) == {}
    mapping = {"VM Network": "external"}
    assert checked(mapping) == mapping and checked(mapping) is not mapping
    with pytest.raises(UsageError, match=r"at most 64 networks \(got 65\)"):
        checked({f"n{i}": "s" for i in range(65)})
    for bad in ({"": "s"}, {"n": 7}, {"n": "s" * 257}, {"n" * 257: "s"}):
        with pytest.raises(UsageError) as e:
            checked(bad)
        assert e.value.code == "convert.network_map"
        assert str(e.value).endswith(f"must map a source network's name to {to}")
    assert checked({"n" * 256: "s" * 256})


def test_a_network_map_check_takes_its_limits():
    assert checked_network_map({"a": "b"}, "x", most=1, name_max=1) == {"a": "b"}
    with pytest.raises(UsageError, match="at most 1 networks"):
        checked_network_map({"a": "b", "c": "d"}, "x", most=1)
    with pytest.raises(UsageError, match="must map a source network's name to x"):
        checked_network_map({"ab": "b"}, "x", name_max=1)


def test_convert_params_name_only_what_is_given():
    assert convert_params("s.vmx") == {"source": "s.vmx"}
    assert convert_params("s.vmx", network_map={}) == {"source": "s.vmx"}
    mapping = {"VM Network": "external"}
    params = convert_params("s.vmx", "web", "/srv/vms", mapping)
    assert params == {"source": "s.vmx", "name": "web", "path": "/srv/vms", "network_map": mapping}
    assert list(params) == ["source", "name", "path", "network_map"] and params["network_map"] is not mapping
    assert convert_params("s.vmx", path="/srv/vms") == {"source": "s.vmx", "path": "/srv/vms"}
