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
