"""VMware ``.vmx`` files: the VM's settings and the ``.vmdk`` disks it names, as one ``SourceVm``.

A VMX is ``key = "value"`` lines (keys case-insensitive, ``#`` comments, ``|XX`` hexadecimal escapes in values).
What cannot be read is a ``ConvertError`` naming the file and the line; what is read but cannot be carried over
as it was is a report line. Disks are checked with ``read_vmdk`` (their capacity comes from there); snapshots are
counted from the ``.vmsd`` beside the VMX.
"""

from __future__ import annotations

import re
from pathlib import Path

from .source import MAX_DESCRIPTOR, MAX_DISKS, MAX_NICS, ConvertError, SourceDisk, SourceNic, SourceVm
from .vmdk import decode_text, inside, read_vmdk, show

__all__ = ["parse_vmx"]

MiB = 1 << 20
MAX_LINE = 64 << 10  # bytes in a line of a VMX at most
MAX_MEMSIZE = 24 << 20  # MiB: 24 TiB, VMware's largest
MAX_VCPUS = 768
DEFAULT_MEMSIZE = 32  # MiB, when memsize is missing (as virt-v2v)
MAX_SNAPSHOTS = 100_000
BUSES = ("ide", "scsi", "sata", "nvme")  # in the order the BIOS looks for a boot disk
SLOTS = {"ide": (1, 1), "scsi": (3, 63), "sata": (3, 29), "nvme": (3, 63)}  # highest controller, unit
NONPERSISTENT = {
    "independent-nonpersistent": "its changes were discarded at every power-off",
    "nonpersistent": "its changes were discarded at every power-off",
    "undoable": "its changes were kept or discarded at power-off (an old undoable disk)",
    "append": "its changes were appended to a redo log (an old append disk)",
}
KNOWN_MODES = ("", "persistent", "independent-persistent", *NONPERSISTENT)
CDROM_TYPES = ("cdrom-image", "atapi-cdrom", "cdrom-raw")
PASSTHROUGH_TYPES = ("rawdisk", "scsi-passthru", "scsi-nonpassthru-rdm", "scsi-passthru-rdm")
TRUE = ("true", "yes", "1", "on")
FALSE = ("false", "no", "0", "off")

_LINE = re.compile(r'([^\s="#|]{1,256})[ \t]*=[ \t]*(?:"([^"]*)"|([^\s"#]*))[ \t]*')
_DISK = re.compile(r"(ide|scsi|sata|nvme)(\d{1,2}):(\d{1,3})\.(.+)")
_CONTROLLER = re.compile(r"(scsi|sata|nvme|ide)(\d{1,2})\.present")
_NIC = re.compile(r"ethernet(\d{1,2})\.(.+)")
_SERIAL = re.compile(r"serial(\d{1,2})\.present")
_ESCAPE = re.compile(r"\|([0-9A-Fa-f]{2})")
_MAC = re.compile(r"[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}")


def unescape(value: str) -> str:
    """VMware's ``|XX`` escapes (``|0A`` a new line, ``|22`` a quote, ``|7C`` the bar itself)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


class _Vmx:
    """The lines of a VMX: ``get(key)`` -> (value, line), keys compared case-insensitively, escapes decoded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, tuple[str, int]] = {}
        self.duplicates: list[str] = []
        try:
            if not path.is_file():
                raise ConvertError(path, "no such file" if not path.exists() else "not a regular file")
            size = path.stat().st_size
            if size > MAX_DESCRIPTOR:
                raise ConvertError(path, f"{size} bytes: too large for a VMX (at most {MAX_DESCRIPTOR})")
            with open(path, "rb") as f:
                raw = f.read(MAX_DESCRIPTOR + 1)
        except OSError as e:
            raise ConvertError(path, f"cannot read: {e.strerror or e}") from None
        if len(raw) > MAX_DESCRIPTOR:
            raise ConvertError(path, f"too large for a VMX (more than {MAX_DESCRIPTOR} bytes)")
        for lineno, line in enumerate(raw.split(b"\n"), 1):
            if len(line) > MAX_LINE:
                raise ConvertError(path, f"a line of {len(line)} bytes (at most {MAX_LINE})", lineno)
            if b"\0" in line:
                raise ConvertError(path, "not a VMX: a NUL byte (a binary file?)", lineno)
        text = decode_text(path, raw, "the VMX")
        for lineno, line in enumerate(text.split("\n"), 1):
            line = line.strip().lstrip("\ufeff")
            if not line or line.startswith("#"):
                continue
            m = _LINE.fullmatch(line)
            if not m:
                if "=" not in line:
                    raise ConvertError(path, f"not a key = \"value\" line: {show(line)}", lineno)
                raise ConvertError(path, f"bad quoting or a truncated line: {show(line)}", lineno)
            key = m.group(1).lower()
            if key in self.entries:
                self.duplicates.append(m.group(1))
            value = m.group(2) if m.group(2) is not None else m.group(3)
            self.entries[key] = (unescape(value), lineno)
        if not self.entries:
            raise ConvertError(path, "not a VMX: no key = \"value\" line")

    def get(self, key: str, default: str = "") -> str:
        return self.entries.get(key.lower(), (default, 0))[0]

    def line(self, key: str) -> int:
        return self.entries.get(key.lower(), ("", 0))[1]

    def has(self, key: str) -> bool:
        return key.lower() in self.entries

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.get(key).strip().lower()
        if not value:
            return default
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ConvertError(self.path, f"{key} {show(self.get(key))} is neither TRUE nor FALSE", self.line(key))

    def number(self, key: str, lo: int, hi: int, what: str) -> int:
        value = self.get(key).strip()
        if not re.fullmatch(r"\d{1,15}", value):
            raise ConvertError(self.path, f"{key} {show(value)} is not a number of {what}", self.line(key))
        n = int(value)
        if not lo <= n <= hi:
            raise ConvertError(self.path, f"{key} {n} {what} is out of range ({lo} to {hi})", self.line(key))
        return n


def parse_vmx(path) -> SourceVm:
    """Read a VMware ``.vmx`` and the disks it names. Raises ConvertError ("FILE:LINE: what") for what cannot be
    read; the report (``SourceVm.report``) says what was read but cannot be carried over as it was."""
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob("*.vmx"))
        if len(found) != 1:
            raise ConvertError(path, f"a folder with {len(found)} .vmx files: name the .vmx to convert")
        path = found[0]
    vmx = _Vmx(path)
    if not any(vmx.has(k) for k in ("config.version", "virtualHW.version", "displayName", "memsize", "guestOS")):
        raise ConvertError(path, "not a VMX: none of config.version, virtualHW.version, displayName, memsize, "
                                 "guestOS")
    vm = SourceVm(format="vmx", path=str(path.resolve()))
    for key in dict.fromkeys(vmx.duplicates):
        vm.warn("vmx.duplicate", f"{key} is set more than once; the last value ({show(vmx.get(key))}) is used")
    _general(vmx, vm)
    _disks(vmx, vm)
    _nics(vmx, vm)
    vm.serial_ports = sum(1 for key, (value, _) in vmx.entries.items()
                          if _SERIAL.fullmatch(key) and value.strip().lower() in TRUE)
    _ignored(vmx, vm)
    _state(vmx, vm)
    return vm


def _general(vmx: _Vmx, vm: SourceVm) -> None:
    vm.name = vmx.get("displayName").strip()
    if not vm.name:
        vm.name = vmx.path.stem
        vm.info("name.file", f"no displayName: the VM is named after its file ({vm.name})")
    if vmx.has("memsize"):
        vm.memory = vmx.number("memsize", 1, MAX_MEMSIZE, "MiB") * MiB
    else:
        vm.memory = DEFAULT_MEMSIZE * MiB
        vm.warn("memory.default", f"no memsize: {DEFAULT_MEMSIZE} MiB assumed")
    vm.vcpus = vmx.number("numvcpus", 1, MAX_VCPUS, "processors") if vmx.has("numvcpus") else 1
    guest = vmx.get("guestOS").strip().lower()
    if guest and not re.fullmatch(r"[a-z0-9_.+-]{1,64}", guest):
        vm.warn("os.unknown", f"guestOS {show(guest)} is not a VMware guest OS identifier; ignored")
        guest = ""
    vm.os = guest
    firmware = vmx.get("firmware").strip().lower()
    if firmware == "efi":
        vm.firmware = "efi"
        vm.warn("firmware.efi", "EFI firmware: its NVRAM (boot entries, Secure Boot keys) is not carried over; "
                                "the guest must boot from its EFI system partition's default loader")
        if vmx.flag("uefi.secureBoot.enabled"):
            vm.warn("firmware.secureboot", "Secure Boot was on: it is not carried over")
    else:
        vm.firmware = "bios"
        if firmware not in ("", "bios"):
            vm.warn("firmware.unknown", f"unknown firmware value {show(firmware)}, assuming BIOS")
    vm.notes = vmx.get("annotation")
    vm.uuid = _uuid(vmx, vm)


def _uuid(vmx: _Vmx, vm: SourceVm) -> str:
    raw = vmx.get("uuid.bios").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s-]", "", raw).lower()
    if not re.fullmatch(r"[0-9a-f]{32}", digits):
        vm.warn("uuid.bad", f"uuid.bios {show(raw)} is not a UUID; ignored")
        return ""
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _disks(vmx: _Vmx, vm: SourceVm) -> None:
    slots: dict[tuple[str, int, int], dict[str, str]] = {}
    for key in vmx.entries:
        m = _DISK.fullmatch(key)
        if m:
            slots.setdefault((m.group(1), int(m.group(2)), int(m.group(3))), {})[m.group(4)] = key
    order = vmx.get("bios.hddOrder").strip().lower().split(",")[0].strip()
    found: list[tuple[tuple, SourceDisk]] = []
    for (bus, n, unit), keys in sorted(slots.items(), key=lambda s: (BUSES.index(s[0][0]), s[0][1], s[0][2])):
        slot = f"{bus}{n}:{unit}"
        if "present" not in keys or not vmx.flag(f"{slot}.present"):
            continue
        if n > SLOTS[bus][0] or unit > SLOTS[bus][1]:
            vm.warn("disk.slot", f"{slot} is not a slot VMware has; ignored")
            continue
        controller = f"{bus}{n}.present"
        if vmx.has(controller) and not vmx.flag(controller):
            vm.info("disk.controller", f"{slot} is on {bus}{n}, which is not present; ignored")
            continue
        disk = _disk(vmx, vm, bus, slot)
        if disk is None:
            continue
        if len(found) >= MAX_DISKS:
            raise ConvertError(vmx.path, f"more than {MAX_DISKS} disks", vmx.line(f"{slot}.present"))
        rank = (disk.device != "disk", slot != order)
        found.append((rank, disk))
    vm.disks = [d for _, d in sorted(found, key=lambda f: f[0])]


def _disk(vmx: _Vmx, vm: SourceVm, bus: str, slot: str) -> SourceDisk | None:
    kind = vmx.get(f"{slot}.deviceType").strip().lower()
    name = vmx.get(f"{slot}.fileName").strip()
    line = vmx.line(f"{slot}.fileName") or vmx.line(f"{slot}.present")
    if kind in CDROM_TYPES or (not kind and name.lower().endswith(".iso")):
        return _cdrom(vmx, vm, bus, slot, kind, name, line)
    if kind in PASSTHROUGH_TYPES or kind.endswith("passthru"):
        vm.warn("disk.passthrough", f"{slot} is a physical disk or device ({kind}): not converted")
        return None
    if kind and kind not in ("disk", "plaindisk") and "harddisk" not in kind:
        vm.warn("disk.unknown", f"{slot} has an unknown deviceType {show(kind)}; ignored")
        return None
    if not name:
        raise ConvertError(vmx.path, f"{slot} is present but names no fileName", line)
    target = _file(vmx, vm, slot, name, line, required=True)
    try:
        disk = read_vmdk(target)
    except ConvertError as e:  # named by the VMDK's file (and line); say which disk of the VMX it is
        where = f"{e.params['file']}:{e.params['line']}" if e.params.get("line") else e.params["file"]
        raise ConvertError(e.params["file"], f"{str(e)[len(where) + 2:]} ({slot} of {vmx.path.name})",
                           e.params.get("line")) from None
    mode = vmx.get(f"{slot}.mode").strip().lower()
    if mode in NONPERSISTENT:
        vm.warn("disk.mode", f"{slot} is {mode}: {NONPERSISTENT[mode]}; the converted disk is an ordinary one "
                             "with the disk's base content")
    elif mode == "independent-persistent":
        vm.info("disk.mode", f"{slot} is independent-persistent (left out of snapshots): converted as it is")
    elif mode not in KNOWN_MODES:
        vm.warn("disk.mode", f"{slot} has an unknown mode {show(mode)}: converted as an ordinary disk")
    if disk.chain > 1:
        vm.info("disk.delta", f"{slot} is a delta on {disk.chain - 1} parent disk(s): its current state is "
                              "converted")
    for text in disk.warnings:
        vm.warn("disk.vmdk", f"{slot}: {text}")
    return SourceDisk(path=disk.path, format=disk.qemu_format, capacity=disk.capacity, bus=bus, slot=slot)


def _cdrom(vmx: _Vmx, vm: SourceVm, bus: str, slot: str, kind: str, name: str, line: int) -> SourceDisk:
    cd = SourceDisk(path="", format="raw", bus=bus, slot=slot, device="cdrom", readonly=True)
    if kind in ("atapi-cdrom", "cdrom-raw"):
        vm.info("cdrom.host", f"{slot} is the host's CD/DVD drive: an empty CD/DVD drive")
        return cd
    if name:
        target = _file(vmx, vm, slot, name, line, required=False)
        if target is not None:
            cd.path = str(target)
            try:
                cd.capacity = target.stat().st_size
            except OSError:
                cd.capacity = 0
    return cd


def _file(vmx: _Vmx, vm: SourceVm, slot: str, name: str, line: int, *, required: bool) -> Path | None:
    """A file a VMX names, inside the VMX's folder. An absolute path outside it (the datastore the VM came
    from) is looked up by its name in the VMX's folder."""
    folder = vmx.path.resolve().parent
    what = f"{slot}.fileName"
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", name):
        base = re.split(r"[\\/]", name)[-1]
        if base not in ("", ".", ".."):
            try:
                candidate = inside(vmx.path, folder, base, what, line, where="VM's folder")
            except ConvertError:
                candidate = None
            if candidate is not None:
                if Path(name).parent != folder:
                    vm.info("disk.moved", f"{what} {show(name)} is not in the VMX's folder: {show(base)} beside the "
                                          "VMX is read instead")
                return candidate
        if required:
            raise ConvertError(vmx.path, f"{what} {show(name)} is outside the VM's folder and no {show(base)} is "
                                         "beside the VMX (copy the disks into the VM's folder)", line)
        vm.warn("cdrom.image", f"{slot}: the CD/DVD image {show(name)} is outside the VM's folder: not carried "
                               "over")
        return None
    try:
        return inside(vmx.path, folder, name, what, line, where="VM's folder")
    except ConvertError:
        if required:
            raise
        vm.warn("cdrom.image", f"{slot}: the CD/DVD image {show(name)} is missing or outside the VM's folder: "
                               "not carried over")
        return None


def _nics(vmx: _Vmx, vm: SourceVm) -> None:
    numbers = sorted({int(m.group(1)) for key in vmx.entries if (m := _NIC.fullmatch(key))})
    for n in numbers:
        prefix = f"ethernet{n}"
        if not vmx.flag(f"{prefix}.present"):
            continue
        if len(vm.nics) >= MAX_NICS:
            raise ConvertError(vmx.path, f"more than {MAX_NICS} network adapters", vmx.line(f"{prefix}.present"))
        connection = vmx.get(f"{prefix}.connectionType").strip().lower() or "bridged"
        network = vmx.get(f"{prefix}.networkName").strip()
        if not network and connection == "custom":
            network = vmx.get(f"{prefix}.vnet").strip()
        nic = SourceNic(model=vmx.get(f"{prefix}.virtualDev").strip().lower(), network=network,
                        connection=connection)
        kind = vmx.get(f"{prefix}.addressType").strip().lower()
        if kind == "static":
            mac = vmx.get(f"{prefix}.address")
        elif kind in ("generated", "vpx"):
            mac = vmx.get(f"{prefix}.generatedAddress")
        else:
            if kind:
                vm.warn("nic.address", f"{prefix} has an unknown addressType {show(kind)}")
            mac = vmx.get(f"{prefix}.address") or vmx.get(f"{prefix}.generatedAddress")
        mac = mac.strip().lower()
        if mac and _MAC.fullmatch(mac):
            nic.mac = mac.replace("-", ":")
        elif mac:
            vm.warn("nic.mac", f"{prefix} has a bad MAC address {show(mac)}: a new one is generated")
        if vmx.has(f"{prefix}.startConnected") and not vmx.flag(f"{prefix}.startConnected"):
            vm.info("nic.disconnected", f"{prefix} was not connected at power-on")
        vm.nics.append(nic)


def _ignored(vmx: _Vmx, vm: SourceVm) -> None:
    """Devices read but not carried over (as virt-v2v says them)."""
    floppies = sorted(m.group(1) for key, (value, _) in vmx.entries.items()
                      if (m := re.fullmatch(r"(floppy\d{1,2})\.present", key)) and value.strip().lower() in TRUE)
    for floppy in floppies:
        image = vmx.get(f"{floppy}.fileName").strip()
        vm.warn("floppy.ignored", f"{floppy} ignored{': ' + show(image) if image else ''}")
    if vmx.get("sound.present").strip().lower() in TRUE:
        device = vmx.get("sound.virtualDev").strip().lower() or "sound device"
        vm.warn("sound.ignored", f"{show(device)} ignored")
    passthrough = sorted(key.split(".")[0] for key, (value, _) in vmx.entries.items()
                         if re.fullmatch(r"pcipassthru\d{1,2}\.present", key) and value.strip().lower() in TRUE)
    if passthrough:
        vm.warn("pci.ignored", f"PCI passthrough devices ignored: {', '.join(passthrough)}")


def _state(vmx: _Vmx, vm: SourceVm) -> None:
    folder = vmx.path.parent
    vmsd = vmx.path.with_suffix(".vmsd")
    if not vmsd.is_file():
        others = sorted(folder.glob("*.vmsd"))
        vmsd = others[0] if len(others) == 1 else None
    if vmsd is not None:
        vm.snapshots = _snapshots(vmsd, vm)
    if vmx.get("checkpoint.vmState").strip():
        vm.warn("source.suspended", "the VM is suspended: its memory state is not converted and its disks are as "
                                    "of the suspend (shut it down first)")
    try:
        locks = [p.name for p in folder.iterdir() if p.name.endswith(".lck")]
    except OSError:
        locks = []
    if locks:
        vm.warn("source.running", f"lock files beside the VMX ({', '.join(sorted(locks)[:3])}): the VM may be "
                                  "running; the conversion might fail or read an inconsistent disk")


def _snapshots(vmsd: Path, vm: SourceVm) -> int:
    try:
        entries = _Vmx(vmsd).entries
    except ConvertError as e:
        vm.warn("snapshots.unknown", f"the snapshot list cannot be read ({e}); snapshots are not counted")
        return 0
    value = entries.get("snapshot.numsnapshots", ("0", 0))[0].strip()
    if not re.fullmatch(r"\d{1,9}", value) or int(value) > MAX_SNAPSHOTS:
        vm.warn("snapshots.unknown", f"{vmsd.name}: snapshot.numSnapshots {show(value)} is not a count")
        return 0
    return int(value)
