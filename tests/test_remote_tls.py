"""bulkhead+tls://: a host service in its own process with its own home, reached over TLS 1.3 with mutual
certificates. Each security case is refused with a reason the client shows, and a normal client still works after
it; a host speaking another protocol version is refused naming both; a lost host is shown as disconnected within
5 s and reconnected with its jobs; nothing waits without a deadline."""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library (pip install cryptography)")

from core import api  # noqa: E402
from core.hosts.certs import Pki  # noqa: E402
from core.model.errors import BulkheadError, ProtocolError, ServiceUnavailable  # noqa: E402
from core.remote.links import tls_reason  # noqa: E402

from .helpers.listeners import Listener  # noqa: E402
from .helpers.remote import far_fixture  # noqa: E402
from .helpers.waiting import wait_until  # noqa: E402
from .remotehosts import TlsHost  # noqa: E402

DEADLINE = 20.0


far = far_fixture(TlsHost, "tls")


@pytest.fixture(scope="module")
def ca(far) -> Pki:
    return Pki(far.home / "pki")


def bundle(ca: Pki, root: Path, name: str, **validity) -> str:
    """A client folder with a certificate ``name`` made by ``ca`` (imported as a client would); its pkipath."""
    made = ca.make_client(name, out=root / f"bundle-{name}", **validity)["bundle"]
    Pki(root / f"client-{name}").import_bundle(made)
    return str(root / f"client-{name}")


def uri(far: TlsHost, pkipath: str, host: str = "127.0.0.1", extra: str = "") -> str:
    return f"bulkhead+tls://{host}:{far.port}/?pkipath={pkipath}{extra}"


def still_serves(far: TlsHost) -> None:
    """A normal client still connects and is answered (the service was not affected)."""
    with api.connect(uri=far.uri) as conn:
        assert conn.vms() is not None
        assert conn.status()["state"] == "connected"


def refusal(far: TlsHost, context: ssl.SSLContext) -> str:
    """What a raw TLS client with ``context`` is told when it sends a request (a TLS 1.3 client learns that its
    certificate was refused on its first read)."""
    with socket.create_connection(("127.0.0.1", far.port), timeout=DEADLINE) as raw:
        try:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(b'{"v": 1, "id": 1, "method": "vm.list"}\n')
                return tls.recv(4096).decode() or "closed"
        except ssl.SSLError as e:
            return tls_reason(e, "127.0.0.1", "ca")


def client_context(ca: Pki, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_verify_locations(str(ca.ca_cert))
    if cert:
        ctx.load_cert_chain(str(cert), str(key))
    return ctx


# --- the same API as locally -------------------------------------------------------------------------------------
def test_the_same_connection_over_tls(far):
    with api.connect(uri=far.uri) as conn:
        assert conn.uri == far.uri
        info = conn.host_info()
        assert info["store"] == str(far.home)  # the far side's own home
        job = conn.new_vm("tls-vm", memory="32M").wait(DEADLINE)
        assert job.state == "Completed", job.error
        assert conn.job(job.id).state == "Completed"
        assert "tls-vm" in [v.name for v in conn.vms()]
        status = conn.status()
        assert status["state"] == "connected" and status["uri"] == far.uri
        script = conn.script("vm.start", vm="tls-vm")
        assert f"--connect '{far.uri}'" in script.command_line or f"--connect {far.uri}" in script.command_line
        assert repr(far.uri) in script.python
        conn.remove_vm("tls-vm").wait(DEADLINE)


def test_events_arrive_over_tls(far):
    seen = threading.Event()
    with api.connect(uri=far.uri) as conn:
        unsubscribe = conn.subscribe(lambda kind, data: seen.set() if kind == "vm.added" and
                                     data.get("name") == "tls-ev" else None)
        conn.new_vm("tls-ev", memory="32M").wait(DEADLINE)
        assert seen.wait(DEADLINE), "no vm.added event over TLS"
        unsubscribe()
        conn.remove_vm("tls-ev").wait(DEADLINE)


# --- the security cases: refused with a reason, the service unaffected -----------------------------------------------
def test_missing_client_certificate_is_refused(far, ca):
    said = refusal(far, client_context(ca))
    assert "requires a client certificate" in said, said
    still_serves(far)


def test_wrong_client_certificate_is_refused(far, ca):
    """The host's own certificate (made for servers) presented as a client's."""
    said = refusal(far, client_context(ca, ca.host_cert, ca.host_key))
    assert "refused this client's certificate" in said, said
    still_serves(far)


def test_certificate_of_another_ca_is_refused(far, tmp_path):
    other = Pki(tmp_path / "other-ca")
    other.make_ca("Another CA")
    made = Path(other.make_client("mallory")["bundle"])
    client = tmp_path / "mallory"
    client.mkdir(mode=0o700)
    (client / "ca-cert.pem").write_bytes((far.home / "pki" / "ca-cert.pem").read_bytes())  # trusts the host
    for name in ("client-cert.pem", "client-key.pem"):
        (client / name).write_bytes((made / name).read_bytes())
    with pytest.raises(ProtocolError, match="not issued by the host's CA"):
        api.connect(uri=uri(far, str(client)))
    still_serves(far)


def test_expired_certificate_is_refused(far, ca, tmp_path):
    pkipath = bundle(ca, tmp_path, "old", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                     not_after=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    ca.allow("old")
    with pytest.raises(ProtocolError, match="it has expired"):
        api.connect(uri=uri(far, pkipath))
    still_serves(far)


def test_client_not_on_the_allow_list_is_refused_and_deny_takes_effect(far, ca, tmp_path):
    pkipath = bundle(ca, tmp_path, "stranger")
    with pytest.raises(ProtocolError, match=r"'stranger'.*not on the host's allow-list.*bulkhead host allow stranger"):
        api.connect(uri=uri(far, pkipath))
    still_serves(far)
    ca.allow("stranger")  # read again by the running service
    with api.connect(uri=uri(far, pkipath)) as conn:
        assert conn.vms() is not None
    ca.deny("stranger")
    with pytest.raises(ProtocolError, match="not on the host's allow-list"):
        api.connect(uri=uri(far, pkipath))
    still_serves(far)


def test_plain_tcp_is_refused_with_the_reason(far):
    with socket.create_connection(("127.0.0.1", far.port), timeout=DEADLINE) as s:
        s.sendall(b'{"v": 1, "id": 1, "method": "vm.list"}\n')
        reply = json.loads(s.makefile("rb").readline())
    assert reply["id"] is None and reply["error"]["code"] == "tls.required"
    assert "TLS 1.3" in reply["error"]["message"] and "plain connections are refused" in reply["error"]["message"]
    still_serves(far)


def test_garbage_before_the_handshake_is_refused(far):
    with socket.create_connection(("127.0.0.1", far.port), timeout=DEADLINE) as s:
        s.sendall(b"\x00\xff GET / HTTP/1.0\r\n\r\n" * 50)
        line = s.makefile("rb").readline()
    assert b"speaks only TLS" in line
    with socket.create_connection(("127.0.0.1", far.port), timeout=DEADLINE) as s:  # a broken TLS record
        s.sendall(b"\x16\x03\x01\xff\xff" + b"\x00" * 300)
        s.settimeout(DEADLINE)
        while s.recv(4096):  # the service closes it (after an alert); it must not hang
            pass
    still_serves(far)


def test_tls_before_1_3_is_refused(far, ca):
    ctx = client_context(ca, ca.folder / "issued" / "tester" / "client-cert.pem",
                         ca.folder / "issued" / "tester" / "client-key.pem")
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", far.port), timeout=DEADLINE) as raw:
        with pytest.raises(ssl.SSLError) as e:
            ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    assert "TLS 1.3 only" in tls_reason(e.value, "127.0.0.1", "ca")
    still_serves(far)


def test_the_client_checks_the_hosts_certificate(far, tmp_path):
    impostor = Pki(tmp_path / "impostor")  # a client that trusts another CA than the host's
    impostor.make_ca("Impostor CA")
    made = impostor.make_client("tester")["bundle"]
    Pki(tmp_path / "trusts-other").import_bundle(made)
    with pytest.raises(ProtocolError, match="not issued by the CA this machine trusts"):
        api.connect(uri=uri(far, str(tmp_path / "trusts-other")))
    with pytest.raises(BulkheadError, match="holds no client certificate"):
        api.connect(uri=uri(far, str(tmp_path / "nothing-here")))
    still_serves(far)


# --- a lost host ---------------------------------------------------------------------------------------------------
def test_a_killed_host_is_disconnected_then_reconnected_with_its_jobs(tmp_path):
    far = TlsHost(tmp_path).start()
    try:
        conn = api.connect(uri=far.uri)
        told: list[dict] = []
        added = threading.Event()
        conn.subscribe(lambda kind, data: told.append(data) if kind == "connection.status" else
                       added.set() if kind == "vm.added" and data.get("name") == "after" else None)
        job = conn.new_vm("before", memory="32M").wait(DEADLINE)
        far.kill()
        lost_at = time.monotonic()
        status = wait_until(lambda: (s := conn.status())["state"] == "disconnected" and s, 5.0, "disconnected")
        assert status["reason"] and "retry_in" in status
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match=r"is disconnected: .* \(reconnecting in \d+ s\)"):
            conn.vms()
        assert time.monotonic() - started < 1.0, "a call waited on a dead link"
        far.start()  # the same host comes back on its port
        wait_until(lambda: conn.status()["state"] == "connected", DEADLINE, "reconnected")
        assert time.monotonic() - lost_at < DEADLINE
        assert conn.job(job.id).state == "Completed"  # found again by its id
        conn.new_vm("after", memory="32M").wait(DEADLINE)
        assert added.wait(DEADLINE), "events were not subscribed again after reconnecting"
        states = [d["state"] for d in told]
        assert "disconnected" in states and states[-1] == "connected", states
        conn.close()
    finally:
        far.stop()


class Forwarder(Listener):
    """A TCP relay to the host whose link can be frozen (bytes stop both ways; nothing is closed): a cable cut."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.frozen = threading.Event()
        super().__init__()

    def connected(self, a: socket.socket) -> None:
        if self.frozen.is_set():
            self.held.append(a)  # accepted, never answered
            return
        b = socket.create_connection(("127.0.0.1", self.target))
        self.held += [a, b]
        for x, y in ((a, b), (b, a)):
            threading.Thread(target=self._pump, args=(x, y), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                while self.frozen.is_set() and not self.closed.is_set():
                    time.sleep(0.05)
                dst.sendall(data)
        except OSError:
            pass


def test_a_cut_link_shows_disconnected_within_5_s_and_a_connect_has_a_timeout(far):
    relay = Forwarder(far.port)
    try:
        conn = api.connect(uri=uri(far, str(far.client)).replace(str(far.port), str(relay.port)))
        assert conn.vms() is not None
        relay.frozen.set()
        cut = time.monotonic()
        status = wait_until(lambda: (s := conn.status())["state"] == "disconnected" and s, 5.0,
                            "disconnected after the cut")
        print(f"disconnected {time.monotonic() - cut:.2f} s after the cut")
        assert "timed out" in status["reason"] or "no answer" in status["reason"], status
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="no answer within 1 s|did not finish"):
            api.connect(uri=uri(far, str(far.client), extra="&timeout=1").replace(str(far.port), str(relay.port)))
        assert time.monotonic() - started < 3.0
        started = time.monotonic()
        conn.close()
        assert time.monotonic() - started < 3.0, "closing waited on the dead link"
    finally:
        relay.close()
    still_serves(far)


# --- in this process: the version check and the rate limit -------------------------------------------------------
@pytest.fixture
def inproc(tmp_path, far):
    """A host service and its TLS listener in this process (its limiter and protocol version can be changed)."""
    from core.hosts.paths import HostPaths
    from core.local.host import HostService
    from core.local.server import HostServer
    from core.local.tls import FailureLimiter, TlsListener

    paths = HostPaths.resolve(tmp_path / "inproc")
    service = HostService(paths, "emulation")
    server = HostServer(service, paths.socket)
    server.bind()
    clock = [0.0]
    listener = TlsListener("127.0.0.1:0", Pki(far.home / "pki"),
                           limiter=FailureLimiter(burst=2, refill=10.0, clock=lambda: clock[0]))
    listener.start(server)
    yield listener, clock
    listener.stop()
    server.stop()
    service.shutdown()


def test_failed_handshakes_are_rate_limited_per_address(inproc, far, ca):
    listener, clock = inproc
    good = f"bulkhead+tls://127.0.0.1:{listener.address[1]}/?pkipath={far.client}"
    bare = client_context(ca)
    for _ in range(2):
        with socket.create_connection(listener.address, timeout=DEADLINE) as raw:
            with pytest.raises(ssl.SSLError):
                with bare.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    tls.sendall(b"{}\n")
                    tls.recv(100)
    with pytest.raises(ProtocolError, match="refuses this address for now"):
        api.connect(uri=good)  # even a good client, from that address, for now
    with socket.create_connection(listener.address, timeout=DEADLINE) as s:
        s.sendall(b'{"v": 1}\n')
        assert b"too many failed attempts from 127.0.0.1" in s.makefile("rb").readline()
    clock[0] += 10.0  # one more attempt after the refill
    with api.connect(uri=good) as conn:
        assert conn.vms() == []


def test_a_host_of_another_protocol_version_is_refused_naming_both(inproc, far, monkeypatch):
    import core.local.server as server_module

    listener, _clock = inproc
    monkeypatch.setattr(server_module, "PROTOCOL_VERSION", 2)
    with pytest.raises(ProtocolError) as e:
        api.connect(uri=f"bulkhead+tls://127.0.0.1:{listener.address[1]}/?pkipath={far.client}")
    assert "protocol version 2" in str(e.value) and "version 1" in str(e.value), e.value


def test_the_command_line_over_tls_and_host_stop(tmp_path):
    import subprocess
    import sys

    far = TlsHost(tmp_path).start()
    try:
        run = [sys.executable, "-m", "core.cli", "--connect", far.uri]
        out = subprocess.run([*run, "vm", "new", "cli-vm", "--memory", "32M"], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        out = subprocess.run([*run, "vm", "list"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "cli-vm" in out.stdout, out.stderr
        out = subprocess.run([*run, "host", "stop"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and f"on {far.uri} stopping" in out.stdout, out.stderr
        far.proc.wait(30)  # the far service ends
        out = subprocess.run([*run, "vm", "list"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and "cannot reach" in out.stderr and out.stderr.count("\n") == 1, out.stderr
    finally:
        far.stop()
