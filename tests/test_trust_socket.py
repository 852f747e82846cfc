"""A client trusts only a host service of its own user: a socket (or socket folder) another user owns or can write
to is refused before connecting, a service running as another user after; a service that cannot start is reported
at once with its reason, not after a long wait."""

import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from core import api
from core.model.errors import ProtocolError

from .conftest import ROOT

as_root = pytest.mark.skipif(os.getuid() != 0, reason="making files of another uid needs root")
FAKE_VMS = [{"id": "f" * 32, "name": "planted-by-someone-else", "state": "Running"}]


class FakeService:
    """Listens on ``path`` and answers every request with a VM list someone else made up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.accepted = 0
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.bind(str(path))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.stopped = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            with conn:
                line = conn.makefile("rb").readline()
                if line:
                    conn.sendall(json.dumps({"id": json.loads(line).get("id"), "result": FAKE_VMS}).encode() + b"\n")

    def close(self) -> None:
        self.stopped = True
        self.sock.close()


def _home(tmp_path) -> Path:
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True, mode=0o700)
    os.chmod(home / "run", 0o700)
    return home


def _cli(home: Path, *args) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "BULKHEAD_HOME": str(home)}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=60,
                       env=env, cwd=ROOT)
    return r, time.monotonic() - t0


def test_a_socket_folder_others_can_write_to_is_refused(tmp_path):
    home = _home(tmp_path)
    fake = FakeService(home / "run" / "host.sock")
    os.chmod(home / "run", 0o777)
    try:
        r, _ = _cli(home, "vm", "list")
        assert r.returncode == 1 and "planted" not in r.stdout
        assert r.stderr.strip() == (f"bulkhead: refusing {home / 'run'}: other users can write to it (mode 0777); "
                                    f"only its owner may (chmod go-w {home / 'run'})")
        assert fake.accepted == 0
    finally:
        fake.close()


def test_a_socket_others_can_write_to_is_refused(tmp_path):
    home = _home(tmp_path)
    fake = FakeService(home / "run" / "host.sock")
    os.chmod(home / "run" / "host.sock", 0o666)
    try:
        with pytest.raises(ProtocolError, match=r"host.sock: other users can write to it \(mode 0666\)"):
            api.connect(str(home))
        assert fake.accepted == 0
    finally:
        fake.close()


@as_root
@pytest.mark.parametrize("what", ["folder", "socket"])
def test_a_socket_or_folder_of_another_user_is_refused(tmp_path, what):
    home = _home(tmp_path)
    fake = FakeService(home / "run" / "host.sock")
    owned = home / "run" if what == "folder" else home / "run" / "host.sock"
    os.chown(owned, 1001, 1001)
    try:
        r, took = _cli(home, "vm", "list")
        assert r.returncode == 1 and "planted" not in r.stdout
        assert f"refusing {owned}: it belongs to uid 1001, not to this user (uid 0)" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert fake.accepted == 0 and took < 10
    finally:
        fake.close()


SERVE_AS_1001 = """
import os, socket, sys, time
os.setgid(1001); os.setuid(1001)
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
print("listening", flush=True)
while True:
    c, _ = s.accept(); line = c.makefile("rb").readline()
    c.sendall(b'{"id": 1, "result": []}\\n'); c.close()
"""


@as_root
def test_a_service_running_as_another_user_is_refused_after_connecting():
    folder = Path(tempfile.mkdtemp(prefix="bulkhead-trust-"))
    os.chown(folder, 1001, 1001)
    path = folder / "host.sock"
    server = subprocess.Popen([sys.executable, "-c", SERVE_AS_1001, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline() == "listening\n"
        os.chown(folder, 0, 0)  # the files look like ours now; the process behind them is not
        os.chown(path, 0, 0)
        os.chmod(path, 0o600)
        from core.api.transport import SocketTransport

        with pytest.raises(ProtocolError, match=rf"refusing the host service at {path}: it runs as uid 1001 "):
            SocketTransport(path).call("vm.list")
    finally:
        server.kill()
        server.wait()
        path.unlink(missing_ok=True)
        folder.rmdir()


def test_a_service_that_cannot_start_is_reported_at_once(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "vms").write_text("not a folder")  # the service refuses such a store and exits
    r, took = _cli(home, "vm", "list")
    print(f"a refused start was reported after {took:.2f} s")
    assert r.returncode == 1
    assert "the host service did not start" in r.stderr and f"{home / 'vms'} is not a folder" in r.stderr
    assert f"(see {home / 'host.log'})" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert took < 10  # it was 20 s: the time the client waited for a socket that never came
    assert stat.S_IMODE((home / "host.log").stat().st_mode) == 0o600


@as_root
def test_a_store_of_another_user_is_reported_at_once(tmp_path):
    home = tmp_path / "home"
    (home / "vms").mkdir(parents=True)
    os.chown(home / "vms", 1001, 1001)
    r, took = _cli(home, "vm", "list")
    assert r.returncode == 1 and f"{home / 'vms'} belongs to uid 1001" in r.stderr and took < 10
    home_run = tmp_path / "home2" / "run"
    home_run.mkdir(parents=True)
    os.chown(home_run, 1001, 1001)
    r, took = _cli(home_run.parent, "vm", "list")
    assert r.returncode == 1 and f"refusing {home_run}: it belongs to uid 1001" in r.stderr and took < 10
