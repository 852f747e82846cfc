"""The `bulkhead` command line. Exit codes: 0 success, 1 the operation failed, 2 a usage error.

Start-up stays light: heavy modules (the engine, Qt, numpy) are imported by the command that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys

from core.model.errors import BulkheadError, UsageError

EXAMPLES = """examples:
  bulkhead vm new web1 --memory 256M --workload cpu:25 --start
  bulkhead vm list
  bulkhead vm connect web1                  serial console (Ctrl+] detaches)
  bulkhead vm stop web1                     shut down; --turn-off or --save as Stop-VM
  bulkhead job list
  bulkhead host info
  bulkhead script run lab.py                automate with the Python API (from core import api)
  bulkhead run                              a throwaway VM in this process, no host service

The host service (bulkhead host serve) starts on first use and keeps the VMs running after a command exits.
BULKHEAD_HOME or --home chooses where VMs, jobs and the service's socket live.
"""

__all__ = ["UsageError", "main"]


def _parser() -> argparse.ArgumentParser:
    from .commands import register

    parser = argparse.ArgumentParser(
        prog="bulkhead",
        description="Bulkhead: virtual machines on an embedded hypervisor (Linux KVM, or emulation).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--home", help="folder for VMs, jobs and the host service socket (default: per user)")
    parser.add_argument("--connect", metavar="URI", default=os.environ.get("BULKHEAD_CONNECT"),
                        help="a libvirt host instead of the local host service (like virsh -c): qemu:///system, "
                             "qemu+ssh://user@host/system, test:///default")
    sub = parser.add_subparsers(dest="noun", metavar="COMMAND")
    register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse prints its own one-line message and uses 2 for usage errors
        return int(e.code or 0)
    if not getattr(args, "func", None):
        # a noun without a verb: show that noun's help
        sub = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if args.noun and sub:
            sub[0].choices[args.noun].print_help()
        else:
            parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        print(f"bulkhead: {e}", file=sys.stderr)
        return 2
    except BulkheadError as e:
        print(f"bulkhead: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bulkhead: interrupted", file=sys.stderr)
        return 1
    except Exception as e:  # every failure is one readable line; the traceback only on request
        if os.environ.get("BULKHEAD_DEBUG"):
            raise
        print(f"bulkhead: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
