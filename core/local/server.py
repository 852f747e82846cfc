"""The host service's local API: newline-delimited JSON over a Unix socket.

The socket lives in a 0700 folder and is itself 0600; the peer's uid is checked with SO_PEERCRED and any other
uid is refused. A request is one line of at most ``REQUEST_LIMIT`` bytes:
``{"v": 1, "id": 7, "method": "vm.start", "params": {"vm": "web1"}}``; the answer carries the same id and either
``result`` or ``error`` (``{"kind": ..., "message": ...}``). ``events.subscribe`` turns a connection into a stream of
``{"event": kind, "data": ...}`` lines, each subscriber with a bounded queue: a slow client loses events, it never
slows the service.

No client can lock the others out. At most ``MAX_CONNECTIONS`` are served at once and one client process holds at
most ``PROCESS_SHARE`` of them (another uid holds none: it is told no and dropped); a request line must arrive whole
within ``LINE_TIMEOUT`` of its first byte, a connection without a request for ``IDLE_TIMEOUT`` is closed, and a
client that does not read its answers for ``SEND_TIMEOUT`` is dropped. When every slot is taken, the connection
idle the longest (``EVICT_AFTER`` at least) is closed to make room; only if none is idle is a newcomer refused,
with "the host service is busy (N connections)". A connection closed by the service is always told why first, in a
line with ``"id": null`` and an error whose code is ``connection.idle`` (nothing was run: connect again and resend)
or ``service.busy``, and the service reads what the client still sends for a moment before closing, so the client
reads the reason instead of "Broken pipe".
"""

from __future__ import annotations

import json
import logging
import math
import os
import queue
import select
import selectors
import socket
import struct
import threading
import time
from pathlib import Path

from core.hosts.listening import accepted
from core.hosts.paths import private_dir
from core.hosts.registry import JSON_DEPTH_MAX, check_depth, dispatch
from core.model.errors import BulkheadError, ProtocolError, UsageError
from core.model.names import short

from .host import HostService

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
REQUEST_LIMIT = 1 << 20
MAX_CONNECTIONS = 64
PROCESS_SHARE = 16  # connections one client process may hold (the console needs two per host)
IDLE_TIMEOUT = 300.0  # seconds without a request before a connection is closed (clients connect again)
LINE_TIMEOUT = 10.0  # seconds a request line may take to arrive, from its first byte
SEND_TIMEOUT = 30.0  # seconds a client may leave an answer or an event unread
EVICT_AFTER = 1.0  # when every slot is taken, a connection idle this long makes room for a new one
LINGER = 2.0  # seconds a refused client has to read why before its connection closes
LINGER_MAX = 256  # refused connections lingering at once; beyond that they are closed at once
EVENT_QUEUE = 1000

IDLE_CODE = "connection.idle"
BUSY_CODE = "service.busy"
_SUBSCRIBE = object()


def peer_credentials(conn: socket.socket) -> tuple[int, int]:
    """(pid, uid) of the process at the other end of a Unix socket."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid


def peer_uid(conn: socket.socket) -> int:
    return peer_credentials(conn)[1]


def prepare_runtime_dir(path: Path) -> None:
    """Create (or check) the socket's folder: ours, and 0700 (PermissionError naming its owner otherwise)."""
    private_dir(path, "socket folder")


def _encode(message: dict) -> bytes:
    try:
        text = json.dumps(message, separators=(",", ":"))
    except (TypeError, ValueError) as e:  # a result that is not JSON is a bug: say so, keep serving
        log.error("an answer could not be encoded: %s", e)
        error = {"kind": "failed", "message": f"internal error: the answer is not JSON ({e})"}
        text = json.dumps({"id": message.get("id"), "error": error})  # ids are plain (see _plain)
    return text.encode() + b"\n"


def _plain(value) -> bool:
    """Whether a request's id can be echoed: text, a number JSON can carry, true/false or null."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def _printable(text: str) -> str:
    """An error message as a terminal can print it (a lone surrogate from a request becomes an escape)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _error(request_id, kind: str, message: str, code: str = "") -> bytes:
    error = {"kind": kind, "message": _printable(message)}
    if code:
        error["code"] = code
    return _encode({"id": request_id, "error": error})


class _Client:
    """One served connection; ``state`` (under the server's lock) is idle, reading, busy, stream or closed."""

    __slots__ = ("pid", "since", "sock", "state", "uid")

    def __init__(self, sock: socket.socket, pid: int, uid: int) -> None:
        self.sock, self.pid, self.uid = sock, pid, uid
        self.state = "idle"
        self.since = time.monotonic()


class _Lingerer:
    """Holds connections the service has finished with (after their last line and a shutdown of its sending side)
    for up to ``LINGER`` seconds, reading and dropping what the client still sends, so the client can read that
    last line. One thread, bounded: past ``LINGER_MAX`` sockets are closed at once."""

    def __init__(self) -> None:
        self._pending: queue.SimpleQueue = queue.SimpleQueue()
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, sock: socket.socket, linger: float) -> None:
        with self._lock:
            if self._count >= LINGER_MAX or self._stop.is_set():
                sock.close()
                return
            self._count += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True, name="host-linger")
                self._thread.start()
        self._pending.put((sock, time.monotonic() + linger))

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        sel = selectors.DefaultSelector()
        deadlines: dict[socket.socket, float] = {}

        def drop(sock: socket.socket) -> None:
            sel.unregister(sock)
            deadlines.pop(sock, None)
            sock.close()
            with self._lock:
                self._count -= 1

        while not (self._stop.is_set() and not deadlines):
            wait = None if deadlines else 0.5  # nothing lingers: sleep on the queue
            while True:
                try:
                    sock, deadline = self._pending.get(timeout=wait) if wait else self._pending.get_nowait()
                except queue.Empty:
                    break
                wait = None
                sock.setblocking(False)
                sel.register(sock, selectors.EVENT_READ)
                deadlines[sock] = deadline
            for key, _ in sel.select(timeout=0.1) if deadlines else ():
                try:
                    if key.fileobj.recv(65536):
                        continue
                except BlockingIOError:
                    continue
                except OSError:
                    pass
                drop(key.fileobj)  # the client closed its end (or the socket failed): done
            now = time.monotonic()
            for sock in [s for s, d in deadlines.items() if d <= now or self._stop.is_set()]:
                drop(sock)
        sel.close()


class HostServer:
    def __init__(self, service: HostService, socket_path: Path, allowed_uid: int | None = None, *,
                 max_connections: int = MAX_CONNECTIONS, process_share: int = PROCESS_SHARE,
                 idle_timeout: float = IDLE_TIMEOUT, line_timeout: float = LINE_TIMEOUT,
                 send_timeout: float = SEND_TIMEOUT, evict_after: float = EVICT_AFTER) -> None:
        self.service = service
        self.socket_path = Path(socket_path)
        self.allowed_uid = os.getuid() if allowed_uid is None else allowed_uid
        self.max_connections = max_connections
        self.process_share = process_share
        self.idle_timeout = idle_timeout
        self.line_timeout = line_timeout
        self.send_timeout = send_timeout
        self.evict_after = evict_after
        self._clients: set[_Client] = set()
        self._lock = threading.Lock()
        self._linger = _Lingerer()
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self.refused = 0  # connections refused as busy (for tests and the campaign)
        self.evicted = 0  # idle connections closed to make room
        self.on_shutdown_request = None  # set by `host serve`
        if hasattr(service, "stop_handler"):  # host.stop (checked by the registry like any method) ends up here
            service.stop_handler = self._stop_requested

    def _stop_requested(self) -> None:
        if self.on_shutdown_request:
            self.on_shutdown_request()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._clients)

    def bind(self) -> None:
        prepare_runtime_dir(self.socket_path.parent)
        if self.socket_path.exists():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            probe.settimeout(5.0)
            try:
                probe.connect(str(self.socket_path))
                raise RuntimeError(f"a host service is already listening on {self.socket_path}")
            except (ConnectionRefusedError, FileNotFoundError):
                self.socket_path.unlink(missing_ok=True)  # a stale socket from a killed service
            finally:
                probe.close()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(str(self.socket_path))
        finally:
            os.umask(old)
        os.chmod(self.socket_path, 0o600)
        sock.listen(128)
        self._sock = sock

    def serve_forever(self) -> None:
        assert self._sock is not None, "bind() first"
        for conn, _ in accepted(self._sock, self._stop):
            try:
                self._admit(conn)
            except OSError:  # the client went away before it could be served
                conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        self.socket_path.unlink(missing_ok=True)
        self._linger.stop()

    # --- admission -----------------------------------------------------------------------------------------------
    def admit(self, conn: socket.socket, peer: tuple[int, int]) -> None:
        """Serve a connection another listener accepted and vouched for (the TLS listener, core/local/tls.py,
        hands over one end of a socket pair): ``peer`` is the (pid, uid) it stands for, as for a local client."""
        self._admit(conn, peer)

    def _admit(self, conn: socket.socket, peer: tuple[int, int] | None = None) -> None:
        pid, uid = peer if peer is not None else peer_credentials(conn)
        if uid != self.allowed_uid:
            log.warning("refused a connection from uid %d (pid %d)", uid, pid)
            self._close_with(conn, _error(None, "protocol", f"permission denied: uid {uid} does not own this "
                                                            f"host service"))
            return
        victim = refusal = None
        with self._lock:
            mine = [c for c in self._clients if c.pid == pid]
            if len(mine) >= self.process_share:
                victim = self._victim(mine)
                if victim is None:
                    refusal = (f"the host service is busy ({len(self._clients)} connections; one program may hold "
                               f"{self.process_share})")
            elif len(self._clients) >= self.max_connections:
                victim = self._victim(self._clients)
                if victim is None:
                    refusal = f"the host service is busy ({len(self._clients)} connections)"
            if victim is not None:
                victim.state = "closed"
                self._clients.discard(victim)
                self.evicted += 1
            if refusal is None:
                client = _Client(conn, pid, uid)
                self._clients.add(client)
            else:
                self.refused += 1
        if victim is not None:
            log.info("closed an idle connection of pid %d to make room for pid %d", victim.pid, pid)
            self._notify_and_shut(victim.sock, _error(None, "unavailable", "the host service closed this idle "
                                                      "connection to make room for another", IDLE_CODE))
        if refusal is not None:
            log.warning("refused a connection of pid %d: %s", pid, refusal)
            self._close_with(conn, _error(None, "unavailable", refusal, BUSY_CODE))
            return
        threading.Thread(target=self._serve_connection, args=(client,), daemon=True, name="host-connection").start()

    def _victim(self, clients) -> _Client | None:
        """The connection to close for a newcomer: waiting for a request the longest (EVICT_AFTER at least), from
        the process that holds the most connections. Busy and event connections are never taken."""
        now = time.monotonic()
        held: dict[int, int] = {}
        for c in self._clients:
            held[c.pid] = held.get(c.pid, 0) + 1
        idle = [c for c in clients if c.state in ("idle", "reading") and now - c.since >= self.evict_after]
        return min(idle, key=lambda c: (-held[c.pid], c.since), default=None)

    @staticmethod
    def _notify_and_shut(sock: socket.socket, line: bytes) -> None:
        """Tell a connection served by another thread why it ends, and wake that thread (it then closes it)."""
        try:
            sock.send(line, socket.MSG_DONTWAIT)
        except OSError:
            pass
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _close_with(self, sock: socket.socket, line: bytes) -> None:
        """Send a last line, then let the client read it: stop sending, drop what it still sends for a moment."""
        try:
            sock.settimeout(1.0)
            sock.sendall(line)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            sock.close()
            return
        self._linger.add(sock, LINGER)

    # --- one connection ----------------------------------------------------------------------------------------
    def _set_state(self, client: _Client, state: str) -> bool:
        """Move a connection to ``state``; False if it was closed meanwhile (to make room: nothing may run)."""
        with self._lock:
            if client.state == "closed":
                return False
            if state != client.state:
                client.state, client.since = state, time.monotonic()
            return True

    def _serve_connection(self, client: _Client) -> None:
        conn = client.sock
        last = b""  # a line to send before closing (why it closes)
        try:
            last = self._read_requests(client)
        except OSError:
            pass
        finally:
            with self._lock:
                closed = client.state == "closed"
                client.state = "closed"
                self._clients.discard(client)
            if last and not closed:
                self._close_with(conn, last)
            else:
                conn.close()

    def _read_requests(self, client: _Client) -> bytes:
        """Answer request lines until the client leaves; returns the line to end with (b"" for none)."""
        conn = client.sock
        buf = bytearray()
        started = 0.0  # when the first byte of the line being read arrived
        while not self._stop.is_set():
            nl = buf.find(b"\n")
            if nl > REQUEST_LIMIT or (nl < 0 and len(buf) > REQUEST_LIMIT):
                return _error(None, "protocol", f"request larger than {REQUEST_LIMIT} bytes")
            if nl >= 0:
                line = bytes(buf[: nl + 1])
                del buf[: nl + 1]
                if not self._set_state(client, "busy"):
                    return b""
                reply = self._answer(line)
                if reply is _SUBSCRIBE:
                    self._set_state(client, "stream")
                    self._stream_events(conn)
                    return b""
                if not isinstance(reply, bytes):  # vm.move.send / vm.move.receive: the connection is the stream
                    self._set_state(client, "stream")
                    self._serve_stream(conn, reply, bytes(buf))
                    return b""
                conn.settimeout(self.send_timeout)
                conn.sendall(reply)
                started = time.monotonic()
                if not self._set_state(client, "reading" if buf else "idle"):
                    return b""
                continue
            now = time.monotonic()
            if buf:
                left = started + self.line_timeout - now
                if left <= 0:
                    return _error(None, "protocol", f"the request did not arrive whole within "
                                                    f"{self.line_timeout:g} s")
            else:
                left = client.since + self.idle_timeout - now
                if left <= 0:
                    return _error(None, "unavailable", f"the host service closed this connection after "
                                                       f"{self.idle_timeout:g} s without a request", IDLE_CODE)
            conn.settimeout(min(left, 1.0))  # wake at least each second to notice stop()
            try:
                chunk = conn.recv(1 << 16)
            except TimeoutError:
                continue
            if not chunk:
                return b""
            if not buf:
                if not self._set_state(client, "reading"):
                    return b""
                started = time.monotonic()
            buf += chunk
        return b""

    def _answer(self, line: bytes):
        request_id = None
        try:
            try:
                request = json.loads(line)
            except RecursionError:
                raise UsageError(f"request nested deeper than {JSON_DEPTH_MAX} levels") from None
            except ValueError:
                raise ProtocolError("request is not JSON") from None
            if not isinstance(request, dict):
                raise ProtocolError("request must be a JSON object")
            request_id = request.get("id") if _plain(request.get("id")) else None
            check_depth(request, -1)  # its params are checked from depth 0, as dispatch does
            if request.get("v") != PROTOCOL_VERSION:
                raise ProtocolError(f"protocol version {short(request.get('v'))} is not spoken here "
                                    f"(this service speaks {PROTOCOL_VERSION})")
            method = request.get("method")
            if not isinstance(method, str):
                raise ProtocolError("request has no method")
            if method == "events.subscribe":
                return _SUBSCRIBE
            if method == "host.hello":
                return _encode({"id": request_id, "result": {"protocol": PROTOCOL_VERSION, "pid": os.getpid()}})
            params = request.get("params")
            if request.get("upgrade") is True and hasattr(self.service, "open_stream"):
                upgrade = self.service.open_stream(method, {} if params is None else params)
                upgrade.line = _encode({"id": request_id, "result": upgrade.answer})
                return upgrade
            result = dispatch(self.service, method, {} if params is None else params)
            return _encode({"id": request_id, "result": result})
        except BulkheadError as e:
            error = e.to_dict()
            error["message"] = _printable(error["message"])
            return _encode({"id": request_id, "error": error})
        except RecursionError:
            return _error(request_id, "usage", f"request nested deeper than {JSON_DEPTH_MAX} levels")
        except Exception as e:  # a bug answers with a message and the service keeps serving
            log.exception("request failed")
            return _error(request_id, "failed", f"internal error: {e}")

    def _serve_stream(self, conn: socket.socket, upgrade, leftover: bytes) -> None:
        """Send a stream method's answer line, then hand the connection to it (core/local/migration.py)."""
        try:
            conn.settimeout(self.send_timeout)
            conn.sendall(upgrade.line)
        except OSError:
            upgrade.unused()
            raise
        upgrade.run(conn, leftover)

    def _stream_events(self, conn: socket.socket) -> None:
        events: queue.Queue = queue.Queue(EVENT_QUEUE)
        dropped = [0]

        def listener(kind: str, data: dict) -> None:
            try:
                events.put_nowait((kind, data))
            except queue.Full:
                dropped[0] += 1

        unsubscribe = self.service.subscribe(listener)
        conn.settimeout(self.send_timeout)
        hangup = select.poll()  # a subscriber that went away frees its connection's slot at once, not at the
        hangup.register(conn.fileno(), select.POLLRDHUP)  # next event that cannot be sent
        try:
            conn.sendall(_encode({"id": None, "result": {"subscribed": True}}))
            while not self._stop.is_set():
                try:
                    kind, data = events.get(timeout=0.25)
                except queue.Empty:
                    if hangup.poll(0):
                        return
                    continue
                message = {"event": kind, "data": data}
                if dropped[0]:
                    message["dropped"], dropped[0] = dropped[0], 0
                conn.sendall(_encode(message))
        finally:
            unsubscribe()


def serve(paths, backend: str | None = None, listen: str | None = None, remember: bool = False) -> int:
    """Run the host service in this process until SIGTERM/SIGINT or a host.stop request; with ``listen``
    (ADDR[:PORT]) also over TLS with client certificates (core/local/tls.py), and with ``remember`` that address is
    saved for later starts (core/local/listen_address.py). Without ``listen`` the saved address is served, if any;
    one that cannot be served then is logged and the service starts without TLS."""
    import signal

    from core.engine import kvm

    os.umask(0o077)  # whatever it makes (store, job history, saved states, logs) is this user's alone
    kvm.install_kick_handler()
    lock = acquire_host_lock(paths)
    tls = _tls_listener(paths, listen, remember)
    service = HostService(paths, backend)
    swept = getattr(getattr(service, "store", None), "swept", None)
    if swept:
        log.info("removed %d temporary files left by an interrupted service: %s", len(swept),
                 ", ".join(swept[:10]) + (" ..." if len(swept) > 10 else ""))
    server = HostServer(service, paths.socket)
    server.bind()
    done = threading.Event()
    server.on_shutdown_request = done.set
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: done.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="host-accept")
    thread.start()
    log.info("host service %d listening on %s (%s)", os.getpid(), paths.socket, service.hypervisor.backend.name)
    if tls is not None:
        tls.start(server)
        service.migration_tls = (tls.address[0], tls.pki)  # direct moves: a migration listener beside it
    service.run_start_actions()
    try:
        while not done.wait(0.5):
            pass
    finally:
        if tls is not None:
            tls.stop()
        server.stop()
        service.shutdown()
        lock.close()  # only now may another host service take the store
    return 0


def _tls_listener(paths, listen: str | None, remember: bool):
    """The TLS listener, bound and its certificates loaded before anything is served: a problem with an address
    given stops the start; one with the saved address is logged (the local socket is served all the same)."""
    from . import listen_address
    from .tls import TlsListener

    home = paths.data if paths.runtime == paths.data / "run" else None
    if listen:
        tls = TlsListener(listen, home=home)
        if remember:
            listen_address.save_listen(paths, listen)
        return tls
    saved = listen_address.saved_listen(paths)
    if not saved:
        return None
    try:
        tls = TlsListener(saved, home=home)
    except (BulkheadError, OSError) as e:
        log.error("not serving TLS on %s (saved in %s by bulkhead host serve --listen): %s; bulkhead host serve "
                  "--listen off forgets it", saved, listen_address.config_path(paths), e)
        return None
    log.info("serving TLS on %s as saved in %s (bulkhead host serve --listen off forgets it)", saved,
             listen_address.config_path(paths))
    return tls


def acquire_host_lock(paths, wait: float = 30.0):
    """One host service per store: an exclusive lock held for the service's life. A service that is still saving
    its VMs on the way out holds it, so a new one waits for it rather than racing it."""
    import fcntl

    private_dir(paths.data, "store folder")
    fd = os.open(paths.data / "host.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    os.fchmod(fd, 0o600)
    f = os.fdopen(fd, "a+")  # held open for the process's life
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except BlockingIOError:
            if time.monotonic() > deadline:
                f.close()
                raise RuntimeError(f"another host service is using {paths.data}") from None
            time.sleep(0.1)
