"""What a parser found in a foreign VM's files: one ``SourceVm`` whatever the format, and the report lines that go
with it. Every parser returns this; ``mapping.plan`` reads only this."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.model.errors import UsageError

__all__ = ["ConvertError", "Note", "SourceDisk", "SourceNic", "SourceVm"]

MAX_DESCRIPTOR = 16 << 20  # bytes of a descriptor file read at most (a .vmx, .ovf, .vbox, XML)
MAX_DISKS = 64
MAX_NICS = 64


class ConvertError(UsageError):
    """A foreign file that cannot be read as what it claims to be: one line naming the file and what is wrong
    (and the line of the descriptor, where there is one)."""

    def __init__(self, path, what: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {what}", code="convert.source", file=str(path), line=line or 0, what=what)


@dataclass
class Note:
    """A line of the conversion report: ``severity`` "warning" (something not carried over as it was) or "info"
    (what was done); ``code`` a stable key ("firmware.efi", "disk.nvme", "cdrom.ignored", "snapshots.left") and
    its text."""
    severity: str
    code: str
    text: str


@dataclass
class SourceDisk:
    """A virtual disk: ``path`` the absolute path of the file qemu-img reads (a VMDK descriptor, an extracted OVA
    member, a VDI ...), ``format`` qemu-img's name for it ("vmdk", "raw", "vpc", "vdi", "qcow2", "vhdx"),
    ``capacity`` in bytes (0 when the descriptor does not say), ``bus`` ("ide", "scsi", "sata", "nvme", "virtio",
    "usb", "" unknown), ``slot`` where it was attached ("scsi0:0", "IDE 0:1"), ``device`` "disk" or "cdrom"."""
    path: str
    format: str
    capacity: int = 0
    bus: str = ""
    slot: str = ""
    device: str = "disk"
    readonly: bool = False


@dataclass
class SourceNic:
    """A network adapter: ``model`` as the source names it ("e1000", "vmxnet3", "virtio", "82540EM" ...),
    ``mac`` "aa:bb:cc:dd:ee:ff" lower case or "" (generated at the destination), ``network`` the network, switch
    or bridge it was connected to ("" none), ``connection`` ("bridged", "nat", "hostonly", "internal", ...)."""
    model: str = ""
    mac: str = ""
    network: str = ""
    connection: str = ""


@dataclass
class SourceVm:
    """A VM as its source platform described it. ``format``: "vmx", "ovf", "ova", "vbox", "libvirt", "hyperv",
    "physical"; ``path`` the descriptor read; ``memory`` bytes; ``firmware`` "bios" / "efi" / "";
    ``notes`` the annotation; ``snapshots`` how many snapshots the source holds (not converted); ``report``
    the lines the parser already knows (e.g. "unknown firmware value, assuming BIOS")."""
    format: str
    path: str
    name: str = ""
    memory: int = 0
    vcpus: int = 1
    firmware: str = ""
    os: str = ""
    notes: str = ""
    uuid: str = ""
    disks: list[SourceDisk] = field(default_factory=list)
    nics: list[SourceNic] = field(default_factory=list)
    serial_ports: int = 0
    snapshots: int = 0
    report: list[Note] = field(default_factory=list)

    def warn(self, code: str, text: str) -> None:
        self.report.append(Note("warning", code, text))

    def info(self, code: str, text: str) -> None:
        self.report.append(Note("info", code, text))

    def to_dict(self) -> dict:
        return asdict(self)
