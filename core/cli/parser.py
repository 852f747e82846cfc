"""The `bulkhead` parser, assembled from one module per noun (each has ``register(subparsers)``)."""

from __future__ import annotations

import argparse
import os

from . import alert, completion, convert, disk, host, job, run, script, switch, vm
from .common import Parser

EXAMPLES = """examples:
  bulkhead vm new web1 --memory 256M --workload cpu:25 --start
  bulkhead vm list
  bulkhead vm connect web1                  serial console (Ctrl+] detaches)
  bulkhead vm stop web1                     shut down; --turn-off or --save as Stop-VM
  bulkhead job list
  bulkhead host info
  bulkhead script run lab.py                automate with the Python API (from core import api)
  bulkhead run                              a throwaway VM in this process, no host service
  bulkhead --connect bulkhead+ssh://admin@rack1 vm list      a Bulkhead host over SSH (your keys and ssh config)
  bulkhead --connect bulkhead+tls://rack1 vm list            over TLS (bulkhead host certs; host serve --listen)
  bulkhead host add bulkhead+tls://rack1 --group Lab         saved for the console and host list

The host service (bulkhead host serve) starts on first use and keeps the VMs running after a command exits.
BULKHEAD_HOME or --home chooses where VMs, jobs and the service's socket live. Paths (--disk, --image, disk new)
are resolved against the current folder before they are sent, except on a remote Bulkhead host or a libvirt host
that is another machine (paths there are that host's).
"""
NOUNS = (host, vm, convert, alert, switch, disk, job, script, run, completion)  # as `bulkhead --help` lists them


def build() -> argparse.ArgumentParser:
    parser = Parser(
        prog="bulkhead",
        description="Bulkhead: virtual machines on an embedded hypervisor (Linux KVM, or emulation).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--home", help="folder for VMs, jobs and the host service socket (default: per user)")
    parser.add_argument("--connect", metavar="URI", default=os.environ.get("BULKHEAD_CONNECT"),
                        help="another host instead of the local host service (like virsh -c): a Bulkhead host "
                             "over SSH (bulkhead+ssh://user@host) or TLS (bulkhead+tls://host[:16600]), or a "
                             "libvirt host (qemu:///system, qemu+ssh://user@host/system, test:///default); "
                             "default: BULKHEAD_CONNECT")
    sub = parser.add_subparsers(dest="noun", metavar="COMMAND")
    for noun in NOUNS:
        noun.register(sub)
    return parser
