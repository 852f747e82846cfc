"""What an export folder holds, read before importing it (vm.import.read: the VM, its disks and checkpoints, which
import modes this host takes and why not; a damaged or foreign folder refused in one line), and an import cut
short by a kill of the host service: at the next start the staging folder and whatever it had renamed into the
store are gone, the job is Failed, and the same import then runs once and gives the VM whole."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import api
from core.engine.storage import create_disk
from core.model.errors import UsageError

from .helpers.disks import fill_vm_sector, read_sector

MiB = 1 << 20
SECTOR = 512
WAIT = 60
ROOT = Path(__file__).resolve().parents[1]

# the child: an embedded host on HOME imports SOURCE and dies (os._exit, as a kill) at POINT
CHILD = r"""
import os, sys
home, source, point = sys.argv[1:4]
import core.local.export_import as m
from core import api

def die():
    os._exit(9)

if point == "copy":  # while copying the second file
    real_copy, calls = m._copy, []
    def copy(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            die()
        return real_copy(*a, **k)
    m._copy = copy
elif point in ("disks", "vm"):  # just before the staging folder's disks/ (or vm/) is renamed into place
    real_rename = os.rename
    def rename(src, dst, *a, **k):
        if os.path.basename(str(src)) == point:
            die()
        return real_rename(src, dst, *a, **k)
    os.rename = rename
elif point == "relink":  # both renamed, the checkpoint disks not yet pointed at their parents
    m.ExportImportMethods._relink = staticmethod(lambda plan, final: die())
elif point == "commit":  # registered, the journal not yet deleted
    real_unlink = os.unlink
    def unlink(path, *a, **k):
        if os.path.basename(str(path)) == "import.json":
            die()
        return real_unlink(path, *a, **k)
    os.unlink = unlink
elif point == "slow":  # every step a little slower, so a kill at a random moment lands inside the import
    import time
    real_copy, real_rename = m._copy, os.rename
    def slow_copy(*a, **k):
        time.sleep(0.08)
        return real_copy(*a, **k)
    def slow_rename(src, dst, *a, **k):
        time.sleep(0.03)
        return real_rename(src, dst, *a, **k)
    m._copy, os.rename = slow_copy, slow_rename
conn = api.connect(home, embedded=True)
print("importing", flush=True)
job = conn.import_vm(source, mode="new_id", name="copy")
job.wait(120)
print("done", job.state, flush=True)
"""


def _vm_with_checkpoints(conn, tmp_path: Path) -> None:
    disk = str(tmp_path / "web.vhd")
    with create_disk(disk, 64 * MiB) as d:
        d.write(0, b"A" * SECTOR)
    conn.new_vm("web", memory="32M", disk=disk).wait(WAIT, check=True)
    conn.checkpoint("web", "one").wait(WAIT, check=True)
    fill_vm_sector(conn, "web", b"B")
    conn.checkpoint("web", "two").wait(WAIT, check=True)
    fill_vm_sector(conn, "web", b"C")


@pytest.fixture
def exported(tmp_path) -> Path:
    """An Off VM on its own disk with two checkpoints, exported to tmp_path/out/web (host home tmp_path/a)."""
    with api.connect(str(tmp_path / "a"), embedded=True) as a:
        _vm_with_checkpoints(a, tmp_path)
        (tmp_path / "out").mkdir()
        return Path(a.export_vm("web", str(tmp_path / "out")).wait(WAIT, check=True).result["path"])


def _store_listing(home: Path) -> tuple:
    data = home / "data" if (home / "data").exists() else home
    vms = sorted(os.listdir(data / "vms")) if (data / "vms").exists() else []
    imported = sorted(os.listdir(data / "imported")) if (data / "imported").exists() else []
    return vms, imported


def test_read_export_says_what_the_folder_holds_and_which_modes_this_host_takes(tmp_path, exported):
    with api.connect(str(tmp_path / "a"), embedded=True) as a:
        info = a.read_export(str(exported))
        assert info["name"] == "web" and info["id"] == a.vm("web").id and info["memory"] == 32 * MiB
        assert info["state"] == "Off" and not info["saved_state"] and info["vcpus"] == 1
        assert sorted(c["name"] for c in info["checkpoints"]) == ["one", "two"]
        assert "disks/web.vhd" in {d["path"] for d in info["disks"]} and info["disk_bytes"] > 0
        assert info["modes"]["register"]["ok"] is False and "in place" in info["modes"]["register"]["reason"]
        copy = info["modes"]["copy"]
        assert copy["ok"] is False and copy["code"] == "import.id_exists" and copy["existing"] == "web"
        assert info["modes"]["new_id"]["ok"] and info["name_taken"] == "web"
    with api.connect(str(tmp_path / "b"), embedded=True) as b:
        info = b.read_export(str(exported))
        assert info["modes"]["copy"]["ok"] and info["name_taken"] == ""


@pytest.mark.parametrize("damage, says", [
    ("size", "bytes, export.json says"),
    ("manifest", "not valid JSON"),
    ("missing", "is missing"),
    ("kind", "not a Bulkhead VM export"),
])
def test_read_export_refuses_a_damaged_export_in_one_line(tmp_path, exported, damage, says):
    if damage == "size":
        with open(exported / "disks" / "web.vhd", "ab") as f:
            f.write(b"x")
    elif damage == "manifest":
        (exported / "export.json").write_text("{not json")
    elif damage == "missing":
        os.unlink(exported / "vm.json")
    else:
        manifest = json.loads((exported / "export.json").read_text())
        (exported / "export.json").write_text(json.dumps(dict(manifest, kind="something-else")))
    with api.connect(str(tmp_path / "b"), embedded=True) as b:
        with pytest.raises(UsageError) as e:
            b.read_export(str(exported))
        assert says in str(e.value) and "\n" not in str(e.value)
        with pytest.raises(UsageError, match="no such folder"):
            b.read_export(str(tmp_path / "nowhere"))
        with pytest.raises(UsageError):
            b.read_export("relative/path")


def _run_child(home: Path, source: Path, point: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", CHILD, str(home), str(source), point], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _check_one_true_state(home: Path, before: tuple, exported: Path) -> None:
    """After a kill: nothing of the import is left, its job is not Completed, and the import runs once now."""
    with api.connect(str(home), embedded=True) as b:
        assert [v.name for v in b.vms()] == []
        assert _store_listing(home) == before
        jobs = [j for j in b.jobs() if j.name == "Import VM"]
        assert jobs and all(j.state == "Failed" for j in jobs)
        result = b.import_vm(str(exported), mode="new_id", name="copy").wait(WAIT, check=True).result
        vm = b.vm("copy")
        assert vm.id == result["id"] and read_sector(vm.disk) == b"C" * SECTOR
        assert sorted(c["name"] for c in b.checkpoints("copy")["checkpoints"]) == ["one", "two"]
        b.apply_checkpoint("copy", "one").wait(WAIT, check=True)
        assert read_sector(b.vm("copy").disk) == b"A" * SECTOR
        assert [v.name for v in b.vms()] == ["copy"]


@pytest.mark.parametrize("point", ["copy", "disks", "vm", "relink", "commit"])
def test_an_import_killed_at_each_step_is_undone_when_the_host_starts(tmp_path, exported, point):
    home = tmp_path / "b"
    with api.connect(str(home), embedded=True):
        pass
    before = _store_listing(home)
    r = _run_child(home, exported, point)
    assert r.returncode == 9, r.stderr[-2000:]
    assert any(n.endswith(".tmp") for n in _store_listing(home)[1])  # the staging folder a kill leaves
    _check_one_true_state(home, before, exported)


def test_an_import_killed_at_random_moments_leaves_it_whole_or_not_at_all(tmp_path, exported):
    """SIGKILL of the process running the import (its copies and renames slowed a little, so most kills land inside
    it) at a random moment, ten times: after each restart the VM is there whole (its disk reads as exported, its
    checkpoints listed) or not at all, and nothing half-made stays."""
    rng = random.Random(15)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    inside = 0  # kills that left a staging folder: the import was under way
    for i in range(10):
        home = tmp_path / f"k{i}"
        with api.connect(str(home), embedded=True):
            pass
        before = _store_listing(home)
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(exported), "slow"], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert child.stdout.readline().strip() == "importing"
        time.sleep(rng.uniform(0.0, 0.35))
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        inside += any(n.endswith(".tmp") for n in _store_listing(home)[1])
        with api.connect(str(home), embedded=True) as b:
            names = [v.name for v in b.vms()]
            vms, imported = _store_listing(home)
            assert not any(n.endswith(".tmp") for n in vms + imported)
            if names:
                assert names == ["copy"] and read_sector(b.vm("copy").disk) == b"C" * SECTOR
                assert len(b.checkpoints("copy")["checkpoints"]) == 2
            else:
                assert (vms, imported) == before
    assert inside >= 3, f"only {inside} of 10 kills landed inside the import"
