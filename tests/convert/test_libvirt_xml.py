"""parse_libvirt_xml: a libvirt domain XML file read as a SourceVm; bad files are one-line ConvertErrors."""

import json

import pytest

from core.convert.libvirt_xml import parse_libvirt_xml, parse_mac
from core.convert.source import ConvertError

MiB = 1 << 20
GiB = 1 << 30

DOMAIN = """<?xml version="1.0"?>
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>web01</name>
  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>
  <title>Web</title>
  <description>front end
second line</description>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://ubuntu.com/ubuntu/22.04"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit='GiB'>2</memory>
  <currentMemory unit='MiB'>1024</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
  </os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web01.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='data.img'/>
      <target dev='sdb' bus='scsi'/><readonly/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/iso/ubuntu.iso'/>
      <target dev='hdc' bus='ide'/><readonly/></disk>
    <disk type='file' device='cdrom'><target dev='hdd' bus='ide'/></disk>
    <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdc' bus='virtio'/></disk>
    <disk type='network' device='disk'><source protocol='rbd' name='pool/img'/><target dev='vdd'/></disk>
    <disk type='volume' device='disk'><source pool='default' volume='v1'/><target dev='vde'/></disk>
    <interface type='network'>
      <mac address='52:54:00:AB:CD:EF'/><source network='default'/><model type='virtio'/>
    </interface>
    <interface type='bridge'><mac address='not-a-mac'/><source bridge='br0'/><model type='e1000'/></interface>
    <interface type='user'/>
    <serial type='pty'><target port='0'/></serial>
    <serial type='pty'><target port='1'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <console type='pty'><target type='virtio' port='1'/></console>
    <sound model='ich6'/>
    <hostdev mode='subsystem' type='pci'/>
  </devices>
  <qemu:commandline><qemu:arg value='-no-hpet'/></qemu:commandline>
</domain>
"""


def write(tmp_path, text, name="web01.xml", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def codes(vm):
    return [n.code for n in vm.report]


def test_a_full_domain(tmp_path):
    vm = parse_libvirt_xml(write(tmp_path, DOMAIN))
    assert vm.format == "libvirt" and vm.path == str(tmp_path / "web01.xml")
    assert vm.name == "web01" and vm.uuid == "c7a5fdbd-cdaf-9455-926a-d65c16db1809"
    assert vm.memory == 2 * GiB
    assert vm.vcpus == 2 and "vcpus.current" in codes(vm)
    assert vm.firmware == "efi"
    assert vm.os == "http://ubuntu.com/ubuntu/22.04"
    assert vm.notes == "front end\nsecond line"
    assert [(d.path, d.format, d.bus, d.slot, d.device, d.readonly) for d in vm.disks] == [
        ("/var/lib/libvirt/images/web01.qcow2", "qcow2", "virtio", "vda", "disk", False),
        (str(tmp_path / "data.img"), "raw", "scsi", "sdb", "disk", True),
        ("/iso/ubuntu.iso", "raw", "ide", "hdc", "cdrom", True),
        ("", "raw", "ide", "hdd", "cdrom", True)]
    skipped = [n.text for n in vm.report if n.code == "disk.skipped"]
    assert len(skipped) == 3
    assert any("block device" in t for t in skipped) and any("network disk" in t for t in skipped)
    assert any("storage pool volume" in t for t in skipped)
    assert [(n.model, n.mac, n.network, n.connection) for n in vm.nics] == [
        ("virtio", "52:54:00:ab:cd:ef", "default", "network"), ("e1000", "", "br0", "bridged"),
        ("", "", "", "nat")]
    assert "nic.mac" in codes(vm)
    assert vm.serial_ports == 3  # two serial ports (the serial console is the first) and a virtio console
    assert "device.sound" in codes(vm) and "device.hostdev" in codes(vm)
    json.dumps(vm.to_dict())


@pytest.mark.parametrize("unit,number,expected", [
    (None, "1048576", GiB), ("KiB", "1024", MiB), ("k", "1024", MiB), ("KB", "1000", 1000 * 1000),
    ("b", "4194304", 4 * MiB), ("bytes", "4194304", 4 * MiB), ("M", "512", 512 * MiB), ("MB", "1", 1000 ** 2),
    ("G", "3", 3 * GiB), ("GiB", "3", 3 * GiB), ("TiB", "1", 1 << 40)])
def test_memory_units(tmp_path, unit, number, expected):
    attr = f" unit='{unit}'" if unit else ""
    vm = parse_libvirt_xml(write(tmp_path, f"<domain><name>a</name><memory{attr}>{number}</memory></domain>"))
    assert vm.memory == expected


def test_current_memory_alone_and_missing(tmp_path):
    vm = parse_libvirt_xml(write(tmp_path, "<domain><name>a</name><currentMemory unit='MiB'>256</currentMemory>"
                                           "</domain>"))
    assert vm.memory == 256 * MiB
    vm = parse_libvirt_xml(write(tmp_path, "<domain><name>a</name></domain>"))
    assert vm.memory == 0 and "memory.missing" in codes(vm) and vm.vcpus == 1 and vm.firmware == "bios"


@pytest.mark.parametrize("os_xml,firmware,note", [
    ("<os firmware='efi'><type>hvm</type></os>", "efi", None),
    ("<os firmware='bios'/>", "bios", None),
    ("<os firmware='coreboot'/>", "bios", "firmware.unknown"),
    ("<os><loader>/usr/share/edk2/ovmf/OVMF_CODE.fd</loader></os>", "efi", None),
    ("<os><type>hvm</type><boot dev='hd'/></os>", "bios", None)])
def test_firmware(tmp_path, os_xml, firmware, note):
    vm = parse_libvirt_xml(write(tmp_path, f"<domain><name>a</name>{os_xml}</domain>"))
    assert vm.firmware == firmware
    assert (note in codes(vm)) if note else "firmware.unknown" not in codes(vm)


def test_unknown_disk_format_and_missing_driver(tmp_path):
    vm = parse_libvirt_xml(write(tmp_path, """<domain><name>a</name><devices>
        <disk type='file' device='disk'><driver type='weird'/><source file='/a'/><target dev='vda'/></disk>
        <disk type='file' device='disk'><source file='/b'/><target dev='hdb'/></disk>
        <disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>
        <disk type='file' device='disk'><target dev='vdz'/></disk>
        </devices></domain>"""))
    assert [(d.format, d.bus, d.device) for d in vm.disks] == [("raw", "virtio", "disk"), ("raw", "ide", "disk"),
                                                               ("raw", "fdc", "floppy")]
    assert "disk.format" in codes(vm) and "disk.skipped" in codes(vm)


def test_a_utf16_file(tmp_path):
    text = DOMAIN.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    vm = parse_libvirt_xml(write(tmp_path, text, encoding="utf-16"))
    assert vm.name == "web01"


def test_mac_spellings():
    assert parse_mac("52-54-00-AB-CD-EF") == "52:54:00:ab:cd:ef"
    assert parse_mac("525400abcdef") == "52:54:00:ab:cd:ef"
    assert parse_mac("52:54-00:ab:cd:ef") == ""
    assert parse_mac("00:00:00:00:00:00") == ""
    assert parse_mac("zz:54:00:ab:cd:ef") == ""


@pytest.mark.parametrize("content,what", [
    (b"", "not well-formed"),
    (b"<domain><name>a</name>", "not well-formed"),
    (b"<VirtualBox/>", "not a libvirt domain"),
    (b"<domain><memory unit='KiB'>-5</memory></domain>", "not a whole number"),
    (b"<domain><memory unit='KiB'>1e9</memory></domain>", "not a whole number"),
    (b"<domain><memory unit='parsecs'>5</memory></domain>", "unknown unit"),
    (b"<domain><memory unit='EiB'>99999999</memory></domain>", "too large"),
    (b"<domain><vcpu>0</vcpu></domain>", "out of range"),
    (b"<domain><vcpu>100000</vcpu></domain>", "out of range"),
    (b"<domain><vcpu current='9'>4</vcpu></domain>", "out of range"),
    (b"<!DOCTYPE d [<!ENTITY x 'y'>]><domain><name>&x;</name></domain>", ""),
    (b"\xff\xfe\x00", ""),
    (b"<domain>" + b"<a>" * 300 + b"</a>" * 300 + b"</domain>", "nested"),
])
def test_bad_files_are_one_line_errors(tmp_path, content, what):
    p = write(tmp_path, content)
    with pytest.raises(ConvertError) as e:
        parse_libvirt_xml(p)
    message = str(e.value)
    assert message.startswith(str(p)) and "\n" not in message
    assert what in message


def test_error_names_the_line(tmp_path):
    p = write(tmp_path, "<domain>\n<name>a</name>\n<memory unit='KiB'>\nlots\n</memory>\n</domain>")
    with pytest.raises(ConvertError, match=r"web01\.xml:3: memory is not a whole number"):
        parse_libvirt_xml(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ConvertError, match="cannot be read"):
        parse_libvirt_xml(tmp_path / "nope.xml")
    with pytest.raises(ConvertError, match="is a folder"):
        parse_libvirt_xml(tmp_path)


def test_too_many_disks(tmp_path):
    disks = "".join(f"<disk type='file'><source file='/d{i}'/><target dev='vd{i}'/></disk>" for i in range(65))
    with pytest.raises(ConvertError, match="at most 64"):
        parse_libvirt_xml(write(tmp_path, f"<domain><name>a</name><devices>{disks}</devices></domain>"))
