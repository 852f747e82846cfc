"""The command line's parser and requests, in this process against a stand-in connection: options made from the one
settings list, the request each command builds, paths as the host needs them, the host's own limits."""

import argparse
import json
import os
import re
from pathlib import Path

import pytest

import core.api
from core import cli
from core.cli.settings import LIBVIRT_GROUP
from core.model.limits import HostLimits
from core.model.spec import NEW_VM_PARAMS, SET_VM_PARAMS, VmSpec

MiB = 1 << 20


class FakeJob:
    def __init__(self, name, result=None):
        self.id, self.name, self.target_name, self.state = 1, name, "x", "Completed"
        self.result, self.error = result or {}, ""

    def wait(self, timeout=None, check=False):
        return self

    def to_dict(self):
        return {"id": self.id, "name": self.name, "state": self.state, "result": self.result}


class FakeConnection:
    """What the commands call, recorded; the limits are whatever the test says the host reports."""

    def __init__(self, limits=None):
        self.calls = []
        self._limits = limits or HostLimits()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def new_vm(self, **params):
        self.calls.append(("vm.new", params))
        return FakeJob("New VM", {"name": params["name"], "state": "Off"})

    def set_vm(self, vm, **changes):
        self.calls.append(("vm.set", {"vm": vm, **changes}))
        return FakeJob("Change VM settings", {"name": vm, "state": "Off"})

    def new_disk(self, path, size, kind="dynamic"):
        self.calls.append(("disk.new", {"path": path, "size": size, "kind": kind}))
        return FakeJob("New virtual hard disk", {"path": path, "format": "vhd-dynamic", "virtual_size": size})

    def host_info(self):
        caps = {"kvm_usable": False, "kvm_problem": "none here", "kvm_module": "", "kvm_api_version": None,
                "cpu_model": "test cpu", "logical_processors": 2, "memory_bytes": 2048 * MiB, "kvm_extensions": {}}
        return {"backend_description": "a stand-in", "capabilities": caps, "vm_states": {}, "pid": 1,
                "version": "0", "store": "/nowhere", "notice": ""}

    def limits(self):
        return self._limits


@pytest.fixture
def fake(monkeypatch):
    conn = FakeConnection()
    seen = {}

    def connect(home=None, *, uri=None, **kw):
        seen["uri"] = uri
        return conn

    monkeypatch.setattr(core.api, "connect", connect)
    monkeypatch.delenv("BULKHEAD_CONNECT", raising=False)
    conn.seen = seen
    return conn


def _options(parser: argparse.ArgumentParser, verb: str) -> dict[str, argparse._ArgumentGroup]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["vm"]
    p = next(a for a in sub._actions if isinstance(a, argparse._SubParsersAction)).choices[verb]
    out = {}
    for group in p._action_groups:
        for action in group._group_actions:
            for option in action.option_strings:
                out[option] = (group.title, action)
    return out


def test_vm_new_and_set_options_are_the_settings_list():
    parser = cli._parser()
    new, change = _options(parser, "new"), _options(parser, "set")
    for p in NEW_VM_PARAMS:
        if p.name == "name":
            assert "--name" not in new  # vm new NAME
            continue
        group, action = new[p.option]
        assert action.dest == p.name
        assert (group == LIBVIRT_GROUP) == (p.kinds == ("libvirt",)), p.name
        if p.choices:
            assert tuple(action.choices) == tuple(c for c in p.choices if c), p.name
        assert action.help, p.name
    assert {o for o, (g, _) in new.items() if g == LIBVIRT_GROUP} == {
        p.option for p in NEW_VM_PARAMS if p.kinds == ("libvirt",)}
    for p in SET_VM_PARAMS:
        assert change[p.option][1].dest == p.name
    assert not {p.option for p in NEW_VM_PARAMS if p.kinds == ("libvirt",)} & set(change)
    assert "--no-integration-services" in new and "--no-integration-services" in change


def test_vm_new_sends_the_vm_spec(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["vm", "new", "web", "--memory", "128M", "--vcpus", "2", "--switch", "lab", "--no-integration-services",
            "--stop-action", "turn_off", "--disk", "web.vhd", "--start"]
    assert cli.main(argv) == 0
    [(method, params)] = fake.calls
    expected = VmSpec(name="web", memory=128 * MiB, vcpus=2, network="lab", integration_services=False,
                      automatic_stop_action="turn_off", disk=str(tmp_path / "web.vhd"), start=True)
    assert method == "vm.new" and params == expected.params()


def test_vm_set_sends_only_what_was_given(fake):
    assert cli.main(["vm", "set", "web", "--memory", "1G", "--name", "web2", "--integration-services"]) == 0
    assert fake.calls == [("vm.set", {"vm": "web", "memory": 1 << 30, "name": "web2", "integration_services": True})]


def test_libvirt_options_reach_the_request(fake):
    assert cli.main(["--connect", "test:///default", "vm", "new", "db", "--disk-size", "16G", "--pool", "p",
                     "--disk-format", "raw", "--boot", "cdrom", "--disk-readonly"]) == 0
    [(_, params)] = fake.calls
    assert fake.seen["uri"] == "test:///default"
    assert params == VmSpec(name="db", disk_size=16 << 30, pool="p", disk_format="raw", boot="cdrom",
                            disk_readonly=True).params()


def test_paths_are_resolved_for_the_host_unless_it_is_another_machine(fake, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    assert cli.main(["vm", "new", "a", "--disk", "rel.vhd", "--image", "~/k.elf"]) == 0
    assert cli.main(["--connect", "qemu:///system", "vm", "new", "b", "--disk", "./sub/../rel.qcow2"]) == 0
    assert cli.main(["--connect", "qemu+ssh://admin@rack1/system", "vm", "new", "c", "--disk", "/srv/../rel.qcow2",
                     "--image", "/isos/./install.iso"]) == 0  # relative ones: tests/test_cli_remote_paths.py
    assert cli.main(["vm", "set", "a", "--image", "../k2.elf"]) == 0
    assert cli.main(["--connect", "qemu:///system", "disk", "new", "~/d.vhd", "--size", "8M"]) == 0
    assert cli.main(["--connect", "qemu+ssh://admin@rack1/system", "disk", "new", "/srv/d/../d.vhd", "--size",
                     "8M"]) == 0
    a, b, c, s, d, e = (params for _, params in fake.calls)
    assert (a["disk"], a["image"]) == (str(work / "rel.vhd"), str(tmp_path / "me" / "k.elf"))
    assert b["disk"] == str(work / "rel.qcow2")
    assert (c["disk"], c["image"]) == ("/srv/../rel.qcow2", "/isos/./install.iso")  # that host's paths, as typed
    assert s["image"] == str(tmp_path / "k2.elf")
    assert d == {"path": str(tmp_path / "me" / "d.vhd"), "size": 8 * MiB, "kind": "dynamic"}
    assert e["path"] == "/srv/d/../d.vhd"


def test_an_unreachable_path_is_a_usage_error(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.symlink("loop", tmp_path / "loop")
    (tmp_path / "file").write_text("")
    for argv in (["vm", "new", "a", "--disk", "loop"], ["vm", "new", "a", "--image", str(tmp_path / "loop")],
                 ["vm", "set", "a", "--disk", "loop/x.vhd"], ["vm", "new", "a", "--disk", "file/x.vhd"],
                 ["vm", "new", "a", "--disk", "x" * 5000], ["disk", "new", "loop/x.vhd", "--size", "8M"]):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("bulkhead: ") and err.count("\n") == 1, err
    assert cli.main(["vm", "new", "a", "--disk", "loop"]) == 2
    assert "a symbolic link loop" in capsys.readouterr().err
    assert fake.calls == []


def test_host_info_shows_the_limits_the_host_reports(fake, capsys):
    fake._limits = HostLimits(memory_min=8 * MiB, memory_max=24104 * MiB, memory_step=4 * MiB, vcpus_max=3,
                              memory_reason="this host has 24,104 MiB", vcpus_reason="this host has 3 processors")
    assert cli.main(["host", "info"]) == 0
    out = capsys.readouterr().out
    assert "Memory per VM" in out and "8 MiB to 23.5 GiB, in steps of 4 MiB (this host has 24,104 MiB)" in out
    assert re.search(r"Processors per VM +1 to 3 \(this host has 3 processors\)", out), out
    assert cli.main(["host", "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["limits"] == fake._limits.to_dict()


def test_parser_errors_are_one_line_with_the_help_to_read(capsys):
    for argv in (["vm", "new"], ["vm", "new", "a", "--vcpus", "two"], ["job", "show", "1e3"],
                 ["vm", "new", "a", "--start-action", "sometimes"], ["frobnicate"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--help)" in err and "Traceback" not in err, err


def test_every_module_of_the_command_line_is_small():
    for path in Path(cli.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path


def test_a_command_line_builds_only_the_noun_it_names():
    """A cold `bulkhead vm list` imports no other noun's module; help and a mistyped noun still see them all."""
    import subprocess
    import sys

    code = ("import sys; from core.cli import parser; parser.build(['--connect', 'test:///default', 'vm', 'list']); "
            "print(sorted(m for m in sys.modules if m.startswith('core.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'core.cli.vm'" in out and "'core.cli.host'" not in out and "'core.cli.convert'" not in out, out
    from core.cli import parser

    assert parser.noun_of(["--home", "/x", "--connect", "vm", "host", "info"]) == "host"  # values are skipped
    every = parser.build(["vmm", "list"])  # a mistyped noun: every choice is there to be listed
    choices = next(a for a in every._actions if a.dest == "noun").choices
    assert {"host", "vm", "convert", "console", "run", "completion"} <= set(choices)


def test_a_vm_verb_builds_that_verb_alone_and_help_builds_them_all():
    """`vm list` imports neither the other verbs' modules nor the settings model; `vm new`, help and a mistyped verb
    get what they need."""
    import subprocess
    import sys

    def loaded(argv: list[str]) -> str:
        code = (f"import sys; from core.cli import parser; parser.build({argv!r}); "
                "print(sorted(m for m in sys.modules if m.startswith(('core.cli.', 'core.model.spec'))))")
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    out = loaded(["--home", "/x", "vm", "list"])
    assert "'core.cli.vm'" in out, out
    assert not any(f"'core.cli.{m}'" in out for m in ("move", "checkpoint", "export_import", "settings")), out
    assert "'core.model.spec'" not in out, out
    assert "'core.cli.settings'" in loaded(["vm", "new", "web1"])
    assert "'core.cli.checkpoint'" in loaded(["vm", "apply", "web1", "c1"])
    from core.cli import parser

    assert parser.verb_of(["--connect", "vm", "host", "info"]) == "info"
    for argv in (["vm", "lst"], ["vm", "--help"], ["vm"]):  # mistyped, help, none: every verb is there
        vm = next(a for a in parser.build(argv)._actions if a.dest == "noun").choices["vm"]
        verbs = next(a for a in vm._actions if a.dest == "verb").choices
        assert {"list", "new", "move", "checkpoint", "export", "import"} <= set(verbs), argv
