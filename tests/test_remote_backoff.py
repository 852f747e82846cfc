"""Reconnecting with backoff, against a far side in this process (a fake link whose host can vanish and return):
the pause doubles from attempt to attempt up to its ceiling, each failed attempt says why, reconnect() tries at
once, and calls never wait on a dead link."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import core.remote.transport as transport_module
from core.model.errors import ServiceUnavailable
from core.remote.transport import RemoteTransport
from core.remote.uri import parse_uri


class FakeLink:
    """Opens a socket pair whose far end answers like a host service (hello, vm.list) while ``up``."""

    def __init__(self) -> None:
        self.up = True
        self.attempts: list[float] = []
        self.far: list[socket.socket] = []

    def open(self, timeout: float) -> socket.socket:
        self.attempts.append(time.monotonic())
        if not self.up:
            raise ServiceUnavailable("cannot reach fake: Connection refused")
        ours, theirs = socket.socketpair()
        self.far.append(theirs)
        threading.Thread(target=self._serve, args=(theirs,), daemon=True).start()
        return ours

    def _serve(self, sock: socket.socket) -> None:
        try:
            for line in sock.makefile("rb"):
                request = json.loads(line)
                if request["method"] == "events.subscribe":
                    sock.sendall(b'{"id": null, "result": {"subscribed": true}}\n')
                    continue
                result = {"protocol": 1} if request["method"] == "host.hello" else []
                sock.sendall(json.dumps({"id": request["id"], "result": result}).encode() + b"\n")
        except OSError:
            pass

    def vanish(self) -> None:
        self.up = False
        for sock in self.far:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.far.clear()

    def failure(self, sock, error: str) -> str:
        return error

    def release(self, sock) -> None:
        sock.close()

    def close(self) -> None:
        self.vanish()


def test_backoff_doubles_up_to_its_ceiling_and_reconnect_tries_at_once(monkeypatch):
    monkeypatch.setattr(transport_module, "RETRY_FIRST", 0.1)
    link = FakeLink()
    t = RemoteTransport(parse_uri("bulkhead+tls://fake"), link, retry_max=0.4)
    try:
        told = []
        t.subscribe(lambda kind, data: told.append(data) if kind == "connection.status" else None)
        assert t.call("vm.list") == []
        link.vanish()
        deadline = time.monotonic() + 5
        while len(link.attempts) < 7 and time.monotonic() < deadline:
            time.sleep(0.02)
        status = t.status()
        assert status["state"] == "disconnected" and "Connection refused" in status["reason"]
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="is disconnected: .*Connection refused"):
            t.call("vm.list")
        assert time.monotonic() - started < 0.5
        gaps = [round(b - a, 2) for a, b in zip(link.attempts[2:], link.attempts[3:])]  # after the first open
        assert gaps[0] < gaps[1] <= 0.4 + 0.3 and max(gaps) < 0.4 + 0.3, gaps  # 0.1, 0.2, 0.4, 0.4 ...
        link.up = True
        t.reconnect()
        deadline = time.monotonic() + 2
        while t.status()["state"] != "connected" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert t.status()["state"] == "connected" and t.call("vm.list") == []
        deadline = time.monotonic() + 2
        while not (told and told[-1]["state"] == "connected") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [d["state"] for d in told][-2:] == ["disconnected", "connected"], told
    finally:
        t.close()
