"""Untrusted VMX and VMDK input: whatever the bytes, parse_vmx and read_vmdk either return a result or raise a
one-line ConvertError, never another exception. Bounded: a few hundred examples each, no deadline flakiness
(BULKHEAD_FUZZ_EXAMPLES=20000 runs a longer, randomized search)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.convert.source import ConvertError
from core.convert.vmdk import read_vmdk
from core.convert.vmx import parse_vmx
from tests.convert.conftest import needs_qemu_img

pytestmark = needs_qemu_img
LONG = int(os.environ.get("BULKHEAD_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(max_examples=LONG or 300, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow])

KEYS = ["config.version", "displayName", "memsize", "numvcpus", "guestOS", "firmware", "uuid.bios", "annotation",
        "scsi0.present", "scsi0:0.present", "scsi0:0.fileName", "scsi0:0.deviceType", "scsi0:0.mode",
        "SATA0:1.Present", "sata0:1.fileName", "sata0:1.deviceType", "ide1:0.present", "ide1:0.fileName",
        "nvme0:0.present", "nvme0:0.fileName", "scsi99:999.present", "ethernet0.present", "ethernet0.virtualDev",
        "ethernet0.addressType", "ethernet0.address", "ethernet0.generatedAddress", "ethernet0.connectionType",
        "ethernet0.startConnected", "ethernet11.present", "serial0.present", "bios.hddOrder", "checkpoint.vmState",
        ".encoding", "uefi.secureBoot.enabled"]
VALUES = ["TRUE", "FALSE", "maybe", "disk.vmdk", "flat.vmdk", "flat-flat.vmdk", "../disk.vmdk", "/etc/passwd",
          "/vmfs/volumes/ds/vm/disk.vmdk", "C:\\VMs\\disk.vmdk", "vm.vmx", "", "efi", "bios", "0", "-1", "256",
          "99999999999999999999999", "1e9", "cdrom-image", "atapi-cdrom", "rawDisk", "independent-nonpersistent",
          "00:50:56:aa:bb:cc", "zz:zz", "static", "generated", "vpx", "windows-1252", "utf-8", "bogus", "|0A|22|7C",
          "a" * 300, "scsi0:0", "56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc", "\u202e\u0000x"]
LINE_FORMS = ['{k} = "{v}"', "{k} = {v}", '{k}="{v}', '{k} "{v}"', "{k}", '{k} = "{v}"" x', "# {k} {v}", ""]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A VM's folder with a real sparse disk and a flat one beside the fuzzed .vmx."""
    folder = tmp_path_factory.mktemp("fuzz")
    for name, sub in (("disk.vmdk", "monolithicSparse"), ("flat.vmdk", "monolithicFlat")):
        done = subprocess.run(["qemu-img", "create", "-q", "-f", "vmdk", "-o", f"subformat={sub}",
                               str(folder / name), "1M"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    # a stream-optimized disk as VMware writes them: "grain directory at the end" and a footer
    done = subprocess.run(["qemu-img", "create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized",
                           str(folder / "stream.vmdk"), "1M"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = (folder / "stream.vmdk").read_bytes()
    header = bytearray(data[:512])
    struct.pack_into("<Q", header, 56, 0xFFFFFFFFFFFFFFFF)
    marker = struct.pack("<QII", 0, 0, 3).ljust(512, b"\0")
    (folder / "stream.vmdk").write_bytes(bytes(header) + data[512:] + marker + data[:512] + bytes(512))
    return folder


def _qemu_agrees(vmdk) -> None:
    """What read_vmdk accepts, qemu-img opens, with the same capacity: the conversion reads what was checked."""
    done = subprocess.run(["qemu-img", "info", "--output=json", "-f", vmdk.qemu_format, vmdk.path],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["virtual-size"] == vmdk.capacity


def _check_vmx(path: Path) -> None:
    try:
        vm = parse_vmx(path)
    except ConvertError as e:
        assert "\n" not in str(e) and str(e).startswith(str(path.parent))  # the VMX, or a disk it names
        event("refused")
        return
    event("parsed")
    json.dumps(vm.to_dict())
    assert vm.memory > 0 and vm.vcpus >= 1
    assert all(Path(d.path).is_file() for d in vm.disks if d.path)
    assert all("\n" not in n.text for n in vm.report)


def _read_or_refused(path: Path):
    """read_vmdk's answer, or None where it refuses (in one line)."""
    try:
        vmdk = read_vmdk(path)
    except ConvertError as e:
        assert "\n" not in str(e)
        event("refused")
        return None
    event("read")
    return vmdk


_safe_text = st.text(st.characters(blacklist_characters='"\r\n', blacklist_categories=("Cs",)), max_size=40)
good_line = st.builds('{} = "{}"'.format, st.sampled_from(KEYS), st.one_of(st.sampled_from(VALUES), _safe_text))
bad_line = st.builds(lambda form, k, v: form.format(k=k, v=v), st.sampled_from(LINE_FORMS),
                     st.one_of(st.sampled_from(KEYS), st.text(max_size=12)),
                     st.one_of(st.sampled_from(VALUES), st.text(max_size=40)))


def _with_one_bad(good, bad):
    """Mostly well-formed lines (so the parsing behind the syntax is reached), sometimes one malformed line."""
    return st.builds(lambda lines, extra, at: lines[:at] + ([extra] if extra is not None else []) + lines[at:],
                     st.lists(good, max_size=25), st.one_of(st.none(), st.none(), bad), st.integers(0, 25))


@FUZZ
@given(_with_one_bad(good_line, bad_line), st.sampled_from(["\n", "\r\n"]))
def test_structured_vmx_lines(folder, lines, newline):
    path = folder / "vm.vmx"
    try:
        path.write_text('config.version = "8"' + newline + newline.join(lines), encoding="utf-8")
    except UnicodeEncodeError:
        return
    _check_vmx(path)


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_as_vmx(folder, data):
    path = folder / "vm.vmx"
    path.write_bytes(b'config.version = "8"\n' + data)
    _check_vmx(path)


EXTENT_LINES = ['RW 2048 FLAT "flat-flat.vmdk" 0', 'RW 2048 SPARSE "disk.vmdk"', "RW 2048 ZERO",
                'RW 2048 VMFS "flat-flat.vmdk"', 'RDONLY 1 FLAT "flat-flat.vmdk" 0', 'RW 1 FLAT "../x" 0',
                'RW 99999999999999999999999 FLAT "flat-flat.vmdk" 0', 'RW 2048 VMFSSPARSE "disk.vmdk"',
                'RW 2048 FLAT "flat-flat.vmdk', 'RW 2048 FLAT "/etc/hostname" 0', 'RW 2048 SESPARSE "flat.vmdk"']
DESC_KEYS = ['createType="monolithicFlat"', 'createType="vmfs"', 'createType="twoGbMaxExtentSparse"',
             'createType="vmfsRawDeviceMap"', "version=1", "version=x", "CID=fffffffe", "CID=123456789",
             "parentCID=ffffffff", "parentCID=00000001", 'parentFileNameHint="desc.vmdk"',
             'parentFileNameHint="flat.vmdk"', 'encoding="windows-1252"', 'ddb.adapterType = "lsilogic"', "# c"]


@FUZZ
@given(st.sampled_from(["parentCID=ffffffff", "CID=fffffffe\nparentCID=ffffffff", ""]),
       st.sampled_from(DESC_KEYS[:4]), st.sampled_from(EXTENT_LINES[:2]),
       _with_one_bad(st.sampled_from(EXTENT_LINES + DESC_KEYS), st.text(max_size=30)))
def test_fuzzed_descriptors(folder, cids, create_type, extent, lines):
    path = folder / "desc.vmdk"
    text = "\n".join([cids, create_type, extent, *lines])
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates make invalid UTF-8 on purpose
    vmdk = _read_or_refused(path)
    if vmdk is None:
        return
    assert vmdk.capacity > 0 and all(Path(e.file).is_file() for e in vmdk.extents)
    _qemu_agrees(vmdk)


@FUZZ
@given(st.sampled_from(["disk.vmdk", "stream.vmdk"]),
       st.lists(st.tuples(st.one_of(st.integers(0, 95), st.integers(512, 900), st.integers(-1536, -1)),
                          st.integers(0, 255)), min_size=1, max_size=6),
       st.sampled_from([None, 600, 1024, 4096, -512]))
def test_mutated_sparse_headers(folder, name, changes, cut):
    """Changed bytes in the header, the embedded descriptor and (for a stream-optimized disk) the footer."""
    data = bytearray((folder / name).read_bytes())
    for offset, value in changes:
        data[offset] = value
    path = folder / "mutated.vmdk"
    path.write_bytes(bytes(data[:cut] if cut else data))
    vmdk = _read_or_refused(path)
    if vmdk is None:
        return
    assert vmdk.capacity > 0 and vmdk.extents[0].file == str(path.resolve())
    _qemu_agrees(vmdk)
