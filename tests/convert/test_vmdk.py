"""core.convert.vmdk: every VMDK layout read as qemu-img reads it (checked with qemu-img compare against the raw
data it was made from), extents kept inside the descriptor's folder, damaged headers refused in one line."""

from __future__ import annotations

import os
import re
import struct
import subprocess

import pytest

from core.convert.source import ConvertError
from core.convert.vmdk import NO_PARENT, read_vmdk
from tests.convert.conftest import VMDK_SUBFORMATS, GiB, MiB, needs_qemu_img

pytestmark = needs_qemu_img

EXTENTS = {"monolithicSparse": ["SPARSE"], "monolithicFlat": ["FLAT"], "twoGbMaxExtentSparse": ["SPARSE"] * 2,
           "twoGbMaxExtentFlat": ["FLAT"] * 2, "streamOptimized": ["SPARSE"]}


def _descriptor(folder, name, extents, create_type="monolithicFlat", extra=""):
    lines = "\n".join(extents)
    path = folder / name
    path.write_text(f'# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\n'
                    f'createType="{create_type}"\n{extra}\n# Extent description\n{lines}\n\n'
                    f'# The Disk Data Base\n#DDB\nddb.adapterType = "lsilogic"\n')
    return path


def _flat(folder, name, size):
    path = folder / name
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def _flat_disk(folder, extents=('RW 2048 FLAT "disk-flat.vmdk" 0',), create_type="monolithicFlat"):
    """disk.vmdk naming ``extents``, beside a 1 MiB disk-flat.vmdk."""
    _flat(folder, "disk-flat.vmdk", MiB)
    return _descriptor(folder, "disk.vmdk", list(extents), create_type)


def _refused_line(path, reason) -> int:
    """The line read_vmdk's refusal of ``path`` (saying ``reason``) names."""
    with pytest.raises(ConvertError, match=reason) as e:
        read_vmdk(path)
    return e.value.params["line"]


@pytest.mark.parametrize("subformat", VMDK_SUBFORMATS)
def test_each_layout_reads_what_qemu_img_reads(raw_disk, make_vmdk, qemu_compare, sample_dir, subformat):
    # 3 GiB: the twoGbMaxExtent layouts split into two extents; data on both sides of the 2 GiB boundary
    raw = raw_disk(3 * GiB, [(0, 65536), (2 * GiB - 4096, 8192), (3 * GiB - 65536, 65536)])
    path = make_vmdk(raw, "disk.vmdk", subformat)
    vmdk = read_vmdk(path)
    assert vmdk.create_type == subformat
    assert vmdk.capacity == 3 * GiB
    assert [e.type for e in vmdk.extents] == EXTENTS[subformat]
    assert sum(e.sectors for e in vmdk.extents) * 512 == 3 * GiB
    assert all(os.path.isfile(e.file) and os.path.dirname(e.file) == str(sample_dir.resolve())
               for e in vmdk.extents)
    assert vmdk.parent_cid == NO_PARENT and vmdk.parent == "" and vmdk.chain == 1
    assert vmdk.qemu_format == "vmdk" and vmdk.path == str(path.resolve())
    assert qemu_compare(raw, vmdk.path, vmdk.qemu_format)
    with open(raw, "r+b") as f:  # the comparison can fail: change the raw data, the VMDK no longer matches
        f.seek(2 * GiB)
        f.write(b"changed")
    assert not qemu_compare(raw, vmdk.path, vmdk.qemu_format)


def test_vmfs_descriptor_with_a_flat_extent(raw_disk, sample_dir, qemu_compare):
    raw = raw_disk(8 * MiB)
    (sample_dir / "disk-flat.vmdk").write_bytes(raw.read_bytes())
    path = _descriptor(sample_dir, "disk.vmdk", [f'RW {8 * MiB // 512} VMFS "disk-flat.vmdk"'], "vmfs")
    vmdk = read_vmdk(path)
    assert vmdk.create_type == "vmfs" and vmdk.cid == 0x12345678 and vmdk.adapter_type == "lsilogic"
    assert vmdk.extents == [("RW", 16384, "VMFS", str((sample_dir / "disk-flat.vmdk").resolve()), 0)]
    assert qemu_compare(raw, vmdk.path, "vmdk")


def test_flat_extents_with_offsets(raw_disk, sample_dir, qemu_compare):
    raw = raw_disk(4 * MiB, [(0, 4 * MiB)])
    data = raw.read_bytes()
    (sample_dir / "both.bin").write_bytes(data[2 * MiB:] + data[:2 * MiB])  # the halves swapped in one file
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 4096 FLAT "both.bin" 4096', 'RW 4096 FLAT "both.bin" 0'])
    vmdk = read_vmdk(path)
    assert [(e.access, e.type, e.offset) for e in vmdk.extents] == [("RW", "FLAT", 4096), ("RW", "FLAT", 0)]
    assert vmdk.capacity == 4 * MiB
    assert qemu_compare(raw, vmdk.path, "vmdk")


@pytest.mark.parametrize("extent", ['RDONLY 2048 FLAT "disk-flat.vmdk" 0', "RW 2048 ZERO"])
def test_extents_qemu_img_would_skip_are_refused(sample_dir, extent):
    """qemu-img silently leaves out extents that are not RW, and ZERO extents: the disk would come out short."""
    _flat(sample_dir, "disk-flat.vmdk", 2 * MiB)
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 2048 FLAT "disk-flat.vmdk" 2048', extent])
    with pytest.raises(ConvertError, match="would come out short") as e:
        read_vmdk(path)
    assert e.value.params["line"] == 9


def test_a_missing_extent_names_the_file_and_the_line(sample_dir):
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 2048 FLAT "gone-flat.vmdk" 0'])
    with pytest.raises(ConvertError) as e:
        read_vmdk(path)
    assert "gone-flat.vmdk" in str(e.value) and "not found" in str(e.value)
    assert e.value.params["line"] == 8 and str(e.value).startswith(f"{path}:8: ")


@pytest.mark.parametrize("name", ["../outside.vmdk", "/etc/passwd", "sub/../../outside.vmdk", "C:\\disk.vmdk",
                                  "..\\outside.vmdk"])
def test_extents_outside_the_folder_are_refused(sample_dir, name):
    _flat(sample_dir.parent, "outside.vmdk", MiB)
    path = _descriptor(sample_dir, "disk.vmdk", [f'RW 2048 FLAT "{name}" 0'])
    with pytest.raises(ConvertError, match="outside the descriptor's folder|not a file inside") as e:
        read_vmdk(path)
    assert e.value.params["line"] == 8


def test_a_symlink_leading_out_of_the_folder_is_refused(sample_dir):
    outside = _flat(sample_dir.parent, "secret.bin", MiB)
    (sample_dir / "disk-flat.vmdk").symlink_to(outside)
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 2048 FLAT "disk-flat.vmdk" 0'])
    with pytest.raises(ConvertError, match="outside the descriptor's folder"):
        read_vmdk(path)


def test_a_short_flat_extent_is_refused(sample_dir):
    _flat(sample_dir, "disk-flat.vmdk", MiB)
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 4096 FLAT "disk-flat.vmdk" 0'])
    with pytest.raises(ConvertError, match=r"1048576 bytes, the descriptor needs 2097152 \(truncated\?\)"):
        read_vmdk(path)


@pytest.mark.parametrize("suffix", ["-s001.vmdk", "-s002.vmdk", "-f001.vmdk"])
def test_an_extent_opened_alone_is_refused_with_a_hint(raw_disk, make_vmdk, sample_dir, suffix):
    raw = raw_disk(3 * GiB)
    make_vmdk(raw, "disk.vmdk", "twoGbMaxExtentSparse" if "-s" in suffix else "twoGbMaxExtentFlat")
    with pytest.raises(ConvertError, match="open the descriptor .vmdk that names it"):
        read_vmdk(sample_dir / f"disk{suffix}")


def _patched(path, offset, fmt, *values):
    data = bytearray(path.read_bytes())
    struct.pack_into(fmt, data, offset, *values)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("offset,fmt,value,reason", [
    (4, "<I", 7, "unknown version 7"),
    (12, "<Q", 0, "capacity of 0 sectors"),
    (20, "<Q", 100, "grain size of 100 sectors"),
    (44, "<I", 4096, "4096 entries a grain table"),
    (28, "<Q", 1 << 40, "the descriptor lies beyond the end of the file"),
    (36, "<Q", 1 << 20, "a descriptor of 1048576 sectors"),
    (56, "<Q", 1 << 30, "the grain directory lies beyond the end of the file"),
    (73, "4s", b"\n \n\n", "line-ending check bytes changed"),
    (77, "<H", 9, "unknown compression 9"),
])
def test_a_damaged_sparse_header_is_refused_in_one_line(raw_disk, make_vmdk, offset, fmt, value, reason):
    path = make_vmdk(raw_disk(16 * MiB))
    _patched(path, offset, fmt, value)
    with pytest.raises(ConvertError) as e:
        read_vmdk(path)
    assert "damaged sparse header" in str(e.value) and reason in str(e.value)
    assert "\n" not in str(e.value)


def _footer_at_end(path):
    """Rewrite a stream-optimized VMDK as VMware writes them: the header says "grain directory at the end" and a
    footer (a copy of the real header between a footer marker and an end-of-stream marker) ends the file."""
    data = path.read_bytes()
    header = bytearray(data[:512])
    struct.pack_into("<Q", header, 56, 0xFFFFFFFFFFFFFFFF)
    marker = struct.pack("<QII", 0, 0, 3).ljust(512, b"\0")
    path.write_bytes(bytes(header) + data[512:] + marker + data[:512] + bytes(512))


def test_a_stream_optimized_disk_with_its_footer_is_read_as_qemu_img_reads_it(raw_disk, make_vmdk, qemu_compare):
    raw = raw_disk(16 * MiB)
    path = make_vmdk(raw, "disk.vmdk", "streamOptimized")
    _footer_at_end(path)
    vmdk = read_vmdk(path)
    assert vmdk.capacity == 16 * MiB and vmdk.create_type == "streamOptimized"
    assert qemu_compare(raw, vmdk.path, "vmdk")
    path.write_bytes(path.read_bytes()[:-512])  # the end-of-stream marker lost: a truncated download
    with pytest.raises(ConvertError, match="damaged stream-optimized disk: no footer at the end of the file"):
        read_vmdk(path)


def test_a_truncated_sparse_file_is_refused(raw_disk, make_vmdk):
    path = make_vmdk(raw_disk(16 * MiB))
    path.write_bytes(path.read_bytes()[:700])
    with pytest.raises(ConvertError, match="damaged sparse header: .*(truncated\\?)"):
        read_vmdk(path)


def test_a_damaged_split_extent_header_names_the_extent(raw_disk, make_vmdk, sample_dir):
    make_vmdk(raw_disk(3 * GiB), "disk.vmdk", "twoGbMaxExtentSparse")
    _patched(sample_dir / "disk-s002.vmdk", 20, "<Q", 3)
    with pytest.raises(ConvertError, match="disk-s002.vmdk: damaged sparse header: grain size of 3 sectors"):
        read_vmdk(sample_dir / "disk.vmdk")


def test_a_sparse_extent_without_its_header_is_refused(sample_dir):
    _flat(sample_dir, "disk-s001.vmdk", MiB)
    path = _descriptor(sample_dir, "disk.vmdk", ['RW 2048 SPARSE "disk-s001.vmdk"'], "twoGbMaxExtentSparse")
    with pytest.raises(ConvertError, match="has no sparse header"):
        read_vmdk(path)


def test_a_delta_disk_reads_its_parent(raw_disk, make_vmdk, empty_vmdk, qemu_compare, sample_dir):
    raw = raw_disk(16 * MiB)
    base = make_vmdk(raw, "base.vmdk")
    delta = empty_vmdk("base-000001.vmdk", 16 * MiB, options="backing_file=base.vmdk,backing_fmt=vmdk")
    vmdk = read_vmdk(delta)
    assert vmdk.parent == str(base.resolve()) and vmdk.parent_hint == "base.vmdk" and vmdk.chain == 2
    assert vmdk.parent_cid == vmdk.parent_vmdk.cid and vmdk.warnings == []
    assert qemu_compare(raw, vmdk.path, vmdk.qemu_format)


def test_a_missing_or_escaping_parent_is_refused(raw_disk, make_vmdk, empty_vmdk, sample_dir):
    base = make_vmdk(raw_disk(16 * MiB), "base.vmdk")
    empty_vmdk("delta.vmdk", 16 * MiB, options="backing_file=base.vmdk,backing_fmt=vmdk")
    base.unlink()
    with pytest.raises(ConvertError, match="parent disk 'base.vmdk' not found"):
        read_vmdk(sample_dir / "delta.vmdk")
    _flat(sample_dir, "delta-flat.vmdk", MiB)
    path = _descriptor(sample_dir, "hint.vmdk", ['RW 2048 FLAT "delta-flat.vmdk" 0'],
                       extra='parentFileNameHint="/vmfs/volumes/ds1/base.vmdk"')
    path.write_text(path.read_text().replace("parentCID=ffffffff", "parentCID=00000001"))
    with pytest.raises(ConvertError, match="parent disk '/vmfs/volumes/ds1/base.vmdk' is not a file inside"):
        read_vmdk(path)


def test_a_loop_of_parents_is_refused(sample_dir):
    _flat(sample_dir, "a-flat.vmdk", MiB)
    _flat(sample_dir, "b-flat.vmdk", MiB)
    for me, other in (("a", "b"), ("b", "a")):
        path = _descriptor(sample_dir, f"{me}.vmdk", [f'RW 2048 FLAT "{me}-flat.vmdk" 0'],
                           extra=f'parentFileNameHint="{other}.vmdk"')
        path.write_text(path.read_text().replace("parentCID=ffffffff", "parentCID=12345678"))
    with pytest.raises(ConvertError, match="makes a loop"):
        read_vmdk(sample_dir / "a.vmdk")


def test_a_parent_changed_after_the_delta_is_a_warning(raw_disk, make_vmdk, empty_vmdk, sample_dir):
    make_vmdk(raw_disk(16 * MiB), "base.vmdk")
    delta = empty_vmdk("delta.vmdk", 16 * MiB, options="backing_file=base.vmdk,backing_fmt=vmdk")
    data = bytearray(delta.read_bytes())
    i = data.index(b"parentCID=") + len(b"parentCID=")
    data[i:i + 8] = b"0badc0de"
    delta.write_bytes(bytes(data))
    vmdk = read_vmdk(delta)
    assert any("changed after the delta was made" in w and "0badc0de" in w for w in vmdk.warnings)


def test_a_renamed_sparse_file_is_read_as_itself_with_a_warning(raw_disk, make_vmdk, qemu_compare, sample_dir):
    raw = raw_disk(16 * MiB)
    path = make_vmdk(raw, "old.vmdk")
    renamed = path.rename(sample_dir / "new.vmdk")
    vmdk = read_vmdk(renamed)
    assert vmdk.extents[0].file == str(renamed.resolve())
    assert any("renamed" in w and "old.vmdk" in w for w in vmdk.warnings)
    assert qemu_compare(raw, vmdk.path, "vmdk")


@pytest.mark.parametrize("create_type,reason", [
    ("vmfsRawDeviceMap", "maps a physical device"),
    ("fullDevice", "maps a physical device"),
    ("monolithicSparse", "not a layout that can be read"),
    ("custom", "not a layout that can be read"),
])
def test_layouts_qemu_img_cannot_read_are_refused(sample_dir, create_type, reason):
    path = _flat_disk(sample_dir, create_type=create_type)
    assert _refused_line(path, reason) == 5


@pytest.mark.parametrize("extent,reason", [
    ('RW 2048 VMFSRDM "disk-rdm.vmdk"', "maps a physical device"),
    ('RW 2048 WEIRD "disk-flat.vmdk"', "unknown extent type 'WEIRD'"),
    ('NOACCESS 2048 FLAT "disk-flat.vmdk" 0', "NOACCESS"),
    ('RW 2048 FLAT "disk-flat.vmdk"', "a FLAT extent without its offset"),
    ('RW 2048 VMFS "disk-flat.vmdk" 0', "only FLAT extents have one"),
    ('RW 0 FLAT "disk-flat.vmdk" 0', "an extent of 0 sectors"),
    ('RW 99999999999999999999 FLAT "disk-flat.vmdk" 0', "an extent of 99999999999999999999 sectors"),
    ('RW 2048 FLAT', "without a file name"),
    ('RW 2048 FLAT "disk-flat.vmdk', "bad extent line"),
    ('RW 2048 SPARSE "disk-flat.vmdk" 7', "bad extent offset"),
])
def test_bad_extent_lines_name_the_line(sample_dir, extent, reason):
    path = _flat_disk(sample_dir, [extent])
    assert _refused_line(path, reason) == 8


@pytest.mark.parametrize("old,new,line,reason", [
    ("CID=12345678", "CID=xyz", 3, "CID 'xyz' is not an 8-digit hexadecimal number"),
    ('createType="monolithicFlat"', 'createType="vmfs', 5, "bad quoting"),
    ("# Extent description", "this is not a descriptor line", 7, "unrecognised descriptor line"),
    ("version=1", "version=9", 2, "unknown descriptor version"),
    ("# Extent description", "CID=12345678", 7, "CID is set twice"),
    # qemu-img finds these keys by the first occurrence of their name, comments included, and reads a fixed layout
    # after it: such descriptors fail to open or (a hint in a comment) read a parent
    ("parentCID=ffffffff\n", "", 0, "no parentCID"),
    ("parentCID=ffffffff", "parentCID = ffffffff", 4, "parentCID is not written parentCID=<hex>"),
    ("createType=", "createType = ", 5, 'createType is not written createType="..."'),
    ("CID=12345678\n", "# CID=zz\nCID=12345678\n", 3, "the first CID is not written CID=<hex>"),
    ("# Extent description", '# parentFileNameHint="base.vmdk"', 7, "parentFileNameHint is not written"),
    ("# Extent description", 'parentFileNameHint="base.vmdk"', 7, "parentFileNameHint without a parentCID"),
])
def test_bad_descriptor_lines_name_the_line(sample_dir, empty_vmdk, old, new, line, reason):
    """The descriptor with the first ``old`` written ``new`` (a base.vmdk beside it for a hint to name) is refused
    naming the line; also where qemu-img would read it otherwise than its text says."""
    empty_vmdk("base.vmdk", MiB)
    path = _flat_disk(sample_dir)
    path.write_text(path.read_text().replace(old, new, 1))
    assert _refused_line(path, reason) == line


def test_encodings_of_the_descriptor(sample_dir):
    _flat(sample_dir, "Däten-flat.vmdk", MiB)
    text = ('# Disk DescriptorFile\nversion=1\nencoding="windows-1252"\nparentCID=ffffffff\n'
            'createType="monolithicFlat"\nRW 2048 FLAT "Däten-flat.vmdk" 0\n')
    path = sample_dir / "disk.vmdk"
    path.write_bytes(text.encode("cp1252"))
    assert read_vmdk(path).extents[0].file.endswith("Däten-flat.vmdk")
    path.write_bytes(text.replace("windows-1252", "UTF-8").encode("cp1252"))
    with pytest.raises(ConvertError, match="is not UTF-8 text") as e:
        read_vmdk(path)
    assert e.value.params["line"] == 6


@pytest.mark.parametrize("content,reason", [
    (b"", "no createType"),
    (b"\x00" * 1024, "neither a sparse disk"),
    (b'parentCID=ffffffff\ncreateType="monolithicFlat"\n', "names no extent"),
    (b"COWD" + bytes(2044), "a vmfsSparse delta extent"),
])
def test_files_that_are_no_vmdk_are_refused(sample_dir, content, reason):
    path = sample_dir / "disk.vmdk"
    path.write_bytes(content)
    with pytest.raises(ConvertError, match=reason):
        read_vmdk(path)


def test_a_large_file_without_a_sparse_header_is_not_read_as_a_descriptor(sample_dir):
    path = _flat(sample_dir, "disk.vmdk", 17 * MiB)
    with pytest.raises(ConvertError, match="a flat extent\\?"):
        read_vmdk(path)


def test_a_missing_disk_is_named(sample_dir):
    with pytest.raises(ConvertError, match="no such disk file") as e:
        read_vmdk(sample_dir / "nothing.vmdk")
    assert e.value.params["file"].endswith("nothing.vmdk")


def test_a_parent_hint_where_qemu_img_does_not_look_is_refused(empty_vmdk, sample_dir):
    """qemu-img looks for parentFileNameHint in the descriptor's first 10 KiB only: beyond, it would convert the
    delta without its parent."""
    base = empty_vmdk("base.vmdk", MiB, "monolithicFlat")
    # qemu-img writes the CID without leading zeros: read the whole hex number, not 8 characters
    cid = re.search(r"^CID=([0-9a-fA-F]+)$", base.read_text(), re.MULTILINE).group(1)
    _flat(sample_dir, "delta-flat.vmdk", MiB)
    padding = ("# " + "x" * 100 + "\n") * 110
    path = _descriptor(sample_dir, "delta.vmdk", ['RW 2048 FLAT "delta-flat.vmdk" 0'],
                       extra=padding + 'parentFileNameHint="base.vmdk"')
    path.write_text(path.read_text().replace("parentCID=ffffffff", f"parentCID={cid}"))
    info = subprocess.run(["qemu-img", "info", str(path)], capture_output=True, text=True, timeout=60)
    assert info.returncode == 0 and "backing file" not in info.stdout  # what qemu-img would do
    with pytest.raises(ConvertError, match="beyond the descriptor's first 10240 bytes") as e:
        read_vmdk(path)
    assert e.value.params["line"] == 116
    path.write_text(path.read_text().replace(padding, ""))
    assert read_vmdk(path).parent == str(base.resolve())


def test_a_split_extent_whose_header_disagrees_with_the_descriptor_is_refused(raw_disk, make_vmdk, sample_dir):
    """qemu-img takes a sparse extent's size from its header: a different size would shift the later extents."""
    make_vmdk(raw_disk(3 * GiB), "disk.vmdk", "twoGbMaxExtentSparse")
    _patched(sample_dir / "disk-s001.vmdk", 12, "<Q", 4194304 + 128)
    with pytest.raises(ConvertError, match="holds 4194432 sectors, the descriptor says 4194304") as e:
        read_vmdk(sample_dir / "disk.vmdk")
    assert e.value.params["line"] == 8


def _cowd(path, sectors, grains=()):
    """An ESX vmfsSparse (COWD) delta extent of ``sectors``: 4 KiB grains, one grain table; ``grains``
    [(grain number, 4 KiB of data)] allocated, the rest read from the parent."""
    table = [0] * 4096
    data = b""
    for number, grain in grains:
        table[number] = 37 + len(data) // 512
        data += grain
    header = struct.pack("<4s10I", b"COWD", 1, 3, sectors, 8, 4, 1, 37 + len(data) // 512, 0, 0, 0)
    path.write_bytes(header.ljust(2048, b"\0") + struct.pack("<I", 5).ljust(512, b"\0")
                     + struct.pack("<4096I", *table) + data)


def test_an_esx_vmfs_sparse_delta_reads_through_to_its_parent(raw_disk, make_vmdk, sample_dir, qemu_compare,
                                                              tmp_path):
    raw = raw_disk(MiB, [(0, MiB)])
    base = make_vmdk(raw, "base.vmdk", "monolithicFlat")
    cid = base.read_text().split("\nCID=")[1][:8]
    new = os.urandom(4096)
    _cowd(sample_dir / "base-delta.vmdk", 2048, [(3, new)])
    path = _descriptor(sample_dir, "base-000001.vmdk", ['RW 2048 VMFSSPARSE "base-delta.vmdk"'], "vmfsSparse",
                       extra='parentFileNameHint="base.vmdk"')
    path.write_text(path.read_text().replace("parentCID=ffffffff", f"parentCID={cid}"))
    vmdk = read_vmdk(path)
    assert vmdk.create_type == "vmfsSparse" and vmdk.extents[0].type == "VMFSSPARSE" and vmdk.chain == 2
    assert vmdk.capacity == MiB and vmdk.parent == str(base.resolve())
    expected = bytearray(raw.read_bytes())
    expected[3 * 4096:4 * 4096] = new
    (tmp_path / "expected.raw").write_bytes(bytes(expected))
    assert qemu_compare(tmp_path / "expected.raw", vmdk.path, "vmdk")
    _cowd(sample_dir / "base-delta.vmdk", 4096)
    with pytest.raises(ConvertError, match="holds 4096 sectors, the descriptor says 2048"):
        read_vmdk(path)
    (sample_dir / "base-delta.vmdk").write_bytes((sample_dir / "base-delta.vmdk").read_bytes()[:1024])
    with pytest.raises(ConvertError, match="damaged vmfsSparse header: the grain directory lies beyond"):
        read_vmdk(path)
