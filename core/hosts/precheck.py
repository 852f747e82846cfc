"""The rows of a move's precheck, as Proxmox's grid: {severity: error|warning|info, topic, text, hint}. Errors block
the move; warnings do not. Pure (facts in, rows out), shared by every kind of host that checks moves.

- ``check_description(vm)``: the VM's description a source gives (``vm.move.describe``), checked as untrusted input.
- ``destination_rows(vm, dest, type, network_map, bandwidth)``: what the destination says of taking the VM, from
  its facts (``dest``, gathered by the host: core/local/move_check.py): memory, processors, backend, the guest
  image, each disk shared or to copy (with its size and the time at the bandwidth), each network adapter's switch
  (or its mapping), the name, protocol versions, free space in the destination folder, checkpoints.
- ``source_rows(vm, type)``: the source's side (the VM's state and the transfer type).

Every text and hint is one line; a hint says what to do ("free 512 MiB on the destination", "map adapter 'lab' to
a switch on the destination").
"""

from __future__ import annotations

import math

from core.model.errors import UsageError
from core.model.names import same_name, short
from core.model.phrase import phrase
from core.model.units import format_size

from .prediction import ASSUMED_BANDWIDTH

SEVERITIES = ("error", "warning", "info")
TYPES = ("live", "quick", "storage", "network")
RUNNING = ("Running", "Paused")
MOVABLE = ("Running", "Paused", "Off", "Saved")
LONG_COPY_S = 60.0  # a copy longer than this is a warning ("might take long"), as Proxmox says of local disks
DISKS_MAX = 64
ADAPTERS_MAX = 64
CHECKPOINTS_MAX = 10_000
MiB = 1 << 20


def row(severity: str, topic: str, text: str, hint: str = "", **extra) -> dict:
    assert severity in SEVERITIES
    return {"severity": severity, "topic": topic, "text": text, "hint": hint, **extra}


def errors(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["severity"] == "error"]


def first_error(rows: list[dict]) -> dict | None:
    return next(iter(errors(rows)), None)


def summary(rows: list[dict]) -> dict:
    """{"ok": no errors, "errors": n, "warnings": n}."""
    n = {s: sum(1 for r in rows if r["severity"] == s) for s in SEVERITIES}
    return {"ok": n["error"] == 0, "errors": n["error"], "warnings": n["warning"]}


# --- the description a source gives (untrusted) --------------------------------------------------------------------
def _int(value, what: str, low: int = 0, high: int = (1 << 63) - 1, optional: bool = False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(f"the VM's description: {what} must be a whole number between {low} and {high} "
                         f"(got {short(value)})")
    return value


def _text(value, what: str, limit: int = 4096, optional: bool = True) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise UsageError(f"the VM's description: {what} must be text of at most {limit} characters "
                         f"(got {short(value)})")
    return value


def _objects(vm: dict, key: str, limit: int, what: str):
    """The objects of the description's list ``key`` (at most ``limit``), one by one, each checked as it comes."""
    items = vm.get(key) or []
    if not isinstance(items, list) or len(items) > limit:
        raise UsageError(f"the VM's description: {key} must be a list of at most {limit}")
    for item in items:
        if not isinstance(item, dict):
            raise UsageError(f"the VM's description: each {what} must be an object")
        yield item


def check_description(vm) -> dict:
    """The description with its types checked (UsageError naming what is wrong); missing optional parts filled."""
    if not isinstance(vm, dict):
        raise UsageError(f"the VM's description must be an object (got {short(vm)})")
    out = {"id": _text(vm.get("id"), "id", 64), "name": _text(vm.get("name"), "name", 256, optional=False),
           "state": _text(vm.get("state"), "state", 64), "kind": _text(vm.get("kind"), "kind", 32),
           "memory": _int(vm.get("memory"), "memory", 1), "vcpus": _int(vm.get("vcpus"), "vcpus", 1, 4096),
           "backend": _text(vm.get("backend"), "backend", 64),
           "resident_bytes": _int(vm.get("resident_bytes"), "resident_bytes", optional=True),
           "checkpoints": _int(vm.get("checkpoints", 0), "checkpoints", 0, CHECKPOINTS_MAX)}
    if not out["name"].strip():
        raise UsageError("the VM's description: name is empty")
    image = vm.get("image") or {}
    if not isinstance(image, dict):
        raise UsageError("the VM's description: image must be an object")
    out["image"] = {"path": _text(image.get("path"), "image path"), "bundled": bool(image.get("bundled")),
                    "sha256": _text(image.get("sha256"), "image sha256", 64),
                    "size": _int(image.get("size"), "image size", optional=True)}
    out["disks"] = []
    for d in _objects(vm, "disks", DISKS_MAX, "disk"):
        ident = d.get("identity") if isinstance(d.get("identity"), dict) else {}  # {size, dev, inode, uuid} also
        out["disks"].append({"path": _text(d.get("path"), "disk path", optional=False),
                             "size": _int(d.get("size", ident.get("size")), "disk size", optional=True),
                             "format": _text(d.get("format", ident.get("format")), "disk format", 32),
                             "uuid": _text(d.get("uuid") or ident.get("uuid"), "disk unique id", 64),
                             "inode": _int(d.get("inode", ident.get("inode")), "disk inode", optional=True),
                             "device": _int(d.get("device", ident.get("dev")), "disk device", optional=True)})
    out["network_adapters"] = [{"switch": _text(a.get("switch"), "adapter switch", 256)}
                               for a in _objects(vm, "network_adapters", ADAPTERS_MAX, "network adapter")]
    protocol = vm.get("protocol") or {}
    if not isinstance(protocol, dict):
        raise UsageError("the VM's description: protocol must be an object")
    streams = protocol.get("stream") or []
    if not isinstance(streams, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in streams):
        raise UsageError("the VM's description: protocol stream must be a list of format numbers")
    out["protocol"] = {"version": _text(protocol.get("version"), "protocol version", 64), "stream": streams[:16]}
    return out


def check_network_map(network_map) -> dict[str, str]:
    if network_map is None:
        return {}
    if not isinstance(network_map, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v
                                                     for k, v in network_map.items()):
        raise UsageError("network_map must map adapter switches to destination switches, e.g. {\"lab\": \"lan\"}")
    return dict(network_map)


def check_type(type: str) -> str:
    if type not in TYPES:
        raise UsageError(f"type must be one of {', '.join(TYPES)} (got {short(type)})")
    return type


def choose_type(state: str, requested: str = "auto") -> tuple[str, str]:
    """(transfer type, why) for a VM in ``state``: live for a running or paused VM, network for one that is off or
    saved (its files are copied), unless ``requested`` names one."""
    if requested != "auto":
        return check_type(requested), "chosen"
    if state in RUNNING:
        return "live", phrase("the VM is {state}: it keeps running while its memory moves", state=state)
    return "network", phrase("the VM is {state}: its files are copied", state=state or phrase("not running"))


# --- the source's rows -----------------------------------------------------------------------------------------------
def source_rows(vm: dict, type: str) -> list[dict]:
    state, name = vm.get("state", ""), vm.get("name", "")
    rows = []
    if state not in MOVABLE:
        rows.append(row("error", "state", phrase("VM '{vm}' is {state}: it cannot move now", vm=name,
                                                 state=state or phrase("in an unknown state")),
                        phrase("wait until it is Running, Paused, Off or Saved")))
    elif type == "live" and state not in RUNNING:
        rows.append(row("error", "state", phrase("VM '{vm}' is {state}: a live move needs it Running or Paused",
                                                 vm=name, state=state),
                        phrase("start it, or move it with --type quick (its files are copied)")))
    elif type in ("live", "storage") and state in RUNNING:
        rows.append(row("info", "state", phrase("VM '{vm}' is {state}: it keeps running during the move", vm=name,
                                                state=state)))
    elif type == "quick" and state in RUNNING:
        rows.append(row("info", "state", phrase("VM '{vm}' is {state}: it is saved, moved and restored (it is down "
                                                "meanwhile)", vm=name, state=state)))
    else:
        rows.append(row("info", "state", phrase("VM '{vm}' is {state}: its files are copied", vm=name, state=state)))
    return rows


# --- the destination's rows ------------------------------------------------------------------------------------------
def _duration(seconds: float) -> str:
    if seconds < 1:
        return phrase("under a second")
    if seconds < 120:
        return phrase("about {seconds} s", seconds=f"{seconds:.0f}")
    return phrase("about {minutes} min", minutes=f"{seconds / 60:.0f}")


def _rate(bytes_s: float) -> str:
    return f"{bytes_s / MiB:.0f} MiB/s" if bytes_s >= 10 * MiB else f"{bytes_s / MiB:.1f} MiB/s"


def destination_rows(vm: dict, dest: dict, type: str = "live", network_map: dict | None = None,
                     bandwidth: float = 0.0) -> list[dict]:
    """The destination's rows for taking ``vm`` (a checked description) by ``type``; ``dest`` holds its facts:
    host, kind, backend, memory_free, memory_max, vcpus_max, logical_processors, switches [names], vms [{id, name}],
    protocol {version, stream [formats]}, image {state: bundled|present|different|missing, path}, disks {path:
    {exists, is_file, size, uuid, inode, device}}, folder {path, exists, is_dir, free, problem}, live_copies
    (whether a live move to it may copy disks and the image: True unless it says). A fact that is missing (None)
    is not checked: protocol and image give no row then, memory and free space a warning."""
    type = check_type(type)
    network_map = check_network_map(network_map)
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, (int, float)) or not math.isfinite(bandwidth) \
            or bandwidth < 0:
        raise UsageError(f"bandwidth must be a finite number of bytes/s, at least 0 (got {short(bandwidth)})")
    link = float(bandwidth) or ASSUMED_BANDWIDTH
    at = (phrase("at {rate}", rate=_rate(link)) if bandwidth else
          phrase("at an assumed {rate} (bandwidth not measured)", rate=_rate(link)))
    rows: list[dict] = []
    same_host = any(v.get("id") == vm["id"] for v in dest.get("vms", [])) and bool(vm["id"])
    rows += _kind_rows(vm, dest)
    rows += _name_rows(vm, dest, type, same_host)
    rows += _memory_rows(vm, dest, type, same_host)
    rows += _processor_rows(vm, dest)
    rows += _backend_rows(vm, dest)
    rows += _protocol_rows(vm, dest)
    copy = 0
    image_rows, image_bytes = _image_rows(vm, dest)
    rows += image_rows
    copy += image_bytes
    disk_rows, disk_bytes = _disk_rows(vm, dest, type, link, at)
    rows += disk_rows
    copy += disk_bytes
    live_copies = dest.get("live_copies", True)  # True, False, or "disks" (its disks, not the guest image)
    blocked = copy if not live_copies else image_bytes if live_copies == "disks" else 0
    if type == "live" and blocked:
        files = sum(1 for r in (image_rows + disk_rows if not live_copies else image_rows) if r.get("bytes"))
        values = {"n": str(files), "size": format_size(blocked)}
        rows.append(row("error", "type", phrase("a live move to this host needs the VM's disks and guest image there "
                                                "already ({n} file, {size} to copy)", **values) if files == 1 else
                        phrase("a live move to this host needs the VM's disks and guest image there already ({n} "
                               "files, {size} to copy)", **values),
                        phrase("move it with --type quick (saved, copied and restored), or share its files between "
                               "the hosts")))
    rows += _network_rows(vm, dest, network_map)
    state_bytes = (vm.get("resident_bytes") or vm["memory"]) if type == "quick" else 0
    rows += _space_rows(dest, copy + state_bytes)
    if vm["checkpoints"]:
        n = vm["checkpoints"]
        rows.append(row("error", "checkpoints", phrase("the VM has {n} checkpoint: a move does not carry checkpoints "
                                                       "yet (their disks would stay behind)", n=str(n)) if n == 1 else
                        phrase("the VM has {n} checkpoints: a move does not carry checkpoints yet (their disks would "
                               "stay behind)", n=str(n)),
                        phrase("delete its checkpoints first (bulkhead vm checkpoint-remove VM CHECKPOINT)")))
    return rows


def _kind_rows(vm: dict, dest: dict) -> list[dict]:
    if vm["kind"] and dest.get("kind") and vm["kind"] != dest["kind"]:
        if vm["kind"] == "bulkhead":
            return [row("error", "kind", phrase("a libvirt host cannot run this engine's VMs"),
                        phrase("choose a Bulkhead host"))]
        return [row("error", "kind", phrase("the embedded engine cannot boot a libvirt domain's operating system"),
                    phrase("choose a libvirt host (the move uses libvirt's own migration)"))]
    return []


def _name_rows(vm: dict, dest: dict, type: str, same_host: bool) -> list[dict]:
    if same_host:
        if type == "storage":
            return [row("info", "name", phrase("VM '{vm}' is on this host: only its storage moves", vm=vm["name"]))]
        return [row("error", "name", phrase("VM '{vm}' (the same VM, id {id}) is already on the destination",
                                            vm=vm["name"], id=vm["id"][:8]),
                    phrase("choose another host, or move only its storage (--type storage)"))]
    taken = [v["name"] for v in dest.get("vms", []) if isinstance(v.get("name"), str)
             and same_name(v["name"], vm["name"])]
    if taken:
        return [row("error", "name", phrase("the destination already has a VM named '{vm}'", vm=taken[0]),
                    phrase("rename the VM or remove '{vm}' on the destination", vm=taken[0]))]
    return [row("info", "name", phrase("the name '{vm}' is free on the destination", vm=vm["name"]))]


def _memory_rows(vm: dict, dest: dict, type: str, same_host: bool) -> list[dict]:
    need = vm["memory"]
    rows = []
    memory_max = dest.get("memory_max")
    if memory_max and need > memory_max:
        rows.append(row("error", "memory", phrase("the VM has {memory} of memory; the destination allows at most "
                                                  "{most} per VM", memory=format_size(need),
                                                  most=format_size(memory_max)),
                        phrase("lower the VM's memory to {most} or less", most=format_size(memory_max))))
    free = dest.get("memory_free")
    if same_host or free is None:
        if free is None and not same_host:
            rows.append(row("warning", "memory", phrase("the destination does not report its free memory"),
                            phrase("check it has room for the VM")))
        return rows
    if need > free:
        short_by = format_size(need - free)
        sizes = {"free": format_size(free), "need": format_size(need)}
        if type == "network":  # an Off VM needs it only once started there
            rows.append(row("warning", "memory", phrase("the destination has {free} of memory free; the VM needs "
                                                        "{need} to start", **sizes),
                            phrase("free {size} on the destination before starting it there", size=short_by)))
        else:
            rows.append(row("error", "memory", phrase("the destination has {free} of memory free; the VM needs "
                                                      "{need}", **sizes),
                            phrase("free {size} on the destination", size=short_by)))
    else:
        rows.append(row("info", "memory", phrase("memory: the VM needs {need}; the destination has {free} free",
                                                 need=format_size(need), free=format_size(free))))
    return rows


def _processor_rows(vm: dict, dest: dict) -> list[dict]:
    n, most = vm["vcpus"], dest.get("vcpus_max")
    cpus = dest.get("logical_processors")
    if most and n > most:
        return [row("error", "processors", phrase("the VM has {n} virtual processors; the destination allows at "
                                                  "most {most}", n=str(n), most=str(most)),
                    phrase("set the VM's processors to {most} or fewer", most=str(most)))]
    if cpus:
        return [row("info", "processors",
                    phrase("{n} virtual processor; the destination has {cpus} logical processors", n=str(n),
                           cpus=str(cpus)) if n == 1 else
                    phrase("{n} virtual processors; the destination has {cpus} logical processors", n=str(n),
                           cpus=str(cpus)))]
    return [row("info", "processors", phrase("{n} virtual processor", n=str(n)) if n == 1 else
                phrase("{n} virtual processors", n=str(n)))]


def _backend_rows(vm: dict, dest: dict) -> list[dict]:
    backend = dest.get("backend") or ""
    if backend == "emulation" or dest.get("kvm") is False:
        text = (phrase("the destination runs guests under CPU emulation: the guest will run slower there (it uses "
                       "KVM here now)") if vm.get("backend") == "kvm" else
                phrase("the destination runs guests under CPU emulation: the guest will run slower there"))
        return [row("warning", "backend", text, phrase("move it to a host with KVM for full speed"))]
    if backend == "kvm":
        return [row("info", "backend", phrase("the destination uses hardware virtualization (KVM)"))]
    return [row("info", "backend", phrase("the destination's backend: {backend}", backend=backend))] if backend else []


def _protocol_rows(vm: dict, dest: dict) -> list[dict]:
    if dest.get("protocol") is None:  # a host that does not say (not checked there)
        return []
    mine, theirs = dest["protocol"], vm["protocol"]
    accepted = [s for s in mine.get("stream", []) if isinstance(s, int)]
    sent = theirs["stream"]
    if not sent:
        return [row("warning", "protocol", phrase("the source does not say which migration stream formats it sends"),
                    phrase("update Bulkhead on the source"))]
    common = sorted(set(sent) & set(accepted))
    versions = {"source": str(theirs["version"] or "?"), "destination": str(mine.get("version") or "?")}
    if not common:
        return [row("error", "protocol", phrase("no common migration stream format (Bulkhead {source} to "
                                                "{destination}: the source sends {sent}, the destination reads "
                                                "{read})", sent=_formats(sent), read=_formats(accepted), **versions),
                    phrase("update Bulkhead so both hosts run the same version"))]
    return [row("info", "protocol", phrase("migration stream format {format} (Bulkhead {source} to {destination})",
                                           format=str(common[-1]), **versions))]


def _formats(values: list[int]) -> str:
    return ", ".join(map(str, values)) or phrase("none")


def _image_rows(vm: dict, dest: dict) -> tuple[list[dict], int]:
    image = vm["image"]
    if dest.get("image") is None:  # not checked there
        return [], 0
    facts = dest["image"]
    state = facts.get("state", "missing")
    size = image.get("size") or 0
    if state == "bundled":
        return [row("info", "image", phrase("the guest image is the bundled one, present on the destination"),
                    bytes=0)], 0
    if state == "present":
        return [row("info", "image", phrase("the guest image {path} is present on the destination",
                                            path=image["path"]), bytes=0)], 0
    if state == "different":
        where = image["path"] or phrase("the image path")
        text = (phrase("another file is at {path} on the destination: the VM's guest image ({size}) will be copied "
                       "into its folder", path=where, size=format_size(size)) if size else
                phrase("another file is at {path} on the destination: the VM's guest image will be copied into its "
                       "folder", path=where))
        return [row("warning", "image", text, phrase("nothing to do unless the other file should be the VM's"),
                    bytes=size)], size
    return [row("info", "image", phrase("the guest image ({size}) will be copied to the destination",
                                        size=format_size(size)) if size else
                phrase("the guest image will be copied to the destination"), bytes=size)], size


def _disk_rows(vm: dict, dest: dict, type: str, link: float, at: str) -> tuple[list[dict], int]:
    rows, copy = [], 0
    facts = dest.get("disks") or {}
    for d in vm["disks"]:
        f = facts.get(d["path"]) or {}
        sized = {"path": d["path"], "size": format_size(d["size"])} if d["size"] else {"path": d["path"]}
        if _shared(d, f):
            rows.append(row("info", "disk", phrase("disk {path} ({size}) is shared: the destination reaches the same "
                                                   "file; it is not copied", **sized) if d["size"] else
                            phrase("disk {path} is shared: the destination reaches the same file; it is not copied",
                                   **sized), path=d["path"], bytes=0, shared=True))
            continue
        size = d["size"] or 0
        copy += size
        seconds = size / link
        text = (phrase("disk {path} ({size}) will be copied: {duration} {at}", duration=_duration(seconds), at=at,
                       **sized) if d["size"] else
                phrase("disk {path} will be copied: {duration} {at}", duration=_duration(seconds), at=at, **sized))
        if f.get("exists"):
            rows.append(row("warning", "disk", phrase("another file is at {path} on the destination; {text} into the "
                                                      "VM's folder", path=d["path"], text=text),
                            phrase("nothing to do unless the two should be one shared disk"), path=d["path"],
                            bytes=size, shared=False))
        elif seconds > LONG_COPY_S:
            rows.append(row("warning", "disk", phrase("{text}: the move might take long", text=text),
                            phrase("share the disk between the hosts (the same path on both), or allow the time"),
                            path=d["path"], bytes=size, shared=False))
        else:
            rows.append(row("info", "disk", text, path=d["path"], bytes=size, shared=False))
    return rows, copy


def _shared(d: dict, f: dict) -> bool:
    """The destination reaches the same file: same path, same size, and the same identity (a VHD's unique id, or for
    a raw image the same inode and device)."""
    if not f.get("exists") or not f.get("is_file", True) or d["size"] is None or f.get("size") != d["size"]:
        return False
    if d["uuid"] or f.get("uuid"):
        return d["uuid"] == f.get("uuid")
    return d["inode"] is not None and (d["inode"], d["device"]) == (f.get("inode"), f.get("device"))


def _network_rows(vm: dict, dest: dict, network_map: dict[str, str]) -> list[dict]:
    switches = [s for s in dest.get("switches", []) if isinstance(s, str)]
    have = ", ".join(switches[:8]) or phrase("none")
    rows = []
    used = set()
    for a in vm["network_adapters"]:
        source = a["switch"]
        if not source:
            rows.append(row("info", "network", phrase("a network adapter that is not connected stays so")))
            continue
        wanted = network_map.get(source, source)
        used.add(source)
        found = next((s for s in switches if same_name(s, wanted)), None)
        if found is not None:
            rows.append(row("info", "network", phrase("adapter on '{source}' is mapped to switch '{switch}' on the "
                                                      "destination", source=source, switch=found)
                            if source in network_map else
                            phrase("adapter on '{source}' connects to switch '{switch}' on the destination",
                                   source=source, switch=found)))
        elif source in network_map:
            rows.append(row("error", "network", phrase("adapter '{source}' is mapped to switch '{switch}', which the "
                                                       "destination does not have (it has: {have})", source=source,
                                                       switch=wanted, have=have),
                            phrase("map adapter '{source}' to a switch on the destination", source=source)))
        else:
            rows.append(row("error", "network", phrase("the destination has no virtual switch '{source}' (it has: "
                                                       "{have})", source=source, have=have),
                            phrase("map adapter '{source}' to a switch on the destination (--network-map "
                                   "{source}=SWITCH)", source=source)))
    for extra in sorted(set(network_map) - used):
        rows.append(row("warning", "network", phrase("network map: no adapter of the VM is on '{source}'",
                                                     source=extra),
                        phrase("remove {source}={switch} from the network map", source=extra,
                               switch=network_map[extra])))
    return rows


def _space_rows(dest: dict, need: int) -> list[dict]:
    folder = dest.get("folder") or {}
    path = folder.get("path") or phrase("the destination folder")
    if folder.get("problem"):
        return [row("error", "space", f"{path}: {folder['problem']}", phrase("choose another folder (--path DIR)"))]
    free = folder.get("free")
    if free is None:
        return [row("warning", "space", phrase("the free space in {path} is not known", path=path),
                    phrase("check it has room for the VM"))]
    sizes = {"path": path, "free": format_size(free), "need": format_size(need)}
    if need > free:
        return [row("error", "space", phrase("{path} has {free} free; the move needs {need}", **sizes),
                    phrase("free {size} in {path} or choose another folder (--path DIR)",
                           size=format_size(need - free), path=path))]
    if not folder.get("exists", True):
        return [row("info", "space", phrase("{path} (it will be made): {free} free, the move needs {need}", **sizes))]
    return [row("info", "space", phrase("{path}: {free} free, the move needs {need}", **sizes))]


# --- several VMs to one host (a bulk move) ------------------------------------------------------------------------
def combined_rows(vms: list[dict], memory_free: int | None) -> list[dict]:
    """A bulk move's rows for the VMs together: each VM's own precheck sees the destination's free memory as it is
    now, so VMs that each fit alone may not fit all together. ``vms``: [{"name", "memory" (bytes), "type" (its
    transfer type)}]. An Off VM moved by a copy needs its memory only once started there (a warning, as for one
    VM). Rows carry "combined": True."""
    if len(vms) < 2:
        return []
    rows = []
    names = ", ".join(str(v.get("name", "")) for v in vms[:6]) + (", ..." if len(vms) > 6 else "")
    running = sum(int(v.get("memory") or 0) for v in vms if v.get("type") != "network")
    every = sum(int(v.get("memory") or 0) for v in vms)
    if memory_free is not None:
        if running > memory_free:
            rows.append(row("error", "memory", f"together the {len(vms)} VMs ({names}) need {format_size(running)} of "
                                               f"memory; the destination has {format_size(memory_free)} free",
                            f"move fewer VMs at once, or free {format_size(running - memory_free)} on the "
                            "destination", combined=True))
        elif every > memory_free:
            rows.append(row("warning", "memory", f"together the {len(vms)} VMs need {format_size(every)} of memory "
                                                 f"to run there; the destination has {format_size(memory_free)} free",
                            f"free {format_size(every - memory_free)} on the destination before starting them all",
                            combined=True))
        else:
            rows.append(row("info", "memory", f"together the {len(vms)} VMs need {format_size(running)} of memory; "
                                              f"the destination has {format_size(memory_free)} free", combined=True))
    return rows
