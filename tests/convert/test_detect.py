"""read_source: the parser is chosen from the file's extension and content, or the one descriptor in a folder;
anything else is a one-line ConvertError naming the formats known."""

import importlib.util
import sys
import tarfile
import types

import pytest

from core.convert import detect
from core.convert.detect import guess_format, read_source
from core.convert.source import ConvertError, SourceVm

LIBVIRT = "<domain type='kvm'><name>lv1</name><memory unit='MiB'>256</memory><vcpu>1</vcpu></domain>"
HYPERV = """<?xml version="1.0" encoding="UTF-16" standalone="yes"?>
<!-- exported -->
<configuration>
  <properties><name type="string">hv1</name></properties>
  <memory><bank><size type="integer">512</size></bank></memory>
</configuration>
"""
VMX = 'config.version = "8"\nvirtualHW.version = "14"\ndisplayName = "vmx1"\nmemsize = "256"\nnumvcpus = "1"\n'
OVF = """<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
  xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
  <References/>
  <VirtualSystem ovf:id="ovf1">
    <Info>a VM</Info>
    <Name>ovf1</Name>
    <VirtualHardwareSection>
      <Info>hardware</Info>
      <Item><rasd:ElementName>cpu</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>mem</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>256</rasd:VirtualQuantity></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
"""


def has(module: str) -> bool:
    return importlib.util.find_spec(f"core.convert.{module}") is not None


def fake_parsers(monkeypatch):
    """Every parser replaced by one that says which it is (so dispatch is tested without the others' code)."""
    calls = []
    for fmt, (module, function, _what) in detect.FORMATS.items():
        fake = types.ModuleType(f"core.convert.{module}")

        def parse(path, *rest, _fmt=fmt):
            calls.append((_fmt, str(path), rest))
            return SourceVm(_fmt, str(path))

        setattr(fake, function, parse)
        monkeypatch.setitem(sys.modules, f"core.convert.{module}", fake)
    return calls


@pytest.mark.parametrize("name,content,fmt", [
    ("a.vmx", "", "vmx"), ("a.VMX", "", "vmx"), ("a.ovf", "", "ovf"), ("a.ova", "", "ova"),
    ("a.vbox", "", "vbox"), ("a.xml", LIBVIRT, "libvirt"), ("a.xml", HYPERV, "hyperv"),
    ("a.xml", '<?xml version="1.0"?><ovf:Envelope xmlns:ovf="x"/>', "ovf"),
    ("a.xml", "<VirtualBox xmlns='http://www.virtualbox.org/'/>", "vbox"),
    ("dumped", LIBVIRT, "libvirt"), ("settings.cfg", VMX, "vmx"),
    ("a.xml", "<html/>", ""), ("a.txt", "hello", ""), ("a.xml", "", "")])
def test_guess_format(tmp_path, name, content, fmt):
    p = tmp_path / name
    p.write_text(content)
    assert guess_format(p) == fmt


def test_guess_format_utf16_and_tar(tmp_path):
    p = tmp_path / "x.xml"
    p.write_bytes(HYPERV.encode("utf-16"))
    assert guess_format(p) == "hyperv"
    inner = tmp_path / "vm.ovf"
    inner.write_text(OVF)
    tar = tmp_path / "appliance.bin"
    with tarfile.open(tar, "w", format=tarfile.USTAR_FORMAT) as t:
        t.add(inner, arcname="vm.ovf")
    assert guess_format(tar) == "ova"


def test_dispatch_to_each_parser(tmp_path, monkeypatch):
    calls = fake_parsers(monkeypatch)
    for name, content in [("a.vmx", VMX), ("a.ovf", OVF), ("a.vbox", "<VirtualBox/>"), ("l.xml", LIBVIRT),
                          ("h.xml", HYPERV)]:
        (tmp_path / name).write_text(content)
        read_source(tmp_path / name)
    (tmp_path / "a.ova").write_bytes(b"")
    read_source(tmp_path / "a.ova", workdir=tmp_path)
    assert [c[0] for c in calls] == ["vmx", "ovf", "vbox", "libvirt", "hyperv", "ova"]
    assert calls[-1][2] == (tmp_path,)


def test_ova_needs_a_workdir(tmp_path, monkeypatch):
    fake_parsers(monkeypatch)
    (tmp_path / "a.ova").write_bytes(b"")
    with pytest.raises(ConvertError, match="give a folder to extract it into"):
        read_source(tmp_path / "a.ova")


def test_a_folder_with_one_descriptor(tmp_path):
    (tmp_path / "lv1.xml").write_text(LIBVIRT)
    (tmp_path / "notes.xml").write_text("<notes/>")
    (tmp_path / "disk.qcow2").write_bytes(b"QFI\xfb")
    vm = read_source(tmp_path)
    assert vm.format == "libvirt" and vm.name == "lv1" and vm.path == str(tmp_path / "lv1.xml")


def test_a_hyperv_export_folder(tmp_path):
    (tmp_path / "Virtual Machines").mkdir()
    (tmp_path / "Virtual Hard Disks").mkdir()
    (tmp_path / "Virtual Machines" / "8A0C3A5B-3E4F-4F6A-9D3B-0123456789AB.xml").write_text(HYPERV)
    vm = read_source(tmp_path)
    assert vm.format == "hyperv" and vm.name == "hv1" and vm.memory == 512 << 20


def test_a_folder_with_several_or_none(tmp_path):
    (tmp_path / "a.vmx").write_text(VMX)
    (tmp_path / "b.xml").write_text(LIBVIRT)
    with pytest.raises(ConvertError, match=r"2 VM descriptors in this folder \(a\.vmx, b\.xml\): name the one"):
        read_source(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConvertError, match="no VM descriptor in this folder") as e:
        read_source(empty)
    assert "VMware .vmx" in str(e.value) and "libvirt" in str(e.value)


@pytest.mark.parametrize("name,content", [("disk.vmdk", b"KDMV\x01"), ("a.xml", b"<html/>"),
                                          ("noext", b"\x00\x01\x02"), ("a.iso", b"")])
def test_unknown_files_name_the_formats_known(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ConvertError) as e:
        read_source(p)
    message = str(e.value)
    assert message.startswith(str(p)) and "\n" not in message
    for what in ("VMware .vmx", "OVF .ovf", "OVA .ova", "VirtualBox .vbox", "libvirt", "Hyper-V"):
        assert what in message


def test_missing_path(tmp_path):
    with pytest.raises(ConvertError, match="no such file or folder"):
        read_source(tmp_path / "nothing.vmx")


def test_a_missing_parser_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "core.convert.vbox", None)  # import fails as for a module not there
    (tmp_path / "a.vbox").write_text("<VirtualBox/>")
    with pytest.raises(ConvertError, match="reading VirtualBox .vbox files is not available"):
        read_source(tmp_path / "a.vbox")


def test_a_parser_failing_unexpectedly_is_still_one_line(tmp_path, monkeypatch):
    fake = types.ModuleType("core.convert.vmx")

    def parse(path):
        raise ValueError("bad\nthing")

    fake.parse_vmx = parse
    monkeypatch.setitem(sys.modules, "core.convert.vmx", fake)
    (tmp_path / "a.vmx").write_text(VMX)
    with pytest.raises(ConvertError, match="cannot be read as VMware .vmx: ValueError"):
        read_source(tmp_path / "a.vmx")


# --- the other formats' real parsers, where they are in the tree ------------------------------------------------

@pytest.mark.skipif(not has("vmx"), reason="core/convert/vmx.py is not in the tree yet")
def test_real_vmx(tmp_path):
    (tmp_path / "vmx1.vmx").write_text(VMX)
    vm = read_source(tmp_path)
    assert vm.format == "vmx" and vm.name == "vmx1" and vm.memory == 256 << 20


@pytest.mark.skipif(not has("ovf"), reason="core/convert/ovf.py is not in the tree yet")
def test_real_ovf(tmp_path):
    (tmp_path / "ovf1.ovf").write_text(OVF)
    vm = read_source(tmp_path / "ovf1.ovf")
    assert vm.format == "ovf" and vm.name == "ovf1" and vm.memory == 256 << 20


@pytest.mark.skipif(not has("ova"), reason="core/convert/ova.py is not in the tree yet")
def test_real_ova(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ovf1.ovf").write_text(OVF)
    with tarfile.open(tmp_path / "ovf1.ova", "w", format=tarfile.USTAR_FORMAT) as t:
        t.add(src / "ovf1.ovf", arcname="ovf1.ovf")
    work = tmp_path / "work"
    work.mkdir()
    vm = read_source(tmp_path / "ovf1.ova", workdir=work)
    assert vm.format == "ova" and vm.name == "ovf1"


@pytest.mark.skipif(not has("vbox"), reason="core/convert/vbox.py is not in the tree yet")
def test_real_vbox(tmp_path):
    (tmp_path / "vb1.vbox").write_text(
        '<?xml version="1.0"?><VirtualBox xmlns="http://www.virtualbox.org/" version="1.16-linux">'
        '<Machine uuid="{11111111-2222-3333-4444-555555555555}" name="vb1" OSType="Ubuntu_64">'
        '<Hardware><CPU count="1"/><Memory RAMSize="256"/></Hardware></Machine></VirtualBox>')
    vm = read_source(tmp_path)
    assert vm.format == "vbox" and vm.name == "vb1" and vm.memory == 256 << 20
