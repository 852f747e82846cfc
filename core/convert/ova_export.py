"""A VM as an OVA (the reverse of ovf.py and ova.py): ``ovf_descriptor`` writes an OVF 1.x descriptor (DMTF
DSP0243: References, DiskSection, NetworkSection, a VirtualSystem with its annotation, operating system and
virtual hardware) and ``write_ova`` packs it, its files and a SHA256 manifest into a USTAR tar whose first member
is the .ovf, under a temporary name renamed into place once whole (nothing is left on a failure or a cancel).

Pure: no host, no engine. The disks are given already converted (streamOptimized VMDKs from qemu_img.convert)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tarfile
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

from core.convert.qemu_img import Cancelled
from core.model.errors import OperationFailed, UsageError
from core.model.files import fsync_dir

__all__ = ["OVF_NS", "VMDK_FORMAT", "member_name", "ovf_descriptor", "write_ova"]

OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1"
RASD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
VSSD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
VMDK_FORMAT = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"
MiB = 1 << 20
CIM_OTHER_64 = "102"  # CIM_OperatingSystem "Other 64-Bit": the bundled guest is a 64-bit kernel of its own
_CHUNK = 1 << 20
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def member_name(name: str, suffix: str, limit: int = 64) -> str:
    """A file name inside the archive from a VM's name: ASCII letters, digits, ``._-`` (USTAR keeps 100 bytes)."""
    stem = _SAFE.sub("_", str(name)).strip("._") or "vm"
    return stem[:limit] + suffix


def _ovf(tag: str) -> str:
    return f"{{{OVF_NS}}}{tag}"


def _rasd(tag: str) -> str:
    return f"{{{RASD_NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    elem = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if text is not None:
        elem.text = str(text)
    return elem


def _info(parent, text: str) -> None:
    _sub(parent, _ovf("Info"), text)


def _item(section, rtype: int, instance: int, name: str, description: str = "", **fields) -> ET.Element:
    item = _sub(section, _ovf("Item"))
    # rasd elements in the order of the CIM schema (alphabetical), as validators expect
    values = {"Description": description or None, "ElementName": name, "InstanceID": instance,
              "ResourceType": rtype, **fields}
    for key in sorted(values):
        if values[key] is not None and values[key] != "":
            _sub(item, _rasd(key), values[key])
    return item


def ovf_descriptor(vm: dict, disks: list[dict], *, mac: str = "", product: str = "Bulkhead",
                   version: str = "") -> str:
    """The OVF 1.x descriptor of ``vm`` (a VM's settings as vm.show gives them: name, memory bytes, vcpus, notes,
    network (a switch's name, "" none), disk_controller, id) with ``disks``: ``[{"href": file name in the package,
    "size": its bytes, "capacity": virtual bytes}]``, the first attached to the VM's controller; ``mac``: the
    adapter's address (aa:bb:cc:dd:ee:ff)."""
    name = str(vm.get("name") or "vm")
    memory = int(vm.get("memory") or 0)
    if memory <= 0:
        raise UsageError(f"VM '{name}': its memory size is not known, so no descriptor can be written")
    vcpus = max(1, int(vm.get("vcpus") or 1))
    network = str(vm.get("network") or "")
    for prefix, ns in (("ovf", OVF_NS), ("rasd", RASD_NS), ("vssd", VSSD_NS), ("xsi", XSI_NS)):
        ET.register_namespace(prefix, ns)
    env = ET.Element(_ovf("Envelope"), {_ovf("version"): "1.0", "{http://www.w3.org/XML/1998/namespace}lang":
                                        "en-US"})
    refs = _sub(env, _ovf("References"))
    for i, d in enumerate(disks, 1):
        _sub(refs, _ovf("File"), **{_ovf("id"): f"file{i}", _ovf("href"): d["href"], _ovf("size"): int(d["size"])})
    section = _sub(env, _ovf("DiskSection"))
    _info(section, "The virtual disks")
    for i, d in enumerate(disks, 1):
        _sub(section, _ovf("Disk"), **{_ovf("capacity"): int(d["capacity"]), _ovf("capacityAllocationUnits"): "byte",
                                       _ovf("diskId"): f"vmdisk{i}", _ovf("fileRef"): f"file{i}",
                                       _ovf("format"): VMDK_FORMAT})
    if network:
        section = _sub(env, _ovf("NetworkSection"))
        _info(section, "The networks the VM's adapters connect to")
        net = _sub(section, _ovf("Network"), **{_ovf("name"): network})
        _sub(net, _ovf("Description"), f"the virtual switch {network}")
    system = _sub(env, _ovf("VirtualSystem"), **{_ovf("id"): name})
    _info(system, "A virtual machine exported by " + product)
    _sub(system, _ovf("Name"), name)
    if vm.get("notes"):
        section = _sub(system, _ovf("AnnotationSection"))
        _info(section, "The VM's notes")
        _sub(section, _ovf("Annotation"), str(vm["notes"]))
    section = _sub(system, _ovf("ProductSection"))
    _info(section, "What made this package")
    _sub(section, _ovf("Product"), product)
    if version:
        _sub(section, _ovf("Version"), version)
    section = _sub(system, _ovf("OperatingSystemSection"), **{_ovf("id"): CIM_OTHER_64})
    _info(section, "The guest operating system")
    _sub(section, _ovf("Description"), "Other 64-bit")
    hardware = _sub(system, _ovf("VirtualHardwareSection"))
    _info(hardware, "Virtual hardware requirements")
    sysinfo = _sub(hardware, _ovf("System"))
    _sub(sysinfo, f"{{{VSSD_NS}}}ElementName", "Virtual Hardware Family")
    _sub(sysinfo, f"{{{VSSD_NS}}}InstanceID", "0")
    ident = str(vm.get("id") or "")
    try:
        ident = str(uuid.UUID(ident)) if ident else name
    except ValueError:
        pass
    _sub(sysinfo, f"{{{VSSD_NS}}}VirtualSystemIdentifier", ident)
    _sub(sysinfo, f"{{{VSSD_NS}}}VirtualSystemType", "vmx-10")
    _item(hardware, 3, 1, f"{vcpus} virtual CPU{'s' if vcpus != 1 else ''}", "Number of virtual CPUs",
          AllocationUnits="hertz * 10^6", VirtualQuantity=vcpus)
    mib = -(-memory // MiB)
    _item(hardware, 4, 2, f"{mib} MB of memory", "Memory size", AllocationUnits="byte * 2^20",
          VirtualQuantity=mib)
    emulated = str(vm.get("disk_controller") or "") == "emulated"
    if emulated:
        _item(hardware, 5, 3, "IDE controller 0", "IDE controller", Address=0)
    else:
        _item(hardware, 6, 3, "SCSI controller 0", "SCSI controller", Address=0, ResourceSubType="lsilogic")
    instance = 4
    for i, _ in enumerate(disks[:1], 1):
        _item(hardware, 17, instance, f"Hard disk {i}", "The VM's virtual hard disk", AddressOnParent=i - 1,
              HostResource=f"ovf:/disk/vmdisk{i}", Parent=3)
        instance += 1
    if network:
        _item(hardware, 10, instance, "Network adapter 1", f"an adapter on {network}", Address=mac or None,
              AutomaticAllocation="true", Connection=network, ResourceSubType="E1000")
    ET.indent(env)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(env, encoding="unicode") + "\n"


class _Reader:
    """A file read by tarfile, with progress and cancel at every chunk."""

    def __init__(self, handle, step: Callable[[int], None]) -> None:
        self._handle, self._step = handle, step

    def read(self, n: int = -1) -> bytes:
        data = self._handle.read(_CHUNK if n is None or n < 0 else min(n, _CHUNK))
        self._step(len(data))
        return data


def _sha256(path: Path, step: Callable[[int], None]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            step(len(chunk))
            digest.update(chunk)
    return digest.hexdigest()


def write_ova(path, descriptor: str, files: list[tuple[str, str | os.PathLike]],
              progress: Callable[[float], None] | None = None, cancel=None, *, ovf_name: str = "") -> dict:
    """Write the OVA ``path``: ``ovf_name`` (default: the archive's stem + .ovf) holding ``descriptor``, the
    manifest (.mf, ``SHA256(name)= hex``), then ``files`` (``[(name in the archive, local path)]``) in that order,
    as a USTAR tar. Written under a temporary name beside ``path``, flushed and linked into place only if ``path``
    still does not exist; on any failure or cancel (``cancel.is_set()``: qemu_img.Cancelled) nothing is left.
    ``progress(percent)`` as the files are read. Returns ``{"path", "bytes", "members", "sha256": {name: hex}}``."""
    path = Path(path)
    ovf_name = ovf_name or member_name(path.stem, ".ovf")
    mf_name = ovf_name[:-4] + ".mf"
    names = [ovf_name, mf_name, *[n for n, _ in files]]
    if len(set(names)) != len(names):
        raise UsageError(f"two members of {path.name} would have the same name")
    if os.path.lexists(path):
        raise UsageError(f"{path} already exists: choose another file name", path=str(path))
    sizes = [os.stat(p).st_size for _, p in files]
    total = max(1, 2 * sum(sizes))  # each file read twice: its sum, then into the archive
    done = [0]

    def step(n: int) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        done[0] += n
        if progress is not None and n:
            progress(min(100.0, done[0] * 100.0 / total))

    body = descriptor.encode("utf-8")
    sums = {ovf_name: hashlib.sha256(body).hexdigest()}
    for name, local in files:
        sums[name] = _sha256(Path(local), step)
    manifest = "".join(f"SHA256({name})= {digest}\n" for name, digest in sums.items()).encode("ascii")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    now = int(time.time())
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as out:
            with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
                for name, data in ((ovf_name, body), (mf_name, manifest)):
                    tar.addfile(_tarinfo(name, len(data), now), io.BytesIO(data))
                for (name, local), size in zip(files, sizes):
                    with open(local, "rb") as handle:
                        if os.fstat(handle.fileno()).st_size != size:
                            raise OperationFailed(f"{local} changed while the package was written")
                        tar.addfile(_tarinfo(name, size, now), _Reader(handle, step))
            out.flush()
            os.fsync(out.fileno())
        step(0)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise UsageError(f"{path} appeared while the package was written; nothing was replaced",
                             path=str(path)) from None
    except OSError as e:
        raise OperationFailed(f"{path}: cannot be written ({e.strerror or e})", path=str(path)) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    try:
        fsync_dir(path.parent)
    except OSError:
        pass
    return {"path": str(path), "bytes": os.stat(path).st_size, "members": names, "sha256": sums}


def _tarinfo(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.type = size, mtime, 0o644, tarfile.REGTYPE
    info.uname = info.gname = ""
    return info
