"""`bulkhead convert vm`: the dry run as lines and as JSON, a conversion from a path relative to the caller's
folder, and the exit code 2 of what is refused (usage errors), each said in one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT
from .test_convert_host import make_vmx

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def run(cli, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=120,
                          env=cli.env, cwd=cwd or ROOT)


def test_a_dry_run_prints_the_plan_and_the_report_and_writes_nothing(cli, tmp_path):
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="web")
    r = run(cli, "convert", "vm", vmx, "--dry-run")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert f"Source: vmx {vmx} (web)" in out and "VM: web on a bulkhead host, 32 MiB, 1 virtual processor" in out
    assert "Disk: " in out and "-> web-disk1.vhd (vpc)" in out and "Network adapter: not connected" in out
    assert "Report:" in out and "  warning: the guest operating system is not converted" in out
    answer = json.loads(run(cli, "convert", "vm", vmx, "--dry-run", "--json", "--name", "w2").stdout)
    assert answer["plan"]["name"] == "w2" and answer["source"]["format"] == "vmx" and answer["ok"] is True
    assert cli.json("vm", "list") == []


def test_converts_from_a_path_relative_to_the_callers_folder(cli, tmp_path):
    make_vmx(tmp_path / "vmware", name="web")
    cli("switch", "new", "lab", check=True)
    r = run(cli, "convert", "vm", "vmware/web.vmx", "--network-map", "VM Network=lab", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Convert VM: VM 'web' created (Off) with 1 disk" in r.stdout and "compared with its source" in r.stdout
    vm = cli.json("vm", "show", "web")
    assert vm["state"] == "Off" and vm["network"] == "lab" and os.path.isfile(vm["disk"])
    job = json.loads(run(cli, "convert", "vm", str(tmp_path / "vmware" / "web.vmx"), "--name", "web2",
                         "--json").stdout)
    assert job["state"] == "Completed" and job["result"]["name"] == "web2" and job["result"]["disks"][0]["compared"]


@pytest.mark.parametrize("args, code, says", [
    (["convert", "vm", "missing.vmx"], 2, "missing.vmx"),
    (["convert", "vm", "{vmx}", "--network-map", "novalue"], 2, "--network-map: 'novalue' is not A=B"),
    (["convert", "vm", "{vmx}", "--network-map", "VM Network=nosuch"], 2, "nosuch"),
    (["convert", "vm", "{vmx}", "--path", "{tmp}/nowhere"], 2, "no such folder"),
    (["convert", "vm", "vmware/web.vmx", "--to", "bulkhead+ssh://admin@rack1"], 2, "give an absolute path"),
    (["convert", "vm", "{vmx}", "--to", "test:///default"], 2, "--path DIR"),  # a libvirt host: a folder for the disks
    (["convert", "vm"], 2, "source"),
])
def test_refusals_exit_with_one_line(cli, tmp_path, args, code, says):
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="web")
    args = [a.format(vmx=vmx, tmp=tmp_path) for a in args]
    r = run(cli, *args, cwd=tmp_path)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert says in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_a_failed_conversion_exits_1_with_one_line_and_leaves_no_vm(cli, tmp_path):
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="web")
    broken = tmp_path / "broken-qemu-img"  # every copy "differs" from its source
    broken.write_text('#!/bin/sh\nif [ "$1" = compare ]; then exit 1; fi\nexec qemu-img "$@"\n')
    broken.chmod(0o755)
    cli.env["QEMU_IMG"] = str(broken)  # the host service this command starts runs it
    r = run(cli, "convert", "vm", vmx)
    assert r.returncode == 1 and "differs from the source" in r.stderr and len(r.stderr.splitlines()) == 1
    assert cli.json("vm", "list") == []


def test_notes_and_the_network_hint_of_a_dry_run(cli, tmp_path):
    vmx, _, _ = make_vmx(tmp_path / "vmware", name="web")
    r = run(cli, "convert", "vm", vmx, "--dry-run")
    assert "not connected: map it to a switch of the destination" in r.stdout
    assert "  hint: give --network-map VM Network=SWITCH to connect the adapter of 'VM Network'" in r.stdout
    answer = json.loads(run(cli, "convert", "vm", vmx, "--dry-run", "--json", "--notes", "from the lab").stdout)
    assert answer["plan"]["settings"]["notes"] == "from the lab"
    r = run(cli, "convert", "vm", vmx, "--notes", "from the lab")
    assert r.returncode == 0, r.stderr
    notes = cli.json("vm", "show", "web")["notes"]
    assert notes.startswith("from the lab") and "a web server" not in notes
