"""The physical machine scan's parsers fuzzed (hypothesis): what a machine prints is untrusted (it may be another
machine over SSH), so any output - sections mangled, lsblk's JSON with hostile values and shapes, forged section
marks, random bytes - either reads into a machine whose every device path is under /dev, every size a whole number
in range and every string one clean line, which plans into a VM and is JSON-safe, or is a one-line ScanError naming
the machine. Never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.convert import physical
from core.convert.mapping import plan
from core.convert.physical import ScanError, parse_outputs, split_sections
from core.model.errors import BulkheadError

from .test_physical_scan import sections

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
MARK = "@@bulkhead-0123456789abcdef"
WHERE = "ssh://root@db1"

# hostile scalar values where lsblk gives strings, numbers and booleans
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(1 << 70), max_value=1 << 70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["/dev/sda", "/dev/../etc/passwd", "sda\n1", "/dev/sd\u202ea", "[SWAP]", "/",
                                     "99999999999999999999999", "0", "1", "true", "disk", "part", "lvm", "rom",
                                     "\x00", "/dev/" + "a" * 300]))
_KEYS = st.sampled_from(["name", "path", "type", "size", "fstype", "mountpoint", "model", "serial", "ro", "rm"])


def _device(children):
    return st.dictionaries(_KEYS, _VALUES, max_size=10).flatmap(
        lambda d: children.map(lambda kids: dict(d, children=kids)) if kids_wanted(d) else st.just(d))


def kids_wanted(d: dict) -> bool:
    return len(d) % 2 == 0


_DEVICES = st.recursive(st.lists(st.dictionaries(_KEYS, _VALUES, max_size=10), max_size=4),
                        lambda inner: st.lists(st.one_of(_device(inner), _VALUES), max_size=4), max_leaves=40)


def check(src, report) -> None:
    """A machine read from untrusted output: what the rest of the host relies on holds."""
    def walk(nodes, depth=0):
        for n in nodes:
            assert physical._DEV_PATH.match(n["path"]) and ".." not in n["path"], n["path"]
            assert isinstance(n["size"], int) and 0 <= n["size"] <= physical.SIZE_MAX
            for key in ("name", "model", "serial", "type"):
                assert "\n" not in n[key] and len(n[key]) <= physical.TEXT_MAX
            assert depth <= physical.DEPTH_MAX
            walk(n.get("partitions") or n.get("children") or (), depth + 1)

    walk(report["disks"])
    assert 0 <= src.memory <= physical.SIZE_MAX and 0 <= src.vcpus <= physical.CPUS_MAX
    for a in report["adapters"]:
        assert physical._IFNAME.match(a["name"]) and (not a["mac"] or physical._MAC.match(a["mac"]))
    for text in (src.name, src.os, report["processor_model"]):
        assert "\n" not in text and "\x00" not in text
    json.dumps(report)
    json.dumps(src.to_dict())
    try:
        planned = plan(src, "bulkhead", name="p2v")
    except BulkheadError as e:
        assert "\n" not in str(e)
    else:
        json.dumps(planned.to_dict())


def read(secs: dict) -> None:
    try:
        src, report = parse_outputs(secs, WHERE)
    except ScanError as e:
        assert WHERE in str(e) and "\n" not in str(e)
        return
    check(src, report)


@FUZZ
@given(devices=_DEVICES, top=st.sampled_from(["blockdevices", "devices", None]))
def test_hostile_lsblk_json(devices, top):
    data = {top: devices} if top else devices
    read(sections(lsblk=json.dumps(data, allow_nan=True)))


@FUZZ
@given(name=st.sampled_from(physical.SECTIONS), body=st.text(max_size=400), code=st.one_of(st.none(),
                                                                                           st.integers(0, 255)))
def test_one_mangled_section(name, body, code):
    read(sections(**{name: (body, code)}))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from([*physical.SECTIONS, "rc:0", "rc:1", "rc:x", "end", "lsblk lsblk"]),
                          st.text(max_size=200)), max_size=14))
def test_forged_and_shuffled_section_marks(pieces):
    text = "".join(f"\n{MARK} {token}\n{body}" for token, body in pieces)
    found = split_sections(text, MARK)
    assert set(found) <= set(physical.SECTIONS)
    assert all(len(body) <= physical.SECTION_MAX and (code is None or 0 <= code <= 255)
               for body, code in found.values())
    read(found)


@FUZZ
@given(st.binary(max_size=800))
def test_random_bytes_as_the_whole_output(data):
    read(split_sections(data.decode("utf-8", "replace"), MARK))


@FUZZ
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=40), st.sampled_from(["device", "", "x"])),
                max_size=20),
       st.lists(st.dictionaries(st.sampled_from(["ifname", "address", "operstate", "flags", "addr_info",
                                                 "link_type"]), _VALUES, max_size=6), max_size=8))
def test_hostile_adapters(net, ip):
    read(sections(net="".join(f"{a} {b} {c}\n" for a, b, c in net), ip=json.dumps(ip, allow_nan=True)))
