"""`bulkhead vm checkpoint|checkpoints|apply|revert|checkpoint-rename|checkpoint-remove`: a VM's checkpoints
(Hyper-V's Checkpoint-VM, Get-VMSnapshot, Restore-VMSnapshot, Rename-VMSnapshot, Remove-VMSnapshot)."""

from __future__ import annotations

import json
import time

from .common import connect, examples, job_end, job_options, table
from .i18n import _, job_title, state_word


def register(vs) -> None:
    p = vs.add_parser("checkpoint", help=_("take a checkpoint of a VM (a running VM's memory too)"),
                      **examples(_("  bulkhead vm checkpoint web1\n"
                                 "  bulkhead vm checkpoint web1 --name 'before update'\n")))
    p.add_argument("vm")
    p.add_argument("--name", default="", help=_("the checkpoint's name (default: the VM's name and the time)"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint)

    p = vs.add_parser("checkpoints", help=_("a VM's checkpoints as a tree, with where the VM is now"),
                      **examples(_("  bulkhead vm checkpoints web1\n  bulkhead vm checkpoints web1 --json\n")))
    p.add_argument("vm")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_checkpoints)

    p = vs.add_parser("apply", help=_("put a VM back to a checkpoint (its current state is lost)"),
                      **examples(_("  bulkhead vm apply web1 'before update'\n  bulkhead vm apply web1 3f2a...\n"
                                 "\nTake a checkpoint first if the current state matters: it is not kept.\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", help=_("its id or its name"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="apply")

    p = vs.add_parser("revert", help=_("put a VM back to the checkpoint it was last at (its current state is lost)"),
                      **examples(_("  bulkhead vm revert web1\n")))
    p.add_argument("vm")
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="revert")

    p = vs.add_parser("checkpoint-rename", help=_("rename a checkpoint"),
                      **examples(_("  bulkhead vm checkpoint-rename web1 'before update' 'release 2.1'\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", help=_("its id or its name"))
    p.add_argument("name", help=_("the new name"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="rename")

    p = vs.add_parser("checkpoint-remove", help=_("delete a checkpoint (its disk data is merged, nothing else lost)"),
                      **examples(_("  bulkhead vm checkpoint-remove web1 'before update'\n"
                                 "  bulkhead vm checkpoint-remove web1 'before update' --subtree\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", help=_("its id or its name"))
    p.add_argument("--subtree", action="store_true", help=_("also every checkpoint below it"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="remove")


def vm_checkpoints(args) -> int:
    """`vm checkpoints`: the tree (or JSON)."""
    args.tree = True
    return checkpoint_list(args)


def checkpoint_list(args) -> int:
    """`checkpoint list`: the tree with --tree, JSON with --json, else a flat table (oldest first, * where Now
    hangs)."""
    from core.api.checkpoints import tree_lines

    with connect(args) as conn:
        tree = conn.checkpoints(args.vm)
    if args.json:
        print(json.dumps(tree, indent=2))
    elif not tree.get("checkpoints"):
        print(_("VM '{vm}' has no checkpoints").format(vm=args.vm))
    elif getattr(args, "tree", False):
        print("\n".join(tree_lines(tree)))
    else:
        items = sorted(tree["checkpoints"], key=lambda c: (c.get("created") or 0, c.get("name", "")))
        names = {c["id"]: c.get("name", "") for c in items}
        table([_("NOW"), _("NAME"), _("CREATED"), _("KIND"), _("PARENT"), _("ID")],
              [["*" if c["id"] == tree.get("now") else "", c.get("name", ""),
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(c.get("created") or 0)),
                "with memory" if c.get("memory") else "configuration and disk",
                names.get(c.get("parent"), "-"), c["id"][:8]] for c in items])
        if tree.get("now") is None:
            print(_("Now: not under any checkpoint"))
    return 0


def vm_checkpoint(args) -> int:
    with connect(args) as conn:
        return _end(args, conn.checkpoint(args.vm, args.name))


def vm_checkpoint_job(args) -> int:
    with connect(args) as conn:
        if args.method == "apply":
            job = conn.apply_checkpoint(args.vm, args.checkpoint)
        elif args.method == "revert":
            job = conn.revert_checkpoint(args.vm)
        elif args.method == "rename":
            job = conn.rename_checkpoint(args.vm, args.checkpoint, args.name)
        else:
            job = conn.remove_checkpoint(args.vm, args.checkpoint, subtree=args.subtree)
        return _end(args, job)


def _end(args, job) -> int:
    if not args.no_wait:
        job = job.wait()
    # --no-wait --json: a job that is queued or running is what was asked for
    code = job_end(args, job, json_ok=job.state == "Completed" or (args.no_wait and job.state in ("Queued", "Running")))
    if code is not None:
        return code
    if args.no_wait or job.state != "Completed":
        print(_("job {id}: {name} {target_name} ({state})").format(
            id=job.id, name=job_title(job.name), target_name=job.target_name, state=state_word(job.state)))
        return 0 if args.no_wait else 1
    r = job.result if isinstance(job.result, dict) else {}
    ck = r.get("checkpoint") or {}
    vm = f"VM '{r.get('name', job.target_name)}'"
    if job.name == "Create checkpoint":
        pause = _("; the guest waited {ms:.0f} ms").format(ms=r["pause_s"] * 1000) if r.get("pause_s") is not None \
            else ""
        what = _("with memory") if r.get("memory") else _("configuration and disk")
        print(_("{name}: '{checkpoint}' of {vm} ({what}, {id}){pause}").format(
            name=job_title(job.name), checkpoint=ck.get("name", ""), vm=vm, what=what, id=ck.get("id", "")[:8],
            pause=pause))
    elif job.name in ("Apply checkpoint", "Revert VM"):
        print(_("{name}: {vm} is at '{checkpoint}' and {state}").format(
            name=job_title(job.name), vm=vm, checkpoint=ck.get("name", ""), state=state_word(r.get("state", ""))))
    elif job.name == "Rename checkpoint":
        print(_("{name}: {vm}'s checkpoint is named '{checkpoint}'").format(name=job_title(job.name), vm=vm,
                                                                            checkpoint=ck.get("name", "")))
    else:
        n = len(r.get("removed") or ())
        print(f"{job.name}: {n} checkpoint{'s' if n != 1 else ''} of {vm} deleted"
              + (f", {len(r['merged'])} disk{'s' if len(r['merged']) != 1 else ''} merged" if r.get("merged") else ""))
    return 0
