"""`bulkhead convert vm SOURCE`: bring a VM of another platform (VMware .vmx, OVF/OVA, VirtualBox .vbox, libvirt
or Hyper-V XML) onto a host, as SCVMM's Convert Virtual Machine: its disks become the host's disks, the VM is
created Off, and the conversion report says what could not be carried over (docs/conversion.md)."""

from __future__ import annotations

import json

from core.model.errors import UsageError
from core.model.names import short

from .common import connect, examples, host_path, job_outcome
from .i18n import _, ngettext


def register(sub) -> None:
    noun = sub.add_parser("convert", help=_("convert a VM of another platform (VMware, OVF/OVA, VirtualBox, libvirt, "
                                          "Hyper-V) onto a host"))
    verbs = noun.add_subparsers(dest="verb", metavar="VERB")
    p = verbs.add_parser("vm", help=_("convert a VM's description and disks; the VM is created Off"),
                         **examples(_("  bulkhead convert vm ~/vmware/web/web.vmx --dry-run\n"
                                    "  bulkhead convert vm web.ova --name web2 --network-map 'VM Network=lab'\n"
                                    "  bulkhead convert vm /srv/export/db.vbox --to bulkhead+tls://rack1 "
                                    "--path /srv/vhds\n"
                                    "\nThe guest operating system is not converted; the report says what was not\n"
                                    "carried over as it was. --dry-run reads and plans, and writes nothing.\n")))
    p.add_argument("source", help=_("the VM's descriptor (.vmx, .ovf, .ova, .vbox, .xml) or a folder holding one"))
    _target_options(p, "the new VM's name (default: the source's)",
                    "connect the adapter of source network A to switch B (repeat for more)")
    p.add_argument("--notes", default="", metavar="TEXT",
                   help=_("the VM's notes (default: the source's description); where it came from is added"))
    _run_options(p, "print the parsed source, the plan and the report only")
    p.set_defaults(func=convert_vm, raw=("source", "path"))
    register_physical(verbs)


def register_physical(verbs) -> None:
    """convert physical and convert scan (SCVMM's Convert Physical Server)."""
    p = verbs.add_parser("physical", help=_("capture a physical machine's disks into a VM, created Off"),
                         **examples(_("  bulkhead convert physical --disk /srv/images/server.img --dry-run\n"
                                    "  bulkhead convert physical --from ssh://root@db1 --disk /dev/sda --name db1\n"
                                    "  bulkhead convert physical --from ssh://root@db1:2222 --disk /dev/sdb1 --freeze\n"
                                    "\nThe machine is scanned (processors, memory, disks, adapters), then each --disk\n"
                                    "(a device or an image file on it) is captured into a VHD skipping zeroed space.\n"
                                    "A mounted file system captured online is not crash-consistent: --freeze runs\n"
                                    "fsfreeze around its capture. --dry-run scans and plans, and writes nothing.\n")))
    p.add_argument("--from", dest="from_", default="", metavar="ssh://USER@HOST[:PORT]",
                   help=_("the machine (default: the host's own machine; over SSH the host runs ssh, keys only)"))
    p.add_argument("--disk", action="append", default=[], metavar="DEVICE_OR_IMAGE",
                   help=_("a disk, partition or image file to capture (repeat for more; the first is attached)"))
    _target_options(p, "the new VM's name (default: the machine's host name)",
                    "connect the VM's adapter for the machine's adapter A (eth0) to switch B")
    p.add_argument("--freeze", action="store_true", help=_("freeze mounted file systems (fsfreeze) while captured"))
    p.add_argument("--vhd-type", default="dynamic", choices=("dynamic", "fixed"),
                   help=_("dynamic VHDs grow as they are written (default); fixed ones take all their size at once"))
    p.add_argument("--notes", default="", metavar="TEXT",
                   help=_("the VM's notes; where it came from is added"))
    _run_options(p, "print the scan, the plan and the report only")
    p.set_defaults(func=convert_physical, raw=("disk", "path"))
    s = verbs.add_parser("scan", help=_("scan a physical machine: processors, memory, disks, file systems, adapters"),
                         **examples(_("  bulkhead convert scan\n"
                                      "  bulkhead convert scan --from ssh://root@db1 --json\n")))
    s.add_argument("--from", dest="from_", default="", metavar="ssh://USER@HOST[:PORT]",
                   help=_("the machine (default: the host's own machine)"))
    s.add_argument("--to", metavar="URI", help=_("the host that scans (default: --connect, else this host)"))
    s.add_argument("--json", action="store_true", help=_("print {source, scan} as JSON"))
    s.set_defaults(func=convert_scan)


def _target_options(p, name_help: str, map_help: str) -> None:
    """--to, --name, --path and --network-map of a conversion."""
    p.add_argument("--to", metavar="URI", help=_("the host to convert onto (default: --connect, else this host)"))
    p.add_argument("--name", default="", help=name_help)
    p.add_argument("--path", default="", metavar="DIR",
                   help=_("a folder on the host for the VM's disks (default: beside the host's VM store)"))
    p.add_argument("--network-map", action="append", default=[], metavar="A=B", help=map_help)


def _run_options(p, dry_help: str) -> None:
    """--dry-run, --no-wait and --json of a conversion."""
    p.add_argument("--dry-run", action="store_true", help=dry_help)
    p.add_argument("--no-wait", action="store_true", help=_("print the job id and return at once"))
    p.add_argument("--json", action="store_true", help=_("print the dry run's or the job's JSON"))


def network_map(values: list[str]) -> dict[str, str]:
    """{"VM Network": "lab"} from --network-map 'VM Network=lab' (repeated); the first "=" separates."""
    out: dict[str, str] = {}
    for value in values or ():
        source, sep, target = str(value).partition("=")
        if not sep or not source.strip() or not target.strip():
            raise UsageError(_("--network-map: {value} is not A=B (a source network = a switch on "
                               "the host)").format(value=short(value)))
        out[source.strip()] = target.strip()
    return out


def convert_vm(args) -> int:
    from core.api.convert import plan_lines, report_lines

    if args.to:
        args.connect = args.to
    mapping = network_map(args.network_map)
    source = host_path(args.source, args, "SOURCE")
    path = host_path(args.path, args, "--path") or ""
    job = _convert(args, lambda conn: conn.convert_vm(source, name=args.name, path=path, network_map=mapping,
                                                      dry_run=args.dry_run, notes=args.notes), plan_lines)
    if isinstance(job, int):
        return job
    r, disks, total = _result(job)
    print(ngettext("Convert VM: VM '{name}' created (Off) with {n} disk in {folder} ({total:.1f} s, each compared "
                   "with its source)", "Convert VM: VM '{name}' created (Off) with {n} disks in {folder} ({total:.1f} "
                   "s, each compared with its source)", len(disks)).format(
        name=r.get("name", job.target_name), n=len(disks), folder=r.get("folder", ""), total=total))
    for line in report_lines(r.get("report") or []):
        print(f"  {line}")
    return 0


def _convert(args, start, plan):
    """Starts a conversion (``start(conn)``): a dry run's answer is printed (``plan(answer)``, the lines before its
    report), a job is waited for unless --no-wait. The exit code where that is all there is to print, else the job
    that completed."""
    with connect(args) as conn:
        answer = start(conn)
        if args.dry_run:
            return _dry_run(args, answer, plan(answer))
        job = answer if args.no_wait else answer.wait()
    code = job_outcome(args, job, _("cancelled; nothing was kept"))
    return job if code is None else code


def _dry_run(args, answer: dict, lines: list[str]) -> int:
    """A dry run's answer: its JSON with --json, else ``lines`` and the report."""
    from core.api.convert import network_hints, report_lines

    if args.json:
        print(json.dumps(answer, indent=2))
        return 0
    for line in lines:
        print(line)
    report = report_lines(answer.get("report") or []) + network_hints(answer)
    if report:
        print(_("Report:"))
        for line in report:
            print(f"  {line}")
    return 0


def _result(job) -> tuple[dict, list, float]:
    """A completed conversion's result, its disks and the seconds they took together."""
    r = job.result if isinstance(job.result, dict) else {}
    disks = r.get("disks") or []
    return r, disks, sum(d.get("seconds") or 0 for d in disks)


def _disks(args) -> list[str]:
    """--disk values as the host takes them: on the host's own machine resolved like vm new --disk; on a machine
    reached over SSH they are that machine's, so absolute."""
    out = []
    for value in args.disk or ():
        if args.from_:
            if not str(value).startswith("/"):
                raise UsageError(_("--disk {value}: give an absolute path on {value2}").format(
                    value=short(value), value2=args.from_.split('?')[0]))
            out.append(value)
        else:
            out.append(host_path(value, args, "--disk"))
    return out


def convert_scan(args) -> int:
    from core.api.convert_physical import scan_lines

    if args.to:
        args.connect = args.to
    with connect(args) as conn:
        answer = conn.scan_physical(args.from_)
    if args.json:
        print(json.dumps(answer, indent=2))
        return 0
    for line in scan_lines(answer):
        print(line)
    return 0


def convert_physical(args) -> int:
    from core.api.convert import plan_lines, report_lines
    from core.api.convert_physical import scan_lines

    if args.to:
        args.connect = args.to
    mapping = network_map(args.network_map)
    disks = _disks(args)
    path = host_path(args.path, args, "--path") or ""
    job = _convert(args, lambda conn: conn.convert_physical(args.from_, disks=disks, name=args.name, path=path,
                                                            network_map=mapping, dry_run=args.dry_run,
                                                            freeze=args.freeze, notes=args.notes,
                                                            vhd_type=args.vhd_type),
                   lambda answer: [*scan_lines(answer), *plan_lines(answer)])
    if isinstance(job, int):
        return job
    r, captured, total = _result(job)
    print(ngettext("Convert physical server: VM '{name}' created (Off) with {n} disk in {folder} ({total:.1f} s)",
                   "Convert physical server: VM '{name}' created (Off) with {n} disks in {folder} ({total:.1f} s)",
                   len(captured)).format(name=r.get("name", job.target_name), n=len(captured),
                                         folder=r.get("folder", ""), total=total))
    for d in captured:
        print(f"  {d.get('source')} -> {d.get('target')} ({'compared' if d.get('compared') else 'not compared'})")
    for line in report_lines(r.get("report") or []):
        print(f"  {line}")
    return 0
