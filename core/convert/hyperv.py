"""A Hyper-V 2008 R2 / 2012 exported VM (``Virtual Machines/<GUID>.xml`` in the export's folder) read as a
``SourceVm``: name, id, memory, processors, the virtual hard disks and ISO images of its IDE and SCSI controllers,
and its network adapters (synthetic and legacy) with their MAC address and switch.

Hyper-V writes each value as an element with a ``type`` attribute (``<size type="integer">1024</size>``); devices
are elements named after a GUID (``<_83f8638b-..._>``). Disk paths are the Hyper-V host's (``C:\\...\\web.vhd``):
a disk is looked for by its file name in the export's ``Virtual Hard Disks`` folder, then beside the XML file.
2016 and later export binary ``.vmcx`` files, which are not read. XML declared UTF-16 that is really UTF-8 reads."""

from __future__ import annotations

import ntpath
import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from .libvirt_xml import child, parse_mac, text_of
from .source import MAX_DISKS, MAX_NICS, SourceDisk, SourceNic, SourceVm
from .xmlsafe import XmlDoc, load_xml, local

__all__ = ["IDE_CONTROLLER", "SCSI_CONTROLLER", "is_hyperv_config", "parse_hyperv_xml"]

IDE_CONTROLLER = "83f8638b-8dca-4152-9eda-2ca8b33039b4"
SCSI_CONTROLLER = "d422512d-2bf2-4752-809d-7b82b5fcb1b4"
MEMORY_MAX_MB = 1 << 30  # MiB; far above any Hyper-V VM, below 2^63 bytes
VCPUS_MAX = 4096
_GUID_TAG = re.compile(r"^_?\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?_?$")
_INDEXED = re.compile(r"^(controller|drive)(\d{1,2})$")
_DISK_FORMATS = {".vhd": "vpc", ".vhdx": "vhdx", ".avhd": "vpc", ".avhdx": "vhdx"}


def _guid(tag: str) -> str:
    m = _GUID_TAG.match(local(tag))
    return m.group(1).lower() if m else ""


def is_hyperv_config(root: Element) -> bool:
    """A Hyper-V exported configuration: <configuration> with <properties> or <settings>."""
    return local(root.tag) == "configuration" and (child(root, "properties") is not None
                                                  or child(root, "settings") is not None)


def _value(el: Element | None, name: str, limit: int = 4096) -> str:
    return text_of(child(el, name), limit)


def _export_root(path: Path) -> Path:
    folder = path.absolute().parent
    return folder.parent if folder.name.lower() == "virtual machines" else folder


def _find_disk(path: Path, windows_path: str) -> tuple[str, bool]:
    """The local file of a disk the configuration names by its Hyper-V host path, and whether it exists."""
    base = ntpath.basename(windows_path.replace("/", "\\"))
    if not base or base in (".", "..") or "\x00" in base:
        return "", False
    root = _export_root(path)
    candidates = []
    for folder in (root, path.absolute().parent):
        for sub in ("Virtual Hard Disks", "."):
            candidates.append(folder / sub / base)
    try:
        for entry in os.scandir(root):  # a case-insensitive match, as on Windows
            if entry.is_dir() and entry.name.lower() == "virtual hard disks":
                candidates.extend(Path(entry.path) / name for name in os.listdir(entry.path)
                                  if name.lower() == base.lower())
    except OSError:
        pass
    for c in candidates:
        if c.is_file():
            return os.path.normpath(str(c)), True
    return os.path.normpath(str(root / "Virtual Hard Disks" / base)), False


def _controllers(doc: XmlDoc, vm: SourceVm, el: Element, bus: str) -> None:
    path = Path(doc.path)
    for ctl in el:
        cm = _INDEXED.match(local(ctl.tag))
        if not cm or cm.group(1) != "controller":
            continue
        for drive in ctl:
            dm = _INDEXED.match(local(drive.tag))
            if not dm or dm.group(1) != "drive":
                continue
            slot = f"{bus.upper()} {cm.group(2)}:{dm.group(2)}"
            kind = _value(drive, "type", 40).upper()
            pathname = _value(drive, "pathname")
            if kind in ("", "NONE") and not pathname:
                continue
            if kind in ("ISO", "DVD"):
                local_path, found = _find_disk(path, pathname) if pathname else ("", False)
                vm.disks.append(SourceDisk(local_path if found else pathname, "raw", bus=bus, slot=slot, device="cdrom",
                                           readonly=True))
                continue
            if kind not in ("VHD", "VHDX", ""):
                vm.warn("disk.skipped", f"{slot}: a {kind[:20]!r} drive (a physical disk?) is not converted")
                continue
            if not pathname:
                vm.warn("disk.skipped", f"{slot}: a virtual hard disk with no file name, not converted")
                continue
            ext = ntpath.splitext(pathname)[1].lower()
            fmt = _DISK_FORMATS.get(ext)
            if fmt is None:
                vm.warn("disk.format", f"{slot}: {ntpath.basename(pathname)[:80]!r} is not a .vhd or .vhdx, "
                                       "read as a VHD")
                fmt = "vpc"
            if ext in (".avhd", ".avhdx"):
                vm.warn("disk.differencing", f"{slot}: {ntpath.basename(pathname)[:80]} is a differencing disk "
                                             "(a snapshot's): merge the snapshots before converting")
            local_path, found = _find_disk(path, pathname)
            if not local_path:
                vm.warn("disk.skipped", f"{slot}: the file name {pathname[:80]!r} is not a path, not converted")
                continue
            if not found:
                vm.warn("disk.missing", f"{slot}: {ntpath.basename(pathname)[:80]} is not in the export's "
                                        "Virtual Hard Disks folder")
            if len(vm.disks) >= MAX_DISKS:
                raise doc.error(drive, f"more than {MAX_DISKS} disks")
            vm.disks.append(SourceDisk(local_path, fmt, 0, bus, slot, "disk", False))


def _connection(el: Element) -> str:
    conn = child(el, "Connection")
    if conn is None:
        conn = child(el, "connection")
    if conn is None:
        return _value(el, "SwitchName", 256) or _value(el, "switch", 256)
    if len(conn):
        return (_value(conn, "AltSwitchName", 256) or _value(conn, "SwitchName", 256)
                or _value(conn, "switch", 256))
    return text_of(conn, 256)


def _nic(doc: XmlDoc, vm: SourceVm, el: Element) -> bool:
    """A network adapter from a GUID-named device element; False when the element is not one."""
    synthetic = child(el, "MacAddress")
    emulated = child(el, "address")
    if synthetic is None and emulated is None:
        return False
    raw = text_of(synthetic if synthetic is not None else emulated, 64)
    mac = parse_mac(raw)
    if raw and not mac and raw.strip("0"):
        vm.warn("nic.mac", f"network adapter {len(vm.nics) + 1}: MAC address {raw[:40]!r} is not one, dropped")
    friendly = _value(el, "FriendlyName", 256)
    legacy = synthetic is None or "legacy" in friendly.lower()
    network = _connection(el)
    connected = _value(el, "IsConnected", 10).lower()
    if connected == "false":
        network = ""
    if len(vm.nics) >= MAX_NICS:
        raise doc.error(el, f"more than {MAX_NICS} network adapters")
    vm.nics.append(SourceNic("emulated" if legacy else "synthetic", mac, network, "bridged" if network else ""))
    return True


def parse_hyperv_xml(path) -> SourceVm:
    """The ``SourceVm`` of a Hyper-V exported VM configuration, or ConvertError (one line naming the file)."""
    path = Path(path)
    doc = load_xml(path)
    root = doc.root
    if not is_hyperv_config(root):
        raise doc.error(root, f"not a Hyper-V exported VM configuration (root element <{local(root.tag)[:40]}> "
                              "without <properties>)")
    vm = SourceVm("hyperv", str(path.absolute()), firmware="bios")
    for note in doc.notes:
        vm.info("xml.encoding", note)
    props, settings = child(root, "properties"), child(root, "settings")
    vm.name = _value(props, "name", 1024)
    if not vm.name:
        vm.warn("name.missing", "the configuration has no name")
    vm.uuid = (_value(settings, "global_id", 64) or _value(props, "global_id", 64)).strip("{}").lower()
    vm.notes = _value(props, "notes", 20_000)
    bank = child(child(root, "memory"), "bank")
    size = _value(bank, "size", 40)
    if size:
        vm.memory = doc.int_of(child(bank, "size"), size, "memory size (MB)", 0, MEMORY_MAX_MB) << 20
        if _value(bank, "dynamic_memory_enabled", 10).lower() == "true":
            vm.info("memory.dynamic", f"dynamic memory: converted with its startup memory {vm.memory >> 20} MiB")
    else:
        vm.warn("memory.missing", "the configuration does not say its memory")
    count = _value(child(root, "processors"), "count", 40)
    if count:
        vm.vcpus = doc.int_of(child(child(root, "processors"), "count"), count, "processor count", 1, VCPUS_MAX)
    for el in root:
        guid = _guid(el.tag)
        tag = local(el.tag).lower()
        if guid == IDE_CONTROLLER or tag == "ide":
            _controllers(doc, vm, el, "ide")
        elif guid == SCSI_CONTROLLER or tag == "scsi":
            _controllers(doc, vm, el, "scsi")
        elif guid:
            if not _nic(doc, vm, el) and child(el, "controller0") is not None:
                _controllers(doc, vm, el, "scsi")  # a controller of another id: SCSI (IDE has its own)
    snapshots = _export_root(path) / "Snapshots"
    try:
        vm.snapshots = sum(1 for e in os.scandir(snapshots) if e.name.lower().endswith(".xml")) \
            if snapshots.is_dir() else 0
    except OSError:
        vm.snapshots = 0
    return vm
