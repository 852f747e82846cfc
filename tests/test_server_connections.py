"""The host service's socket under misbehaving clients: idle and half-sent connections cannot lock the others out,
a refusal is read as "the host service is busy (N connections)", idle connections are closed and reopened, and
requests nested without end are usage errors."""

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from core.api import Connection
from core.api import transport as transport_module
from core.api.transport import SocketTransport
from core.hosts.paths import HostPaths
from core.local import server as server_module
from core.local.host import HostService
from core.local.server import HostServer
from core.model.errors import ServiceUnavailable

from .conftest import ROOT
from .helpers.sockets import raw as _raw
from .helpers.sockets import start_holder
from .helpers.waiting import wait_until


@pytest.fixture
def serve(tmp_path):
    """serve(**limits) -> (paths, server): a host service in this process on a socket under tmp_path/home."""
    made = []

    def _serve(**limits):
        home = tmp_path / "home"
        paths = HostPaths(home, home / "run")
        service = HostService(paths)
        server = HostServer(service, paths.socket, **limits)
        server.bind()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append((service, server))
        return paths, server

    yield _serve
    for service, server in made:
        server.stop()
        service.shutdown()


def _hold(path, idle: int, half: int) -> subprocess.Popen:
    holder = start_holder(path, idle, half)
    assert holder.stdout.readline() == "ready\n"
    return holder


def _release(holders) -> None:
    for holder in holders:
        holder.stdin.close()
        holder.wait(timeout=10)


def _wait_for(predicate, timeout: float = 10.0) -> None:
    wait_until(predicate, timeout, poll=0.02, message="timed out")


def _cli_vm_list(paths) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "BULKHEAD_HOME": str(paths.data)}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "core.cli", "vm", "list"], capture_output=True, text=True,
                       timeout=60, env=env, cwd=ROOT)
    return r, time.monotonic() - t0


def _api_vm_list(paths) -> float:
    t0 = time.monotonic()
    with Connection(SocketTransport(paths.socket), "test") as conn:
        assert conn.vms() == []
    return time.monotonic() - t0


def _vm_list_is_quick(paths, held: str, note=lambda: "") -> None:
    """vm list through the API and the CLI answer in time while ``held`` (say, "one program held 64 connections")."""
    api_wait = _api_vm_list(paths)
    r, cli_wait = _cli_vm_list(paths)
    print(f"while {held}: vm list through the API took {api_wait * 1000:.0f} ms, the CLI {cli_wait:.2f} s{note()}")
    assert r.returncode == 0, r.stderr
    assert api_wait < 2.0 and cli_wait < 15.0


def test_vm_list_works_while_one_program_holds_64_idle_and_half_sent_connections(serve):
    paths, server = serve()
    holder = _hold(paths.socket, 32, 32)
    try:
        _wait_for(lambda: server.refused >= 64 - server_module.PROCESS_SHARE)
        assert server.connections == server_module.PROCESS_SHARE  # its share, no more
        _vm_list_is_quick(paths, "one program held 64 connections")
    finally:
        _release([holder])


def test_vm_list_works_while_64_connections_of_many_programs_are_held(serve):
    paths, server = serve()
    holders = [_hold(paths.socket, 4, 4) for _ in range(8)]
    try:
        _wait_for(lambda: server.connections == 64)
        assert server.refused == 0
        time.sleep(server_module.EVICT_AFTER + 0.1)
        _vm_list_is_quick(paths, "8 programs held 64 connections",
                          lambda: f" ({server.evicted} idle connections closed to make room)")
        assert server.evicted >= 1 and server.connections <= 64
    finally:
        _release(holders)


def test_a_refusal_is_read_as_busy_never_as_a_broken_pipe(serve, monkeypatch):
    paths, server = serve(max_connections=2, process_share=2, evict_after=3600)
    held = [socket.socket(socket.AF_UNIX) for _ in range(2)]
    for s in held:
        s.connect(str(paths.socket))
    _wait_for(lambda: server.connections == 2)
    monkeypatch.setattr(transport_module, "BUSY_RETRY", 0.0)
    seen = set()
    for _ in range(40):
        with pytest.raises(ServiceUnavailable) as e:
            SocketTransport(paths.socket).call("vm.list")
        seen.add(str(e.value))
        # a client that writes at once and reads later is told too (the service reads what it sends meanwhile)
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(paths.socket))
            time.sleep(0.005)
            s.sendall(b'{"v": 1, "id": 1, "method": "vm.list"}\n' * 50)
            reply = json.loads(s.makefile("rb").readline())
        assert reply["error"]["code"] == "service.busy"
    assert len(seen) == 1, seen
    assert next(iter(seen)).startswith("the host service is busy (2 connections")
    for s in held:
        s.close()
    _wait_for(lambda: server.connections == 0)
    assert SocketTransport(paths.socket).call("vm.list") == []


def test_a_half_sent_request_is_dropped_after_the_line_timeout(serve):
    paths, server = serve(line_timeout=0.5)
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(paths.socket))
        s.sendall(b'{"v": 1, "id": 1, "method"')
        s.settimeout(5)
        t0 = time.monotonic()
        reply = json.loads(s.makefile("rb").readline())
        assert time.monotonic() - t0 < 3
        assert s.recv(100) == b""  # closed
    assert reply["error"]["message"] == "the request did not arrive whole within 0.5 s"
    _wait_for(lambda: server.connections == 0)


def test_an_idle_connection_is_closed_with_a_reason_and_the_client_connects_again(serve):
    paths, server = serve(idle_timeout=0.5)
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(paths.socket))
        s.settimeout(5)
        reply = json.loads(s.makefile("rb").readline())
    assert reply["id"] is None and reply["error"]["code"] == "connection.idle"
    transport = SocketTransport(paths.socket)
    assert transport.call("vm.list") == []
    time.sleep(1.0)
    _wait_for(lambda: server.connections == 0)
    assert transport.call("vm.list") == []  # opened again, transparently
    transport.close()


def test_an_idle_connection_makes_room_and_its_client_carries_on(serve):
    paths, server = serve(max_connections=2, process_share=2, evict_after=0.2)
    first, second = SocketTransport(paths.socket), SocketTransport(paths.socket)
    assert first.call("vm.list") == [] and second.call("vm.list") == []
    time.sleep(0.3)
    third = SocketTransport(paths.socket)
    assert third.call("vm.list") == []  # the longest idle (first) was closed for it
    assert server.evicted == 1
    time.sleep(0.3)
    assert first.call("vm.list") == []  # told why, so it connected again and sent its request once
    for t in (first, second, third):
        t.close()


@pytest.mark.parametrize("depth", [70, 1000, 100_000])
def test_requests_nested_without_end_are_usage_errors(serve, depth):
    paths, _ = serve()
    deep = b"[" * depth + b"]" * depth
    for payload in (b'{"v": 1, "id": 1, "method": "vm.list", "params": {"a": ' + deep + b"}}\n",
                    b'{"v": 1, "id": ' + deep + b', "method": "vm.list"}\n',
                    b'{"v": 1, "id": 1, "method": "vm.list", "extra": ' + deep + b"}\n",
                    *([deep + b"\n"] if depth >= 1000 else [])):
        reply = _raw(paths.socket, payload)
        assert reply["error"]["kind"] == "usage", reply
        assert "nested deeper than" in reply["error"]["message"]
    assert _raw(paths.socket, b'{"v": 1, "id": 2, "method": "vm.list"}\n') == {"id": 2, "result": []}


def test_strange_requests_get_printable_answers(serve):
    paths, _ = serve()
    reply = _raw(paths.socket, b'{"v": 1, "id": 3, "method": "vm.\\udfff"}\n')
    assert reply["id"] == 3 and reply["error"]["kind"] == "usage"
    reply["error"]["message"].encode("utf-8")  # no lone surrogate reaches a terminal
    reply = _raw(paths.socket, b'{"v": 1, "id": NaN, "method": "vm.list"}\n')
    assert reply["id"] is None and reply["error"]["kind"] == "usage"
    reply = _raw(paths.socket, b'{"v": 1, "id": 4, "method": "vm.list", "params": [1]}\n')
    assert reply["id"] == 4 and reply["error"]["kind"] == "usage"
    reply = _raw(paths.socket, b'{"v": [[[1]]], "id": 5, "method": "vm.list"}\n')
    assert reply["error"]["kind"] == "protocol"


def test_pipelined_requests_are_answered_in_order(serve):
    paths, _ = serve()
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(paths.socket))
        s.sendall(b"".join(b'{"v": 1, "id": %d, "method": "vm.list"}\n' % i for i in range(1, 6)))
        reader = s.makefile("rb")
        assert [json.loads(reader.readline())["id"] for _ in range(5)] == [1, 2, 3, 4, 5]
