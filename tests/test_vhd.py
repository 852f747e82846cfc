"""Virtual hard disks: VHD fixed and dynamic, raw; crash-safe allocation; hostile images; qemu-img agreeing with us;
`bulkhead disk new|info|check`."""

import dataclasses
import hashlib
import json
import os
import shutil
import struct
import subprocess
import threading

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.cli import main
from core.engine.storage import DiskError, VirtualDisk, check_disk, create_disk, disk_size_for, open_disk, vhd

MiB = 1 << 20
QEMU_IMG = shutil.which("qemu-img")
QEMU_IO = shutil.which("qemu-io")
requires_qemu_img = pytest.mark.skipif(not QEMU_IMG, reason="qemu-img is not installed (apt-get install qemu-utils)")
requires_qemu_io = pytest.mark.skipif(not (QEMU_IMG and QEMU_IO), reason="qemu-io is not installed (qemu-utils)")
HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def pattern(seed: int, sectors: int) -> bytes:
    block = hashlib.sha256(seed.to_bytes(8, "little")).digest() * 16  # 512 bytes
    return b"".join(bytes([seed & 0xFF, i & 0xFF]) + block[2:] for i in range(sectors))


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def expected_image(size: int, writes: dict[int, bytes]) -> bytes:
    image = bytearray(size)
    for sector, data in writes.items():
        image[sector * 512:sector * 512 + len(data)] = data
    return bytes(image)


def fill(disk, writes: dict[int, bytes]) -> None:
    for sector, data in writes.items():
        disk.write(sector, data)


def sample_writes(sectors: int, spb: int = 4096) -> dict[int, bytes]:
    """Patterns at the start, across a block boundary in the middle, and at the very end."""
    return {0: pattern(1, 3), spb - 2: pattern(2, 5), sectors // 2 + 7: pattern(3, 1), sectors - 2: pattern(4, 2)}


def layout(path):
    """footer copy, header, footer at the end, and the raw bytes of a dynamic image."""
    data = bytearray(open(path, "rb").read())
    header = vhd.Header.parse(bytes(data[512:1536]), str(path), 512)
    return data, header


def rewrite_footers(path, where=("start", "end"), **changes) -> None:
    data = bytearray(open(path, "rb").read())
    for place in where:
        at = 0 if place == "start" else len(data) - 512
        footer = vhd.Footer.parse(bytes(data[at:at + 512]), str(path), place)
        data[at:at + 512] = dataclasses.replace(footer, **changes).pack()
    open(path, "wb").write(data)


def rewrite_header(path, **changes) -> None:
    data, header = layout(path)
    data[512:1536] = dataclasses.replace(header, **changes).pack()
    open(path, "wb").write(data)


def set_bat(path, index: int, value: int) -> None:
    data, header = layout(path)
    struct.pack_into(">I", data, header.table_offset + 4 * index, value)
    open(path, "wb").write(data)


def bat_entry(path, index: int) -> int:
    data, header = layout(path)
    return struct.unpack_from(">I", data, header.table_offset + 4 * index)[0]


# --- round trips --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["dynamic", "fixed", "raw"])
def test_round_trip_survives_reopening(tmp_path, kind):
    path = tmp_path / f"disk.{kind}"
    disk = create_disk(path, 8 * MiB, kind)
    assert isinstance(disk, VirtualDisk)
    assert disk.format == {"dynamic": "vhd-dynamic", "fixed": "vhd-fixed", "raw": "raw"}[kind]
    assert disk.size == disk_size_for(8 * MiB, kind) and disk.size % 512 == 0 and disk.sector_size == 512
    writes = sample_writes(disk.sectors)
    fill(disk, writes)
    want = expected_image(disk.size, writes)
    assert disk.read(0, disk.sectors) == want
    disk.close()
    for read_only in (True, False):
        with open_disk(path, read_only=read_only) as again:
            assert again.format == disk.format and again.size == disk.size
            assert again.read(0, again.sectors) == want
            assert again.read(4094, 4) == want[4094 * 512:4098 * 512]
    assert check_disk(path) == []
    file_size = os.path.getsize(path)
    if kind == "raw":
        assert file_size == disk.size
    elif kind == "fixed":
        assert file_size == disk.size + 512
    else:  # footer copy, header, one sector of BAT, each block written (bitmap + 2 MiB), footer
        blocks = {s // 4096 for sector, data in writes.items() for s in range(sector, sector + len(data) // 512)}
        assert len(blocks) == 4
        assert file_size == 512 + 1024 + 512 + len(blocks) * (512 + 2 * MiB) + 512


def test_unallocated_reads_are_zero_and_allocate_nothing(tmp_path):
    path = tmp_path / "empty.vhd"
    create_disk(path, 16 * MiB).close()
    before = digest(path)
    with open_disk(path) as disk:
        for sector in range(0, disk.sectors, 1000):
            assert disk.read(sector, min(1000, disk.sectors - sector)) == bytes(512 * min(1000, disk.sectors - sector))
        assert disk.info()["blocks_allocated"] == 0 and disk.info()["allocated_bytes"] == 0
    assert digest(path) == before
    assert os.path.getsize(path) == 512 + 1024 + 512 + 512


def test_sector_bitmap_is_kept_per_sector_and_honoured_on_read(tmp_path):
    path = tmp_path / "bits.vhd"
    with create_disk(path, 4 * MiB) as disk:
        disk.write(5, pattern(5, 1))
        disk.write(9, pattern(9, 2))
    data, header = layout(path)
    block = bat_entry(path, 0) * 512
    assert data[block] == 0b0000_0100 and data[block + 1] == 0b0110_0000  # sectors 5, 9 and 10; MSB first
    # bytes in the file under a sector whose bit is clear are not the disk's content
    data[block + 512 + 20 * 512:block + 512 + 21 * 512] = b"\xee" * 512
    open(path, "wb").write(data)
    with open_disk(path, read_only=True) as disk:
        got = disk.read(0, 24)
    assert got == expected_image(24 * 512, {5: pattern(5, 1), 9: pattern(9, 2)})


def test_writes_accept_any_bytes_like_and_refuse_bad_requests(tmp_path):
    with create_disk(tmp_path / "d.vhd", 4 * MiB) as disk:
        disk.write(1, memoryview(bytearray(pattern(7, 2))))
        assert disk.read(1, 2) == pattern(7, 2)
        for bad in (lambda: disk.write(0, b"x" * 100), lambda: disk.read(disk.sectors, 1),
                    lambda: disk.read(-1, 1), lambda: disk.write(disk.sectors - 1, bytes(1024)),
                    lambda: disk.read(0, -1)):
            with pytest.raises(DiskError):
                bad()
    with open_disk(tmp_path / "d.vhd", read_only=True) as disk, pytest.raises(DiskError, match="read-only"):
        disk.write(0, bytes(512))
    with pytest.raises(DiskError, match="closed"):
        disk.read(0, 1)


def test_sizes_round_to_the_geometry_and_agree_with_qemu_img(tmp_path):
    assert disk_size_for(10 * MiB) == 10514432  # qemu-img create -f vpc 10M gives the same
    assert disk_size_for(1 << 30) == 1073995776
    assert disk_size_for(200 << 30) == 200 << 30  # maximum geometry: the byte size counts
    assert disk_size_for(1000, "raw") == 1024
    for size in (1, 511, 3 * MiB + 1, 127 << 30, 2040 << 30):
        rounded = disk_size_for(size)
        c, h, s = vhd.chs_geometry(rounded // 512)
        assert rounded >= size and (c * h * s * 512 == rounded or (c, h, s) == vhd.MAX_GEOMETRY)
    with pytest.raises(DiskError, match="2040 GiB"):
        disk_size_for((2040 << 30) + 512)
    with pytest.raises(DiskError):
        disk_size_for(0)
    with pytest.raises(DiskError, match="unknown disk type"):
        disk_size_for(MiB, "vhdx")


def test_create_never_overwrites_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "taken.vhd"
    path.write_bytes(b"precious")
    for kind in ("dynamic", "fixed", "raw"):
        with pytest.raises(DiskError, match="already exists"):
            create_disk(path, MiB, kind)
    assert path.read_bytes() == b"precious"
    with pytest.raises(DiskError, match="does not exist"):
        create_disk(tmp_path / "no" / "such.vhd", MiB)
    with pytest.raises(DiskError, match="block size"):
        create_disk(tmp_path / "odd.vhd", MiB, block_size=3000)
    assert sorted(os.listdir(tmp_path)) == ["taken.vhd"]


def test_a_second_writer_is_refused_and_readers_are_not(tmp_path):
    path = tmp_path / "shared.vhd"
    with create_disk(path, MiB):
        with pytest.raises(DiskError, match="in use"):
            open_disk(path)
        open_disk(path, read_only=True).close()
    open_disk(path).close()


def test_threads_share_one_disk(tmp_path):
    with create_disk(tmp_path / "t.vhd", 32 * MiB, block_size=64 * 1024) as disk:
        def worker(n):
            for i in range(40):
                sector = (i * 8 + n) * 16  # interleaved 8 KiB pieces: threads allocate neighbouring blocks
                disk.write(sector, pattern(n * 1000 + i, 16))
                assert disk.read(sector, 16) == pattern(n * 1000 + i, 16)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with open_disk(tmp_path / "t.vhd", read_only=True) as disk:
        for n in range(8):
            for i in range(40):
                assert disk.read((i * 8 + n) * 16, 16) == pattern(n * 1000 + i, 16)
    assert check_disk(tmp_path / "t.vhd") == []


def test_info_describes_the_disk(tmp_path):
    with create_disk(tmp_path / "i.vhd", 10 * MiB) as disk:
        disk.write(0, pattern(1, 1))
        info = disk.info()
    assert info["format"] == "vhd-dynamic" and info["virtual_size"] == 10514432
    assert info["block_size"] == 2 * MiB and info["blocks_total"] == 6 and info["blocks_allocated"] == 1
    assert info["allocated_bytes"] == 2 * MiB and info["creator"] == "bkhd 1.0 (Lnux)"
    assert info["geometry"] == {"cylinders": 302, "heads": 4, "sectors_per_track": 17}
    assert len(info["uuid"]) == 36 and info["created"].startswith("20") and info["problems"] == []
    json.dumps(info)


# --- crash-safe allocation ----------------------------------------------------------------------------------------
class Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["data", "bat", "footer"])
def test_a_crash_during_allocation_leaves_old_or_new_content(tmp_path, step):
    path = tmp_path / "crash.vhd"
    old = {0: pattern(1, 8)}
    new = pattern(2, 8)
    with create_disk(path, 8 * MiB) as disk:
        fill(disk, old)

    disk = open_disk(path)

    def crash_at(name):
        if name == step:
            raise Crash(name)

    disk._crash_point = crash_at
    with pytest.raises(Crash):
        disk.write(4096 + 8, new)  # block 1, unallocated
    disk.close()

    problems = check_disk(path)
    if step == "footer":
        assert problems == []
    else:
        assert len(problems) == 1 and "footer at the end" in problems[0] and "repairable" in problems[0]
    before = digest(path)
    with open_disk(path, read_only=True) as disk:
        assert disk.read(0, 8) == old[0]
        assert disk.read(4096 + 8, 8) in (bytes(4096), new)
        assert disk.info()["problems"] == problems
    assert digest(path) == before  # neither check_disk nor a read-only open repairs anything

    with open_disk(path) as disk:  # opening for writing rewrites the end footer
        assert disk.info()["problems"] == []
        assert bool(disk.info()["repaired"]) == (step != "footer")
        content = disk.read(4096 + 8, 8)
        assert content == (bytes(4096) if step == "data" else new)
        disk.write(3 * 4096, pattern(3, 1))  # and it grows on normally
    assert check_disk(path) == []
    with open_disk(path, read_only=True) as disk:
        assert disk.read(0, 8) == old[0] and disk.read(4096 + 8, 8) == content
        assert disk.read(3 * 4096, 1) == pattern(3, 1)


def test_a_damaged_end_footer_is_recovered_from_the_copy(tmp_path):
    path = tmp_path / "d.vhd"
    with create_disk(path, 4 * MiB) as disk:
        disk.write(0, pattern(1, 1))
    data = bytearray(path.read_bytes())
    data[-500] ^= 0xFF
    path.write_bytes(data)
    problems = check_disk(path)
    assert len(problems) == 1 and "checksum mismatch" in problems[0] and "repairable" in problems[0]
    with open_disk(path) as disk:
        assert disk.read(0, 1) == pattern(1, 1)
    assert check_disk(path) == []


def test_a_missing_footer_with_more_than_a_crash_leaves_is_not_repaired(tmp_path):
    path = tmp_path / "d.vhd"
    with create_disk(path, 4 * MiB, block_size=4096) as disk:
        disk.write(0, pattern(1, 1))
    path.write_bytes(path.read_bytes()[:-512] + b"\x42" * 20000)  # end footer gone, much more than a block follows
    before = digest(path)
    problems = check_disk(path)
    assert len(problems) == 1 and "20000 bytes follow the last block (not repaired automatically)" in problems[0]
    with open_disk(path, read_only=True) as disk:
        assert disk.read(0, 1) == pattern(1, 1)
    with pytest.raises(DiskError, match="not repaired automatically"):
        open_disk(path)
    assert digest(path) == before


def test_a_damaged_footer_copy_is_reported(tmp_path):
    path = tmp_path / "d.vhd"
    create_disk(path, 4 * MiB).close()
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(data)
    problems = check_disk(path)
    assert len(problems) == 1 and "checksum mismatch at offset 0" in problems[0]
    open_disk(path, read_only=True).close()  # still usable: the footer at the end is intact


# --- damaged and hostile images -----------------------------------------------------------------------------------
def small_dynamic(path, blocks=(0, 2, 5), block_size=4096, size=64 * 1024):
    disk = create_disk(path, size, block_size=block_size)
    for b in blocks:
        disk.write(b * block_size // 512 + 1, pattern(b, 2))
    disk.close()
    return path


def corrupt(path, how):
    data, header = layout(path) if how.startswith(("header", "bat")) else (None, None)
    if how == "cookie":
        raw = bytearray(path.read_bytes())
        raw[0:8] = raw[-512:-504] = b"notavhd!"
        path.write_bytes(raw)
    elif how == "checksum":
        raw = bytearray(path.read_bytes())
        raw[0 + 70] ^= 1
        raw[-512 + 70] ^= 1
        path.write_bytes(raw)
    elif how == "header cookie":
        data[512:520] = b"cxdense!"
        path.write_bytes(data)
    elif how == "header checksum":
        data[512 + 40] ^= 1
        path.write_bytes(data)
    elif how == "bat past eof":
        set_bat(path, 1, os.path.getsize(path) // 512 + 8)
    elif how == "bat into footer":
        set_bat(path, 1, (os.path.getsize(path) - 512) // 512 - 2)
    elif how == "bat duplicate":
        set_bat(path, 1, bat_entry(path, 0))
    elif how == "bat overlapping":
        set_bat(path, 1, bat_entry(path, 0) + 3)
    elif how == "bat over header":
        set_bat(path, 1, 2)
    elif how == "bat over table":
        set_bat(path, 1, header.table_offset // 512)
    elif how == "huge table":
        rewrite_header(path, max_table_entries=0xFFFFFFFF)
    elif how == "small table":
        rewrite_header(path, max_table_entries=3)
    elif how == "block size":
        rewrite_header(path, block_size=3000)
    elif how == "zero size":
        rewrite_footers(path, current_size=0)
    elif how == "odd size":
        rewrite_footers(path, current_size=1000)
    elif how == "too large":
        rewrite_footers(path, current_size=4 << 40)
    elif how == "differencing":
        rewrite_footers(path, disk_type=vhd.DIFFERENCING)
    elif how == "unknown type":
        rewrite_footers(path, disk_type=7)
    elif how == "data offset":
        rewrite_footers(path, data_offset=1 << 40)
    elif how == "version":
        rewrite_footers(path, version=0x00020000)
    elif how == "truncated":
        raw = path.read_bytes()
        path.write_bytes(raw[:-512 - 1000])
    else:
        raise AssertionError(how)


REFUSALS = {
    "cookie": "no VHD footer at the end of the file",
    "checksum": "footer checksum mismatch",
    "header cookie": "cxsparse",
    "header checksum": "header checksum mismatch",
    "bat past eof": "extends past the end",
    "bat into footer": "extends past the end",
    "bat duplicate": "both point to offset",
    "bat overlapping": "overlaps block",
    "bat over header": "overlaps the dynamic disk header",
    "bat over table": "overlaps the block table",
    "huge table": "block table .* extends past the end",
    "small table": "too few",
    "block size": "not a power of two",
    "zero size": "virtual size is zero",
    "odd size": "not a multiple of 512",
    "too large": "2040 GiB",
    "differencing": "differencing VHDs",
    "unknown type": "unknown VHD disk type 7",
    "data offset": "header offset .* outside the file",
    "version": "format version 2.0",
    "truncated": "extends past the end",
}


@pytest.mark.parametrize("how", sorted(REFUSALS))
def test_a_damaged_dynamic_image_is_refused_with_its_reason(tmp_path, how):
    path = small_dynamic(tmp_path / "bad.vhd")
    corrupt(path, how)
    before = digest(path)
    for read_only in (True, False):
        with pytest.raises(DiskError, match=REFUSALS[how]) as refused:
            open_disk(path, read_only=read_only)
        message = str(refused.value)
        assert message.startswith(f"{path}: ") and "\n" not in message
    problems = check_disk(path)
    assert len(problems) == 1 and problems[0] == message
    assert digest(path) == before


def test_a_checksum_mismatch_names_both_values(tmp_path):
    path = tmp_path / "fixed.vhd"
    create_disk(path, MiB, "fixed").close()
    raw = bytearray(path.read_bytes())
    raw[-512 + 20] ^= 0x10
    path.write_bytes(raw)
    with pytest.raises(DiskError, match=r"footer checksum mismatch at the end of the file \(0x[0-9a-f]{8} stored, "
                                        r"0x[0-9a-f]{8} computed\)"):
        open_disk(path)


@pytest.mark.parametrize("change", ["truncated", "extended"])
def test_a_fixed_image_of_the_wrong_length_is_refused(tmp_path, change):
    path = tmp_path / "fixed.vhd"
    create_disk(path, MiB, "fixed").close()
    raw = path.read_bytes()
    footer = raw[-512:]
    path.write_bytes(raw[:-1024] + footer if change == "truncated" else raw[:-512] + bytes(512) + footer)
    with pytest.raises(DiskError, match="fixed VHD of .* this file is"):
        open_disk(path, read_only=True)


def test_a_fixed_vhd_with_a_zeroed_footer_is_not_taken_for_a_raw_disk(tmp_path):
    path = tmp_path / "fixed.vhd"
    with create_disk(path, MiB, "fixed") as disk:
        disk.write(5, pattern(5, 1))
    raw = bytearray(path.read_bytes())
    raw[-512:] = bytes(512)
    path.write_bytes(raw)
    for opener in (lambda: open_disk(path, read_only=True), lambda: open_disk(path)):
        with pytest.raises(DiskError, match=r"fixed\.vhd: named \.vhd but has no VHD footer .*zeroed") as info:
            opener()
        assert "\n" not in str(info.value)
    assert check_disk(path) == [str(info.value)]
    with pytest.raises(DiskError, match="no VHD footer"):  # the recorded format says what it was
        open_disk(path, format="vhd-fixed")
    with open_disk(path, read_only=True, format="raw") as disk:  # asked for explicitly, it is what it is
        assert disk.format == "raw" and disk.size == disk_size_for(MiB, "fixed") + 512
        assert disk.read(5, 1) == pattern(5, 1)
    renamed = tmp_path / "fixed.img"
    path.rename(renamed)
    with open_disk(renamed, read_only=True) as disk:  # not named a VHD: a raw image, as before
        assert disk.format == "raw"


def test_a_raw_image_is_not_created_under_a_vhd_name(tmp_path):
    with pytest.raises(DiskError, match=r"a raw image must not be named \.vhd .*name it \.img or \.raw"):
        create_disk(tmp_path / "scratch.VHD", MiB, "raw")
    assert os.listdir(tmp_path) == []


def test_a_new_disk_is_staged_under_the_one_temporary_name_pattern(tmp_path, monkeypatch):
    import re

    from core.model.files import is_temp_name

    seen = []
    real = vhd.write_new_dynamic

    def spy(fd, size, block_size):
        seen.extend(os.listdir(tmp_path))
        real(fd, size, block_size)

    monkeypatch.setattr(vhd, "write_new_dynamic", spy)
    create_disk(tmp_path / "web1.vhd", MiB).close()
    assert len(seen) == 1 and re.fullmatch(r"\.web1\.vhd\.[0-9a-f]{8}\.tmp", seen[0]) and is_temp_name(seen[0])
    assert os.listdir(tmp_path) == ["web1.vhd"]


def test_files_that_are_not_disks(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "odd").write_bytes(b"x" * 1000)
    with pytest.raises(DiskError, match="empty"):
        open_disk(tmp_path / "empty")
    with pytest.raises(DiskError, match="not a multiple of 512"):
        open_disk(tmp_path / "odd")
    with pytest.raises(DiskError, match="no such file"):
        open_disk(tmp_path / "missing")
    with pytest.raises(DiskError, match="folder"):
        open_disk(tmp_path)
    (tmp_path / "sectors").write_bytes(b"x" * 1024)
    with open_disk(tmp_path / "sectors", read_only=True) as raw:
        assert raw.format == "raw" and raw.size == 1024
    with pytest.raises(DiskError, match="no VHD footer"):
        open_disk(tmp_path / "sectors", format="vhd-dynamic")


def test_a_guest_cannot_turn_its_raw_disk_into_a_vhd_when_the_format_is_given(tmp_path):
    path = tmp_path / "guest.img"
    create_disk(path, MiB, "raw").close()
    fake = vhd.Footer(vhd.FIXED, MiB - 512, MiB - 512, vhd.NO_OFFSET, (1, 1, 1), bytes(16), 0).pack()
    with open_disk(path) as disk:
        disk.write(disk.sectors - 1, fake)
    assert open_disk(path, read_only=True).format == "vhd-fixed"  # detection is fooled ...
    with open_disk(path, read_only=True, format="raw") as disk:  # ... the recorded format is not
        assert disk.size == MiB and disk.read(disk.sectors - 1, 1) == fake


def exercise(path, scratch):
    """Whatever the image holds: open_disk opens it or raises DiskError; an opened disk reads within bounds, can
    be written, and stays a valid image."""
    try:
        disk = open_disk(path, read_only=True)
    except DiskError as e:
        assert str(e) and "\n" not in str(e)
        assert check_disk(path) == [str(e)]
        event("refused: " + str(e).split(": ", 1)[1][:40])
        return
    event(f"opened as {disk.format}")
    with disk:
        left_alone = any("not repaired automatically" in p for p in disk.info()["problems"])
        assert disk.size > 0 and disk.size % 512 == 0
        probes = sorted({0, disk.sectors - 1, disk.sectors // 2, min(8, disk.sectors - 1)})
        for sector in probes:
            assert len(disk.read(sector, 1)) == 512
        assert len(disk.read(0, min(disk.sectors, 64))) == min(disk.sectors, 64) * 512
        disk.info()
        assert all(isinstance(p, str) for p in disk.check())
    shutil.copyfile(path, scratch)
    if left_alone:  # a missing end footer this code cannot have caused: only read-only opens are allowed
        with pytest.raises(DiskError, match="not repaired automatically"):
            open_disk(scratch)
        return
    with open_disk(scratch) as disk:
        for n, sector in enumerate(probes):
            disk.write(sector, pattern(n, 1))
        for n, sector in enumerate(probes):
            assert disk.read(sector, 1) == pattern(n, 1)
    with open_disk(scratch, read_only=True) as disk:
        for n, sector in enumerate(probes):
            assert disk.read(sector, 1) == pattern(n, 1)


@pytest.fixture(scope="module")
def hostile_seed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {"dynamic": small_dynamic(folder / "seed.vhd").read_bytes(),
            "fixed": _fixed_seed(folder / "seed-fixed.vhd")}


def _fixed_seed(path):
    with create_disk(path, 16 * 1024, "fixed") as disk:
        disk.write(3, pattern(3, 1))
    return path.read_bytes()


def _fix_checksums(raw: bytearray) -> None:
    for at in (0, len(raw) - 512) if len(raw) >= 512 else ():
        if raw[at:at + 8] == vhd.COOKIE:
            struct.pack_into(">I", raw, at + 64, vhd.checksum(raw[at:at + 512], 64))
    if len(raw) >= 1536 and raw[512:520] == vhd.HEADER_COOKIE:
        struct.pack_into(">I", raw, 512 + 36, vhd.checksum(raw[512:1536], 36))


@HYPOTHESIS
@given(kind=st.sampled_from(["dynamic", "fixed"]),
       edits=st.lists(st.tuples(st.sampled_from(["footer copy", "header", "bat", "bitmap", "end footer", "any"]),
                                st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=6),
       fix_checksums=st.booleans())
def test_mutated_bytes_never_crash_the_reader(tmp_path, hostile_seed, kind, edits, fix_checksums):
    raw = bytearray(hostile_seed[kind])
    regions = {"footer copy": (0, 512), "header": (512, 1536), "bat": (1536, 2048), "bitmap": (2048, 2560),
               "end footer": (len(raw) - 512, len(raw)), "any": (0, len(raw))}
    for region, at, value in edits:
        start, end = regions[region]
        raw[start + at % (end - start)] = value
    if fix_checksums:
        _fix_checksums(raw)
    path = tmp_path / "mutant.vhd"
    path.write_bytes(raw)
    exercise(path, tmp_path / "scratch.vhd")


U32 = st.one_of(st.sampled_from([0, 1, 3, 4, 5, 8, 9, 512, 4096, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF]),
                st.integers(0, 0xFFFFFFFF))
U64 = st.one_of(st.sampled_from([0, 511, 512, 1024, 1536, 2048, 65536, 1 << 40, 2040 << 30, 0xFFFFFFFFFFFFFFFF]),
                st.integers(0, 1 << 64 - 1))
VERSION = st.sampled_from([0x00010000, 0x00010000, 0x00010001, 0x00020000, 0])
SIZE = st.one_of(st.integers(1, 256).map(lambda n: n * 512), U64)
BLOCK_SIZE = st.one_of(st.sampled_from([512, 1024, 2048, 4096, 8192, 65536, 1 << 21, 1 << 31]), U32)
BAT_VALUE = st.one_of(st.just(0xFFFFFFFF), st.integers(0, 200), U32)


@HYPOTHESIS
@given(footer=st.one_of(st.just({}), st.fixed_dictionaries({}, optional={
           "current_size": SIZE, "data_offset": U64, "version": VERSION,
           "disk_type": st.sampled_from([2, 3, 3, 4, 0, 5])})),
       header=st.one_of(st.just({}), st.fixed_dictionaries({}, optional={
           "table_offset": U64, "max_table_entries": U32, "version": VERSION, "block_size": BLOCK_SIZE})),
       bat=st.dictionaries(st.integers(0, 15), BAT_VALUE, max_size=4),
       which=st.sampled_from([("start", "end"), ("start",), ("end",)]),
       cut=st.sampled_from([0, 0, 0, 1, 512, 513, 4096]))
def test_hostile_fields_are_refused_or_handled(tmp_path, hostile_seed, footer, header, bat, which, cut):
    path = tmp_path / "hostile.vhd"
    path.write_bytes(hostile_seed["dynamic"])
    for index, value in bat.items():
        set_bat(path, index, value)
    if header:
        rewrite_header(path, **header)
    if footer:
        rewrite_footers(path, which, **footer)
    if cut:
        raw = path.read_bytes()
        path.write_bytes(raw[:max(0, len(raw) - cut)])
    exercise(path, tmp_path / "scratch.vhd")


@HYPOTHESIS
@given(body=st.binary(max_size=4096), whole_sectors=st.booleans(),
       cookies=st.sampled_from([(), ("start",), ("end",), ("start", "header"), ("end", "header"), ("header",)]),
       fix_checksums=st.booleans())
def test_random_files_are_refused_or_opened(tmp_path, body, whole_sectors, cookies, fix_checksums):
    raw = bytearray(body)
    if cookies:
        raw += bytes(max(0, 2048 - len(raw)))
    if whole_sectors or cookies:
        raw += bytes(-len(raw) % 512)
    if raw:
        if "start" in cookies:
            raw[0:8] = vhd.COOKIE
        if "end" in cookies:
            raw[-512:-504] = vhd.COOKIE
        if "header" in cookies:
            raw[512:520] = vhd.HEADER_COOKIE
    if fix_checksums:
        _fix_checksums(raw)
    path = tmp_path / "random.bin"
    path.write_bytes(raw)
    exercise(path, tmp_path / "scratch.bin")


# --- qemu-img agrees ----------------------------------------------------------------------------------------------
def qemu(*args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([QEMU_IMG, *args], capture_output=True, text=True, check=check, timeout=60)


@requires_qemu_img
@pytest.mark.parametrize("kind", ["dynamic", "fixed"])
def test_qemu_img_reads_what_we_wrote(tmp_path, kind):
    path = tmp_path / f"{kind}.vhd"
    with create_disk(path, 10 * MiB, kind) as disk:
        writes = sample_writes(disk.sectors)
        fill(disk, writes)
        size = disk.size
    # qemu probes a dynamic VHD by its footer copy at offset 0; a fixed one only with -f vpc
    info = json.loads(qemu("info", "--output=json", *(["-f", "vpc"] if kind == "fixed" else []), str(path)).stdout)
    assert info["format"] == "vpc" and info["virtual-size"] == size
    qemu("convert", "-f", "vpc", "-O", "raw", str(path), str(tmp_path / "out.raw"))
    assert (tmp_path / "out.raw").read_bytes() == expected_image(size, writes)
    r = qemu("check", "-f", "vpc", str(path), check=False)  # qemu 7 has no checks for vpc; then it says so
    assert r.returncode == 0 or "does not support checks" in r.stderr, r.stderr


@requires_qemu_img
def test_qemu_img_agrees_on_sizes_beyond_the_geometry(tmp_path):
    path = tmp_path / "big.vhd"
    create_disk(path, (200 << 30) + 4096).close()
    info = json.loads(qemu("info", "--output=json", str(path)).stdout)
    assert info["virtual-size"] == (200 << 30) + 4096


@requires_qemu_img
@pytest.mark.parametrize("options", [[], ["-o", "subformat=fixed"], ["-o", "force_size=on"]])
def test_we_read_what_qemu_wrote(tmp_path, options):
    path = tmp_path / "q.vhd"
    qemu("create", "-f", "vpc", *options, str(path), "10M")
    qemu_size = json.loads(qemu("info", "--output=json", "-f", "vpc", str(path)).stdout)["virtual-size"]
    if QEMU_IO:
        for cmd in ("write -P 0xab 1M 64k", "write -P 0xcd 0 512", "write -P 0x5a 4095k 2k"):
            subprocess.run([QEMU_IO, "-f", "vpc", "-c", cmd, str(path)], check=True, capture_output=True, timeout=60)
    with open_disk(path, read_only=True) as disk:
        assert disk.size == qemu_size
        data = disk.read(0, 10 * MiB // 512)
    assert check_disk(path) == []
    want = bytearray(10 * MiB)
    if QEMU_IO:
        want[MiB:MiB + 65536] = b"\xab" * 65536
        want[0:512] = b"\xcd" * 512
        want[4095 * 1024:4097 * 1024] = b"\x5a" * 2048
    assert data == want
    with open_disk(path) as disk:  # and qemu reads what we add to its image
        disk.write(3 * MiB // 512, pattern(9, 4))
    qemu("convert", "-f", "vpc", "-O", "raw", str(path), str(tmp_path / "out.raw"))
    want[3 * MiB:3 * MiB + 2048] = pattern(9, 4)
    assert (tmp_path / "out.raw").read_bytes()[:10 * MiB] == want


@requires_qemu_io
def test_qemu_grows_our_dynamic_image_and_we_follow(tmp_path):
    path = tmp_path / "ours.vhd"
    with create_disk(path, 8 * MiB) as disk:
        disk.write(0, pattern(1, 4))
    subprocess.run([QEMU_IO, "-f", "vpc", "-c", "write -P 0x77 6M 4k", str(path)], check=True, capture_output=True)
    assert check_disk(path) == []
    with open_disk(path, read_only=True) as disk:
        assert disk.read(0, 4) == pattern(1, 4) and disk.read(6 * MiB // 512, 8) == b"\x77" * 4096


# --- bulkhead disk new|info|check ---------------------------------------------------------------------------------
def run_cli(*argv) -> int:
    """The command line itself: usage errors are 2, other failures 1, a message on one line."""
    return main([str(a) for a in argv])


def test_cli_new_info_check(tmp_path, capsys):
    path = tmp_path / "web1.vhd"
    assert run_cli("disk", "new", path, "--size", "10M") == 0
    out = capsys.readouterr().out
    assert "Created" in out and "dynamic VHD" in out and "10514432 bytes" in out and "rounded up" in out
    assert run_cli("disk", "info", path) == 0
    out = capsys.readouterr().out
    assert "vhd-dynamic" in out and "0 of 6 allocated" in out and "302/4/17" in out and "bkhd" in out
    assert run_cli("disk", "info", path, "--json") == 0
    assert json.loads(capsys.readouterr().out)["virtual_size"] == 10514432
    assert run_cli("disk", "check", path) == 0
    assert "no problems" in capsys.readouterr().out
    assert run_cli("disk", "check", path, "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(path), "clean": True, "problems": []}
    for kind in ("fixed", "raw"):
        assert run_cli("disk", "new", tmp_path / f"d.{kind}", "--size", "1G", "--type", kind) == 0
        assert os.path.getsize(tmp_path / f"d.{kind}") == disk_size_for(1 << 30, kind) + (512 if kind == "fixed" else 0)
    capsys.readouterr()


def test_cli_reports_problems_and_usage_errors_on_one_line(tmp_path, capsys):
    path = small_dynamic(tmp_path / "bad.vhd")
    corrupt(path, "bat overlapping")
    assert run_cli("disk", "check", path) == 1
    out = capsys.readouterr().out
    assert "overlaps block" in out and len(out.strip().splitlines()) == 1
    assert run_cli("disk", "check", path, "--json") == 1
    assert json.loads(capsys.readouterr().out)["clean"] is False
    assert run_cli("disk", "info", path) == 1
    err = capsys.readouterr().err
    assert err.startswith("bulkhead: ") and "overlaps block" in err and err.count("\n") == 1

    cases = [(("disk", "check", tmp_path / "missing.vhd"), "no such file"),
             (("disk", "info", tmp_path / "missing.vhd"), "no such file"),
             (("disk", "new", path, "--size", "1G"), "already exists"),
             (("disk", "new", tmp_path / "x.vhd", "--size", "lots"), "not a size"),
             (("disk", "new", tmp_path / "x.vhd", "--size", "3T"), "2040 GiB"),
             (("disk", "new", tmp_path / "nowhere" / "x.vhd", "--size", "1G"), "does not exist")]
    for argv, message in cases:
        assert run_cli(*argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert run_cli("disk", "new", tmp_path / "x.vhd", "--size", "1G", "--type", "vhdx") == 2  # argparse
    assert not (tmp_path / "x.vhd").exists()
    capsys.readouterr()
