"""Saved connections of every kind (core/hosts/connections.py through core.api): remote Bulkhead hosts over SSH or
TLS beside libvirt hosts, the file libvirt connections were always kept in, the connection test before saving
(api.test_connection) and `bulkhead host add|list|remove` for each kind."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time

import pytest

from core import api
from core.hosts.connections import FILE_NAME, ConnectionStore
from core.model.errors import NotFound, UsageError

from .conftest import ROOT, Cli
from .helpers.remote import far_fixture
from .remotehosts import TlsHost


@pytest.fixture
def home(tmp_path):
    return str(tmp_path / "home")


def test_every_kind_is_saved_and_listed_with_its_kind(home):
    ssh = api.add_connection("bulkhead+ssh://admin@rack1:2222/?home=/srv/bulkhead", group="Lab", home=home)
    tls = api.add_connection("bulkhead+tls://rack2.example.org", name="rack2", home=home)
    lv = api.add_connection("test:///default", home=home)
    assert (ssh["kind"], ssh["name"], ssh["group"]) == ("bulkhead", "admin@rack1:2222", "Lab")
    assert (tls["kind"], tls["name"]) == ("bulkhead", "rack2")
    assert (lv["kind"], lv["name"]) == ("libvirt", "test default")
    saved = api.saved_connections(home)
    assert [(e["uri"], e["kind"]) for e in saved] == [
        ("bulkhead+ssh://admin@rack1:2222/?home=/srv/bulkhead", "bulkhead"),
        ("bulkhead+tls://rack2.example.org", "bulkhead"), ("test:///default", "libvirt")]
    assert api.remove_connection("rack2", home=home)["uri"] == "bulkhead+tls://rack2.example.org"
    with pytest.raises(NotFound):
        api.remove_connection("rack2", home=home)
    assert len(api.saved_connections(home)) == 2


@pytest.mark.parametrize("uri, why", [
    ("bulkhead+ssh://", "name the host"),
    ("bulkhead+tls://admin@rack1", "takes no user name"),
    ("bulkhead+ssh://rack1/some/path", "has no path"),
    ("bulkhead+ssh://user:secret@rack1", "no password"),
    ("bulkhead+tls://rack1/?home=/x", "unknown option"),
    ("bulkhead+tls://rack1:0", "port"),
    ("qemu:///", "/system or /session"),
    ("xen:///system", "unsupported scheme"),
    ("", "empty"),
])
def test_bad_uris_are_refused_with_the_reason_and_nothing_is_saved(home, uri, why):
    with pytest.raises(UsageError, match=why):
        api.add_connection(uri, home=home)
    with pytest.raises(UsageError, match=why):
        api.check_uri(uri)
    assert api.saved_connections(home) == []


def test_a_name_and_a_uri_are_saved_once_whatever_the_kind(home):
    api.add_connection("bulkhead+tls://rack1", name="rack1", home=home)
    with pytest.raises(UsageError, match="already saved"):
        api.add_connection("bulkhead+tls://rack1", name="other", home=home)
    with pytest.raises(UsageError, match="already exists"):
        api.add_connection("test:///default", name="RACK1", home=home)
    with pytest.raises(UsageError, match="control"):
        api.add_connection("test:///default", name="a\u202ename", home=home)


def test_a_file_saved_before_remote_hosts_still_loads(tmp_path):
    (tmp_path / FILE_NAME).write_text(json.dumps({"format": 1, "connections": [
        {"uri": "qemu+ssh://admin@rack1/system", "name": "rack1", "group": "Lab", "added": 1700000000.0},
        {"uri": "test:///default"}]}))
    store = ConnectionStore(tmp_path, check=api.describe_uri)
    assert store.list() == [
        {"uri": "qemu+ssh://admin@rack1/system", "kind": "libvirt", "name": "rack1", "group": "Lab",
         "added": 1700000000.0},
        {"uri": "test:///default", "kind": "libvirt", "name": "test default", "group": "", "added": 0.0}]
    store.add("bulkhead+ssh://admin@rack9")
    data = json.loads((tmp_path / FILE_NAME).read_text())
    assert data["format"] == 1 and [c["uri"] for c in data["connections"]] == [
        "qemu+ssh://admin@rack1/system", "test:///default", "bulkhead+ssh://admin@rack9"]


def test_a_remote_uri_does_not_import_libvirt():
    code = ("import sys, tempfile; from core import api; h = tempfile.mkdtemp(); "
            "api.add_connection('bulkhead+tls://rack1', home=h); api.saved_connections(h); "
            "api.check_uri('bulkhead+ssh://a@b'); assert not api.is_local_uri('bulkhead+ssh://a@b'); "
            "print(sorted(m for m in sys.modules if m.startswith('core.libvirt')))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


far = far_fixture(TlsHost, "saved-tls")


def test_the_connection_test_reports_the_hosts_facts_and_link(far):
    status = api.test_connection(far.uri, timeout=10)
    assert status["state"] == "connected", status
    assert status["kind"] == "bulkhead" and status["uri"] == far.uri
    assert status["version"] and status["hypervisor"] and status["vms"] == 0
    assert status["connect_ms"] > 0 and status["latency_ms"] >= 0


def test_the_connection_test_of_a_host_that_never_answers_ends_within_its_timeout():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts into its backlog and never says a word
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    try:
        started = time.monotonic()
        status = api.test_connection(f"bulkhead+tls://127.0.0.1:{silent.getsockname()[1]}", timeout=1.0)
        assert time.monotonic() - started < 6
        assert status["state"] == "disconnected" and status["reason"]
    finally:
        stop.set()
        silent.close()
        for s in held:
            s.close()


def test_the_connection_test_of_nothing_listening_says_why():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status = api.test_connection(f"bulkhead+tls://127.0.0.1:{port}", timeout=2.0)
    assert status["state"] == "disconnected" and status["reason"]


def test_a_bad_uri_is_not_a_connection_test():
    with pytest.raises(UsageError, match="name the host"):
        api.test_connection("bulkhead+ssh://", timeout=1)


def test_host_add_list_remove_for_every_kind(tmp_path, far):
    cli = Cli(tmp_path / "home")
    r = cli("host", "add", far.uri, "--name", "tls-test", "--group", "Lab", "--check", check=True)
    assert "saved" in r.stdout and "tls-test: connected" in r.stdout and " VMs" in r.stdout and " ms" in r.stdout
    cli("host", "add", "bulkhead+ssh://admin@rack1", check=True)
    cli("host", "add", "test:///default", "--name", "demo", check=True)
    listed = cli.json("host", "list")
    assert [(e["name"], e["kind"], e["group"]) for e in listed] == [
        ("tls-test", "bulkhead", "Lab"), ("admin@rack1", "bulkhead", ""), ("demo", "libvirt", "")]
    table = cli("host", "list", check=True).stdout
    assert "KIND" in table and "bulkhead+ssh://admin@rack1" in table
    status = {e["name"]: e["status"] for e in cli.json("host", "list", "--status", "--timeout", "3")}
    assert status["tls-test"]["state"] == "connected" and status["tls-test"]["version"]
    assert status["admin@rack1"]["state"] == "disconnected" and status["admin@rack1"]["reason"]
    assert "forgot 'admin@rack1'" in cli("host", "remove", "admin@rack1", check=True).stdout
    assert [e["name"] for e in cli.json("host", "list")] == ["tls-test", "demo"]
    bad = cli("host", "add", "bulkhead+tls://admin@rack1")
    assert bad.returncode == 2 and "takes no user name" in bad.stderr and "Traceback" not in bad.stderr
