"""`bulkhead host add|remove|list`: the saved libvirt connections.

The command line's parser calls ``register_host_verbs(host_subparsers)`` with the subparsers of its ``host`` noun.
Each function takes the parsed arguments (``args.home`` chooses the data folder, as elsewhere).
"""

from __future__ import annotations

import json
import sys
import time


def _store(args):
    from core.hosts.paths import HostPaths

    from .connections import ConnectionStore

    return ConnectionStore(HostPaths.resolve(getattr(args, "home", None)).data)


def register_host_verbs(hs) -> None:
    import argparse

    def examples(text: str) -> dict:
        return {"epilog": "examples:\n" + text, "formatter_class": argparse.RawDescriptionHelpFormatter}

    p = hs.add_parser("add", help="save a libvirt connection (an existing QEMU/KVM host)",
                      **examples("  bulkhead host add qemu:///system\n"
                                 "  bulkhead host add qemu+ssh://admin@rack1/system --name rack1 --group Lab\n"
                                 "  bulkhead host add test:///default --name demo\n"))
    p.add_argument("uri", help="qemu:///system, qemu:///session, qemu+ssh://user@host/system, "
                               "qemu+tls://host/system, test:///default")
    p.add_argument("--name", default="", help="display name (default: from the URI)")
    p.add_argument("--group", default="", help="host group in the navigation tree")
    p.add_argument("--check", action="store_true", help="connect once and report the status")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_add)
    p = hs.add_parser("remove", help="forget a saved libvirt connection (nothing on the host changes)",
                      **examples("  bulkhead host remove rack1\n  bulkhead host remove qemu:///system\n"))
    p.add_argument("connection", help="its URI or name")
    p.set_defaults(func=host_remove)
    p = hs.add_parser("list", help="the saved libvirt connections (--status connects to each)",
                      **examples("  bulkhead host list\n  bulkhead host list --status --json\n"))
    p.add_argument("--status", action="store_true", help="connect to each (in parallel, with a timeout)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each host (default: 10)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_list)


def probe(uri: str, data_dir=None, timeout: float = 10.0) -> dict:
    """Connect once, wait up to ``timeout`` for an answer, and return the status (with a few host facts)."""
    from core.model.errors import BulkheadError

    from .transport import LibvirtTransport

    try:
        t = LibvirtTransport(uri, None, connect_timeout=timeout, wait=0.0, tick=3600)
    except BulkheadError as e:
        return {"state": "disconnected", "reason": str(e), "uri": uri}
    try:
        deadline = time.monotonic() + timeout
        while t.status()["state"] == "connecting" and time.monotonic() < deadline:
            time.sleep(0.05)
        status = t.status()
        if status["state"] == "connected":
            info = t.host_info()
            status.update(hypervisor=info["backend_description"], vms=info["vms"])
        return status
    finally:
        t.close()


def host_add(args) -> int:
    entry = _store(args).add(args.uri, name=args.name, group=args.group)
    if args.check:
        entry["status"] = probe(entry["uri"])
    if args.json:
        print(json.dumps(entry, indent=2))
        return 0
    print(f"saved {entry['uri']} as '{entry['name']}'" + (f" in group {entry['group']}" if entry["group"] else ""))
    if args.check:
        s = entry["status"]
        print(f"{entry['name']}: {s['state']}" + (f" ({s['reason']})" if s.get("reason") else "")
              + (f", {s['hypervisor']}, {s['vms']} VMs" if s.get("hypervisor") else ""))
    return 0


def host_remove(args) -> int:
    entry = _store(args).remove(args.connection)
    print(f"forgot '{entry['name']}' ({entry['uri']})")
    return 0


def host_list(args) -> int:
    items = _store(args).list()
    if args.status and items:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(8, len(items))) as pool:
            for item, status in zip(items, pool.map(lambda i: probe(i["uri"], timeout=args.timeout), items)):
                item["status"] = status
    if args.json:
        print(json.dumps(items, indent=2))
        return 0
    if not items:
        print("No saved connections. Add one: bulkhead host add qemu:///system")
        return 0
    header = ["NAME", "URI", "GROUP"] + (["STATUS"] if args.status else [])
    rows = []
    for item in items:
        row = [item["name"], item["uri"], item["group"] or "-"]
        if args.status:
            s = item["status"]
            row.append(s["state"] + (f": {s['reason']}" if s.get("reason") else ""))
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    sys.stdout.flush()
    return 0
