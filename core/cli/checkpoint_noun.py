"""`bulkhead checkpoint new|list|apply|revert|rename|remove`: a VM's checkpoints as a noun of their own (Hyper-V's
Checkpoint-VM, Get-VMSnapshot, Restore-VMSnapshot, Rename-VMSnapshot, Remove-VMSnapshot). The same commands as
`bulkhead vm checkpoint|checkpoints|apply|revert|checkpoint-rename|checkpoint-remove` (core/cli/checkpoint.py): the
same functions, job options and outputs."""

from __future__ import annotations

from .checkpoint import checkpoint_list, vm_checkpoint, vm_checkpoint_job
from .common import examples, job_options
from .i18n import _

LIST_EXAMPLES = """\
  bulkhead checkpoint list web1             a table: name, created, kind, parent, id; * marks where Now hangs
  bulkhead checkpoint list web1 --tree      the tree, children indented under their parent, and Now
  bulkhead checkpoint list web1 --json      the tree as JSON ({"checkpoints": [...], "now": id or null})
"""


def register(sub) -> None:
    ck = sub.add_parser("checkpoint", help=_("a VM's checkpoints: new, list, apply, revert, rename, remove"))
    cs = ck.add_subparsers(dest="verb", metavar="VERB")
    p = cs.add_parser("new", help=_("take a checkpoint of a VM (a running VM's memory too)"),
                      **examples(_("  bulkhead checkpoint new web1\n  bulkhead checkpoint new web1 'before update'\n")))
    p.add_argument("vm")
    p.add_argument("name", nargs="?", default="", metavar="NAME",
                   help=_("the checkpoint's name (default: the VM's name and the time)"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint)

    p = cs.add_parser("list", help=_("a VM's checkpoints (a table, or the tree with --tree) and where the VM is now"),
                      **examples(LIST_EXAMPLES))
    p.add_argument("vm")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--tree", action="store_true", help=_("the tree with indentation and the Now marker"))
    shape.add_argument("--json", action="store_true", help=_("the tree as JSON"))
    p.set_defaults(func=checkpoint_list)

    p = cs.add_parser("apply", help=_("put a VM back to a checkpoint (its current state is lost)"),
                      **examples(_("  bulkhead checkpoint apply web1 'before update'\n"
                                 "  bulkhead checkpoint apply web1 3f2a...\n"
                                 "\nTake a checkpoint first if the current state matters: it is not kept.\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", metavar="NAME", help=_("its name or its id"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="apply")

    p = cs.add_parser("revert", help=_("put a VM back to the checkpoint it was last at (its current state is lost)"),
                      **examples(_("  bulkhead checkpoint revert web1\n")))
    p.add_argument("vm")
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="revert")

    p = cs.add_parser("rename", help=_("rename a checkpoint"),
                      **examples(_("  bulkhead checkpoint rename web1 'before update' 'release 2.1'\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", metavar="OLD", help=_("its name or its id"))
    p.add_argument("name", metavar="NEW", help=_("the new name"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="rename")

    p = cs.add_parser("remove", help=_("delete a checkpoint (its disk data is merged, nothing else lost)"),
                      **examples(_("  bulkhead checkpoint remove web1 'before update'\n"
                                 "  bulkhead checkpoint remove web1 'before update' --subtree\n"
                                 "\nA running VM keeps running: the disk data is merged while it runs.\n")))
    p.add_argument("vm")
    p.add_argument("checkpoint", metavar="NAME", help=_("its name or its id"))
    p.add_argument("--subtree", action="store_true", help=_("also every checkpoint below it"))
    job_options(p)
    p.set_defaults(func=vm_checkpoint_job, method="remove")
