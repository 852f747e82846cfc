"""Converting a VM of another platform onto a host (vm.convert, docs/conversion.md): the dry run that reads the
source and plans it without writing anything, the conversion itself (a job the session follows), its View Script,
and what the Convert Virtual Machine wizard shows of each host that could take it."""

from __future__ import annotations

from core.api.convert import convert_params, rate_host
from core.model.errors import BulkheadError
from gui.i18n import translate
from gui.operations import HostOp


def dry_run(session, source: str, name: str = "", path: str = "", network_map: dict | None = None,
            owner=None, notes: str = "") -> HostOp:
    """{source, plan, report, ok}: what the host reads at ``source`` (a path on that host) and would make of it;
    nothing is written. ``notes``: the VM's notes ("" the source's)."""
    params = convert_params(source, name, path, network_map, notes)
    return HostOp(session, lambda conn: conn.convert_vm(dry_run=True, **params),
                  title=translate("ConvertOperations", "Cannot read the source"), target=source, owner=owner)


def convert(session, source: str, name: str = "", path: str = "", network_map: dict | None = None,
            owner=None, notes: str = "") -> HostOp:
    """The host's "Convert VM" job (the session follows it; its result is {vm, report, disks, folder})."""
    params = convert_params(source, name, path, network_map, notes)
    return HostOp(session, lambda conn: conn.convert_vm(**params),
                  title=translate("ConvertOperations", "Virtual machine not converted"), target=name or source,
                  owner=owner)


def steps(source: str, name: str = "", path: str = "", network_map: dict | None = None,
          notes: str = "") -> list[tuple[str, dict]]:
    """The one step View Script renders for a conversion."""
    return [("convert vm", convert_params(source, name, path, network_map, notes))]


def script(session, source: str, name: str = "", path: str = "", network_map: dict | None = None,
           owner=None, notes: str = "") -> HostOp:
    """The command line and Python script that make this conversion (a core.api Script)."""
    chosen = steps(source, name, path, network_map, notes)
    return HostOp(session, lambda conn: conn.script_steps(chosen),
                  title=translate("ConvertOperations", "No script"), owner=owner)


def _free_memory(conn) -> int | None:
    try:
        series = conn.metrics_history("host", 60, ["memory_used", "memory_total"]).get("series") or {}
    except BulkheadError:
        return None
    used = next((v for v in reversed(series.get("memory_used") or []) if v is not None), None)
    total = next((v for v in reversed(series.get("memory_total") or []) if v is not None), None)
    return None if used is None or total is None else max(0, int(total - used))


def host_facts(session, owner=None, load: dict | None = None) -> HostOp:
    """{kind, capabilities, memory_free (None: not measured), memory_total, store, rating} of one host; ``rating``
    (core.api.convert.rate_host's, None when not asked or not given) rates it for a VM with ``load`` ({memory,
    vcpus, disk_bytes})."""
    def work(conn) -> dict:
        caps = conn.capabilities()
        info = conn.host_info()
        total = (info.get("capabilities") or {}).get("memory_bytes")
        rated = None
        if load:
            try:
                rated = rate_host(conn, name=session.host_label, **load)
            except BulkheadError:
                rated = None
        return {"kind": caps.get("kind", ""), "capabilities": caps, "memory_free": _free_memory(conn),
                "memory_total": total, "store": info.get("store", ""), "rating": rated}

    return HostOp(session, work, title=translate("ConvertOperations", "Host information unavailable"),
                  target=session.host_label, owner=owner)
