"""OVF descriptors (DMTF DSP0243: 0.9, 1.x and 2.0) -> ``SourceVm``.

Read: References/File, DiskSection/Disk (capacity and its units), NetworkSection, the VirtualSystem (or the first
of a VirtualSystemCollection: the others are reported), its VirtualHardwareSection Items by rasd:ResourceType,
OperatingSystemSection and AnnotationSection. Every file named is resolved inside the descriptor's folder."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath

from core.convert.source import MAX_DISKS, MAX_NICS, ConvertError, SourceDisk, SourceNic, SourceVm
from core.convert.xmlsafe import INT_MAX, XmlDoc, attr, kid, kids, load_xml, local, namespace, short, text_of

__all__ = ["parse_ovf", "OVF_NAMESPACES", "parse_units", "sniff_format", "inside"]

OVF_NAMESPACES = {
    "http://www.vmware.com/schema/ovf/1/envelope": "0.9",
    "http://schemas.dmtf.org/ovf/envelope/1": "1.x",
    "http://schemas.dmtf.org/ovf/envelope/2": "2.0",
}
_EXT_FORMATS = {".vmdk": "vmdk", ".vhd": "vpc", ".vhdx": "vhdx", ".qcow2": "qcow2", ".qcow": "qcow2",
                ".vdi": "vdi", ".img": "raw", ".raw": "raw", ".iso": "raw", ".bin": "raw"}
_UNIT_WORDS = {"byte": 1, "bytes": 1, "kb": 1 << 10, "kilobyte": 1 << 10, "kilobytes": 1 << 10,
               "mb": 1 << 20, "megabyte": 1 << 20, "megabytes": 1 << 20, "gb": 1 << 30, "gigabyte": 1 << 30,
               "gigabytes": 1 << 30, "tb": 1 << 40, "terabyte": 1 << 40, "terabytes": 1 << 40}
_UNITS = re.compile(r"byte\s*(?:\*\s*(\d{1,4})\s*(?:\^\s*(\d{1,3}))?)?")
_HOST_RESOURCE = re.compile(r"(?:ovf:)?/+(disk|file)/+([^/\s]+)")
_MAC = re.compile(r"[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}")
_BUSES = {5: "ide", 6: "scsi", 20: "sata"}


def parse_units(units: str) -> int | None:
    """The multiplier an OVF unit string means ("byte * 2^30" -> 2**30, "MegaBytes" -> 2**20); None if unknown."""
    text = units.strip().lower()
    if not text:
        return 1
    if text in _UNIT_WORDS:
        return _UNIT_WORDS[text]
    match = _UNITS.fullmatch(text)
    if not match:
        return None
    base, power = match.group(1), match.group(2)
    if base is None:
        return 1
    base, power = int(base), int(power) if power is not None else 1
    if base < 1 or power > 80:
        return None
    value = base ** power
    return value if value <= INT_MAX else None


def sniff_format(path: Path) -> str:
    """qemu-img's name for the image at ``path`` from its first bytes ("" for no known magic: raw)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return ""
    if head.startswith(b"KDMV") or head.startswith(b"COWD") or head.lstrip().startswith(b"# Disk DescriptorFile"):
        return "vmdk"
    if head.startswith(b"QFI\xfb"):
        return "qcow2"
    if head.startswith(b"vhdxfile"):
        return "vhdx"
    if head.startswith(b"conectix"):
        return "vpc"
    if len(head) >= 68 and head[64:68] == b"\x7f\x10\xda\xbe":
        return "vdi"
    return ""


def inside(doc_path, folder: Path, href: str, what: str, elem=None, doc: XmlDoc | None = None) -> Path:
    """``href`` (relative, forward slashes) resolved inside ``folder``; absolute, ``..``, URL hrefs refused."""
    def refuse(why: str) -> ConvertError:
        return doc.error(elem, f"{what} {short(href)!r} {why}") if doc else ConvertError(doc_path, f"{what} {why}")
    if not href or "\x00" in href:
        raise refuse("is empty")
    if re.match(r"^[A-Za-z]:", href):
        raise refuse("is an absolute path; only files beside the descriptor are read")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) and not href.lower().startswith("file:"):
        raise refuse("is not a file in the descriptor's folder (remote files are not fetched)")
    if href.lower().startswith("file:"):
        raise refuse("is an absolute file URL; only files beside the descriptor are read")
    rel = PurePosixPath(href.replace("\\", "/"))
    if rel.is_absolute():
        raise refuse("is an absolute path; only files beside the descriptor are read")
    if ".." in rel.parts:
        raise refuse("leaves the descriptor's folder (..)")
    target = (folder / Path(*rel.parts)).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise refuse("leads outside the descriptor's folder (a link)")
    return target


def _sname(elem) -> str:
    """A section's name: its local tag, or for OVF 0.9's ``<Section xsi:type="ovf:DiskSection_Type">`` and
    ``<Content xsi:type="ovf:VirtualSystem_Type">`` the type without the prefix and ``_Type``."""
    name = local(elem.tag)
    if name in ("Section", "Content"):
        xsi = attr(elem, "type").rsplit(":", 1)[-1]
        return xsi[:-5] if xsi.endswith("_Type") else xsi
    return name


def _sections(elem, name: str) -> list:
    return [child for child in elem if _sname(child) == name] if elem is not None else []


def _section(elem, name: str):
    found = _sections(elem, name)
    return found[0] if found else None


def _instance(item) -> str:
    return text_of(item, "InstanceID") or text_of(item, "InstanceId")


def _label(item) -> str:
    return text_of(item, "ElementName") or text_of(item, "Caption") or f"item {_instance(item)}"


def _int_text(doc: XmlDoc, elem, name: str, what: str, lo: int = 0, hi: int = INT_MAX) -> int | None:
    node = kid(elem, name)
    if node is None or not (node.text or "").strip():
        return None
    return doc.int_of(node, node.text, what, lo, hi)


def _scaled(doc: XmlDoc, elem, value: int, units: str, what: str) -> int:
    factor = parse_units(units)
    if factor is None:
        raise doc.error(elem, f"{what}: unknown allocation units {short(units)!r}")
    if value * factor > INT_MAX:
        raise doc.error(elem, f"{what} is too large ({value} x {factor} bytes)")
    return value * factor


def _files(doc: XmlDoc, env, folder: Path, vm: SourceVm) -> dict[str, tuple[Path, str]]:
    files: dict[str, tuple[Path, str]] = {}
    for node in kids(kid(env, "References"), "File"):
        file_id, href = attr(node, "id"), attr(node, "href")
        if not file_id:
            raise doc.error(node, "a References/File has no ovf:id")
        if file_id in files:
            raise doc.error(node, f"two References/File have the id {short(file_id)!r}")
        if attr(node, "compression") not in ("", "identity"):
            raise doc.error(node, f"file {short(href)!r} is compressed ({short(attr(node, 'compression'))}); "
                                  "decompress it and edit the descriptor first")
        if attr(node, "chunkSize"):
            raise doc.error(node, f"file {short(href)!r} is split into chunks; join them first")
        size = attr(node, "size")
        declared = doc.int_of(node, size, f"the size of file {short(href)!r}") if size else None
        path = inside(doc.path, folder, href, "file", node, doc)
        if declared is not None and path.is_file() and path.stat().st_size != declared:
            vm.warn("file.size", f"{short(href)}: {path.stat().st_size} bytes, the descriptor says {declared} "
                                 "(damaged or incomplete?)")
        files[file_id] = (path, href)
    return files


def _disks(doc: XmlDoc, env, files, vm: SourceVm) -> dict[str, SourceDisk]:
    disks: dict[str, SourceDisk] = {}
    section = _section(env, "DiskSection")
    for node in kids(section, "Disk"):
        disk_id = attr(node, "diskId")
        if not disk_id:
            raise doc.error(node, "a DiskSection/Disk has no ovf:diskId")
        if disk_id in disks:
            raise doc.error(node, f"two disks have the id {short(disk_id)!r}")
        if len(disks) >= MAX_DISKS:
            raise doc.error(node, f"more than {MAX_DISKS} disks")
        cap_text = attr(node, "capacity").strip()
        capacity = 0
        if re.fullmatch(r"\$\{.*\}", cap_text):
            vm.warn("disk.capacity", f"disk {disk_id}: its capacity is a property ({short(cap_text)}), not read")
        elif cap_text:
            capacity = _scaled(doc, node, doc.int_of(node, cap_text, f"disk {short(disk_id)!r} capacity"),
                               attr(node, "capacityAllocationUnits"), f"disk {short(disk_id)!r} capacity")
        if attr(node, "parentRef"):
            vm.warn("disk.differencing", f"disk {disk_id} is a delta of disk {short(attr(node, 'parentRef'))}; "
                                         "it is converted on its own, the chain is not merged")
        ref = attr(node, "fileRef")
        if not ref:
            disks[disk_id] = SourceDisk(path="", format="", capacity=capacity)
            vm.info("disk.blank", f"disk {disk_id} has no file in the package: it stands for a new empty disk "
                                      f"of {capacity} bytes")
            continue
        path, href = _packaged(doc, node, files, ref, f"disk {short(disk_id)!r} names file {short(ref)!r}, not in "
                               "References", "disk file")
        disks[disk_id] = SourceDisk(path=str(path), format=_format(doc, node, path, href, vm), capacity=capacity)
    return disks


def _packaged(doc: XmlDoc, node, files: dict, ref: str, unlisted: str, what: str) -> tuple[Path, str]:
    """(path, href) of the file References lists as ``ref``: refused saying ``unlisted`` where it lists none, and
    naming the file ``what`` where it is not beside the descriptor."""
    if ref not in files:
        raise doc.error(node, unlisted)
    path, href = files[ref]
    if not path.is_file():
        raise doc.error(node, f"{what} {short(href)!r} is not beside the descriptor")
    return path, href


def _format(doc: XmlDoc, node, path: Path, href: str, vm: SourceVm) -> str:
    uri = attr(node, "format").lower()
    declared = ""
    if "vmdk" in uri:
        declared = "vmdk"
    elif "qcow" in uri:
        declared = "qcow2"
    elif "137171" in uri or "vhd" in uri:
        declared = "vpc"
    else:
        declared = _EXT_FORMATS.get(PurePosixPath(href).suffix.lower(), "")
    found = sniff_format(path)
    if found and declared and found != declared:
        vm.warn("disk.format", f"{href}: declared {declared} but the file is {found}; read as {found}")
    if not found and declared and declared != "raw":
        vm.warn("disk.format", f"{href}: declared {declared} but no {declared} header was found; read as raw")
    return found or "raw"


def _systems(env) -> list:
    """The VirtualSystems in document order, those inside (nested) collections included."""
    found: list = []

    def walk(node) -> None:
        for child in node:
            if _sname(child) == "VirtualSystem":
                found.append(child)
            elif _sname(child) == "VirtualSystemCollection":
                walk(child)
    walk(env)
    return found


def _chosen_config(env) -> str:
    section = _section(env, "DeploymentOptionSection")
    configs = kids(section, "Configuration")
    for config in configs:
        if attr(config, "default").lower() in ("true", "1"):
            return attr(config, "id")
    return attr(configs[0], "id") if configs else ""


def _items(section, config: str) -> list:
    items = []
    for node in section:
        if local(node.tag) not in ("Item", "StorageItem", "EthernetPortItem"):
            continue
        wanted = attr(node, "configuration").split()
        if wanted and config not in wanted:
            continue
        items.append(node)
    return items


def _mac(value: str) -> str:
    text = value.strip().lower()
    if not _MAC.fullmatch(text):
        return ""
    digits = re.sub(r"[:-]", "", text)
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _hardware(doc: XmlDoc, system, disks, files, networks, vm: SourceVm, config: str) -> set[str]:
    sections = _sections(system, "VirtualHardwareSection")
    if not sections:
        raise doc.error(system, "the virtual system has no VirtualHardwareSection")
    if len(sections) > 1:
        vm.warn("ovf.hardware", f"{len(sections)} VirtualHardwareSections: the first is read")
    section = sections[0]
    for cfg in kids(section, "Config"):
        if attr(cfg, "key") == "firmware":
            value = attr(cfg, "value").lower()
            vm.firmware = value if value in ("efi", "bios") else vm.firmware
    items = _items(section, config)
    controllers: dict[str, tuple[str, int]] = {}
    counts: dict[str, int] = {}
    for item in items:
        rtype = _int_text(doc, item, "ResourceType", "rasd:ResourceType", 0, 1 << 16)
        if rtype in (5, 6, 20):
            bus = _BUSES[rtype]
            sub = text_of(item, "ResourceSubType").lower()
            if "nvme" in sub:
                bus = "nvme"
            address = _int_text(doc, item, "Address", "controller address", 0, 255)
            index = address if address is not None else counts.get(bus, 0)
            counts[bus] = counts.get(bus, 0) + 1
            controllers[_instance(item)] = (bus, index)
    used: set[str] = set()
    for item in items:
        rtype = _int_text(doc, item, "ResourceType", "rasd:ResourceType", 0, 1 << 16)
        label = _label(item)
        if rtype == 3:
            vm.vcpus = _int_text(doc, item, "VirtualQuantity", "the processor count", 1, 4096) or 1
        elif rtype == 4:
            quantity = _int_text(doc, item, "VirtualQuantity", "the memory size", 1)
            units = text_of(item, "AllocationUnits")
            if not units:
                units = "byte * 2^20"
                vm.warn("memory.units", "the memory size has no AllocationUnits; read as MiB")
            if quantity is not None:
                vm.memory = _scaled(doc, item, quantity, units, "the memory size")
        elif rtype == 10:
            if len(vm.nics) >= MAX_NICS:
                raise doc.error(item, f"more than {MAX_NICS} network adapters")
            address = text_of(item, "Address")
            mac = _mac(address)
            if address and not mac:
                vm.warn("nic.mac", f"{label}: MAC address {short(address)!r} is not valid; a new one is made")
            network = text_of(item, "Connection")
            if network and networks and network not in networks:
                vm.warn("nic.network", f"{label}: network {short(network)!r} is not in the NetworkSection")
            vm.nics.append(SourceNic(model=text_of(item, "ResourceSubType"), mac=mac, network=network))
        elif rtype in (15, 16, 17):
            _attach(doc, item, rtype, label, disks, files, controllers, vm, used)
        elif rtype == 21:
            vm.serial_ports += 1
        elif rtype == 14:
            vm.warn("floppy.ignored", f"{label}: floppy drive not converted")
        elif rtype == 35:
            vm.warn("sound.ignored", f"{label}: sound card not converted")
    return used


def _attach(doc: XmlDoc, item, rtype: int, label: str, disks, files, controllers, vm: SourceVm,
            used: set[str]) -> None:
    resource = text_of(item, "HostResource")
    parent = text_of(item, "Parent")
    bus, index = controllers.get(parent, ("", 0))
    if parent and parent not in controllers:
        vm.warn("disk.controller", f"{label}: its controller {short(parent)!r} is not in the hardware")
    unit = text_of(item, "AddressOnParent")
    slot = f"{bus}{index}:{unit or 0}" if bus else ""
    device = "disk" if rtype == 17 else "cdrom"
    if not resource:
        if rtype == 17:
            vm.warn("disk.missing", f"{label}: a disk without a HostResource is not converted")
        else:
            vm.info("cdrom.empty", f"{label}: an empty CD/DVD drive is not converted")
        return
    match = _HOST_RESOURCE.fullmatch(resource)
    if not match:
        raise doc.error(item, f"{label}: HostResource {short(resource)!r} is neither ovf:/disk/ID nor ovf:/file/ID")
    kind, ref = match.groups()
    if kind == "disk":
        if ref not in disks:
            raise doc.error(item, f"{label}: disk {short(ref)!r} is not in the DiskSection")
        disk = disks[ref]
        if ref in used:
            if disk.path:
                vm.warn("disk.twice", f"{label}: disk {ref} is attached twice; the first attachment is kept")
                return
            disk = replace(disk)  # a blank disk attached again is one more new empty disk
        if len(vm.disks) >= MAX_DISKS:
            raise doc.error(item, f"more than {MAX_DISKS} disks")
        disk.bus, disk.slot, disk.device = bus, slot, device
        disk.readonly = device == "cdrom"
        used.add(ref)
        vm.disks.append(disk)
        return
    path, _href = _packaged(doc, item, files, ref, f"{label}: file {short(ref)!r} is not in References",
                            f"{label}: file")
    if len(vm.disks) >= MAX_DISKS:
        raise doc.error(item, f"more than {MAX_DISKS} disks")
    fmt = sniff_format(path) or "raw"
    vm.disks.append(SourceDisk(path=str(path), format=fmt, bus=bus, slot=slot, device=device,
                               readonly=device == "cdrom"))


def parse_ovf(path) -> SourceVm:
    """Parse the OVF descriptor at ``path`` into a ``SourceVm`` (format "ovf")."""
    path = Path(path).absolute()
    doc = load_xml(path)
    env = doc.root
    ns = namespace(env.tag)
    if local(env.tag) != "Envelope" or ns not in OVF_NAMESPACES:
        known = ", ".join(f"{v} {k}" for k, v in OVF_NAMESPACES.items())
        raise doc.error(env, f"not an OVF envelope (<{short(local(env.tag))}> in namespace {short(ns)!r}; "
                             f"known: {known})")
    vm = SourceVm(format="ovf", path=str(path))
    for note in doc.notes:
        vm.warn("xml.encoding", note)
    vm.info("ovf.version", f"OVF {OVF_NAMESPACES[ns]}")
    folder = path.parent
    files = _files(doc, env, folder, vm)
    disks = _disks(doc, env, files, vm)
    networks = [attr(n, "name") for n in kids(_section(env, "NetworkSection"), "Network")]
    systems = _systems(env)
    if not systems:
        raise doc.error(env, "the envelope holds no VirtualSystem")
    system = systems[0]
    if len(systems) > 1:
        others = ", ".join(short(text_of(s, "Name") or attr(s, "id"), 40) for s in systems[1:6])
        more = f" and {len(systems) - 6} more" if len(systems) > 6 else ""
        vm.warn("ovf.collection", f"the package holds {len(systems)} virtual systems; only the first is "
                                  f"converted, not: {others}{more}")
    vm.name = text_of(system, "Name") or attr(system, "id")
    hardware = _section(system, "VirtualHardwareSection")
    ident = text_of(kid(hardware, "System"), "VirtualSystemIdentifier")
    if re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", ident):
        vm.uuid = ident.lower()
    osec = _section(system, "OperatingSystemSection")
    if osec is not None:
        vm.os = attr(osec, "osType") or text_of(osec, "Description") or (
            f"CIM OS {short(attr(osec, 'id'), 10)}" if attr(osec, "id") else "")
    vm.notes = text_of(_section(system, "AnnotationSection"), "Annotation") or text_of(
        _section(env, "AnnotationSection"), "Annotation")
    used = _hardware(doc, system, disks, files, networks, vm, _chosen_config(env))
    claimed = set()  # disks attached by the other virtual systems or deployment options
    for node in env.iter():
        if local(node.tag) == "HostResource":
            match = _HOST_RESOURCE.fullmatch((node.text or "").strip())
            if match and match.group(1) == "disk":
                claimed.add(match.group(2))
    elsewhere = [i for i in disks if i not in used and i in claimed]
    loose = [i for i in disks if i not in used and i not in claimed]
    vm.disks += [disks[i] for i in loose]
    for disk_id in loose:
        vm.warn("disk.unattached", f"disk {disk_id} is in the DiskSection but attached to no controller")
    if elsewhere:
        vm.info("disk.elsewhere", "disks of other virtual systems or deployment options, not converted: "
                + ", ".join(short(i, 30) for i in elsewhere[:8]) + (" ..." if len(elsewhere) > 8 else ""))
    if not vm.memory:
        vm.warn("memory.missing", "the descriptor gives no memory size")
    return vm
