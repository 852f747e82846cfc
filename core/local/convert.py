"""vm.convert on the embedded engine's host (SCVMM's Convert Virtual Machine, docs/conversion.md): a foreign VM's
description is read and planned at once (a dry run answers with that), then a job converts its disks into dynamic
VHDs with qemu-img, compares each with its source, and creates the VM, Off.

Where the files go: the VM's disks and its conversion report are kept in a folder of their own, ``path`` when the
request gives one, else ``<store>/converted/<id>/`` beside the VM store (a VM's store folder holds only what the
store makes, so ``vm remove`` keeps working). A default folder appears whole: the disks are written into
``converted/.<id>.<random>.tmp/`` and the folder renamed once every disk is written and compared. In a folder the
request names, each disk is written under a temporary name and renamed. A failure or cancel removes every file the
job wrote, and no VM is created; what a killed service left under ``converted/`` is removed by the next conversion.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from core.convert import qemu_img
from core.convert.mapping import checked_network_map
from core.hosts.jobs import JobCancelled
from core.hosts.registry import implements
from core.model.errors import OperationFailed, UsageError
from core.model.files import fsync_dir, is_temp_name, write_json_atomic

from .record import VmRecord, host_path

CONVERTED = "converted"  # beside the store's vms/: the converted VMs' folders
REPORT_NAME = "conversion-report.json"
NETWORK_MAP_MAX = 64
NAME_MAX = 256
NOTES_MAX = 10_000


def _checked_map(network_map) -> dict:
    return checked_network_map(network_map, f"a switch's name (1-{NAME_MAX} characters)", NETWORK_MAP_MAX, NAME_MAX)


def _file_name(target: str) -> str:
    """A plan's target file name as a name inside the VM's folder: no folders, no leading dot."""
    name = os.path.basename(str(target).replace("\\", "/")).lstrip(".") or "disk.vhd"
    return name if not is_temp_name(name) else name.replace(".tmp", "")


@dataclass
class _Prepared:
    """A conversion read, planned and checked: what its job needs."""
    src: object  # the SourceVm
    planned: object  # the Plan
    disks: list  # [(DiskPlan, file name in the folder)]
    base: object  # the VmConfig the settings apply to
    settings: dict  # the plan's settings but the disk
    report: list  # the report's dicts
    folder: Path | None  # the folder the request named (None: converted/<id>/)
    final: Path  # the folder the disks end in
    # how each disk is written, when not by qemu-img's conversion of a file and a compare: (DiskPlan, target path,
    # progress(pct), cancel) -> {bytes, size, seconds, compared} (a physical disk's capture)
    convert_disk: object = None

    def answer(self) -> dict:
        plan = self.planned.to_dict()
        return {"source": self.src.to_dict(), "plan": plan, "report": plan["report"], "ok": self.planned.ok}


class ConvertMethods:
    @implements("vm.convert")
    def convert_vm(self, source: str = "", name: str = "", path: str = "", network_map: dict | None = None,
                   dry_run: bool = False, notes: str = "") -> dict:
        """Read and plan the conversion of the VM described at ``source`` (a .vmx, .ovf, .ova, .vbox, libvirt or
        Hyper-V XML, or a folder holding one); ``dry_run`` answers with the plan, else a job converts it. An OVA
        is extracted first (beside the VM store, removed afterwards): by a dry run at once, else in the job.
        ``notes``: the VM's notes instead of the source's ("" keeps the source's)."""
        from core.convert.detect import guess_format, read_source

        if not source:
            raise UsageError("name the source: the VM's descriptor (.vmx, .ovf, .ova, .vbox, .xml) or its folder",
                             code="convert.source_missing")
        source = host_path(source, "source")
        folder = Path(host_path(path, "path")) if path else None
        network_map = _checked_map(network_map)
        if folder is not None and not folder.is_dir():
            raise UsageError(f"path {folder}: no such folder on this host", code="convert.path", path=str(folder))
        vm_id = uuid.uuid4().hex
        final = folder if folder is not None else self.store.root / CONVERTED / vm_id
        if os.path.isfile(source) and guess_format(source) == "ova":
            if dry_run:
                with self._work_folder(vm_id) as work:
                    return self._prepare(read_source(source, work), name, network_map, folder, final, vm_id,
                                         notes).answer()

            def extract_and_run(ctx):
                with self._work_folder(vm_id) as work:
                    ctx.progress(0, "extracting the OVA")
                    prepared = self._prepare(read_source(source, work), name, network_map, folder, final, vm_id,
                                             notes)
                    return self._run_conversion(ctx, prepared)

            shown = name or Path(source).stem
            return self.submit_job("Convert VM", shown, extract_and_run, cancellable=True, target_name=shown)
        prepared = self._prepare(read_source(source), name, network_map, folder, final, vm_id, notes)
        if dry_run:
            return prepared.answer()
        return self.submit_job("Convert VM", prepared.planned.name, lambda ctx: self._run_conversion(ctx, prepared),
                               cancellable=True, target_name=prepared.planned.name)

    def _prepare(self, src, name: str, network_map: dict, folder: Path | None, final: Path, vm_id: str,
                 notes: str = "") -> _Prepared:
        """The plan for this host, checked as vm.new checks a VM (name, memory, processors, switch) and the disks'
        targets, before any file is written; ``notes`` (when given) replace the plan's notes from the source."""
        from core.convert.mapping import plan as make_plan

        from .store import VmConfig

        planned = make_plan(src, "bulkhead", name=name, network_map=network_map, limits=self.limits(),
                            switches=sorted(self.switches), taken=[r.name for r in self.vms.values()],
                            folder=str(final))
        if notes:
            planned.settings["notes"] = notes
        disks = [(d, _file_name(d.target)) for d in planned.disks]
        for d, _ in disks:
            if not d.source_format:
                raise UsageError(f"disk {d.source}: its format is not known, so it is not converted",
                                 code="convert.disk_format", path=d.source)
        if folder is not None:
            for _, target in disks:
                if os.path.lexists(folder / target):
                    raise UsageError(f"{folder / target} already exists: give the VM another name or another "
                                     f"folder (--path DIR)", code="convert.target_exists", path=str(folder / target))
        settings = {k: v for k, v in planned.settings.items() if k != "disk"}
        base = VmConfig(id=vm_id, name=planned.name, memory=settings["memory"])
        self._validated_config(base, settings)
        return _Prepared(src, planned, disks, base, settings, [dict(n) for n in planned.to_dict()["report"]],
                         folder, final)

    @contextmanager
    def _work_folder(self, vm_id: str):
        """A temporary folder beside the VM store (swept if a kill leaves it), removed on leaving."""
        self._sweep_converted()
        work = self._converted_root() / f".{vm_id}-source.{secrets.token_hex(4)}.tmp"
        self._active().add(str(work))  # before it exists: another conversion's sweep never takes it
        try:
            work.mkdir(mode=0o700)
            yield work
        finally:
            self._active().discard(str(work))
            shutil.rmtree(work, ignore_errors=True)

    def _active(self) -> set:
        """The temporary folders of this service's conversions under way (never swept)."""
        return self.__dict__.setdefault("_converting", set())

    # --- the job -------------------------------------------------------------------------------------------------
    def _converted_root(self) -> Path:
        root = self.store.root / CONVERTED
        root.mkdir(mode=0o700, exist_ok=True)
        return root

    def _sweep_converted(self) -> None:
        """Remove the temporary folders of conversions a killed service left (none of this service's own)."""
        active = self._active()
        for entry in os.scandir(self._converted_root()):
            if is_temp_name(entry.name) and entry.is_dir(follow_symlinks=False) and entry.path not in active:
                shutil.rmtree(entry.path, ignore_errors=True)

    def _run_conversion(self, ctx, prep: _Prepared) -> dict:
        disks, folder, final = prep.disks, prep.folder, prep.final
        staging = None
        if folder is None:
            self._sweep_converted()  # makes converted/ too
            staging = final.with_name(f".{final.name}.{secrets.token_hex(4)}.tmp")
            self._active().add(str(staging))  # before it exists: another conversion's sweep never takes it
            staging.mkdir(mode=0o700)
        where = staging if staging is not None else folder
        written: list[Path] = []
        cancel = qemu_img.JobCancel(ctx)
        results = []
        try:
            n = len(disks)
            for i, (d, target) in enumerate(disks, 1):
                ctx.check_cancelled()
                out = where / target

                def progress(pct, i=i):
                    ctx.progress(int(((i - 1) + pct / 100 * 0.9) * 100 / n), f"disk {i} of {n}: {pct:.0f} %")

                ctx.progress(int((i - 1) * 100 / n), f"disk {i} of {n}: 0 %")
                if prep.convert_disk is not None:  # a physical disk's capture (core/local/convert_physical.py)
                    done = prep.convert_disk(d, out, progress, cancel)
                    written.append(out)
                else:
                    done = qemu_img.convert(d.source, d.source_format, out, d.target_format, progress=progress,
                                            cancel=cancel, sync=False)
                    written.append(out)
                    ctx.progress(int(((i - 1) + 0.9) * 100 / n), f"disk {i} of {n}: comparing with the source")
                    same = qemu_img.verify(d.source, d.source_format, out, d.target_format, cancel=cancel)
                    if not same:
                        raise OperationFailed(f"disk {d.source}: the converted copy {target} differs from the "
                                              "source", code="convert.differs", path=d.source)
                results.append({"source": d.source, "target": str(final / target), "format": d.target_format,
                                "bytes": done["bytes"], "size": done["size"], "seconds": done["seconds"],
                                "compared": done.get("compared", True), "attached": bool(d.attach)})
            ctx.check_cancelled()
            record = self._create_converted(prep, where, staging, results)
        except qemu_img.Cancelled:
            if staging is None:
                for p in written:
                    _unlink(p)
            raise JobCancelled("cancelled") from None
        except BaseException:
            if staging is None:
                for p in written:
                    _unlink(p)
            raise
        finally:
            if staging is not None:
                self._active().discard(str(staging))
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
        vm = self._vm_dict(record)
        return {"vm": vm, "name": record.name, "report": prep.report, "disks": results, "folder": str(final)}

    def _create_converted(self, prep: _Prepared, where: Path, staging: Path | None, results: list) -> VmRecord:
        """The VM from the plan's settings with its first disk, its report written beside the disks, and (for a
        default folder) the folder renamed into place; every file written removed if any step fails."""
        src, planned, disks, settings, final = prep.src, prep.planned, prep.disks, prep.settings, prep.final
        attached = [t for d, t in disks if d.attach][:1]
        checked = dict(settings, disk=str(where / attached[0]) if attached else "")
        report_name = REPORT_NAME if staging is not None else _file_name(f"{planned.name}-{REPORT_NAME}")
        note = (f"Converted from {src.format} {src.path} on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; "
                f"the conversion report: {final / report_name}")
        notes = "\n\n".join(x for x in (settings.get("notes") or "", note) if x)[:NOTES_MAX]
        checked["notes"] = notes
        report_file = where / report_name
        made: list[Path] = []
        try:
            config = self._validated_config(prep.base, checked)  # the converted disk opens as this host reads VHDs
            config = replace(config, created=time.time(), disk=str(final / attached[0]) if attached else "")
            if config.network and not config.ip:
                config = replace(config, ip=self._pick_ip(config.network, config.id))
            if staging is None and os.path.lexists(report_file):
                raise UsageError(f"{report_file} already exists: convert into another folder", path=str(report_file))
            write_json_atomic(report_file, {"source": src.to_dict(), "plan": planned.to_dict(), "report": prep.report,
                                            "disks": results, "vm": config.id})
            made.append(report_file)
            with self._lock:
                self._no_vm_named(config.name, config.id)
                if staging is not None:
                    os.rename(staging, final)
                    made = [final]
                    fsync_dir(final.parent)
                stored = self.store.create(config)
                record = VmRecord(stored)
                self.vms[record.id] = record
        except BaseException:
            for p in made:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else _unlink(p)
            if staging is None:
                for _, target in disks:
                    _unlink(where / target)
            raise
        self._emit("vm.added", self._vm_dict(record))
        return record


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

