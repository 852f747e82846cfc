"""RemoteTransport: the local socket's protocol (core/api/transport.py: request lines and their answers, errors by
kind, a connection the service closed while idle opened again, a busy service tried again, event streams) carried
over a link to a remote host service (core/remote/links.py: OpenSSH or TLS).

What a network adds, and how it is met:

- Every link starts with ``host.hello`` within the connect timeout: a far side that does not answer, answers with
  something that is not the protocol, or speaks another protocol version is refused at once, with the reason
  (ssh's own words, the TLS alert, both protocol versions).
- Nothing waits on a dead link: requests have a timeout (``REQUEST_TIMEOUT``), an idle link is probed each
  ``PROBE_INTERVAL`` (answer within ``PROBE_TIMEOUT``), event streams are watched for their end, and ssh's
  ServerAlive / TCP keepalive end links whose far side vanished.
- A lost link makes the connection ``disconnected`` with the reason: calls fail at once saying so (and when the
  next attempt is), the connection reconnects in the background after 1, 2, 4 ... up to ``RETRY_MAX`` s
  (``reconnect()`` tries at once), and event subscriptions are made again on the new link. Subscribers are told
  each change as a ``connection.status`` event, as libvirt connections tell theirs. Jobs live on the host, so a
  job started before the loss is found again by its id.
"""

from __future__ import annotations

import itertools
import json
import re
import select
import socket
import ssl
import threading
import time
from typing import Callable

from core.api.transport import PROTOCOL_VERSION, SocketTransport
from core.model.errors import BulkheadError, ProtocolError, ServiceUnavailable, from_kind
from core.model.methods import TIMEOUT_MAX

from .links import make_link
from .uri import RemoteTarget, parse_uri

REQUEST_TIMEOUT = 15.0  # seconds one request may take over the network (job.wait asks for its own timeout more)
PROBE_INTERVAL = 1.0
PROBE_TIMEOUT = 2.0  # so a cut link shows as disconnected within PROBE_INTERVAL + TICK + PROBE_TIMEOUT (3.5 s)
TICK = 0.5
RETRY_FIRST = 1.0
RETRY_MAX = 30.0
HELLO_MAX = 1 << 16
HELLO = json.dumps({"v": PROTOCOL_VERSION, "id": 0, "method": "host.hello"}).encode() + b"\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class _Subscription:
    __slots__ = ("active", "callback", "sock", "unsubscribe")

    def __init__(self, callback: Callable[[str, dict], None]) -> None:
        self.callback = callback
        self.active = True
        self.sock: socket.socket | None = None
        self.unsubscribe: Callable[[], None] | None = None

    def deliver(self, kind: str, data: dict) -> None:
        if self.active:
            self.callback(kind, data)


class RemoteTransport(SocketTransport):
    def __init__(self, target: RemoteTarget | str, link=None, *, probe_interval: float = PROBE_INTERVAL,
                 retry_max: float = RETRY_MAX, connect_timeout: float | None = None) -> None:
        self.target = parse_uri(target) if isinstance(target, str) else target
        self.uri = self.target.uri
        self.path = self.target.display  # how SocketTransport's messages name the host service
        self.timeout = REQUEST_TIMEOUT
        self.connect_timeout = connect_timeout or self.target.timeout
        self.probe_interval, self.retry_max = probe_interval, retry_max
        self.link = link or make_link(self.target)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._subscriptions: list[socket.socket] = []
        self._local = threading.local()
        self._closed = threading.Event()
        self._wake = threading.Event()
        self._state_lock = threading.Lock()
        self._subs: list[_Subscription] = []
        self._delay = RETRY_FIRST
        self._retry_at = 0.0
        self.latency: float | None = None
        self.connect_seconds = 0.0
        self.remote: dict = {}
        self._status = {"state": "connecting", "reason": "", "uri": self.uri, "since": time.time()}
        started = time.monotonic()
        self._sock = self._open()
        self.connect_seconds = time.monotonic() - started
        self._reader = self._sock.makefile("rb")
        self._used = time.monotonic()
        self._set_status("connected")
        self._told = (self._status["state"], self._status["reason"])
        threading.Thread(target=self._supervise, daemon=True, name="bulkhead-remote").start()

    # --- links -------------------------------------------------------------------------------------------------
    def _open(self) -> socket.socket:
        if self._closed.is_set():
            raise ServiceUnavailable(f"the connection to {self.path} is closed")
        deadline = time.monotonic() + self.connect_timeout
        sock = self.link.open(self.connect_timeout)
        stream = getattr(self._local, "stream", False)
        try:
            self._hello(sock, deadline)
            sock.settimeout(None if stream else self.timeout)  # a stream waits for events; keepalive ends it
        except BaseException:
            self.link.release(sock)
            raise
        if stream:
            self._local.sock = sock
        return sock

    def _hello(self, sock: socket.socket, deadline: float) -> None:
        """Ask the far side who it is; refuse anything but a host service of our protocol version."""
        buf = b""
        try:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            sock.sendall(HELLO)
            while b"\n" not in buf:
                sock.settimeout(max(0.05, deadline - time.monotonic()))
                chunk = sock.recv(4096)
                if not chunk:
                    raise EOFError
                buf += chunk
                if len(buf) > HELLO_MAX:
                    raise ProtocolError(f"{self.path} did not answer as a Bulkhead host service")
        except ssl.SSLError as e:
            raise ProtocolError(f"cannot connect to {self.path}: {self.link.reason(e)}") from None
        except TimeoutError:
            why = self.link.failure(sock, f"no answer within {self.connect_timeout:g} s")
            raise ServiceUnavailable(f"cannot connect to {self.path}: {why}") from None
        except (EOFError, OSError) as e:
            why = self.link.failure(sock, "the far side closed the connection"
                                    + (f" ({e.strerror or e})" if isinstance(e, OSError) else ""))
            raise ServiceUnavailable(f"cannot connect to {self.path}: {why}") from None
        line = buf.split(b"\n", 1)[0]
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            reply = None
        if not isinstance(reply, dict):
            shown = line[:60].decode("utf-8", "backslashreplace")
            raise ProtocolError(f"{self.path} did not answer as a Bulkhead host service (it said {shown!r})")
        error = reply.get("error")
        if isinstance(error, dict):
            message = _one_line(error.get("message", "refused"))
            if "protocol version" in message:
                found = re.search(r"speaks (\S+?)\)?$", message)
                raise ProtocolError(self._version_refusal(found.group(1) if found else "another"))
            raise from_kind(str(error.get("kind", "failed")), f"{self.path} refused the connection: {message}",
                            str(error.get("code") or ""))
        result = reply.get("result") if isinstance(reply.get("result"), dict) else {}
        if result.get("protocol") != PROTOCOL_VERSION:
            raise ProtocolError(self._version_refusal(result.get("protocol", "unknown")))
        self.remote = result

    def _version_refusal(self, theirs) -> str:
        return (f"{self.path} speaks protocol version {theirs} and this Bulkhead speaks version {PROTOCOL_VERSION}: "
                f"update one of them to the other's version")

    def _drop(self) -> None:
        sock = self._sock
        super()._drop()
        if sock is not None:
            self.link.release(sock)

    # --- requests ----------------------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None):
        if method == "connection.status":
            return self.status()
        self._check_online()
        timeout = self.timeout
        wait = (params or {}).get("timeout") if method == "job.wait" else None
        if isinstance(wait, (int, float)) and not isinstance(wait, bool) and 0 < wait <= TIMEOUT_MAX:
            timeout = max(timeout, float(wait) + self.timeout)  # the host checks the value; we only wait longer
        self._local.timeout = timeout
        try:
            return super().call(method, params)
        finally:
            self._local.timeout = None

    def _round_trip(self, payload: bytes) -> dict:
        if self._sock is not None:
            self._sock.settimeout(getattr(self._local, "timeout", None) or self.timeout)
        try:
            reply = super()._round_trip(payload)
        except (ServiceUnavailable, ProtocolError) as e:  # the link failed (the host's own errors are answers)
            self._drop()
            self._link_failed(str(e))
            raise
        self._used = time.monotonic()
        return reply

    def _check_online(self) -> None:
        if self._closed.is_set():
            raise ServiceUnavailable(f"the connection to {self.path} is closed")
        status = self.status()
        if status["state"] != "connected":
            raise ServiceUnavailable(f"{self.path} is disconnected: {status['reason']} (reconnecting in "
                                     f"{status.get('retry_in', 0):.0f} s)")

    def open_stream(self, method: str, params: dict | None = None):
        """A byte stream over a new link of its own (a VM's move), as over the local socket."""
        self._check_online()
        self._local.stream, self._local.sock = True, None
        try:
            return SocketTransport.open_stream(self, method, params)
        finally:
            self._local.stream = False

    def _release_stream(self, sock: socket.socket) -> None:
        self.link.release(sock)

    # --- the connection's state --------------------------------------------------------------------------------
    def status(self) -> dict:
        with self._state_lock:
            status = dict(self._status)
        if status["state"] == "disconnected":
            status["retry_in"] = round(max(0.0, self._retry_at - time.monotonic()), 1)
        if self.latency is not None:  # the last probe's round trip
            status["latency_ms"] = round(self.latency * 1000, 2)
        status["connect_ms"] = round(self.connect_seconds * 1000, 1)
        return status

    def reconnect(self) -> None:
        """Try to reconnect now instead of after the pause."""
        self._retry_at = 0.0
        self._wake.set()

    def _set_status(self, state: str, reason: str = "") -> None:
        with self._state_lock:
            if self._status["state"] == state and self._status["reason"] == _one_line(reason):
                return
            self._status = {"state": state, "reason": _one_line(reason), "uri": self.uri, "since": time.time()}
        self._wake.set()

    def _link_failed(self, reason: str) -> None:
        if self._closed.is_set():
            return
        with self._state_lock:
            was = self._status["state"]
        if was == "connected":
            self._delay = RETRY_FIRST
            self._retry_at = time.monotonic() + self._delay
        self._set_status("disconnected", reason)

    def _tell(self) -> None:
        """Tell subscribers a change of state (from the supervisor's thread, never under a lock)."""
        status = self.status()
        key = (status["state"], status["reason"])
        if key == self._told:
            return
        self._told = key
        for sub in list(self._subs):
            try:
                sub.deliver("connection.status", status)
            except Exception:  # noqa: BLE001 - one subscriber's failure is not the link's
                pass

    def _supervise(self) -> None:
        while not self._closed.is_set():
            state = self.status()["state"]
            wait = TICK if state == "connected" else max(0.05, min(TICK, self._retry_at - time.monotonic()))
            self._wake.wait(wait)
            self._wake.clear()
            if self._closed.is_set():
                return
            if self.status()["state"] == "connected":
                self._watch_streams()
                self._probe()
            if self.status()["state"] != "connected":
                self._detach_all()
                if time.monotonic() >= self._retry_at:
                    self._try_reconnect()
            self._tell()

    def _watch_streams(self) -> None:
        poll = select.poll()
        for sub in list(self._subs):
            if sub.sock is not None and sub.sock.fileno() >= 0:
                poll.register(sub.sock, select.POLLRDHUP)
        if any(events & (select.POLLRDHUP | select.POLLHUP | select.POLLERR) for _, events in poll.poll(0)):
            self._link_failed("the event stream ended")

    def _probe(self) -> None:
        """Ask an idle link whether the far side is still there (a request in flight has its own timeout)."""
        if time.monotonic() - self._used < self.probe_interval or not self._lock.acquire(blocking=False):
            return
        try:
            self._local.timeout = PROBE_TIMEOUT
            started = time.monotonic()
            self._round_trip(HELLO)
            self.latency = time.monotonic() - started
        except BulkheadError:
            pass  # _round_trip has marked the link lost
        finally:
            self._local.timeout = None
            self._lock.release()

    def _try_reconnect(self) -> None:
        try:
            sock = self._open()
        except BulkheadError as e:
            self._delay = min(self._delay * 2, self.retry_max)
            self._retry_at = time.monotonic() + self._delay
            self._set_status("disconnected", str(e))
            return
        with self._lock:
            self._drop()
            self._sock, self._reader = sock, sock.makefile("rb")
            self._used = time.monotonic()
        for sub in list(self._subs):  # streams first: an event the host sends once "connected" is told is not lost
            if sub.active and sub.unsubscribe is None:
                try:
                    self._attach(sub)
                except BulkheadError as e:
                    self._link_failed(f"cannot subscribe to events again: {e}")
                    return
        self._set_status("connected")
        self._delay = RETRY_FIRST

    # --- events --------------------------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[str, dict], None]) -> Callable[[], None]:
        """Events as over the local socket, kept across reconnections, and ``connection.status`` when the link's
        state changes."""
        sub = _Subscription(callback)
        if self.status()["state"] == "connected":
            try:
                self._attach(sub)
            except ServiceUnavailable as e:
                self._link_failed(str(e))
        self._subs.append(sub)

        def unsubscribe() -> None:
            sub.active = False
            if sub in self._subs:
                self._subs.remove(sub)
            self._detach(sub)

        return unsubscribe

    def _attach(self, sub: _Subscription) -> None:
        self._local.stream, self._local.sock = True, None
        try:
            sub.unsubscribe = SocketTransport.subscribe(self, sub.deliver)
            sub.sock = self._local.sock
        finally:
            self._local.stream = False
        self._subscriptions[:] = [s for s in self._subscriptions if s.fileno() >= 0]

    def _detach(self, sub: _Subscription) -> None:
        unsubscribe, sock = sub.unsubscribe, sub.sock
        sub.unsubscribe = sub.sock = None
        if unsubscribe is not None:
            unsubscribe()
        if sock is not None:
            self.link.release(sock)

    def _detach_all(self) -> None:
        for sub in list(self._subs):
            if sub.unsubscribe is not None:
                self._detach(sub)

    def close(self) -> None:
        self._closed.set()
        self._wake.set()
        sock = self._sock
        if sock is not None:  # a request in flight ends now rather than at its timeout
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass
        for sub in list(self._subs):
            sub.active = False
            self._detach(sub)
        self._subs.clear()
        super().close()
        self.link.close()
