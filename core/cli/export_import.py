"""`bulkhead vm export VM FOLDER` and `bulkhead vm import FOLDER [--copy [DIR]] [--new-id] [--register] [--name N]`:
a VM with its disks, checkpoints and saved state into a folder, and such a folder (from this or another Bulkhead host)
back as a VM (Hyper-V's Export-VM / Import-VM)."""

from __future__ import annotations

from core.model.errors import UsageError
from core.model.units import format_size

from .common import examples, host_path, job_options, run_job
from .i18n import _, ngettext, state_word

EXPORT_EXAMPLES = """\
  bulkhead vm export web1 /srv/export

Writes /srv/export/web1/ (vm.json, the disks, the checkpoints, the saved state
and export.json with every file's size and SHA256). A running VM is exported as
it is at that moment, through a checkpoint deleted again afterwards.
Importing it (here or on another Bulkhead host):
  bulkhead vm import /srv/export/web1 --new-id --name web1-copy
"""
IMPORT_EXAMPLES = """\
  bulkhead vm import /srv/export/web1
  bulkhead vm import /srv/export/web1 --new-id --name web1-copy
  bulkhead vm import /srv/export/web1 --copy /srv/vms --new-id

--copy (the default) keeps the VM's id (refused if it exists here), --copy DIR
copies into DIR where the host takes a folder; --new-id gives it a new id, so
one export imports twice; --register uses the folder in place where the host
can. Every file is checked against export.json first.
"""


def register(vs) -> None:
    """``vm export`` and ``vm import`` on the subparsers of the ``vm`` noun."""
    p = vs.add_parser("export", help=_("export a VM with its disks and checkpoints into a folder"),
                      **examples(EXPORT_EXAMPLES))
    p.add_argument("vm")
    p.add_argument("folder", metavar="FOLDER", help=_("the folder to export into (on the VM's host)"))
    job_options(p)
    p.set_defaults(func=vm_export, raw=("folder",))
    p = vs.add_parser("import", help=_("import an exported VM folder"), **examples(IMPORT_EXAMPLES))
    p.add_argument("folder", nargs="?", metavar="FOLDER", help=_("the exported VM's folder (on the host)"))
    p.add_argument("--copy", nargs="?", const="", default=None, metavar="DIR",
                   help=_("copy it (the default), into DIR where given; same id unless --new-id"))
    p.add_argument("--new-id", action="store_true", help=_("copy it with a new id"))
    p.add_argument("--register", action="store_true", help=_("register the folder in place"))
    p.add_argument("--name", default="", help=_("a new name for the imported VM"))
    job_options(p)
    p.set_defaults(func=vm_import, raw=("folder", "copy"))


def vm_export(args) -> int:
    path = host_path(args.folder, args, "FOLDER")
    code, job, r = run_job(args, lambda conn: conn.export_vm(args.vm, path), _("cancelled; nothing was written"))
    if code is not None:
        return code
    n = int(r.get("checkpoints") or 0)
    print(ngettext("Export VM: VM '{name}' written to {path} ({size} in {files} files, {n} checkpoint, with SHA256 "
                   "sums in export.json)", "Export VM: VM '{name}' written to {path} ({size} in {files} files, {n} "
                   "checkpoints, with SHA256 sums in export.json)", n).format(
        name=r.get("vm", job.target_name), path=r.get("path", path), size=format_size(int(r.get("bytes") or 0)),
        files=r.get("files", 0), n=n))
    return 0


def import_mode(args) -> tuple[str, str, str | None]:
    """(FOLDER, mode, DIR or None) of `vm import`: ``--copy`` alone or not at all copies into the host's own folder,
    ``--copy DIR`` into DIR; ``--new-id`` copies with a new id; ``--register`` alone uses the folder in place. The
    older ``vm import --copy FOLDER`` (the flag first) still names the folder to import."""
    folder, into = args.folder, args.copy or None
    if folder is None and into is not None:  # `vm import --copy FOLDER`
        folder, into = into, None
    if not folder:
        raise UsageError(_("give the exported VM's folder: bulkhead vm import FOLDER [--copy [DIR]] [--new-id]"))
    if args.register and (args.copy is not None or args.new_id):
        raise UsageError(_("--register uses the folder in place: it cannot be given with --copy or --new-id"))
    mode = "register" if args.register else "new_id" if args.new_id else "copy"
    return folder, mode, into


def vm_import(args) -> int:
    folder, mode, into = import_mode(args)
    path = host_path(folder, args, "FOLDER")
    into = host_path(into, args, "--copy") if into is not None else None

    def start(conn):
        if into is None:
            return conn.import_vm(path, mode=mode, name=args.name)
        import inspect  # here: 14 ms of imports, which every other command would pay at start

        if "destination" not in inspect.signature(conn.import_vm).parameters:
            raise UsageError(_("--copy {into}: this host copies an imported VM into its own folder "
                               "(under --home) and takes no other; leave out DIR").format(into=into))
        return conn.import_vm(path, mode=mode, name=args.name, destination=into)

    code, _job, r = run_job(args, start, _("cancelled; nothing was imported"))
    if code is not None:
        return code
    n = int(r.get("checkpoints") or 0)
    print(ngettext("Import VM: VM '{name}' ({id}) imported from {path}: {state}, {n} checkpoint",
                   "Import VM: VM '{name}' ({id}) imported from {path}: {state}, {n} checkpoints", n).format(
        name=r.get("name", ""), id=r.get("id", ""), path=r.get("path", path), state=state_word(r.get("state", "")),
        n=n))
    if r.get("network_dropped"):
        print(_("Not connected: this host has no virtual switch '{network_dropped}' (bulkhead "
                "switch new {network_dropped}, then bulkhead vm set {name} --switch ...)").format(
                    network_dropped=r['network_dropped'], name=r.get('name', '')))
    return 0
