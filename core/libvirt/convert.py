"""vm.convert on a libvirt host on this machine (docs/conversion.md): the foreign VM is read and planned for a
libvirt host at once (a dry run answers with that), then a job converts every disk to qcow2 with qemu-img into the
folder the request names, compares each with its source, and defines the domain (Off) with every disk and network
adapter of the plan, through the same domain XML as vm.new. A failure or cancel removes every file written and
defines nothing. A libvirt host on another machine refuses: qemu-img runs here, its files would be this machine's.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

from core.convert import qemu_img
from core.convert.mapping import checked_network_map
from core.hosts.jobs import JobCancelled
from core.hosts.registry import implements
from core.model.errors import OperationFailed, Unavailable, UsageError

from .domxml import BUSES, new_domain_xml

_DEV_PREFIX = {"virtio": "vd", "ide": "hd", "sata": "sd", "scsi": "sd", "usb": "sd"}
NETWORK_MAP_MAX = 64
REMOTE = ("{uri} is another machine: conversion writes the disks with qemu-img on this one. Convert on that "
          "machine (bulkhead convert vm SOURCE --to qemu:///system there), or convert the disks with qemu-img "
          "convert -O qcow2 into one of its storage pools and use vm new NAME --disk FILE")


def _file_name(target: str) -> str:
    return os.path.basename(str(target).replace("\\", "/")).lstrip(".") or "disk.qcow2"


def _checked_map(network_map) -> dict:
    return checked_network_map(network_map, "a libvirt network's name", NETWORK_MAP_MAX)


def domain_xml(base: str, planned, paths: list[str], domain_type: str) -> str:
    """vm.new's domain XML (``base``, made with the first disk) with every disk of the plan (``paths``: their
    converted files), every connected adapter with its model and MAC, and the plan's firmware."""
    root = ET.fromstring(base)
    devices = root.find("devices")
    for el in devices.findall("disk") + devices.findall("interface"):
        devices.remove(el)
    used: dict[str, int] = {}
    at = 0
    for d, path in zip(planned.disks, paths):
        bus = BUSES.get(d.bus, "sata")
        prefix = _DEV_PREFIX.get(bus, "sd")
        n = used.get(prefix, 0)
        used[prefix] = n + 1
        disk = ET.Element("disk", type="file", device="disk")
        if domain_type != "test":
            ET.SubElement(disk, "driver", name="qemu", type=d.target_format)
        ET.SubElement(disk, "source", file=path)
        ET.SubElement(disk, "target", dev=prefix + "abcdefghijklmnopqrstuvwxyz"[n % 26], bus=bus)
        if d.readonly:
            ET.SubElement(disk, "readonly")
        devices.insert(at, disk)
        at += 1
    for nic in planned.nics:
        if not nic.switch:
            continue  # the report says it is not connected
        iface = ET.Element("interface", type="network")
        if nic.mac:
            ET.SubElement(iface, "mac", address=nic.mac)
        ET.SubElement(iface, "source", network=nic.switch)
        if nic.model:
            ET.SubElement(iface, "model", type=nic.model)
        devices.insert(at, iface)
        at += 1
    if planned.firmware == "efi" and domain_type != "test":
        root.find("os").set("firmware", "efi")
    return ET.tostring(root, encoding="unicode")


class ConvertMixin:
    """vm.convert of a LibvirtTransport."""

    def convert_refusal(self) -> str | None:
        """Why this connection cannot take conversions: a libvirt host on another machine (the test driver runs in
        this process, its files are this machine's)."""
        if self._is_local() or self._test_driver():
            return None
        return REMOTE.format(uri=self.uri)

    @implements("vm.convert")
    def convert_vm(self, source: str = "", name: str = "", path: str = "", network_map: dict | None = None,
                   dry_run: bool = False, notes: str = "") -> dict:
        from core.convert.detect import guess_format, read_source
        from core.convert.mapping import plan as make_plan

        refused = self.convert_refusal()
        if refused:
            raise Unavailable(refused, capability="convert")
        if not source:
            raise UsageError("name the source: the VM's descriptor (.vmx, .ovf, .ova, .vbox, .xml) or its folder",
                             code="convert.source_missing")
        for value, what in ((source, "source"), (path, "path")):
            if value and not os.path.isabs(value):
                raise UsageError(f"{what} {value}: give the full path (paths are the host's)", code="path.relative")
        if not path:
            raise UsageError("give the folder for the converted qcow2 disks (--path DIR): a libvirt host keeps them "
                             "where its storage pools or you choose", code="convert.path")
        folder = Path(os.path.realpath(path))
        if not folder.is_dir():
            raise UsageError(f"path {folder}: no such folder on this host", code="convert.path", path=str(folder))
        network_map = _checked_map(network_map)
        conn = self._connection()
        networks = sorted(set(conn.listNetworks()) | set(conn.listDefinedNetworks()))
        taken = [dom.name() for dom in conn.listAllDomains(0)]

        def prepare(src):
            planned = make_plan(src, "libvirt", name=name, network_map=network_map, limits=self.limits(),
                                switches=networks, taken=taken, folder=str(folder))
            if notes:  # the VM's notes instead of the source's
                planned.settings["notes"] = notes
            self._check_new_name(planned.name)
            for d in planned.disks:
                if not d.source_format:
                    raise UsageError(f"disk {d.source}: its format is not known, so it is not converted",
                                     code="convert.disk_format", path=d.source)
                if os.path.lexists(folder / _file_name(d.target)):
                    raise UsageError(f"{folder / _file_name(d.target)} already exists: give the VM another name or "
                                     "another folder (--path DIR)", code="convert.target_exists")
            return src, planned

        def answer(src, planned) -> dict:
            p = planned.to_dict()
            return {"source": src.to_dict(), "plan": p, "report": p["report"], "ok": planned.ok}

        new_id = str(uuidlib.uuid4())
        if os.path.isfile(source) and guess_format(source) == "ova":
            if dry_run:
                with _work_folder(folder) as work:
                    return answer(*prepare(read_source(source, work)))

            def extract_and_run(ctx):
                with _work_folder(folder) as work:
                    ctx.progress(0, "extracting the OVA")
                    return self._convert_job(ctx, new_id, *prepare(read_source(source, work)), folder)

            shown = name or Path(source).stem
            self._names[new_id] = shown
            return self.submit_job("Convert VM", new_id, extract_and_run, cancellable=True, target_name=shown)
        src, planned = prepare(read_source(source))
        if dry_run:
            return answer(src, planned)
        self._names[new_id] = planned.name
        return self.submit_job("Convert VM", new_id, lambda ctx: self._convert_job(ctx, new_id, src, planned, folder),
                               cancellable=True, target_name=planned.name)

    def _convert_job(self, ctx, new_id: str, src, planned, folder: Path) -> dict:
        lv = self._lv
        conn = self._connection()
        cancel = qemu_img.JobCancel(ctx)
        written: list[Path] = []
        results = []
        try:
            n = len(planned.disks)
            for i, d in enumerate(planned.disks, 1):
                ctx.check_cancelled()
                out = folder / _file_name(d.target)

                def progress(pct, i=i):
                    ctx.progress(int(((i - 1) + pct / 100 * 0.9) * 100 / n), f"disk {i} of {n}: {pct:.0f} %")

                done = qemu_img.convert(d.source, d.source_format, out, d.target_format, progress=progress,
                                        cancel=cancel, sync=False)
                written.append(out)
                ctx.progress(int(((i - 1) + 0.9) * 100 / n), f"disk {i} of {n}: comparing with the source")
                if not qemu_img.verify(d.source, d.source_format, out, d.target_format, cancel=cancel):
                    raise OperationFailed(f"disk {d.source}: the converted copy {out.name} differs from the source",
                                          code="convert.differs", path=d.source)
                results.append({"source": d.source, "target": str(out), "format": d.target_format,
                                "bytes": done["bytes"], "size": done["size"], "seconds": done["seconds"],
                                "compared": True, "attached": True})
            ctx.check_cancelled()
            types = self._facts.get("domain_types") or []
            domain_type = "kvm" if "kvm" in types else (types[0] if types else "qemu")
            arch = self._facts.get("arch") or "x86_64"
            s = planned.settings
            first = results[0]["target"] if results else ""
            note = (f"Converted from {src.format} {src.path} on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} "
                    "UTC")
            base = new_domain_xml(name=planned.name, uuid=new_id, memory=s["memory"], vcpus=s["vcpus"],
                                  domain_type=domain_type, arch=arch, disk=first, disk_format="qcow2",
                                  bus=BUSES.get(planned.disks[0].bus, "sata") if planned.disks else "virtio",
                                  boot=s.get("boot") or "", notes="\n\n".join(x for x in (s.get("notes"), note) if x),
                                  guest_agent=domain_type in ("kvm", "qemu"))
            xml = domain_xml(base, planned, [r["target"] for r in results], domain_type)
            ctx.progress(95, "defining the domain")
            try:
                dom = conn.defineXML(xml)
            except lv.libvirtError as e:
                raise OperationFailed(f"libvirt refused the converted domain: {e.get_error_message() or e}") \
                    from None
        except qemu_img.Cancelled:
            for p in written:
                _unlink(p)
            raise JobCancelled("cancelled") from None
        except BaseException:
            for p in written:
                _unlink(p)
            raise
        deadline = time.monotonic() + 2.0  # the DEFINED event registers the VM; do it here should it be late
        while new_id not in self._doms and time.monotonic() < deadline:
            time.sleep(0.01)
        if new_id not in self._doms:
            d = self._known(new_id, planned.name)
            d.state = "Off"
            self._tell("vm.added", dom)
        report = planned.to_dict()["report"]
        return {"vm": self._result(self._doms[new_id], dom), "name": planned.name, "report": report,
                "disks": results, "folder": str(folder)}


@contextmanager
def _work_folder(folder: Path):
    """A temporary folder for an OVA's extraction inside the disks' folder, removed on leaving."""
    work = folder / f".convert-source.{secrets.token_hex(4)}.tmp"
    work.mkdir(mode=0o700)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
