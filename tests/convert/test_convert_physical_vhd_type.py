"""vm.convert.physical's vhd_type: "fixed" captures into fixed-size VHDs (all of each disk's size allocated, the VM's
disk a vhd-fixed one, equal to the source), said in the report; "dynamic" (the default) stays sparse; anything else
is refused before the scan; the command line (--vhd-type) and View Script give it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from core import api
from core.convert import qemu_img
from core.model.errors import UsageError

from .test_convert_physical_host import WAIT, image

pytestmark = [pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed"),
              pytest.mark.skipif(shutil.which("lsblk") is None, reason="lsblk (util-linux) is not installed")]
MiB = 1 << 20


@pytest.fixture
def conn(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as c:
        yield c


def test_a_fixed_vhd_takes_all_of_its_size_and_holds_the_data(conn, tmp_path):
    disk = image(tmp_path / "disk.img", 16 * MiB, ((MiB, MiB),))
    answer = conn.convert_physical(disks=[disk], name="fixed1", vhd_type="fixed", dry_run=True)
    assert "physical.fixed" in {n["code"] for n in answer["report"]} and conn.vms() == []
    job = conn.convert_physical(disks=[disk], name="fixed1", vhd_type="fixed").wait(WAIT)
    assert job.state == "Completed", job.error
    vm = conn.vm("fixed1")
    assert vm.disk_format == "vhd-fixed" and os.path.getsize(vm.disk) >= 16 * MiB
    assert qemu_img.compare(disk, "raw", vm.disk, "vpc")
    job = conn.convert_physical(disks=[disk], name="dynamic1").wait(WAIT)
    assert job.state == "Completed" and conn.vm("dynamic1").disk_format == "vhd-dynamic"
    assert "physical.fixed" not in {n["code"] for n in job.result["report"]}


def test_another_type_is_refused_at_once(conn, tmp_path):
    disk = image(tmp_path / "disk.img", MiB, ((0, 10),))
    with pytest.raises(UsageError, match="vhd_type"):
        conn.convert_physical(disks=[disk], vhd_type="sparse")
    assert conn.vms() == []


def test_view_script_and_the_command_line_give_the_type(cli, tmp_path):
    from core.api.convert_physical import physical_params
    from core.api.script import render_steps

    assert "vhd_type" not in physical_params(disks=["/a.img"])  # the default is left to the host
    script = render_steps([("convert physical", physical_params(disks=["/a.img"], vhd_type="fixed"))])
    assert script.command_line == "bulkhead convert physical --disk /a.img --vhd-type fixed"
    assert "conn.convert_physical(disks=['/a.img'], vhd_type='fixed')" in script.python
    image(tmp_path / "server.img", 8 * MiB, ((0, MiB),))
    run = [sys.executable, "-m", "core.cli", "convert", "physical", "--disk", "server.img"]
    r = subprocess.run([*run, "--vhd-type", "fixed", "--dry-run", "--json"], capture_output=True, text=True,
                       timeout=120, env=cli.env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "physical.fixed" in {n["code"] for n in json.loads(r.stdout)["report"]}
    r = subprocess.run([*run, "--vhd-type", "sparse", "--dry-run"], capture_output=True, text=True, timeout=120,
                       env=cli.env, cwd=tmp_path)
    assert r.returncode == 2 and "--vhd-type" in r.stderr and len(r.stderr.strip().splitlines()) <= 2
