"""Paths in requests are the host's: on a remote host (bulkhead+tls://, bulkhead+ssh://, a libvirt URI of another
machine) the command line sends a path as typed and refuses one that is not absolute there (exit 2, one line),
never resolving it against this machine's folder or home; on a local host it keeps resolving them. `host browse`
lists the remote host's folders with their free space."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from resources import GUEST_IMAGE

from .helpers.remote import far_fixture
from .test_cli_hostile import _refused, bulkhead

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library (pip install cryptography)")

from .remotehosts import TlsHost  # noqa: E402

far = far_fixture(TlsHost, "tls-paths")
ABSOLUTE = "give an absolute path on the remote host"
OTHER_LIBVIRT = "qemu+ssh://admin@rack1.invalid/system"  # never reached: the path is refused first


@pytest.fixture
def near(tmp_path):
    """This machine's side: its own home (no host service may start there) and a working folder holding the files
    a relative path would name here."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(GUEST_IMAGE, work / "k.elf")
    (work / "web.vhd").write_bytes(b"")
    return tmp_path


def _one_line_refusal(r, *words: str) -> None:
    assert _refused(r) is None, f"{_refused(r)}: {r.stderr}"
    for word in words:
        assert word in r.stderr, r.stderr


RELATIVE = {  # a command naming a relative path: how its refusal names that path
    "disk new rel.vhd --size 1M": "disk new 'rel.vhd'",
    "vm new a --disk web.vhd": "--disk 'web.vhd'",
    "vm new a --image ./k.elf": "--image './k.elf'",
    "vm new a --image ~/k.elf": "--image '~/k.elf'",
    "vm set a --disk ../work/web.vhd": "--disk '../work/web.vhd'",
    "host browse work": "host browse 'work'",
}


@pytest.mark.parametrize("args, option", [(tuple(command.split()), said) for command, said in RELATIVE.items()])
def test_a_relative_path_for_a_remote_host_is_refused_here(far, near, args, option):
    r = bulkhead(near / "home", "--connect", far.uri, *args, cwd=near / "work", HOME=str(near / "work"))
    _one_line_refusal(r, option, ABSOLUTE, "127.0.0.1")
    assert not (near / "work" / "rel.vhd").exists() and not (far.home / "rel.vhd").exists()
    assert not (near / "home" / "run").exists()  # nothing local was started either


@pytest.mark.parametrize("args", [("disk", "new", "rel.qcow2", "--size", "1M"), ("vm", "new", "c", "--disk", "x"),
                                  ("host", "browse", "~")])
def test_a_relative_path_for_a_libvirt_host_of_another_machine_is_refused_here(near, args):
    r = bulkhead(near / "home", "--connect", OTHER_LIBVIRT, *args, cwd=near / "work", timeout=60)
    _one_line_refusal(r, ABSOLUTE, "rack1.invalid")


def test_an_absolute_path_reaches_the_remote_host_as_typed(far, near):
    there = far.home.parent / "there"
    (there / "images").mkdir(parents=True, exist_ok=True)
    typed = f"{there}/images/../images/new.vhd"  # resolved by the host, not here
    r = bulkhead(near / "home", "--connect", far.uri, "disk", "new", typed, "--size", "1M", cwd=near / "work")
    assert r.returncode == 0, r.stderr
    assert (there / "images" / "new.vhd").exists() and not (near / "work" / "new.vhd").exists()
    r = bulkhead(near / "home", "--connect", far.uri, "vm", "new", "far-vm", "--disk", str(there / "images" /
                 "new.vhd"), cwd=near / "work")
    assert r.returncode == 0, r.stderr
    shown = json.loads(bulkhead(near / "home", "--connect", far.uri, "vm", "show", "far-vm", "--json").stdout)
    assert shown["disk"] == str((there / "images" / "new.vhd").resolve())
    assert bulkhead(near / "home", "--connect", far.uri, "vm", "remove", "far-vm").returncode == 0


def test_host_browse_lists_the_remote_hosts_folder_with_free_space(far, near):
    there = far.home.parent / "listed"
    (there / "disks").mkdir(parents=True, exist_ok=True)
    (there / "a.vhd").write_bytes(b"x" * 2048)
    (there / "b.txt").write_text("b")
    r = bulkhead(near / "home", "--connect", far.uri, "host", "browse", str(there), "--kinds", ".vhd")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{there}  (") and " free of " in lines[0], r.stdout
    assert [line.split()[-1] for line in lines[2:]] == ["disks/", "a.vhd"], r.stdout
    assert "2 KiB" in r.stdout and "b.txt" not in r.stdout
    listing = json.loads(bulkhead(near / "home", "--connect", far.uri, "host", "browse", "--json").stdout)
    assert listing["path"] == str(far.home.resolve())  # without a path: the remote host's store
    r = bulkhead(near / "home", "--connect", far.uri, "host", "browse", str(there / "missing"))
    _one_line_refusal(r, str(there / "missing"), "no such folder")
    assert not (near / "home" / "run").exists()


def test_a_local_host_still_resolves_relative_paths_against_this_folder(near):
    # libvirt's test driver runs in this process: its paths are this machine's (no host service to start)
    r = bulkhead(near / "home", "--connect", "test:///default", "host", "browse", ".", "--json", cwd=near / "work")
    assert r.returncode == 0, r.stderr
    listing = json.loads(r.stdout)
    assert listing["path"] == str((near / "work").resolve())
    assert [e["name"] for e in listing["entries"]] == ["k.elf", "web.vhd"]
    r = bulkhead(near / "home", "--connect", "test:///default", "host", "browse", "~", "--json",
                 cwd=near, HOME=str(near / "work"))
    assert r.returncode == 0 and json.loads(r.stdout)["path"] == str((near / "work").resolve()), r.stderr


def test_the_local_host_service_resolves_them_too(near):
    home = near / "home"
    try:
        r = bulkhead(home, "host", "browse", "work", "--json", cwd=near)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["path"] == os.path.realpath(near / "work")
    finally:
        bulkhead(home, "host", "stop", timeout=180)
