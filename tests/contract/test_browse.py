"""host.browse: every kind of host here lists one of its folders alike (folders first, sizes and times, the free
space of its file system), filters by kind, says when it cut the list short, and refuses a missing folder, a
file, a relative path or a bad filter with one line. The remote test hosts are separate "machines" on this one,
so the folders made here are theirs too; libvirt's test driver runs in this process and lists this machine's."""

from __future__ import annotations

import os
import time

import pytest

from core.model.errors import BulkheadError, NotFound, UsageError

from .conftest import raises

ENTRY_KEYS = {"name", "type", "size", "mtime"}


@pytest.fixture
def tree(tmp_path):
    """A folder with sub-folders, files of several kinds, a link to a folder and a dangling link."""
    root = tmp_path / "tree"
    (root / "disks").mkdir(parents=True)
    (root / "Images").mkdir()
    (root / "web.vhd").write_bytes(b"v" * 1536)
    (root / "BOOT.ISO").write_bytes(b"i" * 10)
    (root / "notes.txt").write_text("n")
    (root / "kernel.elf").write_bytes(b"\x7fELF")
    os.symlink("disks", root / "to-disks")
    os.symlink("gone", root / "dangling")
    return root


def test_a_folder_is_listed_folders_first_with_sizes_and_free_space(host, tree):
    caps = host.conn.capabilities()
    assert caps["browse"] is True, f"{host.kind}: browse refused: {caps['reasons'].get('browse')}"
    listing = host.conn.browse(str(tree))
    assert listing["path"] == str(tree.resolve()) and listing["parent"] == str(tree.resolve().parent)
    assert listing["truncated"] is False
    assert 0 < listing["free_bytes"] <= listing["total_bytes"], listing
    names = [e["name"] for e in listing["entries"]]
    assert names == ["disks", "Images", "to-disks", "BOOT.ISO", "dangling", "kernel.elf", "notes.txt", "web.vhd"]
    by_name = {e["name"]: e for e in listing["entries"]}
    for entry in listing["entries"]:
        assert ENTRY_KEYS <= set(entry), f"{host.kind}: {entry}"
    assert by_name["disks"]["type"] == "dir" and by_name["disks"]["size"] is None
    assert by_name["web.vhd"] | {"mtime": 0} == {"name": "web.vhd", "type": "file", "size": 1536, "mtime": 0}
    assert abs(by_name["web.vhd"]["mtime"] - time.time()) < 3600
    assert (by_name["to-disks"]["type"], by_name["to-disks"]["target"]) == ("link", "dir")
    assert (by_name["dangling"]["type"], by_name["dangling"]["target"]) == ("link", "missing")


def test_a_path_through_a_link_is_answered_resolved(host, tree):
    listing = host.conn.browse(str(tree / "to-disks"))
    assert listing["path"] == str((tree / "disks").resolve()) and listing["entries"] == []
    root = host.conn.browse("/")
    assert root["path"] == "/" and root["parent"] is None


def test_kinds_keep_the_files_asked_for_and_every_folder(host, tree):
    listing = host.conn.browse(str(tree), kinds=[".vhd", ".iso"])
    assert [e["name"] for e in listing["entries"]] == ["disks", "Images", "to-disks", "BOOT.ISO", "web.vhd"]
    folders = host.conn.browse(str(tree), kinds=["dir"])
    assert [e["name"] for e in folders["entries"]] == ["disks", "Images", "to-disks"]


def test_a_long_folder_is_cut_at_the_limit_and_says_so(host, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(30):
        (many / f"f{i:02}.img").write_bytes(b"")
    (many / "zz-folder").mkdir()
    listing = host.conn.browse(str(many), limit=10)
    assert listing["truncated"] is True and len(listing["entries"]) == 10
    assert listing["entries"][0]["name"] == "zz-folder"  # folders first, also when cut
    assert host.conn.browse(str(many), limit=31)["truncated"] is False


def test_without_a_path_the_host_starts_in_its_own_folder(host):
    listing = host.conn.browse()
    assert listing["path"].startswith("/") and listing["free_bytes"] >= 0, listing
    assert host.conn.browse("")["path"] == listing["path"]


@pytest.mark.parametrize("what", ["missing", "file", "relative", "tilde", "kinds", "kinds-type", "limit"])
def test_bad_paths_and_filters_are_refused_in_one_line(host, tree, what):
    path, kinds, limit, kind = {
        "missing": (str(tree / "no-such"), None, 2000, NotFound),
        "file": (str(tree / "web.vhd"), None, 2000, UsageError),
        "relative": ("tree", None, 2000, UsageError),
        "tilde": ("~/x", None, 2000, UsageError),
        "kinds": (str(tree), ["vhd"], 2000, UsageError),
        "kinds-type": (str(tree), "vhd", 2000, UsageError),
        "limit": (str(tree), None, 0, UsageError),
    }[what]
    e = raises(kind, lambda: host.conn.browse(path, kinds=kinds, limit=limit), f"{host.kind}: browse {what}")
    message = str(e)
    assert message and "\n" not in message and "Traceback" not in message, message
    if what in ("missing", "file"):
        assert path in message, message
    assert host.conn.vms() is not None  # the host is still there


@pytest.mark.skipif(os.getuid() == 0, reason="root reads every folder")
def test_a_folder_the_host_cannot_read_is_refused_with_the_reason(host, tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o000)
    try:
        e = raises(BulkheadError, lambda: host.conn.browse(str(closed)), f"{host.kind}: browse a closed folder")
        assert "permission denied" in str(e) and str(closed) in str(e), str(e)
    finally:
        closed.chmod(0o700)
