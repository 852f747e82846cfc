"""The host service's local API: newline-delimited JSON over a Unix socket.

The socket lives in a 0700 folder and is itself 0600; the peer's uid is checked with SO_PEERCRED and any other
uid is refused. A request is one line of at most ``REQUEST_LIMIT`` bytes:
``{"v": 1, "id": 7, "method": "vm.start", "params": {"vm": "web1"}}``; the answer carries the same id and either
``result`` or ``error`` (``{"kind": ..., "message": ...}``). ``events.subscribe`` turns a connection into a stream of
``{"event": kind, "data": ...}`` lines, each subscriber with a bounded queue: a slow client loses events, it never
slows the service.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import socket
import stat
import struct
import threading
from pathlib import Path

from core.hosts.registry import dispatch
from core.model.errors import BulkheadError, ProtocolError

from .host import HostService

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
REQUEST_LIMIT = 1 << 20
MAX_CONNECTIONS = 64
EVENT_QUEUE = 1000


def peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def prepare_runtime_dir(path: Path) -> None:
    """Create (or check) the socket's folder: ours, and 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    st = path.stat()
    if st.st_uid != os.getuid():
        raise PermissionError(f"{path} belongs to uid {st.st_uid}, not to this user")
    if stat.S_IMODE(st.st_mode) != 0o700:
        os.chmod(path, 0o700)


class HostServer:
    def __init__(self, service: HostService, socket_path: Path, allowed_uid: int | None = None) -> None:
        self.service = service
        self.socket_path = Path(socket_path)
        self.allowed_uid = os.getuid() if allowed_uid is None else allowed_uid
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self.on_shutdown_request = None  # set by `host serve`

    def bind(self) -> None:
        prepare_runtime_dir(self.socket_path.parent)
        if self.socket_path.exists():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
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
        sock.listen(32)
        self._sock = sock

    def serve_forever(self) -> None:
        assert self._sock is not None, "bind() first"
        self._sock.settimeout(0.5)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            if not self._slots.acquire(blocking=False):
                self._send(conn, {"id": None, "error": {"kind": "unavailable",
                                                        "message": "too many connections; try again"}})
                conn.close()
                continue
            threading.Thread(target=self._serve_connection, args=(conn,), daemon=True,
                             name="host-connection").start()

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        self.socket_path.unlink(missing_ok=True)

    # --- one connection ----------------------------------------------------------------------------------------
    @staticmethod
    def _send(conn: socket.socket, message: dict) -> None:
        conn.sendall(json.dumps(message, separators=(",", ":")).encode() + b"\n")

    def _serve_connection(self, conn: socket.socket) -> None:
        try:
            uid = peer_uid(conn)
            if uid != self.allowed_uid:
                log.warning("refused a connection from uid %d", uid)
                self._send(conn, {"id": None, "error": {
                    "kind": "protocol", "message": f"permission denied: uid {uid} does not own this host service"}})
                return
            reader = conn.makefile("rb")
            while not self._stop.is_set():
                line = reader.readline(REQUEST_LIMIT + 1)
                if not line:
                    return
                if len(line) > REQUEST_LIMIT and not line.endswith(b"\n"):
                    self._send(conn, {"id": None, "error": {
                        "kind": "protocol", "message": f"request larger than {REQUEST_LIMIT} bytes"}})
                    return  # the rest of the line cannot be resynchronised
                reply = self._answer(line)
                if reply == "subscribe":
                    self._stream_events(conn)
                    return
                self._send(conn, reply)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            conn.close()
            self._slots.release()

    def _answer(self, line: bytes) -> dict | str:
        request_id = None
        try:
            try:
                request = json.loads(line)
            except ValueError:
                raise ProtocolError("request is not JSON") from None
            if not isinstance(request, dict):
                raise ProtocolError("request must be a JSON object")
            request_id = request.get("id")
            if request.get("v") != PROTOCOL_VERSION:
                raise ProtocolError(f"protocol version {request.get('v')!r} is not spoken here "
                                    f"(this service speaks {PROTOCOL_VERSION})")
            method = request.get("method")
            if not isinstance(method, str):
                raise ProtocolError("request has no method")
            if method == "events.subscribe":
                return "subscribe"
            if method == "host.hello":
                return {"id": request_id, "result": {"protocol": PROTOCOL_VERSION, "pid": os.getpid()}}
            if method == "host.stop":
                if self.on_shutdown_request:
                    threading.Thread(target=self.on_shutdown_request, daemon=True).start()
                return {"id": request_id, "result": {"stopping": True}}
            result = dispatch(self.service, method, request.get("params") or {})
            return {"id": request_id, "result": result}
        except BulkheadError as e:
            return {"id": request_id, "error": {"kind": e.kind, "message": str(e)}}
        except Exception as e:  # a bug answers with a message and the service keeps serving
            log.exception("request failed")
            return {"id": request_id, "error": {"kind": "failed", "message": f"internal error: {e}"}}

    def _stream_events(self, conn: socket.socket) -> None:
        events: queue.Queue = queue.Queue(EVENT_QUEUE)
        dropped = [0]

        def listener(kind: str, data: dict) -> None:
            try:
                events.put_nowait((kind, data))
            except queue.Full:
                dropped[0] += 1

        unsubscribe = self.service.subscribe(listener)
        try:
            self._send(conn, {"id": None, "result": {"subscribed": True}})
            while not self._stop.is_set():
                try:
                    kind, data = events.get(timeout=1.0)
                except queue.Empty:
                    continue
                message = {"event": kind, "data": data}
                if dropped[0]:
                    message["dropped"], dropped[0] = dropped[0], 0
                self._send(conn, message)
        finally:
            unsubscribe()


def serve(paths, backend: str | None = None) -> int:
    """Run the host service in this process until SIGTERM/SIGINT or a host.stop request."""
    import signal

    from core.engine import kvm

    kvm.install_kick_handler()
    lock = acquire_host_lock(paths)
    service = HostService(paths, backend)
    server = HostServer(service, paths.socket)
    server.bind()
    done = threading.Event()
    server.on_shutdown_request = done.set
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: done.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="host-accept")
    thread.start()
    log.info("host service %d listening on %s (%s)", os.getpid(), paths.socket, service.hypervisor.backend.name)
    service.run_start_actions()
    try:
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
        service.shutdown()
        lock.close()  # only now may another host service take the store
    return 0


def acquire_host_lock(paths, wait: float = 30.0):
    """One host service per store: an exclusive lock held for the service's life. A service that is still saving
    its VMs on the way out holds it, so a new one waits for it rather than racing it."""
    import fcntl
    import time

    paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
    f = open(paths.data / "host.lock", "a+")  # noqa: SIM115 - held open for the process's life
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
