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
pointed at their parents' new paths. Any failure removes both.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import stat
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
from .record import VmRecord, host_path
from .store import ConfigError, VmConfig, validate_name

EXPORTABLE = ("Off", "Saved")
THROUGH_CHECKPOINT = ("Running", "Paused")  # exported as they are at that moment, Saved
FORMAT = 1
KIND = "bulkhead-vm-export"
MANIFEST = "export.json"
IMPORTED = "imported"  # in the store's folder: the disks of imported VMs that are not checkpoint disks
MODES = ("register", "copy", "new_id")
REGISTER_REFUSAL = ("this host keeps every VM in its own folder of the store and cannot register one in place: "
                    "import it with --copy (same id) or --new-id")
MANIFEST_MAX = 1 << 20
FILES_MAX = 4 * ct.MAX_CHECKPOINTS + 64
_CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[0-9a-f]{32}")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}")  # a disk file's name inside an export
_CK_FILES = (ct.META, ct.STATE)


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
    @implements("vm.import")
    def import_vm(self, path: str, mode: str = "copy", name: str = "") -> dict:
        """Import the exported folder ``path`` (absolute, on this host): ``copy`` (same id) or ``new_id``."""
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)} (got {short(mode)})", code="import.mode")
        if not path:
            raise UsageError("give the exported folder to import (an absolute path on this host)", code="import.path")
        source = Path(host_path(path, "path"))
        if mode == "register":
            raise UsageError(f"cannot register {source} in place: {REGISTER_REFUSAL}", code="import.register",
                             path=str(source))
        if not source.is_dir():
            raise UsageError(f"{source}: no such folder on this host", code="import.path", path=str(source))
        if name:
            try:
                name = validate_name(name)
            except ConfigError as e:
                raise UsageError(str(e), code="vm.name") from None
        plan = _Plan.read(source, self.store.CONFIG_NAME)
        vid = plan.config.id if mode == "copy" else uuid.uuid4().hex
        new_name = name or plan.config.name
        self._import_free(plan, mode, vid, new_name, bool(name))
        return self.submit_job("Import VM", vid, lambda ctx: self._import_vm(ctx, plan, vid, new_name, mode, name),
                               cancellable=True)

    def _import_free(self, plan, mode: str, vid: str, new_name: str, named: bool) -> None:
        if vid in self.vms or os.path.lexists(self.store.folder(vid)):
            raise StateError(f"a VM with id {vid} ('{self.vms[vid].name if vid in self.vms else vid}') already exists "
                             "on this host: import it with --new-id", code="import.id_exists", id=vid)
        for other in self.vms.values():
            if other.config and same_name(other.config.name, new_name):
                hint = "give another name" if named else "give it a new name with --name N"
                raise UsageError(f"a VM named '{other.config.name}' already exists on this host: {hint}",
                                 code="vm.name_taken", name=other.config.name)

    def _import_vm(self, ctx, plan, vid: str, new_name: str, mode: str, name: str) -> dict:
        root = self.store.root / IMPORTED
        root.mkdir(mode=0o700, exist_ok=True)
        for entry in os.scandir(root):  # what a killed import left
            if is_temp_name(entry.name) and entry.is_dir(follow_symlinks=False) and \
                    time.time() - entry.stat(follow_symlinks=False).st_mtime > 3600:
                shutil.rmtree(entry.path, ignore_errors=True)
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


class _Plan:
    """An exported folder read and checked (not yet its files' hashes): what the import job needs."""

    def __init__(self, folder: Path, files: dict, config: VmConfig, disk: str, tree, checkpoints: list) -> None:
        self.folder, self.files, self.config, self.disk = folder, files, config, disk
        self.tree, self.checkpoints = tree, checkpoints

    @classmethod
    def read(cls, folder: Path, config_name: str) -> _Plan:
        manifest = _read_json(folder, MANIFEST)
        if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
            raise UsageError(f"{folder / MANIFEST}: not a Bulkhead VM export", code="import.invalid")
        if manifest.get("format") != FORMAT:
            raise UsageError(f"{folder / MANIFEST}: format {short(manifest.get('format'))} is not supported (this "
                             f"version reads format {FORMAT})", code="import.format")
        entries = manifest.get("files")
        if not isinstance(entries, list) or len(entries) > FILES_MAX:
            raise UsageError(f"{folder / MANIFEST}: 'files' must be a list of at most {FILES_MAX}",
                             code="import.invalid")
        files: dict[str, dict] = {}
        for f in entries:
            rel = f.get("path") if isinstance(f, dict) else None
            _check_member(folder, rel)
            size, digest = f.get("size"), f.get("sha256")
            if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 1 << 62 or \
                    not isinstance(digest, str) or not _HEX64.fullmatch(digest) or rel in files:
                raise UsageError(f"{folder / MANIFEST}: the entry of {short(rel)} is not a size and a sha256 (or "
                                 "appears twice)", code="import.invalid", path=str(rel))
            st = os.lstat(folder / rel)
            if st.st_size != size:
                raise UsageError(f"{folder / rel}: {st.st_size} bytes, {MANIFEST} says {size}: the export is "
                                 "damaged", code="import.damaged", path=str(folder / rel))
            files[rel] = {"size": size, "sha256": digest}
        for rel in files:
            if rel.endswith(".json"):
                _verify(folder, rel, files[rel])  # read now: they must be what the manifest says
        if config_name not in files:
            raise UsageError(f"{folder}: {MANIFEST} does not list {config_name}", code="import.invalid")
        raw = _read_json(folder, config_name)
        if not isinstance(raw, dict):
            raise UsageError(f"{folder / config_name}: not a VM configuration", code="import.invalid")
        disk = raw.get("disk", "")
        _disk_member(folder, files, disk, config_name)
        try:
            config = VmConfig.from_dict(dict(raw, disk="/x" if disk else ""))
        except (ConfigError, TypeError, ValueError) as e:
            raise UsageError(f"{folder / config_name}: {e}", code="import.invalid") from None
        tree, checkpoints = None, []
        if ct.TREE in files:
            tree, checkpoints = _read_tree(folder, files)
        if (disk or tree) and config.disk_format == "raw" and tree and tree["checkpoints"]:
            raise UsageError(f"{folder / config_name}: a raw disk with checkpoints", code="import.invalid")
        return cls(folder, files, config, disk, tree, checkpoints)


def _read_tree(folder: Path, files: dict) -> tuple[dict, list]:
    t = _read_json(folder, ct.TREE)
    where = folder / ct.TREE
    if not isinstance(t, dict) or t.get("format") != ct.FORMAT or not isinstance(t.get("checkpoints"), list) \
            or not isinstance(t.get("files"), dict) or len(t["checkpoints"]) > ct.MAX_CHECKPOINTS:
        raise UsageError(f"{where}: not a checkpoint tree of this version", code="import.invalid")
    ids = []
    for c in t["checkpoints"]:
        if not isinstance(c, dict) or not _ID.fullmatch(str(c.get("id"))) or c["id"] in ids:
            raise UsageError(f"{where}: a checkpoint id is not 32 hex digits (or appears twice)", code="import.invalid")
        ids.append(c["id"])
    for c in t["checkpoints"]:
        if c.get("parent") is not None and c.get("parent") not in ids:
            raise UsageError(f"{where}: checkpoint {c['id']} has an unknown parent", code="import.invalid")
    if t.get("now") is not None and t.get("now") not in ids:
        raise UsageError(f"{where}: 'now' is not one of its checkpoints", code="import.invalid")
    _disk_member(folder, files, t.get("top") or "", ct.TREE)
    for k, v in t["files"].items():
        if not k.startswith(f"{ct.FOLDER}/{ct.DISKS}/"):
            raise UsageError(f"{where}: {short(k)} is not a checkpoint disk", code="import.invalid", path=k)
        _disk_member(folder, files, k, ct.TREE)
        _disk_member(folder, files, v, ct.TREE)
    listed = {rel.split("/")[1] for rel in files if rel.startswith(f"{ct.FOLDER}/") and rel.endswith(f"/{ct.META}")}
    if listed != set(ids):
        raise UsageError(f"{where}: its checkpoints and the checkpoint folders {MANIFEST} lists differ",
                         code="import.invalid")
    checkpoints = []
    for cid in ids:
        rel = f"{ct.FOLDER}/{cid}/{ct.META}"
        raw = _read_json(folder, rel)
        try:
            ck = ct.Checkpoint.from_dict(raw)
            if ck.id != cid or not isinstance(raw.get("config"), dict):
                raise ValueError("its id is not its folder's name")
            _disk_member(folder, files, ck.disk, rel)
            _disk_member(folder, files, raw["config"].get("disk", ""), rel)
            VmConfig.from_dict(dict(raw["config"], disk="/x" if raw["config"].get("disk") else ""))
            validate_name(ck.name, "a checkpoint name")
        except UsageError:
            raise
        except (ConfigError, TypeError, ValueError, KeyError) as e:
            raise UsageError(f"{folder / rel}: {e}", code="import.invalid", path=str(folder / rel)) from None
        if ck.memory and f"{ct.FOLDER}/{cid}/{ct.STATE}" not in files:
            raise UsageError(f"{folder / rel}: its saved state is not in the export", code="import.invalid")
        checkpoints.append(ck.to_dict() | {"config": raw["config"]})
    return t, checkpoints


def _check_member(folder: Path, rel) -> None:
    """``rel`` is one of the paths an export holds, inside ``folder``, a regular file (no link); else UsageError."""
    ok = isinstance(rel, str) and len(rel) < 400
    parts = rel.split("/") if ok else []
    if ok:
        if parts in (["vm.json"], ["saved.vmstate"], [ct.TREE]):
            pass
        elif len(parts) == 2 and parts[0] == "disks" and _NAME.fullmatch(parts[1]):
            pass
        elif len(parts) == 3 and parts[:2] == [ct.FOLDER, ct.DISKS] and _NAME.fullmatch(parts[2]):
            pass
        elif len(parts) == 3 and parts[0] == ct.FOLDER and _ID.fullmatch(parts[1]) and parts[2] in _CK_FILES:
            pass
        else:
            ok = False
    if not ok:
        raise UsageError(f"{folder / MANIFEST}: {short(rel)} is not a file an export holds (or leaves the folder)",
                         code="import.path", path=str(rel))
    full = folder / rel
    try:
        st = os.lstat(full)
        inside = os.path.realpath(full).startswith(os.path.realpath(folder) + os.sep)
    except FileNotFoundError:
        raise UsageError(f"{full} is missing: the export is incomplete", code="import.missing",
                         path=str(full)) from None
    except OSError as e:
        raise UsageError(f"{full}: {e.strerror or e}", code="import.path", path=str(full)) from None
    if not stat.S_ISREG(st.st_mode) or not inside:
        raise UsageError(f"{full} is not a regular file inside the export (a link?)", code="import.path",
                         path=str(full))


def _disk_member(folder: Path, files: dict, rel, where: str) -> None:
    if rel == "":
        return
    if not isinstance(rel, str) or rel not in files or not (rel.startswith("disks/") or
                                                            rel.startswith(f"{ct.FOLDER}/{ct.DISKS}/")):
        raise UsageError(f"{folder / where}: its disk {short(rel)} is not a disk file of the export",
                         code="import.invalid", path=str(rel))


def _read_json(folder: Path, rel: str):
    path = folder / rel
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise UsageError(f"{path} is missing: not a Bulkhead VM export (or an incomplete one)", code="import.missing",
                         path=str(path)) from None
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror or e}", code="import.path", path=str(path)) from None
    with os.fdopen(fd, "rb") as f:
        raw = f.read(MANIFEST_MAX + 1)
    if len(raw) > MANIFEST_MAX:
        raise UsageError(f"{path} is larger than {MANIFEST_MAX // 1024} KiB", code="import.invalid")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UsageError(f"{path}: not valid JSON", code="import.invalid", path=str(path)) from None


def _no_constant(name: str):
    raise ValueError(name)


def _verify(folder: Path, rel: str, want: dict) -> None:
    h = hashlib.sha256()
    with open(folder / rel, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    if h.hexdigest() != want["sha256"]:
        raise UsageError(f"{folder / rel}: its content does not match {MANIFEST} (changed or damaged): the export "
                         "cannot be imported", code="import.damaged", path=str(folder / rel))


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
