"""`bulkhead host ...`: this host (info with its limits, the host service, a libvirt host's pools) and the saved
libvirt connections (add, list, remove)."""

from __future__ import annotations

import json
import os
import sys
import time

from core.model.errors import BulkheadError
from core.model.params import Param
from core.model.units import format_size

from .common import connect, examples, number, pairs, table

_TIMEOUT = Param("timeout", "float", 10.0, min=0.1, max=600.0)  # how long host list waits for a host at most


def register(sub) -> None:
    host = sub.add_parser("host", help="this host: capabilities, the host service")
    hs = host.add_subparsers(dest="verb", metavar="VERB")
    p = hs.add_parser("info", help="hardware virtualization, processors, memory, limits, the backend in use",
                      **examples("  bulkhead host info\n  bulkhead host info --json\n"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=host_info)
    p = hs.add_parser("serve", help="run the host service in the foreground (normally started on first use)")
    p.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None)
    p.set_defaults(func=host_serve)
    p = hs.add_parser("stop", help="stop the host service (each VM's automatic stop action applies)")
    p.set_defaults(func=host_stop)
    p = hs.add_parser("pools", help="a libvirt host's storage pools (where vm new --disk-size makes volumes)",
                      **examples("  bulkhead --connect qemu:///system host pools\n"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=host_pools)
    register_host_verbs(hs)


def register_host_verbs(hs) -> None:
    """``host add|remove|list``: the saved libvirt connections, on the subparsers of a ``host`` noun."""
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
    p.add_argument("--timeout", type=number("seconds", _TIMEOUT), default=10.0,
                   help="seconds to wait for each host (default: 10)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_list)


# --- this host ----------------------------------------------------------------------------------------------------
def _limit_rows(limits) -> list[tuple[str, object]]:
    """The host's own limits, as it reports them (host.limits)."""
    def why(reason: str) -> str:
        return f" ({reason})" if reason else ""

    memory = f"{format_size(limits.memory_min)} to {format_size(limits.memory_max)}"
    if limits.memory_step > 1:
        memory += f", in steps of {format_size(limits.memory_step)}"
    rows: list[tuple[str, object]] = [("Memory per VM", memory + why(limits.memory_reason)),
                                      ("Processors per VM", f"1 to {limits.vcpus_max}" + why(limits.vcpus_reason))]
    if limits.cmdline_max:
        rows.append(("Command line", f"at most {limits.cmdline_max} bytes"))
    return rows


def host_info(args) -> int:
    with connect(args) as conn:
        info = conn.host_info()
        try:
            limits = conn.limits()
        except BulkheadError as e:  # a host that cannot say: shown as such, never a table of our own
            limits, unknown = None, str(e)
    if args.json:
        print(json.dumps(info | {"limits": limits.to_dict() if limits else None}, indent=2))
        return 0
    caps = info["capabilities"]
    rows = [
        ("Backend", info["backend_description"]),
        ("KVM", "usable" if caps["kvm_usable"] else f"not usable: {caps['kvm_problem']}"),
        ("KVM module", caps["kvm_module"] or "-"),
        ("KVM API version", caps["kvm_api_version"] if caps["kvm_api_version"] is not None else "-"),
        ("Processor", caps["cpu_model"] or "-"),
        ("Logical processors", caps["logical_processors"]),
        ("Memory", format_size(caps["memory_bytes"])),
        *(_limit_rows(limits) if limits else [("Limits", f"unknown: {unknown}")]),
        ("Virtual machines", ", ".join(f"{n} {s}" for s, n in sorted(info["vm_states"].items())) or "none"),
        ("Host service", f"pid {info['pid']}, version {info['version']}, store {info['store']}"),
    ]
    if caps["kvm_extensions"]:
        rows.append(("KVM extensions", ", ".join(f"{k}={v}" for k, v in caps["kvm_extensions"].items())))
    pairs(rows)
    if info["notice"]:
        print(f"\nNote: {info['notice']}")
    return 0


def host_serve(args) -> int:
    import logging

    from core.hosts.paths import HostPaths
    from core.local.server import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return serve(HostPaths.resolve(getattr(args, "home", None)), args.backend)


def host_stop(args) -> int:
    from core import api
    from core.model.errors import ServiceUnavailable

    try:
        conn = api.connect(getattr(args, "home", None), autostart=False)
    except ServiceUnavailable:
        print("no host service is running")
        return 0
    with conn:
        pid = conn.host_info()["pid"]
        conn.call("host.stop")
    print(f"host service {pid} stopping (each VM's automatic stop action applies)...", flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("host service stopped")
            return 0
        time.sleep(0.05)
    print(f"bulkhead: host service {pid} is still stopping after 120 s", file=sys.stderr)
    return 1


def host_pools(args) -> int:
    with connect(args) as conn:
        pools = conn.storage_pools()
    if args.json:
        print(json.dumps(pools, indent=2))
    elif not pools:
        print("No storage pools. Define one on the host: virsh pool-define-as default dir --target "
              "/var/lib/libvirt/images")
    else:
        table(["NAME", "STATE", "CAPACITY", "AVAILABLE", "PATH"],
              [[p["name"], "active" if p["active"] else "inactive", format_size(p["capacity"]),
                format_size(p["available"]), p["path"] or "-"] for p in pools])
    return 0


# --- saved libvirt connections ------------------------------------------------------------------------------------
def probe(uri: str, data_dir=None, timeout: float = 10.0) -> dict:
    """Connect once, wait up to ``timeout`` for an answer, and return the status (with a few host facts)."""
    from core.libvirt import connect_libvirt

    try:
        t = connect_libvirt(uri, data_dir, connect_timeout=timeout, wait=0.0, tick=3600)
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
    from core import api

    entry = api.add_connection(args.uri, name=args.name, group=args.group, home=getattr(args, "home", None))
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
    from core import api

    entry = api.remove_connection(args.connection, home=getattr(args, "home", None))
    print(f"forgot '{entry['name']}' ({entry['uri']})")
    return 0


def host_list(args) -> int:
    from core import api

    items = api.saved_connections(getattr(args, "home", None))
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
    table(header, rows)
    sys.stdout.flush()
    return 0
