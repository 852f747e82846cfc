"""The host service's TLS listener: ``bulkhead host serve --listen ADDR[:PORT]`` (off unless asked; port 16600).

TLS 1.3 only, with mutual certificates (core/hosts/certs.py): a client's certificate must chain to this host's CA
and its name (the certificate's common name) must be on the allow-list, which is read again whenever it changes.
An accepted connection is handed to the HostServer as one end of a socket pair, with the client's name standing
for its process (its share of the connections), and relayed by one thread; the server's limits, timeouts and
reasons apply to it as to a local client. Plain TCP is never served.

Every refusal comes with a reason the client can show, and leaves the service as it was:

- not TLS (a plain JSON request, HTTP, garbage): one plaintext protocol line saying this port speaks TLS only;
- a certificate problem (none, another CA, expired, not for clients): the TLS alert OpenSSL sends for it;
- a client not on the allow-list: a protocol line over TLS naming the client and the command that allows it;
- an address with too many failed handshakes lately (``FAIL_BURST``, one more each ``FAIL_REFILL`` s; an accepted
  client makes its address's budget whole): a TLS access_denied alert before any cryptography (or the plaintext
  line), until its budget refills.

A handshake must finish within ``HANDSHAKE_TIMEOUT``; at most ``MAX_HANDSHAKES`` run at once, ``PER_ADDRESS`` from
one address, and connections beyond that are closed at once.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import select
import socket
import ssl
import threading
import time

from core.hosts.certs import Pki, peer_name, pki_dir
from core.hosts.listening import accepted
from core.model.errors import UsageError

log = logging.getLogger(__name__)

DEFAULT_PORT = 16600
HANDSHAKE_TIMEOUT = 10.0
MAX_HANDSHAKES = 32
PER_ADDRESS = 8
FAIL_BURST = 10  # failed handshakes an address may have in a row before it is refused for a while
FAIL_REFILL = 6.0  # seconds for one more
LINGER = 1.0  # seconds a refused client has to read why
STOP_GRACE = 1.0  # seconds connections still relay once the listener stops
RELAY_BUFFER = (1 << 20) + (1 << 16)  # one request line whole, as the server takes it
ACCESS_DENIED = b"\x15\x03\x03\x00\x02\x02\x31"  # a fatal TLS alert record, access_denied (49)
TLS_HANDSHAKE = 0x16

NOT_TLS = ("this port speaks only TLS 1.3 with client certificates (connect with bulkhead+tls://); plain "
           "connections are refused")


def parse_listen(text: str) -> tuple[str, int]:
    """(address, port) from ADDR, ADDR:PORT, [IPV6]:PORT or IPV6; UsageError (one line) otherwise."""
    raw = (text or "").strip()
    host, port = raw, DEFAULT_PORT
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise UsageError(f"--listen {raw!r}: write an IPv6 address as [ADDR]:PORT")
        port_text = rest[1:] if rest else ""
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
    else:
        port_text = ""
    if port_text:
        if not port_text.isdigit() or int(port_text) > 65535:
            raise UsageError(f"--listen {raw!r}: the port must be a number from 0 to 65535")
        port = int(port_text)
    if not host:
        raise UsageError(f"--listen {raw!r}: give the address to listen on (0.0.0.0 for every IPv4 address)")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            host = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
        except OSError as e:
            raise UsageError(f"--listen {raw!r}: not an address of this machine ({e.strerror or e})") from None
    return host, port


def _protocol_line(code: str, message: str) -> bytes:
    return json.dumps({"id": None, "error": {"kind": "protocol", "code": code, "message": message}}).encode() + b"\n"


class FailureLimiter:
    """Failed handshakes per source address, as a bucket of ``burst`` that refills one each ``refill`` s."""

    def __init__(self, burst: int = FAIL_BURST, refill: float = FAIL_REFILL, clock=time.monotonic) -> None:
        self.burst, self.refill, self.clock = burst, refill, clock
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when)
        self._lock = threading.Lock()

    def _tokens(self, address: str, now: float) -> float:
        tokens, when = self._buckets.get(address, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - when) / self.refill)

    def allows(self, address: str) -> bool:
        with self._lock:
            return self._tokens(address, self.clock()) >= 1.0

    def retry_in(self, address: str) -> float:
        with self._lock:
            return max(0.0, (1.0 - self._tokens(address, self.clock())) * self.refill)

    def succeeded(self, address: str) -> None:
        """An accepted client (a certificate of this CA, on the allow-list) makes its address's budget whole."""
        with self._lock:
            self._buckets.pop(address, None)

    def failed(self, address: str) -> None:
        with self._lock:
            now = self.clock()
            self._buckets[address] = (max(0.0, self._tokens(address, now) - 1.0), now)
            if len(self._buckets) > 4096:  # forget the addresses whose budget is whole again
                for key in [k for k in self._buckets if self._tokens(k, now) >= self.burst]:
                    del self._buckets[key]


class TlsListener:
    """Bound at construction (so a port in use or missing certificates stop ``host serve`` before it serves);
    ``start(server)`` begins accepting, ``stop()`` ends it and every relayed connection."""

    def __init__(self, listen: str, pki: Pki | None = None, *, home=None, limiter: FailureLimiter | None = None,
                 handshake_timeout: float = HANDSHAKE_TIMEOUT) -> None:
        self.pki = pki or Pki(pki_dir(home))
        self.context = self.pki.server_context()
        self.limiter = limiter or FailureLimiter()
        self.handshake_timeout = handshake_timeout
        host, port = parse_listen(listen)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            self._sock = socket.create_server((host, port), family=family, backlog=128)
        except OSError as e:
            raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        self.address = self._sock.getsockname()[:2]
        self.server = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._handshaking: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self.failures = 0  # failed handshakes and refusals (for tests)
        self.accepted = 0

    @property
    def url(self) -> str:
        host, port = self.address
        return f"bulkhead+tls://{'[' + host + ']' if ':' in host else host}:{port}"

    def start(self, server) -> None:
        self.server = server
        threading.Thread(target=self._accept_loop, daemon=True, name="host-tls-accept").start()
        log.info("TLS listener on %s:%d (TLS 1.3, client certificates of %s)", *self.address, self.pki.ca_cert)

    def stop(self) -> None:
        """Accept no more; connections being served get ``STOP_GRACE`` s to pass on their last answers (host.stop's
        own, the service's goodbye) before they are closed."""
        self._stop.set()
        try:
            self._sock.close()
        except OSError:
            pass

    # --- accepting ---------------------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        for raw, addr in accepted(self._sock, self._stop):
            ip = addr[0]
            with self._lock:
                busy = sum(self._handshaking.values()) >= MAX_HANDSHAKES or \
                    self._handshaking.get(ip, 0) >= PER_ADDRESS
                if not busy:
                    self._handshaking[ip] = self._handshaking.get(ip, 0) + 1
            if busy:
                raw.close()
                continue
            try:
                raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # an answer's last segment goes at once
            except OSError:
                pass
            threading.Thread(target=self._serve, args=(raw, ip), daemon=True, name="host-tls").start()

    def _done_handshaking(self, ip: str) -> None:
        with self._lock:
            left = self._handshaking.get(ip, 1) - 1
            if left:
                self._handshaking[ip] = left
            else:
                self._handshaking.pop(ip, None)

    def _fail(self, ip: str, reason: str) -> None:
        self.failures += 1
        allowed = self.limiter.allows(ip)
        self.limiter.failed(ip)
        if allowed and not self.limiter.allows(ip):
            log.warning("TLS: refusing %s for %.0f s after repeated failed handshakes (last: %s)", ip,
                        self.limiter.retry_in(ip), reason)
        elif allowed:
            log.warning("TLS: refused a connection from %s: %s", ip, reason)

    def _serve(self, raw: socket.socket, ip: str) -> None:
        try:
            accepted = self._handshake(raw, ip)
        except Exception as e:  # noqa: BLE001 - a bug must not take the listener down
            log.exception("TLS: connection from %s failed", ip)
            self._fail(ip, str(e))
            accepted = None
        finally:
            self._done_handshaking(ip)
        if accepted is None:
            return
        tls, name = accepted
        ours, theirs = socket.socketpair()
        with self._lock:
            key = self._keys.setdefault(name, -(len(self._keys) + 1))  # stands for the client's "process"
        self.accepted += 1
        try:
            self.server.admit(theirs, (key, self.server.allowed_uid))
        except OSError:
            theirs.close()
        try:
            relay(tls, ours, self._stop)
        finally:
            _shut(tls)
            tls.close()
            ours.close()

    def _handshake(self, raw: socket.socket, ip: str):
        """(TLS socket, client name) of an accepted client; None (the client told why, the socket closed)."""
        deadline = time.monotonic() + self.handshake_timeout
        raw.settimeout(self.handshake_timeout)
        try:
            first = raw.recv(1, socket.MSG_PEEK)
        except TimeoutError:
            self._fail(ip, f"sent nothing within {self.handshake_timeout:g} s")
            raw.close()
            return None
        except OSError:
            raw.close()
            return None
        if not first:  # connected and left (a port check)
            raw.close()
            return None
        tls_hello = first[0] == TLS_HANDSHAKE
        if not self.limiter.allows(ip):
            self.failures += 1
            _linger_close(raw, ACCESS_DENIED if tls_hello else _protocol_line(
                "tls.rate_limited", f"too many failed attempts from {ip}: try again in "
                                    f"{self.limiter.retry_in(ip):.0f} s"))
            return None
        if not tls_hello:
            self._fail(ip, "not a TLS handshake")
            _linger_close(raw, _protocol_line("tls.required", NOT_TLS))
            return None
        tls = self.context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
        try:
            tls.settimeout(max(0.1, deadline - time.monotonic()))
            tls.do_handshake()
        except ssl.SSLCertVerificationError as e:
            self._fail(ip, f"client certificate refused: {e.verify_message}")
            _linger_close(tls)
            return None
        except ssl.SSLError as e:
            self._fail(ip, e.reason or str(e))
            _linger_close(tls)
            return None
        except OSError as e:
            self._fail(ip, f"handshake not finished: {e.strerror or e}")
            tls.close()
            return None
        name = peer_name(tls.getpeercert())
        if not self.pki.is_allowed(name):
            self._fail(ip, f"client {name!r} is not on the allow-list")
            line = _protocol_line("tls.not_allowed", f"this host does not accept the client {name!r}: it is not on "
                                                     f"the host's allow-list (on the host: bulkhead host allow {name})")
            try:
                tls.sendall(line)
            except OSError:
                pass
            _linger_close(tls)
            return None
        self.limiter.succeeded(ip)
        tls.settimeout(None)
        return tls, name


def _shut(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _linger_close(sock: socket.socket, last: bytes = b"") -> None:
    """Send ``last`` (raw bytes, below TLS), stop sending, and read what the client still sends for up to
    ``LINGER`` s before closing, so it reads why (closing with its bytes unread would reset the connection and
    lose the reason, a TLS alert included)."""
    try:
        if last:
            socket.socket.sendall(sock, last)
        socket.socket.shutdown(sock, socket.SHUT_WR)
        deadline = time.monotonic() + LINGER
        while (left := deadline - time.monotonic()) > 0:
            socket.socket.settimeout(sock, left)
            if not socket.socket.recv(sock, 65536):
                break
    except OSError:
        pass
    finally:
        sock.close()


def relay(tls: ssl.SSLSocket, plain: socket.socket, stopping: threading.Event) -> None:
    """Carry bytes both ways between a TLS connection and a plain socket in one thread (an SSL object must not be
    used by two threads at once) until both are done; half-closes pass through."""
    tls.setblocking(False)
    plain.setblocking(False)
    up, down = bytearray(), bytearray()  # client -> service, service -> client
    tls_open = plain_open = True
    up_shut = False
    poll = select.poll()
    stop_seen = 0.0
    try:
        while True:
            if stopping.is_set():
                stop_seen = stop_seen or time.monotonic()
                if time.monotonic() - stop_seen > STOP_GRACE:
                    return
            moved = True
            while moved:
                moved = False
                if tls_open and len(up) < RELAY_BUFFER:
                    try:
                        data = tls.recv(65536)
                    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                        data = None
                    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
                        data = b""
                    if data is not None:
                        moved = True
                        if data:
                            up += data
                        else:
                            tls_open = False
                if up:
                    try:
                        n = plain.send(up)
                    except BlockingIOError:
                        n = 0
                    if n:
                        del up[:n]
                        moved = True
                if plain_open and len(down) < RELAY_BUFFER:
                    try:
                        data = plain.recv(65536)
                    except BlockingIOError:
                        data = None
                    if data is not None:
                        moved = True
                        if data:
                            down += data
                        else:
                            plain_open = False
                if down:
                    try:
                        n = tls.send(down[:65536])  # retried with the same bytes after a want-write
                    except (ssl.SSLWantWriteError, ssl.SSLWantReadError):
                        n = 0
                    if n:
                        del down[:n]
                        moved = True
            if not tls_open and not up and not up_shut:
                plain.shutdown(socket.SHUT_WR)  # the client is done sending: the service reads its end
                up_shut = True
            if not plain_open and not down:
                return  # the service has said everything (and closed its end)
            tls_mask = (select.POLLIN if tls_open and len(up) < RELAY_BUFFER else 0) | (select.POLLOUT if down
                                                                                        else 0)
            plain_mask = (select.POLLIN if plain_open and len(down) < RELAY_BUFFER else 0) | (select.POLLOUT if up
                                                                                              else 0)
            if not tls_mask and not plain_mask:
                return
            for sock, mask in ((tls, tls_mask), (plain, plain_mask)):
                try:
                    poll.modify(sock, mask)
                except FileNotFoundError:
                    poll.register(sock, mask)
            poll.poll(100 if stop_seen else 1000)
    except (OSError, ValueError):
        return  # a reset, a broken pipe, a TLS error: the connection is over
