"""`bulkhead host ...`: this host (info with its limits, the host service, a libvirt host's pools), the saved
connections of every kind (add, list, remove), and the certificates and allow-list of bulkhead+tls://."""

from __future__ import annotations

import json
import os
import sys
import time

from core.model.errors import BulkheadError
from core.model.params import Param
from core.model.units import format_size

from .common import connect, declared, examples, host_path, number, pairs, print_list, table, whole
from .i18n import _, state_word
from .placement import register_rate

_TIMEOUT = Param("timeout", "float", 10.0, min=0.1, max=600.0)  # how long host list waits for a host at most


def register(sub) -> None:
    host = sub.add_parser("host", help=_("this host: capabilities, the host service"))
    hs = host.add_subparsers(dest="verb", metavar="VERB")
    p = hs.add_parser("info", help=_("hardware virtualization, processors, memory, limits, the backend in use"),
                      **examples(_("  bulkhead host info\n  bulkhead host info --json\n")))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=host_info)
    p = hs.add_parser("serve", help=_("run the host service in the foreground (normally started on first use)"),
                      **examples(_("  bulkhead host serve\n"
                                 "  bulkhead host serve --listen 0.0.0.0         also over TLS on port 16600\n"
                                 "  bulkhead host serve --listen [::1]:17000\n"
                                 "  bulkhead host serve --listen off             no TLS any more\n")))
    p.add_argument("--backend", choices=("auto", "kvm", "emulation"), default=None)
    listen = p.add_mutually_exclusive_group()
    listen.add_argument("--listen", metavar="ADDR[:PORT]", default=None,
                        help=_("also serve over TLS 1.3 with client certificates (bulkhead+tls://; off unless given; "
                             "see bulkhead host certs, bulkhead host allow); kept for later starts, also on first "
                             "use; 'off' forgets it"))
    listen.add_argument("--no-listen", action="store_true", help=_("serve no TLS, and forget the address kept by "
                                                                 "--listen"))
    p.set_defaults(func=host_serve)
    p = hs.add_parser("proxy", help=_("bridge stdin/stdout to this user's host service, starting it if needed "
                                    "(what a bulkhead+ssh:// connection runs on the far side)"))
    p.set_defaults(func=host_proxy)
    p = hs.add_parser("stop", help=_("stop the host service (each VM's automatic stop action applies)"))
    p.set_defaults(func=host_stop)
    p = hs.add_parser("pools", help=_("a libvirt host's storage pools (where vm new --disk-size makes volumes)"),
                      **examples(_("  bulkhead --connect qemu:///system host pools\n")))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=host_pools)
    register_browse(hs)
    register_host_verbs(hs)
    register_tls_verbs(hs)
    register_rate(hs)


def register_browse(hs) -> None:
    p = hs.add_parser("browse", help=_("list a folder of the host, with its free space (the host's paths)"),
                      **examples(_("  bulkhead host browse                   the host's default folder (its store)\n"
                                   "  bulkhead host browse /srv/images --kinds .vhd,.iso\n"
                                   "  bulkhead --connect bulkhead+tls://rack1 host browse /srv --folders\n")))
    p.add_argument("path", nargs="?", default="", help=_("a folder on the host (on another machine: its absolute "
                                                       "path there; default: the host's store or home)"))
    p.add_argument("--kinds", default=None, metavar=".EXT,...", help=_("only files with these extensions "
                                                                     "(folders are always listed)"))
    p.add_argument("--folders", action="store_true", help=_("folders only"))
    p.add_argument("--limit", type=whole(_("entries"), declared("host.browse", "limit")), default=2000,
                   help=_("list at most this many entries (default: 2000)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=host_browse)


def register_host_verbs(hs) -> None:
    """``host add|remove|list``: the saved connections (remote Bulkhead hosts, libvirt hosts), on the subparsers of
    a ``host`` noun."""
    p = hs.add_parser("add", help=_("save a connection: a Bulkhead host over SSH or TLS, or a libvirt host"),
                      **examples(_("  bulkhead host add bulkhead+ssh://admin@rack1 --name rack1 --group Lab\n"
                                 "  bulkhead host add bulkhead+tls://rack2.example.org --check\n"
                                 "  bulkhead host add qemu+ssh://admin@rack3/system --name rack3\n"
                                 "  bulkhead host add test:///default --name demo\n")))
    p.add_argument("uri", help=_("bulkhead+ssh://user@host[:port][/?home=PATH], bulkhead+tls://host[:16600], "
                               "qemu:///system, qemu+ssh://user@host/system, test:///default"))
    p.add_argument("--name", default="", help=_("display name (default: from the URI)"))
    p.add_argument("--group", default="", help=_("host group in the navigation tree"))
    p.add_argument("--check", action="store_true", help=_("connect once and report the status (version, VMs, "
                                                        "latency)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_add)
    p = hs.add_parser("remove", help=_("forget a saved connection (nothing on the host changes)"),
                      **examples(_("  bulkhead host remove rack1\n  bulkhead host remove qemu:///system\n")))
    p.add_argument("connection", help=_("its URI or name"))
    p.set_defaults(func=host_remove)
    p = hs.add_parser("list", help=_("the saved connections of every kind (--status connects to each)"),
                      **examples(_("  bulkhead host list\n  bulkhead host list --status --json\n")))
    p.add_argument("--status", action="store_true", help=_("connect to each (in parallel, with a timeout)"))
    p.add_argument("--timeout", type=number(_("seconds"), _TIMEOUT), default=10.0,
                   help=_("seconds to wait for each host (default: 10)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_list)


def register_tls_verbs(hs) -> None:
    """``host certs ...`` and ``host allow|deny|clients``: certificates and the allow-list of TLS clients."""
    p = hs.add_parser("certs", help=_("certificates for bulkhead+tls:// (a CA, this host's, clients')"),
                      **examples(_("  on the host:   bulkhead host certs ca\n"
                                 "                 bulkhead host certs host rack1.example.org 192.0.2.10\n"
                                 "                 bulkhead host certs client laptop --allow\n"
                                 "  on the client: bulkhead host certs import ./laptop   (the folder made above)\n"
                                 "  bulkhead host certs show\n")))
    cs = p.add_subparsers(dest="certs_verb", metavar="VERB")
    c = cs.add_parser("ca", help=_("make a certificate authority here (once; it signs host and client certificates)"))
    c.add_argument("--name", default="", help=_("its common name (default: Bulkhead CA on HOSTNAME)"))
    c.add_argument("--days", type=whole(_("days")), default=3650, help=_("valid for this many days (default: 3650)"))
    c.set_defaults(func=certs_ca)
    c = cs.add_parser("host", help=_("this host's certificate, for the names clients dial (subjectAltName)"))
    c.add_argument("names", nargs="*", metavar="NAME", help=_("DNS names and IP addresses (default: this machine's "
                                                            "names, localhost, 127.0.0.1, ::1)"))
    c.add_argument("--days", type=whole(_("days")), default=825, help=_("valid for this many days (default: 825)"))
    c.set_defaults(func=certs_host)
    c = cs.add_parser("client", help=_("a client certificate and bundle (ca-cert.pem, client-cert.pem, "
                                     "client-key.pem) to copy to that client"))
    c.add_argument("name", help=_("the client's name, as the allow-list names it"))
    c.add_argument("--days", type=whole(_("days")), default=825, help=_("valid for this many days (default: 825)"))
    c.add_argument("--out", default=None, help=_("folder for the bundle (default: issued/NAME in the certificate "
                                               "folder)"))
    c.add_argument("--allow", action="store_true", help=_("also put the name on this host's allow-list"))
    c.set_defaults(func=certs_client, raw=("out",))
    c = cs.add_parser("import", help=_("take a client bundle as this machine's identity for bulkhead+tls://"))
    c.add_argument("bundle", help=_("the folder bulkhead host certs client made"))
    c.set_defaults(func=certs_import, raw=("bundle",))
    c = cs.add_parser("show", help=_("the certificates and the allow-list here"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=certs_show)
    p = hs.add_parser("allow", help=_("accept a TLS client by its certificate's name"),
                      **examples(_("  bulkhead host allow laptop\n")))
    p.add_argument("name")
    p.set_defaults(func=host_allow)
    p = hs.add_parser("deny", help=_("no longer accept a TLS client (from its next connection)"),
                      **examples(_("  bulkhead host deny laptop\n")))
    p.add_argument("name")
    p.set_defaults(func=host_deny)
    p = hs.add_parser("clients", help=_("the TLS clients this host accepts"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=host_clients)


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
        (_("Backend"), info["backend_description"]),
        (_("KVM"), "usable" if caps["kvm_usable"] else f"not usable: {caps['kvm_problem']}"),
        (_("KVM module"), caps["kvm_module"] or "-"),
        (_("KVM API version"), caps["kvm_api_version"] if caps["kvm_api_version"] is not None else "-"),
        (_("Processor"), caps["cpu_model"] or "-"),
        (_("Logical processors"), caps["logical_processors"]),
        (_("Memory"), format_size(caps["memory_bytes"])),
        *(_limit_rows(limits) if limits else [(_("Limits"), f"unknown: {unknown}")]),
        (_("Virtual machines"), ", ".join(f"{n} {s}" for s, n in sorted(info["vm_states"].items())) or "none"),
        (_("Host service"), f"pid {info['pid']}, version {info['version']}, store {info['store']}"),
    ]
    if caps["kvm_extensions"]:
        rows.append((_("KVM extensions"), ", ".join(f"{k}={v}" for k, v in caps["kvm_extensions"].items())))
    pairs(rows)
    if info["notice"]:
        print(_("\nNote: {notice}").format(notice=info['notice']))
    return 0


def host_serve(args) -> int:
    import logging

    from core.hosts.paths import HostPaths
    from core.local import listen_address
    from core.local.server import serve

    paths = HostPaths.resolve(getattr(args, "home", None))
    listen = args.listen
    if args.no_listen or listen_address.is_off(listen):
        listen_address.save_listen(paths, None)
        _not_running(paths, "the TLS address is forgotten, but a host service already serves {data} (it still "
                            "serves TLS if it did): stop it (bulkhead host stop); the next one will not listen")
        listen = None
    elif listen:
        _not_running(paths)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return serve(paths, args.backend, listen=listen, remember=bool(listen))


def _not_running(paths, message: str = "a host service already serves {data}: stop it first (bulkhead host stop), "
                                      "then run bulkhead host serve --listen again") -> None:
    """UsageError (``message``) if a host service already serves this store (TLS is set when it starts)."""
    from core.api.transport import SocketTransport
    from core.model.errors import UsageError

    try:
        SocketTransport(paths.socket).close()
    except (OSError, BulkheadError):
        return
    raise UsageError(message.format(data=paths.data))


def host_proxy(args) -> int:
    from core.remote.proxy import run

    return run(getattr(args, "home", None))


def _remote(args) -> bool:
    from core.remote import is_remote_uri

    return is_remote_uri(getattr(args, "connect", None))


def host_stop(args) -> int:
    from core import api
    from core.model.errors import ServiceUnavailable

    if _remote(args):  # another machine's service: asked to stop, it says so; its pid is not ours to watch
        with connect(args) as conn:
            pid = conn.host_info()["pid"]
            conn.call("host.stop")
        print(_("host service {pid} on {connect} stopping (each VM's automatic stop action applies)").format(
            pid=pid, connect=args.connect))
        return 0
    try:
        conn = api.connect(getattr(args, "home", None), autostart=False)
    except ServiceUnavailable:
        print(_("no host service is running"))
        return 0
    with conn:
        pid = conn.host_info()["pid"]
        conn.call("host.stop")
    print(_("host service {pid} stopping (each VM's automatic stop action applies)...").format(pid=pid), flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print(_("host service stopped"))
            return 0
        time.sleep(0.05)
    print(_("bulkhead: host service {pid} is still stopping after 120 s").format(pid=pid), file=sys.stderr)
    return 1


def host_pools(args) -> int:
    with connect(args) as conn:
        pools = conn.storage_pools()
    return print_list(args, pools, _("No storage pools. Define one on the host: virsh pool-define-as default dir "
                                     "--target /var/lib/libvirt/images"),
                      [_("NAME"), _("STATE"), _("CAPACITY"), _("AVAILABLE"), _("PATH")],
                      lambda p: [p["name"], "active" if p["active"] else "inactive", format_size(p["capacity"]),
                                 format_size(p["available"]), p["path"] or "-"])


def host_browse(args) -> int:
    kinds = ["dir"] if args.folders else None
    if args.kinds is not None and not args.folders:
        kinds = [k.strip() if k.strip().startswith(".") else "." + k.strip() for k in args.kinds.split(",")
                 if k.strip()]
    path = host_path(args.path, args, "host browse")
    with connect(args) as conn:
        listing = conn.browse(path or "", kinds=kinds, limit=args.limit)
    if args.json:
        print(json.dumps(listing, indent=2))
        return 0
    print(_("{path}  ({free} free of {total})").format(path=listing["path"], free=format_size(listing["free_bytes"]),
                                                        total=format_size(listing["total_bytes"])))
    entries = listing["entries"]
    if not entries:
        print(_("Nothing here that --kinds or --folders keeps") if kinds is not None else _("Nothing here"))
    else:
        table([_("TYPE"), _("SIZE"), _("MODIFIED"), _("NAME")], [_browse_row(e) for e in entries])
    if listing.get("truncated"):
        print(_("(only the first {entries} entries are shown: give --limit or a narrower --kinds)").format(
            entries=len(entries)))
    return 0


def _browse_row(e: dict) -> list[str]:
    folder = e["type"] == "dir" or e.get("target") == "dir"
    name = e["name"] + ("/" if folder else "") + (f" -> ({e.get('target')})" if e["type"] == "link" else "")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e["mtime"])) if e.get("mtime") is not None else "-"
    return [e["type"], format_size(e["size"]) if e.get("size") is not None else "-", when, name]


# --- saved connections of every kind ------------------------------------------------------------------------------
def probe(uri: str, data_dir=None, timeout: float = 10.0) -> dict:
    """The status of one connection attempt within ``timeout`` (api.test_connection; ``data_dir`` is not used)."""
    from core import api

    try:
        return api.test_connection(uri, timeout=timeout)
    except BulkheadError as e:  # a saved URI this version no longer takes: its status says why
        return {"state": "disconnected", "reason": str(e), "uri": uri}


def _facts(s: dict) -> str:
    """', Embedded engine (KVM) 1.2, 3 VMs, 0.8 ms' from a status, as far as the host told."""
    out = ""
    if s.get("hypervisor"):
        out += f", {s['hypervisor']}" + (f" {s['version']}" if s.get("version") else "")
    if s.get("vms") is not None and s.get("state") == "connected":
        out += ", " + _("{n} VMs").format(n=s["vms"])
    if s.get("latency_ms") is not None and s.get("state") == "connected":
        out += f", {s['latency_ms']:g} ms"
    return out


def host_add(args) -> int:
    from core import api

    entry = api.add_connection(args.uri, name=args.name, group=args.group, home=getattr(args, "home", None))
    if args.check:
        entry["status"] = probe(entry["uri"])
    if args.json:
        print(json.dumps(entry, indent=2))
        return 0
    saved = _("saved {uri} as '{name}' in group {group}") if entry["group"] else _("saved {uri} as '{name}'")
    print(saved.format(uri=entry["uri"], name=entry["name"], group=entry["group"]))
    if args.check:
        s = entry["status"]
        print(f"{entry['name']}: {state_word(s['state'])}" + (f" ({s['reason']})" if s.get("reason") else "")
              + _facts(s))
    return 0


def host_remove(args) -> int:
    from core import api

    entry = api.remove_connection(args.connection, home=getattr(args, "home", None))
    print(_("forgot '{name}' ({uri})").format(name=entry['name'], uri=entry['uri']))
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
        print(_("No saved connections. Add one: bulkhead host add bulkhead+ssh://user@host (or bulkhead+tls://host, "
              "qemu:///system)"))
        return 0
    header = ["NAME", "KIND", "URI", "GROUP"] + (["STATUS"] if args.status else [])
    rows = []
    for item in items:
        row = [item["name"], item.get("kind", ""), item["uri"], item["group"] or "-"]
        if args.status:
            s = item["status"]
            row.append(s["state"] + (f": {s['reason']}" if s.get("reason") else _facts(s)))
        rows.append(row)
    table(header, rows)
    sys.stdout.flush()
    return 0


# --- certificates and the allow-list (bulkhead+tls://) ------------------------------------------------------------
def _pki(args):
    from core.hosts.certs import Pki, pki_dir

    return Pki(pki_dir(getattr(args, "home", None)))


def _cert_line(what: str, cert: dict) -> str:
    names = f" for {', '.join(cert['names'])}" if cert.get("names") else ""
    return f"{what} '{cert['subject']}'{names}, valid until {cert['not_after'][:10]} ({cert['path']})"


def certs_ca(args) -> int:
    cert = _pki(args).make_ca(args.name, days=args.days)
    print(_cert_line("made the CA", cert))
    return 0


def certs_host(args) -> int:
    cert = _pki(args).make_host(args.names or None, days=args.days)
    print(_cert_line("made the host certificate", cert))
    print(_("serve over TLS with: bulkhead host serve --listen 0.0.0.0"))
    return 0


def certs_client(args) -> int:
    pki = _pki(args)
    cert = pki.make_client(args.name, days=args.days, out=args.out)
    print(_cert_line("made the client certificate", cert))
    if args.allow:
        pki.allow(args.name)
        print(_("'{name}' is on the allow-list").format(name=args.name))
    print((_("copy {bundle} to the client and run there: bulkhead host certs import FOLDER") if args.allow else
           _("copy {bundle} to the client and run there: bulkhead host certs import FOLDER; accept it here with: "
             "bulkhead host allow {name}")).format(bundle=cert["bundle"], name=args.name))
    return 0


def certs_import(args) -> int:
    pki = _pki(args)
    cert = pki.import_bundle(args.bundle)
    print(_cert_line("this machine's client certificate is", cert))
    return 0


def certs_show(args) -> int:
    info = _pki(args).show()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    rows = [(_("Folder"), info["folder"])]
    for what, label in (("ca", "CA"), ("host", "Host certificate"), ("client", "Client certificate")):
        cert = info[what]
        rows.append((label, f"{cert['subject']}" + (f" ({', '.join(cert['names'])})" if cert["names"] else "")
                     + f", until {cert['not_after'][:10]}, sha256 {cert['sha256'][:23]}..." if cert else "none"))
    rows.append((_("CA key"), "here (this machine signs certificates)" if info["ca_key"] else "not here"))
    rows.append((_("Allowed clients"), ", ".join(c["name"] for c in info["allowed"]) or "none"))
    pairs(rows)
    return 0


def host_allow(args) -> int:
    _pki(args).allow(args.name)
    print(_("'{name}' may connect over TLS (from its next connection)").format(name=args.name))
    return 0


def host_deny(args) -> int:
    _pki(args).deny(args.name)
    print(_("'{name}' may no longer connect over TLS (from its next connection)").format(name=args.name))
    return 0


def host_clients(args) -> int:
    pki = _pki(args)
    items = pki.allowed()
    issued = set(pki.show()["issued"])
    if args.json:
        print(json.dumps([i | {"issued_here": i["name"] in issued} for i in items], indent=2))
        return 0
    if not items:
        print(_("No TLS clients are allowed. Allow one: bulkhead host allow NAME"))
        return 0
    table([_("NAME"), _("ALLOWED"), _("CERTIFICATE")],
          [[i["name"], time.strftime("%Y-%m-%d %H:%M", time.localtime(i.get("added", 0))),
            "issued here" if i["name"] in issued else "-"] for i in items])
    return 0
