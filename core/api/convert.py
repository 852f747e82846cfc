"""Converting a VM of another platform onto a host (docs/conversion.md): ``conn.convert_vm`` and the readable
lines of a dry run's plan and report (the command line prints them; the console shows the same)."""

from __future__ import annotations

from typing import Any

MiB = 1 << 20
GiB = 1 << 30


def given(**params) -> dict:
    """The parameters that are given (not empty, not False), in order: a request names only those and leaves the
    host's defaults for the rest."""
    return {key: value for key, value in params.items() if value}


def convert_params(source: str, name: str = "", path: str = "", network_map: dict | None = None,
                   notes: str = "") -> dict:
    """vm.convert's parameters: the source, and the name, folder, network map and notes where they are given."""
    return {"source": source, **given(name=name, path=path, network_map=dict(network_map or {}), notes=notes)}


def convert_vm(conn, source: str, name: str = "", path: str = "", network_map: dict | None = None,
               dry_run: bool = False, notes: str = "") -> Any:
    """The dry run's dict ``{source, plan, report, ok}``, or the host's "Convert VM" job. ``notes``: the VM's
    notes ("" keeps the source's)."""
    params = convert_params(source, name, path, network_map, notes)
    if dry_run:
        return conn.call("vm.convert", dry_run=True, **params)
    return conn._wrap(conn.call("vm.convert", **params))


def report_lines(report: list[dict]) -> list[str]:
    """One line a report entry: "warning: ..." / "info: ..."."""
    return [f"{n.get('severity', 'info')}: {n.get('text', '')}" for n in report or ()]


def network_hints(answer: dict) -> list[str]:
    """The command line's hint for each adapter of a plan left not connected while the source named its network."""
    nets = (n.get("source_network") for n in (answer.get("plan") or {}).get("nics") or () if not n.get("switch"))
    return [f"hint: give --network-map {net}=SWITCH to connect the adapter of {net!r}"
            for net in dict.fromkeys(n for n in nets if n)]


def size_text(n) -> str:
    """A size as the lines say it: GiB from 1 GiB on (one decimal), else MiB."""
    n = int(n or 0)
    return f"{n / GiB:.1f} GiB" if n >= GiB else f"{n / MiB:.0f} MiB"


def plan_lines(answer: dict) -> list[str]:
    """A dry run's answer as lines a person reads: where from, the VM's settings, its disks and adapters."""
    src = answer.get("source") or {}
    plan = answer.get("plan") or {}
    s = plan.get("settings") or {}
    lines = [f"Source: {src.get('format', '?')} {src.get('path', '')}" + (f" ({src['name']})" if src.get("name")
                                                                            else ""),
             f"VM: {plan.get('name', '')} on a {plan.get('kind', '')} host, {int(s.get('memory') or 0) // MiB} MiB, "
             f"{s.get('vcpus', 1)} virtual processor{'s' if s.get('vcpus', 1) != 1 else ''}",
             f"Folder: {plan.get('folder') or '(the host VM store)'}"]
    for d in plan.get("disks") or ():
        size = f", {size_text(d['capacity'])}" if d.get("capacity") else ""
        lines.append(f"Disk: {d.get('source')} ({d.get('source_format') or 'format unknown'}{size}) -> "
                     f"{d.get('target')} ({d.get('target_format')})" + ("" if d.get("attach") else ", not attached"))
    for n in plan.get("nics") or ():
        where = f"switch {n['switch']}" if n.get("switch") else "not connected"
        was = f" (was {n['source_network']})" if n.get("source_network") else ""
        lines.append(f"Network adapter: {where}{was}")
    return lines


def rate_host(conn, memory: int, vcpus: int = 1, disk_bytes: int = 0, name: str = "") -> dict:
    """Select Host's rating of ``conn``'s host for the VM a conversion makes (``memory`` bytes, ``vcpus``, its disks'
    ``disk_bytes``), as the migration's ratings rate a host (core.hosts.rating: 0-5 half stars with the
    explanation's lines; a host it does not fit gets 0 with the reason), with a line saying whether the converted
    guest boots there. Whether the host takes conversions at all is its capability's, not the rating's."""
    from core.hosts import rating

    from . import placement

    figures = placement.host_figures(conn, name)
    figures["problems"] = []  # a host that takes no moves now still takes conversions
    load = {"state": "Off", "memory_bytes": max(0, int(memory or 0)), "vcpus": max(1, int(vcpus or 1))}
    if disk_bytes and int(disk_bytes) > 0:  # else the rating's default (the size of disks not known yet)
        load["disk_bytes"] = int(disk_bytes)
    rated = rating.rate(load, [figures])[0]
    if figures.get("kind") == "libvirt":
        rated["explanation"].append("The converted guest boots here (under QEMU)")
    elif figures.get("kind"):
        rated["explanation"].append("The guest's operating system does not boot on the embedded engine: its disks "
                                    "are kept for the bundled guest")
    return rated
