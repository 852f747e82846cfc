"""A paused VM as Hyper-V shows it: its uptime stands still, its CPU reads 0 (not the last value it had running),
and its heartbeat is not Lost Communication for the seconds after Resume (freshness counts running time only)."""

from __future__ import annotations

import threading
import time

import pytest

from .helpers import waiting
from .helpers.embedded import sampled_conn  # noqa: F401


def wait(predicate, timeout=20.0, what="condition"):
    waiting.wait(predicate, timeout, what)


def test_a_paused_vms_uptime_stands_still_and_goes_on_after_resume(conn):
    conn.new_vm("clock", start=True).wait(check=True)
    wait(lambda: conn.vm("clock").uptime >= 1.0, what="a second of uptime")
    conn.pause_vm("clock").wait(check=True)
    paused = conn.vm("clock").uptime
    time.sleep(1.5)
    assert conn.vm("clock").uptime == pytest.approx(paused, abs=0.05)  # it counted on while paused before
    conn.resume_vm("clock").wait(check=True)
    time.sleep(1.0)
    after = conn.vm("clock").uptime
    assert paused + 0.8 <= after <= paused + 1.4, (paused, after)  # the pause is left out, not added on
    conn.stop_vm("clock", mode="save").wait(check=True)
    assert conn.vm("clock").uptime == 0.0
    conn.start_vm("clock").wait(check=True)  # restored: counted from the restore, as before
    assert conn.vm("clock").uptime < 1.0


def test_a_paused_vms_cpu_reads_0_not_its_last_value(conn):
    samples: list[tuple[float, dict]] = []
    lock = threading.Lock()

    def on_event(kind, data):
        if kind == "metrics":
            with lock:
                samples.append((time.time(), data["vms"]))

    conn.subscribe(on_event)
    conn.new_vm("busy", workload="cpu:60", start=True).wait(check=True)
    vm_id = conn.vm("busy").id
    wait(lambda: (conn.vm("busy").cpu_percent or 0) > 20, what="the load to show")
    conn.pause_vm("busy").wait(check=True)
    paused_at = time.time()
    assert conn.vm("busy").cpu_percent == 0.0  # at once: not the last sample taken while it ran
    assert next(v for v in conn.vms() if v.name == "busy").cpu_percent == 0.0
    wait(lambda: sum(1 for t, _ in list(samples) if t > paused_at) >= 3, what="three samples while paused")
    with lock:
        cpu = [vms[vm_id].get("cpu_percent") for t, vms in samples if t > paused_at and vm_id in vms]
    assert cpu and all(v == 0.0 for v in cpu), cpu  # the first sample too, whatever the tick's start measured
    h = conn.metrics_history("busy", 2)
    assert [v for v in h["series"]["cpu_percent"][-3:] if v is not None] == [0.0] * 3
    conn.resume_vm("busy").wait(check=True)
    wait(lambda: (conn.vm("busy").cpu_percent or 0) > 20, what="the load to show again")


@pytest.fixture
def heartbeat_rule_at_once(conn):
    """heartbeat_lost raised at the first tick that holds it (and put back: a process's hosts share rules)."""
    before = next(r for r in conn.alert_rules() if r["id"] == "heartbeat_lost")
    conn.set_alert_rules([{"id": "heartbeat_lost", "enabled": True, "duration": 0}])
    yield
    conn.set_alert_rules([{k: before[k] for k in ("id", "enabled", "duration")}])


def test_no_lost_communication_after_resume(conn, heartbeat_rule_at_once):
    conn.new_vm("beats", start=True).wait(check=True)
    vm_id = conn.vm("beats").id
    wait(lambda: conn.vm("beats").heartbeat == "OK", what="heartbeat OK")
    samples: list[tuple[float, dict]] = []
    conn.subscribe(lambda kind, data: samples.append((time.time(), data["vms"])) if kind == "metrics" else None)
    conn.pause_vm("beats").wait(check=True)
    time.sleep(4.0)  # longer than the heartbeat service waits for a beat (3 s)
    assert conn.vm("beats").heartbeat == "Paused"
    conn.resume_vm("beats").wait(check=True)
    resumed = time.time()
    seen = []
    while time.time() < resumed + 2.5:
        vm = conn.vm("beats")
        seen.append(vm.heartbeat)
        assert vm.health == "OK", vm.health_reason
        time.sleep(0.05)
    assert "Lost Communication" not in seen, seen
    assert seen[-1] == "OK"
    values = [vms[vm_id].get("heartbeat") for t, vms in list(samples) if t > resumed and vm_id in vms]
    assert values and 0.0 not in values, values
    assert not any(a["rule"] == "heartbeat_lost" for a in conn.alerts(include_cleared=True))


def test_a_heartbeat_that_stopped_before_the_pause_is_still_lost_after_it(conn):
    """Running time, not a grace period: a guest that had stopped beating is lost again as soon as it has run
    long enough since its last beat."""
    conn.new_vm("quiet", start=True).wait(check=True)
    wait(lambda: conn.vm("quiet").heartbeat == "OK", what="heartbeat OK")
    conn.console_send("quiet", "heartbeat stop\r")
    wait(lambda: conn.vm("quiet").heartbeat == "Lost Communication", what="Lost Communication")
    conn.pause_vm("quiet").wait(check=True)
    time.sleep(1.0)
    conn.resume_vm("quiet").wait(check=True)
    assert conn.vm("quiet").heartbeat == "Lost Communication"
