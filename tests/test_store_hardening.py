"""The VM store after kills and hostile files: leftovers swept at start, new VM folders that appear whole, removal
that says what it kept, private modes whatever the umask, and names checked by the one set of rules."""

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from core.local.store import (
    CLIENT_TEMP_AGE,
    ConfigError,
    RemovalIncomplete,
    VmConfig,
    VmStore,
    validate_name,
)

MiB = 1 << 20
REPO = Path(__file__).resolve().parents[1]
as_root = pytest.mark.skipif(os.getuid() != 0, reason="giving a folder to another uid needs root")


def make_config(name="web", **kw) -> VmConfig:
    return VmConfig(id=uuid.uuid4().hex, name=name, memory=kw.pop("memory", 64 * MiB), created=1700000000.5, **kw)


def _temp_files(root: Path) -> list[str]:
    from core.model.files import is_temp_name

    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if is_temp_name(p.name))


# --- leftovers ---------------------------------------------------------------------------------------------------
def test_every_leftover_of_a_killed_write_is_swept_when_the_store_opens(tmp_path):
    root = tmp_path / "store"
    store = VmStore(root)
    kept = store.create(make_config("kept"))
    folder = kept.folder
    for name in (".vm.json.k3j2h1ab.tmp", ".saved.vmstate.tmp-12345", ".saved.vmstate.0a1b2c3d.tmp"):
        (folder / name).write_bytes(b"half")
    (root / ".switches.json.deadbeef.tmp").write_text("{")
    (root / ".alert-rules.json.tmp-999").write_text("{")
    (store.vms / ".stray.1234abcd.tmp").write_text("x")
    unfinished = store.vms / f".{uuid.uuid4().hex}.0badf00d.tmp"  # a `vm new` killed before its rename
    unfinished.mkdir()
    (unfinished / "vm.json").write_text(json.dumps(make_config("half").to_dict()))
    (unfinished / ".vm.json.aaaabbbb.tmp").write_text("{")
    (folder / "saved.vmstate").write_bytes(b"state")
    assert len(_temp_files(root)) == 8

    reopened = VmStore(root)
    assert _temp_files(root) == []
    assert sorted(reopened.swept) == sorted([
        ".switches.json.deadbeef.tmp", ".alert-rules.json.tmp-999", "vms/.stray.1234abcd.tmp",
        f"vms/{unfinished.name}/",
        *(f"vms/{folder.name}/{n}" for n in (".vm.json.k3j2h1ab.tmp", ".saved.vmstate.tmp-12345",
                                             ".saved.vmstate.0a1b2c3d.tmp"))])
    assert (folder / "saved.vmstate").read_bytes() == b"state" and (folder / "vm.json").exists()
    [vm] = reopened.load_all()
    assert vm.config == kept.config


def test_a_console_writing_its_file_right_now_keeps_its_temporary_file(tmp_path):
    root = tmp_path / "store"
    VmStore(root)
    fresh = root / ".libvirt-connections.json.1a2b3c4d.tmp"
    old = root / ".libvirt-connections.json.5e6f7a8b.tmp"
    fresh.write_text("{")
    old.write_text("{")
    os.utime(old, (time.time() - CLIENT_TEMP_AGE - 5,) * 2)
    VmStore(root)
    assert fresh.exists() and not old.exists()


def _kill_while_it_runs(script: str, root: Path, env: dict, before: float) -> None:
    """Run ``script`` (argv: the store's root) until it says ready, then SIGKILL it within ``before`` seconds."""
    child = subprocess.Popen([sys.executable, "-c", script, str(root)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"ready\n", child.stderr.read().decode()
        time.sleep(random.uniform(0.0, before))
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()


CREATOR = """
import sys, uuid
from pathlib import Path
from core.local.store import VmConfig, VmStore
store = VmStore(Path(sys.argv[1]))
print("ready", flush=True)
i = 0
while True:
    i += 1
    store.create(VmConfig(id=uuid.uuid4().hex, name=f"vm{i}", memory=64 << 20, notes="n" * 4000))
"""


def test_a_killed_vm_creation_never_leaves_a_vm_without_its_configuration(tmp_path):
    root = tmp_path / "store"
    VmStore(root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kills = 25
    for _ in range(kills):
        _kill_while_it_runs(CREATOR, root, env, 0.03)
        store = VmStore(root)
        broken = [(v.id, v.error) for v in store.load_all() if v.error]
        assert broken == [], broken
        assert _temp_files(root) == []
    assert len(store.load_all()) > 0


REMOVER = """
import sys, uuid
from pathlib import Path
from core.local.store import VmConfig, VmStore
store = VmStore(Path(sys.argv[1]))
print("ready", flush=True)
while True:
    config = VmConfig(id=uuid.uuid4().hex, name="doomed", memory=64 << 20)
    store.create(config)
    store.saved_state_path(config.id).write_bytes(b"s" * (4 << 20))
    store.remove(config.id)
"""


def test_a_killed_removal_never_leaves_a_vm_without_its_configuration(tmp_path):
    root = tmp_path / "store"
    VmStore(root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(25):
        _kill_while_it_runs(REMOVER, root, env, 0.05)
        store = VmStore(root)
        vms = store.load_all()
        assert [v.error for v in vms if v.error] == []
        assert _temp_files(root) == []
        for vm in vms:  # one the kill caught before its removal began
            store.remove(vm.id)


# --- removal -----------------------------------------------------------------------------------------------------
def test_removal_names_what_it_kept_and_strict_removal_is_an_error(tmp_path):
    store = VmStore(tmp_path / "store")
    config = make_config()
    folder = store.create(config).folder
    (folder / "disk.vhd").write_bytes(b"precious")
    (folder / ".saved.vmstate.tmp-4242").write_bytes(b"half a state")  # swept, not kept
    assert store.unknown_files(config.id) == ["disk.vhd"]
    with pytest.raises(RemovalIncomplete) as e:
        store.remove(config.id, strict=True)
    assert e.value.kept == ["disk.vhd"] and e.value.folder == folder
    assert "disk.vhd" in str(e.value) and str(folder) in str(e.value) and "\n" not in str(e.value)
    assert isinstance(e.value, ConfigError)
    assert (folder / "disk.vhd").read_bytes() == b"precious"
    assert store.entry(config.id).error == "vm.json is missing"  # what a host must keep listing

    other = make_config("other")
    store.create(other)
    store.saved_state_path(other.id).write_bytes(b"state")
    (store.folder(other.id) / ".saved.vmstate.tmp-77").write_bytes(b"x")
    assert store.remove(other.id, strict=True) == []
    assert not store.folder(other.id).exists() and store.entry(other.id) is None


# --- modes and owners --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_folders_are_0700_and_files_0600_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        root = tmp_path / "a" / "store"
        store = VmStore(root)
        stored = store.create(make_config())
        store.save(stored.config)
    finally:
        os.umask(old)
    for folder in (root, store.vms, stored.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((stored.folder / "vm.json").stat().st_mode) == 0o600


def test_a_pre_created_open_store_folder_is_made_private(tmp_path):
    root = tmp_path / "store"
    (root / "vms").mkdir(parents=True)
    os.chmod(root, 0o777)
    os.chmod(root / "vms", 0o755)
    VmStore(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "vms").stat().st_mode) == 0o700


@as_root
def test_a_store_folder_of_another_user_is_refused(tmp_path):
    root = tmp_path / "store"
    root.mkdir(mode=0o755)
    os.chown(root, 1001, 1001)
    with pytest.raises(PermissionError, match=rf"{root} belongs to uid 1001, not to this user"):
        VmStore(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o755  # not touched


# --- names -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["a\u202eb", "zero\u200bwidth", "\ufeffbom", "a\udfffb", "x\u0000y", "a\u2028b"])
def test_names_refuse_format_bidi_zero_width_and_lone_surrogates(name):
    with pytest.raises(ConfigError) as e:
        validate_name(name)
    str(e.value).encode("utf-8")  # the reason itself can be printed


def test_names_are_stored_in_nfc():
    assert validate_name("Cafe\u0301") == "Caf\u00e9"


def _write_raw(store: VmStore, data: dict) -> Path:
    folder = store.vms / data["id"]
    folder.mkdir()
    (folder / "vm.json").write_text(json.dumps(data))  # json escapes a lone surrogate as \udfff
    return folder


@pytest.mark.parametrize("field, value", [("name", "a\udfffb"), ("notes", "n\udfff"), ("cmdline", "q\ud800"),
                                          ("image", "/x/\udcff.elf"), ("name", "right\u202eleft"),
                                          ("kvp", {"k\udfff": "v"})])
def test_a_lone_surrogate_or_bidi_control_in_a_file_does_not_break_listing(tmp_path, field, value):
    store = VmStore(tmp_path / "store")
    good = store.create(make_config("good"))
    data = make_config("damaged").to_dict() | {field: value}
    _write_raw(store, data)
    vms = store.load_all()
    assert [v.id for v in vms] == [good.id, data["id"]]
    assert vms[1].config is None and vms[1].error.startswith("vm.json: ")
    vms[1].error.encode("utf-8")
    json.dumps([v.error for v in vms], ensure_ascii=False).encode("utf-8")


def test_an_older_file_with_a_decomposed_name_still_loads(tmp_path):
    store = VmStore(tmp_path / "store")
    data = make_config("Cafe\u0301").to_dict()
    _write_raw(store, data)
    [vm] = store.load_all()
    assert vm.error is None and vm.config.name == "Cafe\u0301"
