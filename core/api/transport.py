"""How a Connection reaches a host service: over its Unix socket, or in-process (embedded)."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from core.model.errors import ProtocolError, ServiceUnavailable, from_kind

PROTOCOL_VERSION = 1


class SocketTransport:
    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._sock = self._open()
        self._reader = self._sock.makefile("rb")
        self._subscriptions: list[socket.socket] = []

    def _open(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(self.path))
        except OSError:
            sock.close()
            raise
        return sock

    def call(self, method: str, params: dict | None = None):
        request = {"v": PROTOCOL_VERSION, "id": next(self._ids), "method": method, "params": params or {}}
        with self._lock:
            try:
                self._sock.sendall(json.dumps(request).encode() + b"\n")
                line = self._reader.readline()
            except OSError as e:
                raise ServiceUnavailable(f"lost the host service at {self.path}: {e.strerror or e}") from None
        if not line:
            raise ServiceUnavailable(f"the host service at {self.path} closed the connection")
        reply = json.loads(line)
        if "error" in reply:
            raise from_kind(reply["error"].get("kind", "failed"), reply["error"].get("message", "unknown error"))
        return reply.get("result")

    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        sock = self._open()
        sock.sendall(json.dumps({"v": PROTOCOL_VERSION, "id": 0, "method": "events.subscribe"}).encode() + b"\n")
        reader = sock.makefile("rb")
        first = json.loads(reader.readline() or b"{}")
        if "error" in first:
            sock.close()
            raise from_kind(first["error"]["kind"], first["error"]["message"])
        self._subscriptions.append(sock)

        def pump() -> None:
            try:
                for line in reader:
                    message = json.loads(line)
                    callback(message["event"], message["data"])
            except (OSError, ValueError):
                pass

        threading.Thread(target=pump, daemon=True, name="bulkhead-events").start()

        def unsubscribe() -> None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

        return unsubscribe

    def close(self) -> None:
        for sock in self._subscriptions:
            try:
                sock.close()
            except OSError:
                pass
        self._sock.close()


class EmbeddedTransport:
    """The host service in this process (tests, single use). Parameters and results make the same JSON round trip
    as over the socket, so both connections behave alike."""

    def __init__(self, service, owned: bool = True) -> None:
        self.service = service
        self.owned = owned

    def call(self, method: str, params: dict | None = None):
        from core.hosts.registry import call_json

        return call_json(self.service, method, params)

    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        return self.service.subscribe(callback)

    def close(self) -> None:
        if self.owned:
            self.service.shutdown()


def spawn_service(paths, wait: float = 20.0) -> None:
    """Start `bulkhead host serve` in the background (its own session, so it outlives this client)."""
    paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
    log = open(paths.log, "ab")  # noqa: SIM115 - handed to the child
    env = dict(os.environ, BULKHEAD_HOME=str(paths.data)) if _explicit_home(paths) else None
    try:
        child = subprocess.Popen([sys.executable, "-m", "core.cli", "host", "serve"], stdin=subprocess.DEVNULL,
                                 stdout=log, stderr=log, start_new_session=True, close_fds=True, env=env,
                                 cwd=str(Path(__file__).resolve().parents[2]))
        # reap it when it ends, should this process still be alive then (no zombie left behind)
        threading.Thread(target=child.wait, daemon=True, name="bulkhead-reaper").start()
    finally:
        log.close()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            SocketTransport(paths.socket).close()
            return
        except OSError:
            time.sleep(0.05)
    raise ServiceUnavailable(f"the host service did not start within {wait:g} s (see {paths.log})")


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
