"""The one sampler every kind of host shares: raw cumulative counters in, rates under the VM_METRICS names out,
the metrics event, one set of alert conditions, slow ticks dropped; and the libvirt connection fed through it."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from core.hosts.alerts import DEFAULT_RULES, AlertManager
from core.hosts.conditions import conditions
from core.hosts.metrics import HOST_METRICS, VM_METRICS, MetricsStore
from core.hosts.sampler import RATES, Sampler

GiB = 1 << 30
THRESHOLDS = {"cpu_high": 90.0, "vm_memory_pressure": 95.0, "host_memory_pressure": 90.0, "disk_nearly_full": 90.0,
              "host_storage_nearly_full": 90.0}


class FakeHost:
    """A host's read(): cumulative counters it advances by hand."""

    def __init__(self) -> None:
        self.vms = {"a": self.vm(), "b": self.vm(vcpus=2)}
        self.host = {"cpu_busy": 0.0, "cpu_total": 0.0, "service_cpu_seconds": 0.0, "memory_used": 2 * GiB,
                     "memory_total": 8 * GiB, "storage_free_bytes": 50 * GiB, "storage_total_bytes": 100 * GiB}
        self.facts: dict = {"a": {"name": "alpha", "state": "Running"}, "b": {"name": "beta", "state": "Running"}}
        self.away = False
        self.reads = 0

    @staticmethod
    def vm(vcpus: int = 1) -> dict:
        return {"state": "Running", "cpu_ns": 0, "vcpus": vcpus, "memory_assigned": 64 << 20,
                "memory_resident": 16 << 20, "heartbeat": "OK", "dirty_pages": 0,
                "counters": {name: 0 for name in RATES}}

    def advance(self, vm: str, cpu_s: float = 0.0, **counters) -> None:
        raw = dict(self.vms[vm])
        raw["cpu_ns"] += int(cpu_s * 1e9)
        raw["counters"] = {k: v + counters.get(k, 0) for k, v in raw["counters"].items()}
        self.vms[vm] = raw

    def read(self):
        self.reads += 1
        if self.away:
            return None
        return {"host": dict(self.host), "vms": dict(self.vms), "facts": self.facts,
                "where": {"host": "host", "storage": "/data"}}


@pytest.fixture
def parts(tmp_path):
    fake = FakeHost()
    store = MetricsStore(tmp_path / "metrics.sqlite")
    alerts = AlertManager(tmp_path, lambda kind, data: None)
    events: list = []
    sampler = Sampler(fake.read, store, interval=3600, emit=lambda k, d: events.append((k, d)), alerts=alerts)
    yield fake, sampler, store, alerts, events
    store.close()
    alerts.close()


def test_counters_become_rates_under_the_metric_names(parts):
    fake, sampler, store, _alerts, events = parts
    first = sampler.tick(1000.0)
    assert set(first) == {"t", "host", "vms"} and set(first["vms"]) == {"a", "b"}
    assert "cpu_percent" not in first["vms"]["a"]  # one reading is not a rate yet
    assert first["vms"]["a"]["memory_assigned"] == 64 << 20 and first["vms"]["a"]["heartbeat"] == 1.0
    fake.advance("a", cpu_s=0.5, disk_read_bytes=4096, disk_write_ops=10, net_rx_frames=3, vmbus_packets=40,
                 exits_synthetic=8, exits_emulated=2, exits=50)
    fake.advance("b", cpu_s=3.0)  # 3 s of CPU in 2 s on 2 vCPUs: 75 %
    fake.vms["a"] = fake.vms["a"] | {"dirty_pages": 512}
    fake.host.update(cpu_busy=3.0, cpu_total=12.0, service_cpu_seconds=0.5)
    s = sampler.tick(1002.0)
    a, b = s["vms"]["a"], s["vms"]["b"]
    assert a["cpu_percent"] == pytest.approx(25.0) and b["cpu_percent"] == pytest.approx(75.0)
    assert a["disk_read_bps"] == 2048 and a["disk_write_iops"] == 5 and a["net_rx_fps"] == 1.5
    assert a["vmbus_pps"] == 20 and a["exits_synthetic_ps"] == 4 and a["exits_emulated_ps"] == 1
    assert a["exits_total_ps"] == 25 and a["dirty_mib_s"] == pytest.approx(512 * 4096 / 2 / (1 << 20))
    assert set(a) <= set(VM_METRICS) and set(s["host"]) <= set(HOST_METRICS)
    assert s["host"]["cpu_percent"] == pytest.approx(25.0) and s["host"]["service_cpu_percent"] == 25.0
    assert s["host"]["vms_running"] == 2 and s["host"]["storage_total_bytes"] == 100 * GiB
    assert [k for k, _ in events] == ["metrics", "metrics"] and events[1][1] is s
    assert store.latest("a")["cpu_percent"] == pytest.approx(25.0) and store.latest("host")["vms_running"] == 2


def test_a_paused_vm_reads_0_cpu_whatever_its_counters_did(parts):
    fake, sampler, *_ = parts
    sampler.tick(1000.0)
    fake.advance("a", cpu_s=0.9)  # it ran most of the tick, then paused
    fake.vms["a"] = fake.vms["a"] | {"state": "Paused", "heartbeat": "Paused"}
    s = sampler.tick(1001.0)
    assert s["vms"]["a"]["cpu_percent"] == 0.0 and s["vms"]["a"]["heartbeat"] == 0.5


def test_stopped_vms_leave_nothing_behind_and_counters_going_back_do_not_go_negative(parts):
    fake, sampler, *_ = parts
    sampler.tick(1000.0)
    del fake.vms["b"]
    fake.vms["a"] = fake.vms["a"] | {"cpu_ns": -5}
    s = sampler.tick(1001.0)
    assert set(sampler._previous) == {"a"} and s["vms"]["a"]["cpu_percent"] == 0.0


def test_one_set_of_conditions_from_the_rates_and_the_hosts_facts(parts):
    fake, sampler, _store, alerts, _events = parts
    # rules of this test's own (AlertManagers of one process share DEFAULT_RULES' objects, other tests change them)
    alerts.rules = {r.id: replace(r, enabled=True, duration=0.0, threshold=THRESHOLDS.get(r.id, r.threshold))
                    for r in DEFAULT_RULES}
    sampler.tick(1000.0)
    fake.advance("a", cpu_s=0.95)
    fake.facts["a"] |= {"heartbeat": "Lost Communication", "device_failures": {"storage": "bad ring"},
                        "disk": ("/data/a.vhd", 97.0)}
    fake.facts["b"] |= {"state": "Critical", "reason": "triple fault"}
    fake.host["memory_used"] = 7.5 * GiB
    sampler.tick(1001.0)
    active = {(a["rule"], a["target"]): a["message"] for a in alerts.list()}
    assert active == {
        ("cpu_high", "a"): "VM 'alpha' CPU at 95%",
        ("heartbeat_lost", "a"): "VM 'alpha' heartbeat lost (Lost Communication)",
        ("device_failed", "a:storage"): "VM 'alpha' storage failed: bad ring",
        ("disk_nearly_full", "a"): "VM 'alpha' disk /data/a.vhd is 97% allocated",
        ("vm_critical", "b"): "VM 'beta' is Critical: triple fault",
        ("host_memory_pressure", "host"): "host memory 94% in use",
    }
    # a host that knows fewer facts (a libvirt connection) names itself and gets the rules those facts hold
    rules = alerts.rules
    sample = {"vms": {"u1": {"cpu_percent": 99.0, "memory_resident": 99, "memory_assigned": 100}},
              "host": {"memory_used": 95, "memory_total": 100}}
    out = conditions(rules, sample, {"u1": {"name": "web1", "state": "Critical", "reason": "the guest crashed"}},
                     {"host": "qemu:///system"})
    assert set(out) == {("cpu_high", "u1"), ("vm_memory_pressure", "u1"), ("vm_critical", "u1"),
                        ("host_memory_pressure", "host")}
    assert out[("host_memory_pressure", "host")][1] == "qemu:///system memory 95% in use"
    assert conditions(rules, {"vms": {"u2": {"cpu_percent": 99.0}}}, {})[("cpu_high", "u2")][0] == "u2"


def test_a_host_that_is_away_gives_no_sample_and_no_event(parts):
    fake, sampler, _store, _alerts, events = parts
    fake.away = True
    assert sampler.tick() == {} and events == []


def test_slow_ticks_are_dropped_not_queued(tmp_path):
    calls: list[float] = []

    def read():
        calls.append(time.monotonic())
        if len(calls) <= 3:
            time.sleep(0.35)  # three ticks that take longer than three intervals
        return {"host": {}, "vms": {}}

    store = MetricsStore(tmp_path / "m.sqlite")
    sampler = Sampler(read, store, interval=0.1, name="test-sampler")
    sampler.start()
    try:
        deadline = time.monotonic() + 10
        while len(calls) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        sampler.stop()
        store.close()
    gaps = [b - a for a, b in zip(calls[3:], calls[4:])]
    assert len(calls) >= 8 and min(gaps) >= 0.07, gaps  # no burst of ticks to catch up


def test_bulkhead_tick_sets_the_interval(monkeypatch, tmp_path):
    monkeypatch.setenv("BULKHEAD_TICK", "0.25")
    store = MetricsStore(tmp_path / "m.sqlite")
    try:
        assert Sampler(lambda: None, store).interval == 0.25
        assert Sampler(lambda: None, store, interval=2.0).interval == 2.0
    finally:
        store.close()


# --- the libvirt connection through the shared sampler (libvirt's test driver, in this process) ------------------
def test_libvirt_is_sampled_by_the_shared_sampler_and_a_paused_domain_reads_0(tmp_path):
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    from core.api import Connection
    from core.libvirt import connect_libvirt
    from core.libvirt.stats import StatsMixin

    from .helpers.libvirt_test import NODE_XML

    assert not hasattr(StatsMixin, "_conditions") and not hasattr(StatsMixin, "_sampler")  # no copy of its own
    path = tmp_path / "node.xml"
    path.write_text(NODE_XML)
    conn = Connection(connect_libvirt(f"test://{path}", tmp_path / "data", tick=3600), "libvirt test")
    try:
        t = conn._transport
        assert isinstance(t.sampler, Sampler) and t.sampler._thread.name == "libvirt-metrics"
        batch = conn.vm("batch")
        assert batch.state == "Paused"
        now = time.time()
        t.tick(now - 2)
        sample = t.tick(now - 1)
        assert sample["vms"][batch.id]["cpu_percent"] == 0.0
        assert sample["host"]["vms_running"] == 2 and "memory_total" in sample["host"]
    finally:
        conn.close()
