"""Health and alerts: rules with defaults and an editor, alerts raised and cleared on each metrics tick, a history
kept in SQLite, and each VM's health state (OK, Degraded, Critical) with its reason."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from core.model.errors import NotFound, UsageError
from core.model.files import write_json_atomic
from core.model.names import short

SEVERITIES = ("warning", "critical")
ID_MAX = (1 << 63) - 1  # SQLite's largest integer
LIMIT_MAX = 10_000


@dataclass
class Rule:
    id: str
    description: str
    enabled: bool = True
    threshold: float = 0.0
    duration: float = 0.0  # seconds the condition must hold before the alert is raised
    severity: str = "warning"


DEFAULT_RULES = [
    Rule("cpu_high", "VM CPU above the threshold (%) for the duration", True, 90.0, 60.0, "warning"),
    Rule("vm_memory_pressure", "VM resident memory above the threshold (% of assigned) for the duration", True,
         95.0, 60.0, "warning"),
    Rule("host_memory_pressure", "host memory in use above the threshold (%) for the duration", True, 90.0, 30.0,
         "warning"),
    # a host busy for minutes, not a burst: tests' short-lived hosts never hold it that long
    Rule("host_cpu_pressure", "host CPU in use above the threshold (%) for the duration", True, 90.0, 300.0,
         "warning"),
    Rule("heartbeat_lost", "a VM's heartbeat is lost (Lost Communication) for the duration", True, 0.0, 5.0,
         "critical"),
    Rule("vm_critical", "a VM went Critical", True, 0.0, 0.0, "critical"),
    Rule("device_failed", "a VM's synthetic device failed", True, 0.0, 0.0, "warning"),
    Rule("disk_nearly_full", "a dynamic virtual disk's allocation above the threshold (% of its size)", True, 90.0,
         0.0, "warning"),
    Rule("host_storage_nearly_full", "the host's storage for VMs above the threshold (% used)", True, 90.0, 0.0,
         "warning"),
    Rule("saved_state_damaged", "a VM's saved state could not be used (a damaged file is moved aside, kept)", True,
         0.0, 0.0, "warning"),
]
RULE_IDS = [r.id for r in DEFAULT_RULES]
# raised once by the host (``notify``) rather than held by a condition each tick: they stay until cleared
EVENT_RULES = frozenset({"saved_state_damaged"})


def checked_id(value: object) -> int:
    """An alert id from a request: a whole number SQLite can hold, else UsageError (never an internal error)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"an alert id is a whole number (got {short(value)})", code="alert.id")
    if not 1 <= value <= ID_MAX:
        raise NotFound(f"no alert {value}", code="alert.not_found", alert=value)
    return value


def list_limit(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"limit must be a whole number (got {short(value)})", code="param.invalid")
    return max(0, min(value, LIMIT_MAX))


class AlertManager:
    def __init__(self, data: Path, emit: Callable[[str, dict], None]) -> None:
        self.rules_path = data / "alert-rules.json"
        self.emit = emit
        self.lock = threading.RLock()
        self.db = sqlite3.connect(data / "alerts.sqlite", check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, rule TEXT, "
                        "target TEXT, target_name TEXT, severity TEXT, message TEXT, raised REAL, cleared REAL, "
                        "acknowledged REAL, cleared_by TEXT)")
        self.rules = {r.id: Rule(**asdict(r)) for r in DEFAULT_RULES}  # each host its own copies, never the defaults
        self._load_rules()
        self._since: dict[tuple[str, str], float] = {}
        self._active: dict[tuple[str, str], int] = {
            (rule, target): aid
            for aid, rule, target in self.db.execute("SELECT id, rule, target FROM alerts WHERE cleared IS NULL")
        }

    # --- rules -------------------------------------------------------------------------------------------------
    def _load_rules(self) -> None:
        try:
            saved = json.loads(self.rules_path.read_text())
        except (FileNotFoundError, ValueError):
            return
        for item in saved if isinstance(saved, list) else []:
            try:
                self._apply_rule(item)
            except UsageError:
                continue  # a damaged entry keeps the default

    def _apply_rule(self, item: dict) -> Rule:
        rule_id = item.get("id") if isinstance(item, dict) else item
        if not isinstance(rule_id, str) or rule_id not in self.rules:
            raise UsageError(f"unknown alert rule {short(rule_id)} (rules: {', '.join(RULE_IDS)})")
        rule = self.rules[item["id"]]
        changes = {}
        for key in ("enabled", "threshold", "duration", "severity"):
            if key not in item:
                continue
            value = item[key]
            if key == "enabled" and not isinstance(value, bool):
                raise UsageError(f"{rule.id}: enabled must be true or false")
            if key in ("threshold", "duration") and (not isinstance(value, (int, float)) or isinstance(value, bool)
                                                     or not 0 <= value <= 1e6):
                raise UsageError(f"{rule.id}: {key} must be a number from 0 to 1000000")
            if key == "severity" and value not in SEVERITIES:
                raise UsageError(f"{rule.id}: severity must be warning or critical")
            changes[key] = value
        for key, value in changes.items():
            setattr(rule, key, value)
        return rule

    def list_rules(self) -> list[dict]:
        return [asdict(r) for r in self.rules.values()]

    def set_rules(self, rules: list[dict]) -> list[dict]:
        if not isinstance(rules, list):
            raise UsageError("rules must be a list of objects")
        with self.lock:
            backup = {k: Rule(**asdict(v)) for k, v in self.rules.items()}
            try:
                for item in rules:
                    self._apply_rule(item)
            except UsageError:
                self.rules = backup  # all or nothing
                raise
            write_json_atomic(self.rules_path, self.list_rules())
        self.emit("alert.rules", {"rules": self.list_rules()})
        return self.list_rules()

    # --- evaluation (each metrics tick) ------------------------------------------------------------------------
    def evaluate(self, conditions: dict[tuple[str, str], tuple[str, str, float | None]], now: float) -> None:
        """``conditions`` maps (rule, target) to (target_name, message, value) for every condition that holds now;
        an active alert whose condition no longer holds is cleared (event rules' alerts stay until cleared)."""
        with self.lock:
            for key, (name, message, _value) in conditions.items():
                rule = self.rules[key[0]]
                if not rule.enabled:
                    continue
                since = self._since.setdefault(key, now)
                if key not in self._active and now - since >= rule.duration:
                    self._raise(key, name, rule.severity, message, now)
            for key in [k for k in self._since if k not in conditions]:
                del self._since[key]
            for key in [k for k in self._active if k[0] not in EVENT_RULES
                        and (k not in conditions or not self.rules[k[0]].enabled)]:
                self._clear(self._active[key], now, "condition ended")

    def notify(self, rule: str, target: str, name: str, message: str, now: float | None = None) -> dict | None:
        """Raise an alert of an event rule (one that no tick holds: it stays active until cleared); one that is
        already active for the same target is replaced. None if the rule is disabled."""
        if rule not in EVENT_RULES:
            raise AssertionError(f"{rule} is not an event rule")
        if not self.rules[rule].enabled:
            return None
        now = time.time() if now is None else now
        with self.lock:
            old = self._active.get((rule, target))
            if old is not None:
                self._clear(old, now, "replaced")
            self._raise((rule, target), name, self.rules[rule].severity, message, now)
            return self.get(self._active[(rule, target)])

    def clear_target(self, target: str, by: str, rule: str | None = None) -> None:
        """Clear every active alert of ``target`` (or only those of ``rule``), e.g. when the VM is removed."""
        now = time.time()
        with self.lock:
            for (r, t), aid in list(self._active.items()):
                if t == target and (rule is None or r == rule):
                    self._clear(aid, now, by)

    def _raise(self, key, name: str, severity: str, message: str, now: float) -> None:
        cur = self.db.execute("INSERT INTO alerts (rule, target, target_name, severity, message, raised) "
                              "VALUES (?, ?, ?, ?, ?, ?)", (key[0], key[1], name, severity, message, now))
        self._active[key] = cur.lastrowid
        self.emit("alert.raised", self.get(cur.lastrowid))

    def _clear(self, alert_id: int, now: float, by: str) -> None:
        self.db.execute("UPDATE alerts SET cleared = ?, cleared_by = ? WHERE id = ? AND cleared IS NULL",
                        (now, by, alert_id))
        for key, aid in list(self._active.items()):
            if aid == alert_id:
                del self._active[key]
                self._since.pop(key, None)  # a condition that persists raises a new alert after its duration
        self.emit("alert.cleared", self.get(alert_id))

    # --- the operator's side -----------------------------------------------------------------------------------
    def get(self, alert_id: int) -> dict:
        alert_id = checked_id(alert_id)
        row = self.db.execute("SELECT id, rule, target, target_name, severity, message, raised, cleared, "
                              "acknowledged, cleared_by FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        keys = ("id", "rule", "target", "target_name", "severity", "message", "raised", "cleared", "acknowledged",
                "cleared_by")
        d = dict(zip(keys, row))
        d["active"] = d["cleared"] is None
        return d

    def list(self, include_cleared: bool = False, limit: int = 200, target: str | None = None) -> list[dict]:
        where, args = [], []
        if not include_cleared:
            where.append("cleared IS NULL")
        if target:
            where.append("target = ?")
            args.append(target)
        sql = "SELECT id FROM alerts" + (" WHERE " + " AND ".join(where) if where else "")
        limit = list_limit(limit)
        ids = [r[0] for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))]
        return [self.get(i) for i in ids]

    def acknowledge(self, alert_id: int) -> dict:
        self.get(alert_id)
        self.db.execute("UPDATE alerts SET acknowledged = ? WHERE id = ? AND acknowledged IS NULL",
                        (time.time(), alert_id))
        alert = self.get(alert_id)
        self.emit("alert.acknowledged", alert)
        return alert

    def clear(self, alert_id: int) -> dict:
        with self.lock:
            alert = self.get(alert_id)
            if alert["active"]:
                self._clear(alert_id, time.time(), "operator")
        return self.get(alert_id)

    def active_for(self, target: str) -> list[dict]:
        return [self.get(aid) for (rule, t), aid in list(self._active.items()) if t == target]

    def close(self) -> None:
        self.db.close()
