"""`bulkhead alert ...`: health alerts (list, show with suggestions, acknowledge, clear) and alert rules."""

from __future__ import annotations

import json
import math
import time

from core.model.errors import UsageError

from .common import connect, declared, examples, print_list, seconds, table, whole
from .i18n import _


def register(sub) -> None:
    alert = sub.add_parser("alert", help=_("health alerts: list, acknowledge, clear; alert rules"))
    als = alert.add_subparsers(dest="verb", metavar="VERB")
    p = als.add_parser("list", help=_("active alerts (--all: with the history)"),
                       **examples(_("  bulkhead alert list\n  bulkhead alert list --all --json\n")))
    p.add_argument("--all", action="store_true", help=_("include cleared alerts"))
    p.add_argument("--vm", help=_("only this VM's alerts"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_list)
    alert_id = whole(_("an alert id"), declared("alert.ack", "alert"))
    for verb, helptext in (("ack", _("acknowledge an alert")), ("clear", _("clear an alert"))):
        p = als.add_parser(verb, help=helptext, **examples(_("  bulkhead alert {verb} 3\n").format(verb=verb)))
        p.add_argument("alerts", nargs="+", type=alert_id, metavar="ID")
        p.set_defaults(func=alert_verb, operation=verb)
    p = als.add_parser("show", help=_("one alert, and for a host's CPU or memory pressure the VMs to move and where"),
                       **examples(_("  bulkhead alert show 3\n"
                                  "  bulkhead alert show 3 --to bulkhead+tls://rack2 --to bulkhead+ssh://rack3\n"
                                  "  bulkhead alert show 3 --json\n"
                                  "\nDestinations are rated among the saved connections (bulkhead host list) but\n"
                                  "this one, or the hosts given with --to.\n")))
    p.add_argument("alert", type=alert_id, metavar="ID")
    p.add_argument("--to", action="append", default=None, metavar="URI",
                   help=_("a host VMs could move to (repeat for more; default: every saved connection but this one)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_show)
    p = als.add_parser("rules", help=_("show or change alert rules"),
                       **examples(_("  bulkhead alert rules\n  bulkhead alert rules --set cpu_high.threshold=80 "
                                  "--set cpu_high.duration=30\n"
                                  "  bulkhead alert rules --set heartbeat_lost.enabled=false\n")))
    p.add_argument("--set", action="append", default=[], metavar="RULE.FIELD=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_rules)


def alert_list(args) -> int:
    with connect(args) as conn:
        alerts = conn.alerts(include_cleared=args.all, vm=args.vm)
    when = _when

    return print_list(args, alerts, _("No alerts.") if not args.all else _("No alerts in the history."),
                      [_("ID"), _("SEVERITY"), _("RAISED"), _("TARGET"), _("STATE"), _("MESSAGE")],
                      lambda a: [str(a["id"]), a["severity"], when(a["raised"]), a["target_name"],
                                 ("active" if a["active"] else f"cleared {when(a['cleared'])}")
                                 + (" ack" if a["acknowledged"] else ""), a["message"]])


def alert_verb(args) -> int:
    with connect(args) as conn:
        for alert_id in args.alerts:
            a = conn.acknowledge_alert(alert_id) if args.operation == "ack" else conn.clear_alert(alert_id)
            print(_("alert {id}: {value} ({message})").format(
                id=a['id'], value='acknowledged' if args.operation == 'ack' else 'cleared', message=a['message']))
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
    print(_("Alert {id}: {severity}, {state}, raised {raised}").format(
        id=alert['id'], severity=alert['severity'], state=state, raised=_when(alert['raised'])))
    print(f"  {alert['message']}")
    print(_("  rule {rule}, target {value}").format(rule=alert['rule'], value=alert['target_name'] or alert['target']))
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
        print(_("Suggestions: none ({value})").format(value='; '.join(found['notes']) or 'nothing to move'))
        return
    print(_("Suggestions: move these VMs to relieve the host's {what}{now}").format(what=what, now=now))
    rows = []
    for s in found["suggestions"]:
        after = f"{s['after_percent']:.0f} %" if s.get("after_percent") is not None else "-"
        rows.append(["  " + s["vm"], s["relief_text"], after, s["destination"] or NO_HOST,
                     f"{s['stars']:g}" if s["destination"] else "-", s["transfer_type"] or "-"])
    table([_("  VM"), _("RELIEF"), _("AFTER"), _("DESTINATION"), _("STARS"), _("TRANSFER")], rows)
    connect_opt = f"--connect {args.connect} " if getattr(args, "connect", None) else ""
    for s in found["suggestions"]:
        print(f"  {s['vm']}: {s['why']}")
        if s["destination"]:
            print(_("    -> {destination}. Migrate: bulkhead {connect_opt}vm move {vm} --to {value}").format(
                destination=s['destination'], connect_opt=connect_opt, vm=s['vm'], value=s['uri'] or s['destination']))
    for note in found["notes"]:
        print(_("  note: {note}").format(note=note))


def _rule_changes(items: list[str]) -> dict[str, dict]:
    changes: dict[str, dict] = {}
    for item in items:
        target, sep, value = item.partition("=")
        rule, dot, fieldname = target.partition(".")
        if not sep or not dot:
            raise UsageError(_("--set takes RULE.FIELD=VALUE (got {item!r})").format(item=item))
        if fieldname == "enabled":
            if value.lower() not in ("true", "false", "on", "off", "yes", "no"):
                raise UsageError(_("{rule}.enabled takes true or false (got {value!r})").format(rule=rule, value=value))
            parsed = value.lower() in ("true", "on", "yes")
        elif fieldname == "duration":
            parsed = seconds(value, f"{rule}.duration")
        elif fieldname == "threshold":
            try:
                parsed = float(value)
            except ValueError:
                parsed = math.nan
            if not math.isfinite(parsed):
                raise UsageError(_("{rule}.threshold takes a number (got {value!r})").format(rule=rule, value=value))
        elif fieldname == "severity":
            parsed = value
        else:
            raise UsageError(_("unknown rule field '{fieldname}' (enabled, threshold, duration, "
                               "severity)").format(fieldname=fieldname))
        changes.setdefault(rule, {"id": rule})[fieldname] = parsed
    return changes


def alert_rules(args) -> int:
    changes = _rule_changes(args.set)
    with connect(args) as conn:
        rules = conn.set_alert_rules(list(changes.values())) if changes else conn.alert_rules()
    if args.json:
        print(json.dumps(rules, indent=2))
    else:
        table([_("RULE"), _("ON"), _("THRESHOLD"), _("DURATION"), _("SEVERITY"), _("DESCRIPTION")],
              [[r["id"], "yes" if r["enabled"] else "no", f"{r['threshold']:g}", f"{r['duration']:g}s",
                r["severity"], r["description"]] for r in rules])
    return 0
