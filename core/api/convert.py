"""Converting a VM of another platform onto a host (docs/conversion.md): ``conn.convert_vm`` and the readable
lines of a dry run's plan and report (the command line prints them; the console shows the same)."""

from __future__ import annotations

from typing import Any

MiB = 1 << 20


def given(**params) -> dict:
    """The parameters that are given (not empty, not False), in order: a request names only those and leaves the
    host's defaults for the rest."""
    return {key: value for key, value in params.items() if value}


def convert_params(source: str, name: str = "", path: str = "", network_map: dict | None = None) -> dict:
    """vm.convert's parameters: the source, and the name, folder and network map where they are given."""
    return {"source": source, **given(name=name, path=path, network_map=dict(network_map or {}))}


def convert_vm(conn, source: str, name: str = "", path: str = "", network_map: dict | None = None,
               dry_run: bool = False) -> Any:
    """The dry run's dict ``{source, plan, report, ok}``, or the host's "Convert VM" job."""
    params = convert_params(source, name, path, network_map)
    if dry_run:
        return conn.call("vm.convert", dry_run=True, **params)
    return conn._wrap(conn.call("vm.convert", **params))


def report_lines(report: list[dict]) -> list[str]:
    """One line a report entry: "warning: ..." / "info: ..."."""
    return [f"{n.get('severity', 'info')}: {n.get('text', '')}" for n in report or ()]


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
        size = f", {int(d.get('capacity') or 0) / (1 << 30):.1f} GiB" if d.get("capacity") else ""
        lines.append(f"Disk: {d.get('source')} ({d.get('source_format') or 'format unknown'}{size}) -> "
                     f"{d.get('target')} ({d.get('target_format')})" + ("" if d.get("attach") else ", not attached"))
    for n in plan.get("nics") or ():
        where = f"switch {n['switch']}" if n.get("switch") else "not connected"
        was = f" (was {n['source_network']})" if n.get("source_network") else ""
        lines.append(f"Network adapter: {where}{was}")
    return lines
