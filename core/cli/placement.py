"""Before a move: `bulkhead host rate VM` (SCVMM's star ratings of the candidate hosts, with explanations), and the
``--precheck`` / ``--predict`` output of `bulkhead vm move` (``print_precheck``, ``print_prediction``, called by the
`vm move` verb). The figures come from core/api/placement.py."""

from __future__ import annotations

import json
import math

from core.model.errors import UsageError
from core.model.names import short
from core.model.units import format_size, parse_size

from .common import connect, examples, seconds, table
from .i18n import _, ngettext, size_problem

GOALS = ("balance", "maximize")
RESOURCES = ("cpu", "memory", "disk", "network")
MiB = 1 << 20


def register_rate(hs) -> None:
    """``host rate`` on the subparsers of the ``host`` noun."""
    p = hs.add_parser("rate", help=_("rate the hosts a VM could move to: 0 to 5 stars with the reasons (SCVMM's "
                                   "placement ratings)"),
                      **examples(_("  bulkhead host rate web1                        every saved connection\n"
                                 "  bulkhead host rate web1 --to bulkhead+tls://rack2 --to bulkhead+ssh://rack3\n"
                                 "  bulkhead host rate web1 --goal maximize --weights cpu=2,memory=1,network=0\n"
                                 "  bulkhead host rate web1 --explain --json\n")))
    p.add_argument("vm", help=_("the VM to place (on this connection)"))
    p.add_argument("--to", action="append", default=None, metavar="URI",
                   help=_("a candidate host (repeat for more; default: every saved connection but this one)"))
    p.add_argument("--goal", choices=GOALS, default="balance",
                   help=_("balance: the emptiest host rates best (load balancing); maximize: the fullest host that "
                        "still fits (resource maximization)"))
    p.add_argument("--weights", default=None, metavar="cpu=N,memory=N,disk=N,network=N",
                   help=_("how much each resource counts (0 to 100, 1 each by default)"))
    p.add_argument("--window", default="10m", help=_("how much history to average (default: 10m)"))
    p.add_argument("--explain", action="store_true", help=_("every line of each host's rating explanation"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=host_rate)


# --- argument parsing the move verbs share ---------------------------------------------------------------------------
def parse_weights(text: str | None) -> dict[str, float] | None:
    """{"cpu": 2.0, ...} from "cpu=2,memory=1"; UsageError (one line) for anything else."""
    if not text:
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        key, sep, value = part.strip().partition("=")
        key = key.strip().lower()
        if not sep or key not in RESOURCES:
            raise UsageError(_("--weights: {part} is not RESOURCE=NUMBER ({RESOURCES})").format(
                part=short(part.strip()), RESOURCES=', '.join(RESOURCES)))
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not 0 <= number <= 100:
            raise UsageError(_("--weights: the weight of {key} must be a number from 0 to 100 (got "
                               "{value})").format(key=key, value=short(value)))
        out[key] = number
    return out


def parse_network_map(values, form: str = "SOURCE=DESTINATION") -> dict[str, str]:
    """{"lab": "lan"} from --network-map lab=lan (repeated, or comma-separated), or a dict as it is; ``form`` is how
    the refusal of a part without "=" names the option's value."""
    if not values:
        return {}
    if isinstance(values, dict):
        return dict(values)
    out: dict[str, str] = {}
    for value in values if isinstance(values, list) else [values]:
        for part in str(value).split(","):
            source, sep, target = part.partition("=")
            if not sep or not source.strip() or not target.strip():
                raise UsageError(_("--network-map: {part} is not {form} (the adapter's switch here "
                                   "= a switch on the destination)").format(part=short(part), form=form))
            out[source.strip()] = target.strip()
    return out


def _bandwidth(value) -> float | None:
    """Bytes/s from --bandwidth as given (100M means 100 MiB/s; a number is bytes/s), or None."""
    if value in (None, "", 0):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(parse_size(str(value), default_unit="B"))
    except ValueError as e:
        raise UsageError(_("--bandwidth: {e} (e.g. 100M for 100 MiB/s)").format(e=size_problem(e))) from None


def _downtime(value) -> float:
    """Seconds from --downtime-limit: 50ms, 0.05, 1s."""
    if value is None:
        return 0.05
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower()
    if text.endswith("ms"):
        return seconds(text[:-2], "--downtime-limit (ms)", 0.0, 60_000.0) / 1000
    return seconds(text, "--downtime-limit", 0.0, 60.0)


# --- host rate -------------------------------------------------------------------------------------------------------
def _stars(value: float) -> str:
    full = int(value)
    return "*" * full + ("+" if value - full >= 0.5 else "") + "." * (5 - full - (1 if value - full >= 0.5 else 0))


def _candidates(args, here: str) -> tuple[list[str], list[str]]:
    from core import api

    saved = api.saved_connections(getattr(args, "home", None))
    names = {c["uri"]: c.get("name") or c["uri"] for c in saved}
    if args.to:
        uris = [api.check_uri(u) for u in args.to]
    else:
        uris = [c["uri"] for c in saved if c["uri"] != here]
    if not uris:
        raise UsageError(_("no other host to rate: give --to URI, or save connections (bulkhead host add URI)"))
    return uris, [names.get(u, u) for u in uris]


def host_rate(args) -> int:
    from core.api.placement import rate_hosts

    weights = parse_weights(args.weights)
    window = seconds(args.window, "--window", 10.0, 7 * 86400.0)
    with connect(args) as conn:
        uris, names = _candidates(args, conn.uri)
        rated = rate_hosts(conn, args.vm, uris, goal=args.goal, weights=weights, window=window, names=names)
    if args.json:
        print(json.dumps(rated, indent=2))
        return 0
    rows = []
    for r in rated:
        free = r.get("memory_free")
        cpu = r.get("cpu_percent")
        rows.append([r["host"], f"{r['stars']:g}", _stars(r["stars"]), r["transfer_type"],
                     format_size(int(free)) if free is not None else "-", f"{cpu:.0f} %" if cpu is not None else "-",
                     r.get("backend") or "-"])
    table([_("HOST"), _("STARS"), "", _("TRANSFER"), _("FREE MEMORY"), _("CPU"), _("BACKEND")], rows)
    print()
    for r in rated:
        lines = r["explanation"] if args.explain else r["explanation"][:1]
        print(f"{r['host']}: {lines[0]}")
        for line in lines[1:]:
            print(f"  {line}")
    return 0


# --- vm move --precheck / --predict ------------------------------------------------------------------------------
def _options(args) -> dict:
    return {"type": getattr(args, "type", None) or "auto", "path": getattr(args, "path", None) or "",
            "network_map": parse_network_map(getattr(args, "network_map", None)) or None,
            "bandwidth": _bandwidth(getattr(args, "bandwidth", None))}


def print_precheck(args, src, dst) -> int:
    """`vm move VM --to URI --precheck`: the rows, errors first; exit 1 if any error blocks the move. ``src`` is the
    VM's connection, ``dst`` the destination (a connection or URI); ``args`` has vm, and may have type, path,
    network_map (A=B strings or a dict), bandwidth (100M or bytes/s) and json."""
    result = src.move_precheck(args.vm, dst, **_options(args))
    if getattr(args, "json", False):
        print(json.dumps(result, indent=2))
        return 0 if result["ok"] else 1
    print(_("Precheck: VM '{vm}' to {destination} ({type} move{reason})").format(
        vm=result["vm"], destination=result["destination"], type=result["type"],
        reason=": " + result["type_reason"] if result["type_reason"] != "chosen" else ""))
    order = {"error": 0, "warning": 1, "info": 2}
    for r in sorted(result["rows"], key=lambda r: order[r["severity"]]):
        print(f"  {r['severity'].upper() if r['severity'] != 'info' else 'info':<8} {r['text']}")
        if r.get("hint"):
            print(f"  {'':<8} -> {r['hint']}")
    if result["ok"]:
        warned = f" ({result['warnings']} warning{'s' if result['warnings'] != 1 else ''})" if result["warnings"] \
            else ""
        print(_("The move can go ahead{warned}.").format(warned=warned))
        return 0
    n = result["errors"]
    print(ngettext("{n} error blocks the move.", "{n} errors block the move.", n).format(n=n))
    return 1


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def _time(value: float) -> str:
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def print_prediction(args, src, dst) -> int:
    """`vm move VM --to URI --predict`: the predicted total time, data, rounds and downtime (and each round with
    --json); ``args`` as for print_precheck, with downtime_limit (50ms, 0.05)."""
    options = _options(args)
    options.pop("path")
    options.pop("network_map")
    p = src.move_predict(args.vm, dst, downtime_limit=_downtime(getattr(args, "downtime_limit", None)), **options)
    if getattr(args, "json", False):
        print(json.dumps(p, indent=2))
        return 0
    source = {"given": "given", "measured": "measured between these hosts", "assumed": "assumed"}
    rows = [("Transfer", p["type"]), ("Total time", _time(p["total_s"])),
            ("Data to send", format_size(p["data_bytes"])), ("Rounds", p.get("rounds", 0))]
    if p["type"] in ("live", "storage", "quick"):
        limit = f" (limit {_ms(p['downtime_limit'])})" if p["type"] != "quick" else " (saved, copied, restored)"
        resume = (p.get("inputs") or {}).get("resume_s") if p["type"] == "live" else None
        if resume:
            limit = f" (the last pages: limit {_ms(p['downtime_limit'])}; then {_ms(resume)} to resume)"
        rows.append(("Downtime", _ms(p["downtime_s"]) + limit))
    if p["type"] == "live":
        rows.append(("Converges", "yes" if p["converges"] else f"no: {p['reason']}"))
        measured = "measured" if p["measured"]["dirty_rate"] else "not measured"
        rows.append(("Dirty rate", f"{p['dirty_rate'] / MiB:.1f} MiB/s ({measured}, over {p['window_s']:.0f} s)"))
        rows.append(("Resident memory", format_size(p["resident_bytes"])))
    if p.get("copy_bytes"):
        rows.append(("Files to copy", format_size(p["copy_bytes"])))
    rows.append(("Bandwidth", f"{p['bandwidth'] / MiB:.0f} MiB/s ({source[p['bandwidth_source']]})"))
    width = max(len(k) for k, _ in rows)
    print(_("Prediction: VM '{vm}' to {destination}").format(vm=p['vm'], destination=p['destination']))
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    if not p["converges"] and p.get("hint"):
        print(f"  -> {p['hint']}")
    for note in p["notes"]:
        print(_("Note: {note}").format(note=note))
    return 0
