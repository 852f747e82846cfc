"""`bulkhead vm export VM FOLDER` and `bulkhead vm import FOLDER [--copy|--register|--new-id] [--name N]`: a VM
with its disks, checkpoints and saved state into a folder, and such a folder (from this or another Bulkhead host)
back as a VM (Hyper-V's Export-VM / Import-VM)."""

from __future__ import annotations

from core.model.units import format_size

from .common import examples, host_path, job_options, run_job

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

--copy (the default) keeps the VM's id (refused if it exists here); --new-id
gives it a new one, so one export imports twice; --register uses the folder in
place where the host can. Every file is checked against export.json first.
"""


def register(vs) -> None:
    """``vm export`` and ``vm import`` on the subparsers of the ``vm`` noun."""
    p = vs.add_parser("export", help="export a VM with its disks and checkpoints into a folder",
                      **examples(EXPORT_EXAMPLES))
    p.add_argument("vm")
    p.add_argument("folder", metavar="FOLDER", help="the folder to export into (on the VM's host)")
    job_options(p)
    p.set_defaults(func=vm_export, raw=("folder",))
    p = vs.add_parser("import", help="import an exported VM folder", **examples(IMPORT_EXAMPLES))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--copy", dest="mode", action="store_const", const="copy", help="copy it, same id (default)")
    mode.add_argument("--register", dest="mode", action="store_const", const="register",
                      help="register the folder in place")
    mode.add_argument("--new-id", dest="mode", action="store_const", const="new_id", help="copy it with a new id")
    p.add_argument("folder", metavar="FOLDER", help="the exported VM's folder (on the host)")
    p.add_argument("--name", default="", help="a new name for the imported VM")
    job_options(p)
    p.set_defaults(func=vm_import, raw=("folder",), mode="copy")


def vm_export(args) -> int:
    path = host_path(args.folder, args, "FOLDER")
    code, job, r = run_job(args, lambda conn: conn.export_vm(args.vm, path), "cancelled; nothing was written")
    if code is not None:
        return code
    n = int(r.get("checkpoints") or 0)
    print(f"Export VM: VM '{r.get('vm', job.target_name)}' written to {r.get('path', path)} "
          f"({format_size(int(r.get('bytes') or 0))} in {r.get('files', 0)} files, {n} checkpoint"
          f"{'s' if n != 1 else ''}, with SHA256 sums in export.json)")
    return 0


def vm_import(args) -> int:
    path = host_path(args.folder, args, "FOLDER")
    code, _job, r = run_job(args, lambda conn: conn.import_vm(path, mode=args.mode, name=args.name),
                            "cancelled; nothing was imported")
    if code is not None:
        return code
    n = int(r.get("checkpoints") or 0)
    print(f"Import VM: VM '{r.get('name', '')}' ({r.get('id', '')}) imported from {r.get('path', path)}: "
          f"{r.get('state', '')}, {n} checkpoint{'s' if n != 1 else ''}")
    if r.get("network_dropped"):
        print(f"Not connected: this host has no virtual switch '{r['network_dropped']}' (bulkhead switch new "
              f"{r['network_dropped']}, then bulkhead vm set {r.get('name', '')} --switch ...)")
    return 0
