"""`bulkhead vm ...`: virtual machines, after Hyper-V's cmdlets (Get-VM, New-VM, Start-VM, Stop-VM ...)."""

from __future__ import annotations

import json
import sys
import time

from core.model.errors import UsageError
from core.model.units import format_size

from . import checkpoint, export_import, export_ova, move, move_storage
from .common import connect, declared, examples, finish, job_options, pairs, print_list, seconds
from .settings import add_settings, vm_changes, vm_spec


def register(sub) -> None:
    vm = sub.add_parser("vm", help="virtual machines: list, create, start, stop, connect ...")
    vs = vm.add_subparsers(dest="verb", metavar="VERB")
    p = vs.add_parser("list", help="every VM with its state",
                      **examples("  bulkhead vm list\n  bulkhead vm list --json\n"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_list)
    p = vs.add_parser("show", help="one VM in detail", **examples("  bulkhead vm show web1 --json\n"))
    p.add_argument("vm")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_show)

    p = vs.add_parser("new", help="create a VM",
                      **examples("  bulkhead vm new web1\n"
                                 "  bulkhead vm new web1 --memory 512M --vcpus 2 --workload cpu:50 --start\n"
                                 "  bulkhead vm new db --image ./my-kernel.elf --stop-action shut_down\n"
                                 "  bulkhead --connect qemu:///system vm new web --image ./install.iso "
                                 "--disk-size 16G --pool default --start\n"
                                 "\nPaths (--image, --disk) are resolved against this folder before they are sent,\n"
                                 "except on a libvirt host that is another machine: there they are its paths.\n"))
    p.add_argument("name")
    add_settings(p, new=True)
    job_options(p)
    p.set_defaults(func=vm_new)

    p = vs.add_parser("set", help="change a VM's settings (memory, processors, image need it off)",
                      **examples("  bulkhead vm set web1 --memory 1G --vcpus 2\n"
                                 "  bulkhead vm set web1 --name web-frontend --notes 'public site'\n"))
    p.add_argument("vm")
    add_settings(p, new=False)
    job_options(p)
    p.set_defaults(func=vm_set)

    for verb, helptext in (("start", "start VMs (from their saved state when saved)"),
                           ("pause", "pause VMs"), ("resume", "resume paused VMs"),
                           ("restart", "reset VMs (a hard reset, like the reset button)"),
                           ("remove", "delete VMs and their files (they must be off or saved)")):
        p = vs.add_parser(verb, help=helptext,
                          **examples(f"  bulkhead vm {verb} web1\n  bulkhead vm {verb} web1 web2\n"))
        p.add_argument("vms", nargs="+", metavar="VM")
        if verb == "remove":
            p.add_argument("--delete-storage", action="store_true",
                           help="delete the VM's virtual hard disks too (kept by default)")
        job_options(p)
        p.set_defaults(func=vm_simple, operation=verb)

    p = vs.add_parser("stop", help="shut VMs down (ask the guest); --turn-off or --save as Stop-VM",
                      **examples("  bulkhead vm stop web1\n  bulkhead vm stop web1 --turn-off\n"
                                 "  bulkhead vm stop web1 web2 --save\n"))
    p.add_argument("vms", nargs="+", metavar="VM")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--turn-off", dest="mode", action="store_const", const="turn_off",
                      help="pull the plug: the guest gets no chance to react")
    mode.add_argument("--save", dest="mode", action="store_const", const="save",
                      help="save memory and processor state; start continues where it was")
    job_options(p)
    p.set_defaults(func=vm_stop, mode="shut_down")

    p = vs.add_parser("connect", help="attach this terminal to a VM's serial console (Ctrl+] detaches)",
                      **examples("  bulkhead vm connect web1\n"))
    p.add_argument("vm")
    p.set_defaults(func=vm_connect)

    p = vs.add_parser("kvp", help="key-value pairs: what the guest published; push keys it can read",
                      **examples("  bulkhead vm kvp web1\n  bulkhead vm kvp web1 --set owner=lab --set tier=web\n"
                                 "  bulkhead vm kvp web1 --delete tier\n"))
    p.add_argument("vm")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="push a key to the guest")
    p.add_argument("--delete", action="append", default=[], metavar="KEY", help="remove a pushed key")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_kvp)

    p = vs.add_parser("measure", help="a VM's resource use over a window (like Measure-VM)",
                      **examples("  bulkhead vm measure web1\n  bulkhead vm measure web1 --window 10m --json\n"))
    p.add_argument("vm")
    p.add_argument("--window", default="1h", help="how far back: 60s, 10m, 1h, 24h (default 1h)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_measure)
    move_storage.register(vs)
    move.register(vs)
    checkpoint.register(vs)
    export_ova.register(vs)
    export_import.register(vs)


def _uptime(vm) -> str:
    up = vm.uptime
    uptime = time.strftime("%H:%M:%S", time.gmtime(up)) if up else "-"
    if up >= 86400:
        uptime = f"{int(up // 86400)}d {uptime}"
    return uptime


def _vm_row(vm) -> list[str]:
    status = vm.reason or (vm.health_reason if vm.health not in ("", "OK") else "") or (
        f"heartbeat {vm.heartbeat}" if vm.heartbeat else "")
    if vm.device_failures:
        status = (status + "; " if status else "") + "failed: " + ", ".join(vm.device_failures)
    cpu = f"{vm.cpu_percent:.0f}%" if vm.cpu_percent is not None else "-"
    return [vm.name, vm.state, cpu, format_size(vm.memory) if vm.memory else "-", str(vm.vcpus or "-"), _uptime(vm),
            vm.health or "-", status]


def vm_list(args) -> int:
    with connect(args) as conn:
        vms = conn.vms()
    return print_list(args, vms, "No virtual machines. Create one: bulkhead vm new NAME",
                      ["NAME", "STATE", "CPU", "MEMORY", "VCPUS", "UPTIME", "HEALTH", "STATUS"], _vm_row,
                      as_json=lambda v: v.to_dict())


def vm_show(args) -> int:
    with connect(args) as conn:
        vm = conn.vm(args.vm)
    if args.json:
        print(json.dumps(vm.to_dict(), indent=2))
        return 0
    rows: list[tuple[str, object]] = [("Name", vm.name), ("Id", vm.id), ("State", vm.state)]
    if vm.reason:
        rows.append(("Reason", vm.reason))
    if vm.memory:
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(vm.created)) if vm.created else "-"
        rows += [("Memory", format_size(vm.memory)), ("Processors", vm.vcpus), ("Image", vm.image or "-"),
                 ("Workload", vm.workload or "-"), ("Command line", vm.cmdline or "-"),
                 ("Automatic start", vm.automatic_start_action or "-"),
                 ("Automatic stop", vm.automatic_stop_action or "-"), ("Created", created),
                 ("Uptime", _uptime(vm)), ("Health", f"{vm.health} {vm.health_reason}".strip()),
                 ("Notes", vm.notes or "-")]
        rows += [("Disk", f"{vm.disk} ({vm.disk_controller})" if vm.disk else "none"),
                 ("Network", f"{vm.network} ({vm.ip})" if vm.network else "not connected"),
                 ("Integration services", "on" if vm.integration_services else "off")]
    if vm.heartbeat:
        rows.append(("Heartbeat", vm.heartbeat))
    for device, reason in vm.device_failures.items():
        rows.append(("Failed device", f"{device}: {reason}"))
    if vm.counters:
        c = vm.counters
        cpu = sum(c["vcpu_cpu_ns"]) / 1e9
        rows += [("Backend", c["backend"]), ("Guest CPU time", f"{cpu:.2f} s"),
                 ("Resident memory", format_size(c["resident_bytes"])),
                 ("Exits", ", ".join(f"{k} {v}" for k, v in sorted(c["exits"].items())) or "-")]
    rows.append(("Folder", vm.folder))
    pairs(rows)
    return 0


def vm_new(args) -> int:
    spec = vm_spec(args)
    with connect(args) as conn:
        return finish(args, [conn.new_vm(**spec.params())])


def vm_set(args) -> int:
    changes = vm_changes(args)
    with connect(args) as conn:
        return finish(args, [conn.set_vm(args.vm, **changes.values)])


def vm_simple(args) -> int:
    with connect(args) as conn:
        method = {"start": conn.start_vm, "pause": conn.pause_vm, "resume": conn.resume_vm,
                  "restart": conn.restart_vm,
                  "remove": lambda vm: conn.remove_vm(vm, delete_storage=args.delete_storage)}[args.operation]
        return finish(args, [method(name) for name in args.vms])


def vm_stop(args) -> int:
    with connect(args) as conn:
        return finish(args, [conn.stop_vm(name, mode=args.mode) for name in args.vms])


def vm_connect(args) -> int:
    from .console import attach

    with connect(args) as conn:
        vm = conn.vm(args.vm)
        if vm.state not in ("Running", "Paused"):
            raise UsageError(f"VM '{vm.name}' is {vm.state}: start it first (bulkhead vm start {vm.name})")
        print(f"Connected to VM '{vm.name}' ({vm.state}). Ctrl+] detaches.", file=sys.stderr)
        state = {"value": vm.state}

        def subscribe(show):
            def on_event(kind, data):
                if data.get("id") != vm.id:
                    return
                if kind == "vm.console":
                    show(data["data"].encode("latin-1"))
                elif kind == "vm.state":
                    state["value"] = data["state"]

            return conn.subscribe(on_event)

        def stopped():
            return state["value"] if state["value"] in ("Off", "Saved", "Critical") else None

        why = attach(conn.console_history(vm.id).encode("latin-1"),
                     lambda data: conn.console_send(vm.id, data.decode("latin-1")), subscribe, stopped)
    print(f"\r\nbulkhead: {why}" if why in ("detached", "end of input") else f"\r\nbulkhead: VM '{vm.name}' is {why}",
          file=sys.stderr)
    return 0


def vm_kvp(args) -> int:
    pushes = []
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--set takes KEY=VALUE (got {item!r})")
        pushes.append((key, value))
    pushes += [(key, None) for key in args.delete]
    with connect(args) as conn:
        for key, value in pushes:
            conn.kvp_set(args.vm, key, value).wait(check=True)
        vm = conn.vm(args.vm)
    if args.json:
        print(json.dumps({"guest": vm.kvp_guest, "host": vm.kvp}, indent=2))
        return 0
    print("Published by the guest:" if vm.kvp_guest else "The guest has published nothing (is it running?)")
    for k, v in sorted(vm.kvp_guest.items()):
        print(f"  {k} = {v}")
    print("Pushed by the host:" if vm.kvp else "Nothing pushed by the host.")
    for k, v in sorted(vm.kvp.items()):
        print(f"  {k} = {v}")
    return 0


def vm_measure(args) -> int:
    window = declared("vm.measure", "seconds")
    span = seconds(args.window, "--window", window.min, window.max)
    with connect(args) as conn:
        m = conn.measure_vm(args.vm, span)
    if args.json:
        print(json.dumps(m, indent=2))
        return 0

    def size(n):
        return format_size(int(n)) if n is not None else "-"

    pairs([("VM", m["vm"]), ("Window", f"{m['window_seconds']:g} s ({m['samples']} samples, {m['resolution']})"),
           ("Average CPU", f"{m['average_cpu_percent']:.1f} %" if m["average_cpu_percent"] is not None else "-"),
           ("Average memory", size(m["average_memory_bytes"])), ("Maximum memory", size(m["maximum_memory_bytes"])),
           ("Minimum memory", size(m["minimum_memory_bytes"])), ("Assigned memory", size(m["assigned_memory_bytes"])),
           ("Dirty rate", f"{m['average_dirty_mib_s']:.1f} MiB/s" if m["average_dirty_mib_s"] is not None else "-"),
           ("Disk read", size(m["disk_read_bytes"])), ("Disk written", size(m["disk_write_bytes"])),
           ("Network in", size(m["network_in_bytes"])), ("Network out", size(m["network_out_bytes"])),
           ("Heartbeat", m["heartbeat"] or "-"), ("Health", m["health"])])
    return 0
