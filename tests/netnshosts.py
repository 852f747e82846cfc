"""Remote test hosts as separate "machines" on this one (root only): each host service runs in a network namespace
of its own, with its own BULKHEAD_HOME, reachable only at an address inside that namespace.

- A Linux bridge ``bkhbr<N>`` in the root namespace holds 10.79.N.1/24; each host (``a``, ``b``, ``c``) is a
  namespace ``bkh-<tag>-<N>-<name>`` joined to the bridge by a veth pair (``bkh<N><name>-br`` on the bridge,
  ``bkh<N><name>-in`` inside, holding 10.79.N.2, .3, .4), so the hosts reach each other and this machine reaches
  them, and a link can be cut (``cut()``: the inner veth down), limited (``limit()``: tc tbf) or restored.
- Each namespace runs ``bulkhead host serve --listen 10.79.N.x:16600`` (TLS, a CA and host certificate of its own
  naming that address, a client bundle "tester" allowed and imported into a client folder).
- Host ``b`` (with ``ssh=True``) also runs an sshd in its namespace on 10.79.N.3:22 with a host key and a user key
  made at start; its far side runs this checkout's ``bulkhead host proxy`` with b's home.

``missing()`` says why none of this can run here ("" if it can). ``NetnsHosts.stop()`` removes every namespace,
bridge and process it made, also after a start that failed halfway; ``start()`` first removes what a run that
died left (namespaces and bridges whose owning process is gone). Every wait has a deadline.

Used by tests/netns_fixtures.py (pytest fixtures) and tools/test-hosts.sh (``python -m tests.netnshosts up|down
STATE``: hosts that outlive the command, tagged ``up``).
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from .remotehosts import (
    PYTHON,
    REPO,
    START_WAIT,
    FarSide,
    make_certs,
    make_keys,
    ssh_uri,
    sshd_config,
    sshd_missing,
    stop_process,
    wait_port,
    wait_socket,
)

SUBNET = "10.79"
PORT = 16600
SSH_PORT = 22
NAMES = ("a", "b", "c")
ALIAS = "bulkhead-test"  # the bridge's alias: "bulkhead-test <tag>" (how a stale run's bridge is recognised)
COMMAND_WAIT = 15.0  # seconds one ip/tc command may take
STOP_WAIT = 10.0
NS_RE = re.compile(r"^bkh-(\w+)-(\d+)-([a-z])$")


class NetnsError(RuntimeError):
    pass


def run(*argv: str, check: bool = True, timeout: float = COMMAND_WAIT) -> subprocess.CompletedProcess:
    """Run a command with a deadline; NetnsError with its last words when it fails (and ``check``)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise NetnsError(f"{' '.join(argv)}: no answer within {timeout:g} s") from None
    except OSError as e:
        raise NetnsError(f"{' '.join(argv)}: {e.strerror or e}") from None
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise NetnsError(f"{' '.join(argv)}: {said[-1] if said else f'exit code {done.returncode}'}")
    return done


def missing(ssh: bool = True) -> str:
    """Why namespace test hosts cannot run here ("" if they can); with ``ssh``, also why host b's sshd cannot."""
    why = _missing_base()
    if not why and ssh:
        why = sshd_missing()
    return why


@functools.cache
def _missing_base() -> str:
    if os.geteuid() != 0:
        return "network namespace test hosts need root (they make namespaces, veth pairs and a bridge)"
    for tool, package in (("ip", "iproute2"), ("tc", "iproute2"), ("nsenter", "util-linux")):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install {package})"
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return "the cryptography library is not installed (pip install 'cryptography>=41')"
    probe = f"bkh-probe{os.getpid()}"
    try:
        run("ip", "netns", "add", probe)
    except NetnsError as e:
        return f"cannot make network namespaces here: {e}"
    try:
        run("ip", "-n", probe, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", probe, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
        run("ip", "-n", probe, "link", "set", "v0", "master", "br0")
    except NetnsError as e:
        return f"cannot make bridges or veth pairs here: {e}"
    finally:
        run("ip", "netns", "del", probe, check=False)
    return ""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie waiting for its parent does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def namespaces() -> list[str]:
    out = run("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def bridges() -> dict[str, str]:
    """{bridge name: its tag} of every bridge this module made (found by its alias)."""
    out = run("ip", "-o", "link", "show", "type", "bridge", check=False).stdout
    found = {}
    for line in out.splitlines():
        name = re.match(r"^\d+:\s+([^:@]+)", line)
        alias = re.search(rf"alias {ALIAS} (\S+)", line)
        if name and alias:
            found[name.group(1)] = alias.group(1)
    return found


def _stale(tag: str) -> bool:
    return tag.isdigit() and int(tag) != os.getpid() and not _alive(int(tag))


def teardown(names: list[str], bridge: str | None, procs: list = ()) -> list[str]:
    """Stop ``procs`` (Popen objects of ours or pids: SIGTERM, then SIGKILL), kill whatever still runs in the
    namespaces ``names``, delete them (their veths go with them) and ``bridge``. Returns what could not be removed
    (empty when all went)."""
    for proc in procs:
        _signal(proc, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    while any(_running(p) for p in procs) and time.monotonic() < deadline:
        time.sleep(0.05)
    for proc in procs:
        _signal(proc, signal.SIGKILL)
    left = []
    for ns in names:
        if ns not in namespaces():
            continue
        for _ in range(3):
            inside = [int(p) for p in run("ip", "netns", "pids", ns, check=False).stdout.split() if p.isdigit()]
            if not inside:
                break
            for pid in inside:
                _signal(pid, signal.SIGKILL)
            gone_by = time.monotonic() + 5.0
            while any(_running(p) for p in [*procs, *inside]) and time.monotonic() < gone_by:
                time.sleep(0.05)
        out = run("ip", "-n", ns, "-o", "link", "show", "type", "veth", check=False).stdout
        for veth in re.findall(r"^\d+:\s+([^:@]+)", out, re.M):  # now: a namespace's devices go later, in the
            run("ip", "-n", ns, "link", "del", veth, check=False)  # background, and the bridge side with them
        if run("ip", "netns", "del", ns, check=False).returncode != 0 and ns in namespaces():
            left.append(f"namespace {ns}")
    if bridge and run("ip", "link", "show", bridge, check=False).returncode == 0:
        if run("ip", "link", "del", bridge, check=False).returncode != 0:
            left.append(f"bridge {bridge}")
    for proc in procs:
        if _running(proc):
            left.append(f"process {proc if isinstance(proc, int) else proc.pid}")
    return left


def _running(proc) -> bool:
    """Whether ``proc`` (a Popen of ours, reaped here, or another process's pid) still runs."""
    if isinstance(proc, int):
        return _alive(proc)
    return proc.poll() is None


def _signal(proc, sig: int) -> None:
    try:
        if isinstance(proc, int):
            os.kill(proc, sig)
        elif proc.poll() is None:
            proc.send_signal(sig)
    except ProcessLookupError:
        pass


def clean_stale() -> list[str]:
    """Remove the namespaces and bridges of runs whose process is gone; what was removed."""
    removed = []
    for ns in namespaces():
        m = NS_RE.match(ns)
        if m and _stale(m.group(1)):
            teardown([ns], None)
            removed.append(ns)
    for bridge, tag in bridges().items():
        if _stale(tag):
            teardown([], bridge)
            removed.append(bridge)
    return removed


def wait_tcp(address: str, port: int, proc: subprocess.Popen | None, deadline: float, log: Path | None) -> None:
    wait_port(port, proc, deadline, log, address, NetnsError)


def tbf_args(rate: int | str) -> list[str]:
    """tc tbf parameters for ``rate`` (bits per second, or a tc rate such as "100mbit"), with a burst that the
    rate can sustain (at least 10 ms of it)."""
    if isinstance(rate, str):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)?", rate.strip().lower())
        if not m:
            raise ValueError(f"not a rate: {rate!r} (bits per second, or e.g. 100mbit, 10mbps)")
        unit = m.group(2) or "bit"
        scale = {"bit": 1, "kbit": 1e3, "mbit": 1e6, "gbit": 1e9}.get(unit) or 8 * {"bps": 1, "kbps": 1e3,
                                                                                     "mbps": 1e6, "gbps": 1e9}[unit]
        bits = float(m.group(1)) * scale
    else:
        bits = float(rate)
    if not bits > 0:
        raise ValueError(f"a rate must be positive, not {rate!r}")
    burst = max(4096, int(bits / 8 / 100))
    return ["rate", f"{int(bits)}bit", "burst", str(burst), "latency", "50ms"]


class NetnsHost(FarSide):
    """One "machine": a namespace with its veth, a host service serving TLS, for ``b`` maybe an sshd."""

    client_name = "tester"

    def __init__(self, hosts: NetnsHosts, name: str, number: int) -> None:
        n = hosts.subnet
        self.name = name
        self.namespace = f"bkh-{hosts.tag}-{n}-{name}"
        self.address = f"{SUBNET}.{n}.{number}"
        self.bridge = hosts.bridge
        self.veth_inner = f"bkh{n}{name}-in"  # inside the namespace
        self.veth_outer = f"bkh{n}{name}-br"  # in the root namespace, on the bridge
        self.root = hosts.root / name
        self.home = self.root / "home"  # this machine's BULKHEAD_HOME
        self.client = self.root / "client-pki"  # the client's certificate folder for this host
        self.keys = self.root / "ssh"
        self.port = PORT
        self.ssh_port: int | None = None
        self.backend = hosts.backend
        self.user = getpass.getuser()
        self.proc: subprocess.Popen | None = None
        self.sshd: subprocess.Popen | None = None

    def __repr__(self) -> str:
        return f"NetnsHost({self.name}, {self.address}, {self.namespace})"

    # --- how to reach it ---------------------------------------------------------------------------------------
    @property
    def tls_uri(self) -> str:
        return f"bulkhead+tls://{self.address}:{self.port}/?pkipath={quote(str(self.client))}"

    uri = tls_uri

    @property
    def ssh_uri(self) -> str | None:
        """bulkhead+ssh:// to this host's sshd (None where it runs none)."""
        if not self.ssh_port:
            return None
        return ssh_uri(self.user, self.address, self.ssh_port, self.home, self.command, self.keys / "user_key",
                       self.keys / "known_hosts")

    @property
    def log(self) -> Path:
        return self.root / "serve.log"

    def connect(self, ssh: bool = False):
        from core import api

        return api.connect(uri=self.ssh_uri if ssh else self.tls_uri)

    def exec(self, *argv: str) -> list[str]:
        """``argv`` run inside this host's network namespace."""
        return ["nsenter", f"--net=/run/netns/{self.namespace}", "--", *argv]

    def info(self) -> dict:
        return {"name": self.name, "address": self.address, "namespace": self.namespace, "tls_uri": self.tls_uri,
                "ssh_uri": self.ssh_uri, "home": str(self.home), "client_pki": str(self.client),
                "veth_inner": self.veth_inner, "veth_outer": self.veth_outer, "bridge": self.bridge,
                "pid": self.proc.pid if self.proc else None, "sshd_pid": self.sshd.pid if self.sshd else None}

    # --- faults ----------------------------------------------------------------------------------------------------
    def cut(self) -> None:
        """The cable is pulled: the inner veth goes down (nothing is closed; packets stop both ways)."""
        run("ip", "-n", self.namespace, "link", "set", self.veth_inner, "down")

    def restore(self) -> None:
        run("ip", "-n", self.namespace, "link", "set", self.veth_inner, "up")

    def limit(self, rate: int | str, direction: str = "out") -> None:
        """Limit the link to ``rate`` (bits/s or "100mbit") with tc tbf: what this host sends ("out", on the inner
        veth), what it receives ("in", on the bridge side) or "both"."""
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction is out, in or both, not {direction!r}")
        args = tbf_args(rate)
        if direction in ("out", "both"):
            run("tc", "-n", self.namespace, "qdisc", "replace", "dev", self.veth_inner, "root", "tbf", *args)
        if direction in ("in", "both"):
            run("tc", "qdisc", "replace", "dev", self.veth_outer, "root", "tbf", *args)

    def unlimit(self) -> None:
        run("tc", "-n", self.namespace, "qdisc", "del", "dev", self.veth_inner, "root", check=False)
        run("tc", "qdisc", "del", "dev", self.veth_outer, "root", check=False)

    def kill_service(self) -> None:
        """The host service dies at once (SIGKILL): no goodbye to its clients; its VMs die with it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop_service(self) -> None:
        stop_process(self.proc, STOP_WAIT)
        self.proc = None

    # --- starting ------------------------------------------------------------------------------------------------
    def make_certs(self) -> None:
        make_certs(self.home, self.client, f"Test CA {self.name}", [self.address], self.client_name)

    def spawn_service(self) -> None:
        from .remotehosts import stop_service

        stop_service(self.home, STOP_WAIT)  # one the ssh proxy started on first use would hold the store
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.exec(PYTHON, "-m", "core.cli", "--home", str(self.home), "host", "serve",
                          *(["--backend", self.backend] if self.backend else []),
                          "--listen", f"{self.address}:{self.port}"),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=REPO, start_new_session=True,
                env=dict(os.environ, BULKHEAD_HOME=str(self.home)))

    def wait_service(self, deadline: float) -> None:
        wait_tcp(self.address, self.port, self.proc, deadline, self.log)
        try:
            wait_socket(self.home, self.proc, deadline, self.log)
        except RuntimeError as e:
            raise NetnsError(str(e)) from None

    def start_service(self) -> None:
        """(Re)start this host's service (after ``kill_service``) and wait until it serves TLS."""
        self.spawn_service()
        self.wait_service(time.monotonic() + START_WAIT)

    def spawn_sshd(self) -> None:
        make_keys(self.keys, ("host_key", "user_key"))
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        self.ssh_port = SSH_PORT
        kind, key = (self.keys / "host_key.pub").read_text().split()[:2]
        known = self.address if self.ssh_port == 22 else f"[{self.address}]:{self.ssh_port}"  # as ssh writes it
        (self.keys / "known_hosts").write_text(f"{known} {kind} {key}\n")
        config = sshd_config(self.keys, self.address, self.ssh_port)
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        self.sshd = subprocess.Popen(self.exec(sshd, "-D", "-f", str(config), "-E", str(self.keys / "sshd.log")),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)


class NetnsHosts:
    """2 or 3 namespace hosts ``a``, ``b`` (and ``c``) on one bridge; ``ssh`` gives ``b`` an sshd. A context
    manager: ``with NetnsHosts(tmp) as hosts: hosts.a.tls_uri, hosts["b"].ssh_uri, hosts.a.cut() ...``"""

    def __init__(self, root: str | os.PathLike, count: int = 2, ssh: bool = True, backend: str | None = None,
                 tag: str | None = None) -> None:
        if count not in (2, 3):
            raise ValueError(f"2 or 3 hosts, not {count}")
        self.root = Path(root)
        self.count, self.ssh, self.backend = count, ssh, backend
        self.tag = tag or str(os.getpid())
        self.subnet = 0
        self.bridge: str | None = None
        self.hosts: dict[str, NetnsHost] = {}

    def __getitem__(self, name: str) -> NetnsHost:
        return self.hosts[name]

    def __getattr__(self, name: str) -> NetnsHost:
        hosts = self.__dict__.get("hosts", {})
        if name in hosts:
            return hosts[name]
        raise AttributeError(name)

    def __iter__(self):
        return iter(self.hosts.values())

    def __enter__(self) -> NetnsHosts:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def gateway(self) -> str:
        """This machine's address on the bridge (the root namespace)."""
        return f"{SUBNET}.{self.subnet}.1"

    def info(self) -> dict:
        return {"bridge": self.bridge, "gateway": self.gateway, "tag": self.tag,
                "hosts": {h.name: h.info() for h in self}}

    def start(self) -> NetnsHosts:
        why = missing(self.ssh)
        if why:
            raise NetnsError(why)
        clean_stale()
        try:
            self._network()
            for host in self:
                host.make_certs()
                host.spawn_service()
            if self.ssh:
                self.hosts["b"].spawn_sshd()
            deadline = time.monotonic() + START_WAIT
            for host in self:
                host.wait_service(deadline)
            if self.ssh:
                b = self.hosts["b"]
                wait_tcp(b.address, b.ssh_port, b.sshd, deadline, b.keys / "sshd.log")
        except BaseException:
            self.stop()
            raise
        return self

    def _network(self) -> None:
        used = "\n".join(run("ip", "-o", "addr", "show", check=False).stdout.splitlines()
                         + run("ip", "route", "show", "table", "all", check=False).stdout.splitlines())
        for n in range(1, 255):
            if f"{SUBNET}.{n}." in used:
                continue
            name = f"bkhbr{n}"
            if run("ip", "link", "add", name, "type", "bridge", check=False).returncode == 0:
                self.subnet, self.bridge = n, name  # from here on stop() removes it
                break
        else:
            raise NetnsError(f"no free {SUBNET}.N.0/24 subnet or bridge name for the test hosts")
        run("ip", "link", "set", self.bridge, "alias", f"{ALIAS} {self.tag}")
        run("ip", "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        self.root.mkdir(parents=True, exist_ok=True)
        for number, name in enumerate(NAMES[:self.count], start=2):
            host = NetnsHost(self, name, number)
            run("ip", "netns", "add", host.namespace)
            self.hosts[name] = host
            run("ip", "-n", host.namespace, "link", "set", "lo", "up")
            run("ip", "link", "add", host.veth_outer, "type", "veth", "peer", "name", host.veth_inner,
                "netns", host.namespace)
            run("ip", "link", "set", host.veth_outer, "master", self.bridge)
            run("ip", "link", "set", host.veth_outer, "up")
            run("ip", "-n", host.namespace, "addr", "add", f"{host.address}/24", "dev", host.veth_inner)
            run("ip", "-n", host.namespace, "link", "set", host.veth_inner, "up")

    def stop(self) -> None:
        """Stop every process, remove every namespace and the bridge; NetnsError naming what stayed, if any."""
        procs = [p for host in self for p in (host.sshd, host.proc) if p is not None]
        left = teardown([h.namespace for h in self], self.bridge, procs)
        for host in self:
            host.proc = host.sshd = None
        self.bridge = None
        if left:
            raise NetnsError(f"could not remove {', '.join(left)}")


# --- tools/test-hosts.sh netns-up|netns-down ------------------------------------------------------------------
UP_TAG = "up"


def _up(state: Path, count: int) -> int:
    up = [ns for ns in namespaces() if ns.startswith(f"bkh-{UP_TAG}-")]
    if up:
        print(f"namespace test hosts are already up ({', '.join(up)}): tools/test-hosts.sh netns-down first",
              file=sys.stderr)
        return 1
    why = missing(ssh=False)
    if why:
        print(f"cannot start namespace test hosts: {why}", file=sys.stderr)
        return 2
    state.mkdir(parents=True, exist_ok=True)
    hosts = NetnsHosts(state, count=count, ssh=not sshd_missing(), tag=UP_TAG).start()
    out = hosts.info()
    if not hosts.ssh:
        out["ssh_skipped"] = sshd_missing()
    (state / "netns-hosts.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


def _down(state: Path) -> int:
    try:
        recorded = json.loads((state / "netns-hosts.json").read_text())
    except (OSError, ValueError):
        recorded = {}
    from .remotehosts import stop_service

    names, pids = [], []
    for host in recorded.get("hosts", {}).values():
        stop_service(Path(host["home"]), STOP_WAIT)
        names.append(host["namespace"])
        pids += [p for p in (host.get("pid"), host.get("sshd_pid")) if p]
    names += [ns for ns in namespaces() if ns.startswith(f"bkh-{UP_TAG}-") and ns not in names]
    bridge = recorded.get("bridge") or next((b for b, tag in bridges().items() if tag == UP_TAG), None)
    if not names and not bridge:
        print("no namespace test hosts are up")
        return 0
    left = teardown(names, bridge, pids)
    (state / "netns-hosts.json").unlink(missing_ok=True)
    if left:
        print(f"could not remove {', '.join(left)}", file=sys.stderr)
        return 1
    print(f"stopped the namespace test hosts ({', '.join(names)}{', ' + bridge if bridge else ''})")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) not in (2, 3) or args[0] not in ("up", "down") or (len(args) == 3 and args[2] not in ("2", "3")):
        sys.exit("usage: python -m tests.netnshosts up|down STATE_DIR [2|3]")
    state_dir = Path(args[1]).resolve()
    sys.exit(_up(state_dir, int(args[2]) if len(args) == 3 else 2) if args[0] == "up" else _down(state_dir))
