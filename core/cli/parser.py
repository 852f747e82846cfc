"""The `bulkhead` parser, assembled from one module per noun (each has ``register(subparsers)``)."""

from __future__ import annotations

import argparse
import importlib
import os

from .common import Parser
from .i18n import N_, _

EXAMPLES = N_("""examples:
  bulkhead vm new web1 --memory 256M --workload cpu:25 --start
  bulkhead vm list
  bulkhead vm connect web1                  serial console (Ctrl+] detaches)
  bulkhead vm stop web1                     shut down; --turn-off or --save as Stop-VM
  bulkhead checkpoint new web1 'before update'   then: checkpoint list web1 --tree, checkpoint apply ...
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
""")
NOUNS = ("host", "vm", "checkpoint_noun", "convert", "alert", "switch", "disk", "job", "script", "run",
         "completion")  # their modules, as `bulkhead --help` lists them; the nouns a module registers, where they
# are not its name:
MODULE_OF = {"console": "run", "checkpoint": "checkpoint_noun"}
_VALUED = ("--home", "--connect", "--lang")  # the options before the noun that take a value


def noun_of(argv: list[str]) -> str | None:
    """The noun a command line names (``vm`` in ``bulkhead --connect URI vm list``), or None."""
    return _words(argv)[0]


def verb_of(argv: list[str]) -> str | None:
    """The verb after the noun (``list`` in ``bulkhead --connect URI vm list``), or None."""
    return _words(argv)[1]


def _words(argv: list[str]) -> tuple[str | None, str | None]:
    found: list[str] = []
    words = iter(argv)
    for word in words:
        if word in _VALUED and not found:
            next(words, None)
        elif word.startswith("-") and not found:
            continue
        elif not found:
            found.append(word)
        else:
            if not word.startswith("-"):
                found.append(word)
            break
    return (found + [None, None])[0], (found + [None, None])[1]


def version() -> str:
    """This Bulkhead's version: the installed package's, else (a checkout run without installing) pyproject's."""
    from importlib import metadata

    try:
        return metadata.version("bulkhead")
    except metadata.PackageNotFoundError:
        pass
    import tomllib
    from pathlib import Path

    try:
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


class _Version(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata is not free at every start)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"bulkhead {version()}")
        parser.exit()


def build(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the command line, only the noun it names is built (a cold `bulkhead vm list` need not
    import every other noun's module), else every noun (help, completion, a mistyped noun's choices)."""
    parser = Parser(
        prog="bulkhead",
        description=_("Bulkhead: virtual machines on an embedded hypervisor (Linux KVM, or emulation)."),
        epilog=_(EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help=_("print the version and exit"))
    parser.add_argument("--home", help=_("folder for VMs, jobs and the host service socket (default: per user)"))
    parser.add_argument("--connect", metavar="URI", default=os.environ.get("BULKHEAD_CONNECT"),
                        help=_("another host instead of the local host service (like virsh -c): a Bulkhead host "
                             "over SSH (bulkhead+ssh://user@host) or TLS (bulkhead+tls://host[:16600]), or a "
                             "libvirt host (qemu:///system, qemu+ssh://user@host/system, test:///default); "
                             "default: BULKHEAD_CONNECT"))
    parser.add_argument("--lang", metavar="LANG",
                        help=_("the language of help and messages: de or en (default: BULKHEAD_LANG, else the "
                               "system's locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG)"))
    sub = parser.add_subparsers(dest="noun", metavar="COMMAND")
    named = noun_of(argv) if argv is not None else None
    module = MODULE_OF.get(named, named)
    verb = verb_of(argv) if argv is not None and module in NOUNS else None
    for name in (module,) if module in NOUNS else NOUNS:
        mod = importlib.import_module(f"{__package__}.{name}")
        if verb is not None and getattr(mod, "VERBS_ON_DEMAND", False):
            mod.register(sub, only=verb)  # this verb alone (see core.cli.vm)
        else:
            mod.register(sub)
    return parser
