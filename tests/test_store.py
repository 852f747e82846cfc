"""The durable VM store: round trips, damaged configurations reported untouched, removal, and SIGKILL mid-write."""

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

from core.local.store import ConfigError, VmConfig, VmStore, validate_name

MiB = 1 << 20
REPO = Path(__file__).resolve().parents[1]


def make_config(name="web", **kw) -> VmConfig:
    return VmConfig(id=uuid.uuid4().hex, name=name, memory=kw.pop("memory", 64 * MiB), created=1700000000.5, **kw)


@pytest.fixture
def store(tmp_path) -> VmStore:
    return VmStore(tmp_path / "bulkhead")


def test_create_and_load_round_trip(store):
    config = make_config(
        vcpus=2,
        workload="cpu:50",
        cmdline="quiet",
        notes="line one\nline two",
        automatic_start_action="always_start",
        automatic_stop_action="shut_down",
        last_running=True,
    )
    stored = store.create(config)
    assert stored.folder == store.vms / config.id and stored.error is None
    assert stat.S_IMODE(store.vms.stat().st_mode) == 0o700

    [loaded] = VmStore(store.root).load_all()
    assert loaded.id == config.id and loaded.error is None
    assert loaded.config == config

    text = (stored.folder / "vm.json").read_text()
    assert text.endswith("}\n") and '\n  "name": "web",\n' in text  # indented, one key a line
    assert json.loads(text)["format"] == 1
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_rename_via_save_and_sorting(store):
    a, b, c = make_config("beta"), make_config("alpha"), make_config("Gamma")
    for config in (a, b, c):
        store.create(config)
    a.name = "delta"
    store.save(a)
    names = [v.config.name for v in store.load_all()]
    assert names == ["alpha", "delta", "Gamma"]


def test_create_refuses_existing_folder_and_bad_config(store):
    config = make_config()
    store.create(config)
    with pytest.raises(ConfigError, match="already exists"):
        store.create(config)
    bad = make_config(memory=3 * MiB)
    with pytest.raises(ConfigError, match="multiple of 2 MiB"):
        store.create(bad)
    assert not store.folder(bad.id).exists()
    with pytest.raises(ConfigError, match="no VM with id"):
        store.save(make_config())


def _valid_dict(vm_id: str) -> dict:
    return VmConfig(id=vm_id, name="damaged", memory=64 * MiB, created=1700000000.5).to_dict()


def _with(**changes):
    return lambda vm_id: json.dumps({**_valid_dict(vm_id), **changes}, indent=2).encode()


def _without(key):
    return lambda vm_id: json.dumps({k: v for k, v in _valid_dict(vm_id).items() if k != key}).encode()


def _raw(content: bytes):
    return lambda vm_id: content


def _nan(vm_id: str) -> bytes:
    return json.dumps(_valid_dict(vm_id)).replace("1700000000.5", "NaN").encode()


# name: (the file's content for a folder called vm_id, what the error says)
DAMAGED = {
    "not json": (_raw(b'{\n  "name": "x",\n  "memory": 64 MiB\n}\n'), "vm.json: not valid JSON (line 3)"),
    "not an object": (_raw(b"[1, 2, 3]\n"), "vm.json: the configuration must be a JSON object (got list)"),
    "empty file": (_raw(b""), "vm.json: not valid JSON (line 1)"),
    "not utf-8": (_raw(b'{"name": "\xff"}'), "vm.json: not valid UTF-8"),
    "NaN": (_nan, "NaN is not a number JSON allows"),
    "duplicate key": (_raw(b'{"name": "a", "name": "b"}'), "the key 'name' appears twice"),
    "format missing": (_without("format"), "format number is missing"),
    "wrong format": (_with(format=2), "format 2 is not supported"),
    "format as text": (_with(format="1"), "format '1' is not supported"),
    "unknown key": (_with(colour="blue"), "vm.json: unknown key 'colour'"),
    "name missing": (_without("name"), "'name' is missing"),
    "memory as text": (_with(memory="64M"), "memory must be a whole number of bytes"),
    "memory as bool": (_with(memory=True), "memory must be a whole number of bytes"),
    "memory too small": (_with(memory=2 * MiB), "memory must be a multiple of 2 MiB"),
    "memory unaligned": (_with(memory=65 * MiB), "memory must be a multiple of 2 MiB"),
    "memory huge": (_with(memory=10**30), "memory must be a multiple of 2 MiB"),
    "vcpus zero": (_with(vcpus=0), "virtual processors must be between 1 and"),
    "vcpus float": (_with(vcpus=1.5), "vcpus must be a whole number"),
    "workload unknown": (_with(workload="spin"), "workload must be idle, cpu:N, dirty:N or bursty"),
    "workload cpu range": (_with(workload="cpu:101"), "between 0 and 100 (got 101)"),
    "workload cpu not int": (_with(workload="cpu:5.5"), "workload must be"),
    "workload dirty range": (_with(workload="dirty:10001"), "between 0 and 10000"),
    "start action": (_with(automatic_start_action="sometimes"), "automatic_start_action must be one of"),
    "stop action": (_with(automatic_stop_action="pause"), "automatic_stop_action must be one of"),
    "name path-like": (_with(name="../etc"), "cannot contain '/'"),
    "name empty": (_with(name=""), "cannot be empty"),
    "name type": (_with(name=42), "must be text"),
    "id of another folder": (_with(id=uuid.uuid4().hex), "is not the folder's name"),
    "id bad": (_with(id="../../x"), "not a VM id"),
    "cmdline newline": (_with(cmdline="a\nb"), "cmdline must be one line"),
    "notes type": (_with(notes=["x"]), "notes must be text"),
    "created negative": (_with(created=-1), "created must be a time"),
    "last_running text": (_with(last_running="yes"), "last_running must be true or false"),
}


@pytest.mark.parametrize("build, reason", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_config_is_reported_and_left_alone(store, build, reason):
    good = store.create(make_config("good"))
    folder = store.vms / uuid.uuid4().hex
    folder.mkdir()
    content = build(folder.name)
    (folder / "vm.json").write_bytes(content)
    (folder / "saved.vmstate").write_bytes(b"state")
    before = sorted(os.listdir(folder))

    vms = store.load_all()
    assert [v.id for v in vms] == [good.id, folder.name]  # the damaged one is listed, after the good ones
    damaged = vms[1]
    assert damaged.config is None
    assert reason in damaged.error, damaged.error
    assert damaged.error.startswith("vm.json") and "\n" not in damaged.error
    assert (folder / "vm.json").read_bytes() == content
    assert sorted(os.listdir(folder)) == before


def test_missing_config_and_strange_entries_are_reported(store):
    store.create(make_config("good"))
    empty = store.vms / uuid.uuid4().hex
    empty.mkdir()
    (store.vms / "not-a-vm").mkdir()
    (store.vms / "stray.txt").write_text("hello")
    errors = {v.id: v.error for v in store.load_all() if v.config is None}
    assert errors == {
        empty.name: "vm.json is missing",
        "not-a-vm": "the folder name is not a VM id (32 lowercase hex digits)",
        "stray.txt": "a file, not a VM folder",
    }
    assert (store.vms / "stray.txt").read_text() == "hello"


def test_leftover_temp_file_is_not_a_vm(store):
    config = make_config()
    stored = store.create(config)
    (stored.folder / ".vm.json.k3j2h1.tmp").write_text('{"half": ')
    [vm] = store.load_all()
    assert vm.config == config
    assert not [n for n in os.listdir(stored.folder) if ".tmp" in n]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "a/b", "a\\b", "..", ".hidden", "x\ny", "tab\there", "a..b"])
def test_validate_name_rejects(name):
    with pytest.raises(ConfigError) as e:
        validate_name(name)
    assert "\n" not in str(e.value)


def test_validate_name_accepts_and_strips():
    assert validate_name("  web server 1  ") == "web server 1"
    assert validate_name("x" * 64) == "x" * 64
    assert validate_name("Ünïcode ✓") == "Ünïcode ✓"


def test_paths_refuse_bad_ids(store):
    with pytest.raises(ConfigError, match="not a VM id"):
        store.folder("../../etc")
    with pytest.raises(ConfigError, match="not a VM id"):
        store.saved_state_path("")
    config = make_config()
    assert store.saved_state_path(config.id) == store.vms / config.id / "saved.vmstate"


def test_remove_deletes_known_files(store):
    config = make_config()
    store.create(config)
    store.saved_state_path(config.id).write_bytes(b"state")
    assert store.remove(config.id) == []
    assert not store.folder(config.id).exists()
    assert store.load_all() == []
    with pytest.raises(ConfigError, match="no VM with id"):
        store.remove(config.id)


def test_remove_keeps_and_reports_unknown_files(store):
    config = make_config()
    folder = store.create(config).folder
    store.saved_state_path(config.id).write_bytes(b"state")
    (folder / "disk.vhdx").write_bytes(b"precious")
    (folder / "checkpoints").mkdir()
    assert store.remove(config.id) == ["checkpoints", "disk.vhdx"]
    assert sorted(os.listdir(folder)) == ["checkpoints", "disk.vhdx"]
    assert (folder / "disk.vhdx").read_bytes() == b"precious"
    [vm] = store.load_all()
    assert vm.error == "vm.json is missing"


CHILD = """
import sys
from pathlib import Path
from core.local.store import VmConfig, VmStore
store = VmStore(Path(sys.argv[1]))
[vm] = store.load_all()
a = vm.config
b = VmConfig.from_dict({**a.to_dict(), "name": "renamed", "memory": 128 << 20, "notes": "n" * 8000})
store.save(b)
print("ready", flush=True)
while True:
    store.save(a)
    store.save(b)
"""


def test_sigkill_during_saves_leaves_old_or_new_config(store):
    a = make_config("original")
    store.create(a)
    b = VmConfig.from_dict({**a.to_dict(), "name": "renamed", "memory": 128 * MiB, "notes": "n" * 8000})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen, temp_left = set(), 0
    for _ in range(40):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(store.root)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert child.stdout.readline() == b"ready\n", child.stderr.read().decode()
            delay = random.uniform(0, 0.05)
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        temp_left += any(".tmp" in n for n in os.listdir(store.folder(a.id)))
        vms = store.load_all()
        assert len(vms) == 1, [(v.id, v.error) for v in vms]
        [vm] = vms
        assert vm.error is None, f"after a kill at {delay * 1000:.1f} ms: {vm.error}"
        assert vm.id == a.id and vm.config in (a, b)
        seen.add(vm.config.name)
    print(f"configs seen after kills: {sorted(seen)}; kills that left a temp file: {temp_left}/40")


def test_a_configuration_as_a_dict_is_what_asdict_makes_and_shares_nothing_with_it():
    from dataclasses import asdict, fields

    from core.local.store import FORMAT, VmConfig

    config = VmConfig(id="a" * 32, name="web1", memory=64 << 20, kvp={"role": "web"})
    d = config.to_dict()
    assert d == asdict(config) | {"format": FORMAT}
    d["kvp"]["role"] = "changed"
    assert config.kvp == {"role": "web"}  # its one mutable field is copied
    # to_dict copies shallowly: a new field that holds a list, a dict or a dataclass must be copied there too
    assert {f.name for f in fields(VmConfig) if f.type not in ("str", "int", "float", "bool")} == {"kvp"}
