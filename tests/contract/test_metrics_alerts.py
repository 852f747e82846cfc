"""Metrics, Measure-VM and alerts: every kind of host keeps history from one sampler and answers the same calls."""

from __future__ import annotations

import time

import pytest

from core.model.errors import NotFound

from .conftest import WAIT


def _history_with_samples(conn, target: str, timeout: float = WAIT) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        history = conn.metrics_history(target, seconds=60)
        if history["t"]:
            return history
        assert time.monotonic() < deadline, f"no samples of {target} within {timeout:g} s: {history}"
        time.sleep(0.1)


def _check_series(history: dict) -> None:
    assert {"t", "series", "resolution"} <= set(history), history.keys()
    assert isinstance(history["series"], dict) and history["series"]
    for name, values in history["series"].items():
        assert len(values) == len(history["t"]), f"series {name} has {len(values)} values for {len(history['t'])}"
    assert history["t"] == sorted(history["t"])


def test_host_and_vm_metrics_history_and_measure(host):
    conn = host.conn
    _check_series(_history_with_samples(conn, "host"))
    vm = host.new_vm("metrics", start=True)
    history = _history_with_samples(conn, vm)
    _check_series(history)
    assert "cpu_percent" in history["series"]
    only = conn.metrics_history(vm, seconds=60, metrics=["cpu_percent"])
    assert set(only["series"]) == {"cpu_percent"}
    measured = conn.measure_vm(vm, seconds=60)
    assert measured["samples"] >= 1 and "average_cpu_percent" in measured and "average_memory_bytes" in measured
    with pytest.raises(NotFound):
        conn.measure_vm(host.name("missing"))
    with pytest.raises(NotFound):
        conn.metrics_history(host.name("missing"))


def test_alerts_and_rules_answer(host):
    conn = host.conn
    rules = conn.alert_rules()
    assert rules and all({"id", "enabled", "threshold", "duration"} <= set(r) for r in rules)
    assert isinstance(conn.alerts(), list) and isinstance(conn.alerts(include_cleared=True, limit=5), list)
    vm = host.new_vm("alerts")
    assert conn.alerts(vm=vm) == []
    with pytest.raises(NotFound):
        conn.acknowledge_alert(10**12)
    with pytest.raises(NotFound):
        conn.clear_alert(10**12)
    cpu = next(r for r in rules if r["id"] == "cpu_high")
    try:
        changed = conn.set_alert_rules([{"id": "cpu_high", "threshold": 42.0, "duration": 7.0}])
        assert next(r for r in changed if r["id"] == "cpu_high")["threshold"] == 42.0
        assert next(r for r in conn.alert_rules() if r["id"] == "cpu_high")["duration"] == 7.0
    finally:
        conn.set_alert_rules([{k: cpu[k] for k in ("id", "enabled", "threshold", "duration")}])
    assert next(r for r in conn.alert_rules() if r["id"] == "cpu_high") == cpu


def test_an_alert_is_raised_acknowledged_and_cleared(host, events):
    """A VM burning CPU over a low threshold raises cpu_high at the next sample; acknowledge and clear it."""
    if not host.deaf_image:
        pytest.skip(f"{host.kind}: its VMs run no workload of ours to raise an alert with")
    conn = host.conn
    cpu = next(r for r in conn.alert_rules() if r["id"] == "cpu_high")
    conn.set_alert_rules([{"id": "cpu_high", "enabled": True, "threshold": 5.0, "duration": 0.0}])
    try:
        vm = host.new_vm("hot", workload="cpu:60", start=True)
        vm_id = conn.vm(vm).id
        raised = events.wait_for(lambda k, d: k == "alert.raised" and d.get("rule") == "cpu_high"
                                 and d.get("target") == vm_id)[1]
        assert [a["id"] for a in conn.alerts(vm=vm)] == [raised["id"]]
        assert conn.acknowledge_alert(raised["id"])["acknowledged"]
        assert conn.clear_alert(raised["id"])["cleared"]
    finally:
        conn.set_alert_rules([{k: cpu[k] for k in ("id", "enabled", "threshold", "duration")}])
