"""Placement ratings (core/hosts/rating.py) on crafted host figures: the goals order hosts oppositely, weights
re-order them, half stars round as they should, a VM that does not fit gets 0 stars with the reason, emulation
costs stars, SCVMM's defaults stand in for an unmeasured load, and the same inputs give the same answer."""

from __future__ import annotations

import math
import random

import pytest

from core.hosts.rating import SLOWER, expected_load, half_stars, rate, transfer_type
from core.model.errors import UsageError

GiB = 1 << 30
GB = 10**9
VM = {"name": "web1", "state": "Running", "kind": "bulkhead", "memory_bytes": 1 * GiB, "vcpus": 1,
      "cpu_percent": 20.0, "disk_bytes": 2 * GB, "disk_iops": 0.0, "network_mbps": 0.0}


def host(name: str, free_gib: float, cpu: float, disk_free_gb: float = 50, **more) -> dict:
    return {"host": name, "reachable": True, "kind": "bulkhead", "backend": "kvm", "memory_total": 16 * GiB,
            "memory_free": int(free_gib * GiB), "logical_processors": 4, "vcpus_max": 4, "memory_max": 8 * GiB,
            "cpu_history": [cpu, cpu, cpu], "storage_total": 100 * GB, "storage_free": disk_free_gb * GB,
            "disk_iops": 0.0, "network_mbps": 0.0} | more


THREE = [host("empty", 14, 10, 90), host("half", 8, 50, 50), host("full", 2.5, 80, 10)]


def names(rated):
    return [r["host"] for r in rated]


def test_the_goals_order_the_same_hosts_oppositely():
    balance = rate(VM, THREE, "balance")
    maximize = rate(VM, THREE, "maximize")
    assert names(balance) == ["empty", "half", "full"]
    assert names(maximize) == ["full", "half", "empty"]
    assert all(r["suitable"] for r in balance + maximize)
    assert balance[0]["stars"] > balance[-1]["stars"] and maximize[0]["stars"] > maximize[-1]["stars"]
    assert "for load balancing" in balance[0]["explanation"][0]
    assert "for resource maximization" in maximize[0]["explanation"][0]


def test_weights_reorder_the_hosts():
    busy_cpu = host("busy-cpu", free_gib=14, cpu=85)  # memory nearly all free, CPU nearly all used
    busy_memory = host("busy-memory", free_gib=1.5, cpu=5)
    hosts = [busy_cpu, busy_memory]
    assert names(rate(VM, hosts, weights={"cpu": 1, "memory": 0, "disk": 0, "network": 0})) == \
        ["busy-memory", "busy-cpu"]
    assert names(rate(VM, hosts, weights={"cpu": 0, "memory": 1, "disk": 0, "network": 0})) == \
        ["busy-cpu", "busy-memory"]
    heavy = rate(VM, hosts, weights={"cpu": 10, "memory": 1})
    assert names(heavy) == ["busy-memory", "busy-cpu"]


@pytest.mark.parametrize("value, stars", [(0.0, 0.0), (0.24, 0.0), (0.25, 0.5), (3.24, 3.0), (3.25, 3.5),
                                          (3.74, 3.5), (3.75, 4.0), (4.74, 4.5), (4.99, 5.0), (5.0, 5.0),
                                          (7.0, 5.0)])
def test_half_star_rounding(value, stars):
    assert half_stars(value) == stars


def _memory_only(used_after: float) -> float:
    """Stars of a host whose only counted resource (memory) is ``used_after`` full once the VM is placed."""
    total = 1000 * GiB
    h = host("m", 0, 0) | {"memory_total": total, "memory_free": int(total * (1 - used_after)) + 50 * GiB,
                           "memory_max": None}
    vm = VM | {"memory_bytes": 50 * GiB}
    return rate(vm, [h], weights={"cpu": 0, "memory": 1, "disk": 0, "network": 0})[0]["stars"]


def test_stars_come_in_half_steps_rounded_from_the_score():
    assert _memory_only(0.35) == 3.5  # score 0.65: 3.25 stars, up to 3.5
    assert _memory_only(0.36) == 3.0  # 3.2 stars
    assert _memory_only(0.15) == 4.5  # 4.25
    assert _memory_only(0.0) == 5.0
    assert _memory_only(0.99) == 0.5  # it fits: never 0 stars


@pytest.mark.parametrize("change, says", [
    ({"memory_free": int(0.5 * GiB)}, "the VM needs 1 GiB of memory; this host has 512 MiB free"),
    ({"vcpus_max": 1}, None),
    ({"memory_max": GiB // 2}, "the VM has 1 GiB of memory; this host allows at most 512 MiB per VM"),
    ({"storage_free": 1 * GB}, "the VM needs 1.9 GiB of disk space; this host has 953.7 MiB free"),
    ({"reachable": False, "error": "connection refused"}, "cannot reach h: connection refused"),
    ({"kind": "libvirt"}, "a libvirt host cannot run this engine's VMs: choose a Bulkhead host"),
    ({"problems": ["this host takes no moves now: upgrade it"]}, "this host takes no moves now: upgrade it"),
])
def test_a_host_the_vm_does_not_fit_gets_no_stars_and_says_why(change, says):
    vm = VM | ({"vcpus": 2} if "vcpus_max" in change else {})
    r = rate(vm, [host("h", 8, 20) | change])[0]
    assert r["stars"] == 0.0 and r["suitable"] is False
    reason = says or "the VM has 2 virtual processors; this host allows at most 1"
    assert r["explanation"][0] == reason
    assert all("\n" not in line for line in r["explanation"])


def test_a_host_whose_cpu_would_be_over_committed_takes_the_vm_with_the_worst_cpu_score():
    busy = host("busy", 8, 98)
    r = rate(VM, [busy])[0]
    assert r["suitable"] and r["stars"] >= 0.5
    assert "CPU would be over-committed (103 %): the VM's guests would wait for processor time" in r["explanation"]
    assert names(rate(VM, [busy, host("idle", 8, 10)], "maximize")) == ["idle", "busy"]
    cpu_only = {"cpu": 1, "memory": 0, "disk": 0, "network": 0}
    assert rate(VM, [busy], "maximize", cpu_only)[0]["stars"] == 0.5
    assert rate(VM, [host("nearly", 8, 90)], "maximize", cpu_only)[0]["stars"] == 5.0


def test_unsuitable_hosts_come_after_every_suitable_one():
    rated = rate(VM, [host("a-small", 0.1, 5), host("z-ok", 2, 95)])
    assert names(rated) == ["z-ok", "a-small"] and rated[0]["stars"] >= 0.5


def test_emulation_costs_stars_and_says_the_guest_will_be_slower():
    kvm = rate(VM, [host("k", 14, 10, 90)])[0]
    emu = rate(VM, [host("e", 14, 10, 90, backend="emulation")])[0]
    assert emu["suitable"] and 0.5 <= emu["stars"] < kvm["stars"]
    assert any(SLOWER in line for line in emu["explanation"])
    assert SLOWER == "the guest will run slower under emulation"
    libvirt_qemu = rate(VM | {"kind": "libvirt"}, [host("q", 14, 10, 90, kind="libvirt", backend="emulation",
                                                       kvm=False)])[0]
    assert libvirt_qemu["stars"] == emu["stars"]


def test_an_unmeasured_load_is_scvmm_s_default():
    load = expected_load({"memory_bytes": GiB, "vcpus": 2})
    assert (load["cpu_percent"], load["disk_bytes"], load["disk_iops"], load["network_mbps"]) == (20.0, 2 * GB, 0, 0)
    assert load["defaults"] == ["cpu_percent", "disk_bytes", "disk_iops", "network_mbps"]
    r = rate({"memory_bytes": GiB, "vcpus": 2}, [host("h", 8, 50)])[0]
    assert "CPU: 50 % on average over the window, 60 % with this VM (4 logical processors)" in r["explanation"]
    assert r["explanation"][-1] == ("Not measured for this VM, SCVMM's defaults assumed: CPU 20 %, disk 2 GB, "
                                    "0 IOPS, 0 Mbps")
    measured = rate(VM | {"cpu_percent": 100.0, "vcpus": 2}, [host("h", 8, 50)])[0]
    assert "CPU: 50 % on average over the window, 100 % with this VM (4 logical processors)" in \
        measured["explanation"]


def test_the_vm_s_own_host_is_rated_for_moving_only_its_storage():
    here = host("here", 2, 90) | {"current": True}
    r = rate(VM, [here])[0]
    assert r["transfer_type"] == "storage" and r["suitable"]  # its memory and CPU are counted there already
    assert "The VM runs here now: only its storage can move" in r["explanation"]


def test_transfer_types():
    load = expected_load(VM)
    assert transfer_type(load, {}) == "live"
    assert transfer_type(load, {"live": False}) == "quick"
    assert transfer_type(load | {"state": "Paused"}, {}) == "live"
    assert transfer_type(load | {"state": "Off"}, {}) == "network"
    assert transfer_type(load | {"state": "Saved"}, {}) == "network"
    assert transfer_type(load, {"current": True}) == "storage"


def test_hosts_that_do_not_report_a_figure_count_it_as_half():
    bare = {"host": "bare", "kind": "bulkhead"}
    r = rate(VM, [bare])[0]
    assert r["suitable"] and r["stars"] == 2.5 and r["utilization"] == dict.fromkeys(("cpu", "memory", "disk",
                                                                                       "network"))
    assert "Memory: not reported by this host" in r["explanation"]


def test_disk_io_and_network_use_their_capacities():
    busy = host("busy", 14, 10, 90, disk_iops=9000.0, network_mbps=900.0)
    quiet = host("quiet", 14, 10, 90)
    assert names(rate(VM, [busy, quiet])) == ["quiet", "busy"]
    r = rate(VM | {"disk_iops": 500, "network_mbps": 50}, [busy])[0]
    assert r["utilization"]["disk"] == pytest.approx(0.95) and r["utilization"]["network"] == pytest.approx(0.95)
    assert "Network: 950.0 Mbps with this VM of 1000 Mbps" in r["explanation"]


def test_the_same_figures_give_the_same_ratings_in_any_order():
    hosts = THREE + [host("twin-a", 8, 50, 50), host("twin-b", 8, 50, 50)]
    first = rate(VM, hosts, "balance", {"cpu": 2, "memory": 1})
    for seed in range(5):
        shuffled = hosts[:]
        random.Random(seed).shuffle(shuffled)
        assert rate(VM, shuffled, "balance", {"cpu": 2, "memory": 1}) == first
    assert names(first).index("twin-a") + 1 == names(first).index("twin-b")  # a tie goes by name


@pytest.mark.parametrize("goal, weights, says", [
    ("fastest", None, "goal must be balance"), ("balance", {"gpu": 1}, "unknown resource 'gpu'"),
    ("balance", {"cpu": 0, "memory": 0, "disk": 0, "network": 0}, "at least one resource a weight above 0"),
    ("balance", {"cpu": math.nan}, "the weight of cpu must be a finite number"),
    ("balance", {"cpu": -1}, "the weight of cpu"), ("balance", {"cpu": 1000}, "at most 100"),
    ("balance", [1, 2], "weights must map")])
def test_bad_goals_and_weights_are_usage_errors(goal, weights, says):
    with pytest.raises(UsageError, match=says):
        rate(VM, THREE, goal, weights)


@pytest.mark.parametrize("figures", [{"memory_free": math.nan}, {"memory_total": math.inf},
                                     {"storage_free": -1}, {"disk_iops": "lots"}])
def test_bad_host_figures_are_usage_errors(figures):
    with pytest.raises(UsageError):
        rate(VM, [host("h", 8, 20) | figures])


def test_bad_vm_loads_are_usage_errors():
    for load in ({"memory_bytes": math.nan}, {"memory_bytes": GiB, "cpu_percent": math.inf},
                 {"memory_bytes": GiB, "vcpus": 0}, "web1"):
        with pytest.raises(UsageError):
            rate(load, THREE)
