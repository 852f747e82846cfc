"""vm.convert.physical takes the new VM's notes (as vm.convert does): the dry run's plan carries them, the VM gets
them with where it came from added, too long notes are refused before anything is read, and the command line
(--notes) and View Script give them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from core import api
from core.model.errors import UsageError

from .test_convert_physical_host import WAIT, image

pytestmark = [pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed"),
              pytest.mark.skipif(shutil.which("lsblk") is None, reason="lsblk (util-linux) is not installed")]
MiB = 1 << 20
NOTES = "Web server from rack 3\nowner: ops"


@pytest.fixture
def conn(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as c:
        yield c


def test_the_notes_are_planned_and_given_to_the_vm_with_where_it_came_from(conn, tmp_path):
    disk = image(tmp_path / "disk.img", 8 * MiB, ((0, MiB),))
    answer = conn.convert_physical(disks=[disk], name="noted", notes=NOTES, dry_run=True)
    assert answer["ok"] and answer["plan"]["settings"]["notes"] == NOTES and conn.vms() == []
    plain = conn.convert_physical(disks=[disk], name="noted", dry_run=True)
    assert plain["plan"]["settings"].get("notes", "") != NOTES
    job = conn.convert_physical(disks=[disk], name="noted", notes=NOTES).wait(WAIT)
    assert job.state == "Completed", job.error
    notes = conn.vm("noted").notes
    assert notes.startswith(NOTES + "\n\n") and "Converted from physical this machine" in notes


def test_notes_too_long_or_not_text_are_refused_before_the_scan(conn, tmp_path):
    disk = image(tmp_path / "disk.img", MiB, ((0, 10),))
    with pytest.raises(UsageError, match="notes"):
        conn.convert_physical(disks=[disk], notes="x" * 10_001)
    with pytest.raises(UsageError, match="notes"):
        conn.call("vm.convert.physical", disks=[disk], notes=42)
    assert conn.vms() == []


def test_view_script_gives_the_notes():
    from core.api.script import render_steps

    script = render_steps([("convert physical", {"disks": ["/srv/a.img"], "name": "srv", "notes": "two\nlines"})])
    assert script.command_line == "bulkhead convert physical --disk /srv/a.img --name srv --notes 'two\nlines'"
    assert "conn.convert_physical(disks=['/srv/a.img'], name='srv', notes='two\\nlines')" in script.python


def test_the_command_line_takes_notes(cli, tmp_path):
    image(tmp_path / "server.img", 8 * MiB, ((0, MiB),))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True,
                              timeout=120, env=cli.env, cwd=tmp_path)

    r = run("convert", "physical", "--disk", "server.img", "--name", "srv", "--notes", "from the lab", "--dry-run",
            "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["plan"]["settings"]["notes"] == "from the lab" and cli.json("vm", "list") == []
    r = run("convert", "physical", "--disk", "server.img", "--name", "srv", "--notes", "from the lab")
    assert r.returncode == 0, r.stderr
    assert cli.json("vm", "show", "srv")["notes"].startswith("from the lab\n\nConverted from physical")
    r = run("convert", "physical", "--disk", "server.img", "--notes", "y" * 10_001, "--dry-run")
    assert r.returncode == 2 and "notes" in r.stderr and len(r.stderr.strip().splitlines()) == 1
