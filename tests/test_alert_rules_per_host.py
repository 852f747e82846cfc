"""Each host has its own alert rules: changing one host's rule leaves the defaults and other hosts alone."""

from __future__ import annotations

from core.hosts.alerts import DEFAULT_RULES, AlertManager


def test_changing_a_rule_of_one_host_does_not_change_another(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = AlertManager(tmp_path / "a", lambda kind, data: None)
    b = AlertManager(tmp_path / "b", lambda kind, data: None)
    try:
        a.set_rules([{"id": "device_failed", "enabled": False}])
        assert {r["id"]: r["enabled"] for r in a.list_rules()}["device_failed"] is False
        assert {r["id"]: r["enabled"] for r in b.list_rules()}["device_failed"] is True
        assert {r.id: r.enabled for r in DEFAULT_RULES}["device_failed"] is True
    finally:
        a.close()
        b.close()
