"""Differencing VHDs: the header a child records of its parent, chains read through their bitmaps, writes kept in
the top, hostile headers, merging into the parent (offline, interrupted, live) and re-parenting; qemu-img's view."""

import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import threading
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine.storage import DiskError, VirtualDisk, check_disk, create_disk, open_disk, vhd
from core.engine.storage import differencing as diff
from core.engine.storage.differencing import Link, create_differencing, merge_into_parent, reparent
from core.engine.storage.tracking import TrackingDisk, allocated_blocks

MiB = 1 << 20
BLOCK = 1 * MiB
SPB = BLOCK // 512
QEMU_IMG = shutil.which("qemu-img")
requires_qemu_img = pytest.mark.skipif(not QEMU_IMG, reason="qemu-img is not installed (apt-get install qemu-utils)")


def pattern(seed: int, sectors: int) -> bytes:
    block = hashlib.sha256(seed.to_bytes(8, "little")).digest() * 16
    return b"".join(bytes([seed & 0xFF, i & 0xFF]) + block[2:] for i in range(sectors))


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def flatten(disk, step: int = 4096) -> bytes:
    return b"".join(disk.read(s, min(step, disk.sectors - s)) for s in range(0, disk.sectors, step))


class Model:
    """What the chain should read: a bytearray written as the disks are."""

    def __init__(self, size: int):
        self.image = bytearray(size)

    def write(self, disk, sector: int, data: bytes) -> None:
        disk.write(sector, data)
        self.image[sector * 512:sector * 512 + len(data)] = data


@pytest.fixture
def chain(tmp_path):
    """base.vhd (dynamic, 1 MiB blocks, data) <- child.vhd <- grandchild.vhd, and the model of each level."""
    base = tmp_path / "base.vhd"
    disk = create_disk(base, 8 * MiB, block_size=BLOCK)
    m = Model(disk.size)
    m.write(disk, 0, pattern(1, 10))
    m.write(disk, SPB - 3, pattern(2, 6))  # across a block boundary
    m.write(disk, 3 * SPB, pattern(3, SPB))  # a whole block
    disk.close()
    levels = {"base": bytes(m.image)}
    create_differencing(tmp_path / "child.vhd", base)
    disk = open_disk(tmp_path / "child.vhd")
    m.write(disk, 4, pattern(4, 3))  # inside the base's data
    m.write(disk, 2 * SPB + 100, pattern(5, 2))  # a block the base never wrote
    m.write(disk, 3 * SPB + 10, pattern(6, SPB))  # across blocks 3 and 4
    disk.close()
    levels["child"] = bytes(m.image)
    create_differencing(tmp_path / "grandchild.vhd", tmp_path / "child.vhd")
    disk = open_disk(tmp_path / "grandchild.vhd")
    m.write(disk, 5, pattern(7, 1))
    m.write(disk, 2 * SPB + 99, pattern(8, 4))
    disk.close()
    levels["grandchild"] = bytes(m.image)
    return tmp_path, levels


def read_header(path):
    data = open(path, "rb").read()
    footer = vhd.Footer.parse(data[-512:], str(path), "end")
    ho = footer.data_offset
    fields = vhd._HEADER.unpack(data[ho:ho + 1024])
    return data, footer, fields


# --- creating -----------------------------------------------------------------------------------------------
def test_a_new_child_records_its_parent_as_the_specification_says(tmp_path):
    base = tmp_path / "base.vhd"
    create_disk(base, 8 * MiB, block_size=BLOCK).close()
    os.utime(base, (1_700_000_000, 1_700_000_000))
    create_differencing(tmp_path / "c.vhd", base)
    data, footer, fields = read_header(tmp_path / "c.vhd")
    _, pfooter, _ = read_header(base)
    assert footer.disk_type == 4 and footer.current_size == pfooter.current_size
    assert data[:512] == data[-512:]  # the footer copy
    cookie, _, table_offset, version, entries, block_size, _, parent_id, stamp, name, locators = fields
    assert cookie == b"cxsparse" and version == 0x00010000 and block_size == BLOCK
    assert parent_id == pfooter.unique_id
    assert stamp == 1_700_000_000 - 946684800
    assert name.decode("utf-16-be").rstrip("\0") == "base.vhd"
    assert entries == -(-footer.current_size // BLOCK)
    assert data[table_offset:table_offset + 4 * entries] == b"\xff" * 4 * entries  # nothing allocated
    found = {}
    for i in range(8):
        code, space, length, _, offset = struct.unpack_from(">4sIIIQ", locators, 24 * i)
        if code != bytes(4):
            assert offset % 512 == 0 and offset >= 1536 and space * 512 >= length
            found[code] = data[offset:offset + length].decode("utf-16-le")
    assert found == {b"W2ru": "./base.vhd", b"W2ku": str(base)}
    disk = open_disk(tmp_path / "c.vhd", read_only=True)
    assert isinstance(disk, VirtualDisk)
    info = disk.info()
    assert (info["type"], info["parent"], info["depth"], info["format"]) == ("differencing", str(base), 2,
                                                                              "vhd-differencing")
    assert info["parent_uuid"] == str(uuid.UUID(bytes=pfooter.unique_id))
    assert flatten(disk) == bytes(disk.size)
    disk.close()


def test_creating_never_overwrites_and_leaves_no_temporary_file(tmp_path):
    base = tmp_path / "base.vhd"
    create_disk(base, 4 * MiB).close()
    create_differencing(tmp_path / "c.vhd", base)
    before = digest(tmp_path / "c.vhd")
    with pytest.raises(DiskError, match="already exists"):
        create_differencing(tmp_path / "c.vhd", base)
    assert digest(tmp_path / "c.vhd") == before
    with pytest.raises(DiskError, match="no such file"):
        create_differencing(tmp_path / "d.vhd", tmp_path / "nothing.vhd")
    raw = tmp_path / "r.img"
    create_disk(raw, 4 * MiB, kind="raw").close()
    with pytest.raises(DiskError, match="must be a VHD"):
        create_differencing(tmp_path / "e.vhd", raw)
    assert sorted(os.listdir(tmp_path)) == ["base.vhd", "c.vhd", "r.img"]


def test_a_fixed_parent_works_too(tmp_path):
    base = tmp_path / "base.vhd"
    disk = create_disk(base, 4 * MiB, kind="fixed")
    disk.write(7, pattern(9, 3))
    disk.close()
    create_differencing(tmp_path / "c.vhd", base)
    with open_disk(tmp_path / "c.vhd") as disk:
        disk.write(8, pattern(10, 1))
        assert disk.read(7, 3) == pattern(9, 3)[:512] + pattern(10, 1) + pattern(9, 3)[1024:]


# --- reading and writing ------------------------------------------------------------------------------------
def test_reads_fall_through_the_chain_and_writes_stay_in_the_top(chain):
    folder, levels = chain
    for name in ("base", "child", "grandchild"):
        with open_disk(folder / f"{name}.vhd", read_only=True) as disk:
            assert flatten(disk) == levels[name], name
    sums = {n: digest(folder / f"{n}.vhd") for n in ("base", "child")}
    with open_disk(folder / "grandchild.vhd") as disk:
        assert disk.info()["depth"] == 3 and disk.info()["chain"][1:] == [str(folder / "child.vhd"),
                                                                         str(folder / "base.vhd")]
        disk.write(0, pattern(11, 2 * SPB))
        disk.flush()
    assert {n: digest(folder / f"{n}.vhd") for n in ("base", "child")} == sums
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        assert disk.read(0, 2 * SPB) == pattern(11, 2 * SPB)
        assert disk.read(2 * SPB, disk.sectors - 2 * SPB) == levels["grandchild"][2 * BLOCK:]


def test_parents_are_opened_read_only_and_a_writer_is_alone(chain):
    folder, _ = chain
    with open_disk(folder / "grandchild.vhd") as disk:
        assert all(d.read_only for d in disk.links[1:]) and not disk.top.read_only
        with pytest.raises(DiskError, match="in use"):
            open_disk(folder / "grandchild.vhd")
        with open_disk(folder / "child.vhd", read_only=True) as other:  # a parent may be read meanwhile
            assert other.read(0, 1)
    with open_disk(folder / "child.vhd", read_only=True) as disk, pytest.raises(DiskError, match="read-only"):
        disk.write(0, bytes(512))


def test_bitmaps_mark_only_the_sectors_written(tmp_path):
    base = tmp_path / "base.vhd"
    disk = create_disk(base, 4 * MiB, block_size=BLOCK)
    disk.write(SPB, pattern(1, SPB))
    disk.close()
    create_differencing(tmp_path / "c.vhd", base)
    with open_disk(tmp_path / "c.vhd") as disk:
        disk.write(SPB + 5, pattern(2, 3))  # sectors 5, 6, 7 of block 1
        disk.write(SPB + 9, pattern(3, 1))
        assert disk.read(SPB, 12) == (pattern(1, SPB)[:5 * 512] + pattern(2, 3) + pattern(1, SPB)[8 * 512:9 * 512]
                                      + pattern(3, 1) + pattern(1, SPB)[10 * 512:12 * 512])
    data, footer, fields = read_header(tmp_path / "c.vhd")
    table_offset = fields[2]
    entries = struct.unpack_from(f">{fields[4]}I", data, table_offset)
    assert [e == 0xFFFFFFFF for e in entries] == [True, False] + [True] * (len(entries) - 2)
    bitmap = data[entries[1] * 512:entries[1] * 512 + SPB // 8]
    assert bitmap[:2] == bytes([0b00000111, 0b01000000]) and bitmap[2:] == bytes(len(bitmap) - 2)


def test_a_shorter_parent_reads_as_zeros_past_its_end(tmp_path):
    base = tmp_path / "base.vhd"
    disk = create_disk(base, 4 * MiB, block_size=BLOCK)
    disk.write(0, b"\x01" * 512)
    disk.close()
    create_differencing(tmp_path / "c.vhd", base)
    with open_disk(tmp_path / "c.vhd") as disk:
        short = disk.links[1]
        short.sectors -= 4  # as if the parent ended 4 sectors earlier
        assert disk.read(disk.sectors - 6, 6) == bytes(6 * 512)
        assert disk.read(0, 1) == b"\x01" * 512


# --- qemu-img -----------------------------------------------------------------------------------------------
@requires_qemu_img
def test_qemu_img_does_not_follow_parent_locators_but_reads_our_flattened_chain(chain):
    folder, levels = chain
    out = subprocess.run([QEMU_IMG, "info", "--backing-chain", "--output=json", str(folder / "grandchild.vhd")],
                         capture_output=True, text=True, check=True).stdout
    images = json.loads(out)
    # QEMU 7.2's vpc driver: a type-4 image is one "vpc" image, no backing file (it ignores the parent)
    assert len(images) == 1 and images[0]["format"] == "vpc" and "backing-filename" not in images[0]
    expected = folder / "expected.raw"
    expected.write_bytes(levels["grandchild"])
    alone = subprocess.run([QEMU_IMG, "compare", "-f", "vpc", "-F", "raw", str(folder / "grandchild.vhd"),
                            str(expected)], capture_output=True, text=True)
    assert alone.returncode == 1  # qemu reads the child alone: different
    flat = create_disk(folder / "flat.vhd", 8 * MiB, block_size=BLOCK)
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        data = flatten(disk)
        assert data == levels["grandchild"]
        for s in range(0, disk.sectors, SPB):
            chunk = data[s * 512:(s + SPB) * 512]
            if chunk.strip(b"\0"):
                flat.write(s, chunk)
    flat.close()
    same = subprocess.run([QEMU_IMG, "compare", "-f", "vpc", "-F", "raw", str(folder / "flat.vhd"), str(expected)],
                          capture_output=True, text=True)
    assert same.returncode == 0, same.stdout + same.stderr


# --- refusals -----------------------------------------------------------------------------------------------
def one_line(e: pytest.ExceptionInfo, path) -> str:
    text = str(e.value)
    assert "\n" not in text and str(path) in text
    return text


def test_a_parent_that_is_not_the_one_it_was_made_from_is_refused(chain):
    folder, _ = chain
    os.rename(folder / "child.vhd", folder / "old-child.vhd")
    create_disk(folder / "child.vhd", 8 * MiB, block_size=BLOCK).close()
    with pytest.raises(DiskError) as e:
        open_disk(folder / "grandchild.vhd")
    assert one_line(e, folder / "grandchild.vhd") == (f"{folder / 'grandchild.vhd'}: its parent "
                                                      f"{folder / 'child.vhd'} is not the disk it was made from")


def test_a_missing_parent_is_refused_and_the_absolute_locator_is_tried(chain):
    folder, levels = chain
    os.unlink(folder / "base.vhd")
    with pytest.raises(DiskError, match="its parent .*base.vhd is missing") as e:
        open_disk(folder / "grandchild.vhd", read_only=True)
    one_line(e, folder / "child.vhd")
    # moved together to another folder: the relative locators still find the parents
    folder2 = folder / "moved"
    folder2.mkdir()
    os.rename(folder / "child.vhd", folder2 / "child.vhd")
    os.rename(folder / "grandchild.vhd", folder2 / "grandchild.vhd")
    with pytest.raises(DiskError, match="missing"):
        open_disk(folder2 / "grandchild.vhd", read_only=True)


def test_relative_locators_follow_a_moved_chain_and_absolute_ones_a_moved_child(chain):
    folder, levels = chain
    moved = folder.parent / (folder.name + "-moved")
    shutil.copytree(folder, moved)
    for name in ("base", "child"):  # the originals are not there any more: only the relative locators find them
        os.rename(folder / f"{name}.vhd", folder / f"{name}.vhd.away")
    with open_disk(moved / "grandchild.vhd", read_only=True) as disk:
        assert disk.info()["chain"][1] == str(moved / "child.vhd")
        assert flatten(disk) == levels["grandchild"]
    for name in ("base", "child"):
        os.rename(folder / f"{name}.vhd.away", folder / f"{name}.vhd")
    other = folder / "elsewhere"
    other.mkdir()
    os.rename(folder / "grandchild.vhd", other / "grandchild.vhd")  # ./child.vhd is not beside it: W2ku finds it
    with open_disk(other / "grandchild.vhd", read_only=True) as disk:
        assert disk.info()["chain"][1] == str(folder / "child.vhd")
        assert flatten(disk) == levels["grandchild"]


def test_loops_are_refused(chain):
    folder, _ = chain
    reparent(folder / "child.vhd", folder / "grandchild.vhd")  # child <- grandchild <- child ...
    with pytest.raises(DiskError, match="loop") as e:
        open_disk(folder / "grandchild.vhd", read_only=True)
    one_line(e, folder)
    reparent(folder / "child.vhd", folder / "child.vhd")  # its own parent
    with pytest.raises(DiskError, match="loop"):
        open_disk(folder / "child.vhd", read_only=True)


def test_chains_deeper_than_the_limit_are_refused(tmp_path, monkeypatch):
    create_disk(tmp_path / "d0.vhd", 1 * MiB).close()
    for i in range(1, 5):
        create_differencing(tmp_path / f"d{i}.vhd", tmp_path / f"d{i - 1}.vhd")
    monkeypatch.setattr(diff, "MAX_DEPTH", 4)
    with pytest.raises(DiskError, match="deeper than 4") as e:
        open_disk(tmp_path / "d4.vhd", read_only=True)
    one_line(e, tmp_path)
    with open_disk(tmp_path / "d3.vhd", read_only=True) as disk:
        assert disk.info()["depth"] == 4
    with pytest.raises(DiskError, match="deeper than 4"):
        create_differencing(tmp_path / "d5.vhd", tmp_path / "d3.vhd")


@pytest.mark.parametrize("where,what", [
    ("header", "checksum mismatch"), ("cookie", "no dynamic disk header"), ("locator", "outside the file"),
    ("footers", "footer"), ("type", "unknown VHD disk type")])
def test_damaged_child_headers_are_one_line_disk_errors(chain, where, what):
    folder, _ = chain
    path = folder / "grandchild.vhd"
    data, footer, fields = read_header(path)
    data = bytearray(data)
    ho = footer.data_offset
    if where == "header":
        data[ho + 100] ^= 0xFF
    elif where == "cookie":
        data[ho:ho + 8] = b"notsparse"[:8]
    elif where == "locator":
        raw = bytearray(data[ho:ho + 1024])
        struct.pack_into(">Q", raw, 576 + 16, len(data) + 4096)
        raw = vhd._sealed(raw, 36)
        data[ho:ho + 1024] = raw
    elif where == "footers":
        data[-500] ^= 1
        data[12] ^= 1
    elif where == "type":
        for at in (0, len(data) - 512):
            raw = bytearray(data[at:at + 512])
            struct.pack_into(">I", raw, 60, 5)
            data[at:at + 512] = vhd._sealed(raw, 64)
    path.write_bytes(bytes(data))
    with pytest.raises(DiskError, match=what) as e:
        open_disk(path, read_only=True)
    one_line(e, path)


HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(changes=st.lists(st.tuples(st.one_of(st.integers(0, 1600), st.integers(0, diff.TABLE_OFFSET + 64)),
                                    st.integers(0, 255)), min_size=1,
                        max_size=8), reseal=st.booleans())
def test_fuzzed_headers_open_or_raise_disk_error(tmp_path_factory, changes, reseal):
    folder = tmp_path_factory.mktemp("fuzz")
    create_disk(folder / "base.vhd", 2 * MiB, block_size=BLOCK).close()
    create_differencing(folder / "c.vhd", folder / "base.vhd")
    with open_disk(folder / "c.vhd") as disk:
        disk.write(3, pattern(1, 2))
    data = bytearray(open(folder / "c.vhd", "rb").read())
    for at, value in changes:
        data[at] = value
    if reseal:  # a consistent-looking header with hostile fields
        data[512:1536] = vhd._sealed(bytearray(data[512:1536]), 36)
        data[:512] = vhd._sealed(bytearray(data[:512]), 64)
    data[-512:] = data[:512]
    (folder / "c.vhd").write_bytes(bytes(data))
    for read_only in (True, False):
        try:
            disk = open_disk(folder / "c.vhd", read_only=read_only)
        except DiskError as e:
            assert "\n" not in str(e)
            continue
        try:
            flatten(disk, step=SPB)
            disk.info()
        except DiskError:
            pass
        finally:
            disk.close()


# --- merging and re-parenting ----------------------------------------------------------------------------------
def content(path) -> bytes:
    with open_disk(path, read_only=True) as disk:
        return flatten(disk)


def test_merge_then_delete_then_reparent_gives_the_same_content(chain):
    folder, levels = chain
    child_sum = digest(folder / "child.vhd")
    assert merge_into_parent(folder / "child.vhd") == str(folder / "base.vhd")
    assert digest(folder / "child.vhd") == child_sum  # the child is not touched
    assert content(folder / "base.vhd") == levels["child"]
    assert content(folder / "grandchild.vhd") == levels["grandchild"]  # through the child still
    reparent(folder / "grandchild.vhd", folder / "base.vhd")
    os.unlink(folder / "child.vhd")
    assert check_disk(folder / "grandchild.vhd") == []
    with open_disk(folder / "grandchild.vhd") as disk:
        assert disk.info()["depth"] == 2 and disk.info()["parent"] == str(folder / "base.vhd")
        assert flatten(disk) == levels["grandchild"]
        disk.write(0, pattern(12, 1))  # still writable, still a good VHD
    _, footer, fields = read_header(folder / "grandchild.vhd")
    _, base_footer, _ = read_header(folder / "base.vhd")
    assert fields[7] == base_footer.unique_id and footer.data_offset == diff.SLOTS[1]
    # and again: the header slots alternate
    create_differencing(folder / "other.vhd", folder / "base.vhd")
    reparent(folder / "grandchild.vhd", folder / "other.vhd")
    assert read_header(folder / "grandchild.vhd")[1].data_offset == diff.SLOTS[0]
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        assert disk.info()["chain"][1] == str(folder / "other.vhd")


def test_merging_the_top_of_a_chain_into_a_differencing_parent(chain):
    folder, levels = chain
    merge_into_parent(folder / "grandchild.vhd")
    assert content(folder / "child.vhd") == levels["grandchild"]
    assert content(folder / "base.vhd") == levels["base"]


def test_merge_and_reparent_refuse_what_they_cannot_do(chain):
    folder, _ = chain
    with open_disk(folder / "child.vhd"), pytest.raises(DiskError, match="in use"):
        merge_into_parent(folder / "child.vhd")
    with pytest.raises(DiskError, match="not a differencing VHD"):
        merge_into_parent(folder / "base.vhd")
    create_disk(folder / "small.vhd", 2 * MiB).close()
    with pytest.raises(DiskError, match="bytes, its new parent"):
        reparent(folder / "grandchild.vhd", folder / "small.vhd")
    with open_disk(folder / "grandchild.vhd"), pytest.raises(DiskError, match="in use"):
        reparent(folder / "grandchild.vhd", folder / "base.vhd")
    assert content(folder / "grandchild.vhd")


def test_a_merge_killed_midway_and_run_again_gives_the_right_content(chain, monkeypatch):
    folder, levels = chain
    child_sum = digest(folder / "child.vhd")
    writes = []
    real = vhd.DynamicVhd.write

    def dying(self, sector, data):
        if self.path.endswith("base.vhd"):
            writes.append(sector)
            if len(writes) == 2:
                raise RuntimeError("killed")
        return real(self, sector, data)

    monkeypatch.setattr(vhd.DynamicVhd, "write", dying)
    with pytest.raises(RuntimeError, match="killed"):
        merge_into_parent(folder / "child.vhd")
    monkeypatch.undo()
    assert digest(folder / "child.vhd") == child_sum
    assert check_disk(folder / "base.vhd") == []
    assert content(folder / "grandchild.vhd") == levels["grandchild"]  # the child still holds its data
    partly = content(folder / "base.vhd")
    assert partly not in (levels["base"], levels["child"])  # the merge had begun
    merge_into_parent(folder / "child.vhd")
    assert content(folder / "base.vhd") == levels["child"]


@pytest.mark.parametrize("step", ["reparent-header", "reparent-end-footer"])
def test_a_reparent_interrupted_leaves_the_old_parent_or_the_new(chain, monkeypatch, step):
    folder, levels = chain
    merge_into_parent(folder / "child.vhd")

    def crash(self, at):
        if at == step:
            raise RuntimeError("crash")

    monkeypatch.setattr(Link, "_crash_point", crash)
    with pytest.raises(RuntimeError):
        reparent(folder / "grandchild.vhd", folder / "base.vhd")
    monkeypatch.undo()
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        parent = disk.info()["parent"]
        assert flatten(disk) == levels["grandchild"]
    assert parent == str(folder / ("child.vhd" if step == "reparent-header" else "base.vhd"))
    reparent(folder / "grandchild.vhd", folder / "base.vhd")  # done again, to the end
    os.unlink(folder / "child.vhd")
    assert content(folder / "grandchild.vhd") == levels["grandchild"]


def test_a_torn_end_footer_after_a_reparent_falls_back_to_the_old_header(chain):
    folder, levels = chain
    merge_into_parent(folder / "child.vhd")
    before = open(folder / "grandchild.vhd", "rb").read()[:512]
    reparent(folder / "grandchild.vhd", folder / "base.vhd")
    data = bytearray(open(folder / "grandchild.vhd", "rb").read())
    assert data[16:24] != before[16:24] and data[64:68] != before[64:68]  # data offset and checksum differ
    data[:512] = before  # the copy at offset 0 not yet rewritten, and the end footer torn: new offset, old sum
    data[-512 + 64:-512 + 68] = before[64:68]
    (folder / "grandchild.vhd").write_bytes(bytes(data))
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        assert disk.info()["parent"] == str(folder / "child.vhd")
        assert "copy at offset 0 was used" in disk.problems[0]
        assert flatten(disk) == levels["grandchild"]
    with open_disk(folder / "grandchild.vhd") as disk:  # opened for writing: the end footer is rewritten
        assert disk.problems == [] and flatten(disk) == levels["grandchild"]
    assert check_disk(folder / "grandchild.vhd") == []


def test_a_live_merge_while_another_thread_writes_to_the_top(chain):
    folder, levels = chain
    model = Model(len(levels["grandchild"]))
    model.image[:] = levels["grandchild"]
    disk = open_disk(folder / "grandchild.vhd")
    stop = threading.Event()
    done = []

    def guest():
        rng = random.Random(7)
        i = 0
        while not stop.is_set() or i < 50:
            n = rng.choice([1, 3, 8, 300])
            sector = rng.randrange(0, disk.sectors - n)
            model.write(disk, sector, pattern(100 + i, n))
            assert disk.read(sector, n) == pattern(100 + i, n)
            i += 1
        done.append(i)

    writer = threading.Thread(target=guest)
    writer.start()
    try:
        merged = disk.merge_parent(1)
    finally:
        stop.set()
        writer.join(30)
    assert done and merged == str(folder / "child.vhd")
    assert [d.path for d in disk.links] == [str(folder / "grandchild.vhd"), str(folder / "base.vhd")]
    assert flatten(disk) == bytes(model.image)
    disk.close()
    os.unlink(folder / "child.vhd")
    with open_disk(folder / "grandchild.vhd", read_only=True) as disk:
        assert disk.info()["depth"] == 2 and flatten(disk) == bytes(model.image)
    assert content(folder / "base.vhd") == levels["child"]


def test_a_live_merge_of_an_inner_link(chain):
    folder, levels = chain
    create_differencing(folder / "top.vhd", folder / "grandchild.vhd")
    with open_disk(folder / "top.vhd") as disk:
        model = Model(disk.size)
        model.image[:] = levels["grandchild"]
        model.write(disk, 2, pattern(50, 2))
        with pytest.raises(DiskError, match="no link 3"):
            disk.merge_parent(3)
        assert disk.merge_parent(2) == str(folder / "child.vhd")  # child into base; grandchild now on base
        assert disk.info()["chain"] == [str(folder / n) for n in ("top.vhd", "grandchild.vhd", "base.vhd")]
        model.write(disk, 3, pattern(51, 1))
        assert flatten(disk) == bytes(model.image)
        assert disk.merge_parent(1) == str(folder / "grandchild.vhd")
        assert disk.info()["depth"] == 2 and flatten(disk) == bytes(model.image)
    os.unlink(folder / "child.vhd")
    os.unlink(folder / "grandchild.vhd")
    assert content(folder / "top.vhd") == bytes(model.image)
    with open_disk(folder / "top.vhd", read_only=True) as disk, pytest.raises(DiskError, match="read-only"):
        disk.merge_parent(1)


def test_a_tracked_chain_merges_through_the_tracker(chain):
    folder, levels = chain
    disk = TrackingDisk(open_disk(folder / "grandchild.vhd"))
    disk.register("copy")
    disk.write(2 * SPB, pattern(60, 1))
    assert disk.merge_parent(1) == str(folder / "child.vhd")  # what the engine calls on a running VM's disk
    assert disk.format == "vhd-differencing" and disk.info()["depth"] == 2
    assert list(disk.collect("copy")) == [2 * BLOCK // disk.track_block]
    assert len(allocated_blocks(disk, disk.track_block)) == disk.blocks  # a chain: every block may hold data
    expected = bytearray(levels["grandchild"])
    expected[2 * BLOCK:2 * BLOCK + 512] = pattern(60, 1)
    assert flatten(disk) == bytes(expected)
    disk.close()


def test_merge_delete_then_reparent_in_that_order(chain):
    folder, levels = chain
    merge_into_parent(folder / "child.vhd")
    os.unlink(folder / "child.vhd")
    with pytest.raises(DiskError, match="missing"):
        open_disk(folder / "grandchild.vhd", read_only=True)
    reparent(folder / "grandchild.vhd", folder / "base.vhd")  # the old parent need not be there
    assert content(folder / "grandchild.vhd") == levels["grandchild"]


def test_a_live_merge_that_fails_midway_leaves_the_chain_as_it_was(chain, monkeypatch):
    folder, levels = chain
    real = vhd.DynamicVhd.write
    calls = []

    def dying(self, sector, data):
        if self.path.endswith("base.vhd"):
            calls.append(sector)
            if len(calls) == 3:
                raise OSError(5, "Input/output error")
        return real(self, sector, data)

    with open_disk(folder / "grandchild.vhd") as disk:
        monkeypatch.setattr(vhd.DynamicVhd, "write", dying)
        with pytest.raises(OSError):
            disk.merge_parent(1)
        monkeypatch.undo()
        assert disk.info()["depth"] == 3 and flatten(disk) == levels["grandchild"]
        disk.write(0, pattern(70, 1))
        assert disk.merge_parent(1) == str(folder / "child.vhd")  # run again, to the end
        expected = pattern(70, 1) + levels["grandchild"][512:]
        assert flatten(disk) == expected
    assert content(folder / "grandchild.vhd") == expected
