"""Moving VMs between Bulkhead hosts, the hosts' side: the destination's reservation (an Incoming VM that refuses
operations and holds its name, a folder under a temporary name, a token good once and for 60 s), what a restart
finds (an incoming folder a kill left is removed; a VM whose move was not confirmed stays stopped until resolved),
live moves that keep the guest's memory, and moves between host services, direct and tunnelled."""

from __future__ import annotations

import json
import shutil

import pytest

from core import api
from core.local import migration_incoming
from core.model.errors import NotFound, StateError, UsageError

from .helpers.moves import guest, leftovers, names, new_running, pair_fixture, service, tls_pair_fixture
from .helpers.waiting import wait

pair = pair_fixture()
tls_pair = tls_pair_fixture()


def _prepare(a, b, vm="web1", source="rack1", **options):
    description = a.call("vm.move.begin", vm=vm)
    return b.call("vm.move.prepare", description=description, source=source, **options)


def test_prepare_reserves_the_vm_as_incoming_until_its_token_expires(pair, tmp_path, monkeypatch):
    a, b = pair
    monkeypatch.setattr(migration_incoming, "TOKEN_TTL", 1.5)
    a.new_vm("web1", memory="32M").wait(check=True)
    prepared = _prepare(a, b)
    assert len(prepared["token"]) == 64 and int(prepared["token"], 16) >= 0
    assert prepared["type"] == "network" and prepared["direct"] is None  # an Off VM; this host serves no TLS
    vm = b.vm("web1")
    assert (vm.state, vm.reason) == ("Off", "Incoming from rack1")
    for refused in (lambda: b.start_vm("web1"), lambda: b.remove_vm("web1"), lambda: b.set_vm("web1", notes="x"),
                    lambda: b.stop_vm("web1", mode="turn_off"), lambda: b.call("vm.move.begin", vm="web1")):
        with pytest.raises(StateError, match="incoming from rack1: wait until its move ends"):
            refused()
    with pytest.raises(UsageError, match="a VM named 'web1' already exists"):
        b.new_vm("WEB1", memory="32M")
    assert [n.split(".")[2][:2] for n in leftovers(tmp_path / "b")] == ["in"]  # .<id>.in<hex8>.tmp, not a VM
    assert [s.config.name for s in service(b).store.load_all()] == []
    wait(lambda: b.vms() == [], 10, "the reservation to expire")
    assert leftovers(tmp_path / "b") == []
    with pytest.raises(NotFound, match="unknown or has expired"):
        b._transport.open_stream("vm.move.receive", {"token": prepared["token"]})


def test_a_token_opens_one_stream_and_a_stream_that_ends_drops_the_reservation(pair, tmp_path):
    a, b = pair
    a.new_vm("web1", memory="32M").wait(check=True)
    token = _prepare(a, b)["token"]
    with pytest.raises(UsageError, match="turns its connection into a byte stream"):
        b.call("vm.move.receive", token=token)  # a plain call never becomes a stream
    stream = b._transport.open_stream("vm.move.receive", {"token": token})
    assert stream.answer["name"] == "web1"
    with pytest.raises(StateError, match="used already"):
        b._transport.open_stream("vm.move.receive", {"token": token})
    stream.close()  # the source went before it said HELLO
    wait(lambda: b.vms() == [], 10, "the incoming VM to be dropped")
    assert leftovers(tmp_path / "b") == []
    assert b.call("vm.move.status", token=token)["state"] == "failed"
    assert b.call("vm.move.status", token="0" * 64)["state"] == "unknown"
    assert names(a) == [("web1", "Off")]


def test_abort_drops_a_prepared_vm(pair):
    a, b = pair
    a.new_vm("web1", memory="32M").wait(check=True)
    token = _prepare(a, b)["token"]
    assert b.call("vm.move.abort", token=token)["state"] == "aborted"
    assert b.vms() == []
    with pytest.raises(NotFound):
        b.call("vm.move.abort", token=token)


def test_an_incoming_folder_and_copies_a_kill_left_are_removed_at_start(pair, tmp_path):
    a, b = pair
    a.new_vm("web1", memory="32M", disk=str(_disk(tmp_path / "a-disks"))).wait(check=True)
    target = tmp_path / "b-disks"
    target.mkdir()
    prepared = _prepare(a, b, path=str(target))
    staged = target / ".disk.img.0123abcd.tmp"  # what the copy had written when the host was killed
    staged.write_bytes(b"half")
    (tmp_path / "b-copy").mkdir()
    shutil.copytree(tmp_path / "b", tmp_path / "b-copy" / "home")  # the killed host's store as it was
    assert [p["target"] for p in prepared["files"]] == [str(target / "disk.img")]
    with api.connect(str(tmp_path / "b-copy" / "home"), embedded=True) as again:
        assert again.vms() == []
        assert leftovers(tmp_path / "b-copy" / "home") == []
        assert not staged.exists()


def _disk(folder):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "disk.img"
    path.write_bytes(b"\x5a" * (1 << 20))
    return path


def test_a_source_restarted_with_its_move_unconfirmed_keeps_the_vm_until_resolved(tmp_path):
    home = str(tmp_path / "a")
    with api.connect(home, embedded=True) as a:
        new_running(a, "web1", memory="32M", automatic_start_action="always_start")
        a.stop_vm("web1", mode="save").wait(check=True)
        record = service(a)._find("web1")
        marker = {"destination": "rack2", "token": "ab" * 32, "type": "quick", "since": 0, "job": 1}
        (record.stored.folder / "moving.json").write_text(json.dumps(marker))  # sent GO, then killed
    for outcome, then in (("unknown", "Running"), ("running", None)):
        if then is None:  # again, and this time the destination has it
            with api.connect(home, embedded=True) as a:  # saved again by its stop action when this closes
                (service(a)._find("web1").stored.folder / "moving.json").write_text(json.dumps(marker))
        with api.connect(home, embedded=True) as a:
            assert service(a).run_start_actions() == []  # always_start, but not while unconfirmed
            vm = a.vm("web1")
            assert (vm.state, vm.reason) == ("Saved", "Migration to rack2 unconfirmed")
            with pytest.raises(StateError, match="unconfirmed; resolve it first"):
                a.start_vm("web1")
            status = a.call("vm.move.status", vm="web1")
            assert (status["state"], status["host"], status["token"]) == ("unconfirmed", "rack2", "ab" * 32)
            job = a.call("vm.move.resolve", vm="web1", outcome=outcome)
            job = a.wait_job(job["id"], 30)
            assert job.state == "Completed", job.error
            if then:
                assert job.result["resolved"] == "resumed" and a.vm("web1").state == then
            else:
                assert job.result["resolved"] == "released" and a.vms() == []
            with pytest.raises((StateError, NotFound)):
                a.call("vm.move.resolve", vm="web1", outcome="unknown")


def test_live_moves_keep_the_guest_running_with_its_memory(pair):
    a, b = pair
    new_running(a, "web1", memory="64M", workload="dirty:5")
    assert guest(a, "web1", "pattern fill 16 7").startswith("pattern filled 16 MiB")
    job = a.move_vm("web1", b, type="live").wait(60)
    assert job.state == "Completed", job.error
    r = job.result
    assert r["type"] == "live" and r["stream"] == "tunnelled" and r["rounds"] and r["downtime_s"] < 1.0
    assert a.vms() == [] and names(b) == [("web1", "Running")]
    assert guest(b, "web1", "pattern check") == "pattern ok 16 MiB"
    job = b.move_vm("web1", a).wait(60)  # and back, automatically live
    assert job.state == "Completed" and job.result["type"] == "live", job.error
    assert guest(a, "web1", "pattern check") == "pattern ok 16 MiB"


def test_moves_between_host_services_direct_and_tunnelled(tls_pair):
    ha, hb = tls_pair
    with api.connect(uri=ha.uri) as a, api.connect(uri=hb.uri) as b:
        new_running(a, "far1", memory="64M")
        assert guest(a, "far1", "pattern fill 16 3").startswith("pattern filled")
        for src, dst, via, kind in ((a, b, "direct", "live"), (b, a, "tunnel", "quick"), (a, b, "auto", "quick")):
            job = src.move_vm("far1", dst, type=kind, via=via).wait(60)
            assert job.state == "Completed", job.error
            assert job.result["stream"] == ("tunnelled" if via == "tunnel" else "direct")
            assert job.result["type"] == kind and job.result["downtime_s"] < 5
            assert src.vms() == [] and names(dst) == [("far1", "Running")]
            assert guest(dst, "far1", "pattern check") == "pattern ok 16 MiB"
        b.stop_vm("far1", mode="turn_off").wait(check=True)
        b.remove_vm("far1").wait(check=True)
