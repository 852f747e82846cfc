"""Malformed guest images are refused with a one-line reason before anything runs."""

import pytest

from core.engine import ImageError, PartitionConfig, parse_image
from core.engine.elfimage import load_image

from .conftest import MiB
from .elfkit import POWEROFF, make_elf


def test_a_good_image_parses():
    image = parse_image(make_elf(POWEROFF))
    assert image.entry == 0x100000 and len(image.segments) == 1


def test_bundled_image_has_the_symbols_tests_use(guest_image):
    image = load_image(guest_image)
    assert "bk_ticks" in image.symbols and image.entry >= 0x100000


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"MZ\x90\x00" + bytes(200), "not an ELF image"),
        (make_elf(POWEROFF, ei_class=1), "wrong ELF class 1"),
        (make_elf(POWEROFF, machine=40), "wrong machine 40"),
        (make_elf(POWEROFF, e_type=3), "not an executable"),
        (make_elf(POWEROFF, entry=0x200000), "entry point 0x200000 is outside every executable segment"),
        (make_elf(POWEROFF, flags=6), "outside every executable segment"),  # entry in a non-executable segment
        (make_elf(POWEROFF)[:40], "truncated"),
        (make_elf(POWEROFF)[:100], "truncated: program headers"),
        (make_elf(POWEROFF)[:-4], "truncated: segment 0"),
        (make_elf(POWEROFF, memsz=2), "file size larger than memory size"),
    ],
)
def test_malformed_images_are_refused(data, reason):
    with pytest.raises(ImageError, match=reason) as info:
        parse_image(data, "bad.elf")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("paddr", [0x1000, 64 * MiB - 4, 1 << 40])
def test_segments_outside_guest_memory_are_refused_before_anything_runs(hypervisor, tmp_path, paddr):
    path = tmp_path / "far.elf"
    path.write_bytes(make_elf(POWEROFF, paddr=paddr))
    with pytest.raises(ImageError, match="outside guest memory|beyond any guest memory"):
        hypervisor.create_partition(PartitionConfig("far", 64 * MiB, str(path)))
    assert not hypervisor.partitions


def test_missing_image_is_named(hypervisor, tmp_path):
    with pytest.raises(ImageError, match="no such guest image"):
        hypervisor.create_partition(PartitionConfig("none", 64 * MiB, str(tmp_path / "nope.elf")))


def test_a_minimal_image_runs_and_powers_off(hypervisor, tmp_path):
    from core.engine import VmState

    from .conftest import wait_for_state

    path = tmp_path / "off.elf"
    path.write_bytes(make_elf(POWEROFF))
    p = hypervisor.create_partition(PartitionConfig("tiny", 4 * MiB, str(path)))
    p.start()
    wait_for_state(p, VmState.OFF)
    assert p.snapshot_counters()["port_accesses"] == {"power": 1}
