"""`bulkhead convert scan` and `bulkhead convert physical`: the scan as lines and JSON, a dry run, a capture of an
image file given relative to the caller's folder, and the exit code 2 of what is refused, in one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT
from .test_convert_physical_host import image

pytestmark = [pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed"),
              pytest.mark.skipif(shutil.which("lsblk") is None, reason="lsblk (util-linux) is not installed")]


def run(cli, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=120,
                          env=cli.env, cwd=cwd or ROOT)


def test_scan_as_lines_and_json(cli):
    r = run(cli, "convert", "scan")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Machine: this machine") and "Processors: " in r.stdout and "Disks:" in r.stdout
    answer = json.loads(run(cli, "convert", "scan", "--json").stdout)
    assert answer["source"]["format"] == "physical" and answer["scan"]["local"] is True


def test_dry_run_then_capture_of_an_image_relative_to_the_callers_folder(cli, tmp_path):
    image(tmp_path / "server.img")
    r = run(cli, "convert", "physical", "--disk", "server.img", "--name", "srv", "--dry-run", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Source: physical this machine" in r.stdout and f"Disk: {tmp_path / 'server.img'} (raw" in r.stdout
    assert "-> srv-disk1.vhd (vpc)" in r.stdout and "Report:" in r.stdout and cli.json("vm", "list") == []
    r = run(cli, "convert", "physical", "--disk", "server.img", "--name", "srv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Convert physical server: VM 'srv' created (Off) with 1 disk" in r.stdout and "(compared)" in r.stdout
    vm = cli.json("vm", "show", "srv")
    assert vm["state"] == "Off" and os.path.isfile(vm["disk"])


@pytest.mark.parametrize("args, says", [
    (["convert", "physical"], "choose the disks"),
    (["convert", "physical", "--from", "db1", "--disk", "/dev/sda"], "ssh://user@host"),
    (["convert", "physical", "--from", "ssh://root@db1", "--disk", "sda"], "give an absolute path on ssh://root@db1"),
    (["convert", "physical", "--disk", "missing.img"], "missing.img"),
    (["convert", "scan", "--from", "http://x"], "ssh://user@host"),
])
def test_refusals_exit_2_with_one_line(cli, tmp_path, args, says):
    r = run(cli, *args, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert says in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
