"""OVF descriptors of each version (0.9, 1.x, 2.0) with disks made by qemu-img -> SourceVm."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from core.convert.ovf import parse_ovf, parse_units
from core.convert.source import ConvertError
from tests.convert.samples_xml import (
    VMDK_STREAM,
    envelope,
    item,
    needs_qemu_img,
    qemu_disk,
    standard_items,
    system,
    write_ovf,
)

VERSIONS = ["0.9", "1.x", "2.0"]


def codes(vm) -> list[str]:
    return [note.code for note in vm.report]


@needs_qemu_img
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("disk_fmt", ["vmdk", "raw"])
def test_each_version_reads_the_machine_and_its_disk(tmp_path, version, disk_fmt):
    path = write_ovf(tmp_path, version, disk_fmt=disk_fmt)
    vm = parse_ovf(path)
    assert (vm.format, vm.name, vm.vcpus, vm.memory) == ("ovf", "web", 2, 1 << 30)
    assert vm.notes == "Web server" and vm.os == "ubuntu64Guest" and vm.serial_ports == 1
    assert vm.uuid == "6f1c0c3e-2b1a-4c55-9d7e-0a1b2c3d4e5f"
    [disk] = vm.disks
    assert disk.format == disk_fmt and disk.capacity == 16 << 20
    assert (disk.bus, disk.slot, disk.device) == ("scsi", "scsi0:0", "disk")
    assert disk.path == str(tmp_path / f"web-disk1.{'vmdk' if disk_fmt == 'vmdk' else 'img'}")
    [nic] = vm.nics
    assert (nic.model, nic.mac, nic.network) == ("E1000", "00:50:56:ab:cd:ef", "VM Network")
    assert f"OVF {version}" in [n.text for n in vm.report]
    # qemu-img reads the disk with the format the parser gives
    out = subprocess.run(["qemu-img", "info", "--output=json", "-f", disk.format, disk.path], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out)["virtual-size"] == disk.capacity
    json.dumps(vm.to_dict())


def test_units():
    assert parse_units("byte * 2^30") == 1 << 30
    assert parse_units("byte*2^20") == 1 << 20
    assert parse_units("byte * 10^9") == 10 ** 9
    assert parse_units("MegaBytes") == 1 << 20
    assert parse_units("") == 1 and parse_units("byte") == 1
    assert parse_units("furlongs") is None
    assert parse_units("byte * 2^99") is None


def _write(tmp_path, text, name="vm.ovf"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_disk(tmp_path, version="1.x", href="d.img", capacity="2", units="byte * 2^30", items=None, extra_disk=None,
              extra="", make=True):
    if make:
        (tmp_path / "d.img").write_bytes(b"\0" * 4096)
    disks = [{"diskId": "vmdisk1", "fileRef": "file1", "capacity": capacity, "capacityAllocationUnits": units}]
    disks += extra_disk or []
    return _write(tmp_path, envelope(version, [("file1", href)], disks,
                                     [system(version, "vm", items or standard_items(version), extra=extra)]))


def test_capacity_in_gib_units(tmp_path):
    vm = parse_ovf(_one_disk(tmp_path))
    assert vm.disks[0].capacity == 2 << 30 and vm.disks[0].format == "raw"


def test_unknown_capacity_units_name_the_line(tmp_path):
    path = _one_disk(tmp_path, units="furlongs")
    with pytest.raises(ConvertError, match=r"vm\.ovf:4: .*unknown allocation units 'furlongs'"):
        parse_ovf(path)


@pytest.mark.parametrize("capacity", ["-1", "1e9", "NaN", "99999999999999999999", "0x10"])
def test_bad_capacity_numbers_are_refused(tmp_path, capacity):
    with pytest.raises(ConvertError, match="capacity"):
        parse_ovf(_one_disk(tmp_path, capacity=capacity))


def test_capacity_overflow_is_refused(tmp_path):
    with pytest.raises(ConvertError, match="too large"):
        parse_ovf(_one_disk(tmp_path, capacity="9000000000000", units="byte * 2^30"))


@pytest.mark.parametrize("href, why", [("../outside.img", r"\.\."), ("/etc/passwd", "absolute"),
                                       ("http://example.org/d.img", "remote"), ("file:///etc/passwd", "absolute"),
                                       ("sub/../../x.img", r"\.\."), ("C:/disk.img", "absolute")])
def test_hrefs_outside_the_folder_are_refused(tmp_path, href, why):
    with pytest.raises(ConvertError, match=why):
        parse_ovf(_one_disk(tmp_path, href=href))


def test_a_link_leading_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.img"
    outside.write_bytes(b"\0" * 512)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    os.symlink(outside, pkg / "d.img")
    with pytest.raises(ConvertError, match="outside"):
        parse_ovf(_one_disk(pkg, make=False))


def test_a_missing_disk_file_is_named(tmp_path):
    with pytest.raises(ConvertError, match="'d.img' is not beside the descriptor"):
        parse_ovf(_one_disk(tmp_path, make=False))


def test_compressed_files_are_refused(tmp_path):
    text = envelope("1.x", [("file1", "d.img")], [], [system("1.x", "vm", standard_items("1.x", disk_ids=()))])
    text = text.replace('ovf:href="d.img"', 'ovf:href="d.img" ovf:compression="gzip"')
    with pytest.raises(ConvertError, match="compressed"):
        parse_ovf(_write(tmp_path, text))


def test_unknown_namespace_is_refused_with_the_known_ones(tmp_path):
    path = _write(tmp_path, '<Envelope xmlns="http://example.org/ovf"><VirtualSystem/></Envelope>')
    with pytest.raises(ConvertError, match=r"not an OVF envelope.*schemas\.dmtf\.org/ovf/envelope/2"):
        parse_ovf(path)


def test_a_collection_converts_the_first_and_reports_the_others(tmp_path):
    (tmp_path / "d.img").write_bytes(b"\0" * 512)
    systems = [system("1.x", "db", standard_items("1.x")), system("1.x", "app", standard_items("1.x", disk_ids=())),
               system("1.x", "cache", standard_items("1.x", disk_ids=()))]
    disks = [{"diskId": "vmdisk1", "fileRef": "file1", "capacity": "1", "capacityAllocationUnits": "byte * 2^30"}]
    for version in ("1.x", "0.9"):
        if version == "0.9":
            systems = [s.replace("<VirtualSystem ", '<Content xsi:type="ovf:VirtualSystem_Type" ')
                        .replace("</VirtualSystem>", "</Content>") for s in systems]
        vm = parse_ovf(_write(tmp_path, envelope(version, [("file1", "d.img")], disks, systems, collection="stack")))
        assert vm.name == "db" and len(vm.disks) == 1
        [note] = [n for n in vm.report if n.code == "ovf.collection"]
        assert note.severity == "warning" and "3 virtual systems" in note.text and "app, cache" in note.text


def test_controllers_give_the_bus(tmp_path):
    (tmp_path / "a.img").write_bytes(b"\0" * 512)
    (tmp_path / "b.img").write_bytes(b"\0" * 512)
    (tmp_path / "c.img").write_bytes(b"\0" * 512)
    items = [item("1.x", 3, "1", VirtualQuantity="4"),
             item("1.x", 4, "2", VirtualQuantity="2", AllocationUnits="GigaBytes"),
             item("1.x", 20, "3", ResourceSubType="AHCI", ElementName="SATA"),
             item("1.x", 20, "4", ResourceSubType="vmware.nvme.controller", ElementName="NVMe"),
             item("1.x", 5, "5", Address="0"),
             item("1.x", 17, "6", HostResource="ovf:/disk/a", Parent="3", AddressOnParent="2"),
             item("1.x", 17, "7", HostResource="ovf:/disk/b", Parent="4", AddressOnParent="0"),
             item("1.x", 17, "8", HostResource="/disk/c", Parent="5", AddressOnParent="1")]
    disks = [{"diskId": i, "fileRef": f"f{i}", "capacity": "1048576"} for i in "abc"]
    text = envelope("1.x", [(f"f{i}", f"{i}.img") for i in "abc"], disks, [system("1.x", "vm", items)])
    vm = parse_ovf(_write(tmp_path, text))
    assert vm.vcpus == 4 and vm.memory == 2 << 30
    assert [(d.bus, d.slot, d.capacity) for d in vm.disks] == [
        ("sata", "sata0:2", 1 << 20), ("nvme", "nvme0:0", 1 << 20), ("ide", "ide0:1", 1 << 20)]


def test_an_iso_in_the_package_is_a_readonly_cdrom(tmp_path):
    (tmp_path / "tools.iso").write_bytes(b"\0" * 2048)
    items = standard_items("1.x", disk_ids=(), cdrom_file="iso1")
    vm = parse_ovf(_write(tmp_path, envelope("1.x", [("iso1", "tools.iso")], [], [system("1.x", "vm", items)])))
    [cd] = vm.disks
    assert (cd.device, cd.readonly, cd.format, cd.bus, cd.slot) == ("cdrom", True, "raw", "ide", "ide1:0")


def test_firmware_mac_and_unattached_disks(tmp_path):
    extra = '<vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="efi"/>'
    items = standard_items("1.x", disk_ids=(), mac="zz:00")
    path = _one_disk(tmp_path, items=items, extra=extra)
    vm = parse_ovf(path)
    assert vm.firmware == "efi"
    assert vm.nics[0].mac == "" and "nic.mac" in codes(vm)
    assert "disk.unattached" in codes(vm) and len(vm.disks) == 1


def test_an_unknown_disk_reference_names_the_line(tmp_path):
    items = standard_items("1.x", disk_ids=("nosuch",))
    with pytest.raises(ConvertError, match=r"vm\.ovf:\d+: Hard disk 1: disk 'nosuch' is not in the DiskSection"):
        parse_ovf(_one_disk(tmp_path, items=items))


def test_the_default_deployment_option_chooses_the_items(tmp_path):
    options = ('<DeploymentOptionSection><Info>sizes</Info><Configuration ovf:id="small"><Label>S</Label>'
               '</Configuration><Configuration ovf:id="large" ovf:default="true"><Label>L</Label></Configuration>'
               "</DeploymentOptionSection>")
    items = [item("1.x", 3, "1", VirtualQuantity="1", configuration="small"),
             item("1.x", 3, "2", VirtualQuantity="8", configuration="large"),
             item("1.x", 4, "3", VirtualQuantity="512", AllocationUnits="byte * 2^20")]
    text = envelope("1.x", [], [], [system("1.x", "vm", items)], extra=options)
    vm = parse_ovf(_write(tmp_path, text))
    assert vm.vcpus == 8 and vm.memory == 512 << 20


def test_memory_without_units_is_mib_with_a_warning(tmp_path):
    items = [item("1.x", 4, "1", VirtualQuantity="256")]
    vm = parse_ovf(_write(tmp_path, envelope("1.x", [], [], [system("1.x", "vm", items)])))
    assert vm.memory == 256 << 20 and "memory.units" in codes(vm)


@needs_qemu_img
def test_the_header_decides_the_format(tmp_path):
    qemu_disk(tmp_path, "d.img", "vmdk", "1M", "streamOptimized")
    vm = parse_ovf(_one_disk(tmp_path, make=False))
    assert vm.disks[0].format == "vmdk" and "disk.format" in codes(vm)


def test_a_declared_vmdk_without_its_header_is_read_as_raw_with_a_warning(tmp_path):
    path = _one_disk(tmp_path)
    text = path.read_text().replace('ovf:capacityAllocationUnits="byte * 2^30"',
                                    f'ovf:capacityAllocationUnits="byte * 2^30" ovf:format="{VMDK_STREAM}"')
    vm = parse_ovf(_write(tmp_path, text))
    assert vm.disks[0].format == "raw" and "disk.format" in codes(vm)


def test_utf16_declared_but_utf8_written_is_read(tmp_path):
    text = envelope("1.x", [], [], [system("1.x", "vm", [item("1.x", 3, "1", VirtualQuantity="2")],
                                           annotation="Caf\u00e9")])
    path = tmp_path / "vm.ovf"
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-8"))
    vm = parse_ovf(path)
    assert vm.notes == "Caf\u00e9" and "xml.encoding" in codes(vm)
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert parse_ovf(path).notes == "Caf\u00e9"


def test_a_descriptor_over_16_mib_is_refused(tmp_path):
    path = tmp_path / "big.ovf"
    with open(path, "wb") as handle:
        handle.write(b"<Envelope>")
        handle.write(b" " * (16 << 20))
        handle.write(b"</Envelope>")
    with pytest.raises(ConvertError, match="larger than 16 MiB"):
        parse_ovf(path)


def test_a_blank_disk_attached_twice_is_two_new_disks_and_a_file_disk_twice_is_reported(tmp_path):
    (tmp_path / "d.img").write_bytes(b"\0" * 512)
    disks = [{"diskId": "blank", "capacity": "10", "capacityAllocationUnits": "byte * 2^20"},
             {"diskId": "vmdisk1", "fileRef": "file1", "capacity": "1", "capacityAllocationUnits": "byte * 2^30"}]
    items = standard_items("1.x", disk_ids=("vmdisk1", "blank", "blank", "vmdisk1"))
    text = envelope("1.x", [("file1", "d.img")], disks, [system("1.x", "vm", items)])
    text = text.replace('ovf:href="d.img"', 'ovf:href="d.img" ovf:compression="identity"')
    vm = parse_ovf(_write(tmp_path, text))
    assert [(d.path != "", d.capacity, d.slot) for d in vm.disks] == [
        (True, 1 << 30, "scsi0:0"), (False, 10 << 20, "scsi0:1"), (False, 10 << 20, "scsi0:2")]
    assert vm.disks[1] is not vm.disks[2]
    assert codes(vm).count("disk.twice") == 1 and "disk.blank" in codes(vm)


def test_disks_of_the_other_systems_or_options_are_not_taken(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.img").write_bytes(b"\0" * 512)
    disks = [{"diskId": n, "fileRef": f"f{n}", "capacity": "1048576"} for n in "abc"]
    options = ('<DeploymentOptionSection><Info>o</Info><Configuration ovf:id="big"><Label>B</Label></Configuration>'
               '<Configuration ovf:id="small" ovf:default="true"><Label>S</Label></Configuration>'
               "</DeploymentOptionSection>")
    first = standard_items("1.x", disk_ids=("a",)) + [
        item("1.x", 17, "90", HostResource="ovf:/disk/c", Parent="3", AddressOnParent="5", configuration="big")]
    systems = [system("1.x", "one", first), system("1.x", "two", standard_items("1.x", disk_ids=("b",)))]
    text = envelope("1.x", [(f"f{n}", f"{n}.img") for n in "abc"], disks, systems, collection="pair", extra=options)
    vm = parse_ovf(_write(tmp_path, text))
    assert [d.path for d in vm.disks] == [str(tmp_path / "a.img")]
    assert "disk.unattached" not in codes(vm) and "b, c" in note_text(vm, "disk.elsewhere")


def note_text(vm, code) -> str:
    return " ".join(n.text for n in vm.report if n.code == code)


def test_a_file_size_other_than_declared_is_reported(tmp_path):
    path = _one_disk(tmp_path)
    assert "file.size" not in codes(parse_ovf(path))
    for size, warned in (("4096", False), ("5000", True)):
        _write(tmp_path, path.read_text().replace('ovf:href="d.img"/>', f'ovf:href="d.img" ovf:size="{size}"/>'),
               "sized.ovf")
        assert ("file.size" in codes(parse_ovf(tmp_path / "sized.ovf"))) is warned
