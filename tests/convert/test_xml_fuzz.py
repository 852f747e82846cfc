"""Hostile and mangled descriptors: every input either parses into a SourceVm or raises ConvertError (never
another exception, never an expanded entity, never a file read outside the package). Bounded: a few seconds."""

from __future__ import annotations

import copy
import io
import tarfile
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.convert.ova import open_ova
from core.convert.ovf import parse_ovf
from core.convert.source import ConvertError, SourceVm
from core.convert.vbox import parse_vbox
from core.convert.xmlsafe import parse_xml_bytes
from tests.convert.samples_xml import (
    OVF_NS,
    U_BASE,
    envelope,
    item,
    standard_items,
    system,
    vbox_xml,
    write_ova,
    write_vbox,
)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
PIECES = ["<", ">", "/>", "</Item>", "<Item>", "&", "&amp;", "&x;", '"', "'", "=", "<!DOCTYPE x>", "]]>", "<![CDATA[",
          "<?xml version='1.0'?>", "\x00", "\ufeff", "\ud7ff", "é", "-1", "99999999999999999999999", "1e309", "NaN",
          "0x10", "../", "/etc/passwd", "ovf:/disk/", "ovf:/file/", "byte * 2^", "{", "}", " ", "\n",
          'xmlns:q="urn:q"', "q:", "<Disk ovf:diskId='d' ovf:capacity='7'/>", "<HardDisk uuid='{x}' location='a'/>",
          f'<HardDisk uuid="{U_BASE}" location="base.vdi" format="VDI"/>', "<Snapshot><Snapshots>", "</Snapshots>"]

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE Envelope [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"><VirtualSystem><Name>&f;</Name></VirtualSystem></Envelope>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE Envelope [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"><VirtualSystem><Name>&secret;</Name></VirtualSystem></Envelope>
"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<x/>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE VirtualBox SYSTEM "file:///etc/passwd">
<VirtualBox xmlns="http://www.virtualbox.org/"><Machine name="m"/></VirtualBox>
"""
UNDECLARED = b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"><Name>&secret;</Name></Envelope>'


def _ovf_samples() -> list[bytes]:
    out = []
    for version in OVF_NS:
        items = standard_items(version) + [item(version, 4, "9", VirtualQuantity="3", AllocationUnits="byte * 2^30")]
        disks = [{"diskId": "vmdisk1", "fileRef": "file1", "capacity": "1", "capacityAllocationUnits": "byte * 2^30"}]
        out.append(envelope(version, [("file1", "d.img")], disks, [system(version, "vm", items, annotation="n")],
                            collection="c" if version == "2.0" else "").encode())
    return out


OVF_SAMPLES = _ovf_samples()
VBOX_SAMPLES = [vbox_xml().encode(), vbox_xml(attached=U_BASE, firmware="").encode()]


def mangle(data: st.DataObject, base: bytes) -> bytes:
    """``base`` with a few random edits: slices cut, pieces of XML and hostile values put in, a truncation."""
    text = base
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace", "digits", "truncate"]))
        if action == "insert":
            text = text[:at] + data.draw(st.sampled_from(PIECES)).encode("utf-8", "surrogatepass") + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 60)):]
        elif action == "replace":
            piece = data.draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
            text = text[:at] + piece + text[at + len(piece):]
        elif action == "digits":
            text = text.replace(b'"1"', b'"' + str(data.draw(st.integers(-2**70, 2**70))).encode() + b'"', 1)
        else:
            text = text[:at]
    return text


def check(parser, path, data: bytes):
    path.write_bytes(data)
    try:
        vm = parser(path)
    except ConvertError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return None
    assert isinstance(vm, SourceVm)
    for disk in vm.disks:
        assert disk.path == "" or disk.path.startswith(str(path.parent))
        assert 0 <= disk.capacity < 2**63
    assert 0 <= vm.memory < 2**63 and vm.vcpus >= 1
    vm.to_dict()
    return vm


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    (path / "d.img").write_bytes(b"\0" * 4096)
    write_vbox(path)
    return path


@FUZZ
@given(data=st.data())
def test_mangled_ovf_parses_or_is_refused(folder, data):
    base = data.draw(st.sampled_from(OVF_SAMPLES))
    check(parse_ovf, folder / "vm.ovf", mangle(data, base))


@FUZZ
@given(data=st.data())
def test_mangled_vbox_parses_or_is_refused(folder, data):
    base = data.draw(st.sampled_from(VBOX_SAMPLES))
    check(parse_vbox, folder / "devbox.vbox", mangle(data, base))


HOSTILE = st.one_of(st.sampled_from(["", "0", "-1", "1e9", "NaN", "inf", "18446744073709551616", "9" * 30, "../d.img",
                                      "/etc/passwd", "d.img", "ovf:/disk/vmdisk1", "ovf:/file/file1", "ovf:/disk/",
                                      "byte * 2^64", "byte * 2^30", "GigaBytes", "furlongs", "17", "6", "20", "3",
                                      "true", "false", "HardDisk", "DVD", U_BASE, "{" + "f" * 36 + "}", "x" * 300]),
                      st.integers(-2**70, 2**70).map(str), st.text(max_size=10))


def mutate_tree(data: st.DataObject, base: bytes) -> bytes:
    """``base`` (a trusted sample) kept well-formed while its values change: attributes and texts set to hostile
    values, elements dropped, duplicated or moved under another parent."""
    import xml.etree.ElementTree as ET  # the sample is ours, not foreign input
    root = ET.fromstring(base)
    nodes = list(root.iter())
    for _ in range(data.draw(st.integers(1, 8))):
        node = data.draw(st.sampled_from(nodes))
        action = data.draw(st.sampled_from(["attr", "text", "drop", "dup", "move"]))
        if action == "attr" and node.attrib:
            node.set(data.draw(st.sampled_from(sorted(node.attrib))), data.draw(HOSTILE))
        elif action == "text":
            node.text = data.draw(HOSTILE)
        elif action in ("drop", "dup", "move") and len(node):
            child = data.draw(st.sampled_from(list(node)))
            if action == "drop":
                node.remove(child)
            elif action == "dup":
                node.append(copy.deepcopy(child))
            else:
                node.remove(child)
                inner = set(map(id, child.iter()))
                data.draw(st.sampled_from([n for n in nodes if id(n) not in inner])).append(child)
        nodes = list(root.iter())
    text = ET.tostring(root, encoding="unicode")
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").encode("utf-8", "surrogatepass")


@FUZZ
@given(data=st.data())
def test_ovf_with_hostile_values_parses_or_is_refused(folder, data):
    check(parse_ovf, folder / "values.ovf", mutate_tree(data, data.draw(st.sampled_from(OVF_SAMPLES))))


@FUZZ
@given(data=st.data())
def test_vbox_with_hostile_values_parses_or_is_refused(folder, data):
    check(parse_vbox, folder / "devbox.vbox", mutate_tree(data, data.draw(st.sampled_from(VBOX_SAMPLES))))


_NAMES = st.sampled_from(["Envelope", "References", "File", "DiskSection", "Disk", "VirtualSystem",
                          "VirtualSystemCollection", "VirtualHardwareSection", "Item", "rasd:ResourceType",
                          "rasd:VirtualQuantity", "rasd:HostResource", "rasd:Parent", "rasd:InstanceID",
                          "rasd:AllocationUnits", "rasd:Address", "Section", "Content", "NetworkSection", "Network"])
_VALUES = st.one_of(st.sampled_from(["3", "4", "6", "10", "17", "20", "ovf:/disk/d", "ovf:/file/f", "d.img", "../x",
                                     "/etc/passwd", "byte * 2^40", "-3", "ovf:VirtualSystem_Type", "d", "f"]),
                    st.integers(-10, 2**64).map(str), st.text(max_size=8))


def _tree(depth: int):
    keys = st.sampled_from(["ovf:id", "ovf:href", "ovf:diskId", "ovf:fileRef", "ovf:capacity", "xsi:type",
                            "ovf:capacityAllocationUnits"])
    leaf = st.tuples(_NAMES, st.dictionaries(keys, _VALUES, max_size=3), _VALUES, st.just(()))
    if depth == 0:
        return leaf
    return st.tuples(_NAMES, st.dictionaries(st.sampled_from(["ovf:id", "ovf:href", "xsi:type"]), _VALUES,
                                             max_size=2), _VALUES, st.lists(_tree(depth - 1), max_size=4))


def _render(node) -> str:
    from xml.sax.saxutils import escape, quoteattr
    name, attrs, text, children = node
    attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{name}{attr_text}>{escape(text)}{''.join(_render(c) for c in children)}</{name}>"


@FUZZ
@given(tree=st.lists(_tree(3), min_size=1, max_size=4))
def test_generated_envelopes_parse_or_are_refused(folder, tree):
    ns = 'xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"'
    ns += (' xmlns:rasd="urn:rasd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
    body = "".join(_render(node) for node in tree)
    text = f"<Envelope {ns}>{body}</Envelope>"
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    check(parse_ovf, folder / "gen.ovf", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(blob=st.binary(max_size=400))
def test_arbitrary_bytes_are_refused_or_parsed(folder, blob):
    check(parse_ovf, folder / "bytes.ovf", blob)
    check(parse_vbox, folder / "bytes.vbox", blob)


@pytest.mark.parametrize("parser, name", [(parse_ovf, "x.ovf"), (parse_vbox, "x.vbox")])
@pytest.mark.parametrize("payload, why", [(BOMB, "DTD"), (EXTERNAL, "DTD"), (PARAMETER, "DTD"), (EXTERNAL_DTD, "DTD"),
                                          (UNDECLARED, "undefined entity")])
def test_entities_and_dtds_are_refused(tmp_path, parser, name, payload, why):
    path = tmp_path / name
    path.write_bytes(payload)
    started = time.monotonic()
    with pytest.raises(ConvertError, match=why) as caught:
        parser(path)
    assert time.monotonic() - started < 1
    assert "root:" not in str(caught.value) and caught.value.params["file"] == str(path)
    with pytest.raises(ConvertError):
        parse_xml_bytes(payload, path)


def _ova_bytes() -> bytes:
    buffer = io.BytesIO()
    ovf = envelope("1.x", [("f", "d.img")], [{"diskId": "d", "fileRef": "f", "capacity": "1"}],
                   [system("1.x", "vm", standard_items("1.x", disk_ids=("d",)))]).encode()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (("vm.ovf", ovf), ("vm.mf", b""), ("d.img", b"\0" * 1024)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


OVA = _ova_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mangled_ova_archives_extract_or_are_refused(tmp_path_factory, data):
    work = tmp_path_factory.mktemp("ova")
    blob = bytearray(OVA)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(blob) - 1))
        blob[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        blob = blob[:data.draw(st.integers(0, len(blob)))]
    path = work / "x.ova"
    path.write_bytes(bytes(blob))
    out = work / "out"
    out.mkdir()
    try:
        descriptor = open_ova(path, out)
    except ConvertError:
        assert list(out.rglob("*.*")) == []
        return
    assert descriptor.is_relative_to(out.resolve())


def test_the_helpers_write_ovas(tmp_path):
    write_ova(tmp_path / "a.ova", [("a.ovf", b"<x/>")])
    assert tarfile.open(tmp_path / "a.ova").getnames() == ["a.ovf"]


def test_too_deep_or_too_many_elements_are_refused(tmp_path):
    deep = b"<a>" * 201 + b"</a>" * 201
    with pytest.raises(ConvertError, match="nested more than 200 deep"):
        parse_xml_bytes(deep, tmp_path / "deep.ovf")
    many = b"<a>" + b"<b/>" * 300_001 + b"</a>"
    started = time.monotonic()
    with pytest.raises(ConvertError, match="more than 300000 elements"):
        parse_xml_bytes(many, tmp_path / "many.ovf")
    assert time.monotonic() - started < 5
    assert parse_xml_bytes(b"<a>" * 199 + b"</a>" * 199, tmp_path / "ok.ovf").root.tag == "a"


def test_the_loader_keeps_lines_text_and_namespaces(tmp_path):
    doc = parse_xml_bytes(b'<?xml version="1.0"?>\n<a xmlns="urn:x" xmlns:e="urn:with space">one<e:b k="v"/>two\n'
                          b"<c>three</c></a>", tmp_path / "x.xml")
    b, c = list(doc.root)
    assert (doc.root.tag, b.tag, doc.root.text, b.tail, c.text) == ("{urn:x}a", "{urn:with space}b", "one",
                                                                    "two\n", "three")
    assert (doc.line(doc.root), doc.line(b), doc.line(c)) == (2, 2, 3)
    assert str(doc.error(c, "bad")) == f"{tmp_path / 'x.xml'}:3: bad"
