"""The shared folder listing of host.browse (core/hosts/browse.py) where the contract suite cannot reach: a folder
the host may not read, a file system that does not answer, names no request could name back, special files that
must never be opened, and a libvirt host on another machine, which refuses with the reason."""

from __future__ import annotations

import os
import threading
import time

import pytest

from core.hosts import browse
from core.model.errors import OperationFailed, StateError, UsageError


def test_a_folder_that_cannot_be_read_is_refused_naming_the_user(tmp_path, monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(browse.os, "scandir", denied)
    with pytest.raises(UsageError) as e:
        browse.list_folder(str(tmp_path), where="host rack1")
    assert "permission denied on host rack1 (the host service runs as" in str(e.value)
    assert str(tmp_path) in str(e.value) and e.value.to_dict()["code"] == "path.denied"


def test_a_file_system_that_does_not_answer_is_an_error_in_bounded_time(tmp_path, monkeypatch):
    release = threading.Event()
    real_stat = os.stat

    def hung(path, *a, **kw):
        if str(path) == str(tmp_path):
            release.wait(30)  # a network mount that no longer answers
        return real_stat(path, *a, **kw)

    monkeypatch.setattr(browse.os, "stat", hung)
    started = time.monotonic()
    try:
        with pytest.raises(OperationFailed, match="did not answer within 0.3 s"):
            browse.list_folder(str(tmp_path), seconds=0.3)
        assert time.monotonic() - started < 5
    finally:
        release.set()


def test_a_folder_read_too_slowly_is_answered_in_part_and_said_cut(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"f{i}").write_bytes(b"")
    real = os.scandir

    class Slow:
        def __init__(self, path):
            self.it = real(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.it.close()

        def __iter__(self):
            for n, entry in enumerate(self.it):
                if n == 2:
                    time.sleep(1.0)
                yield entry

    monkeypatch.setattr(browse.os, "scandir", Slow)
    listing = browse.list_folder(str(tmp_path), seconds=0.3)
    assert listing["truncated"] is True and 1 <= len(listing["entries"]) < 5


def test_names_no_request_could_name_are_left_out_and_counted(tmp_path):
    (tmp_path / "fine.vhd").write_bytes(b"")
    (tmp_path / "bidi\u202eevil.vhd").write_bytes(b"")
    os.close(os.open(os.fsencode(tmp_path) + b"/bad-\xff.vhd", os.O_CREAT | os.O_WRONLY, 0o600))
    listing = browse.list_folder(str(tmp_path))
    assert [e["name"] for e in listing["entries"]] == ["fine.vhd"] and listing["skipped"] == 2


def test_special_files_are_listed_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # opening it would block until a writer came
    listing = browse.list_folder(str(tmp_path), seconds=2.0)
    assert [(e["name"], e["type"]) for e in listing["entries"]] == [("pipe", "other")]
    assert browse.list_folder(str(tmp_path), kinds=[".img"])["entries"] == []


def test_proc_is_listed_like_any_folder(tmp_path):
    listing = browse.list_folder("/proc/self", limit=5)
    assert listing["path"].startswith("/proc/") and len(listing["entries"]) == 5 and listing["truncated"] is True


@pytest.mark.parametrize("kinds", [[".vhd", 3], [""], ["vhd"], [".a/b"], [".x" * 20], [" .iso"], "dir"])
def test_a_bad_filter_is_a_usage_error(tmp_path, kinds):
    with pytest.raises(UsageError, match="host.browse"):
        browse.list_folder(str(tmp_path), kinds=kinds)


def test_a_libvirt_host_on_another_machine_refuses_with_the_reason(tmp_path):
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    from core.api import Connection
    from core.libvirt import LibvirtTransport

    t = LibvirtTransport("qemu+tcp://127.0.0.1:1/system", tmp_path, connect_timeout=1, wait=0)
    conn = Connection(t, "away")
    try:
        caps = conn.capabilities()
        reason = caps["reasons"]["browse"]
        assert caps["browse"] is False and reason.startswith("browsing folders needs a local libvirt connection")
        with pytest.raises(StateError) as e:
            conn.browse("/var/lib/libvirt/images")
        assert reason in str(e.value) and "unknown method" not in str(e.value)
    finally:
        conn.close()


def test_a_local_libvirt_uri_lists_this_machine_while_its_daemon_is_away(tmp_path):
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    from core.api import Connection
    from core.libvirt import LibvirtTransport

    (tmp_path / "a.qcow2").write_bytes(b"")
    t = LibvirtTransport("qemu:///session", tmp_path / "state", connect_timeout=1, wait=0)
    conn = Connection(t, "session")
    try:
        assert conn.capabilities()["browse"] is True
        listing = conn.browse(str(tmp_path), kinds=[".qcow2"])
        assert [e["name"] for e in listing["entries"]] == ["state", "a.qcow2"]  # its state folder, then the disk
    finally:
        conn.close()
