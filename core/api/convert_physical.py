"""Converting a physical machine onto a host (docs/conversion.md, SCVMM's Convert Physical Server):
``conn.scan_physical`` and ``conn.convert_physical``, and the readable lines of a scan (the command line prints them;
the console shows the same)."""

from __future__ import annotations

from typing import Any

from .convert import given, size_text

GiB = 1 << 30
MiB = 1 << 20


def scan_physical(conn, from_: str = "") -> dict:
    """{source: SourceVm dict, scan: {...}} of this machine ("") or ``ssh://user@host[:port]``, as the host sees
    it (the scan runs on the host)."""
    return conn.call("host.scan", **({"from_": from_} if from_ else {}))


def physical_params(from_: str = "", disks=(), name: str = "", path: str = "", network_map: dict | None = None,
                    freeze: bool = False, notes: str = "", vhd_type: str = "dynamic") -> dict:
    """vm.convert.physical's parameters: those that are given, the rest left at the host's defaults (a dynamic
    VHD's type is the default)."""
    return given(from_=from_, disks=[str(d) for d in disks or ()], name=name, path=path,
                 network_map=dict(network_map or {}), freeze=bool(freeze),
                 vhd_type="" if vhd_type == "dynamic" else vhd_type, notes=notes)


def convert_physical(conn, from_: str = "", disks=(), name: str = "", path: str = "", network_map: dict | None = None,
                     dry_run: bool = False, freeze: bool = False, notes: str = "", vhd_type: str = "dynamic") -> Any:
    """The dry run's dict ``{source, plan, report, ok, scan}``, or the host's "Convert physical server" job.
    ``notes``: the new VM's notes (the host adds where it came from); ``vhd_type``: "dynamic" (sparse) or "fixed"
    (all of the disk's size allocated) VHDs."""
    params = physical_params(from_, disks, name, path, network_map, freeze, notes, vhd_type)
    if dry_run:
        return conn.call("vm.convert.physical", dry_run=True, **params)
    return conn._wrap(conn.call("vm.convert.physical", **params))


_size = size_text


def _node_lines(node: dict, depth: int) -> list[str]:
    fs = node.get("filesystem") or {}
    what = ", ".join(x for x in (fs.get("type"), f"mounted at {fs['mountpoint']}" if fs.get("mountpoint") else "",
                                 "read-only" if node.get("ro") else "", "removable" if node.get("rm") else "",
                                 node.get("model")) if x)
    lines = [f"{'  ' * depth}{node.get('path')} ({node.get('type')}, {_size(node.get('size'))}"
             f"{', ' + what if what else ''})"]
    for child in node.get("partitions") or node.get("children") or ():
        lines += _node_lines(child, depth + 1)
    return lines


def scan_lines(answer: dict) -> list[str]:
    """A scan as lines a person reads: the machine, its processors and memory, its disks (partitions and file
    systems indented below them), its adapters, the warnings."""
    s = answer.get("scan") or {}
    lines = [f"Machine: {s.get('machine', '')} ({s.get('host_name') or 'no host name'}), {s.get('os') or 'OS unknown'}",
             f"Processors: {s.get('processors') or '?'}" + (f" ({s['processor_model']})" if s.get("processor_model")
                                                            else ""),
             f"Memory: {_size(s.get('memory'))}", f"Firmware: {s.get('firmware') or 'unknown'}", "Disks:"]
    for d in s.get("disks") or ():
        lines += _node_lines(d, 1)
    lines.append("Network adapters:")
    for a in s.get("adapters") or ():
        if a.get("loopback"):
            continue
        lines.append(f"  {a.get('name')} {a.get('mac') or '(no MAC)'} {a.get('state', '')} "
                     f"{' '.join(a.get('addresses') or ()) or '(no address)'}".rstrip())
    for w in s.get("warnings") or ():
        lines.append(f"warning: {w}")
    if "seconds" in s:
        lines.append(f"Scanned in {s['seconds']:.2f} s")
    return lines
