"""Nouns and verbs of the command line, after Hyper-V's cmdlets (Get-VM, New-VM, Start-VM, Stop-VM ...)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from core.model.units import format_size, parse_size

from . import UsageError

START_ACTIONS = ("nothing", "start_if_running", "always_start")
STOP_ACTIONS = ("save", "turn_off", "shut_down")


def _examples(text: str) -> dict:
    return {"epilog": "examples:\n" + text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def register(sub) -> None:
    # --- host ---
    host = sub.add_parser("host", help="this host: capabilities, the host service")
    hs = host.add_subparsers(dest="verb", metavar="VERB")
    p = hs.add_parser("info", help="hardware virtualization, processors, memory, the backend in use",
                      **_examples("  bulkhead host info\n  bulkhead host info --json\n"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=host_info)
    p = hs.add_parser("serve", help="run the host service in the foreground (normally started on first use)")
    p.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None)
    p.set_defaults(func=host_serve)
    p = hs.add_parser("stop", help="stop the host service (each VM's automatic stop action applies)")
    p.set_defaults(func=host_stop)
    p = hs.add_parser("pools", help="a libvirt host's storage pools (where vm new --disk-size makes volumes)",
                      **_examples("  bulkhead --connect qemu:///system host pools\n"))
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=host_pools)
    from core.libvirt.cli import register_host_verbs

    register_host_verbs(hs)

    # --- vm ---
    vm = sub.add_parser("vm", help="virtual machines: list, create, start, stop, connect ...")
    vs = vm.add_subparsers(dest="verb", metavar="VERB")
    p = vs.add_parser("list", help="every VM with its state",
                      **_examples("  bulkhead vm list\n  bulkhead vm list --json\n"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_list)
    p = vs.add_parser("show", help="one VM in detail", **_examples("  bulkhead vm show web1 --json\n"))
    p.add_argument("vm")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_show)

    p = vs.add_parser("new", help="create a VM",
                      **_examples("  bulkhead vm new web1\n"
                                  "  bulkhead vm new web1 --memory 512M --vcpus 2 --workload cpu:50 --start\n"
                                  "  bulkhead vm new db --image ./my-kernel.elf --stop-action shut_down\n"
                                  "  bulkhead --connect qemu:///system vm new web --image ./install.iso "
                                  "--disk-size 16G --pool default --start\n"))
    p.add_argument("name")
    _settings(p, new=True)
    p.add_argument("--start", action="store_true", help="start the VM once it is created")
    lv = p.add_argument_group("libvirt hosts (--connect URI)")
    lv.add_argument("--disk-size", metavar="SIZE", help="create a new disk of this size in the VM's job: a volume in "
                                                        "--pool, or with --disk PATH a qemu-img file on this machine")
    lv.add_argument("--disk-format", choices=("qcow2", "raw"), help="format of the new disk (default: qcow2)")
    lv.add_argument("--pool", help="storage pool of the new disk (default: default)")
    lv.add_argument("--boot", choices=("hd", "cdrom", "network"), help="boot device (default: the ISO if any)")
    lv.add_argument("--disk-readonly", action="store_true", default=None, help="attach --disk read-only")
    lv.add_argument("--domain-type", choices=("kvm", "qemu"), help="kvm (hardware) or qemu (emulation)")
    lv.add_argument("--arch", help="guest architecture (default: the host's)")
    _job_options(p)
    p.set_defaults(func=vm_new)

    p = vs.add_parser("set", help="change a VM's settings (memory, processors, image need it off)",
                      **_examples("  bulkhead vm set web1 --memory 1G --vcpus 2\n"
                                  "  bulkhead vm set web1 --name web-frontend --notes 'public site'\n"))
    p.add_argument("vm")
    p.add_argument("--name", help="new name")
    _settings(p, new=False)
    _job_options(p)
    p.set_defaults(func=vm_set)

    for verb, helptext in (("start", "start VMs (from their saved state when saved)"),
                           ("pause", "pause VMs"), ("resume", "resume paused VMs"),
                           ("restart", "reset VMs (a hard reset, like the reset button)"),
                           ("remove", "delete VMs and their files (they must be off or saved)")):
        p = vs.add_parser(verb, help=helptext,
                          **_examples(f"  bulkhead vm {verb} web1\n  bulkhead vm {verb} web1 web2\n"))
        p.add_argument("vms", nargs="+", metavar="VM")
        if verb == "remove":
            p.add_argument("--delete-storage", action="store_true",
                           help="delete the VM's virtual hard disks too (kept by default)")
        _job_options(p)
        p.set_defaults(func=vm_simple, operation=verb)

    p = vs.add_parser("stop", help="shut VMs down (ask the guest); --turn-off or --save as Stop-VM",
                      **_examples("  bulkhead vm stop web1\n  bulkhead vm stop web1 --turn-off\n"
                                  "  bulkhead vm stop web1 web2 --save\n"))
    p.add_argument("vms", nargs="+", metavar="VM")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--turn-off", dest="mode", action="store_const", const="turn_off",
                      help="pull the plug: the guest gets no chance to react")
    mode.add_argument("--save", dest="mode", action="store_const", const="save",
                      help="save memory and processor state; start continues where it was")
    _job_options(p)
    p.set_defaults(func=vm_stop, mode="shut_down")

    p = vs.add_parser("connect", help="attach this terminal to a VM's serial console (Ctrl+] detaches)",
                      **_examples("  bulkhead vm connect web1\n"))
    p.add_argument("vm")
    p.set_defaults(func=vm_connect)

    p = vs.add_parser("kvp", help="key-value pairs: what the guest published; push keys it can read",
                      **_examples("  bulkhead vm kvp web1\n  bulkhead vm kvp web1 --set owner=lab --set tier=web\n"
                                  "  bulkhead vm kvp web1 --delete tier\n"))
    p.add_argument("vm")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="push a key to the guest")
    p.add_argument("--delete", action="append", default=[], metavar="KEY", help="remove a pushed key")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_kvp)

    p = vs.add_parser("measure", help="a VM's resource use over a window (like Measure-VM)",
                      **_examples("  bulkhead vm measure web1\n  bulkhead vm measure web1 --window 10m --json\n"))
    p.add_argument("vm")
    p.add_argument("--window", default="1h", help="how far back: 60s, 10m, 1h, 24h (default 1h)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=vm_measure)

    # --- alert ---
    alert = sub.add_parser("alert", help="health alerts: list, acknowledge, clear; alert rules")
    als = alert.add_subparsers(dest="verb", metavar="VERB")
    p = als.add_parser("list", help="active alerts (--all: with the history)",
                       **_examples("  bulkhead alert list\n  bulkhead alert list --all --json\n"))
    p.add_argument("--all", action="store_true", help="include cleared alerts")
    p.add_argument("--vm", help="only this VM's alerts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_list)
    for verb, helptext in (("ack", "acknowledge an alert"), ("clear", "clear an alert")):
        p = als.add_parser(verb, help=helptext, **_examples(f"  bulkhead alert {verb} 3\n"))
        p.add_argument("alerts", nargs="+", type=int, metavar="ID")
        p.set_defaults(func=alert_verb, operation=verb)
    p = als.add_parser("rules", help="show or change alert rules",
                       **_examples("  bulkhead alert rules\n  bulkhead alert rules --set cpu_high.threshold=80 "
                                   "--set cpu_high.duration=30\n"
                                   "  bulkhead alert rules --set heartbeat_lost.enabled=false\n"))
    p.add_argument("--set", action="append", default=[], metavar="RULE.FIELD=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=alert_rules)

    # --- switch ---
    switch = sub.add_parser("switch", help="virtual switches: private (VMs only) or internal (VMs and this host)")
    ws = switch.add_subparsers(dest="verb", metavar="VERB")
    p = ws.add_parser("list", help="virtual switches with their VMs and MAC tables")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=switch_list)
    p = ws.add_parser("new", help="create a virtual switch",
                      **_examples("  bulkhead switch new lab\n  bulkhead switch new hostnet --type internal\n"))
    p.add_argument("name")
    p.add_argument("--type", choices=("private", "internal"), default="private")
    p.set_defaults(func=switch_new)
    p = ws.add_parser("remove", help="delete a virtual switch no VM uses")
    p.add_argument("name")
    p.set_defaults(func=switch_remove)

    from .disk import register as register_disk

    register_disk(sub)

    # --- job ---
    job = sub.add_parser("job", help="jobs: every state-changing operation, with progress and history")
    js = job.add_subparsers(dest="verb", metavar="VERB")
    p = js.add_parser("list", help="recent jobs, newest first", **_examples("  bulkhead job list --active\n"))
    p.add_argument("--vm", help="only jobs of this VM")
    p.add_argument("--active", action="store_true", help="only queued and running jobs")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=job_list)
    for verb, helptext in (("show", "one job in detail"), ("wait", "wait for a job to finish"),
                           ("cancel", "cancel a running job that allows it")):
        p = js.add_parser(verb, help=helptext, **_examples(f"  bulkhead job {verb} 12\n"))
        p.add_argument("job", type=int)
        if verb == "wait":
            p.add_argument("--timeout", type=float, default=None, help="seconds to wait at most")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=job_verb, operation=verb)

    # --- script ---
    script = sub.add_parser("script", help="run Python scripts against the current connection")
    ss = script.add_subparsers(dest="verb", metavar="VERB")
    p = ss.add_parser("run", help="run FILE.py (it uses `from core import api; api.connect()`)",
                      **_examples("  bulkhead script run create-lab.py\n"))
    p.add_argument("file")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script (sys.argv[1:])")
    p.set_defaults(func=script_run)

    # --- run (in-process quick start) and completion ---
    p = sub.add_parser(
        "run", help="boot a throwaway VM in this process and attach to its console (Ctrl+] ends it)",
        description="Boot a VM in this process from the bundled guest (or another ELF64 image) and attach the "
        "terminal to its serial console. Ctrl+] detaches and turns the VM off. Nothing is stored.")
    p.add_argument("--name", default="demo", help="VM name (default: demo)")
    p.add_argument("--memory", default="64M", help="guest memory, e.g. 64M or 2G (default: 64M)")
    p.add_argument("--vcpus", type=int, default=1, help="virtual processors (default: 1)")
    p.add_argument("--image", help="guest image (default: the bundled guest kernel)")
    p.add_argument("--workload", default="idle", help="idle, cpu:N, dirty:N or bursty (default: idle)")
    p.add_argument("--cmdline", default="", help="extra guest command line words")
    p.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None,
                   help="hypervisor backend (default: auto, KVM where usable)")
    p.set_defaults(func=vm_run)

    p = sub.add_parser("console", help="open the Qt console (the default way to use Bulkhead)")
    p.set_defaults(func=open_console)

    p = sub.add_parser("completion", help="print a shell completion script: eval \"$(bulkhead completion bash)\"")
    p.add_argument("shell", choices=("bash",))
    p.set_defaults(func=completion)


def _settings(p, new: bool) -> None:
    p.add_argument("--memory", help="guest memory, e.g. 512M or 2G" + (" (default: 64M)" if new else ""))
    p.add_argument("--vcpus", type=int, help="virtual processors" + (" (default: 1)" if new else ""))
    p.add_argument("--workload", help="idle, cpu:N, dirty:N or bursty (bundled guest)")
    p.add_argument("--image", help="guest image (ELF64); default: the bundled guest kernel")
    p.add_argument("--cmdline", help="extra guest command-line words")
    p.add_argument("--notes", help="free text")
    p.add_argument("--start-action", choices=START_ACTIONS, help="what the host service does when it starts")
    p.add_argument("--stop-action", choices=STOP_ACTIONS, help="what the host service does when it stops")
    p.add_argument("--disk", help="a virtual hard disk to attach (bulkhead disk new makes one)")
    p.add_argument("--disk-controller", choices=("synthetic", "emulated"),
                   help="synthetic (VMBus storage, fast) or emulated (IDE with PIO, slow)")
    p.add_argument("--switch", dest="network", help="connect the network adapter to this virtual switch")
    p.add_argument("--ip", help="the guest's IPv4 address on its switch (default: the next free one)")
    p.add_argument("--integration-services", dest="integration_services", action="store_true", default=None,
                   help="heartbeat, shutdown, time sync and KVP over the VMBus (the default)")
    p.add_argument("--no-integration-services", dest="integration_services", action="store_false")


def _job_options(p) -> None:
    p.add_argument("--no-wait", action="store_true", help="print the job id and return at once")
    p.add_argument("--json", action="store_true", help="print the job(s) as JSON")


def _connect(args):
    from core import api

    return api.connect(getattr(args, "home", None), uri=getattr(args, "connect", None))


def _changes(args) -> dict:
    out = {}
    if args.memory is not None:
        try:
            out["memory"] = parse_size(args.memory)
        except ValueError as e:
            raise UsageError(f"--memory: {e}") from None
    for key, attr in (("vcpus", "vcpus"), ("workload", "workload"), ("image", "image"), ("cmdline", "cmdline"),
                      ("notes", "notes"), ("automatic_start_action", "start_action"),
                      ("automatic_stop_action", "stop_action"), ("disk", "disk"),
                      ("disk_controller", "disk_controller"), ("network", "network"), ("ip", "ip"),
                      ("integration_services", "integration_services")):
        value = getattr(args, attr)
        if value is not None:
            out[key] = value
    return out


def _finish(args, jobs) -> int:
    """Wait for jobs unless --no-wait; print outcome; exit 1 if any failed."""
    if not args.no_wait:
        jobs = [j.wait() for j in jobs]
    if args.json:
        print(json.dumps([j.to_dict() for j in jobs], indent=2))
    failed = 0
    for j in jobs:
        if j.state == "Failed":
            failed += 1
            if not args.json:
                print(f"bulkhead: {j.error}", file=sys.stderr)
        elif not args.json:
            if args.no_wait:
                print(f"job {j.id}: {j.name} {j.target_name} ({j.state})")
            else:
                result = j.result if isinstance(j.result, dict) else {}
                what = f"VM '{result.get('name', j.target_name)}'"
                state = result.get("state")
                print(f"{j.name}: {what} is {state}" if state else f"{j.name}: {what} done")
    return 1 if failed else 0


# --- host ---------------------------------------------------------------------------------------------------------
def host_info(args) -> int:
    with _connect(args) as conn:
        info = conn.host_info()
    if args.json:
        print(json.dumps(info, indent=2))
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
        ("Virtual machines", ", ".join(f"{n} {s}" for s, n in sorted(info["vm_states"].items())) or "none"),
        ("Host service", f"pid {info['pid']}, version {info['version']}, store {info['store']}"),
    ]
    if caps["kvm_extensions"]:
        rows.append(("KVM extensions", ", ".join(f"{k}={v}" for k, v in caps["kvm_extensions"].items())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
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


# --- vm -----------------------------------------------------------------------------------------------------------
def _vm_row(vm) -> list[str]:
    up = vm.uptime
    uptime = time.strftime("%H:%M:%S", time.gmtime(up)) if up else "-"
    if up >= 86400:
        uptime = f"{int(up // 86400)}d {uptime}"
    status = vm.reason or (vm.health_reason if vm.health not in ("", "OK") else "") or (
        f"heartbeat {vm.heartbeat}" if vm.heartbeat else "")
    if vm.device_failures:
        status = (status + "; " if status else "") + "failed: " + ", ".join(vm.device_failures)
    cpu = f"{vm.cpu_percent:.0f}%" if vm.cpu_percent is not None else "-"
    return [vm.name, vm.state, cpu, format_size(vm.memory) if vm.memory else "-", str(vm.vcpus or "-"), uptime,
            vm.health or "-", status]


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def vm_list(args) -> int:
    with _connect(args) as conn:
        vms = conn.vms()
    if args.json:
        print(json.dumps([v.to_dict() for v in vms], indent=2))
    elif not vms:
        print("No virtual machines. Create one: bulkhead vm new NAME")
    else:
        _table(["NAME", "STATE", "CPU", "MEMORY", "VCPUS", "UPTIME", "HEALTH", "STATUS"], [_vm_row(v) for v in vms])
    return 0


def vm_show(args) -> int:
    with _connect(args) as conn:
        vm = conn.vm(args.vm)
    if args.json:
        print(json.dumps(vm.to_dict(), indent=2))
        return 0
    rows = [("Name", vm.name), ("Id", vm.id), ("State", vm.state)]
    if vm.reason:
        rows.append(("Reason", vm.reason))
    if vm.memory:
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(vm.created)) if vm.created else "-"
        rows += [("Memory", format_size(vm.memory)), ("Processors", vm.vcpus), ("Image", vm.image or "-"),
                 ("Workload", vm.workload or "-"), ("Command line", vm.cmdline or "-"),
                 ("Automatic start", vm.automatic_start_action or "-"),
                 ("Automatic stop", vm.automatic_stop_action or "-"), ("Created", created),
                 ("Uptime", _vm_row(vm)[5]), ("Health", f"{vm.health} {vm.health_reason}".strip()),
                 ("Notes", vm.notes or "-")]
    if vm.memory:
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
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def vm_new(args) -> int:
    changes = _changes(args)
    if args.disk_size is not None:
        try:
            changes["disk_size"] = parse_size(args.disk_size)
        except ValueError as e:
            raise UsageError(f"--disk-size: {e}") from None
    from core.api.script import LIBVIRT_NEW_VM  # here, not at import: `bulkhead --help` stays quick

    for key in LIBVIRT_NEW_VM.keys() - {"disk_size"}:
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    with _connect(args) as conn:
        job = conn.new_vm(args.name, memory=changes.pop("memory", 64 << 20), start=args.start, **changes)
        return _finish(args, [job])


def vm_set(args) -> int:
    changes = _changes(args)
    if args.name is not None:
        changes["name"] = args.name
    if not changes:
        raise UsageError("nothing to change: give at least one setting (see bulkhead vm set --help)")
    with _connect(args) as conn:
        return _finish(args, [conn.set_vm(args.vm, **changes)])


def vm_simple(args) -> int:
    with _connect(args) as conn:
        method = {"start": conn.start_vm, "pause": conn.pause_vm, "resume": conn.resume_vm,
                  "restart": conn.restart_vm,
                  "remove": lambda vm: conn.remove_vm(vm, delete_storage=args.delete_storage)}[args.operation]
        return _finish(args, [method(name) for name in args.vms])


def vm_stop(args) -> int:
    with _connect(args) as conn:
        return _finish(args, [conn.stop_vm(name, mode=args.mode) for name in args.vms])


def vm_connect(args) -> int:
    from .console import attach

    with _connect(args) as conn:
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
    with _connect(args) as conn:
        jobs = []
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise UsageError(f"--set takes KEY=VALUE (got {item!r})")
            jobs.append(conn.kvp_set(args.vm, key, value).wait(check=True))
        for key in args.delete:
            jobs.append(conn.kvp_set(args.vm, key, None).wait(check=True))
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


def _seconds(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    raw = text.strip().lower()
    try:
        return float(raw[:-1]) * units[raw[-1]] if raw and raw[-1] in units else float(raw)
    except ValueError:
        raise UsageError(f"'{text}' is not a duration (try 60s, 10m, 1h)") from None


def vm_measure(args) -> int:
    with _connect(args) as conn:
        m = conn.measure_vm(args.vm, _seconds(args.window))
    if args.json:
        print(json.dumps(m, indent=2))
        return 0

    def size(n):
        return format_size(int(n)) if n is not None else "-"

    rows = [("VM", m["vm"]), ("Window", f"{m['window_seconds']:g} s ({m['samples']} samples, {m['resolution']})"),
            ("Average CPU", f"{m['average_cpu_percent']:.1f} %" if m["average_cpu_percent"] is not None else "-"),
            ("Average memory", size(m["average_memory_bytes"])), ("Maximum memory", size(m["maximum_memory_bytes"])),
            ("Minimum memory", size(m["minimum_memory_bytes"])), ("Assigned memory", size(m["assigned_memory_bytes"])),
            ("Dirty rate", f"{m['average_dirty_mib_s']:.1f} MiB/s" if m["average_dirty_mib_s"] is not None else "-"),
            ("Disk read", size(m["disk_read_bytes"])), ("Disk written", size(m["disk_write_bytes"])),
            ("Network in", size(m["network_in_bytes"])), ("Network out", size(m["network_out_bytes"])),
            ("Heartbeat", m["heartbeat"] or "-"), ("Health", m["health"])]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def alert_list(args) -> int:
    with _connect(args) as conn:
        alerts = conn.alerts(include_cleared=args.all, vm=args.vm)
    if args.json:
        print(json.dumps(alerts, indent=2))
    elif not alerts:
        print("No alerts." if not args.all else "No alerts in the history.")
    else:
        def when(t):
            return time.strftime("%m-%d %H:%M:%S", time.localtime(t)) if t else "-"

        _table(["ID", "SEVERITY", "RAISED", "TARGET", "STATE", "MESSAGE"],
               [[str(a["id"]), a["severity"], when(a["raised"]), a["target_name"],
                 ("active" if a["active"] else f"cleared {when(a['cleared'])}") + (" ack" if a["acknowledged"] else ""),
                 a["message"]] for a in alerts])
    return 0


def alert_verb(args) -> int:
    with _connect(args) as conn:
        for alert_id in args.alerts:
            a = conn.acknowledge_alert(alert_id) if args.operation == "ack" else conn.clear_alert(alert_id)
            print(f"alert {a['id']}: {'acknowledged' if args.operation == 'ack' else 'cleared'} ({a['message']})")
    return 0


def alert_rules(args) -> int:
    changes: dict[str, dict] = {}
    for item in args.set:
        target, sep, value = item.partition("=")
        rule, dot, fieldname = target.partition(".")
        if not sep or not dot:
            raise UsageError(f"--set takes RULE.FIELD=VALUE (got {item!r})")
        if fieldname == "enabled":
            if value.lower() not in ("true", "false", "on", "off", "yes", "no"):
                raise UsageError(f"{rule}.enabled takes true or false (got {value!r})")
            parsed = value.lower() in ("true", "on", "yes")
        elif fieldname in ("threshold", "duration"):
            try:
                parsed = _seconds(value) if fieldname == "duration" else float(value)
            except ValueError:
                raise UsageError(f"{rule}.{fieldname} takes a number (got {value!r})") from None
        elif fieldname == "severity":
            parsed = value
        else:
            raise UsageError(f"unknown rule field '{fieldname}' (enabled, threshold, duration, severity)")
        changes.setdefault(rule, {"id": rule})[fieldname] = parsed
    with _connect(args) as conn:
        rules = conn.set_alert_rules(list(changes.values())) if changes else conn.alert_rules()
    if args.json:
        print(json.dumps(rules, indent=2))
    else:
        _table(["RULE", "ON", "THRESHOLD", "DURATION", "SEVERITY", "DESCRIPTION"],
               [[r["id"], "yes" if r["enabled"] else "no", f"{r['threshold']:g}", f"{r['duration']:g}s",
                 r["severity"], r["description"]] for r in rules])
    return 0


def host_pools(args) -> int:
    with _connect(args) as conn:
        pools = conn.storage_pools()
    if args.json:
        print(json.dumps(pools, indent=2))
    elif not pools:
        print("No storage pools. Define one on the host: virsh pool-define-as default dir --target "
              "/var/lib/libvirt/images")
    else:
        _table(["NAME", "STATE", "CAPACITY", "AVAILABLE", "PATH"],
               [[p["name"], "active" if p["active"] else "inactive", format_size(p["capacity"]),
                 format_size(p["available"]), p["path"] or "-"] for p in pools])
    return 0


def switch_list(args) -> int:
    with _connect(args) as conn:
        switches = conn.switches()
    if args.json:
        print(json.dumps(switches, indent=2))
    elif not switches:
        print("No virtual switches. Create one: bulkhead switch new NAME")
    else:
        _table(["NAME", "TYPE", "SUBNET", "VMS", "FORWARDED", "FLOODED"],
               [[s["name"], s["type"], s["subnet"], ", ".join(s["vms"]) or "-", str(s["forwarded"]),
                 str(s["flooded"])] for s in switches])
    return 0


def switch_new(args) -> int:
    with _connect(args) as conn:
        s = conn.new_switch(args.name, args.type).wait(check=True).result
    print(f"virtual switch '{s['name']}' ({s['type']}, {s['subnet']}) created")
    return 0


def switch_remove(args) -> int:
    with _connect(args) as conn:
        conn.remove_switch(args.name).wait(check=True)
    print(f"virtual switch '{args.name}' removed")
    return 0


# --- job ----------------------------------------------------------------------------------------------------------
def _job_row(j) -> list[str]:
    when = time.strftime("%H:%M:%S", time.localtime(j.created))
    took = f"{j.ended - j.started:.2f}s" if j.ended and j.started else "-"
    return [str(j.id), j.name, j.target_name or j.target[:8], j.state, f"{j.progress}%", when, took,
            j.error or j.message or ""]


def job_list(args) -> int:
    with _connect(args) as conn:
        jobs = conn.jobs(limit=args.limit, vm=args.vm, active=args.active)
    if args.json:
        print(json.dumps([j.to_dict() for j in jobs], indent=2))
    elif not jobs:
        print("No jobs.")
    else:
        _table(["ID", "NAME", "TARGET", "STATE", "PROGRESS", "CREATED", "TOOK", "MESSAGE"], [_job_row(j) for j in jobs])
    return 0


def job_verb(args) -> int:
    with _connect(args) as conn:
        if args.operation == "show":
            job = conn.job(args.job)
        elif args.operation == "wait":
            job = conn.wait_job(args.job, args.timeout)
        else:
            job = conn.cancel_job(args.job)
    if args.json:
        print(json.dumps(job.to_dict(), indent=2))
    else:
        for key, value in (("Job", job.id), ("Name", job.name), ("Target", job.target_name or job.target),
                           ("State", job.state), ("Progress", f"{job.progress}%"), ("Message", job.message or "-"),
                           ("Error", job.error or "-")):
            print(f"{key:<9} {value}")
    return 1 if args.operation == "wait" and job.state == "Failed" else 0


# --- script -------------------------------------------------------------------------------------------------------
def script_run(args) -> int:
    import os
    import runpy
    from pathlib import Path

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path}: no such script")
    if getattr(args, "home", None):
        os.environ["BULKHEAD_HOME"] = str(Path(args.home).resolve())
    saved = sys.argv
    sys.argv = [str(path), *args.args]
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = saved
    return 0


# --- run ----------------------------------------------------------------------------------------------------------
def vm_run(args) -> int:
    try:
        memory = parse_size(args.memory)
    except ValueError as e:
        raise UsageError(f"--memory: {e}") from None
    from core.engine import Hypervisor, PartitionConfig
    from core.engine.platform import validate_layout
    from resources import GUEST_IMAGE

    try:
        validate_layout(memory, args.vcpus)
    except ValueError as e:
        raise UsageError(str(e)) from None
    hv = Hypervisor(args.backend)
    if hv.notice:
        print(f"bulkhead: {hv.notice}", file=sys.stderr)
    words = [f"workload={args.workload}", f"hostname={args.name}"] + args.cmdline.split()
    config = PartitionConfig(args.name, memory, str(args.image or GUEST_IMAGE), args.vcpus, " ".join(words))
    try:
        partition = hv.create_partition(config)
    except ValueError as e:  # a refused image or layout: the person's input
        raise UsageError(str(e)) from None
    from .console import attach

    print(f"Starting VM '{args.name}' ({format_size(memory)}, {args.vcpus} vCPU, {hv.backend.description}). "
          "Ctrl+] detaches.", file=sys.stderr)
    partition.start()

    def subscribe(show):
        listener = lambda _p, data: show(data)  # noqa: E731
        partition.on_serial.append(listener)
        return lambda: partition.on_serial.remove(listener)

    def stopped():
        return partition.state.value if partition.state.value in ("Off", "Critical", "Saved") else None

    try:
        why = attach(partition.serial_history(), partition.send_serial, subscribe, stopped)
    finally:
        if partition.state.value in ("Running", "Paused"):
            partition.turn_off()
        hv.shutdown()
    state = partition.state.value
    detail = f": {partition.reason}" if partition.reason else ""
    print(f"\r\nbulkhead: {why}; VM '{args.name}' is {state}{detail}" if why in ("detached", "end of input")
          else f"\r\nbulkhead: VM '{args.name}' is {state}{detail}", file=sys.stderr)
    return 1 if state == "Critical" else 0


def open_console(args) -> int:
    from gui.app import main as console_main

    argv = ["--home", args.home] if getattr(args, "home", None) else []
    return int(console_main(argv) or 0)


# --- completion ---------------------------------------------------------------------------------------------------
def completion(args) -> int:
    from . import _parser

    parser = _parser()
    lines = ["# bash completion for bulkhead: eval \"$(bulkhead completion bash)\"", "_bulkhead() {",
             "  local cur=${COMP_WORDS[COMP_CWORD]} prev_words=\"${COMP_WORDS[*]:1:COMP_CWORD-1}\"",
             "  case \"$prev_words\" in"]
    entries: list[tuple[str, list[str]]] = []

    def walk(p, prefix: str) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        options = [o for a in p._actions for o in a.option_strings if o.startswith("--")]
        words = options
        for s in subs:
            words = list(s.choices) + options
            for name, child in s.choices.items():
                walk(child, f"{prefix} {name}".strip())
        entries.append((prefix, words))

    walk(parser, "")
    for prefix, words in sorted(entries, key=lambda e: -len(e[0])):
        pattern = f"\"{prefix}\"*" if prefix else "*"
        lines.append(f"    {pattern}) COMPREPLY=($(compgen -W \"{' '.join(words)}\" -- \"$cur\")); return;;")
    lines += ["  esac", "}", "complete -o default -F _bulkhead bulkhead"]
    print("\n".join(lines))
    return 0
