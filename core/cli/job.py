"""`bulkhead job ...`: every state-changing operation is a job, with progress and history."""

from __future__ import annotations

import json
import time

from core.model.params import Param

from .common import connect, declared, examples, number, print_list, whole
from .i18n import _, host_text, job_title, state_word

_WAIT = Param("timeout", "float", None, min=0.0)  # the command waits in slices, so for as long as asked


def register(sub) -> None:
    job = sub.add_parser("job", help=_("jobs: every state-changing operation, with progress and history"))
    js = job.add_subparsers(dest="verb", metavar="VERB")
    p = js.add_parser("list", help=_("recent jobs, newest first"), **examples(_("  bulkhead job list --active\n")))
    p.add_argument("--vm", help=_("only jobs of this VM"))
    p.add_argument("--active", action="store_true", help=_("only queued and running jobs"))
    p.add_argument("--limit", type=whole(_("a number of jobs"), declared("job.list", "limit")), default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=job_list)
    job_id = whole(_("a job id"), declared("job.show", "job"))
    for verb, helptext in (("show", _("one job in detail")), ("wait", _("wait for a job to finish")),
                           ("cancel", _("cancel a running job that allows it"))):
        p = js.add_parser(verb, help=helptext, **examples(_("  bulkhead job {verb} 12\n").format(verb=verb)))
        p.add_argument("job", type=job_id)
        if verb == "wait":
            p.add_argument("--timeout", type=number(_("seconds"), _WAIT), default=None,
                           help=_("seconds to wait at most"))
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=job_verb, operation=verb)


def _job_row(j) -> list[str]:
    when = time.strftime("%H:%M:%S", time.localtime(j.created))
    took = f"{j.ended - j.started:.2f}s" if j.ended and j.started else "-"
    return [str(j.id), job_title(j.name), j.target_name or j.target[:8], state_word(j.state),
            f"{j.progress}%", when, took, host_text(j.error) or j.message or ""]


def job_list(args) -> int:
    with connect(args) as conn:
        jobs = conn.jobs(limit=args.limit, vm=args.vm, active=args.active)
    return print_list(args, jobs, _("No jobs."),
                      [_("ID"), _("NAME"), _("TARGET"), _("STATE"), _("PROGRESS"), _("CREATED"), _("TOOK"),
                       _("MESSAGE")], _job_row,
                      as_json=lambda j: j.to_dict())


def job_verb(args) -> int:
    with connect(args) as conn:
        if args.operation == "show":
            job = conn.job(args.job)
        elif args.operation == "wait":
            job = conn.wait_job(args.job, args.timeout)
        else:
            job = conn.cancel_job(args.job)
    if args.json:
        print(json.dumps(job.to_dict(), indent=2))
    else:
        rows = [(_("Job"), job.id), (_("Name"), job_title(job.name)), (_("Target"), job.target_name or job.target),
                (_("State"), state_word(job.state)), (_("Progress"), f"{job.progress}%"),
                (_("Message"), job.message or "-"), (_("Error"), host_text(job.error) or "-")]
        width = max(len(k) for k, _v in rows)
        for key, value in rows:
            print(f"{key:<{max(width, 9)}} {value}")
    return 1 if args.operation == "wait" and job.state == "Failed" else 0
