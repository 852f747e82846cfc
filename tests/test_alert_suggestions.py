"""From health to action: a host's CPU or memory pressure alert names the VMs whose move would relieve it most,
each with the best-rated destination (core/api/suggestions.py) - ranked on crafted figures, then from a real alert
of an embedded host with another one beside it; the host CPU pressure rule; and `bulkhead alert show ID`."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from core.api import suggestions
from core.api.suggestions import NO_HOST, rank, relief
from core.cli import main
from core.hosts.alerts import DEFAULT_RULES, AlertManager
from core.hosts.conditions import conditions
from core.model.errors import NotFound, UsageError

from .helpers.embedded import embedded_pair

MiB = 1 << 20
GiB = 1 << 30
GB = 10**9
MEMORY = {"id": 7, "rule": "host_memory_pressure", "target": "host", "message": "host memory 94% in use"}
CPU = {"id": 8, "rule": "host_cpu_pressure", "target": "host", "message": "host CPU 97% in use"}
HERE = {"memory_total": 16 * GiB, "memory_free": 1 * GiB, "logical_processors": 4, "cpu_history": [96, 98, 97]}


def vm(name: str, memory_gib: float, resident_gib: float | None, cpu: float | None, vcpus: int = 1,
       state: str = "Running") -> dict:
    return {"name": name, "id": f"{name}-id", "state": state, "kind": "bulkhead", "memory_bytes": int(memory_gib * GiB),
            "resident_bytes": None if resident_gib is None else int(resident_gib * GiB), "vcpus": vcpus,
            "cpu_percent": cpu, "disk_bytes": 2 * GB, "disk_iops": 0.0, "network_mbps": 0.0}


def host(name: str, free_gib: float, cpu: float, **more) -> dict:
    return {"host": name, "uri": f"bulkhead+tls://{name}", "reachable": True, "kind": "bulkhead", "backend": "kvm",
            "memory_total": 16 * GiB, "memory_free": int(free_gib * GiB), "logical_processors": 4, "vcpus_max": 8,
            "memory_max": 8 * GiB, "cpu_history": [cpu] * 3, "storage_total": 100 * GB, "storage_free": 50 * GB,
            "disk_iops": 0.0, "network_mbps": 0.0} | more


VMS = [vm("small", 1, 0.5, 90.0), vm("big", 4, 3.0, 5.0), vm("mid", 2, None, 40.0, vcpus=2),
       vm("off", 8, None, None, state="Off")]
HOSTS = [host("roomy", 12, 10, index=0), host("tight", 2.5, 20, index=1), host("self", 1, 97, index=2, current=True)]


def test_memory_pressure_ranks_vms_by_the_memory_they_would_free_each_to_its_best_host():
    out = rank(MEMORY, VMS, HOSTS, HERE)
    assert out["resource"] == "memory" and out["in_use"] == pytest.approx(93.75)
    s = out["suggestions"]
    # resident where measured (big 3 GiB, small 0.5 GiB), else assigned (mid 2 GiB); an Off VM frees nothing
    assert [x["vm"] for x in s] == ["big", "mid", "small"]
    assert [x["relief"] for x in s] == [3 * GiB, 2 * GiB, GiB / 2]
    assert s[0]["relief_text"] == "frees 3 GiB of memory" and s[0]["vm_id"] == "big-id"
    assert s[0]["after_percent"] == pytest.approx(93.75 - 100 * 3 / 16)
    # big (4 GiB) fits only roomy; the alerting host itself is never a destination
    assert s[0]["destination"] == "roomy" and s[0]["index"] == 0 and s[0]["uri"] == "bulkhead+tls://roomy"
    assert s[0]["stars"] > 0 and s[0]["transfer_type"] == "live"
    assert {r["host"] for r in s[0]["ratings"]} == {"roomy", "tight"}
    assert next(r for r in s[0]["ratings"] if r["host"] == "tight")["stars"] == 0
    assert all(x["destination"] == "roomy" for x in s)  # the emptier host rates best for load balancing
    assert rank(MEMORY, VMS, HOSTS, HERE, limit=1)["suggestions"][0]["vm"] == "big"


def test_cpu_pressure_ranks_vms_by_their_measured_cpu_as_a_share_of_the_host():
    out = rank(CPU, VMS, HOSTS, HERE)
    s = out["suggestions"]
    # mid: 40 % of 2 processors = 20 points of 4; small: 90 % of 1 = 22.5; big: 5 % of 1 = 1.25
    assert [x["vm"] for x in s] == ["small", "mid", "big"]
    assert [x["relief"] for x in s] == [22.5, 20.0, 1.25]
    assert s[0]["relief_text"] == "frees about 22 % of the host's CPU"
    assert s[0]["after_percent"] == pytest.approx(97 - 22.5)
    # without the host's processor count the share is of one processor, and no "after" is guessed
    unknown = rank(CPU, VMS, HOSTS, {"cpu_history": [97]})["suggestions"]
    assert unknown[0]["relief"] == 90.0 and unknown[0]["after_percent"] is None
    assert unknown[0]["relief_text"] == "frees about 90 % of one processor"
    # a VM whose CPU was not measured is not suggested
    assert "x" not in [v["vm"] for v in rank(CPU, [vm("x", 1, 1, None)], HOSTS, HERE)["suggestions"]]


def test_no_host_can_take_it_when_every_other_host_rates_zero_stars():
    full = [host("full", 0.25, 10, index=0), host("away", 8, 10, index=1, reachable=False, error="no answer")]
    s = rank(MEMORY, [vm("big", 4, 3, 5)], full, HERE)["suggestions"]
    assert len(s) == 1 and s[0]["destination"] is None and s[0]["stars"] == 0 and s[0]["index"] is None
    assert s[0]["why"].startswith(f"{NO_HOST}: ") and "memory" in s[0]["why"]
    alone = rank(MEMORY, [vm("big", 4, 3, 5)], [host("self", 1, 97, current=True)], HERE)
    assert alone["suggestions"][0]["destination"] is None
    assert alone["suggestions"][0]["why"] == f"{NO_HOST}: no other host is connected"
    assert any("no other host" in n for n in alone["notes"])


def test_other_alerts_have_no_suggestions_and_bad_input_is_a_usage_error():
    out = rank({"id": 1, "rule": "heartbeat_lost"}, VMS, HOSTS, HERE)
    assert out["resource"] is None and out["suggestions"] == [] and out["notes"] == [suggestions.NOT_PRESSURE]
    assert rank(MEMORY, [], HOSTS, HERE)["suggestions"] == []
    assert relief("memory", vm("o", 1, 1, 1, state="Saved")) is None
    with pytest.raises(UsageError):
        rank("not an alert", VMS, HOSTS)
    with pytest.raises(UsageError):
        rank(MEMORY, VMS, HOSTS, limit=0)
    with pytest.raises(UsageError):
        rank(MEMORY, [vm("bad", 1, 1, 1) | {"memory_bytes": float("nan")}], HOSTS, HERE)


def test_the_host_cpu_pressure_rule_holds_above_its_threshold(tmp_path):
    rule = next(r for r in DEFAULT_RULES if r.id == "host_cpu_pressure")
    assert rule.enabled and rule.threshold == 90.0 and rule.duration >= 300  # minutes, not a burst
    rules = {r.id: replace(r) for r in DEFAULT_RULES}
    out = conditions(rules, {"host": {"cpu_percent": 95.0}}, {}, {"host": "qemu:///system"})
    assert out[("host_cpu_pressure", "host")] == ("host", "qemu:///system CPU 95% in use", 95.0)
    assert ("host_cpu_pressure", "host") not in conditions(rules, {"host": {"cpu_percent": 85.0}}, {})
    assert ("host_cpu_pressure", "host") not in conditions(rules, {"host": {}}, {})
    alerts = AlertManager(tmp_path, lambda kind, data: None)
    try:
        alerts.evaluate(conditions(alerts.rules, {"host": {"cpu_percent": 99.0}}, {}), now=1000.0)
        assert alerts.list() == []  # not before its duration
        alerts.evaluate(conditions(alerts.rules, {"host": {"cpu_percent": 99.0}}, {}), now=1000.0 + rule.duration)
        assert [(a["rule"], a["message"]) for a in alerts.list()] == [("host_cpu_pressure", "host CPU 99% in use")]
    finally:
        alerts.close()


# --- from a real alert ---------------------------------------------------------------------------------------------
@pytest.fixture
def pressed(tmp_path):
    """(a, b): two embedded hosts; a runs two VMs and has a host memory pressure alert (threshold 1 %)."""
    with embedded_pair(tmp_path) as (a, b):
        a.new_vm("web1", memory="32M", start=True).wait(30, check=True)
        a.new_vm("db1", memory="48M", start=True).wait(30, check=True)
        a.set_alert_rules([{"id": "host_memory_pressure", "threshold": 1, "duration": 0}])
        service = a._transport.service
        deadline = 200
        while not any(x["rule"] == "host_memory_pressure" for x in a.alerts()) and deadline:
            service.sampler.tick()
            deadline -= 1
        for _ in range(3):
            service.sampler.tick()
            b._transport.service.sampler.tick()
        yield a, b


def test_suggestions_for_a_real_alert_name_the_vms_and_the_other_host(pressed):
    a, b = pressed
    alert = next(x for x in a.alerts() if x["rule"] == "host_memory_pressure")
    out = suggestions.for_alert(a, alert["id"], [b, a], names=["b", "a"])
    assert out["alert"] == alert["id"] and out["resource"] == "memory"
    s = out["suggestions"]
    assert {x["vm"] for x in s} == {"web1", "db1"}
    assert [x["relief"] for x in s] == sorted((x["relief"] for x in s), reverse=True) and all(x["relief"] > 0
                                                                                               for x in s)
    assert all(x["destination"] == "b" and x["index"] == 0 and x["stars"] > 0 for x in s)
    assert all("a" not in {r["host"] for r in x["ratings"]} for x in s)  # its own host is left out
    assert suggestions.for_alert(a, alert, [], limit=1)["suggestions"][0]["destination"] is None
    with pytest.raises(NotFound):
        suggestions.find_alert(a, 10**9)


def test_alert_show_prints_the_suggestions_and_json(pressed, tmp_path, capsys, monkeypatch):
    a, b = pressed
    alert = next(x for x in a.alerts() if x["rule"] == "host_memory_pressure")
    monkeypatch.setattr("core.cli.alert.connect", lambda args: _Kept(a))
    monkeypatch.setattr("core.cli.alert.candidates", lambda args, here: ([b], ["rack2"]))
    assert main(["alert", "show", str(alert["id"])]) == 0
    out = capsys.readouterr().out
    assert "host memory" in out and "Suggestions" in out
    assert "web1" in out and "db1" in out and "-> rack2" in out and "Migrate: bulkhead vm move" in out
    assert main(["alert", "show", str(alert["id"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["alert"]["id"] == alert["id"] and {s["vm"] for s in data["suggestions"]["suggestions"]} == \
        {"web1", "db1"}
    a.clear_alert(alert["id"])  # a cleared alert is shown without suggestions
    assert main(["alert", "show", str(alert["id"])]) == 0
    out = capsys.readouterr().out
    assert "cleared" in out and "Suggestions" not in out
    assert main(["alert", "show", "999999"]) != 0
    assert "no alert 999999" in capsys.readouterr().err
    assert main(["alert", "show", "zero"]) == 2


class _Kept:
    """A connection the CLI's `with connect(args)` may use without closing it (the fixture closes it)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc) -> None:
        return None


# --- a bulk move's combined capacity ---------------------------------------------------------------------------------
def test_vms_that_fit_one_by_one_but_not_together_give_an_error_row():
    from core.hosts.precheck import combined_rows

    two = [{"name": "a", "memory": 3 * GiB, "type": "live"}, {"name": "b", "memory": 2 * GiB, "type": "quick"}]
    rows = combined_rows(two, 4 * GiB)
    assert [(r["severity"], r["topic"]) for r in rows] == [("error", "memory")] and rows[0]["combined"]
    assert rows[0]["text"] == "together the 2 VMs (a, b) need 5 GiB of memory; the destination has 4 GiB free"
    assert rows[0]["hint"] == "move fewer VMs at once, or free 1 GiB on the destination"
    assert combined_rows(two, 6 * GiB)[0]["severity"] == "info"
    off = [two[0], {"name": "c", "memory": 2 * GiB, "type": "network"}]  # an Off VM needs it only once started
    assert combined_rows(off, 4 * GiB)[0]["severity"] == "warning"
    assert combined_rows(two[:1], GiB) == [] and combined_rows(two, None) == []


def test_bulk_precheck_adds_the_combined_row_to_each_vm_s_own(tmp_path, monkeypatch):
    from core.api import placement

    with embedded_pair(tmp_path) as (a, b):
        for name in ("bulk1", "bulk2"):
            a.new_vm(name, memory="32M").wait(30, check=True)
        alone = placement.bulk_precheck(a, {"bulk1": {}, "bulk2": {}}, b)
        assert alone["ok"] and alone["types"]["bulk1"][0] == "network" and alone["type"] == "network"
        assert all(r["text"].startswith(("bulk1: ", "bulk2: ")) for r in alone["rows"] if not r.get("combined"))
        real = placement._host_history

        def tight(conn, window):  # the destination has 48 MiB free: room for either VM, not for both
            return real(conn, window) | {"memory_free": 48 * MiB}

        monkeypatch.setattr(placement, "_host_history", tight)
        both = placement.bulk_precheck(a, {"bulk1": {"type": "quick"}, "bulk2": {"type": "quick"}}, b)
        combined = [r for r in both["rows"] if r.get("combined")]
        assert [(r["severity"], r["topic"]) for r in combined] == [("error", "memory")]
        assert "need 64 MiB of memory; the destination has 48 MiB free" in combined[0]["text"]
        assert not both["ok"] and both["errors"] == 1
        with pytest.raises(UsageError):
            placement.bulk_precheck(a, {}, b)
