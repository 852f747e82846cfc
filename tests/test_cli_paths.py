"""Paths a person types are the caller's: `disk new rel.vhd` then `vm new --disk rel.vhd` from the same folder
attach that file, whatever the host service's own folder; `~` is the caller's home."""

import json
import shutil

from resources import GUEST_IMAGE

from .test_cli_hostile import bulkhead, home  # noqa: F401 - the fixture


def test_relative_paths_and_home_are_the_callers(home, tmp_path):  # noqa: F811
    work, me = tmp_path / "work", tmp_path / "me"
    work.mkdir()
    me.mkdir()
    shutil.copy(GUEST_IMAGE, me / "k.elf")
    shutil.copy(GUEST_IMAGE, work / "k.elf")

    r = bulkhead(home, "disk", "new", "web1.vhd", "--size", "8M", cwd=work)
    assert r.returncode == 0 and (work / "web1.vhd").exists(), r.stderr
    r = bulkhead(home, "vm", "new", "db", "--disk", "web1.vhd", "--image", "./k.elf", cwd=work)
    assert r.returncode == 0, r.stderr
    r = bulkhead(home, "vm", "new", "mine", "--image", "~/k.elf", cwd=tmp_path, HOME=str(me))
    assert r.returncode == 0, r.stderr
    r = bulkhead(home, "disk", "new", "~/d.vhd", "--size", "8M", cwd=tmp_path, HOME=str(me))
    assert r.returncode == 0 and (me / "d.vhd").exists(), r.stderr

    db = json.loads(bulkhead(home, "vm", "show", "db", "--json", cwd=tmp_path).stdout)
    assert (db["disk"], db["image"]) == (str(work / "web1.vhd"), str(work / "k.elf"))
    mine = json.loads(bulkhead(home, "vm", "show", "mine", "--json").stdout)
    assert mine["image"] == str(me / "k.elf")
    # from another folder the same relative name is another file: not there, and said so with the path looked at
    r = bulkhead(home, "vm", "new", "db2", "--disk", "web1.vhd", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr and str(tmp_path / "web1.vhd") in r.stderr, r.stderr
