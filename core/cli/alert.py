"""`bulkhead alert ...`: health alerts (list, acknowledge, clear) and alert rules."""

from __future__ import annotations

import json
import math
import time

from core.model.errors import UsageError

from .common import connect, declared, examples, print_list, seconds, table, whole


def register(sub) -> None:
    alert = sub.add_parser("alert", help="health alerts: list, acknowledge, clear; alert rules")
    als = alert.add_subparsers(dest="verb", metavar="VERB")
    p = als.add_parser("list", help="active alerts (--all: with the history)",
                       **examples("  bulkhead alert list\n  bulkhead alert list --all --json\n"))
    p.add_argument("--all", action="store_true", help="include cleared alerts")
    p.add_argument("--vm", help="only this VM's alerts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_list)
    alert_id = whole("an alert id", declared("alert.ack", "alert"))
    for verb, helptext in (("ack", "acknowledge an alert"), ("clear", "clear an alert")):
        p = als.add_parser(verb, help=helptext, **examples(f"  bulkhead alert {verb} 3\n"))
        p.add_argument("alerts", nargs="+", type=alert_id, metavar="ID")
        p.set_defaults(func=alert_verb, operation=verb)
    p = als.add_parser("rules", help="show or change alert rules",
                       **examples("  bulkhead alert rules\n  bulkhead alert rules --set cpu_high.threshold=80 "
                                  "--set cpu_high.duration=30\n"
                                  "  bulkhead alert rules --set heartbeat_lost.enabled=false\n"))
    p.add_argument("--set", action="append", default=[], metavar="RULE.FIELD=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_rules)


def alert_list(args) -> int:
    with connect(args) as conn:
        alerts = conn.alerts(include_cleared=args.all, vm=args.vm)

    def when(t):
        return time.strftime("%m-%d %H:%M:%S", time.localtime(t)) if t else "-"

    return print_list(args, alerts, "No alerts." if not args.all else "No alerts in the history.",
                      ["ID", "SEVERITY", "RAISED", "TARGET", "STATE", "MESSAGE"],
                      lambda a: [str(a["id"]), a["severity"], when(a["raised"]), a["target_name"],
                                 ("active" if a["active"] else f"cleared {when(a['cleared'])}")
                                 + (" ack" if a["acknowledged"] else ""), a["message"]])


def alert_verb(args) -> int:
    with connect(args) as conn:
        for alert_id in args.alerts:
            a = conn.acknowledge_alert(alert_id) if args.operation == "ack" else conn.clear_alert(alert_id)
            print(f"alert {a['id']}: {'acknowledged' if args.operation == 'ack' else 'cleared'} ({a['message']})")
    return 0


def _rule_changes(items: list[str]) -> dict[str, dict]:
    changes: dict[str, dict] = {}
    for item in items:
        target, sep, value = item.partition("=")
        rule, dot, fieldname = target.partition(".")
        if not sep or not dot:
            raise UsageError(f"--set takes RULE.FIELD=VALUE (got {item!r})")
        if fieldname == "enabled":
            if value.lower() not in ("true", "false", "on", "off", "yes", "no"):
                raise UsageError(f"{rule}.enabled takes true or false (got {value!r})")
            parsed = value.lower() in ("true", "on", "yes")
        elif fieldname == "duration":
            parsed = seconds(value, f"{rule}.duration")
        elif fieldname == "threshold":
            try:
                parsed = float(value)
            except ValueError:
                parsed = math.nan
            if not math.isfinite(parsed):
                raise UsageError(f"{rule}.threshold takes a number (got {value!r})")
        elif fieldname == "severity":
            parsed = value
        else:
            raise UsageError(f"unknown rule field '{fieldname}' (enabled, threshold, duration, severity)")
        changes.setdefault(rule, {"id": rule})[fieldname] = parsed
    return changes


def alert_rules(args) -> int:
    changes = _rule_changes(args.set)
    with connect(args) as conn:
        rules = conn.set_alert_rules(list(changes.values())) if changes else conn.alert_rules()
    if args.json:
        print(json.dumps(rules, indent=2))
    else:
        table(["RULE", "ON", "THRESHOLD", "DURATION", "SEVERITY", "DESCRIPTION"],
              [[r["id"], "yes" if r["enabled"] else "no", f"{r['threshold']:g}", f"{r['duration']:g}s",
                r["severity"], r["description"]] for r in rules])
    return 0
