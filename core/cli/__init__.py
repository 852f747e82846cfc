"""The `bulkhead` command line. Exit codes: 0 success, 1 the operation failed, 2 a usage error.

Start-up stays light: heavy modules (the engine, Qt, numpy) are imported by the command that needs them.
"""

from __future__ import annotations

import argparse
import sys

EXAMPLES = """examples:
  bulkhead run                              boot the bundled guest and attach to its serial console
  bulkhead run --memory 256M --vcpus 2 --workload cpu:50
  bulkhead run --backend emulation          run under CPU emulation even where KVM works
  bulkhead host info --json                 what this host offers (KVM, processors, memory)
"""


class UsageError(Exception):
    """Bad input from the person at the keyboard: exit code 2."""


def _parser() -> argparse.ArgumentParser:
    from .commands import register

    parser = argparse.ArgumentParser(
        prog="bulkhead",
        description="Bulkhead: virtual machines on an embedded hypervisor (Linux KVM, or emulation).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        print(f"bulkhead: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bulkhead: interrupted", file=sys.stderr)
        return 1
    except Exception as e:  # every failure is one readable line; the traceback only on request
        import os

        if os.environ.get("BULKHEAD_DEBUG"):
            raise
        print(f"bulkhead: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
