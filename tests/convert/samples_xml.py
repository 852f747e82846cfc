"""Writers of the XML samples the OVF, OVA and VirtualBox tests read: written here, field by field, from the
formats' public descriptions (no sample is copied from another project)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

OVF_NS = {"0.9": "http://www.vmware.com/schema/ovf/1/envelope", "1.x": "http://schemas.dmtf.org/ovf/envelope/1",
          "2.0": "http://schemas.dmtf.org/ovf/envelope/2"}
CIM = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2"
VMDK_STREAM = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"
VBOX_NS = "http://www.virtualbox.org/"
INNOTEK_NS = "http://www.innotek.de/VirtualBox-settings"

needs_qemu_img = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def qemu_disk(folder: Path, name: str, fmt: str = "raw", size: str = "8M", subformat: str = "") -> Path:
    """A disk made by qemu-img (``subformat`` e.g. "streamOptimized" for a vmdk)."""
    path = Path(folder) / name
    cmd = ["qemu-img", "create", "-q", "-f", fmt]
    if subformat:
        cmd += ["-o", f"subformat={subformat}"]
    subprocess.run(cmd + [str(path), size], check=True, capture_output=True)
    return path


def _section(version: str, name: str, body: str, attrs: str = "") -> str:
    if version == "0.9":
        return f'<Section xsi:type="ovf:{name}_Type"{attrs}>{body}</Section>'
    return f"<{name}{attrs}>{body}</{name}>"


def item(version: str, rtype: int, iid: str, **fields) -> str:
    """A VirtualHardwareSection item; OVF 2.0 writes disks as StorageItem (sasd) and adapters as
    EthernetPortItem (epasd); 0.9 spells InstanceID InstanceId."""
    tag, prefix = "Item", "rasd"
    if version == "2.0" and rtype == 17:
        tag, prefix = "StorageItem", "sasd"
    elif version == "2.0" and rtype == 10:
        tag, prefix = "EthernetPortItem", "epasd"
    ident = "InstanceId" if version == "0.9" else "InstanceID"
    config = fields.pop("configuration", "")
    parts = [f"<{prefix}:{ident}>{iid}</{prefix}:{ident}>", f"<{prefix}:ResourceType>{rtype}</{prefix}:ResourceType>"]
    parts += [f"<{prefix}:{key}>{value}</{prefix}:{key}>" for key, value in sorted(fields.items())]
    attrs = f' ovf:configuration="{config}"' if config else ""
    return f"<{tag}{attrs}>{''.join(parts)}</{tag}>"


def standard_items(version: str, disk_ids=("vmdisk1",), mac="00:50:56:AB:CD:EF", network="VM Network",
                   memory="1024", memory_units="byte * 2^20", cpus="2", cdrom_file="") -> list[str]:
    """2 vCPUs, 1 GiB, a SCSI controller with the disks, an IDE controller with a CD drive, an E1000 adapter and
    a serial port."""
    items = [item(version, 3, "1", VirtualQuantity=cpus, ElementName="2 virtual CPUs"),
             item(version, 4, "2", VirtualQuantity=memory, AllocationUnits=memory_units, ElementName="Memory"),
             item(version, 6, "3", ResourceSubType="lsilogic", Address="0", ElementName="SCSI controller 0"),
             item(version, 5, "4", Address="1", ElementName="IDE 1")]
    for unit, disk_id in enumerate(disk_ids):
        items.append(item(version, 17, str(10 + unit), HostResource=f"ovf:/disk/{disk_id}", Parent="3",
                          AddressOnParent=str(unit), ElementName=f"Hard disk {unit + 1}"))
    cd = {"HostResource": f"ovf:/file/{cdrom_file}"} if cdrom_file else {}
    items.append(item(version, 15, "20", Parent="4", AddressOnParent="0", ElementName="CD/DVD drive 1", **cd))
    items.append(item(version, 10, "30", ResourceSubType="E1000", Address=mac, Connection=network,
                      ElementName="Network adapter 1"))
    items.append(item(version, 21, "40", ElementName="Serial port 1"))
    return items


def system(version: str, name: str, items: list[str], os_type: str = "ubuntu64Guest", annotation: str = "",
           extra: str = "") -> str:
    tag = "Content" if version == "0.9" else "VirtualSystem"
    xsi = ' xsi:type="ovf:VirtualSystem_Type"' if version == "0.9" else ""
    body = [f"<Info>A virtual machine</Info><Name>{name}</Name>",
            _section(version, "OperatingSystemSection", "<Info>Guest OS</Info><Description>Ubuntu Linux (64-bit)"
                     "</Description>", f' ovf:id="94" vmw:osType="{os_type}"')]
    if annotation:
        body.append(_section(version, "AnnotationSection", f"<Info>Notes</Info><Annotation>{annotation}</Annotation>"))
    hw = ("<Info>Virtual hardware</Info><System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName>"
          "<vssd:InstanceID>0</vssd:InstanceID>"
          "<vssd:VirtualSystemIdentifier>6f1c0c3e-2b1a-4c55-9d7e-0a1b2c3d4e5f</vssd:VirtualSystemIdentifier>"
          "<vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>" + "".join(items) + extra)
    body.append(_section(version, "VirtualHardwareSection", hw))
    return f'<{tag} ovf:id="{name}"{xsi}>{"".join(body)}</{tag}>'


def envelope(version: str, files: list[tuple[str, str]], disks: list[dict], systems: list[str],
             networks=("VM Network",), collection: str = "", extra: str = "") -> str:
    """An OVF descriptor: ``files`` (id, href), ``disks`` dicts of Disk attributes (without the ovf: prefix)."""
    refs = "".join(f'<File ovf:id="{fid}" ovf:href="{href}"/>' for fid, href in files)
    disk_xml = "".join("<Disk " + " ".join(f'ovf:{k}="{v}"' for k, v in d.items()) + "/>" for d in disks)
    nets = "".join(f'<Network ovf:name="{n}"><Description>{n}</Description></Network>' for n in networks)
    body = "".join(systems)
    if collection:
        tag = "Content" if version == "0.9" else "VirtualSystemCollection"
        xsi = ' xsi:type="ovf:VirtualSystemCollection_Type"' if version == "0.9" else ""
        body = f'<{tag} ovf:id="{collection}"{xsi}><Info>A collection</Info><Name>{collection}</Name>{body}</{tag}>'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Envelope xmlns="{OVF_NS[version]}" xmlns:ovf="{OVF_NS[version]}"'
            f' xmlns:rasd="{CIM}/CIM_ResourceAllocationSettingData" xmlns:vssd="{CIM}/CIM_VirtualSystemSettingData"'
            f' xmlns:sasd="{CIM}/CIM_StorageAllocationSettingData"'
            f' xmlns:epasd="{CIM}/CIM_EthernetPortAllocationSettingData"'
            ' xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"<References>{refs}</References>\n"
            + _section(version, "DiskSection", f"<Info>Virtual disks</Info>{disk_xml}") + "\n"
            + _section(version, "NetworkSection", f"<Info>Networks</Info>{nets}") + "\n"
            + extra + body + "\n</Envelope>\n")


def write_ovf(folder: Path, version: str = "1.x", name: str = "web", disk_fmt: str = "vmdk",
              annotation: str = "Web server") -> Path:
    """A one-VM package in ``folder``: a streamOptimized vmdk (or a raw image) of 16 MiB made by qemu-img, and
    the descriptor ``name``.ovf giving its capacity as 16 "byte * 2^20"."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if disk_fmt == "vmdk":
        href = f"{name}-disk1.vmdk"
        qemu_disk(folder, href, "vmdk", "16M", "streamOptimized")
        fmt_uri = VMDK_STREAM
    else:
        href = f"{name}-disk1.img"
        qemu_disk(folder, href, "raw", "16M")
        fmt_uri = "http://example.org/raw"
    disks = [{"diskId": "vmdisk1", "fileRef": "file1", "capacity": "16",
              "capacityAllocationUnits": "byte * 2^20", "format": fmt_uri}]
    text = envelope(version, [("file1", href)], disks, [system(version, name, standard_items(version),
                                                              annotation=annotation)])
    path = folder / f"{name}.ovf"
    path.write_text(text, encoding="utf-8")
    return path


def sha(kind: str, data: bytes) -> str:
    return hashlib.new(kind, data).hexdigest()


def write_ova(path: Path, members: list[tuple[str, bytes]], manifest: str | None = None, algo: str = "sha256",
              wrong: str = "") -> Path:
    """An OVA (a plain tar) holding ``members`` in order; with ``manifest`` (its name) a .mf of ``algo`` sums
    is added after the .ovf (``wrong``: the member whose sum is spoiled)."""
    entries = list(members)
    if manifest:
        lines = []
        for name, data in members:
            digest = sha(algo, data)
            if name == wrong:
                digest = ("0" if digest[0] != "0" else "1") + digest[1:]
            lines.append(f"{algo.upper()}({name})= {digest}\n")
        entries.insert(1, (manifest, "".join(lines).encode()))
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return Path(path)


def ova_from_folder(ova: Path, ovf: Path, manifest: bool = True, algo: str = "sha256", wrong: str = "") -> Path:
    """The package of ``ovf`` (its descriptor first, then the files beside it) as an OVA."""
    members = [(ovf.name, ovf.read_bytes())]
    members += [(p.name, p.read_bytes()) for p in sorted(ovf.parent.iterdir()) if p != ovf and p.is_file()]
    return write_ova(ova, members, f"{ovf.stem}.mf" if manifest else None, algo, wrong)


# --- VirtualBox ---------------------------------------------------------------------------------------------------

U_BASE = "{11111111-1111-4111-8111-111111111111}"
U_DIFF1 = "{22222222-2222-4222-8222-222222222222}"
U_DIFF2 = "{33333333-3333-4333-8333-333333333333}"
U_DATA = "{44444444-4444-4444-8444-444444444444}"
U_ISO = "{55555555-5555-4555-8555-555555555555}"


def vbox_xml(*, ns: str = VBOX_NS, attached: str = U_DIFF2, media: str = "", snapshots: str = "",
             adapters: str = "", firmware: str = "EFI", extra_hw: str = "", storage: str = "",
             machine_attrs: str = "") -> str:
    """A .vbox: a 2-CPU, 2048 MiB machine; its MediaRegistry holds base.vdi with two differencing layers
    (Snapshots/{diff1}.vdi, Snapshots/{diff2}.vdi), data.vmdk and an ISO; SATA port 0 is ``attached``, port 1
    data.vmdk, the IDE controller has the ISO; a snapshot tree of 3 snapshots (one with two children)."""
    if not media:
        media = (f'<HardDisks><HardDisk uuid="{U_BASE}" location="base.vdi" format="VDI" type="Normal">'
                 f'<HardDisk uuid="{U_DIFF1}" location="Snapshots/{U_DIFF1}.vdi" format="VDI">'
                 f'<HardDisk uuid="{U_DIFF2}" location="Snapshots/{U_DIFF2}.vdi" format="VDI"/>'
                 "</HardDisk></HardDisk>"
                 f'<HardDisk uuid="{U_DATA}" location="data.vmdk" format="VMDK" type="Normal"/></HardDisks>'
                 f'<DVDImages><Image uuid="{U_ISO}" location="install.iso"/></DVDImages>')
    if not snapshots:
        snapshots = ('<Snapshot uuid="{a0000000-0000-4000-8000-000000000001}" name="installed" timeStamp="2024-01-01">'
                     '<Hardware/><Snapshots>'
                     '<Snapshot uuid="{a0000000-0000-4000-8000-000000000002}" name="updated"><Hardware/></Snapshot>'
                     '<Snapshot uuid="{a0000000-0000-4000-8000-000000000003}" name="tried"><Hardware/></Snapshot>'
                     "</Snapshots></Snapshot>")
    if not adapters:
        adapters = ('<Adapter slot="0" enabled="true" MACAddress="080027AABBCC" type="82540EM"><NAT/></Adapter>'
                    '<Adapter slot="1" enabled="true" MACAddress="080027DDEEFF" type="virtio">'
                    '<BridgedInterface name="eth0"/></Adapter>'
                    '<Adapter slot="2" enabled="false" MACAddress="080027001122" type="Am79C973"/>')
    if not storage:
        storage = (f'<StorageController name="SATA" type="AHCI" PortCount="2">'
                   f'<AttachedDevice type="HardDisk" port="0" device="0"><Image uuid="{attached}"/></AttachedDevice>'
                   f'<AttachedDevice type="HardDisk" port="1" device="0"><Image uuid="{U_DATA}"/></AttachedDevice>'
                   "</StorageController>"
                   '<StorageController name="IDE" type="PIIX4" PortCount="2">'
                   f'<AttachedDevice passthrough="false" type="DVD" port="1" device="0"><Image uuid="{U_ISO}"/>'
                   "</AttachedDevice></StorageController>")
    fw = f'<Firmware type="{firmware}"/>' if firmware else ""
    return (f'<?xml version="1.0"?>\n<VirtualBox xmlns="{ns}" version="1.16-linux">\n'
            f'<Machine uuid="{{d1d2d3d4-0000-4000-8000-00000000abcd}}" name="devbox" OSType="Ubuntu_64"'
            f' currentSnapshot="{{a0000000-0000-4000-8000-000000000002}}" snapshotFolder="Snapshots"{machine_attrs}>\n'
            f"<Description>Build machine</Description>\n<MediaRegistry>{media}</MediaRegistry>\n"
            f'<Hardware><CPU count="2"/><Memory RAMSize="2048"/>{fw}<Network>{adapters}</Network>'
            f'<UART><Port slot="0" enabled="true" IOBase="0x3f8" IRQ="4"/><Port slot="1" enabled="false"/></UART>'
            f"{extra_hw}</Hardware>\n<StorageControllers>{storage}</StorageControllers>\n{snapshots}\n"
            "</Machine>\n</VirtualBox>\n")


def write_vbox(folder: Path, text: str | None = None, files: bool = True) -> Path:
    folder = Path(folder)
    (folder / "Snapshots").mkdir(parents=True, exist_ok=True)
    if files:
        for rel in ("base.vdi", f"Snapshots/{U_DIFF1}.vdi", f"Snapshots/{U_DIFF2}.vdi", "data.vmdk", "install.iso"):
            (folder / rel).write_bytes(b"\0" * 512)
    path = folder / "devbox.vbox"
    path.write_text(text if text is not None else vbox_xml(), encoding="utf-8")
    return path
