"""Renaming a virtual switch: a job; a name in use (as people read names) is refused; the VMs on it follow the new
name in their stored configuration, running ones stay on the same switch; the command line does the same."""

from __future__ import annotations

import json

import pytest

from core import api
from core.api import NotFound, UsageError

from .helpers.embedded import embedded_fixture

MiB = 1 << 20
WAIT = 30.0


conn = embedded_fixture("tmp_path", "home")


def test_a_renamed_switch_keeps_its_vms(conn, tmp_path):
    conn.new_switch("lab", "internal").wait(WAIT, check=True)
    conn.new_switch("other").wait(WAIT, check=True)
    conn.new_vm("web1", memory=32 * MiB, network="lab").wait(WAIT, check=True)
    conn.new_vm("db1", memory=32 * MiB, network="lab", start=True).wait(WAIT, check=True)
    ip = conn.vm("db1").ip
    events = []
    conn.subscribe(lambda kind, data: events.append((kind, data)) if kind.startswith(("switch.", "vm.changed"))
                   else None)

    job = conn.rename_switch("lab", "lab-a")
    assert job.name == "Rename virtual switch"
    done = job.wait(WAIT, check=True)
    assert done.result["name"] == "lab-a" and done.result["type"] == "internal"
    assert done.result["vms"] == ["db1", "web1"]
    assert sorted(s["name"] for s in conn.switches()) == ["lab-a", "other"]
    assert conn.vm("web1").network == "lab-a" and conn.vm("db1").network == "lab-a" and conn.vm("db1").ip == ip
    assert ("switch.renamed", {"name": "lab", "new_name": "lab-a"}) in events
    assert {d["name"] for k, d in events if k == "vm.changed"} == {"db1", "web1"}
    # stored: the VM's folder names the new switch, and so does switches.json
    stored = {json.loads(p.read_text())["name"]: json.loads(p.read_text()).get("network")
              for p in (tmp_path / "home").rglob("vm.json")}
    assert stored == {"web1": "lab-a", "db1": "lab-a"}
    # the running VM is still on the switch: it can be removed only once it is disconnected
    with pytest.raises(api.StateError, match="used by db1, web1"):
        conn.remove_switch("lab-a")
    conn.stop_vm("db1", mode="turn_off").wait(WAIT, check=True)
    conn.start_vm("db1").wait(WAIT, check=True)  # starts on the switch under its new name
    assert conn.vm("db1").state == "Running"


def test_a_rename_to_a_name_in_use_is_refused(conn):
    conn.new_switch("lab").wait(WAIT, check=True)
    conn.new_switch("base1").wait(WAIT, check=True)
    for taken in ("base1", "BASE1", "ｂａｓｅ１"):
        with pytest.raises(UsageError, match="a virtual switch named 'base1' already exists"):
            conn.rename_switch("lab", taken)
    with pytest.raises(NotFound, match="no virtual switch named 'nope'"):
        conn.rename_switch("nope", "x")
    with pytest.raises(UsageError, match="already has that name"):
        conn.rename_switch("lab", "lab")
    with pytest.raises(UsageError):
        conn.rename_switch("lab", "bad\u202ename")
    conn.rename_switch("lab", "LAB").wait(WAIT, check=True)  # its own name in other letters is fine
    assert sorted(s["name"] for s in conn.switches()) == ["LAB", "base1"]


def test_the_command_line_renames_a_switch(cli):
    cli("switch", "new", "lab", check=True)
    r = cli("switch", "rename", "lab", "lab-a", check=True)
    assert "virtual switch 'lab' renamed to 'lab-a'" in r.stdout
    assert [s["name"] for s in cli.json("switch", "list")] == ["lab-a"]
    cli("switch", "new", "x", check=True)
    r = cli("switch", "rename", "x", "LAB-A")
    assert r.returncode == 2 and "already exists" in r.stderr and "Traceback" not in r.stderr
