"""Direct moves: the destination's migration listener and the source's connection to it.

A host that serves TLS (``host serve --listen``) opens, on the first prepared move, a listener on an ephemeral port
of the same address, TLS 1.3 with its host certificate. No client certificate is asked for: a connection is
authenticated by the one-time token of a prepared move, which it must send first, as one JSON line
``{"token": "..."}``; the listener answers one line (``{"result": {...}}`` or ``{"error": {...}}``, as the host
protocol does) and then the connection is the move's stream. The source pins the listener's certificate by the
SHA-256 fingerprint that ``vm.move.prepare`` returned (through the managing client), so it needs no CA.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import ssl
import threading
import time

from core.hosts.listening import accepted
from core.model.errors import BulkheadError, OperationFailed, UsageError

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT = 10.0
LINE_MAX = 512
MAX_PENDING = 16  # connections between accept and their token at once
CONNECT_TIMEOUT = 10.0
UNREACHABLE = "move.unreachable"


# a far side that vanished (a cut link) ends the stream within seconds even while data is unacknowledged
KEEPALIVE = (("TCP_KEEPIDLE", 2), ("TCP_KEEPINTVL", 1), ("TCP_KEEPCNT", 3), ("TCP_USER_TIMEOUT", 10_000))


def keepalive(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for opt, value in KEEPALIVE:
            if hasattr(socket, opt):
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, opt), value)
    except OSError:
        pass


def fingerprint_of(pem_path) -> str:
    with open(pem_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return hashlib.sha256(der).hexdigest()


def _read_line(sock, deadline: float) -> bytes:
    """One line, read a byte at a time (what follows it is the stream, which must stay unread)."""
    line = bytearray()
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no line in time")
        sock.settimeout(left)
        byte = sock.recv(1)
        if not byte:
            raise ConnectionError("closed")
        line += byte
        if len(line) > LINE_MAX:
            raise ValueError("line too long")
    return bytes(line)


class MigrationListener:
    """``claim(token)`` gives the prepared move (or raises a BulkheadError); ``run(incoming, sock)`` serves it."""

    def __init__(self, address: str, pki, claim, run) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.load_cert_chain(str(pki.host_cert), str(pki.host_key))
        self.context.num_tickets = 0
        self.fingerprint = fingerprint_of(pki.host_cert)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self._sock = socket.create_server((address, 0), family=family, backlog=32)
        self.address = self._sock.getsockname()[:2]
        self._claim, self._run = claim, run
        self._stop = threading.Event()
        self._pending = threading.BoundedSemaphore(MAX_PENDING)
        threading.Thread(target=self._accept, daemon=True, name="move-listener").start()
        log.info("migration listener on %s:%d", *self.address)

    def direct(self) -> dict:
        return {"address": self.address[0], "port": self.address[1], "fingerprint": self.fingerprint}

    def stop(self) -> None:
        self._stop.set()
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # no more queued connections: refused from now on
        except OSError:
            pass
        try:
            self._sock.close()
        except OSError:
            pass

    def _accept(self) -> None:
        try:
            for raw, _addr in accepted(self._sock, self._stop):
                if not self._pending.acquire(blocking=False):
                    raw.close()
                    continue
                threading.Thread(target=self._serve, args=(raw,), daemon=True, name="move-incoming").start()
        except OSError:  # stopped before it began
            pass

    def _serve(self, raw: socket.socket) -> None:
        incoming = None
        try:
            deadline = time.monotonic() + HANDSHAKE_TIMEOUT
            keepalive(raw)
            raw.settimeout(HANDSHAKE_TIMEOUT)
            tls = self.context.wrap_socket(raw, server_side=True)
            try:
                request = json.loads(_read_line(tls, deadline))
                token = request.get("token") if isinstance(request, dict) else None
                incoming = self._claim(str(token or ""))
            except BulkheadError as e:
                _answer(tls, {"error": e.to_dict()})
                tls.close()
                return
            except (OSError, ValueError):
                tls.close()
                return
            _answer(tls, {"result": {"id": incoming.id, "name": incoming.name}})
        except (OSError, ssl.SSLError, ValueError):
            raw.close()
            return
        finally:
            self._pending.release()
        tls.settimeout(None)
        self._run(incoming, tls)


def _answer(sock, message: dict) -> None:
    try:
        sock.sendall(json.dumps(message).encode() + b"\n")
    except OSError:
        pass


def connect_direct(direct: dict, token: str, timeout: float = CONNECT_TIMEOUT):
    """The source's end of a direct stream: TLS to the destination's migration listener, its certificate pinned
    by ``direct["fingerprint"]``, the token sent and accepted. OperationFailed (code move.unreachable) when the
    listener cannot be reached; the destination's refusal as it said it."""
    address, port, pinned = direct.get("address"), direct.get("port"), direct.get("fingerprint")
    if not isinstance(address, str) or not isinstance(port, int) or not 0 < port < 65536 or \
            not isinstance(pinned, str) or len(pinned) != 64:
        raise UsageError("direct needs {address, port, fingerprint} as vm.move.prepare gave them")
    where = f"{address}:{port}"
    try:
        raw = socket.create_connection((address, port), timeout=timeout)
    except OSError as e:
        raise OperationFailed(f"cannot reach the destination's migration listener at {where}: {e.strerror or e}",
                              code=UNREACHABLE) from None
    keepalive(raw)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate is pinned by its fingerprint below
    try:
        tls = context.wrap_socket(raw)
        seen = hashlib.sha256(tls.getpeercert(binary_form=True) or b"").hexdigest()
        if not hmac.compare_digest(seen, pinned.lower()):
            tls.close()
            raise OperationFailed(f"the migration listener at {where} is not the destination's (its certificate's "
                                  f"fingerprint {seen[:16]}... is not the one prepared)", code="move.fingerprint")
        tls.sendall(json.dumps({"token": token}).encode() + b"\n")
        reply = json.loads(_read_line(tls, time.monotonic() + timeout))
    except (OSError, ssl.SSLError, ValueError) as e:
        raw.close()
        raise OperationFailed(f"cannot open the stream to {where}: {getattr(e, 'strerror', None) or e}",
                              code=UNREACHABLE) from None
    error = reply.get("error") if isinstance(reply, dict) else {"message": "not a protocol answer"}
    if error:
        tls.close()
        from core.model.errors import from_kind

        raise from_kind(str(error.get("kind", "failed")), f"the destination refused the stream: "
                        f"{error.get('message', '')}", str(error.get("code") or ""))
    tls.settimeout(None)
    return tls
