"""A libvirt domain XML file (``virsh dumpxml``) read as a ``SourceVm``: name, uuid, memory, processors, firmware,
description, file disks and CD images, network adapters, serial ports.

The file is untrusted: read through ``xmlsafe.load_xml`` (bounded, defusedxml, line numbers). The small helpers
here (``parse_mac``, ``text_of``) are the Hyper-V parser's too."""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from .source import MAX_DISKS, MAX_NICS, SourceDisk, SourceNic, SourceVm
from .xmlsafe import XmlDoc, kid, kids, load_xml, local

__all__ = ["parse_libvirt_xml", "parse_mac", "parse_memory"]

INT_MAX = (1 << 63) - 1
VCPUS_MAX = 4096
_UNITS = {"b": 1, "bytes": 1, "kb": 1000, "k": 1 << 10, "kib": 1 << 10, "mb": 1000 ** 2, "m": 1 << 20,
          "mib": 1 << 20, "gb": 1000 ** 3, "g": 1 << 30, "gib": 1 << 30, "tb": 1000 ** 4, "t": 1 << 40,
          "tib": 1 << 40, "pb": 1000 ** 5, "p": 1 << 50, "pib": 1 << 50, "eb": 1000 ** 6, "e": 1 << 60,
          "eib": 1 << 60}
_MAC = re.compile(r"^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$")
_FORMATS = ("raw", "qcow2", "qcow", "vmdk", "vpc", "vdi", "vhdx", "qed", "cow", "bochs", "cloop", "dmg", "parallels")
_BUSES = {"ide": "ide", "scsi": "scsi", "sata": "sata", "virtio": "virtio", "usb": "usb", "xen": "xen",
          "sd": "sd", "fdc": "fdc"}
_IGNORED_DEVICES = {"sound": "sound device ignored", "hostdev": "host device (passthrough) not converted",
                    "filesystem": "shared folder (filesystem) not converted", "tpm": "TPM not converted",
                    "smartcard": "smartcard not converted", "redirdev": "USB redirection not converted"}


def child(el: Element | None, name: str) -> Element | None:
    return kid(el, name)


def children(el: Element | None, name: str) -> list[Element]:
    return kids(el, name)


def text_of(el: Element | None, limit: int = 4096) -> str:
    """The stripped text of ``el``, at most ``limit`` characters ("" for none)."""
    return "" if el is None or el.text is None else el.text.strip()[:limit]


def parse_memory(doc: XmlDoc, el: Element, what: str = "memory") -> int:
    """Bytes of a libvirt size element: its number in its ``unit`` (KiB when it has none)."""
    unit = (el.get("unit") or "KiB").strip()
    factor = _UNITS.get(unit.lower())  # as libvirt: "KB" and "kb" are 1000, "k" and "KiB" 1024
    if factor is None:
        raise doc.error(el, f"{what}: unknown unit {unit[:20]!r}")
    number = doc.int_of(el, text_of(el), what)
    if number * factor > INT_MAX:
        raise doc.error(el, f"{what} is too large ({number} {unit[:20]})")
    return number * factor


def parse_mac(value: str) -> str:
    """"aa:bb:cc:dd:ee:ff" (lower case) from a MAC in any usual spelling; "" when it is not one (or all zero)."""
    value = (value or "").strip().lower()
    if not _MAC.match(value):
        return ""
    digits = value.replace(":", "").replace("-", "")
    if digits == "0" * 12:
        return ""
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _firmware(vm: SourceVm, os_el: Element | None) -> str:
    if os_el is None:
        return "bios"
    fw = (os_el.get("firmware") or "").strip().lower()
    if fw in ("efi", "bios"):
        return fw
    if fw:
        vm.warn("firmware.unknown", f"unknown firmware value {fw[:40]!r}, assuming BIOS")
        return "bios"
    loader = child(os_el, "loader")
    if loader is not None:
        hint = (text_of(loader) + " " + (loader.get("type") or "")).lower()
        if any(w in hint for w in ("ovmf", "edk2", "efi", "aavmf", "pflash")):
            return "efi"
    return "bios"


def _disk_path(path: Path, value: str) -> str:
    if os.path.isabs(value):
        return os.path.normpath(value)
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), value))


def _disk(doc: XmlDoc, vm: SourceVm, el: Element) -> None:
    path = Path(doc.path)
    dtype = (el.get("type") or "file").strip().lower()
    device = (el.get("device") or "disk").strip().lower()
    target = child(el, "target")
    dev = (target.get("dev") or "").strip()[:32] if target is not None else ""
    bus = _BUSES.get((target.get("bus") or "").strip().lower(), "") if target is not None else ""
    if not bus and dev:
        bus = {"hd": "ide", "sd": "scsi", "vd": "virtio", "xv": "xen", "fd": "fdc"}.get(dev[:2], "")
    source = child(el, "source")
    name = dev or "a disk"
    if dtype != "file":
        what = {"block": "a block device", "network": "a network disk", "volume": "a storage pool volume",
                "dir": "a folder", "nvme": "a host NVMe device"}.get(dtype, f"a {dtype[:20]!r} disk")
        vm.warn("disk.skipped", f"disk {name} is {what}, not a file: not converted")
        return
    file = (source.get("file") or "").strip() if source is not None else ""
    if device not in ("disk", "cdrom", "floppy"):
        vm.warn("disk.skipped", f"disk {name}: device {device[:20]!r} not converted")
        return
    if not file:
        if device == "disk":
            vm.warn("disk.skipped", f"disk {name} has no file: not converted")
        else:
            vm.disks.append(SourceDisk("", "raw", bus=bus, slot=dev, device=device, readonly=True))
        return
    if "\x00" in file or len(file) > 4096:
        raise doc.error(source, f"disk {name}: the file name is not a path")
    driver = child(el, "driver")
    fmt = (driver.get("type") or "").strip().lower() if driver is not None else ""
    if fmt and fmt not in _FORMATS:
        vm.warn("disk.format", f"disk {name}: unknown format {fmt[:20]!r}, read as raw")
        fmt = "raw"
    if not fmt:
        fmt = "raw"
        if device == "disk":
            vm.info("disk.format", f"disk {name}: no driver type given, read as raw (as libvirt does)")
    readonly = child(el, "readonly") is not None or device == "cdrom"
    if child(source, "encryption") is not None or child(el, "encryption") is not None:
        vm.warn("disk.encrypted", f"disk {name} is encrypted: the conversion needs its secret")
    if child(el, "backingStore") is not None and child(child(el, "backingStore"), "source") is not None:
        vm.info("disk.backing", f"disk {name} has a backing chain: it is converted as one disk")
    vm.disks.append(SourceDisk(_disk_path(path, file), fmt, 0, bus, dev, device, readonly))


def _interface(vm: SourceVm, el: Element) -> None:
    itype = (el.get("type") or "").strip().lower()[:20]
    mac_el = child(el, "mac")
    raw_mac = (mac_el.get("address") or "") if mac_el is not None else ""
    mac = parse_mac(raw_mac)
    if raw_mac and not mac:
        vm.warn("nic.mac", f"network adapter {len(vm.nics) + 1}: MAC address {raw_mac[:40]!r} is not one, dropped")
    source = child(el, "source")
    network = ""
    if source is not None:
        network = (source.get("network") or source.get("bridge") or source.get("dev") or source.get("switchid")
                   or source.get("name") or "").strip()[:256]
    model_el = child(el, "model")
    model = (model_el.get("type") or "").strip()[:40] if model_el is not None else ""
    connection = {"network": "network", "bridge": "bridged", "user": "nat", "direct": "bridged",
                  "ethernet": "ethernet", "vhostuser": "vhostuser"}.get(itype, itype)
    vm.nics.append(SourceNic(model, mac, network, connection))


def parse_libvirt_xml(path) -> SourceVm:
    """The ``SourceVm`` of a libvirt domain XML file, or ConvertError (one line naming the file)."""
    path = Path(path)
    doc = load_xml(path)
    root = doc.root
    if local(root.tag) != "domain":
        raise doc.error(root, f"not a libvirt domain XML file (its root element is <{local(root.tag)[:40]}>, "
                              f"not <domain>)")
    vm = SourceVm("libvirt", str(path.absolute()))
    for note in doc.notes:
        vm.info("xml.encoding", note)
    vm.name = text_of(child(root, "name"), 1024)
    if not vm.name:
        vm.warn("name.missing", "the domain has no name")
    vm.uuid = text_of(child(root, "uuid"), 64)
    mem_el, cur_el = child(root, "memory"), child(root, "currentMemory")
    memory = parse_memory(doc, mem_el, "memory") if mem_el is not None else 0
    current = parse_memory(doc, cur_el, "currentMemory") if cur_el is not None else 0
    if not memory and not current:
        vm.warn("memory.missing", "the domain does not say its memory")
    elif current and memory and current < memory:
        vm.info("memory.current", f"the domain's current memory is {current >> 20} MiB of {memory >> 20} MiB: "
                                  f"converted with {memory >> 20} MiB")
    vm.memory = memory or current
    vcpu = child(root, "vcpu")
    if vcpu is not None:
        vm.vcpus = doc.int_of(vcpu, text_of(vcpu), "vcpu", 1, VCPUS_MAX)
        if vcpu.get("current"):
            current_vcpus = doc.int_of(vcpu, vcpu.get("current"), "vcpu current", 1, vm.vcpus)
            if current_vcpus < vm.vcpus:
                vm.info("vcpus.current", f"{current_vcpus} of {vm.vcpus} processors online: converted with "
                                         f"{current_vcpus}")
                vm.vcpus = current_vcpus
    vm.firmware = _firmware(vm, child(root, "os"))
    vm.notes = text_of(child(root, "description"), 20_000) or text_of(child(root, "title"), 1024)
    for meta in root.iter():
        if local(meta.tag) == "os" and meta.get("id") and "libosinfo" in str(meta.tag):
            vm.os = meta.get("id", "")[:256]
            break
    devices = child(root, "devices")
    disks = children(devices, "disk")
    interfaces = children(devices, "interface")
    if len(disks) > MAX_DISKS:
        raise doc.error(disks[MAX_DISKS], f"{len(disks)} disks: at most {MAX_DISKS} are read")
    if len(interfaces) > MAX_NICS:
        raise doc.error(interfaces[MAX_NICS], f"{len(interfaces)} network adapters: at most {MAX_NICS} are read")
    for el in disks:
        _disk(doc, vm, el)
    for el in interfaces:
        _interface(vm, el)
    # a console whose target is a serial port is the first serial port (libvirt adds it when it is missing)
    consoles = [(child(c, "target").get("type") if child(c, "target") is not None else None) or "serial"
                for c in children(devices, "console")]
    serial_consoles = sum(1 for t in consoles if t == "serial")
    vm.serial_ports = max(len(children(devices, "serial")), serial_consoles) + len(consoles) - serial_consoles
    seen = set()
    for el in devices if devices is not None else ():
        tag = local(el.tag)
        if tag in _IGNORED_DEVICES and tag not in seen:
            seen.add(tag)
            vm.warn(f"device.{tag}", _IGNORED_DEVICES[tag])
    return vm
