"""VirtualBox .vbox files with a differencing chain and a snapshot tree -> SourceVm."""

from __future__ import annotations

import json
import subprocess

import pytest

from core.convert.source import ConvertError
from core.convert.vbox import parse_vbox
from tests.convert.samples_xml import (
    INNOTEK_NS,
    U_BASE,
    U_DATA,
    U_DIFF1,
    U_DIFF2,
    U_ISO,
    needs_qemu_img,
    qemu_disk,
    vbox_xml,
    write_vbox,
)


def codes(vm) -> list[str]:
    return [note.code for note in vm.report]


def note(vm, code):
    [found] = [n for n in vm.report if n.code == code]
    return found


@needs_qemu_img
def test_the_current_state_with_a_differencing_chain_and_snapshots(tmp_path):
    path = write_vbox(tmp_path)
    (tmp_path / "base.vdi").unlink()
    qemu_disk(tmp_path, "base.vdi", "vdi", "32M")
    vm = parse_vbox(path)
    assert (vm.format, vm.name, vm.uuid, vm.os, vm.notes) == ("vbox", "devbox", "d1d2d3d4-0000-4000-8000-00000000abcd",
                                                              "Ubuntu_64", "Build machine")
    assert (vm.vcpus, vm.memory, vm.firmware, vm.serial_ports) == (2, 2048 << 20, "efi", 1)
    system, data, cd = vm.disks
    assert (system.path, system.format, system.capacity) == (str(tmp_path / "base.vdi"), "vdi", 32 << 20)
    assert (system.bus, system.slot, system.device) == ("sata", "SATA 0:0", "disk")
    assert (data.path, data.format, data.slot) == (str(tmp_path / "data.vmdk"), "vmdk", "SATA 1:0")
    assert (cd.path, cd.device, cd.readonly, cd.bus, cd.slot) == (str(tmp_path / "install.iso"), "cdrom", True,
                                                                  "ide", "IDE 1:0")
    diff = note(vm, "disk.differencing")
    assert diff.severity == "warning" and "2 layers over base.vdi" in diff.text and "NOT included" in diff.text
    assert U_DIFF2 in diff.text
    assert vm.snapshots == 3
    left = note(vm, "snapshots.left")
    assert left.severity == "warning" and left.text.startswith("3 snapshots not converted")
    assert [(n.model, n.mac, n.connection, n.network) for n in vm.nics] == [
        ("82540EM", "08:00:27:aa:bb:cc", "nat", ""), ("virtio", "08:00:27:dd:ee:ff", "bridged", "eth0")]
    json.dumps(vm.to_dict())
    # the path given is what qemu-img reads, with the format given
    subprocess.run(["qemu-img", "info", "-f", system.format, system.path], check=True, capture_output=True)


def test_a_base_disk_attached_directly_is_the_current_state(tmp_path):
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(attached=U_BASE)))
    assert "disk.differencing" not in codes(vm)
    assert "current state is" in note(vm, "snapshots.left").text
    assert vm.disks[0].path == str(tmp_path / "base.vdi")


def test_one_differencing_layer(tmp_path):
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(attached=U_DIFF1)))
    assert "1 layer over base.vdi" in note(vm, "disk.differencing").text


def test_the_old_innotek_namespace_is_read_and_others_refused(tmp_path):
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(ns=INNOTEK_NS, snapshots="<!-- none -->")))
    assert vm.name == "devbox" and vm.snapshots == 0 and "snapshots.left" not in codes(vm)
    with pytest.raises(ConvertError, match="not a VirtualBox machine file"):
        parse_vbox(write_vbox(tmp_path, vbox_xml(ns="http://example.org/")))


def test_a_chain_that_loops_is_refused(tmp_path):
    media = (f'<HardDisks><HardDisk uuid="{U_BASE}" location="base.vdi" format="VDI">'
             f'<HardDisk uuid="{U_DIFF1}" location="a.vdi" format="VDI">'
             f'<HardDisk uuid="{U_BASE}" location="b.vdi" format="VDI"/></HardDisk></HardDisk></HardDisks>')
    with pytest.raises(ConvertError, match=r"devbox\.vbox:\d+: the differencing chain .* loops"):
        parse_vbox(write_vbox(tmp_path, vbox_xml(media=media, attached=U_DIFF1)))
    media = (f'<HardDisks><HardDisk uuid="{U_DIFF1}" location="a.vdi" format="VDI" parent="{U_DIFF2}"/>'
             f'<HardDisk uuid="{U_DIFF2}" location="b.vdi" format="VDI" parent="{U_DIFF1}"/></HardDisks>')
    with pytest.raises(ConvertError, match="loops back"):
        parse_vbox(write_vbox(tmp_path, vbox_xml(media=media, attached=U_DIFF1)))


def test_a_missing_parent_is_refused(tmp_path):
    media = f'<HardDisks><HardDisk uuid="{U_DIFF1}" location="a.vdi" format="VDI" parent="{U_DIFF2}"/></HardDisks>'
    with pytest.raises(ConvertError, match=r"the parent \{33333333.*\} of medium \{22222222.*\} is missing"):
        parse_vbox(write_vbox(tmp_path, vbox_xml(media=media, attached=U_DIFF1)))


@needs_qemu_img
def test_a_differencing_vdi_registered_as_a_base_is_refused(tmp_path):
    path = write_vbox(tmp_path, vbox_xml(attached=U_BASE))
    (tmp_path / "base.vdi").unlink()
    image = qemu_disk(tmp_path, "base.vdi", "vdi", "4M")
    data = bytearray(image.read_bytes())
    data[0x4C:0x50] = (4).to_bytes(4, "little")
    image.write_bytes(bytes(data))
    with pytest.raises(ConvertError, match="differencing image whose parent is not in the MediaRegistry"):
        parse_vbox(path)


def test_an_unregistered_medium_is_refused(tmp_path):
    with pytest.raises(ConvertError, match=r"medium \{99999999-.*\} is not in the machine's MediaRegistry"):
        parse_vbox(write_vbox(tmp_path, vbox_xml(attached="{99999999-9999-4999-8999-999999999999}")))


@pytest.mark.parametrize("location, why", [("../other/disk.vdi", r"\.\."), ("/etc/passwd", "outside the machine")])
def test_locations_outside_the_folder_are_refused(tmp_path, location, why):
    media = f'<HardDisks><HardDisk uuid="{U_BASE}" location="{location}" format="VDI"/></HardDisks>'
    with pytest.raises(ConvertError, match=why):
        parse_vbox(write_vbox(tmp_path, vbox_xml(media=media, attached=U_BASE, storage=_one(U_BASE))))


def _one(uid, kind="HardDisk", inner=None):
    inner = inner if inner is not None else f'<Image uuid="{uid}"/>'
    return (f'<StorageController name="SCSI" type="LsiLogic"><AttachedDevice type="{kind}" port="2" device="0">'
            f"{inner}</AttachedDevice></StorageController>")


def test_an_absolute_location_inside_the_folder_and_a_missing_file(tmp_path):
    media = f'<HardDisks><HardDisk uuid="{U_BASE}" location="{tmp_path}/base.vdi" format="VDI"/></HardDisks>'
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(media=media, storage=_one(U_BASE))))
    assert (vm.disks[0].path, vm.disks[0].bus, vm.disks[0].slot) == (str(tmp_path / "base.vdi"), "scsi", "SCSI 2:0")
    (tmp_path / "base.vdi").unlink()
    with pytest.raises(ConvertError, match="disk file .*base.vdi' is missing"):
        parse_vbox(tmp_path / "devbox.vbox")


def test_adapters_firmware_state_and_drives(tmp_path):
    adapters = ('<Adapter slot="0" enabled="true" MACAddress="nothex" type="82545EM">'
                '<DisabledModes><InternalNetwork name="old"/></DisabledModes><HostOnlyInterface name="vboxnet0"/>'
                '</Adapter><Adapter slot="1" enabled="true" MACAddress="08:00:27:12:34:56">'
                '<InternalNetwork name="lab"/></Adapter>')
    storage = _one(U_ISO, "DVD", '<HostDrive src="/dev/sr0"/>') + _one("", "DVD", "")
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(adapters=adapters, firmware="", storage=storage,
                                                  machine_attrs=' stateFile="Snapshots/state.sav"')))
    assert [(n.model, n.mac, n.connection, n.network) for n in vm.nics] == [
        ("82545EM", "", "hostonly", "vboxnet0"), ("Am79C973", "08:00:27:12:34:56", "internal", "lab")]
    assert vm.firmware == "bios" and vm.disks == []
    assert {"nic.mac", "cdrom.host", "cdrom.empty", "state.saved"} <= set(codes(vm))
    vm = parse_vbox(write_vbox(tmp_path, vbox_xml(firmware="Coreboot")))
    assert vm.firmware == "bios" and "firmware.unknown" in codes(vm)


def test_controllers_inside_hardware_and_bad_numbers(tmp_path):
    vm_text = vbox_xml(storage=_one(U_DATA))
    block = "<StorageControllers>" + _one(U_DATA) + "</StorageControllers>"
    moved = vm_text.replace(block, "").replace("</Hardware>", block + "</Hardware>")
    assert moved != vm_text
    for text in (vm_text, moved):
        vm = parse_vbox(write_vbox(tmp_path, text))
        assert [d.slot for d in vm.disks] == ["SCSI 2:0"]
    for good, bad in [('RAMSize="2048"', 'RAMSize="-5"'), ('RAMSize="2048"', 'RAMSize="1e3"'),
                      ('<CPU count="2"/>', '<CPU count="0"/>'), ('RAMSize="2048"', 'RAMSize="99999999999"')]:
        with pytest.raises(ConvertError, match=r"devbox\.vbox:\d+: the (memory size|CPU count)"):
            parse_vbox(write_vbox(tmp_path, vm_text.replace(good, bad)))


def test_a_folder_or_a_global_settings_file_is_refused(tmp_path):
    with pytest.raises(ConvertError, match="is a folder"):
        parse_vbox(tmp_path)
    path = tmp_path / "VirtualBox.xml"
    path.write_text('<VirtualBox xmlns="http://www.virtualbox.org/"><Global/></VirtualBox>')
    with pytest.raises(ConvertError, match="no Machine element"):
        parse_vbox(path)


@pytest.mark.parametrize("origin", ["/home/olduser/VirtualBox VMs/devbox", "C:\\Users\\old\\VirtualBox VMs\\devbox"])
def test_a_copied_machine_with_absolute_locations_is_read_from_its_new_folder(tmp_path, origin):
    sep = "\\" if origin.startswith("C:") else "/"
    media = (f'<HardDisks><HardDisk uuid="{U_BASE}" location="{origin}{sep}base.vdi" format="VDI">'
             f'<HardDisk uuid="{U_DIFF1}" location="{origin}{sep}Snapshots{sep}{U_DIFF1}.vdi" format="VDI"/>'
             f'</HardDisk></HardDisks><DVDImages><Image uuid="{U_ISO}" location="/usr/share/tools.iso"/></DVDImages>')
    text = vbox_xml(media=media, attached=U_DIFF1).replace('snapshotFolder="Snapshots"',
                                                          f'snapshotFolder="{origin}{sep}Snapshots"')
    text = text.replace(f'<AttachedDevice type="HardDisk" port="1" device="0"><Image uuid="{U_DATA}"/>'
                        "</AttachedDevice>", "")
    vm = parse_vbox(write_vbox(tmp_path, text))
    assert [d.path for d in vm.disks] == [str(tmp_path / "base.vdi")]
    assert "disk.moved" in codes(vm) and "disk.differencing" in codes(vm)
    assert "outside the machine's folder" in note(vm, "cdrom.ignored").text
    elsewhere = text.replace(f"{origin}{sep}base.vdi", f"/srv/other{sep}base.vdi")
    with pytest.raises(ConvertError, match="outside the machine's folder"):
        parse_vbox(write_vbox(tmp_path, elsewhere))
