"""What a kind of host creates from a ``SourceVm``: the VM's settings (core.model.spec names), the disks to
convert, the network adapters with their destination switch, and the conversion report (docs/conversion.md).

``plan`` reads only the ``SourceVm`` and what it is given; it writes nothing and is deterministic: the same source
and arguments give the same ``Plan`` (``Plan.to_dict()`` is JSON-safe)."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from core.model.errors import UsageError
from core.model.limits import HostLimits
from core.model.names import NAME_MAX, bad_character, name_key, short, validate_name
from core.model.spec import SETTING

from .source import Note, SourceVm

__all__ = ["DiskPlan", "KINDS", "NicPlan", "Plan", "TARGET_FORMATS", "checked_network_map", "plan"]

MiB = 1 << 20
KINDS = ("bulkhead", "libvirt")
TARGET_FORMATS = {"bulkhead": "vpc", "libvirt": "qcow2"}
_EXTENSIONS = {"vpc": "vhd", "qcow2": "qcow2"}
_BUS_NAMES = {"ide": "IDE", "scsi": "SCSI", "sata": "SATA", "nvme": "NVMe", "virtio": "virtio", "usb": "USB"}
_LIBVIRT_BUSES = ("ide", "scsi", "sata", "virtio", "usb")
# a source's adapter model -> libvirt's (qemu's) model; anything else becomes e1000 with a note
_LIBVIRT_NIC_MODELS = {
    "e1000": "e1000", "e1000e": "e1000e", "vmxnet3": "vmxnet3", "virtio": "virtio", "rtl8139": "rtl8139",
    "pcnet": "pcnet", "ne2k_pci": "ne2k_pci", "i82551": "i82551", "i82557b": "i82557b", "i82559er": "i82559er",
    "82540em": "e1000", "82543gc": "e1000", "82545em": "e1000", "am79c970a": "pcnet", "am79c973": "pcnet",
    "am79c960": "pcnet", "vlance": "pcnet", "vmxnet": "vmxnet3", "vmxnet2": "vmxnet3", "tulip": "tulip",
    "dec21140": "tulip", "emulated": "tulip", "legacy": "tulip",
}
_FALLBACK_NAME = "converted-vm"
_NOTES_MAX = SETTING["notes"].max_length or 10_000


@dataclass
class DiskPlan:
    """A disk to convert: ``source`` the file qemu-img reads (``source_format``), ``target`` the file name inside
    the VM's folder, ``target_format`` ("vpc": VHD dynamic; "qcow2"), ``capacity`` bytes (0 unknown), ``bus`` the
    controller it is attached to at the destination, ``attach`` False when it is converted but not attached."""
    source: str
    source_format: str
    target: str
    target_format: str
    capacity: int = 0
    bus: str = ""
    attach: bool = True
    readonly: bool = False


@dataclass
class NicPlan:
    """A network adapter at the destination: ``model``, ``mac`` ("" the host assigns one), ``source_network`` (what
    it was connected to) and ``switch`` (the destination's switch or network; "" not connected)."""
    model: str = ""
    mac: str = ""
    source_network: str = ""
    switch: str = ""


@dataclass
class Plan:
    """What a host of ``kind`` creates: ``settings`` as ``vm.new`` takes them (the spec's names the kind takes),
    the disks and adapters, the report, and ``folder`` (the VM's folder on the host; "" the host's VM store)."""
    kind: str
    name: str
    settings: dict = field(default_factory=dict)
    disks: list[DiskPlan] = field(default_factory=list)
    nics: list[NicPlan] = field(default_factory=list)
    report: list[Note] = field(default_factory=list)
    folder: str = ""
    firmware: str = "bios"

    def warn(self, code: str, text: str) -> None:
        self._say(Note("warning", code, text))

    def info(self, code: str, text: str) -> None:
        self._say(Note("info", code, text))

    def _say(self, note: Note) -> None:
        """A line of the report; it takes the place of the parser's line of the same code (the mapping knows what
        the destination does with it: "EFI firmware: ..." once, not twice)."""
        said = [i for i, n in enumerate(self.report) if n.code == note.code and getattr(n, "from_source", False)]
        if said:
            self.report[said[0]] = note
        else:
            self.report.append(note)

    @property
    def ok(self) -> bool:
        """Nothing in the report is an error (errors are raised, so a Plan is always ok; kept for the dry run)."""
        return all(n.severity != "error" for n in self.report)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Plan:
        return cls(kind=d["kind"], name=d["name"], settings=dict(d.get("settings") or {}),
                   disks=[DiskPlan(**x) for x in d.get("disks") or ()],
                   nics=[NicPlan(**x) for x in d.get("nics") or ()],
                   report=[Note(**x) for x in d.get("report") or ()],
                   folder=d.get("folder", ""), firmware=d.get("firmware", "bios"))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def clean_name(text: str) -> str:
    """A VM name made from an untrusted one: refused characters dropped, separators replaced, cut to NAME_MAX;
    "" when nothing is left."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch for ch in text if bad_character(ch) is None)
    text = text.replace("/", "-").replace("\\", "-")
    while ".." in text:
        text = text.replace("..", ".")
    text = " ".join(text.split()).strip(".- ")
    return text[:NAME_MAX].strip()


def _choose_name(source: SourceVm, name: str, taken: Iterable[str], out: Plan) -> str:
    taken_keys = {name_key(str(t)) for t in taken}
    if name:
        chosen = validate_name(name)
        if name_key(chosen) in taken_keys:
            raise UsageError(f"a VM named {chosen!r} already exists on this host: give another name",
                             code="convert.name_taken", name=chosen)
        return chosen
    raw = source.name if isinstance(source.name, str) else ""
    try:
        chosen = validate_name(raw)
    except UsageError as e:
        chosen = clean_name(raw or "")
        if not chosen:
            stem = os.path.splitext(os.path.basename(source.path or ""))[0]
            chosen = clean_name(stem) or _FALLBACK_NAME
        try:
            chosen = validate_name(chosen)
        except UsageError:
            chosen = _FALLBACK_NAME
        if raw:
            out.warn("name.cleaned", f"the source's name {raw[:80]!r} cannot be a VM name ({e}): named {chosen!r}")
        else:
            out.info("name.missing", f"the source has no name: named {chosen!r}")
    if name_key(chosen) in taken_keys:
        base, n = chosen, 2
        while name_key(chosen) in taken_keys:
            suffix = f" ({n})"
            chosen = base[: NAME_MAX - len(suffix)].rstrip() + suffix
            n += 1
        out.warn("name.taken", f"a VM named {base!r} already exists on this host: named {chosen!r}")
    return chosen


def _memory(source: SourceVm, limits: HostLimits, out: Plan) -> int:
    memory = source.memory if isinstance(source.memory, int) and not isinstance(source.memory, bool) else 0
    if memory <= 0:
        memory = max(SETTING["memory"].default, limits.memory_min)
        out.warn("memory.unknown", f"the source does not say how much memory it has: {memory // MiB} MiB")
    step = max(1, limits.memory_step)
    if memory % step:
        rounded = -(-memory // step) * step
        out.info("memory.rounded", f"memory {memory / MiB:g} MiB rounded up to {rounded / MiB:g} MiB "
                                   f"(a multiple of {step / MiB:g} MiB)")
        memory = rounded
    if memory < limits.memory_min:
        out.warn("memory.raised", f"memory {memory / MiB:g} MiB raised to this host's minimum "
                                  f"{limits.memory_min // MiB} MiB")
        memory = limits.memory_min
    problem = limits.memory_problem(memory)
    if problem:
        raise UsageError(f"{out.name or short(source.path)}: {problem}", code="convert.memory", memory=memory,
                         memory_max=limits.memory_max)
    return memory


def _vcpus(source: SourceVm, limits: HostLimits, out: Plan) -> int:
    vcpus = source.vcpus if isinstance(source.vcpus, int) and not isinstance(source.vcpus, bool) else 0
    if vcpus < 1:
        out.warn("vcpus.unknown", "the source does not say how many processors it has: 1")
        return 1
    if vcpus > limits.vcpus_max:
        why = f" ({limits.vcpus_reason})" if limits.vcpus_reason else ""
        out.warn("vcpus.capped", f"{vcpus} virtual processors capped to this host's {limits.vcpus_max}{why}")
        return limits.vcpus_max
    return vcpus


def _notes(source: SourceVm, out: Plan) -> str:
    text = str(source.notes or "")
    kept = "".join(ch for ch in text if bad_character(ch, allow_newlines=True) is None
                   or unicodedata.category(ch) == "Cf")
    if kept != text:
        out.info("notes.cleaned", "control characters removed from the notes")
    if len(kept) > _NOTES_MAX:
        out.warn("notes.cut", f"notes cut to {_NOTES_MAX} characters (the source has {len(kept)})")
        kept = kept[:_NOTES_MAX]
    return kept


def _switch_for(network: str, network_map: Mapping[str, str], switches: list[str]) -> str:
    """The destination switch of a source network: the map's, else the switch of the same name, else ""."""
    if network in network_map:
        return str(network_map[network])
    for sw in switches:
        if network and name_key(sw) == name_key(network):
            return sw
    return ""


def _check_map(network_map: Mapping[str, str], switches: list[str], networks: set[str], out: Plan) -> None:
    for source_net, target in network_map.items():
        if not isinstance(target, str) or not isinstance(source_net, str):
            raise UsageError(f"network map: {short(source_net)}={short(target)} must map a name to a switch name",
                             code="convert.network_map")
    for source_net in sorted(network_map):
        target = network_map[source_net]
        if target and switches and target not in switches:
            known = ", ".join(sorted(switches)) or "none"
            raise UsageError(f"network map {source_net}={target}: this host has no switch {target!r} "
                             f"(its switches: {known})", code="convert.switch", switch=target)
        if source_net not in networks:
            out.info("network_map.unused", f"network map {source_net}={target}: no adapter of the source is "
                                           f"connected to {source_net!r}")


def _nic_text(i: int, network: str) -> str:
    return f"network adapter {i}" + (f" (source network {network!r})" if network else "")


def _map_nic(i: int, nic, kind: str, network_map, switches, out: Plan) -> NicPlan:
    switch = _switch_for(nic.network, network_map, switches)
    if not switch:
        hint = ": map it to a switch of the destination" if nic.network else ""  # the CLI's hint: network_hints
        out.warn("nic.not_connected", f"{_nic_text(i, nic.network)} not connected{hint}")
    elif nic.network not in network_map:
        out.info("nic.same_name", f"{_nic_text(i, nic.network)} connected to the switch of the same name {switch!r}")
    if kind == "bulkhead":
        if nic.mac:
            out.info("nic.mac", f"{_nic_text(i, nic.network)}: MAC address {nic.mac} not kept "
                                f"(the embedded engine's synthetic adapter has its own)")
        return NicPlan(model="synthetic", mac="", source_network=nic.network, switch=switch)
    source_model = str(nic.model or "")
    model = _LIBVIRT_NIC_MODELS.get(source_model.lower().replace("-", "").replace(" ", ""), "")
    if not model:
        model = "e1000"
        what = f"unknown adapter model {source_model!r}" if source_model else "no adapter model given"
        out.warn("nic.model", f"{_nic_text(i, nic.network)}: {what}, using e1000")
    return NicPlan(model=model, mac=nic.mac, source_network=nic.network, switch=switch)


def _map_nics(source: SourceVm, kind: str, network_map, switches, out: Plan) -> None:
    nics = list(source.nics)
    _check_map(network_map, switches, {n.network for n in nics}, out)
    if kind == "bulkhead":
        if nics:
            out.nics.append(_map_nic(1, nics[0], kind, network_map, switches, out))
        if len(nics) > 1:
            more = len(nics) - 1
            out.warn("nic.extra", f"the embedded engine has one network adapter: {more} more "
                                  f"adapter{'s' if more > 1 else ''} not converted")
    else:
        for i, nic in enumerate(nics, 1):
            out.nics.append(_map_nic(i, nic, kind, network_map, switches, out))


def _target_names(name: str, count: int, ext: str) -> list[str]:
    names, seen = [], set()
    for n in range(1, count + 1):
        candidate, extra = f"{name}-disk{n}.{ext}", 1
        while name_key(candidate) in seen:
            extra += 1
            candidate = f"{name}-disk{n}-{extra}.{ext}"
        seen.add(name_key(candidate))
        names.append(candidate)
    return names


def _bulkhead_bus(disk, attach: bool, out: Plan) -> str:
    bus = str(disk.bus or "")
    if attach and bus in ("nvme", "scsi", "sata", "virtio", "usb"):
        out.warn(f"disk.{bus}", f"{_BUS_NAMES[bus]} controller attached as synthetic storage")
    elif attach and bus == "ide":
        out.info("disk.ide", "IDE controller attached as synthetic storage")
    return "synthetic"


def _libvirt_bus(disk, out: Plan) -> str:
    bus = str(disk.bus or "")
    if bus in _LIBVIRT_BUSES:
        return bus
    if bus == "nvme":
        out.warn("disk.nvme", "NVMe controller attached as SCSI")
        return "scsi"
    what = f"unknown controller {bus!r}" if bus else "no controller given"
    out.warn("disk.bus", f"disk {disk.slot or disk.path}: {what}, attached as SATA")
    return "sata"


def _map_disks(source: SourceVm, kind: str, name: str, folder: str, out: Plan) -> None:
    disks, others = [], []
    for d in source.disks:
        if d.device == "disk" and not d.path:
            out.warn("disk.no_file", f"disk {d.slot or len(disks) + 1} has no file: not converted")
            continue
        (disks if d.device == "disk" else others).append(d)
    for d in others:
        if d.device == "cdrom":
            out.warn("cdrom.ignored", f"CD image ignored{': ' + d.path if d.path else ''}")
        else:
            out.warn("device.ignored", f"{d.device or 'device'} {d.path or d.slot} ignored")
    fmt = TARGET_FORMATS[kind]
    for i, (d, target) in enumerate(zip(disks, _target_names(name, len(disks), _EXTENSIONS[fmt]))):
        attach = kind == "libvirt" or i == 0
        bus = _bulkhead_bus(d, attach, out) if kind == "bulkhead" else _libvirt_bus(d, out)
        source_format = str(d.format or "")
        if not source_format:
            source_format = "raw"
            out.warn("disk.format", f"disk {d.path}: the source does not say its format, read as raw")
        if d.readonly and kind == "bulkhead" and attach:
            out.warn("disk.readonly", f"disk {d.path} was read-only: attached read-write")
        out.disks.append(DiskPlan(source=d.path, source_format=source_format, target=target, target_format=fmt,
                                  capacity=int(d.capacity or 0), bus=bus, attach=attach,
                                  readonly=bool(d.readonly) and kind == "libvirt"))
    if kind == "bulkhead" and len(disks) > 1:
        out.warn("disk.extra", f"the embedded engine attaches one virtual hard disk; {len(disks) - 1} more "
                               f"converted into the VM's folder, not attached")
    if not disks:
        out.warn("disk.none", "the source has no virtual hard disk")
    first = out.disks[0] if out.disks else None
    out.settings["disk"] = (os.path.join(folder, first.target) if folder else first.target) if first else ""
    out.settings["disk_controller"] = first.bus if first else SETTING["disk_controller"].default


def _firmware(source: SourceVm, kind: str, out: Plan) -> None:
    fw = str(source.firmware or "").lower()
    if kind == "bulkhead":
        out.firmware = "bios"
        if fw == "efi":
            out.warn("firmware.efi", "EFI firmware: the embedded engine boots Bulkhead images only")
        return
    if fw in ("bios", "efi"):
        out.firmware = fw
    else:
        out.firmware = "bios"
        what = f"unknown firmware value {fw!r}" if fw else "the source does not say its firmware"
        out.warn("firmware.unknown", f"{what}, assuming BIOS")


def checked_network_map(network_map, switch: str, most: int = 64, name_max: int = 256) -> dict:
    """A request's ``network_map`` (source network -> ``switch``, what the host calls its networks, as the refusal
    says it) checked: at most ``most`` entries, each a name of 1 to ``name_max`` characters; UsageError otherwise."""
    if not network_map:
        return {}
    if len(network_map) > most:
        raise UsageError(f"network_map can map at most {most} networks (got {len(network_map)})")
    for key, value in network_map.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key or len(key) > name_max \
                or len(value) > name_max:
            raise UsageError(f"network_map: {str(key)[:40]!r} -> {str(value)[:40]!r} must map a source network's "
                             f"name to {switch}", code="convert.network_map")
    return dict(network_map)


def plan(source: SourceVm, kind: str, *, name: str = "", network_map: Mapping[str, str] | None = None,
         limits: HostLimits | None = None, switches: Iterable[str] = (), taken: Iterable[str] = (),
         folder: str = "") -> Plan:
    """What a host of ``kind`` ("bulkhead" or "libvirt") creates from ``source``. ``name`` the new VM's name
    (default: the source's, cleaned if it cannot be one); ``network_map`` {source network: switch};
    ``limits`` the host's (default: HostLimits()); ``switches`` the host's switches (a source network connects to
    the switch of its name); ``taken`` the names of the host's VMs; ``folder`` the VM's folder on the host.
    UsageError (one line) when the source cannot fit the host (memory over its maximum) or an argument is wrong."""
    if kind not in KINDS:
        raise UsageError(f"cannot convert for a host of kind {kind!r}: choose {' or '.join(KINDS)}",
                         code="convert.kind")
    limits = limits or HostLimits()
    switches = [str(s) for s in switches]
    network_map = dict(network_map or {})
    out = Plan(kind=kind, name="", folder=str(folder or ""))
    for n in source.report:
        note = Note(n.severity, n.code, n.text)
        note.from_source = True  # not a field: to_dict() carries only severity, code and text
        out.report.append(note)
    out.name = _choose_name(source, name, taken, out)
    out.settings["name"] = out.name
    out.settings["memory"] = _memory(source, limits, out)
    out.settings["vcpus"] = _vcpus(source, limits, out)
    out.settings["notes"] = _notes(source, out)
    _firmware(source, kind, out)
    _map_disks(source, kind, out.name, out.folder, out)
    _map_nics(source, kind, network_map, switches, out)
    out.settings["network"] = out.nics[0].switch if out.nics else ""
    if kind == "libvirt":
        out.settings["boot"] = "hd" if out.disks else ""
    out.warn("guest.not_converted", "the guest operating system is not converted" + (
        ": it does not boot on the embedded engine; its disks are readable by the bundled guest over synthetic "
        "storage" if kind == "bulkhead" else
        ": its drivers and boot configuration are as they were (it may need drivers for the new devices)"))
    if source.serial_ports:
        out.warn("serial.ignored", f"{_plural(source.serial_ports, 'serial port')} not converted")
    if source.snapshots:
        out.warn("snapshots.left", f"{_plural(source.snapshots, 'snapshot')} not converted: the disks are "
                                   "converted as they are now")
    return out
