"""VirtualBox machine settings (``.vbox``, namespace http://www.virtualbox.org/ or the older innotek one) ->
``SourceVm``: the machine's current state (name, uuid, description, CPUs, memory, firmware, adapters, the disks
attached to its storage controllers through the MediaRegistry), and the snapshots left behind.

qemu-img reads VDI, VMDK and VHD files but not VirtualBox differencing images: for a disk attached through
differencing layers the base image is given, and the report says plainly that the later layers are not merged."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from core.convert.ovf import inside, sniff_format
from core.convert.source import MAX_DISKS, MAX_NICS, ConvertError, SourceDisk, SourceNic, SourceVm
from core.convert.xmlsafe import XmlDoc, attr, kid, kids, load_xml, local, namespace, short, text_of

__all__ = ["parse_vbox", "VBOX_NAMESPACES"]

VBOX_NAMESPACES = ("http://www.virtualbox.org/", "http://www.innotek.de/VirtualBox-settings")
_FORMATS = {"vdi": "vdi", "vmdk": "vmdk", "vhd": "vpc", "vhdx": "vhdx", "parallels": "parallels", "qed": "qed",
            "qcow": "qcow", "raw": "raw"}
_BUSES = {"piix3": "ide", "piix4": "ide", "ich6": "ide", "ahci": "sata", "lsilogic": "scsi", "buslogic": "scsi",
          "lsilogicsas": "scsi", "virtioscsi": "scsi", "nvme": "nvme", "usb": "usb", "i82078": "floppy"}
_ATTACHMENTS = {"NAT": "nat", "BridgedInterface": "bridged", "InternalNetwork": "internal",
                "HostOnlyInterface": "hostonly", "NATNetwork": "natnetwork", "GenericInterface": "generic",
                "CloudNetwork": "cloud", "HostOnlyNetwork": "hostonly"}
_VDI_DIFF = 4  # VDI header image type of a differencing image


def _uuid(value: str) -> str:
    return value.strip().strip("{}").lower()


class _Media:
    """The MediaRegistry: every hard disk by uuid with its parent (nested HardDisk elements, or a ``parent``
    attribute), and the DVD images."""

    def __init__(self, doc: XmlDoc, machine: Element) -> None:
        self.doc = doc
        self.disks: dict[str, Element] = {}
        self.parent: dict[str, str] = {}
        self.images: dict[str, Element] = {}
        snapshots = attr(machine, "snapshotFolder").replace("\\", "/")
        # the folder the machine was in, when its snapshot folder is written as an absolute path
        self.origin = snapshots.rsplit("/", 1)[0] if re.match(r"^(/|[A-Za-z]:/)", snapshots) else ""
        self.rebased = False
        registry = kid(machine, "MediaRegistry")
        stack = [(node, "") for node in reversed(kids(kid(registry, "HardDisks"), "HardDisk"))]
        while stack:
            node, parent = stack.pop()
            uid = _uuid(attr(node, "uuid"))
            if not uid:
                raise doc.error(node, "a HardDisk has no uuid")
            if uid in self.disks:
                chain = self._chain_ids(parent) if parent else []
                if uid in chain:
                    raise doc.error(node, f"the differencing chain of medium {{{uid}}} loops back on itself")
                raise doc.error(node, f"medium {{{uid}}} appears twice in the MediaRegistry")
            if len(self.disks) >= 4096:
                raise doc.error(node, "more than 4096 media in the MediaRegistry")
            self.disks[uid] = node
            declared = _uuid(attr(node, "parent"))
            if parent or declared:
                self.parent[uid] = parent or declared
            stack.extend((child, uid) for child in reversed(kids(node, "HardDisk")))
        for node in kids(kid(registry, "DVDImages"), "Image"):
            self.images[_uuid(attr(node, "uuid"))] = node

    def _chain_ids(self, uid: str) -> list[str]:
        chain, seen = [], set()
        while uid:
            if uid in seen:
                break
            seen.add(uid)
            chain.append(uid)
            uid = self.parent.get(uid, "")
        return chain

    def chain(self, uid: str, where: Element) -> list[Element]:
        """The media from ``uid`` (attached) down to its base, cycles and missing parents refused."""
        chain: list[Element] = []
        seen: set[str] = set()
        while True:
            if uid in seen:
                raise self.doc.error(where, f"the differencing chain of medium {{{uid}}} loops back on itself")
            seen.add(uid)
            node = self.disks.get(uid)
            if node is None:
                if not chain:
                    raise self.doc.error(where, f"medium {{{uid}}} is not in the machine's MediaRegistry (older "
                                                "VirtualBox versions keep media in VirtualBox.xml)")
                raise self.doc.error(chain[-1], f"the parent {{{uid}}} of medium "
                                                f"{{{_uuid(attr(chain[-1], 'uuid'))}}} is missing")
            chain.append(node)
            if uid not in self.parent:
                return chain
            uid = self.parent[uid]


def _vdi_header(path: Path) -> tuple[int, int] | None:
    """(image type, disk size in bytes) from a VDI header, None if the file is not a VDI."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(0x178)
    except OSError:
        return None
    if len(head) < 0x178 or head[64:68] != b"\x7f\x10\xda\xbe":
        return None
    return int.from_bytes(head[0x4C:0x50], "little"), int.from_bytes(head[0x170:0x178], "little")


def _mac(value: str) -> str:
    digits = value.strip().lower().replace(":", "").replace("-", "")
    if not re.fullmatch(r"[0-9a-f]{12}", digits):
        return ""
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _hardware(doc: XmlDoc, machine: Element, vm: SourceVm) -> Element:
    hardware = kid(machine, "Hardware")
    if hardware is None:
        raise doc.error(machine, "the machine has no Hardware element")
    cpu = kid(hardware, "CPU")
    count = attr(cpu, "count") or text_of(cpu, "CPUCount") if cpu is not None else ""
    vm.vcpus = doc.int_of(cpu, count, "the CPU count", 1, 1024) if count else 1
    memory = kid(hardware, "Memory")
    if memory is None or not attr(memory, "RAMSize"):
        vm.warn("memory.missing", "the machine gives no memory size")
    else:
        vm.memory = doc.int_of(memory, attr(memory, "RAMSize"), "the memory size (MiB)", 1, 1 << 22) << 20
    firmware = kid(hardware, "Firmware")
    if firmware is None:
        firmware = kid(kid(hardware, "Platform"), "Firmware")
    kind = attr(firmware, "type", "BIOS").upper()
    if kind == "BIOS":
        vm.firmware = "bios"
    elif kind.startswith("EFI"):
        vm.firmware = "efi"
    else:
        vm.firmware = "bios"
        vm.warn("firmware.unknown", f"unknown firmware type {short(kind)!r}, assuming BIOS")
    for adapter in kids(kid(hardware, "Network"), "Adapter"):
        if attr(adapter, "enabled").lower() != "true":
            continue
        if len(vm.nics) >= MAX_NICS:
            raise doc.error(adapter, f"more than {MAX_NICS} network adapters")
        raw_mac = attr(adapter, "MACAddress")
        mac = _mac(raw_mac)
        if raw_mac and not mac:
            vm.warn("nic.mac", f"adapter {short(attr(adapter, 'slot'))}: MAC address {short(raw_mac)!r} is not "
                               "valid; a new one is made")
        nic = SourceNic(model=attr(adapter, "type", "Am79C973"), mac=mac)
        for child in adapter:
            if local(child.tag) in _ATTACHMENTS:
                nic.connection = _ATTACHMENTS[local(child.tag)]
                nic.network = attr(child, "name") or (attr(child, "driver") if nic.connection == "generic" else "")
                break
        vm.nics.append(nic)
    vm.serial_ports = sum(1 for port in kids(kid(hardware, "UART"), "Port") if attr(port, "enabled") == "true")
    if attr(kid(hardware, "AudioAdapter"), "enabled") == "true":
        vm.warn("sound.ignored", "the sound card is not converted")
    return hardware


def _storage(doc: XmlDoc, machine: Element, hardware: Element, media: _Media, folder: Path, vm: SourceVm) -> None:
    controllers = kid(machine, "StorageControllers")
    if controllers is None:
        controllers = kid(hardware, "StorageControllers")
    for controller in kids(controllers, "StorageController"):
        name = attr(controller, "name") or "controller"
        bus = _BUSES.get(attr(controller, "type").lower(), "")
        for device in kids(controller, "AttachedDevice"):
            port = doc.int_of(device, attr(device, "port", "0"), "the port", 0, 1 << 16)
            unit = doc.int_of(device, attr(device, "device", "0"), "the device", 0, 1 << 16)
            slot = f"{name} {port}:{unit}"
            kind = attr(device, "type")
            image = kid(device, "Image")
            if kind == "HardDisk":
                if image is None:
                    raise doc.error(device, f"{slot}: a hard disk attachment without an Image")
                if bus == "floppy":
                    vm.warn("floppy.ignored", f"{slot}: floppy controller not converted")
                    continue
                _disk(doc, media, _uuid(attr(image, "uuid")), device, slot, bus, folder, vm)
            elif kind == "DVD":
                if kid(device, "HostDrive") is not None:
                    vm.warn("cdrom.host", f"{slot}: a passed-through host drive is not converted")
                elif image is not None:
                    _dvd(doc, media, _uuid(attr(image, "uuid")), slot, bus, folder, vm)
                else:
                    vm.info("cdrom.empty", f"{slot}: an empty CD/DVD drive is not converted")
            elif kind == "Floppy":
                vm.warn("floppy.ignored", f"{slot}: floppy drive not converted")
            else:
                vm.warn("device.ignored", f"{slot}: a {short(kind)!r} device is not converted")


def _location(doc: XmlDoc, node: Element, folder: Path, what: str, media: _Media) -> Path:
    """A medium's location inside the machine's folder. VirtualBox often writes absolute paths; one under the
    folder the machine was in (the parent of its absolute snapshotFolder) is taken as the same file in the folder
    the .vbox is in now (the machine was copied). Anything else outside the folder is refused."""
    location = attr(node, "location")
    if not location:
        raise doc.error(node, f"{what} has no location")
    if location.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", location):
        posix = location.replace("\\", "/")
        target = Path(posix).resolve() if location.startswith("/") else None
        if target is not None and target.is_relative_to(folder.resolve()):
            return target
        origin = media.origin
        if origin and posix.lower().startswith(origin.lower().rstrip("/") + "/"):
            rel = posix[len(origin.rstrip("/")) + 1:]
            path = inside(doc.path, folder, rel, what, node, doc)
            media.rebased = True
            return path
        raise doc.error(node, f"{what} {short(location, 200)!r} is outside the machine's folder; move it beside "
                              "the .vbox (or copy the machine with its disks) and convert again")
    return inside(doc.path, folder, location, what, node, doc)


def _disk(doc: XmlDoc, media: _Media, uid: str, device: Element, slot: str, bus: str, folder: Path,
          vm: SourceVm) -> None:
    chain = media.chain(uid, device)
    base = chain[-1]
    fmt_name = attr(base, "format").lower()
    if fmt_name == "iscsi":
        vm.warn("disk.iscsi", f"{slot}: an iSCSI disk is not converted")
        return
    path = _location(doc, base, folder, "the disk", media)
    if not path.is_file():
        raise doc.error(base, f"{slot}: disk file {short(attr(base, 'location'), 200)!r} is missing")
    fmt = _FORMATS.get(fmt_name) or sniff_format(path)
    if not fmt:
        raise doc.error(base, f"{slot}: unknown disk format {short(attr(base, 'format'))!r}")
    header = _vdi_header(path) if fmt == "vdi" else None
    if header and header[0] == _VDI_DIFF:
        raise doc.error(base, f"{slot}: {short(attr(base, 'location'))} is a differencing image whose parent is "
                              "not in the MediaRegistry")
    if len(vm.disks) >= MAX_DISKS:
        raise doc.error(device, f"more than {MAX_DISKS} disks")
    capacity = header[1] if header and 0 < header[1] < 1 << 62 else 0
    vm.disks.append(SourceDisk(path=str(path), format=fmt, capacity=capacity, bus=bus, slot=slot, device="disk",
                               readonly=attr(base, "type") == "Readonly"))
    if len(chain) > 1:
        layers = len(chain) - 1
        top = short(attr(chain[0], "location"), 80)
        vm.warn("disk.differencing",
                f"{slot}: the attached disk {top} is a differencing layer ({layers} layer{'s' if layers > 1 else ''}"
                f" over {short(attr(base, 'location'), 80)}); qemu-img cannot read VirtualBox differencing images,"
                f" so only the base disk is converted and the changes in the {layers} later "
                f"layer{'s are' if layers > 1 else ' is'} NOT included; to keep them, merge the snapshots in "
                "VirtualBox (or clone the machine's current state) and convert again")


def _dvd(doc: XmlDoc, media: _Media, uid: str, slot: str, bus: str, folder: Path, vm: SourceVm) -> None:
    node = media.images.get(uid)
    if node is None:
        vm.warn("cdrom.ignored", f"{slot}: CD/DVD image {{{uid}}} is not in the MediaRegistry; not converted")
        return
    try:
        path = _location(doc, node, folder, "the CD/DVD image", media)
    except ConvertError as exc:
        vm.warn("cdrom.ignored", f"{slot}: not converted: {exc}")
        return
    if not path.is_file():
        vm.warn("cdrom.ignored", f"{slot}: CD/DVD image {short(attr(node, 'location'))!r} is missing; not converted")
        return
    if len(vm.disks) >= MAX_DISKS:
        raise doc.error(node, f"more than {MAX_DISKS} disks")
    vm.disks.append(SourceDisk(path=str(path), format="raw", bus=bus, slot=slot, device="cdrom", readonly=True))


def _count_snapshots(machine: Element) -> int:
    count, stack = 0, kids(machine, "Snapshot")
    while stack:
        snapshot = stack.pop()
        count += 1
        stack.extend(kids(kid(snapshot, "Snapshots"), "Snapshot"))
    return count


def parse_vbox(path) -> SourceVm:
    """Parse the VirtualBox settings file at ``path`` into a ``SourceVm`` (format "vbox")."""
    path = Path(path).absolute()
    doc = load_xml(path)
    root = doc.root
    if local(root.tag) != "VirtualBox" or namespace(root.tag) not in VBOX_NAMESPACES:
        raise doc.error(root, f"not a VirtualBox machine file (<{short(local(root.tag))}> in namespace "
                              f"{short(namespace(root.tag))!r}; known: {', '.join(VBOX_NAMESPACES)})")
    machine = kid(root, "Machine")
    if machine is None:
        raise doc.error(root, "no Machine element (a VirtualBox.xml global settings file is not a machine)")
    vm = SourceVm(format="vbox", path=str(path), name=attr(machine, "name"), uuid=_uuid(attr(machine, "uuid")),
                  os=attr(machine, "OSType"), notes=text_of(machine, "Description"))
    for note in doc.notes:
        vm.warn("xml.encoding", note)
    hardware = _hardware(doc, machine, vm)
    media = _Media(doc, machine)
    _storage(doc, machine, hardware, media, path.parent, vm)
    if media.rebased:
        vm.info("disk.moved", f"media recorded under {short(media.origin, 200)} (where the machine was) are read "
                              f"from {path.parent}")
    vm.snapshots = _count_snapshots(machine)
    if vm.snapshots:
        merged = not any(note.code == "disk.differencing" for note in vm.report)
        vm.warn("snapshots.left", f"{vm.snapshots} snapshot{'s' if vm.snapshots > 1 else ''} not converted " + (
            "(the machine's current state is)" if merged else
            "(nor the changes made since the first one: the disks are converted as their base images)"))
    if attr(machine, "stateFile"):
        vm.warn("state.saved", "the machine is in a saved state; the saved memory is not converted (the guest "
                               "boots as after a power failure)")
    return vm
