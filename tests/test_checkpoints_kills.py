"""A host service killed while it takes, applies and deletes checkpoints (issue 15's durability).

The bounded campaign (benchmarks/checkpoint_kills.py, a few kills of each operation at random moments against a host
service process, each followed by a restart and the checks there: the tree lists every acknowledged checkpoint,
every chain is valid for ``disk check`` and qemu-img, the content of every checkpoint and of the VM's disk is
right, the guest reads its markers back), and the states such kills left that the campaign found wrong, made here
on purpose in this process (a failure raised where the kill fell: nothing of the operation's own clean-up runs
but what a kill would leave), then read by a host started again on the same folder:

- a merge's owners re-pointed at the merged disk but the tree not yet written: the next merge followed the tree,
  not the files' headers, and put the VM's later data into a checkpoint's disk;
- a re-parenting cut between its two footer writes, and a block allocation (a merge into the base) cut before
  its end footer: readers cope, but ``disk check`` was not clean until something opened the file for writing;
- an apply cut after vm.json named the new disk: "now" still named the checkpoint before, and the saved state was
  linked before vm.json was written (memory of the checkpoint with the disk of before);
- a take cut after the running VM went on writing to its new child, before vm.json named it: the child, with the
  guest's writes, was deleted at the restart.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from core import api
from core.engine.storage import check_disk, create_disk, open_disk
from core.engine.storage.differencing import Link, create_differencing
from core.engine.storage.vhd import DynamicVhd
from core.local import checkpoints_tree as ct

from .conftest import KVM_SKIP_REASON, KVM_USABLE
from .helpers.disks import fill_vm_sector, read_sector

MiB = 1 << 20
SECTOR = 512


class Cut(Exception):
    """Where a kill fell."""


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def _host(home: Path):
    return api.connect(str(home), embedded=True)


def _vm(conn, tmp_path: Path, name: str = "v") -> str:
    base = str(tmp_path / "base.vhd")
    create_disk(base, 16 * MiB).close()
    conn.new_vm(name, memory="32M", disk=base).wait(check=True)
    return base


def _take(conn, name: str, vm: str = "v") -> str:
    return conn.checkpoint(vm, name).wait(check=True).result["checkpoint"]["id"]


def _content(conn, vm: str = "v") -> dict:
    """Per checkpoint name (and "" for the VM's disk) the first byte of sectors 0..3."""
    tree = conn.checkpoints(vm)
    disks = {c["name"]: c["disk"] for c in tree["checkpoints"]} | {"": conn.vm(vm).disk}
    return {name: b"".join(read_sector(d, s)[:1] for s in range(4)) for name, d in disks.items()}


def _all_clean(conn, vm: str = "v") -> list[str]:
    """disk check of every disk the VM and its checkpoints use (each file of their chains)."""
    tree = conn.checkpoints(vm)
    problems = []
    for path in {c["disk"] for c in tree["checkpoints"]} | {conn.vm(vm).disk}:
        problems += check_disk(path)
        with open_disk(path, read_only=True) as d:
            for link in getattr(d, "links", ()):
                problems += check_disk(link.path)
    return problems


def _three(conn, tmp_path) -> dict:
    """VM "v" Off: c1 (sector 0 "0"), c2 (+ "1"), c3 (+ "2"), and the VM's disk (+ "3"): their ids."""
    _vm(conn, tmp_path)
    ids = {}
    for i, name in enumerate(("c1", "c2", "c3")):
        fill_vm_sector(conn, "v", str(i).encode(), i)
        ids[name] = _take(conn, name)
    fill_vm_sector(conn, "v", b"3", 3)
    return ids


def test_a_merge_cut_before_the_tree_was_written_does_not_put_later_data_into_a_checkpoint(home, tmp_path,
                                                                                          monkeypatch):
    conn = _host(home)
    ids = _three(conn, tmp_path)
    real = ct.Tree.write_meta

    def cut_after_moving_c3(self, folder, ck):
        real(self, folder, ck)
        if ck.id == ids["c3"]:
            raise Cut("killed after c3's meta names the merged disk, before checkpoints.json does")

    monkeypatch.setattr(ct.Tree, "write_meta", cut_after_moving_c3)
    assert conn.remove_checkpoint("v", "c2").wait().state == "Failed"
    monkeypatch.undo()
    conn.close()
    conn = _host(home)  # started again on the same folder
    _take(conn, "c4")  # its take merges what waited: by the files' headers, not the tree's stale parents
    assert _content(conn) == {"c1": b"0\0\0\0", "c3": b"012\0", "c4": b"0123", "": b"0123"}
    assert _all_clean(conn) == []
    conn.close()


def test_a_reparent_cut_between_its_footers_is_repaired_at_the_restart(home, tmp_path, monkeypatch):
    conn = _host(home)
    _three(conn, tmp_path)

    def cut(self, at):
        if at == "reparent-end-footer":
            raise Cut("killed between the end footer and the copy at offset 0")

    monkeypatch.setattr(Link, "_crash_point", cut)
    assert conn.remove_checkpoint("v", "c2").wait().state == "Failed"
    monkeypatch.undo()
    conn.close()
    conn = _host(home)
    assert _all_clean(conn) == []  # the footer copy rewritten from the end footer
    assert _content(conn) == {"c1": b"0\0\0\0", "c3": b"012\0", "": b"0123"}
    conn.remove_checkpoint("v", "c3").wait(check=True)
    assert _content(conn) == {"c1": b"0\0\0\0", "": b"0123"} and _all_clean(conn) == []
    conn.close()


def test_a_merge_into_the_base_cut_in_a_block_allocation_is_repaired_at_the_restart(home, tmp_path, monkeypatch):
    conn = _host(home)
    base = _vm(conn, tmp_path)
    fill_vm_sector(conn, "v", b"A", 0)
    _take(conn, "c1")
    fill_vm_sector(conn, "v", b"B", 20000)  # a block the base does not have: the merge allocates it
    _take(conn, "c2")

    def cut(self, at):
        if at == "bat" and self.path == base:
            raise Cut("killed after the block table entry, before the end footer")

    monkeypatch.setattr(DynamicVhd, "_crash_point", cut)
    assert conn.remove_checkpoint("v", "c1").wait().state == "Failed"
    monkeypatch.undo()
    conn.close()
    assert check_disk(base) and "repairable" in check_disk(base)[0]  # what the cut left
    conn = _host(home)
    assert _all_clean(conn) == [] and check_disk(base) == []
    assert read_sector(conn.vm("v").disk, 20000) == b"B" * SECTOR
    conn.close()


def test_an_apply_cut_after_vm_json_has_now_at_its_checkpoint(home, tmp_path, monkeypatch):
    conn = _host(home)
    ids = _three(conn, tmp_path)
    real, saves = ct.Tree.save, []

    def cut_at_the_last_save(self):
        saves.append(1)
        if len(saves) == 2:  # the first names the new child, vm.json follows, then this one would set "now"
            raise Cut("killed after vm.json, before checkpoints.json has the new top and now")
        real(self)

    monkeypatch.setattr(ct.Tree, "save", cut_at_the_last_save)
    assert conn.apply_checkpoint("v", "c1").wait().state == "Failed"
    monkeypatch.undo()
    conn.close()
    conn = _host(home)
    assert conn.checkpoints("v")["now"] == ids["c1"]
    assert _content(conn)[""] == b"0\0\0\0" and _all_clean(conn) == []
    conn.close()


def test_the_child_a_cut_take_had_switched_the_vm_to_stays_its_disk(home, tmp_path):
    conn = _host(home)
    _three(conn, tmp_path)
    vm = conn.vm("v")
    folder, disk = Path(vm.folder), vm.disk
    conn.close()
    # what a take of the running VM leaves when killed after the switch, before vm.json names the child: a child
    # of the VM's disk the guest went on writing to (known to the tree, or not yet)
    for known in (True, False):
        child = str(folder / ct.FOLDER / ct.DISKS / f"cut_{known}.avhd")
        create_differencing(child, disk)
        with open_disk(child) as d:
            d.write(1, b"W" * SECTOR)
        if known:
            data = json.loads((folder / ct.TREE).read_text())
            data["files"][child] = disk
            (folder / ct.TREE).write_text(json.dumps(data))
        stray = str(folder / ct.FOLDER / ct.DISKS / "stray.avhd")  # a cut apply's child of a checkpoint's disk
        create_differencing(stray, json.loads((folder / ct.FOLDER / next(
            e for e in os.listdir(folder / ct.FOLDER) if len(e) == 32) / ct.META).read_text())["disk"])
        conn = _host(home)
        assert conn.vm("v").disk == child
        assert _content(conn)[""] == b"0W23" and not os.path.exists(stray) and _all_clean(conn) == []
        conn.close()
        disk = child
    conn = _host(home)
    conn.checkpoint("v", "after").wait(check=True)  # the old disks merge away; the data stays
    assert _content(conn)[""] == b"0W23" and _content(conn)["after"] == b"0W23" and _all_clean(conn) == []
    conn.close()


@pytest.mark.skipif(not KVM_USABLE, reason=KVM_SKIP_REASON)
@pytest.mark.skipif(not shutil.which("qemu-img"), reason="qemu-img is not installed (apt-get install qemu-utils)")
@pytest.mark.parametrize("op", ["take", "apply", "delete"])
def test_kills_at_random_moments_leave_valid_chains_and_every_acknowledged_checkpoint(tmp_path, op):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.checkpoint_kills import campaign

    kills = int(os.environ.get("BULKHEAD_CHECKPOINT_KILLS", "6"))
    r = campaign(tmp_path, op, kills, seed=int(os.environ.get("BULKHEAD_KILL_SEED", "15")))
    assert r["kills"] == kills and r["guest_checks"] >= kills, r
    assert r["findings"] == [], json.dumps(r["findings"], indent=1)


def test_the_vms_top_cut_in_a_block_allocation_is_repaired_at_the_restart(home, tmp_path, monkeypatch):
    conn = _host(home)
    _three(conn, tmp_path)
    top = conn.vm("v").disk
    conn.close()

    def cut(self, at):
        if at == "bat":
            raise Cut("killed while the guest's write allocated a block of the top, before its end footer")

    monkeypatch.setattr(Link, "_crash_point", cut)
    with pytest.raises(Cut), open_disk(top) as d:
        d.write(20000, b"G" * SECTOR)
    monkeypatch.undo()
    assert check_disk(top)  # what the cut left: readers use the footer copy
    conn = _host(home)
    assert _all_clean(conn) == [] and _content(conn)[""] == b"0123"
    conn.close()
