"""`bulkhead vm move-storage VM --path DIR`: move a VM's virtual hard disk to another folder of its host while it
runs (Hyper-V's Move-VMStorage)."""

from __future__ import annotations

from core.model.errors import UsageError
from core.model.units import format_size, parse_size

from .common import connect, examples, host_path
from .i18n import _, job_title, size_problem, state_word
from .move import job_end


def register(vs) -> None:
    p = vs.add_parser("move-storage", help=_("move a VM's virtual hard disk to another folder while it runs"),
                      **examples(_("  bulkhead vm move-storage web1 --path /srv/vhds\n"
                                 "  bulkhead vm move-storage web1 --path /srv/vhds --bandwidth 100M --json\n"
                                 "\nThe old file is kept (the command says where) unless it was in the VM's own\n"
                                 "folder or --delete-source is given.\n")))
    p.add_argument("vm")
    p.add_argument("--path", required=True, metavar="DIR", help=_("the folder on the VM's host to move the disk to"))
    p.add_argument("--delete-source", action="store_true", help=_("delete the old disk file once the VM uses the copy"))
    p.add_argument("--bandwidth", metavar="SIZE", default="0", help=_("copy at most this much per second (100M)"))
    p.add_argument("--no-wait", action="store_true", help=_("print the job id and return at once"))
    p.add_argument("--json", action="store_true", help=_("print the job as JSON"))
    p.set_defaults(func=vm_move_storage)


def vm_move_storage(args) -> int:
    try:
        bandwidth = parse_size(args.bandwidth) if args.bandwidth not in ("", "0") else 0
    except ValueError as e:
        raise UsageError(_("--bandwidth: {e}").format(e=size_problem(e))) from None
    folder = host_path(args.path, args, "--path")
    with connect(args) as conn:
        job = conn.move_storage(args.vm, folder, delete_source=args.delete_source, bandwidth=bandwidth)
        if not args.no_wait:
            job = job.wait()
    code = job_end(args, job, json_ok=job.state != "Failed")
    if code is not None:
        return code
    if args.no_wait or job.state != "Completed":
        print(_("job {id}: {name} {target_name} ({state})").format(
            id=job.id, name=job_title(job.name), target_name=job.target_name, state=state_word(job.state)))
        return 0
    r = job.result if isinstance(job.result, dict) else {}
    pause = f", the guest waited {r['pause_s'] * 1000:.0f} ms" if r.get("live") else ""
    print(_("Move VM storage: VM '{name}' uses {disk} ({rounds} rounds, {sent} copied in {seconds:.1f} s{pause}); "
            "{message}").format(name=r.get("name", job.target_name), disk=r.get("disk"), rounds=r.get("rounds"),
                                sent=format_size(r.get("sent_bytes") or 0), seconds=r.get("total_s", 0), pause=pause,
                                message=r.get("message", "")))
    return 0
