"""Remote test hosts: host services started as separate "machines" on this one, each with its own BULKHEAD_HOME,
reached the way a remote host is (no root needed for the TLS host; the SSH host needs Debian's openssh-server):

- ``TlsHost``: ``bulkhead host serve --listen 127.0.0.1:PORT`` with a CA, a host certificate for 127.0.0.1 and
  localhost, and a client bundle ("tester", allowed) imported into a client folder of its own;
- ``SshHost``: an sshd on a loopback port with a host key, a user key, authorized_keys and known_hosts made at
  start; the far side runs this checkout's ``bulkhead host proxy`` with its own home (the host service starts on
  first use, as it would on another machine).

Everything started is stopped by ``stop()``; every wait has a deadline. Used by the pytest fixtures
(tests/test_remote_*.py, tests/contract/conftest.py), benchmarks/remote.py and tools/test-hosts.sh
(``python -m tests.remotehosts up|down STATE_DIR``).
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
START_WAIT = 30.0
STOP_WAIT = 30.0


def bulkhead_command() -> str:
    """How the far side runs this checkout's bulkhead (its venv's script, else python -m core.cli)."""
    script = Path(PYTHON).with_name("bulkhead")
    return str(script) if script.exists() else shlex.join([PYTHON, "-m", "core.cli"])


def far_command(backend: str | None) -> str:
    """The far side's bulkhead, with the backend a test asked for."""
    return (f"env BULKHEAD_BACKEND={backend} " if backend else "") + bulkhead_command()


def ssh_uri(user: str, address: str, port: int, home, command: str, keyfile, known_hosts) -> str:
    """bulkhead+ssh:// to a test sshd whose far side runs ``command`` with ``home``."""
    options = {"home": str(home), "command": command, "keyfile": str(keyfile), "known_hosts": str(known_hosts)}
    query = "&".join(f"{k}={quote(v, safe='/')}" for k, v in options.items())
    return f"bulkhead+ssh://{user}@{address}:{port}/?{query}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen | None, deadline: float, log: Path | None = None,
              address: str = "127.0.0.1", error: type[Exception] = RuntimeError) -> None:
    """Until ``address:port`` takes a TCP connection; ``error`` (with the last lines of ``log``) when ``proc`` exits
    first or ``deadline`` passes."""
    while True:
        try:
            socket.create_connection((address, port), timeout=1.0).close()
            return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise error(f"exited with code {proc.returncode} before listening on {address}:{port}: {tail(log)}")
        if time.monotonic() > deadline:
            raise error(f"not listening on {address}:{port} within {START_WAIT:g} s: {tail(log)}")
        time.sleep(0.05)


def wait_socket(home: Path, proc: subprocess.Popen, deadline: float, log: Path) -> None:
    """Until the host service of ``home`` answers on its socket."""
    from core.api.transport import SocketTransport
    from core.hosts.paths import HostPaths
    from core.model.errors import BulkheadError

    path = HostPaths.resolve(home).socket
    while True:
        try:
            SocketTransport(path).close()
            return
        except (OSError, BulkheadError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"exited with code {proc.returncode} before serving {path}: {tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not serving {path} after {START_WAIT:g} s: {tail(log)}")
        time.sleep(0.05)


def tail(log: Path | None) -> str:
    try:
        lines = log.read_text(errors="replace").strip().splitlines() if log else []
    except OSError:
        return ""
    return " | ".join(lines[-3:])


def stop_process(proc: subprocess.Popen | None, wait: float = STOP_WAIT) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def stop_service(home: Path, wait: float = STOP_WAIT) -> None:
    """Stop the host service of ``home`` (if one runs) and wait until its process is gone."""
    from core import api
    from core.model.errors import BulkheadError

    try:
        conn = api.connect(str(home), autostart=False)
    except (BulkheadError, OSError):
        return
    try:
        pid = conn.host_info()["pid"]
        conn.call("host.stop")
    except BulkheadError:
        return
    finally:
        conn.close()
    if not _gone_within(pid, wait):
        os.kill(pid, signal.SIGKILL)


def _gone_within(pid: int, wait: float) -> bool:
    """Whether process ``pid`` is gone within ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def make_certs(home: Path, client: Path, ca_name: str, names: list[str], client_name: str) -> None:
    """A CA and a host certificate for ``names`` in ``home``'s pki (once), and a client bundle ``client_name``
    allowed there and imported into the client folder ``client``."""
    from core.hosts.certs import Pki

    pki = Pki(home / "pki")
    if not pki.ca_cert.exists():
        pki.make_ca(ca_name)
        pki.make_host(names)
        bundle = pki.make_client(client_name)["bundle"]
        pki.allow(client_name)
        Pki(client).import_bundle(bundle)


def make_keys(keys: Path, names: tuple[str, ...]) -> None:
    """The ed25519 keys ``names`` in ``keys`` (those not made yet) and authorized_keys holding user_key.pub."""
    keys.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in names:
        if not (keys / name).exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(keys / name)],
                           check=True, timeout=30, stdin=subprocess.DEVNULL, capture_output=True)
    (keys / "authorized_keys").write_text((keys / "user_key.pub").read_text())


def sshd_config(keys: Path, address: str, port: int) -> Path:
    """An sshd_config in ``keys`` for a test sshd on ``address:port`` (its host key, pid file, authorized_keys
    there; keys only, no PAM)."""
    config = keys / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", f"ListenAddress {address}", f"HostKey {keys / 'host_key'}",
        f"PidFile {keys / 'sshd.pid'}", f"AuthorizedKeysFile {keys / 'authorized_keys'}",
        "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "PrintMotd no", "LogLevel VERBOSE",
        "MaxStartups 64:30:128", "MaxSessions 64", "ClientAliveInterval 0"]) + "\n")
    return config


class TlsHost:
    client_name = "tester"

    def __init__(self, root: Path, backend: str | None = None) -> None:
        self.root = Path(root)
        self.home = self.root / "host"  # the far "machine"'s BULKHEAD_HOME (store, socket, pki)
        self.client = self.root / "client-pki"  # the client's certificate folder
        self.backend = backend
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"bulkhead+tls://127.0.0.1:{self.port}/?pkipath={quote(str(self.client))}"

    @property
    def log(self) -> Path:
        return self.home / "serve.log"

    def make_certs(self) -> None:
        make_certs(self.home, self.client, "Test CA", ["127.0.0.1", "localhost", "::1"], self.client_name)

    def start(self, port: int | None = None) -> TlsHost:
        self.make_certs()
        self.port = port or self.port or free_port()
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [PYTHON, "-m", "core.cli", "--home", str(self.home), "host", "serve",
                 *(["--backend", self.backend] if self.backend else []), "--listen", f"127.0.0.1:{self.port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=REPO, start_new_session=True,
                env=dict(os.environ, BULKHEAD_HOME=str(self.home)))
        try:
            deadline = time.monotonic() + START_WAIT
            wait_port(self.port, self.proc, deadline, self.log)
            wait_socket(self.home, self.proc, deadline, self.log)  # bound after the TLS port
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        """The far side dies at once (SIGKILL): no goodbye to its clients."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None


def sshd_missing() -> str:
    """Why no test sshd can run here ("" if it can)."""
    sshd = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else "")
    if not sshd:
        return "sshd is not installed (apt-get install openssh-server; ./setup.sh test does)"
    for tool in ("ssh", "ssh-keygen"):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install openssh-client)"
    if not os.path.isdir("/run/sshd"):
        if os.getuid() != 0:
            return "sshd needs its privilege separation folder /run/sshd (made by root)"
    return ""


class FarSide:
    """A test host whose far side runs this checkout's bulkhead with the backend it was given (``self.backend``)."""

    backend: str | None = None

    @property
    def command(self) -> str:
        return far_command(self.backend)


class SshHost(FarSide):
    def __init__(self, root: Path, backend: str | None = None) -> None:
        self.root = Path(root)
        self.home = self.root / "far-home"  # the far side's BULKHEAD_HOME
        self.keys = self.root / "ssh"
        self.backend = backend
        self.port = 0
        self.user = getpass.getuser()
        self.proc: subprocess.Popen | None = None

    def uri(self, command: str | None = None, known_hosts: Path | None = None, keyfile: Path | None = None,
            home: Path | None = None) -> str:
        return ssh_uri(self.user, "127.0.0.1", self.port, home or self.home, command or self.command,
                       keyfile or self.keys / "user_key", known_hosts or self.keys / "known_hosts")

    @property
    def log(self) -> Path:
        return self.keys / "sshd.log"

    def start(self) -> SshHost:
        missing = sshd_missing()
        if missing:
            raise RuntimeError(missing)
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        make_keys(self.keys, ("host_key", "user_key", "stranger_key"))
        self.port = self.port or free_port()
        host_key = (self.keys / "host_key.pub").read_text().split()
        (self.keys / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key[0]} {host_key[1]}\n")
        (self.keys / "empty_known_hosts").write_text("")
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        config = sshd_config(self.keys, "127.0.0.1", self.port)
        self.proc = subprocess.Popen([sshd, "-D", "-f", str(config), "-E", str(self.log)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_port(self.port, self.proc, time.monotonic() + START_WAIT, self.log)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_service(self.home)
        stop_process(self.proc)
        self.proc = None


# --- tools/test-hosts.sh ------------------------------------------------------------------------------------------
def _up(state: Path) -> None:
    state.mkdir(parents=True, exist_ok=True)
    tls = TlsHost(state / "tls").start()
    out = {"tls": {"uri": tls.uri, "pid": tls.proc.pid, "home": str(tls.home)}}
    missing = sshd_missing()
    if missing:
        out["ssh"] = {"skipped": missing}
    else:
        ssh = SshHost(state / "ssh").start()
        out["ssh"] = {"uri": ssh.uri(), "pid": ssh.proc.pid, "home": str(ssh.home)}
    (state / "hosts.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


def _down(state: Path) -> None:
    try:
        hosts = json.loads((state / "hosts.json").read_text())
    except (OSError, ValueError):
        print(f"no test hosts recorded in {state}")
        return
    for kind, host in hosts.items():
        if "home" in host and kind == "ssh":
            stop_service(Path(host["home"]))
        pid = host.get("pid")
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            if not _gone_within(pid, STOP_WAIT):
                os.kill(pid, signal.SIGKILL)
        print(f"stopped the {kind} test host")
    (state / "hosts.json").unlink()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("up", "down"):
        sys.exit("usage: python -m tests.remotehosts up|down STATE_DIR")
    (_up if sys.argv[1] == "up" else _down)(Path(sys.argv[2]).resolve())
