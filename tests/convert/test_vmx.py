"""core.convert.vmx: a VMware .vmx read into a SourceVm, its disks checked by read_vmdk and read by qemu-img from
the path the parser returns; malformed files refused naming the line, what is not carried over reported."""

from __future__ import annotations

import json
import os

import pytest

from core.convert.source import ConvertError
from core.convert.vmx import parse_vmx, unescape
from tests.convert.conftest import VMDK_SUBFORMATS, GiB, MiB, needs_qemu_img, vmx_text

pytestmark = needs_qemu_img

FULL = vmx_text(
    {".encoding": "UTF-8", "config.version": "8", "virtualHW.version": "19", "displayName": "Web Server |22prod|22",
     "memsize": "2048", "numvcpus": "4", "guestOS": "ubuntu-64", "firmware": "efi",
     "uuid.bios": "56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc",
     "annotation": "first line|0Asecond line|7Cwith a bar"},
    ("scsi0", {"virtualDev": "lsilogic"}), ("scsi0:0", {"fileName": "disk.vmdk"}),
    ("scsi0:1", {"fileName": "data.vmdk", "mode": "independent-nonpersistent"}),
    ("sata0", {}), ("sata0:1", {"deviceType": "cdrom-image", "fileName": "install.iso"}),
    ("ide1:0", {"deviceType": "atapi-cdrom", "fileName": "auto detect"}),
    ("ethernet0", {"virtualDev": "vmxnet3", "connectionType": "bridged", "networkName": "VM Network",
                   "addressType": "generated", "generatedAddress": "00:0C:29:AB:CD:EF"}),
    ("ethernet1", {"virtualDev": "e1000", "connectionType": "custom", "vnet": "vmnet2", "addressType": "static",
                   "address": "00:50:56:01:02:03"}),
    ("ethernet2", {"present": "FALSE", "address": "00:50:56:09:09:09"}),
    ("serial0", {}), ("serial1", {"present": "FALSE"}))

MINIMAL = 'config.version = "8"\ndisplayName = "small"\nmemsize = "256"\n'


def _codes(vm):
    return [n.code for n in vm.report]


@pytest.fixture
def full_vm(raw_disk, make_vmdk, write_vmx, sample_dir):
    raw = raw_disk(64 * MiB)
    make_vmdk(raw, "disk.vmdk")
    make_vmdk(raw_disk(16 * MiB, name="second.raw"), "data.vmdk", "monolithicFlat")
    (sample_dir / "install.iso").write_bytes(bytes(4096))
    return raw, write_vmx(FULL)


def test_a_full_vmx_is_read(full_vm, sample_dir, qemu_compare):
    raw, path = full_vm
    vm = parse_vmx(path)
    assert vm.format == "vmx" and vm.path == str(path.resolve())
    assert vm.name == 'Web Server "prod"'
    assert vm.memory == 2048 * MiB and vm.vcpus == 4 and vm.os == "ubuntu-64"
    assert vm.firmware == "efi" and vm.uuid == "564d1234-5678-9abc-def0-123456789abc"
    assert vm.notes == "first line\nsecond line|with a bar"
    disks = [(d.slot, d.bus, d.device, d.format, d.capacity, d.readonly) for d in vm.disks]
    assert disks == [("scsi0:0", "scsi", "disk", "vmdk", 64 * MiB, False),
                     ("scsi0:1", "scsi", "disk", "vmdk", 16 * MiB, False),
                     ("ide1:0", "ide", "cdrom", "raw", 0, True),
                     ("sata0:1", "sata", "cdrom", "raw", 4096, True)]
    assert vm.disks[0].path == str((sample_dir / "disk.vmdk").resolve())
    assert vm.disks[2].path == "" and vm.disks[3].path == str((sample_dir / "install.iso").resolve())
    assert qemu_compare(raw, vm.disks[0].path, vm.disks[0].format)
    nics = [(n.model, n.mac, n.network, n.connection) for n in vm.nics]
    assert nics == [("vmxnet3", "00:0c:29:ab:cd:ef", "VM Network", "bridged"),
                    ("e1000", "00:50:56:01:02:03", "vmnet2", "custom")]
    assert vm.serial_ports == 1 and vm.snapshots == 0
    efi = [n for n in vm.report if n.code == "firmware.efi"]
    assert efi and efi[0].severity == "warning" and efi[0].text.startswith("EFI firmware: ")
    mode = [n for n in vm.report if n.code == "disk.mode"]
    assert mode[0].severity == "warning" and "scsi0:1 is independent-nonpersistent" in mode[0].text
    assert "cdrom.host" in _codes(vm)
    json.dumps(vm.to_dict())  # JSON-safe as it crosses layers


@pytest.mark.parametrize("subformat", VMDK_SUBFORMATS)
def test_every_vmdk_layout_through_a_vmx_reads_the_right_data(raw_disk, make_vmdk, write_vmx, qemu_compare,
                                                              subformat):
    raw = raw_disk(3 * GiB, [(0, 65536), (2 * GiB - 4096, 8192), (3 * GiB - 65536, 65536)])
    make_vmdk(raw, "My Disk.vmdk", subformat)
    vm = parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "My Disk.vmdk"\n'))
    (disk,) = vm.disks
    assert disk.capacity == 3 * GiB and disk.format == "vmdk" and disk.path.endswith("/My Disk.vmdk")
    assert qemu_compare(raw, disk.path, disk.format)


def test_a_snapshot_chain_converts_the_current_state(raw_disk, make_vmdk, empty_vmdk, write_vmx, qemu_compare,
                                                     sample_dir):
    raw = raw_disk(16 * MiB)
    make_vmdk(raw, "vm.vmdk")
    empty_vmdk("vm-000001.vmdk", 16 * MiB, options="backing_file=vm.vmdk,backing_fmt=vmdk")
    (sample_dir / "vm.vmsd").write_text('.encoding = "UTF-8"\nsnapshot.numSnapshots = "1"\n'
                                        'snapshot0.displayName = "before upgrade"\n')
    vm = parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "vm-000001.vmdk"\n'))
    assert vm.snapshots == 1
    assert vm.disks[0].path.endswith("vm-000001.vmdk") and "disk.delta" in _codes(vm)
    assert qemu_compare(raw, vm.disks[0].path, "vmdk")


def test_missing_memsize_is_32_mib_with_a_report_line(write_vmx):
    vm = parse_vmx(write_vmx('config.version = "8"\ndisplayName = "x"\n'))
    assert vm.memory == 32 * MiB and vm.vcpus == 1 and vm.firmware == "bios"
    note = [n for n in vm.report if n.code == "memory.default"]
    assert note and note[0].severity == "warning" and "32 MiB" in note[0].text


def test_keys_are_case_insensitive_and_values_may_be_bare(write_vmx):
    vm = parse_vmx(write_vmx('CONFIG.VERSION = 8\nDisplayName="Mixed"\nMEMSIZE = "512"\nNumVCPUs = 2\n'
                             'GuestOS = "Windows9-64"\n# a comment\n\n'))
    assert (vm.name, vm.memory, vm.vcpus, vm.os) == ("Mixed", 512 * MiB, 2, "windows9-64")


def test_the_file_name_when_there_is_no_display_name(write_vmx):
    vm = parse_vmx(write_vmx('config.version = "8"\nmemsize = "64"\n', "fallback.vmx"))
    assert vm.name == "fallback" and "name.file" in _codes(vm)


def test_a_folder_with_one_vmx_is_read(write_vmx, sample_dir):
    write_vmx(MINIMAL)
    assert parse_vmx(sample_dir).name == "small"
    write_vmx(MINIMAL, "other.vmx")
    with pytest.raises(ConvertError, match="2 .vmx files"):
        parse_vmx(sample_dir)


@pytest.mark.parametrize("text,line,reason", [
    ('memsize = "10', 4, "bad quoting or a truncated line"),
    ('displayName = "a"b"', 4, "bad quoting"),
    ("memsize", 4, 'not a key = "value" line'),
    ('memsize = "99999999999999999999"', 4, "not a number of MiB"),
    ('memsize = "99999999"', 4, "out of range"),
    ('memsize = "0"', 4, "out of range"),
    ('memsize = "lots"', 4, "'lots' is not a number of MiB"),
    ('memsize = "-5"', 4, "not a number of MiB"),
    ('numvcpus = "100000"', 4, "processors is out of range"),
    ('scsi0:0.present = "maybe"', 4, "neither TRUE nor FALSE"),
])
def test_malformed_lines_name_the_line(write_vmx, text, line, reason):
    path = write_vmx('config.version = "8"\ndisplayName = "x"\n# comment\n' + text + "\n")
    with pytest.raises(ConvertError, match=reason) as e:
        parse_vmx(path)
    assert e.value.params["line"] == line and str(e.value).startswith(f"{path}:{line}: ")
    assert "\n" not in str(e.value)


def test_a_missing_disk_file_names_it_and_the_line(write_vmx):
    path = write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "gone.vmdk"\n')
    with pytest.raises(ConvertError, match="scsi0:0.fileName 'gone.vmdk' not found") as e:
        parse_vmx(path)
    assert e.value.params["line"] == 5


def test_a_disk_without_a_file_name_is_refused(write_vmx):
    with pytest.raises(ConvertError, match="names no fileName"):
        parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\n'))


def test_a_damaged_disk_is_refused_naming_the_disk(write_vmx, sample_dir):
    (sample_dir / "disk.vmdk").write_bytes(b"KDMV" + bytes(508))
    with pytest.raises(ConvertError, match=r"disk.vmdk: damaged sparse header: .* \(scsi0:0 of vm.vmx\)$"):
        parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "disk.vmdk"\n'))


def test_a_line_over_64_kib_is_refused(write_vmx):
    path = write_vmx(MINIMAL + 'annotation = "' + "x" * (65 << 10) + '"\n')
    with pytest.raises(ConvertError, match="a line of 66575 bytes") as e:
        parse_vmx(path)
    assert e.value.params["line"] == 4


def test_non_utf8_is_refused_unless_the_encoding_says_so(write_vmx):
    text = 'config.version = "8"\ndisplayName = "Büro"\nmemsize = "64"\n'
    with pytest.raises(ConvertError, match="not UTF-8 text") as e:
        parse_vmx(write_vmx(text.encode("cp1252")))
    assert e.value.params["line"] == 2
    vm = parse_vmx(write_vmx(('.encoding = "windows-1252"\n' + text).encode("cp1252")))
    assert vm.name == "Büro"


@pytest.mark.parametrize("content,reason", [
    (b"", "no key"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "NUL byte"),
    (b'foo = "bar"\n', "not a VMX"),
])
def test_files_that_are_no_vmx_are_refused(write_vmx, content, reason):
    with pytest.raises(ConvertError, match=reason):
        parse_vmx(write_vmx(content))


def test_a_vmx_over_16_mib_is_refused(write_vmx):
    with pytest.raises(ConvertError, match="too large"):
        parse_vmx(write_vmx(MINIMAL + ("# padding\n" * (17 << 17))))


@pytest.mark.parametrize("name", ["../outside.vmdk", "sub/../../outside.vmdk"])
def test_disks_outside_the_folder_are_refused(make_vmdk, raw_disk, write_vmx, sample_dir, name):
    make_vmdk(raw_disk(MiB), "outside.vmdk", folder=sample_dir.parent)
    with pytest.raises(ConvertError, match="outside the VM's folder") as e:
        parse_vmx(write_vmx(MINIMAL + f'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "{name}"\n'))
    assert e.value.params["line"] == 5


def test_a_datastore_path_reads_the_file_beside_the_vmx(make_vmdk, raw_disk, write_vmx, qemu_compare):
    raw = raw_disk(MiB)
    make_vmdk(raw, "disk.vmdk")
    vm = parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\n'
                                       'scsi0:0.fileName = "/vmfs/volumes/datastore1/web/disk.vmdk"\n'))
    assert vm.disks[0].path.endswith("/vm/disk.vmdk") and "disk.moved" in _codes(vm)
    assert qemu_compare(raw, vm.disks[0].path, "vmdk")
    with pytest.raises(ConvertError, match="outside the VM's folder and no 'other.vmdk' is beside the VMX"):
        parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "C:\\VMs\\other.vmdk"\n'))


def test_disks_not_present_or_on_absent_controllers_are_left_out(make_vmdk, raw_disk, write_vmx):
    make_vmdk(raw_disk(MiB), "disk.vmdk")
    vm = parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "FALSE"\nscsi0:0.fileName = "gone.vmdk"\n'
                                       'scsi1.present = "FALSE"\nscsi1:0.present = "TRUE"\n'
                                       'scsi1:0.fileName = "disk.vmdk"\nide0:5.present = "TRUE"\n'
                                       'ide0:5.fileName = "disk.vmdk"\nnvme0:0.present = "TRUE"\n'
                                       'nvme0:0.fileName = "disk.vmdk"\n'))
    assert [(d.slot, d.bus) for d in vm.disks] == [("nvme0:0", "nvme")]
    assert "disk.controller" in _codes(vm) and "disk.slot" in _codes(vm)


def test_the_bios_boot_disk_comes_first(make_vmdk, raw_disk, write_vmx):
    make_vmdk(raw_disk(MiB), "a.vmdk")
    make_vmdk(raw_disk(2 * MiB, name="b.raw"), "b.vmdk")
    body = ('ide0:0.present = "TRUE"\nide0:0.fileName = "a.vmdk"\n'
            'sata0:0.present = "TRUE"\nsata0:0.fileName = "b.vmdk"\n')
    assert [d.slot for d in parse_vmx(write_vmx(MINIMAL + body)).disks] == ["ide0:0", "sata0:0"]
    vm = parse_vmx(write_vmx(MINIMAL + body + 'bios.hddOrder = "sata0:0"\n'))
    assert [d.slot for d in vm.disks] == ["sata0:0", "ide0:0"]


def test_a_cd_image_outside_the_folder_is_reported_not_refused(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'ide1:0.present = "TRUE"\nide1:0.deviceType = "cdrom-image"\n'
                                       'ide1:0.fileName = "/isos/win.iso"\nide1:1.present = "TRUE"\n'
                                       'ide1:1.fileName = "gone.iso"\n'))
    assert [(d.slot, d.device, d.path) for d in vm.disks] == [("ide1:0", "cdrom", ""), ("ide1:1", "cdrom", "")]
    assert _codes(vm).count("cdrom.image") == 2


@pytest.mark.parametrize("mode,severity", [("independent-persistent", "info"), ("nonpersistent", "warning"),
                                           ("undoable", "warning"), ("weird", "warning")])
def test_disk_modes_are_reported(make_vmdk, raw_disk, write_vmx, mode, severity):
    make_vmdk(raw_disk(MiB), "disk.vmdk")
    vm = parse_vmx(write_vmx(MINIMAL + f'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "disk.vmdk"\n'
                                       f'scsi0:0.mode = "{mode}"\n'))
    notes = [n for n in vm.report if n.code == "disk.mode"]
    assert len(notes) == 1 and notes[0].severity == severity and len(vm.disks) == 1


def test_passthrough_and_unknown_devices_are_reported_and_left_out(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'scsi0:0.present = "TRUE"\nscsi0:0.deviceType = "rawDisk"\n'
                                       'scsi0:0.fileName = "/dev/sda"\nscsi0:1.present = "TRUE"\n'
                                       'scsi0:1.deviceType = "tape"\n'))
    assert vm.disks == [] and "disk.passthrough" in _codes(vm) and "disk.unknown" in _codes(vm)


@pytest.mark.parametrize("lines,mac,code", [
    ('ethernet0.addressType = "vpx"\nethernet0.generatedAddress = "00:50:56:AA:BB:CC"', "00:50:56:aa:bb:cc", None),
    ('ethernet0.address = "00-50-56-AA-BB-CC"', "00:50:56:aa:bb:cc", None),
    ('ethernet0.addressType = "static"\nethernet0.address = "zz:50:56:aa:bb:cc"', "", "nic.mac"),
    ('ethernet0.addressType = "generated"', "", None),
    ('ethernet0.addressType = "odd"\nethernet0.address = "00:50:56:aa:bb:cc"', "00:50:56:aa:bb:cc", "nic.address"),
])
def test_nic_addresses(write_vmx, lines, mac, code):
    vm = parse_vmx(write_vmx(MINIMAL + 'ethernet0.present = "TRUE"\n' + lines + "\n"))
    assert vm.nics[0].mac == mac and vm.nics[0].connection == "bridged"
    if code:
        assert code in _codes(vm)


def test_firmware_values(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'firmware = "coreboot"\n'))
    assert vm.firmware == "bios" and any("unknown firmware value 'coreboot', assuming BIOS" in n.text
                                         for n in vm.report)
    vm = parse_vmx(write_vmx(MINIMAL + 'firmware = "efi"\nuefi.secureBoot.enabled = "TRUE"\n'))
    assert vm.firmware == "efi" and "firmware.secureboot" in _codes(vm)


def test_a_bad_uuid_is_reported(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'uuid.bios = "56 4d zz"\n'))
    assert vm.uuid == "" and "uuid.bad" in _codes(vm)


def test_snapshot_lists(write_vmx, sample_dir):
    path = write_vmx(MINIMAL)
    (sample_dir / "vm.vmsd").write_text('snapshot.numSnapshots = "3"\n')
    assert parse_vmx(path).snapshots == 3
    (sample_dir / "vm.vmsd").write_text('snapshot.numSnapshots = "many"\n')
    vm = parse_vmx(path)
    assert vm.snapshots == 0 and "snapshots.unknown" in _codes(vm)
    (sample_dir / "vm.vmsd").write_bytes(b"\xff\xfe\x00")
    assert "snapshots.unknown" in _codes(parse_vmx(path))


def test_a_running_or_suspended_vm_is_reported(write_vmx, sample_dir):
    path = write_vmx(MINIMAL + 'checkpoint.vmState = "vm.vmss"\n')
    (sample_dir / "vm.vmx.lck").mkdir()
    codes = _codes(parse_vmx(path))
    assert "source.suspended" in codes and "source.running" in codes


def test_duplicate_keys_keep_the_last_with_a_warning(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'MemSize = "1024"\n'))
    assert vm.memory == 1024 * MiB and "vmx.duplicate" in _codes(vm)


def test_unescape():
    assert unescape("a|22b|0Ac|7C|zz|") == 'a"b\nc||zz|'


def test_devices_not_carried_over_are_reported(write_vmx):
    vm = parse_vmx(write_vmx(MINIMAL + 'floppy0.present = "TRUE"\nfloppy0.fileName = "boot.flp"\n'
                                       'sound.present = "TRUE"\nsound.virtualDev = "hdaudio"\n'
                                       'pciPassthru0.present = "TRUE"\nguestinfo.my/odd@key = "kept"\n'))
    assert {"floppy.ignored", "sound.ignored", "pci.ignored"} <= set(_codes(vm))
    assert any("'hdaudio' ignored" in n.text for n in vm.report)


def test_a_missing_file_or_a_pipe_is_refused_without_reading(sample_dir):
    os.mkfifo(sample_dir / "pipe.vmx")
    with pytest.raises(ConvertError, match="not a regular file"):
        parse_vmx(sample_dir / "pipe.vmx")
    with pytest.raises(ConvertError, match="no such file"):
        parse_vmx(sample_dir / "gone.vmx")
