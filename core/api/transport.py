"""How a Connection reaches a host service: over its Unix socket, or in-process (embedded).

Before connecting, a client checks that the socket and its folder belong to this user and that no other user can
write to them, and after connecting that the process listening runs as this user: a socket someone else put in
the way (a shared or world-writable store folder) is refused with a one-line reason naming the path and its owner.
A connection the service closed while idle is opened again on the next call (the service says so before it
closes, and nothing of the request was run); a busy service is tried again for ``BUSY_RETRY`` seconds and then
shown as "the host service is busy (N connections)".
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import socket
import stat
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from core.model.errors import BulkheadError, ProtocolError, ServiceUnavailable, UsageError, from_kind

PROTOCOL_VERSION = 1
CONNECT_TIMEOUT = 10.0  # a service that does not accept within this long is reported, not waited for
BUSY_RETRY = 2.0  # seconds a client keeps trying a busy service before it says so
LAST_WORDS = 2.0  # seconds to read why the service closed a connection a request could not be sent on
STREAM_ANSWER_MAX = 1 << 20
IDLE_CODE = "connection.idle"  # as core/local/server.py says them
BUSY_CODE = "service.busy"


def check_socket(path: str | os.PathLike) -> None:
    """ProtocolError unless the socket's folder and the socket (if there) belong to this user and no other user can
    write to them; FileNotFoundError if the folder or the socket is not there."""
    path = Path(path)
    me = os.getuid()
    _trusted(path.parent, os.stat(path.parent), me)
    st = os.lstat(path)
    if not stat.S_ISSOCK(st.st_mode):
        raise ProtocolError(f"refusing {path}: it is not a socket (a host service's socket is made by the service)")
    _trusted(path, st, me)


def _trusted(path: Path, st: os.stat_result, me: int) -> None:
    if st.st_uid != me:
        raise ProtocolError(f"refusing {path}: it belongs to uid {st.st_uid}, not to this user (uid {me}), so a host "
                            f"service behind it cannot be trusted")
    if st.st_mode & 0o022:
        raise ProtocolError(f"refusing {path}: other users can write to it (mode {stat.S_IMODE(st.st_mode):04o}); "
                            f"only its owner may (chmod go-w {path})")


def _check_server(sock: socket.socket, path: Path) -> None:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    if uid != os.getuid():
        raise ProtocolError(f"refusing the host service at {path}: it runs as uid {uid} (pid {pid}), not as this "
                            f"user (uid {os.getuid()})")


class SocketTransport:
    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._subscriptions: list[socket.socket] = []
        self._sock: socket.socket | None = self._open()
        self._reader = self._sock.makefile("rb")

    def _open(self) -> socket.socket:
        check_socket(self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(CONNECT_TIMEOUT)
            try:
                sock.connect(str(self.path))
            except TimeoutError:
                raise ServiceUnavailable(f"the host service at {self.path} does not accept connections "
                                         f"(waited {CONNECT_TIMEOUT:g} s)") from None
            _check_server(sock, self.path)
            sock.settimeout(self.timeout)
        except BaseException:
            sock.close()
            raise
        return sock

    # --- one request ---------------------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None):
        request = {"v": PROTOCOL_VERSION, "id": next(self._ids), "method": method, "params": params or {}}
        try:
            payload = json.dumps(request).encode() + b"\n"
        except (TypeError, ValueError) as e:
            raise UsageError(f"{method}: the parameters are not JSON ({e})") from None
        deadline = time.monotonic() + BUSY_RETRY
        resent = False
        with self._lock:
            while True:
                reply = self._round_trip(payload)
                error = reply.get("error")
                if reply.get("id") is None and isinstance(error, dict):
                    code = error.get("code")
                    if code == IDLE_CODE and not resent:  # closed before the request was read: nothing ran
                        self._drop()
                        resent = True
                        continue
                    if code == BUSY_CODE and time.monotonic() < deadline:  # refused before it was read
                        self._drop()
                        time.sleep(0.1)
                        continue
                    self._drop()  # the service ends this connection after such a line
                break
        if "error" in reply:
            return self._raise(reply["error"])
        return reply.get("result")

    @staticmethod
    def _raise(error):
        if not isinstance(error, dict):
            raise ProtocolError(f"the host service answered with a malformed error: {str(error)[:80]}")
        raise from_kind(str(error.get("kind", "failed")), str(error.get("message", "unknown error")),
                        str(error.get("code") or ""), error.get("params"))

    def _round_trip(self, payload: bytes) -> dict:
        """Send one request line and read one answer line (under the lock); a new connection if the old one ended."""
        if self._sock is None or self._ended():
            self._drop()
            try:
                self._sock = self._open()
            except (FileNotFoundError, ConnectionRefusedError) as e:
                raise ServiceUnavailable(f"lost the host service at {self.path}: {e.strerror or e}") from None
            self._reader = self._sock.makefile("rb")
        sent: OSError | None = None
        try:
            self._sock.sendall(payload)
        except OSError as e:  # it may have closed with a reason: read it
            sent = e
        try:
            if sent is not None:
                self._sock.settimeout(LAST_WORDS)
            line = self._reader.readline()
        except OSError as e:
            line, sent = b"", sent or e
        if not line:
            self._drop()
            if sent is not None:
                raise ServiceUnavailable(f"lost the host service at {self.path}: {sent.strerror or sent}")
            raise ServiceUnavailable(f"the host service at {self.path} closed the connection")
        if sent is not None:
            self._drop()
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            reply = None
        if not isinstance(reply, dict):
            self._drop()
            raise ProtocolError(f"the host service at {self.path} answered with something that is not a protocol "
                                f"message")
        return reply

    def _ended(self) -> bool:
        """Whether the service has closed this connection (or said it will) since the last answer."""
        poll = select.poll()
        poll.register(self._sock, select.POLLIN)
        return bool(poll.poll(0))

    def _drop(self) -> None:
        if self._sock is not None:
            try:
                self._reader.close()
                self._sock.close()
            except OSError:
                pass
        self._sock = None

    # --- events --------------------------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        deadline = time.monotonic() + BUSY_RETRY
        while True:
            sock = self._open()
            reader = sock.makefile("rb")
            try:
                sock.sendall(json.dumps({"v": PROTOCOL_VERSION, "id": 0, "method": "events.subscribe"}).encode()
                             + b"\n")
            except OSError:
                pass  # the reason, if any, is read below
            try:
                first = json.loads(reader.readline() or b"{}")
            except (OSError, ValueError):
                first = {"error": {"kind": "unavailable", "message": f"lost the host service at {self.path}"}}
            error = first.get("error") if isinstance(first, dict) else {"message": "not a protocol message"}
            if not error:
                break
            sock.close()
            if isinstance(error, dict) and error.get("code") == BUSY_CODE and time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            self._raise(error)
        self._subscriptions.append(sock)

        def pump() -> None:
            try:
                for line in reader:
                    message = json.loads(line)
                    if not isinstance(message, dict) or "event" not in message:
                        return  # the service ends the stream (it says why in such a line)
                    callback(message["event"], message.get("data") or {})
            except (OSError, ValueError, RecursionError):
                pass

        threading.Thread(target=pump, daemon=True, name="bulkhead-events").start()

        def unsubscribe() -> None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

        return unsubscribe

    # --- byte streams (a VM's move) --------------------------------------------------------------------------------
    def open_stream(self, method: str, params: dict | None = None) -> RawStream:
        """A new connection turned into a byte stream by ``method`` (vm.move.send, vm.move.receive): the request is
        sent, its answer read (an error is raised as the host said it), and what follows is the stream's."""
        request = {"v": PROTOCOL_VERSION, "id": 0, "method": method, "params": params or {}, "upgrade": True}
        sock = self._open()
        try:
            sock.sendall(json.dumps(request).encode() + b"\n")
            buf = b""
            while b"\n" not in buf:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    raise ServiceUnavailable(f"the host service at {self.path} closed the stream before answering")
                buf += chunk
                if len(buf) > STREAM_ANSWER_MAX:
                    raise ProtocolError(f"the host service at {self.path} answered {method} with too long a line")
            line, rest = buf.split(b"\n", 1)
            try:
                reply = json.loads(line)
            except (ValueError, RecursionError):
                reply = None
            if not isinstance(reply, dict):
                raise ProtocolError(f"the host service at {self.path} answered {method} with something that is not "
                                    f"a protocol message")
            if "error" in reply:
                self._raise(reply["error"])
        except OSError as e:
            self._release_stream(sock)
            raise ServiceUnavailable(f"lost the host service at {self.path}: {e.strerror or e}") from None
        except BaseException:
            self._release_stream(sock)
            raise
        sock.settimeout(None)
        return RawStream(sock, reply.get("result"), rest, self._release_stream)

    def _release_stream(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.close()

    def close(self) -> None:
        for sock in self._subscriptions:
            self._release_stream(sock)
        with self._lock:
            self._drop()


class RawStream:
    """A connection a stream method turned into bytes: ``answer`` is the method's result, ``leftover`` the stream's
    first bytes read with it; ``close()`` ends it."""

    def __init__(self, sock: socket.socket, answer, leftover: bytes = b"", release=None) -> None:
        self.sock, self.answer, self.leftover = sock, answer, leftover
        self._release = release or (lambda s: s.close())
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._release(self.sock)


class EmbeddedTransport:
    """The host service in this process (tests, single use). Parameters and results make the same JSON round trip
    as over the socket, so both connections behave alike."""

    def __init__(self, service, owned: bool = True) -> None:
        self.service = service
        self.owned = owned

    def call(self, method: str, params: dict | None = None):
        from core.hosts.registry import call_json

        return call_json(self.service, method, params)

    def open_stream(self, method: str, params: dict | None = None) -> RawStream:
        """As over the socket: the service serves one end of a socket pair on a thread of its own."""
        try:
            params = json.loads(json.dumps(params or {}))
        except (TypeError, ValueError) as e:
            raise UsageError(f"params are not JSON: {e}") from None
        upgrade = self.service.open_stream(method, params)
        ours, theirs = socket.socketpair()
        threading.Thread(target=upgrade.run, args=(theirs, b""), daemon=True, name="bulkhead-stream").start()
        return RawStream(ours, json.loads(json.dumps(upgrade.answer)))

    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        return self.service.subscribe(callback)

    def close(self) -> None:
        if self.owned:
            self.service.shutdown()


def spawn_service(paths, wait: float = 20.0) -> None:
    """Start `bulkhead host serve` in the background (its own session, so it outlives this client). A service that
    exits instead (a store folder of another user, a broken install) is reported at once with its last word."""
    from core.hosts.paths import private_dir

    try:
        private_dir(paths.data, "store folder")
        fd = os.open(paths.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as e:
        raise ServiceUnavailable(f"cannot start the host service: {e}") from None
    try:
        os.fchmod(fd, 0o600)
        log_start = os.fstat(fd).st_size
        env = dict(os.environ, BULKHEAD_HOME=str(paths.data)) if _explicit_home(paths) else None
        import subprocess  # only to start the service: 7 ms of imports a command need not pay

        child = subprocess.Popen([sys.executable, "-m", "core.cli", "host", "serve"], stdin=subprocess.DEVNULL,
                                 stdout=fd, stderr=fd, start_new_session=True, close_fds=True, env=env,
                                 cwd=str(Path(__file__).resolve().parents[2]))
    finally:
        os.close(fd)
    deadline = time.monotonic() + wait
    while True:
        if _answers(paths):
            break
        code = child.poll()
        if code is not None:
            if _answers(paths):  # another service took the store first: use that one
                return
            said = _last_line(paths.log, log_start) or f"it exited with code {code}"
            raise ServiceUnavailable(f"the host service did not start: {said} (see {paths.log})")
        if time.monotonic() > deadline:
            threading.Thread(target=child.wait, daemon=True, name="bulkhead-reaper").start()
            raise ServiceUnavailable(f"the host service did not start within {wait:g} s (see {paths.log})")
        time.sleep(0.05)
    # reap it when it ends, should this process still be alive then (no zombie left behind)
    threading.Thread(target=child.wait, daemon=True, name="bulkhead-reaper").start()


def _answers(paths) -> bool:
    try:
        SocketTransport(paths.socket).close()
        return True
    except (OSError, BulkheadError):
        return False


def _last_line(log: Path, start: int) -> str:
    """The last line a failed service wrote to its log (after ``start``), one line, at most 300 characters."""
    try:
        with open(log, "rb") as f:
            f.seek(max(start, f.seek(0, os.SEEK_END) - 8192))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1].removeprefix("bulkhead: ")
    return line if len(line) <= 300 else line[:297] + "..."


def _explicit_home(paths) -> bool:
    return paths.runtime == paths.data / "run"


def open_socket(paths, autostart: bool = True) -> SocketTransport:
    try:
        return SocketTransport(paths.socket)
    except (FileNotFoundError, ConnectionRefusedError):
        if not autostart:
            raise ServiceUnavailable(f"no host service is running at {paths.socket}") from None
    except PermissionError:
        raise ProtocolError(f"permission denied: {paths.socket} belongs to another user") from None
    spawn_service(paths)
    return SocketTransport(paths.socket)
