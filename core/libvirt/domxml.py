"""Domain XML in both directions: read a domain's XML into the fields of Bulkhead's VM model, and write the XML
of a new VM (memory, vCPUs, a disk, an ISO, a network, a serial console)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

KiB = 1024
GUEST_AGENT = "org.qemu.guest_agent.0"
_UNITS = {"b": 1, "bytes": 1, "k": KiB, "kib": KiB, "kb": 1000, "m": KiB**2, "mib": KiB**2, "mb": 1000**2,
          "g": KiB**3, "gib": KiB**3, "gb": 1000**3, "t": KiB**4, "tib": KiB**4, "tb": 1000**4}
# Bulkhead's controller names, and libvirt's own bus names
BUSES = {"synthetic": "virtio", "emulated": "ide", "virtio": "virtio", "ide": "ide", "sata": "sata",
         "scsi": "scsi", "usb": "usb"}
_DEV_PREFIX = {"virtio": "vd", "ide": "hd", "sata": "sd", "scsi": "sd", "usb": "sd"}


def _size(el: ET.Element | None) -> int:
    if el is None or not (el.text or "").strip():
        return 0
    unit = el.get("unit", "KiB").lower()
    return int(el.text.strip()) * _UNITS.get(unit, KiB)


@dataclass
class DomainConfig:
    """What Bulkhead shows of a domain's (inactive or live) XML."""

    name: str = ""
    uuid: str = ""
    type: str = ""
    memory: int = 0  # bytes: the current allocation
    max_memory: int = 0
    vcpus: int = 0
    description: str = ""
    cmdline: str = ""
    disks: list[dict] = field(default_factory=list)
    interfaces: list[dict] = field(default_factory=list)
    serial: bool = False
    guest_agent: bool = False
    boot: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, xml: str) -> DomainConfig:
        root = ET.fromstring(xml)
        c = cls(name=root.findtext("name", ""), uuid=root.findtext("uuid", ""), type=root.get("type", ""))
        c.max_memory = _size(root.find("memory"))
        c.memory = _size(root.find("currentMemory")) or c.max_memory
        vcpu = root.find("vcpu")
        if vcpu is not None and (vcpu.text or "").strip():
            c.vcpus = int(vcpu.get("current") or vcpu.text.strip())
        c.description = root.findtext("description", "")
        c.cmdline = root.findtext("os/cmdline", "")
        c.boot = [b.get("dev", "") for b in root.findall("os/boot")]
        devices = root.find("devices")
        if devices is None:
            return c
        for d in devices.findall("disk"):
            source = d.find("source")
            path = ""
            if source is not None:
                path = source.get("file") or source.get("dev") or source.get("volume") or source.get("name") or ""
                if source.get("pool") and source.get("volume"):
                    path = f"{source.get('pool')}/{source.get('volume')}"
            target = d.find("target")
            driver = d.find("driver")
            c.disks.append({"device": d.get("device", "disk"), "type": d.get("type", "file"), "source": path,
                            "target": target.get("dev", "") if target is not None else "",
                            "bus": target.get("bus", "") if target is not None else "",
                            "format": driver.get("type", "") if driver is not None else "",
                            "readonly": d.find("readonly") is not None})
        for i in devices.findall("interface"):
            source = i.find("source")
            mac = i.find("mac")
            model = i.find("model")
            src = ""
            if source is not None:
                src = source.get("network") or source.get("bridge") or source.get("dev") or ""
            c.interfaces.append({"type": i.get("type", ""), "source": src,
                                 "mac": mac.get("address", "") if mac is not None else "",
                                 "model": model.get("type", "") if model is not None else ""})
        c.serial = devices.find("serial") is not None or devices.find("console") is not None
        c.guest_agent = any(ch.find("target") is not None and ch.find("target").get("name") == GUEST_AGENT
                            for ch in devices.findall("channel"))
        return c

    @property
    def main_disk(self) -> dict | None:
        disks = [d for d in self.disks if d["device"] == "disk"]
        return disks[0] if disks else None

    @property
    def iso(self) -> str:
        cds = [d for d in self.disks if d["device"] == "cdrom" and d["source"]]
        return cds[0]["source"] if cds else ""


def caps_domain_types(caps_xml: str, arch: str) -> list[str]:
    """The domain types (kvm, qemu, test ...) the host offers for an architecture, from getCapabilities()."""
    root = ET.fromstring(caps_xml)
    types: list[str] = []
    for guest in root.findall("guest"):
        a = guest.find("arch")
        if a is None or a.get("name") != arch:
            continue
        for dom in a.findall("domain"):
            if dom.get("type") and dom.get("type") not in types:
                types.append(dom.get("type"))
    return types


def caps_host(caps_xml: str) -> dict:
    root = ET.fromstring(caps_xml)
    cpu = root.find("host/cpu")
    guests = [g.find("arch").get("name") for g in root.findall("guest") if g.find("arch") is not None]
    return {"arch": cpu.findtext("arch", "") if cpu is not None else "",
            "cpu_model": cpu.findtext("model", "") if cpu is not None else "",
            "cpu_vendor": cpu.findtext("vendor", "") if cpu is not None else "",
            "guest_arches": list(dict.fromkeys(guests))}


def new_domain_xml(*, name: str, uuid: str = "", memory: int, vcpus: int, domain_type: str, arch: str, disk: str = "",
                   disk_format: str = "", bus: str = "virtio", disk_readonly: bool = False, iso: str = "",
                   boot: str = "", network: str = "", notes: str = "", guest_agent: bool = False) -> str:
    """The XML of a new domain. ``network`` is a libvirt network name, or ``bridge:NAME`` for a host bridge."""
    kib = max(1, memory // KiB)
    lines = [f"<domain type={quoteattr(domain_type)}>",
             f"  <name>{escape(name)}</name>",
             *([f"  <uuid>{escape(uuid)}</uuid>"] if uuid else []),
             f"  <memory unit='KiB'>{kib}</memory>",
             f"  <currentMemory unit='KiB'>{kib}</currentMemory>",
             f"  <vcpu placement='static'>{int(vcpus)}</vcpu>"]
    if notes:
        lines.append(f"  <description>{escape(notes)}</description>")
    lines.append(f"  <os><type arch={quoteattr(arch)}>hvm</type>")
    order = [boot] if boot else (["cdrom", "hd"] if iso else ["hd"])
    for dev in order:
        lines.append(f"    <boot dev={quoteattr(dev)}/>")
    lines.append("  </os>")
    if domain_type in ("kvm", "qemu"):
        lines.append("  <features><acpi/><apic/></features>")
    lines += ["  <on_poweroff>destroy</on_poweroff>", "  <on_reboot>restart</on_reboot>",
              "  <on_crash>destroy</on_crash>", "  <devices>"]
    if disk:
        dev = _DEV_PREFIX.get(bus, "vd") + "a"
        driver = f"<driver name='qemu' type={quoteattr(disk_format)}/>" if disk_format and domain_type != "test" \
            else ""
        lines.append(f"    <disk type='file' device='disk'>{driver}<source file={quoteattr(disk)}/>"
                     f"<target dev={quoteattr(dev)} bus={quoteattr(bus)}/>{'<readonly/>' if disk_readonly else ''}"
                     "</disk>")
    if iso:
        driver = "<driver name='qemu' type='raw'/>" if domain_type != "test" else ""
        lines.append(f"    <disk type='file' device='cdrom'>{driver}<source file={quoteattr(iso)}/>"
                     "<target dev='hdc' bus='ide'/><readonly/></disk>")
    if network:
        if network.startswith("bridge:"):
            lines.append(f"    <interface type='bridge'><source bridge={quoteattr(network[7:])}/>"
                         "<model type='virtio'/></interface>")
        else:
            lines.append(f"    <interface type='network'><source network={quoteattr(network)}/>"
                         "<model type='virtio'/></interface>")
    lines += ["    <serial type='pty'><target port='0'/></serial>",
              "    <console type='pty'><target type='serial' port='0'/></console>"]
    if guest_agent:
        lines.append(f"    <channel type='unix'><target type='virtio' name='{GUEST_AGENT}'/></channel>")
    lines += ["  </devices>", "</domain>"]
    return "\n".join(lines) + "\n"


def volume_xml(name: str, capacity: int, fmt: str, allocation: int | None = None) -> str:
    """A storage volume of ``capacity`` bytes; ``allocation`` (bytes) allocates that much at once."""
    alloc = f"<allocation unit='bytes'>{int(allocation)}</allocation>" if allocation is not None else ""
    return (f"<volume><name>{escape(name)}</name><capacity unit='bytes'>{int(capacity)}</capacity>{alloc}"
            f"<target><format type={quoteattr(fmt)}/></target></volume>")
