"""`bulkhead disk new|info|check`: virtual hard disks (VHD fixed and dynamic, raw).

Without --connect they are files of this machine, made and read here without a host service; with --connect URI
`disk new` is that host's disk.new (a job), its path resolved here only when the host is this machine."""

from __future__ import annotations

import json
import os

from core.model.errors import OperationFailed, UsageError
from core.model.units import format_size, parse_size

from .common import examples, host_path, text
from .i18n import _, size_problem


def register(sub) -> None:
    disk = sub.add_parser("disk", help=_("virtual hard disks: create, inspect, check (VHD and raw)"))
    ds = disk.add_subparsers(dest="verb", metavar="VERB")

    p = ds.add_parser("new", help=_("create a virtual hard disk (never overwrites a file)"),
                      **examples(_("  bulkhead disk new web1.vhd --size 10G\n"
                                  "  bulkhead disk new db.vhd --size 64G --type fixed\n"
                                  "  bulkhead disk new scratch.img --size 512M --type raw\n"
                                  "\nVHD sizes are rounded up to what the disk geometry describes exactly, so\n"
                                  "Hyper-V, Virtual PC and qemu all see the same size. A relative PATH is made\n"
                                  "absolute against this folder (~ is your home), except on a libvirt host that\n"
                                  "is another machine (--connect URI): there PATH is that host's.\n")))
    p.add_argument("path", help=_("the new image file (.vhd for VHD)"))
    p.add_argument("--size", required=True, help=_("virtual size: 512M, 10G, 2T ... (VHD: at most 2040G)"))
    p.add_argument("--type", choices=("dynamic", "fixed", "raw"), default="dynamic",
                   help=_("dynamic VHD grows as it is written (default); fixed VHD is the whole size from the start; "
                          "raw is sector for sector"))
    p.add_argument("--json", action="store_true", help=_("print the new disk's details as JSON"))
    p.set_defaults(func=disk_new, raw=("path",))  # a file here may have any name; a host's path must be text

    p = ds.add_parser("info", help=_("format, sizes, allocation, identity of a disk image"),
                      **examples(_("  bulkhead disk info web1.vhd\n  bulkhead disk info web1.vhd --json\n")))
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=disk_info, raw=("path",))

    p = ds.add_parser("check", help=_("look for damage (reads only); exit 0 clean, 1 problems found"),
                      **examples(_("  bulkhead disk check web1.vhd\n  bulkhead disk check web1.vhd --json\n")))
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=disk_check, raw=("path",))


def _existing(path: str) -> str:
    if not os.path.lexists(path):
        raise UsageError(_("{path}: no such file").format(path=path))
    if os.path.isdir(path):
        raise UsageError(_("{path}: is a folder, not a disk image").format(path=path))
    return path


def disk_new(args) -> int:
    try:
        requested = parse_size(args.size, default_unit="M")
    except ValueError as e:
        raise UsageError(_("--size: {e}").format(e=size_problem(e))) from None
    if getattr(args, "connect", None):
        return _host_disk_new(args, requested)
    path = host_path(args.path, args, "disk new")
    if os.path.lexists(path):
        raise UsageError(_("{path}: already exists; choose another name or remove it first").format(path=path))
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise UsageError(_("{path}: the folder {folder} does not exist").format(path=path, folder=folder))
    from core.engine.storage import DiskError, create_disk, disk_size_for

    try:
        size = disk_size_for(requested, args.type)
    except DiskError as e:
        raise UsageError(str(e)) from None
    try:
        disk = create_disk(path, size, args.type)
    except DiskError as e:
        raise OperationFailed(str(e)) from None
    with disk:
        info = disk.info()
    return _created(args, path, info, requested)


def _host_disk_new(args, requested: int) -> int:
    """disk.new on the host --connect names, as a job; the path is that host's (resolved here if it is this one)."""
    from .common import connect

    text(args.path)
    path = host_path(args.path, args, "disk new")
    with connect(args) as conn:
        job = conn.new_disk(path, requested, args.type).wait(check=True)
    info = job.result if isinstance(job.result, dict) else {}
    return _created(args, info.get("path", path), info, requested)


def _created(args, path: str, info: dict, requested: int) -> int:
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    size = info.get("virtual_size", requested)
    kind = {"vhd-dynamic": "dynamic VHD", "vhd-fixed": "fixed VHD", "raw": "raw image"}.get(info.get("format"),
                                                                                          "disk")
    rounded = f" (rounded up from {requested} to fit the VHD geometry)" if size != requested else ""
    print(_("Created {path}: {kind}, {size} ({size2} bytes){rounded}").format(
        path=path, kind=kind, size=format_size(size), size2=size, rounded=rounded))
    return 0


def _rows(info: dict) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Path", info["path"]),
        ("Format", info["format"]),
        ("Virtual size", f"{format_size(info['virtual_size'])} ({info['virtual_size']} bytes)"),
        ("File size", f"{format_size(info['file_size'])} ({info['file_size']} bytes)"),
        ("Space used", format_size(info["disk_usage"])),
    ]
    if info["block_size"]:
        rows += [("Block size", format_size(info["block_size"])),
                 ("Blocks", f"{info['blocks_allocated']} of {info['blocks_total']} allocated "
                            f"({format_size(info['allocated_bytes'])})")]
    if info["geometry"]:
        g = info["geometry"]
        rows.append(("Geometry (C/H/S)", f"{g['cylinders']}/{g['heads']}/{g['sectors_per_track']}"))
    for key, label in (("uuid", "Identifier"), ("creator", "Creator"), ("created", "Created"),
                       ("modified", "Modified")):
        if info.get(key):
            rows.append((label, info[key]))
    rows.append(("Problems", "; ".join(info["problems"]) or "none"))
    return rows


def disk_info(args) -> int:
    from core.engine.storage import DiskError, open_disk

    path = _existing(args.path)
    try:
        with open_disk(path, read_only=True) as disk:
            info = disk.info()
    except DiskError as e:
        raise OperationFailed(str(e)) from None
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    rows = _rows(info)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def disk_check(args) -> int:
    from core.engine.storage import check_disk

    path = _existing(args.path)
    problems = check_disk(path)
    if args.json:
        print(json.dumps({"path": path, "clean": not problems, "problems": problems}, indent=2))
    elif problems:
        for problem in problems:
            print(problem)
    else:
        print(_("{path}: no problems found").format(path=path))
    return 1 if problems else 0
