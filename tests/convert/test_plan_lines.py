"""The readable lines of a dry run (the command line prints them): a disk's size in MiB below 1 GiB (a 32 MiB image
is not "0.0 GiB"), in GiB with one decimal from there on; a disk left unattached says so."""

from __future__ import annotations

from core.api.convert import plan_lines, size_text

MiB, GiB = 1 << 20, 1 << 30


def test_sizes_below_and_above_a_gib():
    assert [size_text(n) for n in (0, 512, 32 * MiB, GiB - 1, GiB, 3 * GiB + GiB // 2)] == \
        ["0 MiB", "0 MiB", "32 MiB", "1024 MiB", "1.0 GiB", "3.5 GiB"]


def test_disk_lines_name_the_size():
    answer = {"source": {"format": "physical", "path": "this machine"},
              "plan": {"name": "srv", "kind": "bulkhead", "settings": {"memory": 64 * MiB, "vcpus": 1},
                       "disks": [{"source": "/srv/a.img", "source_format": "raw", "capacity": 32 * MiB,
                                  "target": "srv-disk1.vhd", "target_format": "vpc", "attach": True},
                                 {"source": "/srv/b.img", "source_format": "raw", "capacity": 5 * GiB,
                                  "target": "srv-disk2.vhd", "target_format": "vpc", "attach": False}]}}
    lines = plan_lines(answer)
    assert "Disk: /srv/a.img (raw, 32 MiB) -> srv-disk1.vhd (vpc)" in lines
    assert "Disk: /srv/b.img (raw, 5.0 GiB) -> srv-disk2.vhd (vpc), not attached" in lines
