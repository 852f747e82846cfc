"""`bulkhead disk new|info|check`: virtual hard disks (VHD fixed and dynamic, raw) without a host service."""

from __future__ import annotations

import argparse
import json
import os

from core.model.errors import OperationFailed, UsageError
from core.model.units import format_size, parse_size


def _examples(text: str) -> dict:
    return {"epilog": "examples:\n" + text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def register(sub) -> None:
    disk = sub.add_parser("disk", help="virtual hard disks: create, inspect, check (VHD and raw)")
    ds = disk.add_subparsers(dest="verb", metavar="VERB")

    p = ds.add_parser("new", help="create a virtual hard disk (never overwrites a file)",
                      **_examples("  bulkhead disk new web1.vhd --size 10G\n"
                                  "  bulkhead disk new db.vhd --size 64G --type fixed\n"
                                  "  bulkhead disk new scratch.img --size 512M --type raw\n"
                                  "\nVHD sizes are rounded up to what the disk geometry describes exactly, so\n"
                                  "Hyper-V, Virtual PC and qemu all see the same size.\n"))
    p.add_argument("path", help="the new image file (.vhd for VHD)")
    p.add_argument("--size", required=True, help="virtual size: 512M, 10G, 2T ... (VHD: at most 2040G)")
    p.add_argument("--type", choices=("dynamic", "fixed", "raw"), default="dynamic",
                   help="dynamic VHD grows as it is written (default); fixed VHD is the whole size from the start; raw "
                        "is sector for sector")
    p.add_argument("--json", action="store_true", help="print the new disk's details as JSON")
    p.set_defaults(func=disk_new)

    p = ds.add_parser("info", help="format, sizes, allocation, identity of a disk image",
                      **_examples("  bulkhead disk info web1.vhd\n  bulkhead disk info web1.vhd --json\n"))
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=disk_info)

    p = ds.add_parser("check", help="look for damage (reads only); exit 0 clean, 1 problems found",
                      **_examples("  bulkhead disk check web1.vhd\n  bulkhead disk check web1.vhd --json\n"))
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=disk_check)


def _existing(path: str) -> str:
    if not os.path.lexists(path):
        raise UsageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a folder, not a disk image")
    return path


def disk_new(args) -> int:
    from core.engine.storage import DiskError, create_disk, disk_size_for

    try:
        requested = parse_size(args.size, default_unit="M")
    except ValueError as e:
        raise UsageError(str(e)) from None
    if os.path.lexists(args.path):
        raise UsageError(f"{args.path}: already exists; choose another name or remove it first")
    folder = os.path.dirname(os.path.abspath(args.path))
    if not os.path.isdir(folder):
        raise UsageError(f"{args.path}: the folder {folder} does not exist")
    try:
        size = disk_size_for(requested, args.type)
    except DiskError as e:
        raise UsageError(str(e)) from None
    try:
        disk = create_disk(args.path, size, args.type)
    except DiskError as e:
        raise OperationFailed(str(e)) from None
    with disk:
        info = disk.info()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    kind = {"vhd-dynamic": "dynamic VHD", "vhd-fixed": "fixed VHD", "raw": "raw image"}[info["format"]]
    rounded = f" (rounded up from {requested} to fit the VHD geometry)" if size != requested else ""
    print(f"Created {args.path}: {kind}, {format_size(size)} ({size} bytes){rounded}")
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
        print(f"{path}: no problems found")
    return 1 if problems else 0
