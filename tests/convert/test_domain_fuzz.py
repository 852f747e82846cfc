"""The libvirt and Hyper-V parsers on mangled input: a SourceVm or a one-line ConvertError naming the file, never
another exception. Bounded (a few seconds)."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.convert.hyperv import parse_hyperv_xml
from core.convert.libvirt_xml import parse_libvirt_xml
from core.convert.mapping import plan
from core.convert.source import ConvertError

LIBVIRT = ("<domain type='kvm'><name>web01</name><uuid>c7a5fdbd</uuid><memory unit='MiB'>512</memory>"
           "<currentMemory unit='KiB'>524288</currentMemory><vcpu current='1'>2</vcpu>"
           "<os firmware='efi'><loader>/OVMF.fd</loader></os><description>d</description><devices>"
           "<disk type='file' device='disk'><driver type='qcow2'/><source file='/a.qcow2'/>"
           "<target dev='vda' bus='virtio'/></disk>"
           "<disk type='file' device='cdrom'><source file='x.iso'/><target dev='hdc'/><readonly/></disk>"
           "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/>"
           "<model type='virtio'/></interface><serial type='pty'/><console type='pty'><target type='serial'/>"
           "</console></devices></domain>")
HYPERV = ("<?xml version='1.0' encoding='UTF-16'?><configuration><properties><name type='string'>hv</name>"
          "<global_id type='string'>AB</global_id></properties><memory><bank><size type='integer'>512</size>"
          "</bank></memory><processors><count type='integer'>2</count></processors>"
          "<_83f8638b-8dca-4152-9eda-2ca8b33039b4_><controller0><drive0><pathname type='string'>C:\\a\\b.vhd"
          "</pathname><type type='string'>VHD</type></drive0></controller0></_83f8638b-8dca-4152-9eda-2ca8b33039b4_>"
          "<_11111111-2222-3333-4444-555555555555_><MacAddress type='string'>00155D000001</MacAddress>"
          "<Connection><AltSwitchName type='string'>LAN</AltSwitchName></Connection>"
          "</_11111111-2222-3333-4444-555555555555_></configuration>")
PIECES = ["<", ">", "/", "'", '"', "=", "&", "&amp;", "\x00", "\ufeff", "\ud800", "é", "-1", "99999999999999999999",
          "unit='EiB'", "<disk>", "</devices>", "<!DOCTYPE x>", "<![CDATA[", "]]>", "0", "..\\..\\", "\n", " ",
          "<memory>", "<bank>", "<size type='integer'>", "<_83f8638b-8dca-4152-9eda-2ca8b33039b4_>"]


def mangled(sample: str):
    """The sample with a few slices replaced, deleted or repeated."""
    edit = st.tuples(st.integers(0, len(sample)), st.integers(0, 40),
                     st.one_of(st.sampled_from(PIECES), st.text(max_size=8)))

    @st.composite
    def build(draw):
        text = sample
        for pos, length, piece in draw(st.lists(edit, max_size=4)):
            pos = min(pos, len(text))
            text = text[:pos] + piece + text[pos + length:]
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
        return text.encode(encoding, "surrogatepass" if encoding != "latin-1" else "replace")
    return build()


def check(parse, data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        try:
            vm = parse(p)
        except ConvertError as e:
            message = str(e)
            assert message.startswith(str(p)) and "\n" not in message, message
            return
        vm.to_dict()
        for kind in ("bulkhead", "libvirt"):
            try:
                plan(vm, kind).to_dict()
            except ConvertError:
                raise
            except Exception as e:  # a plan refuses only with a one-line UsageError (memory over the host's)
                assert type(e).__name__ in ("UsageError",) and "\n" not in str(e), repr(e)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mangled(LIBVIRT))
def test_libvirt_parser_never_crashes(data):
    check(parse_libvirt_xml, data, "d.xml")


@FUZZ
@given(mangled(HYPERV))
def test_hyperv_parser_never_crashes(data):
    check(parse_hyperv_xml, data, "h.xml")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    check(parse_libvirt_xml, data, "r.xml")
    check(parse_hyperv_xml, data, "r.xml")
