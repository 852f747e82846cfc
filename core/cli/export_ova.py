"""`bulkhead vm export-ova VM FILE.ova`: an Off or Saved VM as an OVA package (an OVF 1.x descriptor, its disk as a
streamOptimized VMDK and a SHA256 manifest) that other platforms import and `bulkhead convert vm` converts back."""

from __future__ import annotations

from core.model.units import format_size

from .common import examples, host_path, job_options, run_job

EXAMPLES = """\
  bulkhead vm export-ova web1 web1.ova
  bulkhead vm export-ova web1 /srv/export/web1.ova --json

The VM must be Off or Saved (shut it down or save it first); it cannot start
while it is exported. The file must not exist. Converting it back:
  bulkhead convert vm web1.ova --name web1-copy
"""


def register(vs) -> None:
    """``vm export-ova`` on the subparsers of the ``vm`` noun."""
    p = vs.add_parser("export-ova", help="export an Off or Saved VM as an OVA package", **examples(EXAMPLES))
    p.add_argument("vm")
    p.add_argument("file", metavar="FILE.ova", help="the OVA file to write (on the VM's host)")
    job_options(p)
    p.set_defaults(func=vm_export_ova, raw=("file",))


def vm_export_ova(args) -> int:
    path = host_path(args.file, args, "FILE.ova")
    code, job, r = run_job(args, lambda conn: conn.export_ova(args.vm, path), "cancelled; nothing was written")
    if code is not None:
        return code
    disks = r.get("disks") or []
    print(f"Export VM as OVA: VM '{r.get('vm', job.target_name)}' written to {r.get('path', path)} "
          f"({format_size(int(r.get('bytes') or 0))}, {len(disks)} disk{'s' if len(disks) != 1 else ''}, "
          f"with a SHA256 manifest)")
    return 0
