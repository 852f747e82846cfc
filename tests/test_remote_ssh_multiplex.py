"""bulkhead+ssh:// links share one ssh connection per host (OpenSSH's ControlMaster): the request link and every
event stream ride on one authenticated session, whose control socket lives in a private folder; a control socket
left behind by a dead connection does not stop connecting; a cut link still ends the shared connection (its
keepalives), and the host is reached again afterwards."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import threading
import time

import pytest

from core import api
from core.remote.links import SUN_PATH_MAX, SshLink, control_dir
from core.remote.uri import parse_uri

from .helpers.remote import far_fixture
from .helpers.waiting import wait_until
from .remotehosts import SshHost, sshd_missing
from .test_remote_tls import Forwarder

pytestmark = pytest.mark.skipif(bool(sshd_missing()), reason=sshd_missing() or "sshd is here")
DEADLINE = 30.0

far = far_fixture(SshHost, "ssh-mux")


@pytest.fixture
def fresh(far, tmp_path):
    """A URI of the far host of its own (its known_hosts file copied to a path of this test, so no shared
    connection of another test is reused), and its link; the shared connection is ended afterwards."""
    known = tmp_path / "known_hosts"
    known.write_text((far.keys / "known_hosts").read_text())
    uri = far.uri(known_hosts=known)
    link = SshLink(parse_uri(uri))
    yield uri, link
    link.exit_master()


def authentications(far) -> int:
    return far.log.read_text(errors="replace").count("Accepted publickey")


def sessions(far) -> int:
    return far.log.read_text(errors="replace").count("Starting session")


def master_pid(link: SshLink) -> int | None:
    done = link.control("check")
    found = re.search(r"pid=(\d+)", done.stderr + done.stdout) if done is not None and done.returncode == 0 else None
    return int(found.group(1)) if found else None


def test_the_control_folder_is_private_and_short_enough_for_a_socket(far, fresh):
    _uri, link = fresh
    folder = control_dir()
    assert folder and link.control_path and os.path.dirname(link.control_path) == folder
    st = os.lstat(folder)
    assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o700
    assert len(link.control_path) + 17 <= SUN_PATH_MAX  # ssh binds PATH.<16 random characters> first
    argv = link.argv(10)
    assert "ControlMaster=auto" in argv and f"ControlPath={link.control_path}" in argv
    assert "ControlPersist=60" in argv
    assert any(a.startswith("ServerAliveInterval=") for a in argv) and "BatchMode=yes" in argv  # keepalives stay
    # another key or known_hosts file never rides on a connection authenticated with another
    other = SshLink(parse_uri(far.uri(keyfile=far.keys / "stranger_key")))
    assert other.control_path != link.control_path
    assert SshLink(parse_uri(far.uri())).control_path != link.control_path


def test_sharing_can_be_turned_off(far, fresh, monkeypatch):
    uri, _link = fresh
    monkeypatch.setenv("BULKHEAD_SSH_SHARE", "0")
    link = SshLink(parse_uri(uri))
    assert link.control_path is None and not any(a.startswith("Control") for a in link.argv(10))
    assert link.control("check") is None
    with api.connect(uri=uri) as conn:
        assert conn.vms() is not None
        monkeypatch.delenv("BULKHEAD_SSH_SHARE")
        assert master_pid(SshLink(parse_uri(uri))) is None  # it connected on its own: no shared connection made


def test_two_channels_share_one_ssh_connection_and_one_authentication(far, fresh):
    uri, link = fresh
    assert master_pid(link) is None
    before_auth, before_sessions = authentications(far), sessions(far)
    added = threading.Event()
    started = time.monotonic()
    with api.connect(uri=uri) as conn:
        cold = time.monotonic() - started
        pid = master_pid(link)
        assert pid is not None, "no shared ssh connection after connecting"
        started = time.monotonic()
        conn.subscribe(lambda kind, data: added.set() if kind == "vm.added" else None)  # a second channel
        second = time.monotonic() - started
        print(f"cold connect {cold * 1000:.0f} ms, second channel {second * 1000:.0f} ms")
        conn.new_vm("mux-vm", memory="32M").wait(DEADLINE)
        assert added.wait(DEADLINE), "no event over the second channel"
        assert master_pid(link) == pid  # both rode on the same connection
        wait_until(lambda: authentications(far) - before_auth >= 1, 5.0, "sshd's log of the login")
        assert authentications(far) - before_auth == 1, "each channel authenticated on its own"
        assert sessions(far) - before_sessions == 2  # a request channel and an event stream
        conn.remove_vm("mux-vm").wait(DEADLINE)
    # a new connection soon after reuses it too (ControlPersist): no new login
    with api.connect(uri=uri) as conn:
        assert conn.vms() is not None
        assert master_pid(link) == pid
    assert authentications(far) - before_auth == 1


@pytest.mark.parametrize("leftover", ["socket", "file"])
def test_a_stale_control_socket_does_not_stop_connecting(far, fresh, leftover):
    uri, link = fresh
    path = link.control_path
    if leftover == "socket":  # what a killed ssh leaves: a socket file nobody listens on
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.close()
    else:
        with open(path, "w") as f:
            f.write("not a socket")
    assert os.path.exists(path) and master_pid(link) is None
    with api.connect(uri=uri) as conn:
        assert conn.vms() is not None
        assert conn.status()["state"] == "connected"
    assert master_pid(link) is not None  # ssh replaced it with a live shared connection


def test_a_killed_shared_connection_is_seen_and_replaced(far, fresh):
    uri, link = fresh
    conn = api.connect(uri=uri)
    try:
        added, heard = threading.Event(), []
        conn.subscribe(lambda kind, data: heard.append(kind) or (added.set() if kind == "vm.added" else None))
        pid = master_pid(link)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: conn.status()["state"] == "disconnected", 5.0, "disconnected")
        wait_until(lambda: conn.status()["state"] == "connected", DEADLINE, "reconnected")
        assert master_pid(link) not in (None, pid)
        del heard[:]
        wait_until(lambda: "metrics" in heard, DEADLINE, "the event stream again")  # the host ticks each second
        conn.new_vm("mux-again", memory="32M").wait(DEADLINE)
        assert added.wait(DEADLINE), "events were not subscribed again"
        conn.remove_vm("mux-again").wait(DEADLINE)
    finally:
        conn.close()


def test_a_cut_link_ends_the_shared_connection_and_the_host_is_reached_again(far, tmp_path):
    relay = Forwarder(far.port)
    known = tmp_path / "known_hosts_relay"
    key = (far.keys / "host_key.pub").read_text().split()
    known.write_text(f"[127.0.0.1]:{relay.port} {key[0]} {key[1]}\n")
    uri = far.uri(known_hosts=known).replace(f":{far.port}/", f":{relay.port}/")
    link = SshLink(parse_uri(uri))
    conn = None
    try:
        conn = api.connect(uri=uri)
        conn.subscribe(lambda kind, data: None)
        assert master_pid(link) is not None
        relay.frozen.set()  # bytes stop both ways, nothing is closed
        cut = time.monotonic()
        wait_until(lambda: conn.status()["state"] == "disconnected", 5.0, "disconnected after the cut")
        # the shared connection's own keepalives (ServerAliveInterval, ServerAliveCountMax) end it
        wait_until(lambda: master_pid(link) is None, 15.0, "the shared connection to end")
        print(f"the shared connection ended {time.monotonic() - cut:.1f} s after the cut")
        relay.frozen.clear()
        wait_until(lambda: conn.status()["state"] == "connected", DEADLINE, "reconnected")
        assert conn.vms() is not None and master_pid(link) is not None
    finally:
        if conn is not None:
            conn.close()
        link.exit_master()
        relay.close()
