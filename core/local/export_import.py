"""vm.export and vm.import on the embedded engine's host (Hyper-V's Export-VM / Import-VM, docs/checkpoints.md).

Export writes ``<path>/<vm name>/``: ``vm.json`` (the configuration), every file of the VM's disk chain (the disks
Bulkhead made for its checkpoints in ``checkpoints/disks/``, any other in ``disks/``), its checkpoints folder and
tree, its saved state, and ``export.json`` (format, source host, every file with its size and sha256). Paths inside
the export are relative to it. The folder is made under a temporary name beside the target and renamed whole; a
failure or cancel leaves nothing. A running (or paused) VM is exported through a checkpoint taken for the purpose:
its state at that moment, Saved in the export; the checkpoint is deleted from the VM again afterwards.

Import reads the folder as untrusted: ``export.json`` names every file (only the layout above, inside the folder,
no links), each present with its size and hash; numbers and names are checked, the configurations as vm.json is
read. This store keeps every VM in its own folder, so "register" (in place) is refused with the reason; "copy"
keeps the VM's id (refused if it exists here), "new_id" gives it a new one (and a new name when the old one is
taken, given with ``name``). Disks that are not checkpoint disks go to ``imported/<id>/`` in the store's folder; the
VM's folder and that folder are made under a temporary name and renamed into place, the checkpoint disks then
pointed at their parents' new paths. Any failure removes both; a kill of the service before the import committed
is undone when it starts again (export_plan.sweep_imports). ``vm.import.read`` says what a folder holds (the export
read and checked as the import reads it, not yet its disks' hashes) and which modes this host would take.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import time
import uuid
from pathlib import Path

from core import __version__
from core.hosts.jobs import JobCancelled
from core.hosts.registry import implements
from core.model.errors import BulkheadError, OperationFailed, StateError, UsageError
from core.model.files import fsync_dir, is_temp_name, write_json_atomic
from core.model.names import same_name, short

from . import checkpoints_tree as ct
from .export_plan import FORMAT, IMPORTED, JOURNAL, KIND, MANIFEST, Plan, describe
from .record import VmRecord, host_path
from .store import ConfigError, VmConfig, validate_name

EXPORTABLE = ("Off", "Saved")
THROUGH_CHECKPOINT = ("Running", "Paused")  # exported as they are at that moment, Saved
MODES = ("register", "copy", "new_id")
REGISTER_REFUSAL = ("this host keeps every VM in its own folder of the store and cannot register one in place: "
                    "import it with --copy (same id) or --new-id")
_CHUNK = 1 << 20
__all__ = ["FORMAT", "KIND", "MANIFEST", "ExportImportMethods"]


class ExportImportMethods:
    # --- export ------------------------------------------------------------------------------------------------
    @implements("vm.export")
    def export_vm(self, vm: str, path: str) -> dict:
        """Export the VM into the folder ``path`` (absolute, on this host) as ``path/<name>/`` (a running one
        through a checkpoint taken for the purpose)."""
        record = self._usable(vm)
        if not path:
            raise UsageError("give the folder to export into (an absolute path on this host)", code="export.path")
        folder = Path(host_path(path, "path"))
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder on this host", code="export.path", path=str(folder))
        target = folder / _folder_name(record.name)
        if os.path.lexists(target):
            raise UsageError(f"{target} already exists: export into another folder", code="export.exists",
                             path=str(target))
        self._exportable_now(record)
        self._not_busy(record)
        return self.submit_job("Export VM", record.id, lambda ctx: self._export_vm(ctx, record, target),
                               cancellable=True)

    def _exportable_now(self, record) -> None:
        if record.state in EXPORTABLE:
            return
        if record.state not in THROUGH_CHECKPOINT:
            raise StateError(f"cannot export VM '{record.name}' while it is {record.state}", code="vm.state",
                             vm=record.name, operation="export", state=record.state)
        if len(self._tree(record).checkpoints) >= ct.MAX_CHECKPOINTS:
            raise StateError(f"VM '{record.name}' runs and has {ct.MAX_CHECKPOINTS} checkpoints, the most a VM can "
                             "have: it is exported through one more; delete one, or shut it down or save it first",
                             code="checkpoint.limit", vm=record.name)
        if record.config.disk and record.config.disk_format == "raw":
            raise StateError(f"VM '{record.name}' runs on a raw disk, which cannot have the checkpoint it would be "
                             "exported through: shut it down or save it first", code="vm.state", vm=record.name)

    def _export_vm(self, ctx, record, target: Path) -> dict:
        work = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        with record.lock:  # the VM's checkpoints stay as they are (an Off or Saved VM does not start) meanwhile
            self._exportable_now(record)
            temp = None
            if record.state in THROUGH_CHECKPOINT:  # its state at this moment, Saved in the export
                ctx.progress(0, "taking a checkpoint to export")
                temp = self._take(ctx, record, f"Export - ({time.strftime('%Y-%m-%d %H:%M:%S')})")["checkpoint"]["id"]
            try:
                return self._export_files(ctx, record, target, work, temp)
            finally:
                if temp is not None:
                    self._remove(ctx, record, temp, False)

    def _export_files(self, ctx, record, target: Path, work: Path, temp: str | None) -> dict:
        tree = self._tree(record)
        checkpoints = [c for c in tree.checkpoints.values() if c.id != temp]
        if temp is None:
            config, state, saved, now, top = record.config, record.state, self.store.saved_state_path(record.id), \
                tree.now, tree.top
        else:
            ck = tree.checkpoints[temp]
            config, state, saved, now, top = VmConfig.from_dict(ck.config), "Saved", tree.state_path(temp), \
                ck.parent, ""
        rel = _relative_names(tree, [config.disk, top, *(c.disk for c in checkpoints)])
        files: list[dict] = []
        try:
            work.mkdir(mode=0o700)
            total = sum(_size(p) for p in rel) or 1
            done = [0]

            def copy(src: str | Path, name: str) -> None:
                files.append(_copy(ctx, Path(src), work / name, name, done, total))

            for src, name in sorted(rel.items(), key=lambda kv: kv[1]):
                copy(src, name)
            if state == "Saved":
                copy(saved, self.store.SAVED_STATE_NAME)
            for ck in checkpoints:
                base = f"{ct.FOLDER}/{ck.id}"
                if ck.memory:
                    copy(tree.state_path(ck.id), f"{base}/{ct.STATE}")
                meta = ck.to_dict() | {"disk": rel.get(ck.disk, ""),
                                       "config": dict(ck.config, disk=rel.get(ck.config.get("disk", ""), ""))}
                files.append(_json(work, f"{base}/{ct.META}", meta))
            files.append(_json(work, ct.TREE, {
                "format": ct.FORMAT, "now": now, "top": rel.get(top, ""),
                "files": {rel[k]: rel.get(v, "") for k, v in tree.files.items() if k in rel},
                "checkpoints": [{"id": c.id, "parent": c.parent} for c in checkpoints]}))
            files.append(_json(work, self.store.CONFIG_NAME, config.to_dict() | {"disk": rel.get(config.disk, "")}))
            write_json_atomic(work / MANIFEST, {
                "format": FORMAT, "kind": KIND, "version": __version__, "host": socket.gethostname(),
                "exported": time.time(), "vm": {"id": record.id, "name": record.name, "state": state},
                "files": sorted(files, key=lambda f: f["path"])})
            ctx.check_cancelled()
            os.rename(work, target)
            fsync_dir(target.parent)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return {"vm": record.name, "name": record.name, "path": str(target), "files": len(files),
                "bytes": sum(f["size"] for f in files), "checkpoints": len(checkpoints), "state": state,
                "through_checkpoint": temp is not None}

    # --- import ------------------------------------------------------------------------------------------------
    @implements("vm.import.read")
    def read_export(self, path: str) -> dict:
        """What the exported folder ``path`` (absolute, on this host) holds (its files' sizes and its JSON checked,
        not yet its disks' hashes), and for each import mode whether this host would take it and why not."""
        source = self._import_source(path)
        plan = Plan.read(source, self.store.CONFIG_NAME)
        out = describe(plan)
        taken = self._name_problem(plan.config.name, False)
        clash = self._id_problem(plan.config.id)
        out["modes"] = {
            "register": {"ok": False, "code": "import.register", "reason": REGISTER_REFUSAL},
            "copy": {"ok": clash is None, "code": clash.code if clash else "", "reason": str(clash or ""),
                     "existing": clash.params.get("name", "") if clash else ""},
            "new_id": {"ok": True, "code": "", "reason": ""}}
        out["name_taken"] = taken.params.get("name", "") if taken else ""
        return out

    def _import_source(self, path: str) -> Path:
        if not path:
            raise UsageError("give the exported folder to import (an absolute path on this host)", code="import.path")
        source = Path(host_path(path, "path"))
        if not source.is_dir():
            raise UsageError(f"{source}: no such folder on this host", code="import.path", path=str(source))
        return source

    @implements("vm.import")
    def import_vm(self, path: str, mode: str = "copy", name: str = "") -> dict:
        """Import the exported folder ``path`` (absolute, on this host): ``copy`` (same id) or ``new_id``."""
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)} (got {short(mode)})", code="import.mode")
        if not path:
            raise UsageError("give the exported folder to import (an absolute path on this host)", code="import.path")
        if mode == "register":
            source = Path(host_path(path, "path"))
            raise UsageError(f"cannot register {source} in place: {REGISTER_REFUSAL}", code="import.register",
                             path=str(source))
        source = self._import_source(path)
        if name:
            try:
                name = validate_name(name)
            except ConfigError as e:
                raise UsageError(str(e), code="vm.name") from None
        plan = Plan.read(source, self.store.CONFIG_NAME)
        vid = plan.config.id if mode == "copy" else uuid.uuid4().hex
        new_name = name or plan.config.name
        self._import_free(plan, mode, vid, new_name, bool(name))
        return self.submit_job("Import VM", vid, lambda ctx: self._import_vm(ctx, plan, vid, new_name, mode, name),
                               cancellable=True)

    def _import_free(self, plan, mode: str, vid: str, new_name: str, named: bool) -> None:
        problem = self._id_problem(vid) or self._name_problem(new_name, named)
        if problem is not None:
            raise problem

    def _id_problem(self, vid: str) -> BulkheadError | None:
        if vid in self.vms or os.path.lexists(self.store.folder(vid)):
            name = self.vms[vid].name if vid in self.vms else vid
            return StateError(f"a VM with id {vid} ('{name}') already exists on this host: import it with --new-id",
                              code="import.id_exists", id=vid, name=name)
        return None

    def _name_problem(self, new_name: str, named: bool) -> BulkheadError | None:
        for other in self.vms.values():
            if other.config and same_name(other.config.name, new_name):
                hint = "give another name" if named else "give it a new name with --name N"
                return UsageError(f"a VM named '{other.config.name}' already exists on this host: {hint}",
                                  code="vm.name_taken", name=other.config.name)
        return None

    def _import_vm(self, ctx, plan, vid: str, new_name: str, mode: str, name: str) -> dict:
        root = self.store.root / IMPORTED
        root.mkdir(mode=0o700, exist_ok=True)  # what a killed import left here goes when the host starts
        staging = root / f".{vid}.{secrets.token_hex(4)}.tmp"
        vm_folder, disks_folder = self.store.folder(vid), root / vid

        def final(rel: str) -> str:
            if not rel:
                return ""
            if rel.startswith(f"{ct.FOLDER}/"):
                return str(vm_folder / rel)
            return str(disks_folder / rel.split("/", 1)[1])

        placed: list[Path] = []
        try:
            staging.mkdir(mode=0o700)
            (staging / "vm").mkdir(mode=0o700)
            done, total = [0], sum(f["size"] for f in plan.files.values()) or 1
            for rel, f in sorted(plan.files.items()):
                if rel in (self.store.CONFIG_NAME, ct.TREE) or rel.endswith(f"/{ct.META}"):
                    continue  # written anew with this host's paths
                out = staging / rel if rel.startswith("disks/") else staging / "vm" / rel
                got = _copy(ctx, plan.folder / rel, out, rel, done, total)
                if got["size"] != f["size"] or got["sha256"] != f["sha256"]:
                    raise OperationFailed(f"{plan.folder / rel}: its content does not match {MANIFEST} (changed "
                                          "or damaged): the export cannot be imported", code="import.damaged",
                                          path=str(plan.folder / rel))
            config = dict(plan.config.to_dict(), id=vid, name=new_name, disk=final(plan.disk), last_running=False)
            dropped = config["network"] if config["network"] not in self.switches else ""
            if dropped:  # a switch this host lacks: not connected (say so)
                config["network"], config["ip"] = "", ""
            config = VmConfig.from_dict(config)
            if config.network:
                config.ip = self._pick_ip(config.network, vid)
            vm_stage = staging / "vm"
            for ck in plan.checkpoints:
                cfg = dict(ck["config"], disk=final(ck["config"].get("disk", "")))
                meta = dict(ck, disk=final(ck["disk"]), config=cfg)
                (vm_stage / ct.FOLDER / ck["id"]).mkdir(mode=0o700, parents=True, exist_ok=True)
                write_json_atomic(vm_stage / ct.FOLDER / ck["id"] / ct.META, meta)
            if plan.tree is not None:
                t = plan.tree
                write_json_atomic(vm_stage / ct.TREE, {
                    "format": ct.FORMAT, "now": t.get("now"), "top": final(t.get("top") or ""),
                    "files": {final(k): final(v) for k, v in t["files"].items()},
                    "checkpoints": [{"id": c["id"], "parent": c.get("parent")} for c in t["checkpoints"]]})
            write_json_atomic(vm_stage / self.store.CONFIG_NAME, config.to_dict())
            ctx.check_cancelled()
            with self._lock:
                self._import_free(plan, mode, vid, new_name, bool(name))
                # from here a kill is undone when the host starts (export_plan.sweep_imports) until JOURNAL goes
                write_json_atomic(staging / JOURNAL, {"id": vid, "disks": (staging / "disks").exists()})
                if (staging / "disks").exists():
                    os.rename(staging / "disks", disks_folder)
                    placed.append(disks_folder)
                os.rename(vm_stage, vm_folder)
                placed.append(vm_folder)
                fsync_dir(self.store.vms)
                ctx.progress(95, "pointing the checkpoint disks at their parents")
                self._relink(plan, final)
                stored = self.store.entry(vid)
                if stored is None or stored.config is None:
                    raise OperationFailed(f"the imported VM cannot be read: {stored.error if stored else 'gone'}")
                record = VmRecord(stored)
                saved = self.store.saved_state_path(vid)
                if saved.exists():
                    record.partition = self._make_partition(record)
                    record.partition.adopt_saved_state(saved)
                self.vms[vid] = record
                os.unlink(staging / JOURNAL)  # committed
                fsync_dir(staging)
        except BaseException as e:
            for p in placed:
                shutil.rmtree(p, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
            self.__dict__.get("_checkpoint_trees", {}).pop(vid, None)
            if isinstance(e, (JobCancelled, BulkheadError)) or not isinstance(e, Exception):
                raise
            raise OperationFailed(f"cannot import {plan.folder}: {getattr(e, 'strerror', None) or e}") from None
        shutil.rmtree(staging, ignore_errors=True)
        self._emit("vm.added", self._vm_dict(record))
        return {"vm": self._vm_dict(record), "name": record.name, "id": vid, "state": record.state, "mode": mode,
                "checkpoints": len(plan.checkpoints), "path": str(plan.folder), "network_dropped": dropped}

    @staticmethod
    def _relink(plan, final) -> None:
        """Every checkpoint disk names its parent's path on this host; parents first."""
        from core.engine.storage.differencing import reparent

        if plan.tree is None:
            return
        files = plan.tree["files"]
        done: set[str] = set()
        while len(done) < len(files):
            ready = [k for k, v in files.items() if k not in done and (v not in files or v in done)]
            if not ready:
                raise OperationFailed(f"{plan.folder / ct.TREE}: its disks form a loop", code="import.damaged")
            for k in sorted(ready):
                if files[k]:
                    reparent(final(k), final(files[k]))
                done.add(k)

def _folder_name(name: str) -> str:
    out = "".join("_" if ch in "/\\\0" else ch for ch in name).lstrip(".") or "vm"
    return out.replace(".tmp", "_tmp") if is_temp_name(out) else out


def _relative_names(tree, disks: list[str]) -> dict[str, str]:
    """Every file of the chains of ``disks`` (the VM's and its checkpoints') -> its path inside the export."""
    want = {d for d in disks if d}
    todo = list(want)
    while todo:
        parent = tree.files.get(todo.pop())
        if parent and parent not in want:
            want.add(parent)
            todo.append(parent)
    rel, used = {}, set()
    for d in sorted(want):
        mine = d in tree.files and Path(d).parent == tree.disks
        base = re.sub(r"[^A-Za-z0-9_.+-]", "_", os.path.basename(d)).lstrip(".-") or "disk"
        name, n = base[:180], 1
        folder = f"{ct.FOLDER}/{ct.DISKS}" if mine else "disks"
        while f"{folder}/{name}" in used:
            n += 1
            name = f"{n}-{base[:180]}"
        rel[d] = f"{folder}/{name}"
        used.add(rel[d])
    return rel


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _copy(ctx, src: Path, out: Path, rel: str, done: list, total: int) -> dict:
    """Copy ``src`` to ``out`` (made new, 0600, synced) hashing it; {path, size, sha256}. Holes stay holes."""
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    zero = bytes(_CHUNK)
    try:
        fin = open(src, "rb")
    except OSError as e:
        raise OperationFailed(f"{src}: cannot be read ({e.strerror or e})", path=str(src)) from None
    with fin, open(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fout:
        for chunk in iter(lambda: fin.read(_CHUNK), b""):
            ctx.check_cancelled()
            h.update(chunk)
            if chunk == zero[:len(chunk)]:
                fout.seek(len(chunk), os.SEEK_CUR)
            else:
                fout.write(chunk)
            size += len(chunk)
            done[0] += len(chunk)
            ctx.progress(min(90, int(done[0] * 90 / total)), f"copying {rel}")
        fout.truncate(size)
        fout.flush()
        os.fsync(fout.fileno())
    return {"path": rel, "size": size, "sha256": h.hexdigest()}


def _json(work: Path, rel: str, data) -> dict:
    path = work / rel
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_json_atomic(path, data)
    raw = path.read_bytes()
    return {"path": rel, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
