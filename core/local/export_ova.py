"""vm.export.ova on the embedded engine's host: an Off or Saved VM as an OVA another platform imports (or this one
converts back with vm.convert). The job holds the VM (it cannot start meanwhile), converts its disk into a
streamOptimized VMDK in a temporary folder beside the target (a chain of checkpoints is read through the disk layer
into a raw image first: qemu-img does not follow VHD parents), writes the descriptor from the VM's settings and packs
them with a manifest (core/convert/ova_export.py). A failure or cancel leaves no file. What a killed service
leaves is under temporary names beside the target (``.NAME.ova.<hex8>.tmp``, a folder and a file), which
core.model.files.is_temp_name knows; the target itself appears only whole.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from core import __version__
from core.convert import ova_export, qemu_img
from core.hosts.jobs import JobCancelled
from core.hosts.registry import implements
from core.model.errors import StateError, UsageError

from .record import host_path

EXPORTABLE = ("Off", "Saved")
_QEMU_FORMATS = {"vhd-dynamic": "vpc", "vhd-fixed": "vpc", "raw": "raw"}
_SECTORS = 2048  # 1 MiB a read when a chain is flattened


class ExportOvaMethods:
    @implements("vm.export.ova")
    def export_ova(self, vm: str, path: str) -> dict:
        """Export the VM (Off or Saved) as the OVA file ``path`` (absolute, on this host, not existing) as a job."""
        record = self._usable(vm)
        if not path:
            raise UsageError("give the .ova file to write (an absolute path on this host)", code="export.path")
        target = Path(host_path(path, "path"))
        if target.suffix.lower() != ".ova":
            raise UsageError(f"{target}: an OVA's file name ends in .ova", code="export.path", path=str(target))
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent}: no such folder on this host", code="export.path",
                             path=str(target))
        if os.path.lexists(target):
            raise UsageError(f"{target} already exists: choose another file name", code="export.exists",
                             path=str(target))
        self._exportable(record)
        return self.submit_job("Export VM as OVA", record.id, lambda ctx: self._export(ctx, record, target),
                               cancellable=True)

    @staticmethod
    def _exportable(record) -> None:
        if record.state not in EXPORTABLE:
            raise StateError(f"cannot export VM '{record.name}' while it is {record.state}: shut it down or save it "
                             "first", code="vm.state", vm=record.name, operation="export_ova", state=record.state)

    def _export(self, ctx, record, target: Path) -> dict:
        from core.engine.vswitch import mac_for

        cancel = qemu_img.JobCancel(ctx)
        with record.lock:  # the VM stays Off or Saved until the package is written
            self._exportable(record)
            config = record.config
            vm = dict(config.to_dict(), id=record.id, name=record.name)
            mac = mac_for(record.id).hex(":") if config.network else ""
            work = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
            try:
                work.mkdir(mode=0o700)
                disks = []
                if config.disk:
                    ctx.progress(0, "converting the disk")
                    disks.append(self._export_disk(ctx, config, work, record.name, cancel))
                ctx.check_cancelled()
                descriptor = ova_export.ovf_descriptor(
                    vm, [{"href": d["href"], "size": d["size"], "capacity": d["capacity"]} for d in disks], mac=mac,
                    version=__version__)
                ctx.progress(70, "writing the package")
                packed = ova_export.write_ova(
                    target, descriptor, [(d["href"], d["file"]) for d in disks],
                    progress=lambda pct: ctx.progress(70 + int(pct * 0.3), f"writing the package: {pct:.0f} %"),
                    cancel=cancel, ovf_name=ova_export.member_name(record.name, ".ovf"))
            except qemu_img.Cancelled:
                raise JobCancelled("cancelled") from None
            finally:
                shutil.rmtree(work, ignore_errors=True)
        return {"vm": record.name, "path": packed["path"], "bytes": packed["bytes"], "members": packed["members"],
                "disks": [{"source": d["source"], "capacity": d["capacity"], "bytes": d["size"]} for d in disks]}

    def _export_disk(self, ctx, config, work: Path, name: str, cancel) -> dict:
        """The VM's disk as a streamOptimized VMDK in ``work``: {href, file, size, capacity, source}."""
        from core.engine.storage import DiskError, open_disk

        source = config.disk
        try:
            with open_disk(source, read_only=True, format=config.disk_format or None) as disk:
                fmt, capacity = disk.format, disk.size
                qemu_fmt = _QEMU_FORMATS.get(fmt)
                if qemu_fmt is None:  # a chain (checkpoints): flattened through the disk layer
                    flat = work / "flat.raw"
                    _flatten(disk, flat, cancel, lambda pct: ctx.progress(int(pct * 0.2), "reading the disk chain"))
                    source, qemu_fmt = str(flat), "raw"
        except DiskError as e:
            raise UsageError(f"VM '{name}': its disk cannot be read: {e}") from None
        href = ova_export.member_name(name, "-disk1.vmdk")
        out = work / href
        base = 20 if source != config.disk else 0
        qemu_img.convert(source, qemu_fmt, out, "vmdk", cancel=cancel, options=("subformat=streamOptimized",),
                         progress=lambda pct: ctx.progress(base + int(pct * (70 - base) / 100),
                                                           f"converting the disk: {pct:.0f} %"))
        return {"href": href, "file": str(out), "size": out.stat().st_size, "capacity": capacity,
                "source": config.disk}


def _flatten(disk, out: Path, cancel, progress) -> None:
    """Every sector of ``disk`` (an opened chain) into the sparse raw file ``out`` (zeros are not written)."""
    total = disk.size // 512
    with open(out, "xb") as handle:
        for sector in range(0, total, _SECTORS):
            if cancel.is_set():
                raise qemu_img.Cancelled()
            data = disk.read(sector, min(_SECTORS, total - sector))
            if data.count(0) != len(data):
                handle.seek(sector * 512)
                handle.write(data)
            if sector % (_SECTORS * 64) == 0:
                progress(sector * 100.0 / max(1, total))
        handle.truncate(disk.size)
