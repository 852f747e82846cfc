"""Metrics, health and alerts: measured with real guests, history across restarts, bounded memory."""

import time

import numpy as np
import pytest

from core.hosts.metrics import VM_METRICS, MetricsStore

from .conftest import requires_kvm
from .helpers import waiting
from .helpers.embedded import sampled_conn  # noqa: F401


def wait(predicate, timeout=15.0, what="condition"):
    waiting.wait(predicate, timeout, what, poll=0.1)


def test_load_50_is_sampled_as_40_to_60_percent(conn):
    conn.new_vm("half", workload="cpu:50", start=True).wait(check=True)
    time.sleep(4.0)
    h = conn.metrics_history("half", 3)
    cpu = [v for v in h["series"]["cpu_percent"] if v is not None]
    assert len(cpu) >= 4
    average = sum(cpu) / len(cpu)
    assert 40 <= average <= 60, cpu
    m = conn.measure_vm("half", 60)
    assert 40 <= m["average_cpu_percent"] <= 60 and m["assigned_memory_bytes"] == 64 << 20
    assert any(mk["kind"] == "running" for mk in h["markers"]) or conn.metrics_history("half", 60)["markers"]


@requires_kvm
def test_dirty_workload_shows_in_memory_and_the_dirty_rate(conn):
    conn.new_vm("dirtier", memory="256M", workload="dirty:40", start=True).wait(check=True)
    time.sleep(4.0)
    h = conn.metrics_history("dirtier", 2.5)
    rates = [v for v in h["series"]["dirty_mib_s"] if v is not None]
    assert rates and 20 <= sum(rates) / len(rates) <= 60, rates
    resident = [v for v in h["series"]["memory_resident"] if v]
    assert resident[-1] > 8 << 20  # the dirtier has touched megabytes by now


def test_heartbeat_lost_raises_an_alert_cleared_when_it_resumes(conn):
    conn.set_alert_rules([{"id": "heartbeat_lost", "duration": 0}])
    conn.new_vm("beats", start=True).wait(check=True)
    wait(lambda: conn.vm("beats").heartbeat == "OK", what="heartbeat OK")
    conn.console_send("beats", "heartbeat stop\r")
    wait(lambda: conn.vm("beats").heartbeat == "Lost Communication", what="Lost Communication")
    wait(lambda: any(a["rule"] == "heartbeat_lost" for a in conn.alerts()), what="the alert")
    vm = conn.vm("beats")
    assert vm.health == "Degraded" and "heartbeat lost" in vm.health_reason
    alert = next(a for a in conn.alerts() if a["rule"] == "heartbeat_lost")
    assert conn.acknowledge_alert(alert["id"])["acknowledged"]
    conn.console_send("beats", "heartbeat start\r")
    wait(lambda: not any(a["rule"] == "heartbeat_lost" for a in conn.alerts()), what="the alert to clear")
    history = conn.alerts(include_cleared=True)
    cleared = next(a for a in history if a["id"] == alert["id"])
    assert not cleared["active"] and cleared["cleared_by"] == "condition ended"
    assert conn.vm("beats").health == "OK"


def test_critical_vm_raises_a_critical_alert_and_health(conn):
    conn.new_vm("doomed", start=True).wait(check=True)
    wait(lambda: "bulkhead$" in conn.console_history("doomed"), what="the prompt")
    conn.console_send("doomed", "panic on purpose\r")
    wait(lambda: conn.vm("doomed").state == "Critical", what="Critical")
    wait(lambda: any(a["rule"] == "vm_critical" for a in conn.alerts()), what="the alert")
    vm = conn.vm("doomed")
    assert vm.health == "Critical" and "on purpose" in vm.health_reason


def test_alert_rules_are_validated_all_or_nothing(conn):
    from core.model.errors import UsageError

    before = conn.alert_rules()
    with pytest.raises(UsageError, match="unknown alert rule"):
        conn.set_alert_rules([{"id": "cpu_high", "threshold": 10}, {"id": "nonsense"}])
    with pytest.raises(UsageError, match="severity"):
        conn.set_alert_rules([{"id": "cpu_high", "severity": "apocalyptic"}])
    assert conn.alert_rules() == before


def test_history_survives_a_restart_of_the_service(tmp_path):
    store = MetricsStore(tmp_path / "m.sqlite")
    start = time.time() - 3 * 3600
    for i in range(3 * 3600 // 10):  # three hours of samples every 10 s, rolled every minute
        t = start + i * 10
        store.add("vm1", t, {"cpu_percent": 25.0 + (i % 6), "memory_resident": 1 << 20})
        if i % 6 == 5:
            store.roll_minute(t)
    store.close()
    again = MetricsStore(tmp_path / "m.sqlite")  # a new service: no rings, only SQLite
    h = again.history("vm1", 2 * 3600)
    cpu = [v for v in h["series"]["cpu_percent"] if v is not None]
    assert h["resolution"] == "minute" and 100 <= len(cpu) <= 125
    assert all(25 <= v <= 31 for v in cpu)
    again.close()


def test_ring_buffers_stay_within_their_bound_after_many_hours(tmp_path):
    store = MetricsStore(tmp_path / "m.sqlite", capacity=3600)
    row = dict.fromkeys(VM_METRICS, 1.0)
    t0 = time.time() - 10 * 3600
    for target in ("a", "b", "c"):
        store.add(target, t0, row)
    size = store.memory_bytes()
    for i in range(10 * 3600):  # ten hours at one sample a second, three VMs
        t = t0 + i
        for target in ("a", "b", "c"):
            store.add(target, t, row)
    assert store.memory_bytes() == size
    t, v = store.rings["a"].window(0)
    assert len(t) == 3600 and np.all(np.diff(t) > 0)
    store.close()


def test_latest_value_is_the_latest_samples_figure(tmp_path):
    from core.hosts.metrics import MetricsStore

    store = MetricsStore(tmp_path / "m.db")
    assert store.latest_value("vm1", "cpu_percent") is None
    store.add("vm1", 1.0, {"cpu_percent": 12.5})
    store.add("vm1", 2.0, {"cpu_percent": 30.0, "memory_resident": 1 << 20})
    assert store.latest_value("vm1", "cpu_percent") == 30.0 == store.latest("vm1")["cpu_percent"]
    assert store.latest_value("vm1", "dirty_mib_s") is None and store.latest_value("vm1", "nonsense") is None
