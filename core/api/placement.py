"""Before a move, from the client: the precheck's rows, the prediction and the hosts' ratings.

    rows = conn.move_precheck("web1", to=other)            # {"rows": [...], "ok", "type", ...}
    guess = conn.move_predict("web1", to=other)             # {"total_s", "downtime_s", "rounds", ...}
    stars = api.rate_hosts(conn, "web1", [a, b, "bulkhead+tls://rack3"], goal="balance")

The pure parts live in core/hosts (precheck.py, prediction.py, rating.py); this module gathers their figures from
the hosts through the protocol (``vm.move.describe`` and ``vm.measure`` on the source, ``vm.move.check``,
``host.info``, ``host.limits`` and ``metrics.history`` on each destination). Every call blocks on the hosts: the
console calls these off its GUI thread.
"""

from __future__ import annotations

import math
import statistics

from core.hosts import precheck, prediction, rating
from core.model.errors import BulkheadError, Unavailable, UsageError
from core.model.phrase import phrase
from core.model.units import format_size

from .move import open_destination as _open

MiB = 1 << 20
SAVE_RATE = 400 * MiB  # writing a saved state, when nothing was measured (a sparse memory image to a local disk)
RESTORE_RATE = 800 * MiB  # reading one back
WINDOW = 30.0  # seconds of a VM's dirty rate and writes a prediction averages
RATING_WINDOW = 600.0  # seconds of history a rating reads (hosts' CPU load, the VM's load)
HOST_VMS_MAX = 32  # running VMs per host whose I/O is read for its rating
SPARK_POINTS = 60
SWITCH_MOVES = 5  # completed moves whose switch-over cost a prediction takes the median of
MOVE_JOBS = ("Migrate VM", "Move VM", "Move VM storage")


# --- connections ------------------------------------------------------------------------------------------------
def _name(conn) -> str:
    """How a host is named to people (and in a move's job result): its description, else its URI."""
    return getattr(conn, "description", "") or getattr(conn, "uri", "") or "the destination"


def _identity(info: dict) -> tuple:
    return info.get("store"), info.get("pid"), info.get("started"), info.get("hostname"), info.get("uri")


def _not_offered(e: BulkheadError) -> bool:
    """The host does not have the method: refused with its reason, or (an older version) unknown to it."""
    return isinstance(e, Unavailable) or (isinstance(e, UsageError) and str(e).startswith("unknown method"))


def _kind(conn) -> str:
    try:
        return conn.capabilities().get("kind", "")
    except BulkheadError:
        return ""


# --- the VM's description ----------------------------------------------------------------------------------------
def describe(conn, vm: str) -> dict:
    """The VM as a destination's check takes it: ``vm.move.describe`` where the source offers it, else what
    ``vm.show`` says (no disk identities or image checksum: those disks count as to be copied)."""
    kind = _kind(conn)
    try:
        d = conn.call("vm.move.describe", vm=vm)
    except BulkheadError as e:
        if not _not_offered(e):
            raise
        d = None
    if d is None:
        shown = conn.call("vm.show", vm=vm)
        disks = [{"path": shown["disk"], "format": shown.get("disk_format", "")}] if shown.get("disk") else []
        d = {"id": shown.get("id", ""), "name": shown["name"], "state": shown.get("state", ""),
             "memory": shown.get("memory") or 1, "vcpus": shown.get("vcpus") or 1, "disks": disks,
             "network_adapters": [{"switch": shown["network"]}] if shown.get("network") else [],
             "image": {"path": "" if shown.get("image") in ("", "bundled") else shown.get("image", ""),
                       "bundled": shown.get("image") in ("", "bundled")}}
    d.setdefault("kind", kind)
    return d


# --- bandwidth ---------------------------------------------------------------------------------------------------
def _positive(value) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    return float(value) if ok else None


def _job_bandwidth(result: dict) -> float | None:
    if _positive(result.get("bandwidth")):
        return _positive(result.get("bandwidth"))
    rounds = [b for b in (_positive(r.get("bandwidth")) for r in result.get("rounds") or [] if isinstance(r, dict))
              if b]
    return sum(rounds) / len(rounds) if rounds else None


def _job_switch(result: dict, link: float | None) -> float | None:
    """The fixed switch-over cost of a move: its downtime less the last pages' time at its bandwidth."""
    downtime = _positive(result.get("downtime_s"))
    if downtime is None or not link:
        return None
    last = result.get("stop_copy_bytes")
    last = last if isinstance(last, (int, float)) and not isinstance(last, bool) and last >= 0 else 0
    return max(0.0, downtime - last / link)


def _recent_moves(src, dst, most: int = 1) -> list[dict]:
    """The results of the last ``most`` completed moves from ``src`` to ``dst``, newest first."""
    names = {n for n in (getattr(dst, "uri", ""), getattr(dst, "description", "")) if n}
    try:
        jobs = src.jobs(limit=200)
    except BulkheadError:
        return []
    found = []
    for job in jobs:
        result = job.result if isinstance(job.result, dict) else {}
        if job.state == "Completed" and job.name in MOVE_JOBS and result.get("destination") in names \
                and _job_bandwidth(result):
            found.append(result)
            if len(found) >= most:
                break
    return found


def _last_move(src, dst) -> dict | None:
    found = _recent_moves(src, dst)
    return found[0] if found else None


def measured_bandwidth(src, dst) -> float | None:
    """The bandwidth (bytes/s) the last completed move from ``src`` to ``dst`` measured (its job's result:
    "bandwidth", or the mean of its rounds' "bandwidth"; "destination" names the host as its URI or description),
    or None when no move between them is on record."""
    result = _last_move(src, dst)
    return _job_bandwidth(result) if result else None


def round0_bandwidth(src, dst) -> float | None:
    """What the link carried in the last move's round 0 (the resident pages: the longest, steadiest round), or its
    "bandwidth" where it has no rounds."""
    result = _last_move(src, dst)
    if not result:
        return None
    rounds = [r for r in result.get("rounds") or [] if isinstance(r, dict)]
    return (_positive(rounds[0].get("bandwidth")) if rounds else None) or _job_bandwidth(result)


def measured_switch(src, dst) -> tuple[float, str]:
    """(seconds, "measured" | "assumed"): the fixed switch-over cost of a live move to ``dst``: the median over the
    last SWITCH_MOVES completed live moves' jobs (each: downtime_s less stop_copy_bytes at its round 0's bandwidth;
    one move with a busy guest or a loaded machine does not set the next prediction), else the engine's typical
    figure."""
    costs = []
    for result in _recent_moves(src, dst, SWITCH_MOVES):
        rounds = [r for r in result.get("rounds") or [] if isinstance(r, dict)]
        link = (_positive(rounds[0].get("bandwidth")) if rounds else None) or _job_bandwidth(result)
        cost = _job_switch(result, link)
        if cost is not None:
            costs.append(cost)
    return (statistics.median(costs), "measured") if costs else (prediction.SWITCH_S, "assumed")


def choose_bandwidth(src, dst, given: float | None) -> tuple[float, str, str]:
    """(bytes/s, "given" | "measured" | "assumed", the note to show or ""). A given limit is the link's nominal
    rate: when the last move to ``dst`` carried between half of it and all of it (the same link, less the protocol's
    and TCP's overhead), that measured rate is the one used."""
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, (int, float)) or not math.isfinite(given) or given < 0:
            raise UsageError(f"bandwidth must be a finite number of bytes/s (got {given!r:.40})")
        if given > 0:
            found = round0_bandwidth(src, dst)
            if found and given / 2 <= found <= given:
                return found, "measured", (f"bandwidth {found / MiB:.1f} MiB/s, what the last move's round 0 carried "
                                           f"under the {given / MiB:.1f} MiB/s limit given")
            return float(given), "given", ""
    found = measured_bandwidth(src, dst)
    if found:
        return found, "measured", f"bandwidth {found / MiB:.0f} MiB/s, as the last move between these hosts measured"
    assumed = prediction.ASSUMED_BANDWIDTH
    return float(assumed), "assumed", phrase("bandwidth not measured; assumed {rate} MiB/s", rate=str(assumed // MiB))


# --- the precheck ------------------------------------------------------------------------------------------------
def move_precheck(src, vm: str, to, type: str = "auto", path: str = "", network_map: dict | None = None,
                  bandwidth: float | None = None) -> dict:
    """The precheck of moving ``vm`` from ``src`` to ``to`` (a Connection or a URI): {"vm", "destination", "type",
    "type_reason", "rows": [{severity, topic, text, hint, ...}], "ok", "errors", "warnings", "bandwidth",
    "bandwidth_source"}. Errors block the move; warnings do not."""
    network_map = precheck.check_network_map(network_map)
    dst, close = _open(to)
    try:
        desc = describe(src, vm)
        chosen, why = precheck.choose_type(desc.get("state", ""), type)
        rows = precheck.source_rows(desc, chosen)
        link, source, note = choose_bandwidth(src, dst, bandwidth)
        if note and source == "assumed":
            rows.append(precheck.row("info", "bandwidth", note, phrase("give a bandwidth to time the copies at your "
                                                                       "link's rate (--bandwidth 100M)")))
        same = _identity(src.host_info()) == _identity(dst.host_info())
        if same and chosen != "storage":
            rows.append(precheck.row("error", "host", phrase("the destination is the VM's own host"),
                                     phrase("choose another host, or move only its storage (--type storage --path "
                                            "DIR)")))
        else:
            timed = link if source != "assumed" else 0.0
            there = _destination_rows(dst, desc, chosen, path, network_map, timed)
            if type == "auto" and chosen == "live" and any(r["topic"] == "type" and r["severity"] == "error"
                                                           for r in there):
                # as the destination's prepare decides: files to copy make an automatic live move a quick one
                chosen, why = "quick", phrase("the VM is {state}, but its files are not all on the destination: it "
                                              "is saved, moved and restored", state=str(desc.get("state")))
                rows = precheck.source_rows(desc, chosen) + rows[1:]
                there = _destination_rows(dst, desc, chosen, path, network_map, timed)
            rows += there
        return {"vm": desc.get("name", vm), "destination": _name(dst), "type": chosen, "type_reason": why,
                "rows": rows, **precheck.summary(rows), "bandwidth": link, "bandwidth_source": source}
    finally:
        if close:
            dst.close()


def bulk_precheck(src, params: dict[str, dict], to) -> dict:
    """The precheck of moving several VMs of ``src`` to one host ``to`` (``params``: VM name -> move_precheck's
    options): {"rows" (each VM's rows with its name before the text and in "vm", then the rows of all of them
    together: their combined memory against the destination's free memory), "types": name -> (type, reason),
    "ok", "errors", "warnings", "type", "type_reason" (the first VM's)}."""
    if not isinstance(params, dict) or not params:
        raise UsageError("give at least one VM to check")
    dst, close = _open(to)
    try:
        rows, types, together = [], {}, []
        for name, p in params.items():
            p = p or {}
            r = move_precheck(src, name, dst, **{k: v for k, v in p.items() if v or k == "type"})
            types[name] = (r.get("type", ""), r.get("type_reason", ""))
            rows += [dict(row, vm=name, text=f"{name}: {row.get('text', '')}") for row in r.get("rows") or []]
            together.append({"name": name, "memory": describe(src, name).get("memory") or 0, "type": r.get("type")})
        rows += precheck.combined_rows(together, _host_history(dst, 60.0)["memory_free"])
        first = types[next(iter(params))]
        return {"rows": rows, "types": types, **precheck.summary(rows), "type": first[0], "type_reason": first[1]}
    finally:
        if close:
            dst.close()


def _destination_rows(dst, desc: dict, type: str, path: str, network_map: dict, bandwidth: float) -> list[dict]:
    try:
        return dst.call("vm.move.check", vm=desc, type=type, path=path, network_map=network_map or None,
                        bandwidth=float(bandwidth))
    except BulkheadError as e:
        if not _not_offered(e):
            raise
    # a host that does not check moves itself: what its general figures tell
    checked = precheck.check_description(desc)
    facts = generic_facts(dst)
    rows = precheck.destination_rows(checked, facts, type, network_map, bandwidth)
    rows.append(precheck.row("warning", "host", "the destination does not check moves itself: disks, the guest "
                                                "image and versions were not checked there",
                             "expect the move to check them when it starts"))
    return rows


def generic_facts(dst) -> dict:
    """A destination's facts for the row builder from the methods every host has (its image, disks, protocol and
    folder unknown)."""
    info = dst.host_info()
    limits = dst.limits()
    caps = info.get("capabilities") or {}
    try:
        switches = [s["name"] for s in dst.switches()]
    except BulkheadError:
        switches = []
    history = _host_history(dst, 60.0)
    return {"kind": _kind(dst), "backend": _backend(info), "kvm": caps.get("kvm_usable"),
            "memory_free": history["memory_free"],
            "memory_max": limits.memory_max, "vcpus_max": limits.vcpus_max,
            "logical_processors": caps.get("logical_processors"), "switches": switches,
            "vms": [{"id": v.id, "name": v.name} for v in dst.vms()], "protocol": None, "image": None,
            "disks": {}, "folder": {"path": "", "free": history["storage_free"]}}


def _backend(info: dict) -> str:
    backend = info.get("backend") or ""
    if backend == "libvirt":
        kvm = (info.get("capabilities") or {}).get("kvm_usable")
        return "libvirt (KVM)" if kvm else "libvirt (emulation)"
    return backend


# --- the prediction ----------------------------------------------------------------------------------------------
def move_predict(src, vm: str, to, bandwidth: float | None = None, downtime_limit: float = 0.05, type: str = "auto",
                 window: float = WINDOW, copy_bytes: int | None = None) -> dict:
    """The prediction of moving ``vm`` from ``src`` to ``to``: a live move's {"type", "total_s", "data_bytes",
    "rounds", "downtime_s", "converges", "reason", "hint", "per_round", ...} (core/hosts/prediction.py), with
    "storage" (the disks copied first) where disks are not shared, and "vm", "destination", "bandwidth",
    "bandwidth_source", "dirty_rate", "resident_bytes", "downtime_limit", "window_s", "measured": {"dirty_rate",
    "resident", "bandwidth"}, "notes": [lines saying what was assumed], "switch_source" ("measured" | "assumed"),
    "model": [lines on how the live model's figures were taken]. A live move is predicted as the engine runs it
    (prediction.predict_engine: its stop rule and auto-converge, the switch-over cost learned from the last move).
    ``copy_bytes`` (the disks to copy, from a
    precheck) saves asking the destination again."""
    dst, close = _open(to)
    try:
        desc = describe(src, vm)
        chosen, _why = precheck.choose_type(desc.get("state", ""), type)
        link, source, note = choose_bandwidth(src, dst, bandwidth)
        notes = [note] if note and source == "assumed" else []
        if copy_bytes is None:
            checked = move_precheck(src, vm, dst, type, bandwidth=link)
            chosen = checked["type"]
            copy_bytes = sum(r.get("bytes") or 0 for r in checked["rows"] if r["topic"] in ("disk", "image"))
        elif isinstance(copy_bytes, bool) or not isinstance(copy_bytes, int) or copy_bytes < 0:
            raise UsageError(f"copy_bytes must be a whole number of bytes (got {copy_bytes!r:.40})")
        figures = _vm_rates(src, vm, window, desc)
        figures["switch_s"], switch_source = measured_switch(src, dst)
        notes += figures["notes"]
        result = _predict(chosen, desc, figures, link, downtime_limit, copy_bytes)
        model = list(figures["model"])
        if chosen == "live":
            model.append(f"switch-over cost {figures['switch_s'] * 1000:.0f} ms, " + (
                "as the last move to this host measured (its downtime less its last pages at its bandwidth)"
                if switch_source == "measured"
                else "not measured (no earlier move to this host): only the resume, so the downtime is a lower bound"))
            if note and source == "measured" and bandwidth:
                model.append(note)
        result.update(switch_source=switch_source, model=model)
        result.update(vm=desc.get("name", vm), destination=_name(dst), bandwidth=link, bandwidth_source=source,
                      dirty_rate=figures["dirty_rate"], resident_bytes=figures["resident"],
                      downtime_limit=downtime_limit, window_s=window, copy_bytes=copy_bytes, notes=notes,
                      measured={"dirty_rate": figures["dirty_measured"], "resident": figures["resident_measured"],
                                "bandwidth": source != "assumed"})
        return result
    finally:
        if close:
            dst.close()


def _vm_rates(src, vm: str, window: float, desc: dict) -> dict:
    """The VM's dirty rate (bytes/s, mean over ``window``), disk write rate and resident memory, and notes on what
    was not measured."""
    notes = []
    try:
        m = src.measure_vm(vm, seconds=max(1.0, window))
    except BulkheadError:
        m = {}
    dirty_mib = m.get("average_dirty_mib_s")
    running = desc.get("state") in precheck.RUNNING
    if dirty_mib is None and running:
        if desc.get("kind") == "libvirt":
            notes.append("dirty rate not measured: libvirt hosts do not report one to Bulkhead (domdirtyrate is not "
                         "read); assumed 0, so the time and downtime are lower bounds")
        else:
            notes.append(f"dirty rate not measured in the last {window:.0f} s; assumed 0, so the time and downtime "
                         "are lower bounds")
    resident = desc.get("resident_bytes") or m.get("average_memory_bytes")
    resident_measured = resident is not None
    if resident is None:
        resident = desc.get("memory") or 0
        if running:
            notes.append(f"resident memory not measured; assumed all of it ({format_size(int(resident))})")
    written = m.get("disk_write_bytes") or 0
    # a round's dirtied pages are unique pages: the per-second rate x the round's length, capped by the writable
    # working set (the unique pages dirtied over the longer window) where the host reports one
    wws = m.get("wws_bytes")
    wws = float(wws) if isinstance(wws, (int, float)) and not isinstance(wws, bool) and wws >= 0 else None
    model = []
    if wws is None and dirty_mib and running:
        model.append("writable working set not measured: each round counts the dirty rate x its length (an upper "
                     "bound when the guest rewrites the same pages)")
    return {"wws": wws, "model": model, "dirty_rate": (dirty_mib or 0.0) * MiB, "dirty_measured": dirty_mib is not None,
            "resident": int(resident), "resident_measured": resident_measured,
            "write_rate": written / max(1.0, window), "notes": notes}


def _predict(type: str, desc: dict, f: dict, link: float, downtime_limit: float, copy: int) -> dict:
    if type == "live":
        result = prediction.predict_engine(f["resident"], f["dirty_rate"], link, downtime_limit,
                                           wws_bytes=f.get("wws"), switch_s=f.get("switch_s", prediction.SWITCH_S))
        if copy:
            storage = prediction.predict_storage(copy, f["write_rate"], link, downtime_limit)
            result["storage"] = storage
            result["total_s"] = round(result["total_s"] + storage["total_s"], 6)
            result["data_bytes"] += storage["data_bytes"]
            result["downtime_s"] = round(result["downtime_s"] + storage["downtime_s"], 6)
            if not storage["converges"] and result["converges"]:
                result.update(converges=False, reason=storage["reason"], hint=storage["hint"])
        return result
    if type == "storage":
        return prediction.predict_storage(copy, f["write_rate"], link, downtime_limit)
    if type == "quick" and desc.get("state") in precheck.RUNNING:
        return prediction.predict_quick(f["resident"], copy, link, SAVE_RATE, RESTORE_RATE)
    # network (or quick of a VM that is not running): its files are copied; it is not running, so no downtime
    saved = f["resident"] if desc.get("state") == "Saved" else 0
    result = prediction.predict_quick(saved, copy, link, SAVE_RATE, RESTORE_RATE, already_saved=True)
    result["steps"] = [s for s in result["steps"] if s["step"] == "copy"]
    result.update(type="network" if type == "network" else type, downtime_s=0.0,
                  total_s=result["steps"][0]["seconds"])
    return result


# --- ratings -----------------------------------------------------------------------------------------------------
def _mean(values) -> float | None:
    values = [v for v in values or [] if v is not None]
    return sum(values) / len(values) if values else None


def _last(values):
    return next((v for v in reversed(values or []) if v is not None), None)


def _downsample(values: list, points: int = SPARK_POINTS) -> list[float]:
    values = [v for v in values if v is not None]
    if len(values) <= points:
        return [round(v, 2) for v in values]
    step = len(values) / points
    return [round(sum(chunk) / len(chunk), 2) for chunk in
            (values[int(i * step):max(int(i * step) + 1, int((i + 1) * step))] for i in range(points))]


def _host_history(conn, window: float) -> dict:
    try:
        h = conn.metrics_history("host", window, ["cpu_percent", "memory_used", "memory_total",
                                                  "storage_free_bytes", "storage_total_bytes"])
        s = h["series"]
    except BulkheadError:
        s = {}
    total, used = _last(s.get("memory_total")), _last(s.get("memory_used"))
    return {"cpu_history": _downsample(s.get("cpu_percent") or []), "memory_total": total,
            "memory_free": None if total is None or used is None else max(0, int(total - used)),
            "storage_free": _last(s.get("storage_free_bytes")), "storage_total": _last(s.get("storage_total_bytes"))}


def _vm_io(conn, vm: str, window: float) -> tuple[float | None, float | None]:
    """(IOPS, Mbps) of a VM, means over the window; None where nothing was measured."""
    try:
        s = conn.metrics_history(vm, window, ["disk_read_iops", "disk_write_iops", "net_rx_bps", "net_tx_bps"])
        s = s["series"]
    except BulkheadError:
        return None, None
    r, w = _mean(s.get("disk_read_iops")), _mean(s.get("disk_write_iops"))
    rx, tx = _mean(s.get("net_rx_bps")), _mean(s.get("net_tx_bps"))
    iops = None if r is None and w is None else (r or 0) + (w or 0)
    mbps = None if rx is None and tx is None else ((rx or 0) + (tx or 0)) * 8 / 1e6
    return iops, mbps


def host_figures(conn, name: str = "", window: float = RATING_WINDOW) -> dict:
    """One host's figures for core.hosts.rating.rate: {"host", "uri", "reachable", "kind", "backend", "kvm",
    "memory_total", "memory_free", "memory_max", "vcpus_max", "logical_processors", "cpu_history",
    "storage_free", "storage_total", "disk_iops", "network_mbps", "live", "problems", "identity"}."""
    name = name or _name(conn)
    try:
        info = conn.host_info()
        caps = conn.capabilities()
        limits = conn.limits()
        history = _host_history(conn, window)
        running = [v for v in conn.vms() if v.state in precheck.RUNNING][:HOST_VMS_MAX]
    except BulkheadError as e:
        return {"host": name, "uri": getattr(conn, "uri", ""), "reachable": False, "error": str(e)}
    iops = mbps = 0.0
    for v in running:
        i, m = _vm_io(conn, v.name, window)
        iops += i or 0.0
        mbps += m or 0.0
    kind = caps.get("kind", "")
    move = "move" if kind == "bulkhead" else "migrate"
    problems = []
    if move in caps and not caps[move]:
        problems.append(phrase("this host takes no moves now: {why}",
                               why=caps.get("reasons", {}).get(move) or phrase("refused")))
    return {"host": name, "uri": getattr(conn, "uri", ""), "reachable": True, "kind": kind, "backend": _backend(info),
            "kvm": bool((info.get("capabilities") or {}).get("kvm_usable", True)),
            "memory_total": history["memory_total"], "memory_free": history["memory_free"],
            "memory_max": limits.memory_max, "vcpus_max": limits.vcpus_max,
            "logical_processors": (info.get("capabilities") or {}).get("logical_processors"),
            "cpu_history": history["cpu_history"], "storage_free": history["storage_free"],
            "storage_total": history["storage_total"], "disk_iops": iops if running else 0.0,
            "network_mbps": mbps if running else 0.0, "live": True, "problems": problems,
            "identity": list(_identity(info))}


def vm_load(conn, vm: str, window: float = RATING_WINDOW) -> dict:
    """The VM's measured load for core.hosts.rating.rate (None where nothing was measured: SCVMM's defaults then),
    with its id and resident memory (the mean over the window; what a move would free on its host)."""
    desc = describe(conn, vm)
    try:
        m = conn.measure_vm(vm, seconds=window)
    except BulkheadError:
        m = {}
    iops, mbps = _vm_io(conn, vm, window)
    disks = [d.get("size") for d in desc.get("disks") or []]
    image = (desc.get("image") or {}).get("size") or 0
    disk_bytes = None if any(s is None for s in disks) or "disks" not in desc else sum(disks) + image
    resident = m.get("average_memory_bytes") or desc.get("resident_bytes")
    return {"name": desc.get("name", vm), "id": desc.get("id", ""), "state": desc.get("state", ""),
            "kind": desc.get("kind", ""), "memory_bytes": desc.get("memory") or 0, "vcpus": desc.get("vcpus") or 1,
            "resident_bytes": int(resident) if isinstance(resident, (int, float)) else None,
            "cpu_percent": m.get("average_cpu_percent"), "disk_bytes": disk_bytes, "disk_iops": iops,
            "network_mbps": mbps}


def rate_hosts(vm_conn, vm: str, candidates: list, goal: str = "balance", weights: dict | None = None,
               load: dict | None = None, window: float = RATING_WINDOW, names: list[str] | None = None) -> list[dict]:
    """Ratings of ``candidates`` (Connections or URIs) for moving ``vm`` from ``vm_conn``, best first (the shape of
    core.hosts.rating.rate, each with the candidate's "uri" and "index" in ``candidates``). ``load`` overrides the
    VM's measured load (Customize Ratings: cpu_percent, memory_bytes, disk_bytes, disk_iops, network_mbps); the
    VM's own host, if listed, is rated for moving only its storage."""
    rating.check_goal(goal)
    rating.check_weights(weights)
    if not isinstance(candidates, list) or not candidates:
        raise UsageError("give at least one host to rate")
    if names is not None and len(names) != len(candidates):
        raise UsageError("give one name per candidate host")
    measured = vm_load(vm_conn, vm, window)
    if load:
        if not isinstance(load, dict):
            raise UsageError("load must be an object (cpu_percent, memory_bytes, disk_bytes, disk_iops, network_mbps)")
        measured.update({k: v for k, v in load.items() if k in rating.DEFAULT_LOAD or k in ("memory_bytes", "vcpus")})
    hosts = candidate_figures(vm_conn, candidates, names, window)
    return rating.rate(measured, hosts, goal, weights)


def candidate_figures(here_conn, candidates: list, names: list[str] | None = None,
                      window: float = RATING_WINDOW) -> list[dict]:
    """Each candidate's figures (host_figures; Connections or URIs, read side by side), with "index" (its place in
    ``candidates``) and "current" (it is ``here_conn``'s own host). One that cannot be reached says so
    ("reachable": False, "error"): a rating gives it 0 stars with the reason."""
    if names is not None and len(names) != len(candidates):
        raise UsageError("give one name per candidate host")
    if not candidates:
        return []
    here = _identity(here_conn.host_info())

    def figures(i: int) -> dict:
        target = candidates[i]
        label = names[i] if names else (target if isinstance(target, str) else "")
        try:
            conn, close = _open(target)
        except BulkheadError as e:
            return {"host": label or str(target), "uri": target if isinstance(target, str) else "",
                    "reachable": False, "error": str(e), "index": i}
        try:
            f = host_figures(conn, label, window)
        finally:
            if close:
                conn.close()
        f["current"] = tuple(f.pop("identity", ())) == here
        f["index"] = i
        return f

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, len(candidates))) as pool:
        return list(pool.map(figures, range(len(candidates))))
