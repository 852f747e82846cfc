"""`bulkhead alert ...`: health alerts (list, show with suggestions, acknowledge, clear) and alert rules."""

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
    p = als.add_parser("show", help="one alert, and for a host's CPU or memory pressure the VMs to move and where",
                       **examples("  bulkhead alert show 3\n"
                                  "  bulkhead alert show 3 --to bulkhead+tls://rack2 --to bulkhead+ssh://rack3\n"
                                  "  bulkhead alert show 3 --json\n"
                                  "\nDestinations are rated among the saved connections (bulkhead host list) but\n"
                                  "this one, or the hosts given with --to.\n"))
    p.add_argument("alert", type=alert_id, metavar="ID")
    p.add_argument("--to", action="append", default=None, metavar="URI",
                   help="a host VMs could move to (repeat for more; default: every saved connection but this one)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_show)
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
    when = _when

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


def candidates(args, here: str) -> tuple[list, list[str]]:
    """(URIs, names) of the hosts a VM could move to: --to, else every saved connection but ``here``."""
    from core import api

    saved = api.saved_connections(getattr(args, "home", None))
    names = {c["uri"]: c.get("name") or c["uri"] for c in saved}
    uris = [api.check_uri(u) for u in args.to] if args.to else [c["uri"] for c in saved if c["uri"] != here]
    return uris, [names.get(u, u) for u in uris]


def _when(t) -> str:
    return time.strftime("%m-%d %H:%M:%S", time.localtime(t)) if t else "-"


def alert_show(args) -> int:
    from core.api import suggestions

    with connect(args) as conn:
        alert = suggestions.find_alert(conn, args.alert)
        found = None
        if suggestions.resource(alert) is not None and alert["active"]:  # a cleared one needs no relief
            uris, names = candidates(args, getattr(conn, "uri", ""))
            found = suggestions.for_alert(conn, alert, uris, names=names)
    if args.json:
        print(json.dumps({"alert": alert, "suggestions": found}, indent=2))
        return 0
    state = ("active" if alert["active"] else f"cleared {_when(alert['cleared'])} ({alert.get('cleared_by') or '-'})")
    state += ", acknowledged" if alert.get("acknowledged") else ""
    print(f"Alert {alert['id']}: {alert['severity']}, {state}, raised {_when(alert['raised'])}")
    print(f"  {alert['message']}")
    print(f"  rule {alert['rule']}, target {alert['target_name'] or alert['target']}")
    if found is None:
        return 0
    _print_suggestions(args, found)
    return 0


def _print_suggestions(args, found: dict) -> None:
    from core.api.suggestions import NO_HOST

    what = "memory" if found["resource"] == "memory" else "CPU"
    now = f", {found['in_use']:.0f} % in use" if found.get("in_use") is not None else ""
    print()
    if not found["suggestions"]:
        print(f"Suggestions: none ({'; '.join(found['notes']) or 'nothing to move'})")
        return
    print(f"Suggestions: move these VMs to relieve the host's {what}{now}")
    rows = []
    for s in found["suggestions"]:
        after = f"{s['after_percent']:.0f} %" if s.get("after_percent") is not None else "-"
        rows.append(["  " + s["vm"], s["relief_text"], after, s["destination"] or NO_HOST,
                     f"{s['stars']:g}" if s["destination"] else "-", s["transfer_type"] or "-"])
    table(["  VM", "RELIEF", "AFTER", "DESTINATION", "STARS", "TRANSFER"], rows)
    connect_opt = f"--connect {args.connect} " if getattr(args, "connect", None) else ""
    for s in found["suggestions"]:
        print(f"  {s['vm']}: {s['why']}")
        if s["destination"]:
            print(f"    -> {s['destination']}. Migrate: bulkhead {connect_opt}vm move {s['vm']} --to "
                  f"{s['uri'] or s['destination']}")
    for note in found["notes"]:
        print(f"  note: {note}")


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
