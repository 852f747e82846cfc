"""Nouns and verbs of the command line."""

from __future__ import annotations

import json
import sys

from . import UsageError
from .units import format_size, parse_size


def register(sub) -> None:
    host = sub.add_parser("host", help="this host: capabilities and resources")
    host_sub = host.add_subparsers(dest="verb", metavar="VERB")
    info = host_sub.add_parser("info", help="hardware virtualization, processors, memory, the backend in use")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=host_info)

    run = sub.add_parser(
        "run",
        help="boot a VM from a guest image and attach to its serial console (Ctrl+] detaches and turns it off)",
        description="Boot a VM in this process from the bundled guest (or another ELF64 image) and attach the "
        "terminal to its serial console. Ctrl+] detaches and turns the VM off.",
    )
    run.add_argument("--name", default="demo", help="VM name (default: demo)")
    run.add_argument("--memory", default="64M", help="guest memory, e.g. 64M or 2G (default: 64M)")
    run.add_argument("--vcpus", type=int, default=1, help="virtual processors (default: 1)")
    run.add_argument("--image", help="guest image (default: the bundled guest kernel)")
    run.add_argument("--workload", default="idle", help="idle, cpu:N, dirty:N or bursty (default: idle)")
    run.add_argument("--cmdline", default="", help="extra guest command line words")
    run.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None,
                     help="hypervisor backend (default: auto, KVM where usable)")
    run.set_defaults(func=vm_run)


def host_info(args) -> int:
    from core.engine.capability import probe

    caps = probe()
    backend = "kvm" if caps.kvm_usable else "emulation"
    if args.json:
        print(json.dumps(caps.as_dict() | {"backend": backend}, indent=2))
        return 0
    rows = [
        ("Backend", "KVM (hardware virtualization)" if caps.kvm_usable else "CPU emulation (Unicorn) - much slower"),
        ("KVM", "usable" if caps.kvm_usable else f"not usable: {caps.kvm_problem}"),
        ("KVM module", caps.kvm_module or "-"),
        ("KVM API version", caps.kvm_api_version if caps.kvm_api_version is not None else "-"),
        ("Processor", caps.cpu_model or "-"),
        ("CPU flags", " ".join(caps.cpu_virtualization_flags) or "-"),
        ("Logical processors", caps.logical_processors),
        ("Memory", format_size(caps.memory_bytes)),
    ]
    if caps.kvm_extensions:
        rows.append(("KVM extensions", ", ".join(f"{k}={v}" for k, v in caps.kvm_extensions.items())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


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
    try:
        why = attach(partition)
    finally:
        if partition.state.value in ("Running", "Paused"):
            partition.turn_off()
        hv.shutdown()
    state = partition.state.value
    print(f"\r\nbulkhead: VM '{args.name}' {why}; it is {state}" + (f": {partition.reason}" if partition.reason else ""),
          file=sys.stderr)
    return 1 if state == "Critical" else 0
