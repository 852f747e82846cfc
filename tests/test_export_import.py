"""Export and import of Bulkhead VMs (Hyper-V's Export-VM / Import-VM, docs/checkpoints.md): a VM with its disk
chain, checkpoints and saved state into a folder on one host, imported on another by copy or with a new id; an
export checked against its export.json (a changed byte, a missing file, a path out of the folder) is refused and
leaves nothing; the command line and View Script."""

from __future__ import annotations

import json
import os
from contextlib import nullcontext
from pathlib import Path

import pytest

from core.engine.storage import create_disk
from core.model.errors import StateError, UsageError

from .helpers.disks import fill_vm_sector as _write
from .helpers.disks import read_sector as _read
from .helpers.embedded import embedded_pair

MiB = 1 << 20
SECTOR = 512
WAIT = 60


@pytest.fixture
def pair(tmp_path):
    with embedded_pair(tmp_path) as hosts:
        yield hosts


def _vm_with_checkpoints(conn, tmp_path: Path, name: str = "web") -> None:
    """An Off VM on a disk: A in sector 0, checkpoint one, B, checkpoint two, then C (the current state)."""
    disk = str(tmp_path / f"{name}.vhd")
    with create_disk(disk, 64 * MiB) as d:
        d.write(0, b"A" * SECTOR)
    conn.new_vm(name, memory="32M", disk=disk).wait(WAIT, check=True)
    conn.checkpoint(name, "one").wait(WAIT, check=True)
    _write(conn, name, b"B")
    conn.checkpoint(name, "two").wait(WAIT, check=True)
    _write(conn, name, b"C")


def _shape(tree: dict) -> tuple:
    names = {c["id"]: c["name"] for c in tree["checkpoints"]}
    return (sorted((c["name"], names.get(c["parent"]), c["memory"]) for c in tree["checkpoints"]),
            names.get(tree["now"]))


def _export(conn, vm: str, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    job = conn.export_vm(vm, str(folder)).wait(WAIT, check=True)
    return Path(job.result["path"])


def _store(conn) -> Path:
    return Path(conn._transport.service.store.root)


def _listing(conn) -> tuple:
    root = _store(conn)
    return sorted(os.listdir(root / "vms")), sorted(os.listdir(root / "imported")) if (root / "imported").exists() \
        else []


def test_an_off_vm_with_checkpoints_imports_by_copy_on_another_host(pair, tmp_path):
    a, b = pair
    _vm_with_checkpoints(a, tmp_path)
    out = _export(a, "web", tmp_path / "out")
    assert out == tmp_path / "out" / "web"
    manifest = json.loads((out / "export.json").read_text())
    paths = {f["path"] for f in manifest["files"]}
    assert {"vm.json", "checkpoints.json", "disks/web.vhd"} <= paths
    assert sum(p.startswith("checkpoints/disks/") for p in paths) == 2  # two links over the first disk
    assert all(len(f["sha256"]) == 64 and f["size"] == (out / f["path"]).stat().st_size for f in manifest["files"])
    assert json.loads((out / "vm.json").read_text())["disk"].startswith("checkpoints/disks/")  # relative
    assert not any(n.endswith(".tmp") for n in os.listdir(tmp_path / "out"))

    job = b.import_vm(str(out)).wait(WAIT, check=True)
    vm = b.vm("web")
    assert vm.id == a.vm("web").id == job.result["id"] and vm.state == "Off"
    assert str(_store(b)) in vm.disk and _read(vm.disk) == b"C" * SECTOR
    assert _shape(b.checkpoints("web")) == _shape(a.checkpoints("web"))
    b.apply_checkpoint("web", "one").wait(WAIT, check=True)
    assert _read(b.vm("web").disk) == b"A" * SECTOR
    b.apply_checkpoint("web", "two").wait(WAIT, check=True)
    assert _read(b.vm("web").disk) == b"B" * SECTOR
    assert _read(a.vm("web").disk) == b"C" * SECTOR  # the source is untouched
    b.start_vm("web").wait(WAIT, check=True)

    with pytest.raises(StateError, match="already exists on this host: import it with --new-id"):
        b.import_vm(str(out))


def test_one_export_imports_twice_with_new_ids(pair, tmp_path):
    a, b = pair
    _vm_with_checkpoints(a, tmp_path)
    out = _export(a, "web", tmp_path / "out")
    first = b.import_vm(str(out), mode="new_id").wait(WAIT, check=True).result
    assert first["name"] == "web" and first["id"] != a.vm("web").id
    with pytest.raises(UsageError, match="a VM named 'web' already exists on this host: give it a new name"):
        b.import_vm(str(out), mode="new_id")
    second = b.import_vm(str(out), mode="new_id", name="web2").wait(WAIT, check=True).result
    assert second["id"] not in (first["id"], a.vm("web").id)
    assert sorted(v.name for v in b.vms()) == ["web", "web2"]
    for name in ("web", "web2"):
        assert _read(b.vm(name).disk) == b"C" * SECTOR
        assert _shape(b.checkpoints(name)) == _shape(a.checkpoints("web"))
    b.apply_checkpoint("web2", "one").wait(WAIT, check=True)  # the two copies share no file
    assert _read(b.vm("web2").disk) == b"A" * SECTOR and _read(b.vm("web").disk) == b"C" * SECTOR
    b.remove_vm("web2", delete_storage=True).wait(WAIT, check=True)
    assert _read(b.vm("web").disk) == b"C" * SECTOR


def test_a_saved_vm_imports_saved_and_starts(pair, tmp_path):
    a, b = pair
    a.new_vm("run", memory="32M", start=True).wait(WAIT, check=True)
    a.stop_vm("run", mode="save").wait(WAIT, check=True)
    out = _export(a, "run", tmp_path / "out")
    assert (out / "saved.vmstate").is_file()
    b.import_vm(str(out)).wait(WAIT, check=True)
    assert b.vm("run").state == "Saved"
    b.start_vm("run").wait(WAIT, check=True)
    assert b.vm("run").state == "Running"


def test_a_running_vm_is_exported_through_a_checkpoint_removed_again(pair, tmp_path):
    a, b = pair
    _vm_with_checkpoints(a, tmp_path, "run")
    a.start_vm("run").wait(WAIT, check=True)
    before = _shape(a.checkpoints("run"))
    job = a.export_vm("run", str(tmp_path)).wait(WAIT, check=True)
    assert job.result["through_checkpoint"] is True and job.result["state"] == "Saved"
    assert a.vm("run").state == "Running" and _shape(a.checkpoints("run")) == before  # the checkpoint is gone again
    out = Path(job.result["path"])
    assert json.loads((out / "export.json").read_text())["vm"]["state"] == "Saved"
    b.import_vm(str(out)).wait(WAIT, check=True)
    assert b.vm("run").state == "Saved" and _shape(b.checkpoints("run")) == before
    assert _read(b.vm("run").disk) == b"C" * SECTOR  # its disk as it was when exported
    b.start_vm("run").wait(WAIT, check=True)
    assert b.vm("run").state == "Running"
    b.apply_checkpoint("run", "one").wait(WAIT, check=True)
    assert _read(b.vm("run").disk) == b"A" * SECTOR
    a.stop_vm("run", mode="turn_off").wait(WAIT, check=True)
    assert _read(a.vm("run").disk) == b"C" * SECTOR


def test_register_in_place_is_refused_with_the_reason(pair, tmp_path):
    a, b = pair
    a.new_vm("plain", memory="32M").wait(WAIT, check=True)
    out = _export(a, "plain", tmp_path / "out")
    with pytest.raises(UsageError, match="cannot register one in place: import it with --copy"):
        b.import_vm(str(out), mode="register")
    with pytest.raises(UsageError, match="absolute"):
        b.import_vm("out/plain")


@pytest.mark.parametrize("damage", ["flip", "missing", "escape", "link"])
def test_a_tampered_export_is_refused_naming_the_file_and_leaves_nothing(pair, tmp_path, damage):
    a, b = pair
    _vm_with_checkpoints(a, tmp_path)
    out = _export(a, "web", tmp_path / "out")
    before = _listing(b)
    manifest = json.loads((out / "export.json").read_text())
    victim = next(f["path"] for f in manifest["files"] if f["path"].startswith("checkpoints/disks/"))
    if damage == "flip":
        with open(out / victim, "r+b") as f:
            f.seek(0)
            byte = f.read(1)
            f.seek(0)
            f.write(bytes([byte[0] ^ 1]))
        says = "does not match export.json"
    elif damage == "missing":
        os.unlink(out / victim)
        says = "is missing"
    elif damage == "escape":
        (tmp_path / "secret").write_bytes(b"x")
        manifest["files"].append({"path": "../secret", "size": 1, "sha256": "0" * 64})
        (out / "export.json").write_text(json.dumps(manifest))
        victim = "../secret"
        says = "is not a file an export holds"
    else:
        os.unlink(out / victim)
        os.symlink(tmp_path / "web.vhd", out / victim)
        says = "not a regular file"
    try:
        job = b.import_vm(str(out), mode="new_id").wait(WAIT)
    except UsageError as e:
        message = str(e)
    else:
        assert job.state == "Failed"
        message = job.error
    assert says in message and victim.split("/")[-1] in message
    assert _listing(b) == before and b.vms() == []


def test_a_damaged_manifest_entry_and_configuration_are_refused(pair, tmp_path):
    a, b = pair
    a.new_vm("plain", memory="32M").wait(WAIT, check=True)
    out = _export(a, "plain", tmp_path / "out")
    manifest = json.loads((out / "export.json").read_text())
    for bad in ({"path": "vm.json", "size": -1, "sha256": "0" * 64}, {"path": "disks/x y", "size": 0, "sha256": ""}):
        (out / "export.json").write_text(json.dumps(dict(manifest, files=[bad])))
        with pytest.raises(UsageError):
            b.import_vm(str(out))
    (out / "export.json").write_text(json.dumps(dict(manifest, format=99)))
    with pytest.raises(UsageError, match="format 99 is not supported"):
        b.import_vm(str(out))
    assert b.vms() == []


def test_the_command_line_round_trip_and_view_script(pair, tmp_path, monkeypatch, capsys):
    import core.cli.common as cli  # run_job connects through it
    import core.cli.vm  # noqa: F401 - loaded before connect is replaced: it binds connect when it loads
    from core.api.script import render
    from core.cli import main

    a, b = pair
    script = render("vm.export", {"vm": "web 1", "path": "/srv/export"})
    assert script.command_line == "bulkhead vm export 'web 1' /srv/export"
    assert "conn.export_vm('web 1', '/srv/export')" in script.python and script.title == "Export a virtual machine"
    script = render("vm.import", {"path": "/srv/export/web", "mode": "new_id", "name": "web2"})
    assert script.command_line == "bulkhead vm import /srv/export/web --new-id --name web2"
    assert "conn.import_vm('/srv/export/web', mode='new_id', name='web2')" in script.python

    a.new_vm("web", memory="32M").wait(WAIT, check=True)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "connect", lambda args: nullcontext(a))
    assert main(["vm", "export", "web", "out"]) == 0  # resolved against the caller's folder
    assert "written to " + str(tmp_path / "out" / "web") in capsys.readouterr().out
    assert main(["vm", "export", "web", "out"]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr(cli, "connect", lambda args: nullcontext(b))
    assert main(["vm", "import", "out/web"]) == 0
    assert "Import VM: VM 'web'" in capsys.readouterr().out and b.vm("web").id == a.vm("web").id
    assert main(["vm", "import", "out/web", "--new-id", "--name", "web2"]) == 0
    assert b.vm("web2").state == "Off"
    assert main(["vm", "import", "out/web", "--register"]) == 2
    assert "--copy" in capsys.readouterr().err


def test_a_failed_export_leaves_nothing_and_no_checkpoint(pair, tmp_path, monkeypatch):
    import core.local.export_import as module

    a, _ = pair
    _vm_with_checkpoints(a, tmp_path, "run")
    a.start_vm("run").wait(WAIT, check=True)
    before = _shape(a.checkpoints("run"))
    real, calls = module._copy, []

    def failing(ctx, src, out, rel, done, total):
        calls.append(rel)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(ctx, src, out, rel, done, total)

    monkeypatch.setattr(module, "_copy", failing)
    (tmp_path / "out").mkdir()
    job = a.export_vm("run", str(tmp_path / "out")).wait(WAIT)
    assert job.state == "Failed" and "No space left" in job.error
    assert os.listdir(tmp_path / "out") == []
    assert a.vm("run").state == "Running" and _shape(a.checkpoints("run")) == before


def test_a_vm_on_its_own_disk_without_checkpoints_imports_with_its_disk_in_the_store(pair, tmp_path):
    a, b = pair
    disk = str(tmp_path / "plain.vhd")
    with create_disk(disk, 64 * MiB) as d:
        d.write(5, b"Z" * SECTOR)
    a.new_switch("lab").wait(WAIT, check=True)
    a.new_vm("plain", memory="32M", disk=disk, network="lab").wait(WAIT, check=True)
    out = _export(a, "plain", tmp_path / "out")
    assert json.loads((out / "vm.json").read_text())["disk"] == "disks/plain.vhd"
    result = b.import_vm(str(out), mode="new_id", name="copy").wait(WAIT, check=True).result
    vm = b.vm("copy")
    assert result["network_dropped"] == "lab" and vm.network == ""  # b has no switch lab
    assert Path(vm.disk) == _store(b) / "imported" / result["id"] / "plain.vhd" and _read(vm.disk, 5) == b"Z" * SECTOR
    assert b.checkpoints("copy")["checkpoints"] == []
    b.checkpoint("copy", "first").wait(WAIT, check=True)
    b.start_vm("copy").wait(WAIT, check=True)
