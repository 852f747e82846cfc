"""Moves that go wrong: the destination drops the VM or is killed in the middle, its disk fills up, the move is
cancelled, a token is used twice or late, the stream is damaged or hostile in either direction, the link goes
after GO. Each time exactly one VM runs afterwards (the source's, unless the destination has it durably), its
memory is intact (the guest checks a pattern it wrote), and nothing half-copied is left that looks like a VM."""

from __future__ import annotations

import errno
import json
import socket
import struct
import threading
import zlib

import pytest

from core import api
from core.engine import migration_stream as ms
from core.hosts.certs import Pki
from core.local import migration_files, migration_incoming
from core.local.migration_listener import connect_direct
from core.model.errors import BulkheadError, NotFound, OperationFailed, StateError

from .helpers.moves import (
    MiB,
    guest,
    leftovers,
    names,
    new_running,
    pair_fixture,
    raw_disk,
    service,
    temp_files,
    tls_pair_fixture,
)
from .helpers.waiting import wait, wait_until
from .netns_fixtures import netns_fixture

pair = pair_fixture()
tls_pair = tls_pair_fixture()
netns = netns_fixture(ssh=False, name="netns")
SLOW = 8 * MiB  # bytes/s: a 32 MiB disk takes 4 s, time to fail in the middle


def _with_disk(a, tmp_path, name="db1", size=32 * MiB):
    (tmp_path / "there").mkdir(exist_ok=True)
    disk = tmp_path / f"{name}.img"
    raw_disk(disk, size)
    new_running(a, name, memory="32M", disk=str(disk))
    assert guest(a, name, "pattern fill 4 21").startswith("pattern filled")
    return disk


def _started(conn, job_id: int, timeout: float = 20.0) -> None:
    """Until the move job has sent something."""
    wait(lambda: conn.job(job_id).progress >= 10, timeout, "the move to be under way")


def _moving(a, b, tmp_path):
    """db1 (its disk in tmp_path, its memory pattern filled) moving slowly to ``b``, under way: (disk, job)."""
    disk = _with_disk(a, tmp_path)
    job = a.move_vm("db1", b, type="quick", path=str(tmp_path / "there"), bandwidth=SLOW)
    _started(a, job.id)
    return disk, job


def _intact_at_source(a, b, name: str, disk, tmp_path) -> None:
    wait(lambda: a.vm(name).state == "Running", 20, f"{name} running at the source again")
    assert guest(a, name, "pattern check") == "pattern ok 4 MiB"
    assert disk.exists() and a.vm(name).disk == str(disk)
    if b is not None:
        wait(lambda: b.vms() == [], 10, "the destination to drop the VM")
    assert temp_files(tmp_path / "there") == []


def test_the_destination_dropping_the_vm_midway_leaves_it_running_at_the_source(pair, tmp_path):
    a, b = pair
    disk, job = _moving(a, b, tmp_path)
    token = next(iter(service(b).moves_in))
    b.call("vm.move.abort", token=token)
    job = job.wait(30)
    assert job.state == "Failed" and "carries on here from its saved state" in job.error, job.error
    _intact_at_source(a, b, "db1", disk, tmp_path)
    assert leftovers(tmp_path / "b") == []


def test_cancelling_the_move_leaves_the_vm_at_the_source(pair, tmp_path):
    a, b = pair
    disk, job = _moving(a, b, tmp_path)
    a.cancel_job(job.id)
    assert job.wait(30).state == "Cancelled"
    _intact_at_source(a, b, "db1", disk, tmp_path)
    wait(lambda: b.vms() == [] and leftovers(tmp_path / "b") == [], 10, "the destination to drop the VM")


def test_a_full_disk_at_the_destination_refuses_the_move(pair, tmp_path, monkeypatch):
    a, b = pair
    disk = _with_disk(a, tmp_path, size=8 * MiB)
    written = [0]
    real = migration_files._pwrite

    def pwrite(fd, data, offset):
        written[0] += len(data)
        if written[0] > 3 * MiB:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data, offset)

    monkeypatch.setattr(migration_files, "_pwrite", pwrite)
    job = a.move_vm("db1", b, type="quick", path=str(tmp_path / "there")).wait(30)
    assert job.state == "Failed" and "the destination's disk is full" in job.error, job.error
    _intact_at_source(a, b, "db1", disk, tmp_path)
    assert leftovers(tmp_path / "b") == []


def test_the_destination_killed_midway_and_restarted_holds_nothing(tls_pair, tmp_path):
    _, hb = tls_pair
    with api.connect(str(tmp_path / "a"), embedded=True) as a, api.connect(uri=hb.uri) as b:
        disk = _with_disk(a, tmp_path)
        there = hb.home / "there"
        there.mkdir(exist_ok=True)
        job = a.move_vm("db1", b, path=str(there), bandwidth=SLOW)  # tunnelled: this process to its TLS service
        _started(a, job.id)
        hb.kill()
        job = job.wait(30)
        assert job.state == "Failed", job.error
        _intact_at_source(a, None, "db1", disk, tmp_path)
    hb.start(hb.port)
    with api.connect(uri=hb.uri) as b:
        assert b.vms() == []
    assert leftovers(hb.home) == [] and temp_files(there) == []


@pytest.mark.parametrize("who", ["the destination drops it", "the source's job is cancelled"])
def test_a_live_move_stopped_midway_leaves_the_vm_running_at_the_source(pair, who):
    a, b = pair
    new_running(a, "l1", memory="64M", workload="dirty:40")
    assert guest(a, "l1", "pattern fill 4 21").startswith("pattern filled")
    job = a.move_vm("l1", b, type="live", bandwidth=4 * MiB, auto_converge=False)
    wait_until(lambda: service(b).moves_in and next(iter(service(b).moves_in.values())).state == "receiving", 10,
               "the stream to begin")
    wait(lambda: a.job(job.id).progress >= 15, 20, "a round")
    if who.startswith("the destination"):
        b.call("vm.move.abort", token=next(iter(service(b).moves_in)))
        job = job.wait(30)
        assert job.state == "Failed" and "carries on here" in job.error, job.error
    else:
        a.cancel_job(job.id)
        assert job.wait(30).state == "Cancelled"
    assert names(a) == [("l1", "Running")]
    wait(lambda: b.vms() == [], 10, "the destination to drop the VM")
    assert guest(a, "l1", "pattern check") == "pattern ok 4 MiB"


# --- tokens ----------------------------------------------------------------------------------------------------
def test_a_direct_stream_needs_a_live_token_once_and_the_pinned_certificate(pair, tmp_path, monkeypatch):
    a, b = pair
    pki = Pki(tmp_path / "pki")
    pki.make_ca("Test CA")
    pki.make_host(["127.0.0.1"])
    service(b).migration_tls = ("127.0.0.1", pki)
    a.new_vm("web1", memory="32M").wait(check=True)
    prepared = b.call("vm.move.prepare", description=a.call("vm.move.begin", vm="web1"), source="rack1")
    direct = prepared["direct"]
    assert direct["address"] == "127.0.0.1" and len(direct["fingerprint"]) == 64
    with pytest.raises(OperationFailed, match="is not the destination's"):
        connect_direct(dict(direct, fingerprint="0" * 64), prepared["token"])
    with pytest.raises(NotFound, match="unknown or has expired"):
        connect_direct(direct, "f" * 64)
    first = connect_direct(direct, prepared["token"])
    with pytest.raises(StateError, match="used already"):
        connect_direct(direct, prepared["token"])
    first.close()
    wait(lambda: b.vms() == [], 10, "the dropped stream's VM to go")
    monkeypatch.setattr(migration_incoming, "TOKEN_TTL", 0.5)
    late = b.call("vm.move.prepare", description=a.call("vm.move.begin", vm="web1"), source="rack1")
    wait(lambda: b.vms() == [], 10, "the token to expire")
    with pytest.raises(NotFound, match="unknown or has expired"):
        connect_direct(late["direct"], late["token"])
    job = a.move_vm("web1", b).wait(30)  # prepared again and used at once: the source connects itself
    assert job.state == "Completed" and job.result["stream"] == "direct", job.error
    assert names(b) == [("web1", "Off")]
    service(a).migration_tls = ("127.0.0.1", pki)
    assert service(a)._direct_address()["port"] > 0
    service(a)._move_listener.stop()  # its address offered, but nothing answers there any more
    with pytest.raises(OperationFailed, match="cannot reach the destination's migration listener"):
        b.move_vm("web1", a, via="direct")
    assert a.vms() == [] and names(b) == [("web1", "Off")]
    job = b.move_vm("web1", a).wait(30)  # the source cannot reach it: the client tunnels the stream
    assert job.state == "Completed" and job.result["stream"] == "tunnelled", job.error


# --- hostile streams -------------------------------------------------------------------------------------------
def _record(rtype: int, payload: bytes, crc: int | None = None) -> bytes:
    return struct.pack("<BBHII", rtype, 0, 0, len(payload), zlib.crc32(payload) if crc is None else crc) + payload


def _json(rtype: int, data: dict) -> bytes:
    return _record(rtype, json.dumps(data).encode())


def _answer(sock) -> ms.Record:
    ch = ms.Channel(sock, timeout=10)
    return ch.recv(10)


DAMAGE = {
    "a page of garbage instead of HELLO": lambda hello, want: [b"\xff" * 64],
    "a record whose crc does not match": lambda hello, want: [
        hello, _json(ms.FILE_BEGIN, {"id": want["id"], "role": want["role"], "name": "x", "size": 8192}),
        _record(ms.FILE_DATA, struct.pack("<IQ", want["id"], 0) + b"\x01" * 4096, crc=1)],
    "a file whose SHA-256 does not match": lambda hello, want: [
        hello, _json(ms.FILE_BEGIN, {"id": want["id"], "role": want["role"], "name": "x", "size": 4096}),
        _record(ms.FILE_DATA, struct.pack("<IQ", want["id"], 0) + b"\x01" * 4096),
        _json(ms.FILE_END, {"id": want["id"], "sha256": "0" * 64})],
    "data past the file's end": lambda hello, want: [
        hello, _json(ms.FILE_BEGIN, {"id": want["id"], "role": want["role"], "name": "x", "size": 4096}),
        _record(ms.FILE_DATA, struct.pack("<IQ", want["id"], 1 << 40) + b"\x01" * 4096)],
    "a file that was not asked for": lambda hello, want: [
        hello, _json(ms.FILE_BEGIN, {"id": 99, "role": "disk", "name": "/etc/passwd", "size": 1})],
    "GO before the files": lambda hello, want: [hello, _record(ms.GO, b"")],
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_or_hostile_stream_is_refused_and_the_vm_dropped(pair, tmp_path, damage):
    a, b = pair
    new_running(a, "web1", memory="32M")
    prepared = b.call("vm.move.prepare", description=a.call("vm.move.begin", vm="web1", type="quick"),
                      type="quick", source="rack1")
    stream = b._transport.open_stream("vm.move.receive", {"token": prepared["token"]})
    hello = _json(ms.HELLO, {"format": 1, "token": prepared["token"], "id": prepared["id"], "type": "quick"})
    want = next(f for f in prepared["files"] if f["role"] == "saved_state")
    records = DAMAGE[damage](hello, want)
    if records[0] is hello:
        stream.sock.sendall(hello)
        assert _answer(stream.sock).type == ms.READY
        records = records[1:]
    for raw in records:
        try:
            stream.sock.sendall(raw)
        except OSError:
            break
    reply = _answer(stream.sock)
    assert reply.type == ms.ERROR, reply.name
    stream.close()
    wait(lambda: b.vms() == [], 10, "the incoming VM to be dropped")
    assert leftovers(tmp_path / "b") == [] and names(a) == [("web1", "Running")]


def test_a_destination_asking_for_a_file_that_is_not_the_vms_is_refused(pair):
    a, _ = pair
    new_running(a, "web1", memory="32M")
    stream = a._transport.open_stream("vm.move.send", {"vm": "web1", "token": "ab" * 32, "type": "quick"})
    ch = ms.Channel(stream.sock, timeout=10)
    assert ch.recv(10).type == ms.HELLO
    ch.send_json(ms.READY, {"format": 1, "want": [{"id": 1, "role": "disk", "path": "/etc/passwd"}]})
    assert ch.recv(10).type == ms.ERROR
    job = a.wait_job(stream.answer["id"], 20)
    assert job.state == "Failed" and "not this VM's" in job.error
    assert names(a) == [("web1", "Running")]
    stream.close()


# --- after GO ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["quick", "live"])
def test_the_link_lost_after_go_leaves_the_move_unconfirmed_until_resolved(pair, kind):
    a, b = pair
    new_running(a, "web1", memory="32M")
    assert guest(a, "web1", "pattern fill 4 21").startswith("pattern filled")
    dest = service(b)
    real = dest._finish_incoming

    def durable_then_lose_the_link(incoming, receiver, partition=None):
        record = real(incoming, receiver, partition)
        socket.socket.shutdown(incoming.sock, socket.SHUT_RDWR)  # RUNNING never reaches the source
        return record

    dest._finish_incoming = durable_then_lose_the_link
    job = a.move_vm("web1", b, type=kind).wait(30)
    assert job.state == "Failed" and "is unconfirmed" in job.error, job.error
    vm = a.vm("web1")
    assert vm.state == ("Saved" if kind == "quick" else "Paused") and vm.reason.endswith("unconfirmed")
    wait(lambda: names(b) == [("web1", "Running")], 10, "the VM running at the destination")
    with pytest.raises(StateError, match="unconfirmed"):
        a.start_vm("web1")  # never two of it running
    resolved = a.resolve_move("web1", b).wait(30)
    assert resolved.state == "Completed" and resolved.result["resolved"] == "released", resolved.error
    assert a.vms() == [] and guest(b, "web1", "pattern check") == "pattern ok 4 MiB"


@pytest.mark.parametrize("kind", ["quick", "live"])
def test_a_destination_that_fails_after_go_lets_the_source_resume_when_resolved(pair, tmp_path, kind):
    a, b = pair
    new_running(a, "web1", memory="32M")
    assert guest(a, "web1", "pattern fill 4 21").startswith("pattern filled")
    dest = service(b)

    def fail(incoming, receiver, partition=None):
        raise RuntimeError("the destination's store went away")

    dest._finish_incoming = fail
    job = a.move_vm("web1", b, type=kind).wait(30)
    assert job.state == "Failed" and "is unconfirmed" in job.error, job.error
    wait(lambda: b.vms() == [] and leftovers(tmp_path / "b") == [], 10, "the destination to drop the VM")
    resolved = a.resolve_move("web1", b).wait(30)
    assert resolved.state == "Completed" and resolved.result["resolved"] == "resumed", resolved.error
    assert names(a) == [("web1", "Running")] and guest(a, "web1", "pattern check") == "pattern ok 4 MiB"


def test_two_moves_of_one_vm_at_once_are_refused(pair, tmp_path):
    a, b = pair
    _with_disk(a, tmp_path, size=16 * MiB)
    job = a.move_vm("db1", b, type="quick", path=str(tmp_path / "there"), bandwidth=SLOW)
    errors = []

    def second():
        try:
            a.move_vm("db1", b, path=str(tmp_path / "there"))
        except BulkheadError as e:
            errors.append(str(e))

    t = threading.Thread(target=second)
    t.start()
    t.join(30)
    assert errors and "is moving to" in errors[0]
    assert job.wait(60).state == "Completed"


# --- the link cut (namespace test hosts: tests/netnshosts.py, root only) ------------------------------------------
def test_a_link_cut_midway_leaves_the_vm_at_the_source(netns):
    with api.connect(uri=netns.a.tls_uri) as a, api.connect(uri=netns.b.tls_uri) as b:
        disk = netns.root / "cut.img"  # the namespaces share this machine's files
        raw_disk(disk, 32 * MiB)
        there = netns.b.home / "there"
        there.mkdir()
        new_running(a, "cut1", memory="32M", disk=str(disk))
        assert guest(a, "cut1", "pattern fill 4 21").startswith("pattern filled")
        job = a.move_vm("cut1", b, type="quick", path=str(there), bandwidth=SLOW)  # direct: a dials b
        assert job.wait(0.1).state in ("Queued", "Running")
        _started(a, job.id)
        netns.b.cut()
        try:
            job = job.wait(45)
        finally:
            netns.b.restore()
        assert job.state == "Failed" and "carries on here from its saved state" in job.error, job.error
        assert names(a) == [("cut1", "Running")] and guest(a, "cut1", "pattern check") == "pattern ok 4 MiB"
        b.reconnect()
        wait(lambda: _quietly(b.vms) == [], 45, "the destination to drop the VM")
        assert temp_files(there) == [] and leftovers(netns.b.home) == []


def _quietly(fn):
    try:
        return fn()
    except BulkheadError:
        return None
