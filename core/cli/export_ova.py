"""`bulkhead vm export-ova VM FILE.ova`: an Off or Saved VM as an OVA package (an OVF 1.x descriptor, its disk as a
streamOptimized VMDK and a SHA256 manifest) that other platforms import and `bulkhead convert vm` converts back."""

from __future__ import annotations

from core.model.units import format_size

from .common import examples, host_path, job_options, run_job
from .i18n import _, ngettext

EXAMPLES = """\
  bulkhead vm export-ova web1 web1.ova
  bulkhead vm export-ova web1 /srv/export/web1.ova --json

The VM must be Off or Saved (shut it down or save it first); it cannot start
while it is exported. The file must not exist. Converting it back:
  bulkhead convert vm web1.ova --name web1-copy
"""


def register(vs) -> None:
    """``vm export-ova`` on the subparsers of the ``vm`` noun."""
    p = vs.add_parser("export-ova", help=_("export an Off or Saved VM as an OVA package"), **examples(EXAMPLES))
    p.add_argument("vm")
    p.add_argument("file", metavar="FILE.ova", help=_("the OVA file to write (on the VM's host)"))
    job_options(p)
    p.set_defaults(func=vm_export_ova, raw=("file",))


def vm_export_ova(args) -> int:
    path = host_path(args.file, args, "FILE.ova")
    code, job, r = run_job(args, lambda conn: conn.export_ova(args.vm, path), _("cancelled; nothing was written"))
    if code is not None:
        return code
    disks = r.get("disks") or []
    print(ngettext("Export VM as OVA: VM '{name}' written to {path} ({size}, {n} disk, with a SHA256 manifest)",
                   "Export VM as OVA: VM '{name}' written to {path} ({size}, {n} disks, with a SHA256 manifest)",
                   len(disks)).format(name=r.get("vm", job.target_name), path=r.get("path", path),
                                      size=format_size(int(r.get("bytes") or 0)), n=len(disks)))
    return 0
