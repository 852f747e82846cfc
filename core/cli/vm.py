"""`bulkhead vm ...`: virtual machines, after Hyper-V's cmdlets (Get-VM, New-VM, Start-VM, Stop-VM ...)."""

from __future__ import annotations

import importlib
import json
import sys
import time

from core.model.errors import UsageError
from core.model.units import format_size

from .common import connect, declared, examples, finish, job_options, pairs, print_list, seconds
from .i18n import _, state_word

# Verbs other modules add to `vm`, in help's order. A command line that names one of this noun's verbs builds that
# verb alone (core.cli.parser passes it): a cold `bulkhead vm list` imports neither these modules nor the settings
# model (about 15 ms); help and a mistyped verb build them all.
VERBS_ON_DEMAND = True
MORE_VERBS = (("move_storage", ("move-storage",)), ("move", ("move",)),
              ("checkpoint", ("checkpoint", "checkpoints", "apply", "revert", "checkpoint-rename",
                              "checkpoint-remove")),
              ("export_ova", ("export-ova",)), ("export_import", ("export", "import")))
OWN_VERBS = ("list", "show", "new", "set", "start", "pause", "resume", "restart", "remove", "stop", "connect", "kvp",
             "measure")


def register(sub, only: str | None = None) -> None:
    """The `vm` noun with every verb, or with ``only`` that one (a verb it knows; otherwise all)."""
    if only not in OWN_VERBS and not any(only in verbs for _module, verbs in MORE_VERBS):
        only = None
    vm = sub.add_parser("vm", help=_("virtual machines: list, create, start, stop, connect ..."))
    vs = vm.add_subparsers(dest="verb", metavar="VERB")
    p = vs.add_parser("list", help=_("every VM with its state"),
                      **examples(_("  bulkhead vm list\n  bulkhead vm list --json\n")))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_list)
    p = vs.add_parser("show", help=_("one VM in detail"), **examples(_("  bulkhead vm show web1 --json\n")))
    p.add_argument("vm")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_show)

    if only in (None, "new", "set"):
        _register_new_and_set(vs)

    for verb, helptext in (("start", _("start VMs (from their saved state when saved)")),
                           ("pause", _("pause VMs")), ("resume", _("resume paused VMs")),
                           ("restart", _("reset VMs (a hard reset, like the reset button)")),
                           ("remove", _("delete VMs and their files (they must be off or saved)"))):
        p = vs.add_parser(verb, help=helptext,
                          **examples(_("  bulkhead vm {verb} web1\n  bulkhead vm {verb} web1 web2\n").format(
                              verb=verb)))
        p.add_argument("vms", nargs="+", metavar="VM")
        if verb == "remove":
            p.add_argument("--delete-storage", action="store_true",
                           help=_("delete the VM's virtual hard disks too (kept by default)"))
        job_options(p)
        p.set_defaults(func=vm_simple, operation=verb)

    p = vs.add_parser("stop", help=_("shut VMs down (ask the guest); --turn-off or --save as Stop-VM"),
                      **examples(_("  bulkhead vm stop web1\n  bulkhead vm stop web1 --turn-off\n"
                                 "  bulkhead vm stop web1 web2 --save\n")))
    p.add_argument("vms", nargs="+", metavar="VM")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--turn-off", dest="mode", action="store_const", const="turn_off",
                      help=_("pull the plug: the guest gets no chance to react"))
    mode.add_argument("--save", dest="mode", action="store_const", const="save",
                      help=_("save memory and processor state; start continues where it was"))
    job_options(p)
    p.set_defaults(func=vm_stop, mode="shut_down")

    p = vs.add_parser("connect", help=_("attach this terminal to a VM's serial console (Ctrl+] detaches)"),
                      **examples(_("  bulkhead vm connect web1\n")))
    p.add_argument("vm")
    p.set_defaults(func=vm_connect)

    p = vs.add_parser("kvp", help=_("key-value pairs: what the guest published; push keys it can read"),
                      **examples(_("  bulkhead vm kvp web1\n  bulkhead vm kvp web1 --set owner=lab --set tier=web\n"
                                 "  bulkhead vm kvp web1 --delete tier\n")))
    p.add_argument("vm")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=_("push a key to the guest"))
    p.add_argument("--delete", action="append", default=[], metavar="KEY", help=_("remove a pushed key"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_kvp)

    p = vs.add_parser("measure", help=_("a VM's resource use over a window (like Measure-VM)"),
                      **examples(_("  bulkhead vm measure web1\n  bulkhead vm measure web1 --window 10m --json\n")))
    p.add_argument("vm")
    p.add_argument("--window", default="1h", help=_("how far back: 60s, 10m, 1h, 24h (default 1h)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_measure)
    for module, verbs in MORE_VERBS:
        if only is None or only in verbs:
            importlib.import_module(f"{__package__}.{module}").register(vs)


def _register_new_and_set(vs) -> None:
    from .settings import add_settings  # the settings model: only where a command sets VM settings

    p = vs.add_parser("new", help=_("create a VM"),
                      **examples(_("  bulkhead vm new web1\n"
                                 "  bulkhead vm new web1 --memory 512M --vcpus 2 --workload cpu:50 --start\n"
                                 "  bulkhead vm new db --image ./my-kernel.elf --stop-action shut_down\n"
                                 "  bulkhead --connect qemu:///system vm new web --image ./install.iso "
                                 "--disk-size 16G --pool default --start\n"
                                 "\nPaths (--image, --disk) are resolved against this folder before they are sent,\n"
                                 "except on a libvirt host that is another machine: there they are its paths.\n")))
    p.add_argument("name")
    add_settings(p, new=True)
    job_options(p)
    p.set_defaults(func=vm_new)

    p = vs.add_parser("set", help=_("change a VM's settings (memory, processors, image need it off)"),
                      **examples(_("  bulkhead vm set web1 --memory 1G --vcpus 2\n"
                                 "  bulkhead vm set web1 --name web-frontend --notes 'public site'\n")))
    p.add_argument("vm")
    add_settings(p, new=False)
    job_options(p)
    p.set_defaults(func=vm_set)


def _uptime(vm) -> str:
    up = vm.uptime
    uptime = time.strftime("%H:%M:%S", time.gmtime(up)) if up else "-"
    if up >= 86400:
        uptime = f"{int(up // 86400)}d {uptime}"
    return uptime


def _vm_row(vm) -> list[str]:
    status = vm.reason or (vm.health_reason if vm.health not in ("", "OK") else "") or (
        _("heartbeat {heartbeat}").format(heartbeat=vm.heartbeat) if vm.heartbeat else "")
    if vm.device_failures:
        status = (status + "; " if status else "") + _("failed: ") + ", ".join(vm.device_failures)
    cpu = f"{vm.cpu_percent:.0f}%" if vm.cpu_percent is not None else "-"
    return [vm.name, state_word(vm.state), cpu, format_size(vm.memory) if vm.memory else "-", str(vm.vcpus or "-"),
            _uptime(vm), vm.health or "-", status]


def vm_list(args) -> int:
    with connect(args) as conn:
        vms = conn.vms()
    return print_list(args, vms, _("No virtual machines. Create one: bulkhead vm new NAME"),
                      [_("NAME"), _("STATE"), _("CPU"), _("MEMORY"), _("VCPUS"), _("UPTIME"), _("HEALTH"),
                       _("STATUS")], _vm_row,
                      as_json=lambda v: v.to_dict())


def vm_show(args) -> int:
    with connect(args) as conn:
        vm = conn.vm(args.vm)
    if args.json:
        print(json.dumps(vm.to_dict(), indent=2))
        return 0
    rows: list[tuple[str, object]] = [(_("Name"), vm.name), (_("Id"), vm.id), (_("State"), state_word(vm.state))]
    if vm.reason:
        rows.append((_("Reason"), vm.reason))
    if vm.memory:
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(vm.created)) if vm.created else "-"
        rows += [(_("Memory"), format_size(vm.memory)), (_("Processors"), vm.vcpus), (_("Image"), vm.image or "-"),
                 (_("Workload"), vm.workload or "-"), (_("Command line"), vm.cmdline or "-"),
                 (_("Automatic start"), vm.automatic_start_action or "-"),
                 (_("Automatic stop"), vm.automatic_stop_action or "-"), (_("Created"), created),
                 (_("Uptime"), _uptime(vm)), (_("Health"), f"{vm.health} {vm.health_reason}".strip()),
                 (_("Notes"), vm.notes or "-")]
        rows += [(_("Disk"), f"{vm.disk} ({vm.disk_controller})" if vm.disk else _("none")),
                 (_("Network"), f"{vm.network} ({vm.ip})" if vm.network else _("not connected")),
                 (_("Integration services"), _("on") if vm.integration_services else _("off"))]
    if vm.heartbeat:
        rows.append((_("Heartbeat"), vm.heartbeat))
    for device, reason in vm.device_failures.items():
        rows.append((_("Failed device"), f"{device}: {reason}"))
    if vm.counters:
        c = vm.counters
        cpu = sum(c["vcpu_cpu_ns"]) / 1e9
        rows += [(_("Backend"), c["backend"]), (_("Guest CPU time"), f"{cpu:.2f} s"),
                 (_("Resident memory"), format_size(c["resident_bytes"])),
                 (_("Exits"), ", ".join(f"{k} {v}" for k, v in sorted(c["exits"].items())) or "-")]
    rows.append((_("Folder"), vm.folder))
    pairs(rows)
    return 0


def vm_new(args) -> int:
    from .settings import vm_spec

    spec = vm_spec(args)
    with connect(args) as conn:
        return finish(args, [conn.new_vm(**spec.params())])


def vm_set(args) -> int:
    from .settings import vm_changes

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
            raise UsageError(_("VM '{name}' is {state}: start it first (bulkhead vm start {name})").format(
                name=vm.name, state=vm.state))
        print(_("Connected to VM '{name}' ({state}). Ctrl+] detaches.").format(
            name=vm.name, state=vm.state), file=sys.stderr)
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
    print("\r\nbulkhead: " + ({"detached": _("detached"), "end of input": _("end of input")}[why]
                               if why in ("detached", "end of input") else
                               _("VM '{name}' is {why}").format(name=vm.name, why=why)), file=sys.stderr)
    return 0


def vm_kvp(args) -> int:
    pushes = []
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(_("--set takes KEY=VALUE (got {item!r})").format(item=item))
        pushes.append((key, value))
    pushes += [(key, None) for key in args.delete]
    with connect(args) as conn:
        for key, value in pushes:
            conn.kvp_set(args.vm, key, value).wait(check=True)
        vm = conn.vm(args.vm)
    if args.json:
        print(json.dumps({"guest": vm.kvp_guest, "host": vm.kvp}, indent=2))
        return 0
    print(_("Published by the guest:") if vm.kvp_guest else _("The guest has published nothing (is it running?)"))
    for k, v in sorted(vm.kvp_guest.items()):
        print(f"  {k} = {v}")
    print(_("Pushed by the host:") if vm.kvp else _("Nothing pushed by the host."))
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

    pairs([(_("VM"), m["vm"]), (_("Window"), _("{seconds:g} s ({samples} samples, {resolution})").format(
               seconds=m["window_seconds"], samples=m["samples"], resolution=m["resolution"])),
           (_("Average CPU"), f"{m['average_cpu_percent']:.1f} %" if m["average_cpu_percent"] is not None else "-"),
           (_("Average memory"), size(m["average_memory_bytes"])),
           (_("Maximum memory"), size(m["maximum_memory_bytes"])),
           (_("Minimum memory"), size(m["minimum_memory_bytes"])),
           (_("Assigned memory"), size(m["assigned_memory_bytes"])),
           (_("Dirty rate"), f"{m['average_dirty_mib_s']:.1f} MiB/s" if m["average_dirty_mib_s"] is not None else "-"),
           (_("Disk read"), size(m["disk_read_bytes"])), (_("Disk written"), size(m["disk_write_bytes"])),
           (_("Network in"), size(m["network_in_bytes"])), (_("Network out"), size(m["network_out_bytes"])),
           (_("Heartbeat"), m["heartbeat"] or "-"), (_("Health"), m["health"])])
    return 0
