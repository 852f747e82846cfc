"""parse_hyperv_xml: a Hyper-V 2008 R2 / 2012 export's configuration read as a SourceVm. The samples are written
here from the format's description (values as typed elements, devices under GUID-named elements)."""

import json

import pytest

from core.convert.hyperv import IDE_CONTROLLER, SCSI_CONTROLLER, parse_hyperv_xml
from core.convert.mapping import plan
from core.convert.source import ConvertError

GUID = "8A0C3A5B-3E4F-4F6A-9D3B-0123456789AB"
SYNTHETIC_NIC = "_1a2b3c4d-0000-4000-8000-00000000aa01_"
LEGACY_NIC = "_1a2b3c4d-0000-4000-8000-00000000aa02_"


def drive(n, kind, pathname):
    return (f"<drive{n}><pathname type=\"string\">{pathname}</pathname><type type=\"string\">{kind}</type>"
            f"</drive{n}>")


def config(name="web01", memory="1024", count="2", ide="", scsi="", nics="", extra="", dynamic="False"):
    return f"""<?xml version="1.0" encoding="UTF-16" standalone="yes"?>
<configuration>
  <properties>
    <creation_time type="bytes">AAAA</creation_time>
    <global_id type="string">{GUID}</global_id>
    <name type="string">{name}</name>
    <notes type="string">exported from the lab</notes>
    <type_id type="string">Virtual Machines</type_id>
    <version type="integer">768</version>
  </properties>
  <settings>
    <global_id type="string">{{{GUID}}}</global_id>
  </settings>
  <memory>
    <bank>
      <dynamic_memory_enabled type="bool">{dynamic}</dynamic_memory_enabled>
      <size type="integer">{memory}</size>
      <limit type="integer">1024</limit>
    </bank>
  </memory>
  <processors><count type="integer">{count}</count></processors>
  <_{IDE_CONTROLLER}_>{ide}</_{IDE_CONTROLLER}_>
  <_{SCSI_CONTROLLER}_>{scsi}</_{SCSI_CONTROLLER}_>
  {nics}
  {extra}
</configuration>
"""


IDE = ("<controller0>" + drive(0, "VHD", r"C:\Hyper-V\web01\Virtual Hard Disks\web01.vhd")
       + drive(1, "NONE", "") + "</controller0><controller1>"
       + drive(0, "ISO", r"C:\iso\setup.iso") + "</controller1>")
SCSI = ("<controller0>" + drive(0, "VHD", r"D:\VMs\data.VHDX") + drive(1, "PASSTHRU", r"\\.\PHYSICALDRIVE2")
        + drive(2, "VHD", r"D:\VMs\data_0A1B.avhd") + "</controller0>")
NICS = f"""
  <{SYNTHETIC_NIC}>
    <ChannelInstanceGuid type="string">{{00000000-0000-0000-0000-000000000001}}</ChannelInstanceGuid>
    <Connection>
      <AltPortName type="string">port</AltPortName>
      <AltSwitchName type="string">External LAN</AltSwitchName>
      <SwitchName type="string">5B3E-SWITCH-GUID</SwitchName>
    </Connection>
    <FriendlyName type="string">Network Adapter</FriendlyName>
    <IsConnected type="bool">True</IsConnected>
    <MacAddress type="string">00155D0A0B0C</MacAddress>
    <MacAddressIsStatic type="bool">False</MacAddressIsStatic>
  </{SYNTHETIC_NIC}>
  <{LEGACY_NIC}>
    <address type="string">00-15-5D-0A-0B-0D</address>
    <connection type="string">Internal</connection>
    <FriendlyName type="string">Legacy Network Adapter</FriendlyName>
  </{LEGACY_NIC}>
"""


def export(tmp_path, text, encoding="utf-8", disks=("web01.vhd", "data.vhdx"), snapshots=0):
    """An export folder: Virtual Machines/<GUID>.xml, Virtual Hard Disks/..., Snapshots/..."""
    (tmp_path / "Virtual Machines").mkdir(exist_ok=True)
    (tmp_path / "Virtual Hard Disks").mkdir(exist_ok=True)
    for d in disks:
        (tmp_path / "Virtual Hard Disks" / d).write_bytes(b"conectix")
    if snapshots:
        (tmp_path / "Snapshots").mkdir(exist_ok=True)
        for i in range(snapshots):
            (tmp_path / "Snapshots" / f"{i:08X}-0000-0000-0000-000000000000.xml").write_text("<configuration/>")
    p = tmp_path / "Virtual Machines" / f"{GUID}.xml"
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def codes(vm):
    return [n.code for n in vm.report]


def test_a_full_export_declared_utf16_written_utf8(tmp_path):
    p = export(tmp_path, config(ide=IDE, scsi=SCSI, nics=NICS), snapshots=2)
    vm = parse_hyperv_xml(p)
    assert vm.format == "hyperv" and vm.path == str(p)
    assert vm.name == "web01" and vm.uuid == GUID.lower()
    assert vm.memory == 1024 << 20 and vm.vcpus == 2 and vm.firmware == "bios"
    assert vm.notes == "exported from the lab"
    vhd = tmp_path / "Virtual Hard Disks"
    assert [(d.path, d.format, d.bus, d.slot, d.device) for d in vm.disks] == [
        (str(vhd / "web01.vhd"), "vpc", "ide", "IDE 0:0", "disk"),
        (r"C:\iso\setup.iso", "raw", "ide", "IDE 1:0", "cdrom"),  # not in the export: as Hyper-V named it
        (str(vhd / "data.vhdx"), "vhdx", "scsi", "SCSI 0:0", "disk"),
        (str(vhd / "data_0A1B.avhd"), "vpc", "scsi", "SCSI 0:2", "disk")]
    assert "disk.skipped" in codes(vm)  # the pass-through disk
    assert "disk.differencing" in codes(vm) and "disk.missing" in codes(vm)
    assert [(n.model, n.mac, n.network) for n in vm.nics] == [
        ("synthetic", "00:15:5d:0a:0b:0c", "External LAN"), ("emulated", "00:15:5d:0a:0b:0d", "Internal")]
    assert vm.snapshots == 2
    assert "xml.encoding" in codes(vm)
    json.dumps(vm.to_dict())


def test_a_real_utf16_file(tmp_path):
    vm = parse_hyperv_xml(export(tmp_path, config(ide=IDE), encoding="utf-16"))
    assert vm.name == "web01" and vm.disks[0].format == "vpc"
    assert "xml.encoding" not in codes(vm)


def test_plan_for_a_bulkhead_host(tmp_path):
    vm = parse_hyperv_xml(export(tmp_path, config(ide=IDE, scsi=SCSI, nics=NICS)))
    p = plan(vm, "bulkhead", switches=["External LAN"])
    assert p.disks[0].source.endswith("web01.vhd") and p.disks[0].source_format == "vpc"
    assert p.disks[0].target == "web01-disk1.vhd" and p.disks[0].attach
    assert p.settings["network"] == "External LAN"
    assert "cdrom.ignored" in [n.code for n in p.report]


def test_disconnected_adapter_and_dynamic_memory(tmp_path):
    nic = NICS.replace('<IsConnected type="bool">True</IsConnected>', '<IsConnected type="bool">False</IsConnected>')
    vm = parse_hyperv_xml(export(tmp_path, config(nics=nic, dynamic="True")))
    assert vm.nics[0].network == "" and "memory.dynamic" in codes(vm)


def test_disk_found_beside_the_xml(tmp_path):
    p = export(tmp_path, config(ide="<controller0>" + drive(0, "VHD", r"E:\x\beside.vhd") + "</controller0>"),
               disks=())
    (p.parent / "beside.vhd").write_bytes(b"conectix")
    vm = parse_hyperv_xml(p)
    assert vm.disks[0].path == str(p.parent / "beside.vhd") and "disk.missing" not in codes(vm)


def test_hostile_disk_names_stay_in_the_export(tmp_path):
    ide = "<controller0>" + drive(0, "VHD", r"..\..\..\etc\passwd.vhd") + drive(1, "VHD", "..") + "</controller0>"
    vm = parse_hyperv_xml(export(tmp_path, config(ide=ide), disks=()))
    assert [d.path for d in vm.disks] == [str(tmp_path / "Virtual Hard Disks" / "passwd.vhd")]
    assert "disk.skipped" in codes(vm)


def test_missing_values(tmp_path):
    vm = parse_hyperv_xml(export(tmp_path, "<configuration><properties/></configuration>"))
    assert vm.name == "" and vm.memory == 0 and vm.vcpus == 1
    assert "name.missing" in codes(vm) and "memory.missing" in codes(vm)


@pytest.mark.parametrize("text,what", [
    ("<configuration/>", "not a Hyper-V exported VM configuration"),
    ("<domain><name>x</name></domain>", "not a Hyper-V exported VM configuration"),
    (config(memory="lots"), "memory size (MB) is not a whole number"),
    (config(memory="-1"), "not a whole number"),
    (config(memory="99999999999999"), "out of range"),
    (config(count="0"), "processor count 0 is out of range"),
    ("<configuration><properties>", "not well-formed"),
    ("<!DOCTYPE c [<!ENTITY a 'b'>]><configuration><properties/></configuration>", ""),
])
def test_bad_files_are_one_line_errors(tmp_path, text, what):
    p = export(tmp_path, text)
    with pytest.raises(ConvertError) as e:
        parse_hyperv_xml(p)
    message = str(e.value)
    assert message.startswith(str(p)) and "\n" not in message and what in message


def test_an_error_names_the_line(tmp_path):
    p = export(tmp_path, config(count="two"))
    with pytest.raises(ConvertError) as e:
        parse_hyperv_xml(p)
    line = next(i for i, text in enumerate(config(count="two").splitlines(), 1) if "two" in text)
    assert f"{GUID}.xml:{line}:" in str(e.value)
