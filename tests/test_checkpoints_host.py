"""Checkpoints on the embedded engine (docs/checkpoints.md): the tree in the VM's folder, take / apply / revert /
rename / delete with the disk's data merged where it belongs, a running VM's memory kept and restored, the limit,
names, and what an interrupted take leaves after the host starts again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import api
from core.engine.storage import create_disk
from core.model.errors import NotFound, StateError, UsageError

from .helpers.disks import fill_vm_sector as _write
from .helpers.disks import read_sector as _read
from .helpers.embedded import embedded_fixture
from .helpers.moves import guest, new_running

MiB = 1 << 20
SECTOR = 512


conn = embedded_fixture("tmp_path", "home")


def _vm_on_disk(conn, tmp_path: Path, name: str, fill: bytes = b"A") -> str:
    """A new Off VM ``name`` on a fresh disk of ``fill`` sectors; the disk's path."""
    base = _disk(tmp_path, fill)
    conn.new_vm(name, memory="32M", disk=base).wait(check=True)
    return base


def _disk(tmp_path: Path, fill: bytes = b"A") -> str:
    path = str(tmp_path / "base.vhd")
    with create_disk(path, 64 * MiB) as d:
        d.write(0, fill * SECTOR)
    return path


def _take(conn, vm: str, name: str = "") -> dict:
    return conn.checkpoint(vm, name).wait(60, check=True).result


def _names(conn, vm: str) -> dict:
    tree = conn.checkpoints(vm)
    return {c["name"]: c for c in tree["checkpoints"]} | {"": tree["now"]}


def test_an_off_vm_without_a_disk_keeps_its_configuration_in_a_tree(conn):
    conn.new_vm("plain", memory="32M").wait(check=True)
    events = []
    conn.subscribe(lambda kind, data: events.append((kind, data)))
    first = _take(conn, "plain", "first")
    changed = [d for k, d in events if k == "vm.changed" and d.get("name") == "plain"]
    assert changed and changed[-1]["checkpoints"] == 1 and changed[-1]["checkpoint"] == "first"
    assert first["memory"] is False and first["disk"] == "" and first["pause_s"] is None
    conn.set_vm("plain", memory="64M", notes="changed").wait(check=True)
    second = _take(conn, "plain", "second")
    tree = conn.checkpoints("plain")
    assert tree["now"] == second["checkpoint"]["id"]
    by_id = {c["id"]: c for c in tree["checkpoints"]}
    assert by_id[second["checkpoint"]["id"]]["parent"] == first["checkpoint"]["id"]
    assert by_id[first["checkpoint"]["id"]]["children"] == [second["checkpoint"]["id"]]
    folder = Path(conn.vm("plain").folder)
    assert (folder / "checkpoints.json").is_file()
    assert (folder / "checkpoints" / first["checkpoint"]["id"] / "checkpoint.json").is_file()
    shown = conn.call("vm.show", vm="plain")
    assert shown["checkpoints"] == 2 and shown["checkpoint"] == "second"

    conn.apply_checkpoint("plain", "first").wait(60, check=True)
    vm = conn.vm("plain")
    assert vm.memory == 32 * MiB and vm.notes == "" and vm.state == "Off"
    assert conn.checkpoints("plain")["now"] == first["checkpoint"]["id"]
    conn.set_vm("plain", memory="128M").wait(check=True)
    conn.revert_checkpoint("plain").wait(60, check=True)
    assert conn.vm("plain").memory == 32 * MiB
    # a checkpoint taken now starts a new branch under "first"
    third = _take(conn, "plain", "third")
    assert {c["id"]: c for c in conn.checkpoints("plain")["checkpoints"]}[first["checkpoint"]["id"]]["children"] \
        == [second["checkpoint"]["id"], third["checkpoint"]["id"]]


def test_names_by_id_or_unique_name_and_an_ambiguous_name_is_refused(conn):
    conn.new_vm("named", memory="32M").wait(check=True)
    a = _take(conn, "named", "same")["checkpoint"]["id"]
    b = _take(conn, "named", "same")["checkpoint"]["id"]
    with pytest.raises(UsageError, match="ambiguous|named 'same'"):
        conn.apply_checkpoint("named", "same")
    with pytest.raises(NotFound, match="no checkpoint 'nope'"):
        conn.remove_checkpoint("named", "nope")
    conn.rename_checkpoint("named", b, "other").wait(check=True)
    conn.apply_checkpoint("named", "SAME").wait(check=True)  # unique now, compared as people read names
    assert conn.checkpoints("named")["now"] == a
    conn.apply_checkpoint("named", b).wait(check=True)
    assert conn.checkpoints("named")["now"] == b
    with pytest.raises(UsageError):
        conn.rename_checkpoint("named", b, "bad\x07name")
    with pytest.raises(StateError, match="no checkpoint to revert to"):
        conn.new_vm("fresh", memory="32M").wait(check=True)
        conn.revert_checkpoint("fresh")


def test_the_51st_checkpoint_is_refused(conn):
    conn.new_vm("many", memory="32M").wait(check=True)
    for i in range(50):
        _take(conn, "many", f"c{i}")
    with pytest.raises(StateError, match="50 checkpoints, the most a VM can have"):
        conn.checkpoint("many", "c50")
    assert len(conn.checkpoints("many")["checkpoints"]) == 50


def test_an_off_vm_with_a_disk_gets_its_contents_back_and_deletes_merge(conn, tmp_path):
    base = _disk(tmp_path, b"A")
    conn.new_vm("disky", memory="32M", disk=base).wait(check=True)
    one = _take(conn, "disky", "one")
    child = conn.vm("disky").disk
    assert child == one["disk"] and child != base and Path(child).parent.name == "disks"
    _write(conn, "disky", b"B")
    assert _read(base) == b"A" * SECTOR  # the base is history now: never written
    two = _take(conn, "disky", "two")
    _write(conn, "disky", b"C")
    _write(conn, "disky", b"c", sector=1)

    conn.apply_checkpoint("disky", "one").wait(60, check=True)
    assert _read(conn.vm("disky").disk) == b"A" * SECTOR
    _write(conn, "disky", b"X")
    conn.apply_checkpoint("disky", "two").wait(60, check=True)
    assert _read(conn.vm("disky").disk) == b"B" * SECTOR
    _write(conn, "disky", b"Y", sector=2)
    conn.revert_checkpoint("disky").wait(60, check=True)
    assert _read(conn.vm("disky").disk, 2) == bytes(SECTOR)  # what was written after "two" is gone

    # deleting "one" merges its disk's data into the right place: "two" still reads as it was taken
    _write(conn, "disky", b"N")
    r = conn.remove_checkpoint("disky", "one").wait(60, check=True).result
    assert r["merged"], r
    tree = _names(conn, "disky")
    assert set(tree) == {"two", ""} and tree["two"]["parent"] is None  # re-parented to the root
    assert _read(conn.vm("disky").disk) == b"N" * SECTOR
    conn.apply_checkpoint("disky", "two").wait(60, check=True)
    assert _read(conn.vm("disky").disk) == b"B" * SECTOR
    assert two["checkpoint"]["id"] == tree["two"]["id"]
    # no disk file is left that nothing needs
    disks = Path(conn.vm("disky").folder) / "checkpoints" / "disks"
    assert len(os.listdir(disks)) <= 2


def test_deleting_a_subtree_and_removing_the_vm_merge_back_into_its_disk(conn, tmp_path):
    base = _vm_on_disk(conn, tmp_path, "branches")
    _take(conn, "branches", "root")
    _write(conn, "branches", b"1")
    _take(conn, "branches", "left")
    _write(conn, "branches", b"2")
    _take(conn, "branches", "left-leaf")
    conn.apply_checkpoint("branches", "root").wait(check=True)
    _write(conn, "branches", b"3")
    _take(conn, "branches", "right")
    _write(conn, "branches", b"4")
    r = conn.remove_checkpoint("branches", "left", subtree=True).wait(60, check=True).result
    assert len(r["removed"]) == 2
    assert set(_names(conn, "branches")) == {"root", "right", ""}
    assert _read(conn.vm("branches").disk) == b"4" * SECTOR
    conn.apply_checkpoint("branches", "right").wait(check=True)
    assert _read(conn.vm("branches").disk) == b"3" * SECTOR
    _write(conn, "branches", b"5")
    folder = Path(conn.vm("branches").folder)
    r = conn.remove_vm("branches").wait(60, check=True).result
    assert not folder.exists() and r["kept_files"] == [base]
    assert _read(base) == b"5" * SECTOR  # its checkpoints went with it; the disk holds the VM's last state


def test_a_running_vm_keeps_its_memory_and_disk_and_apply_makes_it_saved(conn, tmp_path):
    base = _disk(tmp_path, b"A")
    new_running(conn, "live", disk=base)
    assert guest(conn, "live", "pattern fill 2 7").startswith("pattern filled 2 MiB")
    taken = _take(conn, "live", "warm")
    assert taken["memory"] is True and 0 < taken["pause_s"] < 2.0, taken
    assert conn.vm("live").state == "Running"  # it runs on, on a new differencing disk
    assert guest(conn, "live", "pattern fill 3 9").startswith("pattern filled 3 MiB")
    assert guest(conn, "live", "pattern check") == "pattern ok 3 MiB"
    assert (Path(conn.vm("live").folder) / "checkpoints" / taken["checkpoint"]["id"] / "saved.vmstate").is_file()

    conn.apply_checkpoint("live", "warm").wait(60, check=True)
    assert conn.vm("live").state == "Saved"
    conn.start_vm("live").wait(60, check=True)
    assert guest(conn, "live", "pattern check") == "pattern ok 2 MiB"  # the guest as it was at the checkpoint
    # the checkpoint keeps its own saved state: apply it again
    conn.apply_checkpoint("live", "warm").wait(60, check=True)
    conn.start_vm("live").wait(60, check=True)
    assert guest(conn, "live", "pattern check") == "pattern ok 2 MiB"

    # deleted while it runs: a link inside its open chain is merged live; the guest goes on
    _take(conn, "live", "later")
    _take(conn, "live", "latest")
    r = conn.remove_checkpoint("live", "later").wait(60, check=True).result
    assert r["merged"] and conn.vm("live").state == "Running"
    assert guest(conn, "live", "pattern check") == "pattern ok 2 MiB"
    conn.stop_vm("live", "turn_off").wait(60, check=True)
    assert _read(conn.vm("live").disk) == b"A" * SECTOR


def test_an_interrupted_take_leaves_no_half_checkpoint_after_a_restart(tmp_path, monkeypatch):
    import core.local.checkpoints as module

    home = str(tmp_path / "home")
    base = _disk(tmp_path, b"A")
    with api.connect(home, embedded=True) as conn:
        conn.new_vm("crashy", memory="32M", disk=base).wait(check=True)
        _take(conn, "crashy", "kept")
        folder = Path(conn.vm("crashy").folder)
        for point in ("checkpoint.meta", "checkpoint.disk", "checkpoint.config", "checkpoint.switched",
                      "checkpoint.folder"):
            def crash(name, at=point):
                if name == at:
                    raise RuntimeError(f"simulated crash at {at}")

            monkeypatch.setattr(module, "crash_point", crash)
            monkeypatch.setattr(module.CheckpointMethods, "_abandon", staticmethod(lambda *a: None))  # no clean-up
            job = conn.checkpoint("crashy", f"at {point}").wait(60)
            assert job.state == "Failed" and "simulated crash" in job.error
        monkeypatch.undo()
    with api.connect(home, embedded=True) as conn:
        assert set(_names(conn, "crashy")) == {"kept", ""}
        entries = sorted(os.listdir(folder / "checkpoints"))
        assert entries == sorted([_names(conn, "crashy")["kept"]["id"], "disks"]), entries
        assert _read(conn.vm("crashy").disk) == b"A" * SECTOR
        _write(conn, "crashy", b"Z")
        _take(conn, "crashy", "after")
        conn.apply_checkpoint("crashy", "kept").wait(check=True)
        assert _read(conn.vm("crashy").disk) == b"A" * SECTOR
        conn.apply_checkpoint("crashy", "after").wait(check=True)
        conn.remove_checkpoint("crashy", "kept").wait(check=True)  # nothing the VM needs was taken for a leftover
        assert _read(conn.vm("crashy").disk) == b"Z" * SECTOR
        conn.remove_checkpoint("crashy", "after").wait(check=True)
        assert conn.vm("crashy").disk == base and _read(base) == b"Z" * SECTOR


def test_a_saved_vm_keeps_its_saved_state_and_the_link_under_a_running_top_merges_once_it_is_off(conn, tmp_path):
    base = _disk(tmp_path, b"A")
    new_running(conn, "sleepy", disk=base)
    assert guest(conn, "sleepy", "pattern fill 2 5").startswith("pattern filled 2 MiB")
    conn.stop_vm("sleepy", "save").wait(60, check=True)
    saved = Path(conn.vm("sleepy").folder) / "saved.vmstate"
    taken = _take(conn, "sleepy", "asleep")
    kept = Path(conn.vm("sleepy").folder) / "checkpoints" / taken["checkpoint"]["id"] / "saved.vmstate"
    assert taken["memory"] is True and conn.vm("sleepy").state == "Saved"
    assert kept.is_file() and kept.read_bytes() == saved.read_bytes()
    conn.start_vm("sleepy").wait(60, check=True)
    assert not saved.exists() and kept.is_file()  # the VM's own copy went on start; the checkpoint keeps its own
    assert guest(conn, "sleepy", "pattern fill 3 6").startswith("pattern filled 3 MiB")
    # deleting the checkpoint "now" hangs under while the VM runs: its disk is right under the running top
    r = conn.remove_checkpoint("sleepy", "asleep").wait(60, check=True).result
    assert r["merged"] == [] and conn.vm("sleepy").state == "Running"
    conn.stop_vm("sleepy", "turn_off").wait(60, check=True)
    _write(conn, "sleepy", b"S")
    top = conn.vm("sleepy").disk
    assert top != base
    _take(conn, "sleepy", "off now")  # the waiting merge happens first: the VM is back on its own disk
    assert not os.path.exists(top) and _read(base) == b"S" * SECTOR
    conn.remove_checkpoint("sleepy", "off now").wait(60, check=True)
    assert conn.vm("sleepy").disk == base


def test_removing_a_vm_with_delete_storage_deletes_every_disk_of_its_tree(conn, tmp_path):
    base = _vm_on_disk(conn, tmp_path, "gone")
    _take(conn, "gone", "one")
    _write(conn, "gone", b"B")
    _take(conn, "gone", "two")
    folder = Path(conn.vm("gone").folder)
    r = conn.remove_vm("gone", delete_storage=True).wait(60, check=True).result
    assert not folder.exists() and not os.path.exists(base) and base in r["deleted_files"]


def test_a_running_vm_waits_for_the_pages_it_wrote_not_for_its_whole_memory(conn):
    """Its memory is copied while it runs; kept still, only what it wrote since is copied again (writing 200 MiB
    while it waited took 0.26-0.4 s here, the pause is about 10 ms)."""
    new_running(conn, "big", memory="256M")
    assert guest(conn, "big", "pattern fill 200 4", timeout=60).startswith("pattern filled 200 MiB")
    pauses = [_take(conn, "big", f"b{i}")["pause_s"] for i in range(3)]
    assert min(pauses) < 0.15, pauses
    conn.stop_vm("big", "turn_off").wait(60, check=True)
    conn.apply_checkpoint("big", "b2").wait(60, check=True)
    conn.start_vm("big").wait(60, check=True)
    assert guest(conn, "big", "pattern check", timeout=60) == "pattern ok 200 MiB"


def test_moves_refuse_a_vm_with_checkpoints_saying_what_to_do(conn, tmp_path):
    base = _disk(tmp_path, b"A")
    conn.new_vm("mover", memory="32M", disk=base).wait(check=True)
    _take(conn, "mover", "one")
    _write(conn, "mover", b"M")
    for call in (lambda: conn.call("vm.move.begin", vm="mover"),
                 lambda: conn.move_storage("mover", str(tmp_path / "elsewhere"))):
        with pytest.raises(StateError, match="1 checkpoint, which a move does not carry; delete them first"):
            call()
    conn.remove_checkpoint("mover", "one").wait(check=True)
    conn.move_storage("mover", str(tmp_path / "elsewhere")).wait(60, check=True)
    moved = conn.vm("mover").disk
    assert moved == str(tmp_path / "elsewhere" / "base.vhd") and _read(moved) == b"M" * SECTOR


def test_a_failed_state_write_leaves_the_running_vm_on_its_new_disk_written_down(conn, tmp_path, monkeypatch):
    """The guest writes to the new child from the switch on: the configuration names it even when the take fails
    after that (no checkpoint, nothing the guest wrote lost)."""
    import core.engine.savestate as savestate

    base = _disk(tmp_path, b"A")
    new_running(conn, "fails", disk=base)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(savestate, "write_saved_state", full)
    job = conn.checkpoint("fails", "never").wait(60)
    assert job.state == "Failed" and "No space left" in job.error
    monkeypatch.undo()
    assert conn.checkpoints("fails")["checkpoints"] == [] and conn.vm("fails").state == "Running"
    top = conn.vm("fails").disk
    assert top != base and Path(top).is_file()
    conn.stop_vm("fails", "turn_off").wait(60, check=True)
    _write(conn, "fails", b"F")
    _take(conn, "fails", "then")
    conn.remove_checkpoint("fails", "then").wait(60, check=True)
    assert conn.vm("fails").disk == base and _read(base) == b"F" * SECTOR


def test_no_checkpoint_while_the_vm_storage_is_being_moved(conn):
    conn.new_vm("busy", memory="32M").wait(check=True)
    service = conn._transport.service
    vm_id = conn.vm("busy").id
    service._storage_moves()[vm_id] = 0  # a storage move being set up holds the VM
    try:
        with pytest.raises(StateError, match="is being moved"):
            conn.checkpoint("busy", "no")
    finally:
        service._storage_moves().pop(vm_id)
    _take(conn, "busy", "yes")


def test_a_vm_with_checkpoints_is_not_moved_until_moves_carry_them(tmp_path):
    """Its disk is the top of a differencing chain whose parents a move would leave behind: refused, nothing sent."""
    from .helpers.embedded import embedded_pair

    with embedded_pair(tmp_path) as (a, _b):
        a.new_vm("cpmove", memory="32M").wait(30, check=True)
        a.checkpoint("cpmove", name="one").wait(30, check=True)
        rows = a.move_precheck("cpmove", _b)["rows"]
        assert [r["severity"] for r in rows if r["topic"] == "checkpoints"] == ["error"], rows
        with pytest.raises(StateError, match="which a move does not carry"):
            a.move_vm("cpmove", _b).wait(30, check=True)
        with pytest.raises(StateError, match="which a move does not carry"):
            a.call("vm.move.storage", vm="cpmove", path=str(tmp_path / "elsewhere"))
