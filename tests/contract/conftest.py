"""The host contract, run against every kind of host available here (docs/architecture.md: "One contract test
suite runs against each kind of host"):

- ``embedded``: the host service in this process (``api.connect(home, embedded=True)``);
- ``socket``: the local host service in its own process, over its Unix socket (``api.connect(home)``);
- ``libvirt-test``: a libvirt connection to libvirt's test driver (``test:///default``: no daemon, its domains start
  at once), skipped where libvirt-python is missing;
- ``remote-tls`` and ``remote-ssh``: a host service in its own process with its own home, reached over TLS with
  client certificates and over OpenSSH (tests/remotehosts.py), skipped where cryptography or sshd is missing.

The ``host`` fixture gives a ``Host``: the connection and what that kind of host supports. One host of each kind
serves the whole suite; each test makes VMs with names of its own (``host.new_vm``) and they are removed after it.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core import api
from core.model.errors import BulkheadError

from ..elfkit import make_elf
from ..helpers.events import EventLog

MiB = 1 << 20
SMALL = 32 * MiB
WAIT = 20.0  # seconds a job of the contract may take at most (the machine is shared: generous, but never slept)
KINDS = ("embedded", "socket", "libvirt-test", "remote-tls", "remote-ssh")
REMOTE = ("remote-tls", "remote-ssh")

# A guest that never powers off: it sets its sleep deadline to the end of time and sleeps on the platform's sleep
# port for ever, whatever the host asks. A shut-down job on it stays Running until cancelled (or it times out).
#   movabs rax, 0x7fffffffffffffff ; mov [0x1400], rax (boot info + mailbox of vCPU 0) ; mov dx, 0x500
#   1: out dx, al ; jmp 1b
DEAF_GUEST = make_elf(bytes.fromhex("48b8ffffffffffffff7f" "48890425" "00140000" "66ba0005" "ee" "ebfd"))


def _remote_missing(kind: str) -> str:
    if kind == "remote-ssh":
        from ..remotehosts import sshd_missing

        return sshd_missing()
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return "the cryptography library is not installed (pip install 'cryptography>=41')"
    return ""


def _libvirt_missing() -> str:
    try:
        import libvirt  # noqa: F401
    except ImportError:
        return "libvirt-python is not installed (tools/ci-libvirt.sh install)"
    return ""


@dataclass
class Host:
    kind: str
    conn: api.Connection
    home: Path
    deaf_image: str = ""  # a guest that ignores shut-down requests ("" where this kind runs no image of ours)
    far: object = None  # the remote test host (tests/remotehosts.py) of a remote kind
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))
    made: list[str] = field(default_factory=list)

    def name(self, stem: str = "vm") -> str:
        """A VM name no other test of this run uses."""
        return f"c-{stem}-{os.getpid() % 1000}-{next(self._names)}"

    def new_vm(self, stem: str = "vm", memory: int = SMALL, start: bool = False, **settings) -> str:
        """Create a small VM (started with ``start``) and wait for it; returns its name."""
        name = self.name(stem)
        self.made.append(name)
        job = self.conn.new_vm(name, memory=memory, start=start, **settings).wait(WAIT)
        assert job.state == "Completed", f"{self.kind}: new VM {name}: {job.state} {job.error}"
        return name

    def run(self, job: api.Job, state: str = "Completed") -> api.Job:
        """Wait for ``job`` (with a deadline) and check it ended in ``state``."""
        done = job.wait(WAIT)
        assert done.state == state, f"{self.kind}: {done.name} '{done.target_name}': {done.state} {done.error}"
        return done

    def state(self, vm: str) -> str:
        return self.conn.vm(vm).state

    def job_ids(self) -> list[int]:
        return [j.id for j in self.conn.jobs(limit=10_000)]

    def clean_up(self) -> None:
        for name in self.made:
            try:
                vm = self.conn.vm(name)
            except BulkheadError:
                continue
            try:
                if vm.state not in ("Off", "Saved"):
                    self.conn.stop_vm(name, mode="turn_off").wait(WAIT)
                self.conn.remove_vm(name).wait(WAIT)
            except BulkheadError:
                pass
        self.made.clear()


class Events(EventLog):
    """Every event of a connection, recorded from the moment it is made; waits have deadlines."""

    timeout = WAIT

    def timed_out(self, timeout: float) -> None:
        seen = [(k, d.get("name"), d.get("state")) for k, d in self.items if not k.startswith("job.")]
        raise AssertionError(f"no such event within {timeout:g} s; got {seen}")

    def about(self, vm_id: str, kinds=("vm.added", "vm.changed", "vm.removed")) -> list[tuple[str, dict]]:
        with self.cond:
            return [(k, d) for k, d in self.items if k in kinds and d.get("id") == vm_id]


def _open(kind: str, home: Path) -> Host:
    if kind == "embedded":
        return Host(kind, api.connect(str(home), embedded=True), home)
    if kind == "socket":
        with pytest.MonkeyPatch.context() as mp:  # the service it starts keeps everything under home
            mp.setenv("BULKHEAD_HOME", str(home))
            return Host(kind, api.connect(str(home)), home)
    if kind in REMOTE:
        missing = _remote_missing(kind)
        if missing:
            pytest.skip(missing)
        from ..remotehosts import SshHost, TlsHost

        far = TlsHost(home).start() if kind == "remote-tls" else SshHost(home).start()
        try:
            return Host(kind, api.connect(uri=far.uri if kind == "remote-tls" else far.uri()), home, far=far)
        except BaseException:
            far.stop()
            raise
    missing = _libvirt_missing()
    if missing:
        pytest.skip(missing)
    return Host(kind, api.connect(str(home), uri="test:///default"), home)


def _stop_service(host: Host) -> None:
    """Stop the socket host service and wait (with a deadline) until its socket answers no more."""
    from core.hosts.paths import HostPaths

    try:
        host.conn.call("host.stop")
    finally:
        host.conn.close()
    socket = HostPaths.resolve(str(host.home)).socket
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            api.connect(str(host.home), autostart=False).close()
        except BulkheadError:
            return
        except OSError:
            return
        time.sleep(0.05)
    raise AssertionError(f"the host service at {socket} is still answering 30 s after host.stop")


# package scope: a libvirt test:///default connection left open would keep its driver state (domains, volumes) alive
# for the tests after this package
@pytest.fixture(scope="package", params=KINDS)
def _host(request, tmp_path_factory):
    kind = request.param
    home = tmp_path_factory.mktemp(kind.replace("-", ""))
    host = _open(kind, home)
    if kind in ("embedded", "socket", *REMOTE):
        image = home / "deaf.elf"
        image.write_bytes(DEAF_GUEST)
        host.deaf_image = str(image)
    yield host
    host.clean_up()
    if kind == "socket":
        _stop_service(host)
    else:
        host.conn.close()
    if host.far is not None:
        host.far.stop()


@pytest.fixture
def host(_host):
    """The host of one kind (see the module's docstring); the VMs a test made are removed after it."""
    yield _host
    _host.clean_up()


@pytest.fixture
def events(host):
    ev = Events(host.conn)
    yield ev
    ev.unsubscribe()


def raises(kind: type[BaseException], call, what: str) -> BaseException:
    """The ``kind`` of error ``call()`` raises; fails naming ``what`` was tried, and what came back instead."""
    try:
        result = call()
    except kind as e:
        return e
    except Exception as e:  # noqa: BLE001 - said in the failure
        raise AssertionError(f"{what}: raised {type(e).__name__}: {e} (expected {kind.__name__})") from e
    raise AssertionError(f"{what}: answered {result!r} (expected {kind.__name__})")


def refused(caps: dict, capability: str) -> str:
    """The reason a host gives for not offering ``capability`` ("" if it offers it)."""
    return "" if caps.get(capability) else caps["reasons"].get(capability, "")
