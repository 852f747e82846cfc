"""`bulkhead vm move VM --to URI`: move a VM to another Bulkhead host (live, quick, or a network copy of an Off VM),
with its progress as it goes; ``--precheck`` and ``--predict`` say beforehand what the move would meet and take
(core/cli/placement.py), ``--resolve`` ends a move the destination did not confirm."""

from __future__ import annotations

import json
import sys
import threading
import time

from core.model.errors import BulkheadError, UsageError
from core.model.names import short
from core.model.units import format_size, parse_size

from .common import connect, examples, job_end, seconds
from .i18n import _, job_title, size_problem, state_word
from .placement import parse_network_map

TYPES = ("live", "quick", "network")
MiB = 1 << 20
PRINT_EVERY = 1.0  # seconds between progress lines of the same round


def register(vs) -> None:
    """``vm move`` on the subparsers of the ``vm`` noun."""
    p = vs.add_parser("move", help=_("move a VM to another Bulkhead host (live, quick, or a copy of an Off VM)"),
                      **examples(_("  bulkhead vm move web1 --to bulkhead+tls://rack2\n"
                                 "  bulkhead vm move web1 --to bulkhead+ssh://admin@rack3 --type quick\n"
                                 "  bulkhead --connect bulkhead+tls://rack2 vm move web1 --to local\n"
                                 "  bulkhead vm move web1 --to bulkhead+tls://rack2 --path /srv/vms/web1\n"
                                 "  bulkhead vm move web1 --to bulkhead+tls://rack2 --precheck\n"
                                 "  bulkhead vm move web1 --to bulkhead+tls://rack2 --predict --bandwidth 100M\n"
                                 "  bulkhead vm move web1 --to bulkhead+tls://rack2 --resolve\n"
                                 "\n--to local is this machine's host service (with --home). Paths (--path) are the\n"
                                 "destination's. Ctrl+C cancels the move: the VM carries on where it was.\n")))
    p.add_argument("vm")
    p.add_argument("--to", required=True, metavar="URI",
                   help=_("the destination: bulkhead+tls://HOST[:PORT], bulkhead+ssh://USER@HOST, or local"))
    p.add_argument("--type", choices=TYPES, default=None,
                   help=_("live (memory in rounds, the guest keeps running), quick (save, move, restore), network "
                        "(an Off VM's files); default: live where it can be, else quick"))
    p.add_argument("--path", default="", metavar="DIR",
                   help=_("a folder on the destination for the VM's files that are copied (default: the same paths)"))
    p.add_argument("--network-map", action="append", default=[], metavar="A=B",
                   help=_("connect the adapter on switch A to switch B on the destination (repeat for more)"))
    p.add_argument("--bandwidth", default=None, metavar="RATE",
                   help=_("at most this many bytes per second (100M is 100 MiB/s; default: as fast as the link)"))
    p.add_argument("--downtime-limit", default=None, metavar="TIME",
                   help=_("live: stop and copy once the rest fits this pause (default 50ms)"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--precheck", action="store_true", help=_("only check the move: errors, warnings, notes"))
    what.add_argument("--predict", action="store_true", help=_("only predict its time, data, rounds and downtime"))
    what.add_argument("--resolve", action="store_true",
                      help=_("end an unconfirmed move: released here if the VM is there, resumed here if not"))
    p.add_argument("--no-wait", action="store_true", help=_("print the job id and return at once"))
    p.add_argument("--json", action="store_true", help=_("print the outcome as JSON"))
    p.set_defaults(func=vm_move)


# --- input ---------------------------------------------------------------------------------------------------------
def bandwidth(value) -> int:
    """Bytes/s from 100M (MiB/s), 1G, 500K or a number of bytes per second; 0 when not given."""
    if value in (None, ""):
        return 0
    try:
        rate = parse_size(str(value).strip().removesuffix("/s"), default_unit="B")
    except (ValueError, TypeError) as e:
        raise UsageError(_("--bandwidth: {e} (e.g. 100M for 100 MiB/s)").format(e=size_problem(e))) from None
    if rate <= 0:
        raise UsageError(_("--bandwidth must be more than 0 (got {value})").format(value=short(value)))
    return rate


def downtime_limit(value) -> float:
    """Seconds from 50ms, 0.05 or 1s (0.05 when not given)."""
    if value in (None, ""):
        return 0.05
    text = str(value).strip().lower()
    if text.endswith("ms"):
        limit = seconds(text[:-2], "--downtime-limit", 0.0, 60_000.0) / 1000
    else:
        limit = seconds(text, "--downtime-limit", 0.0, 60.0)
    if limit < 0.001:
        raise UsageError(_("--downtime-limit must be at least 1ms (got {value})").format(value=short(value)))
    return limit


def _destination(args):
    from core import api

    if args.to.strip().lower() == "local":
        return api.connect(getattr(args, "home", None))
    uri = api.check_uri(args.to)
    if not uri.lower().startswith(("bulkhead+ssh:", "bulkhead+tls:")):
        raise UsageError(_("--to {to}: a VM of this host moves to another Bulkhead host "
                           "(bulkhead+tls://HOST, bulkhead+ssh://USER@HOST or local); libvirt "
                           "domains move with bulkhead vm migrate").format(to=short(args.to)))
    return api.connect(uri=uri)


# --- the verb ------------------------------------------------------------------------------------------------------
def vm_move(args) -> int:
    rate = bandwidth(args.bandwidth)
    limit = downtime_limit(args.downtime_limit)
    mapping = parse_network_map(args.network_map, "A=B")
    with connect(args) as src, _destination(args) as dst:
        if args.precheck or args.predict:
            from .placement import print_precheck, print_prediction

            args.network_map = mapping
            return (print_precheck if args.precheck else print_prediction)(args, src, dst)
        if args.resolve:
            return _outcome(args, src.resolve_move(args.vm, dst).wait(), resolve=True)
        printer = _Progress(args.json)
        unsubscribe = src.subscribe(printer.event)
        try:
            job = src.move_vm(args.vm, dst, type=args.type or "auto", path=args.path, network_map=mapping,
                              bandwidth=rate, downtime_limit=limit)
            printer.job = job.id
            if args.no_wait:
                print(json.dumps(job.to_dict(), indent=2) if args.json else _("job {id}: {name} {target} ({state})")
                      .format(id=job.id, name=job_title(job.name), target=job.target_name, state=state_word(job.state)))
                return 0
            if not args.json:
                print(_("Moving VM '{value}' to {description} (job {id}) ...").format(
                    value=job.target_name or args.vm, description=dst.description, id=job.id))
            try:
                job = job.wait()
            except KeyboardInterrupt:
                print(_("\nbulkhead: cancelling the move ..."), file=sys.stderr)
                try:
                    src.cancel_job(job.id)
                except BulkheadError as e:
                    print(f"bulkhead: {e}", file=sys.stderr)
                job = job.wait(60)
        finally:
            unsubscribe()
        return _outcome(args, job)


def _outcome(args, job, resolve: bool = False) -> int:
    code = job_end(args, job, json_ok=job.state == "Completed")
    if code is not None:
        return code
    if job.state == "Cancelled":
        print(_("{name}: cancelled; VM '{target_name}' stays where it was").format(
            name=job_title(job.name), target_name=job.target_name))
        return 1
    r = job.result if isinstance(job.result, dict) else {}
    if resolve:
        print(_("{job}: VM '{name}' {resolved}").format(job=job_title(job.name), name=r.get("name", job.target_name),
                                                        resolved=r.get("resolved", _("resolved")))
              + (f": {r['message']}" if r.get("message") else ""))
        return 0
    figures = []
    if r.get("downtime_s") is not None:
        figures.append(f"downtime {_ms(r['downtime_s'])}")
    if r.get("total_s") is not None:
        figures.append(f"total {_ms(r['total_s'])}")
    if r.get("bytes_sent") is not None:
        figures.append(_("{size} sent").format(size=format_size(int(r["bytes_sent"]))))
    if r.get("rounds"):
        figures.append(_("{n} rounds").format(n=len(r["rounds"])))
    print(_("{job}: VM '{name}' {state} ({type}{figures})").format(
        job=job_title(job.name), name=r.get("name", job.target_name), state=r.get("state", _("moved")),
        type=r.get("type", _("move")),
        figures=": " + ", ".join(figures) if figures else ""))
    if r.get("problem"):
        print(f"bulkhead: {r['problem']}", file=sys.stderr)
    return 0


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


class _Progress:
    """Prints the move's progress events (one line per round, and at most one a second within a round)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.job = None
        self._last = (None, 0.0)
        self._lock = threading.Lock()

    def event(self, kind: str, data: dict) -> None:
        if self.quiet or kind != "vm.move.progress" or self.job is None or data.get("job") != self.job:
            return
        now = time.monotonic()
        key = (data.get("phase"), data.get("round"))
        with self._lock:
            if key == self._last[0] and now - self._last[1] < PRINT_EVERY and data.get("remaining"):
                return
            self._last = (key, now)
        print(_line(data), flush=True)


def _line(d: dict) -> str:
    sent, left = int(d.get("sent") or 0), int(d.get("remaining") or 0)
    rate = d.get("bandwidth") or 0
    if d.get("phase") == "files":
        return f"  files: {format_size(sent)} sent, {format_size(left)} to go, {rate / MiB:.1f} MiB/s"
    words = [f"  round {d.get('round', 0)}: {format_size(sent)} sent", f"{format_size(left)} dirty",
             f"{rate / MiB:.1f} MiB/s"]
    if d.get("dirty_rate"):
        words.append(f"dirtying {d['dirty_rate'] / MiB:.1f} MiB/s")
    if d.get("expected_downtime") is not None:
        words.append(f"expected downtime {_ms(d['expected_downtime'])}")
    if d.get("throttle"):
        words.append(f"throttled {d['throttle']:.0f} %")
    return ", ".join(words)
