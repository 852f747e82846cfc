"""A disk creation interrupted by a kill leaves its hidden temporary file beside the disk, outside the store: the host
writes the disks it is creating down first and removes their leftovers (only theirs) at its next start."""

from __future__ import annotations

from core import api
from core.hosts.paths import HostPaths
from core.local.disks import PendingDisks


def test_leftover_of_an_interrupted_disk_new_is_swept_at_the_next_start(tmp_path):
    home = tmp_path / "home"
    disks = tmp_path / "disks"
    disks.mkdir()
    target = disks / "data.vhd"
    # what a host killed during create_disk leaves: the journal entry and the half-written temporary image
    paths = HostPaths.resolve(str(home))
    paths.data.mkdir(parents=True, mode=0o700)
    PendingDisks(paths.data / "disks-pending.json").add(str(target))
    leftover = disks / ".data.vhd.0badc0de.tmp"
    leftover.write_bytes(b"\0" * 4096)
    users_own = disks / ".notes.txt.0badc0de.tmp"  # another program's temporary file: not ours to remove
    users_own.write_bytes(b"x")
    with api.connect(str(home), embedded=True) as conn:
        assert not leftover.exists()
        assert users_own.exists()
        conn.new_disk(str(target), "16M").wait(check=True)
        assert target.exists()
    assert PendingDisks(paths.data / "disks-pending.json")._read() == []
    assert sorted(p.name for p in disks.iterdir()) == [".notes.txt.0badc0de.tmp", "data.vhd"]
