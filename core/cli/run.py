"""`bulkhead run`: a throwaway VM in this process, no host service; `bulkhead console`: the Qt console."""

from __future__ import annotations

import sys

from core.model.errors import UsageError
from core.model.units import format_size, parse_size

from .common import host_path, whole
from .i18n import _, size_problem, state_word


def register(sub) -> None:
    p = sub.add_parser(
        "run", help=_("boot a throwaway VM in this process and attach to its console (Ctrl+] ends it)"),
        description=_("Boot a VM in this process from the bundled guest (or another ELF64 image) and attach the "
        "terminal to its serial console. Ctrl+] detaches and turns the VM off. Nothing is stored."))
    p.add_argument("--name", default="demo", help=_("VM name (default: demo)"))
    p.add_argument("--memory", default="64M", help=_("guest memory, e.g. 64M or 2G (default: 64M)"))
    p.add_argument("--vcpus", type=whole(_("virtual processors")), default=1, help=_("virtual processors (default: 1)"))
    p.add_argument("--image", help=_("guest image (default: the bundled guest kernel)"))
    p.add_argument("--workload", default="idle", help=_("idle, cpu:N, dirty:N or bursty (default: idle)"))
    p.add_argument("--cmdline", default="", help=_("extra guest command line words"))
    p.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None,
                   help=_("hypervisor backend (default: auto, KVM where usable)"))
    p.set_defaults(func=vm_run)

    p = sub.add_parser("console", help=_("open the Qt console (the default way to use Bulkhead)"))
    p.add_argument("--lang", help=_("the console's language, e.g. de or en (default: BULKHEAD_LANG, the console's "
                                  "saved preference, else the system's)"))
    desktop = p.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop", action="store_true",
                         help=_("add Bulkhead to this user's application menu (desktop entry, AppStream metainfo and "
                              "icons under XDG_DATA_HOME or ~/.local/share) instead of opening the console"))
    desktop.add_argument("--uninstall-desktop", action="store_true", help=_("remove what --install-desktop added"))
    p.set_defaults(func=open_console)


def vm_run(args) -> int:
    try:
        memory = parse_size(args.memory)
    except ValueError as e:
        raise UsageError(_("--memory: {e}").format(e=size_problem(e))) from None
    image = host_path(args.image, args, "--image")
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
    config = PartitionConfig(args.name, memory, str(image or GUEST_IMAGE), args.vcpus, " ".join(words))
    try:
        partition = hv.create_partition(config)
    except ValueError as e:  # a refused image or layout: the person's input
        hv.shutdown()
        raise UsageError(str(e)) from None
    from .console import attach

    print(_("Starting VM '{name}' ({memory}, {vcpus} vCPU, {backend}). Ctrl+] detaches.").format(
        name=args.name, memory=format_size(memory), vcpus=args.vcpus, backend=hv.backend.description), file=sys.stderr)
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
    said = {"detached": _("detached"), "end of input": _("end of input")}.get(why)
    shown = state_word(state)
    print(_("\r\nbulkhead: {why}; VM '{name}' is {state}{detail}").format(
        why=said, name=args.name, state=shown, detail=detail) if said
          else _("\r\nbulkhead: VM '{name}' is {state}{detail}").format(
              name=args.name, state=shown, detail=detail), file=sys.stderr)
    return 1 if state == "Critical" else 0


def open_console(args) -> int:
    """The console is the layer above core: it runs as its own program (python -m gui), never imported here."""
    import os

    if getattr(args, "install_desktop", False) or getattr(args, "uninstall_desktop", False):
        from .desktop import install, uninstall

        (install if args.install_desktop else uninstall)()
        return 0
    argv = ["--home", args.home] if getattr(args, "home", None) else []
    if getattr(args, "lang", None):
        argv += ["--lang", args.lang]  # the console checks it (a bad one exits 2 with a one-line message)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "gui", *argv])
    return 1  # not reached: execv replaces this process or raises OSError
