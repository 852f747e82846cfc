"""host.scan and vm.convert.physical on the embedded engine's host (SCVMM's Convert Physical Server,
docs/conversion.md): a physical machine (this one, or another over SSH) is scanned into a SourceVm and a scan report;
a dry run answers with them, the plan (the chosen disks only) and the report; else a job "Convert physical server"
captures each chosen disk or partition (or an image file standing in for one) into a dynamic VHD and creates the VM,
Off, with the scanned processors, memory, first disk and first adapter.

The folder, the VM and the clean-up are vm.convert's (core/local/convert.py): ``_prepare`` plans and checks,
``_run_conversion`` writes into a staging folder (or the request's), removes every file on failure or cancel, and
creates the VM; this module gives it the capture of each disk (core/convert/capture.py) instead of qemu-img's
conversion of a file.
"""

from __future__ import annotations

import os
import stat
import uuid
from dataclasses import replace
from pathlib import Path

from core.convert import capture, physical
from core.hosts.registry import implements
from core.model.errors import UsageError

from .convert import CONVERTED, _checked_map
from .record import host_path

DISKS_MAX = 16
TITLE = "Convert physical server"


def _checked_disks(disks, local: bool) -> list[str]:
    """The chosen disks as absolute paths (on this host: symbolic links resolved), each once, at most DISKS_MAX."""
    if not disks:
        return []
    if len(disks) > DISKS_MAX:
        raise UsageError(f"disks: at most {DISKS_MAX} disks or partitions a conversion (got {len(disks)})",
                         code="convert.disks")
    out: list[str] = []
    for d in disks:
        if not isinstance(d, str) or not d:
            raise UsageError(f"disks: {str(d)[:40]!r} is not a device path or image file", code="convert.disks")
        path = capture.check_device(host_path(d, "disk") if local else d)
        if path in out:
            raise UsageError(f"disks: {path} is named twice", code="convert.disks")
        out.append(path)
    return out


def _local_size(path: str) -> int:
    """The size of a device or file on this host, or UsageError."""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            return st.st_size
        if not stat.S_ISBLK(st.st_mode):
            raise UsageError(f"disk {path}: neither a block device nor an image file", code="convert.disk")
        with open(path, "rb") as f:
            return f.seek(0, os.SEEK_END)
    except OSError as e:
        raise UsageError(f"disk {path}: {e.strerror or e}", code="convert.disk", path=path) from None


def _chosen(src, scan: dict, disks: list[str], local: bool, freeze: bool) -> tuple[object, dict]:
    """The SourceVm with the chosen disks only (in the order given), with the report lines of an online capture;
    and {device: (mountpoints to freeze, compare with the device)}."""
    from core.convert.source import SourceDisk

    chosen, how = [], {}
    scanned = [d.path for d in src.disks]
    for path in disks:
        node, _ = physical.find_device(scan, path)
        if node is not None:
            size = node["size"]
        elif local:
            size = _local_size(path)
            src.info("physical.image", f"{path} is not a block device the scan found: read as an image file "
                                       f"({size} bytes)")
        else:
            size = 0
            src.info("physical.image", f"{path} is not a block device the scan found: read as a device or image "
                                       "file on the machine")
        mounted = physical.mounted_under(node) if node is not None else []
        mounted = [m for m in mounted if m["mountpoint"] != "[SWAP]"]
        to_freeze: list[str] = []
        if mounted:
            where = ", ".join(m["mountpoint"] for m in mounted)
            src.warn("physical.online", f"{path} is mounted ({where}): an online capture is not crash-consistent "
                                        "unless frozen or snapshotted")
            if any(m["lvm"] for m in mounted) or (node or {}).get("lvm"):
                src.warn("physical.lvm", f"{path} is an LVM volume: an LVM snapshot (lvcreate --snapshot) captured "
                                         "instead would be safer than freezing")
            if freeze and not scan.get("fsfreeze"):
                src.warn("physical.no_fsfreeze", f"{path}: fsfreeze is not on the machine: captured unfrozen")
            elif freeze:
                to_freeze = [m["mountpoint"] for m in mounted]
                src.info("physical.frozen", f"{path}: {where} frozen (fsfreeze) during its capture")
            else:
                src.info("physical.unfrozen", f"{path}: not compared with the device, which may change as it is "
                                              "read (freeze=True, --freeze, freezes its file systems)")
        how[path] = (to_freeze, not mounted or bool(to_freeze))
        chosen.append(SourceDisk(path=path, format="raw", capacity=size, bus="", slot=path.rsplit("/", 1)[-1],
                                 device="disk", readonly=bool((node or {}).get("ro"))))
    if not disks:
        src.warn("physical.no_disk", "no disk chosen: the VM gets none (choose with --disk DEVICE; the scan found "
                                     f"{', '.join(scanned) or 'none'})")
    return replace(src, disks=chosen, report=list(src.report)), how


def _fit_memory(src, limits) -> None:
    """A machine with more memory than this host gives a VM gets the most it gives (a machine is often as large as
    the host it is converted on), with a warning; mapping.plan would refuse it."""
    step = max(1, limits.memory_step)
    if src.memory > limits.memory_max:
        fitted = limits.memory_max // step * step
        src.warn("memory.capped", f"the machine's memory {src.memory >> 20} MiB is more than this host gives a VM: "
                                  f"{fitted >> 20} MiB (change it with vm set NAME --memory SIZE)")
        src.memory = fitted


class ConvertPhysicalMethods:
    @implements("host.scan")
    def scan_machine(self, from_: str = "") -> dict:
        """This machine ("") or ``ssh://user@host[:port]`` scanned: {source: SourceVm dict, scan: {...}}."""
        src, scan = physical.scan(from_)
        return {"source": src.to_dict(), "scan": scan}

    @implements("vm.convert.physical")
    def convert_physical(self, from_: str = "", disks: list | None = None, name: str = "", path: str = "",
                         network_map: dict | None = None, dry_run: bool = False, freeze: bool = False,
                         notes: str = "", vhd_type: str = "dynamic") -> dict:
        """Scan the machine and plan the capture of ``disks``; ``dry_run`` answers with the scan, the plan and the
        report, else the "Convert physical server" job captures them and creates the VM Off. ``notes``: the VM's
        notes (where it came from is added, as for vm.convert); ``vhd_type`` "fixed" writes fixed-size VHDs (all of
        each disk's size allocated) instead of dynamic ones."""
        target = physical.parse_ssh(from_)
        chosen = _checked_disks(disks, local=target is None)
        folder = Path(host_path(path, "path")) if path else None
        network_map = _checked_map(network_map)
        if folder is not None and not folder.is_dir():
            raise UsageError(f"path {folder}: no such folder on this host", code="convert.path", path=str(folder))
        if not chosen and not dry_run:
            raise UsageError("choose the disks or partitions to capture (--disk DEVICE, repeat for more); a dry run "
                             "lists what the scan found", code="convert.disks")
        src, scan = physical.scan(from_)
        src, how = _chosen(src, scan, chosen, target is None, freeze)
        vm_id = uuid.uuid4().hex
        final = folder if folder is not None else self.store.root / CONVERTED / vm_id
        if target is None:  # freezing the file system the capture is written to would stop the capture
            for mountpoints, _ in how.values():
                capture.check_freeze(mountpoints, (folder or self.store.root) / "disk", None)
        _fit_memory(src, self.limits())
        options = ("subformat=fixed",) if vhd_type == "fixed" else ()
        if options and chosen:
            src.info("physical.fixed", "fixed-size virtual hard disks: each takes all of its disk's size on the host "
                                       f"({sum(d.capacity for d in src.disks) >> 20} MiB)")
        prepared = self._prepare(src, name, network_map, folder, final, vm_id, notes)
        if dry_run:
            return dict(prepared.answer(), scan=scan)

        def capture_disk(d, out, progress, cancel) -> dict:
            mountpoints, verify = how.get(d.source, ((), True))
            return capture.capture(d.source, out, d.target_format, ssh=target, size=d.capacity, progress=progress,
                                   cancel=cancel, freeze=mountpoints, verify=verify, options=options)

        prepared.convert_disk = capture_disk
        shown = prepared.planned.name
        return self.submit_job(TITLE, shown, lambda ctx: self._run_conversion(ctx, prepared), cancellable=True,
                               target_name=shown)
