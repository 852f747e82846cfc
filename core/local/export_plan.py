"""Reading an exported VM folder (core/local/export_import.py) as untrusted input: ``export.json`` names every file
(only an export's layout, inside the folder, no links), each present with its size; the JSON files are hashed and
read, numbers and names checked. ``Plan.read`` gives what the import job needs, ``describe`` what the folder holds
for a person choosing it (vm.import.read), and ``sweep_imports`` removes what an import killed before it was
committed left in the store (called when the host service starts, before it lists its VMs).

An import stages its files in ``imported/.<id>.<random>.tmp/`` (``vm/`` and ``disks/``), writes ``import.json``
there (the id) once the id is checked free, renames ``disks/`` to ``imported/<id>/`` and ``vm/`` to ``vms/<id>/``,
and commits by deleting ``import.json``. A staging folder found at start is an import that did not commit: what it
had renamed into place (the parts no longer in the staging folder) is removed with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
from pathlib import Path

from core.model.errors import UsageError
from core.model.files import folder_entries, is_temp_name
from core.model.names import short

from . import checkpoints_tree as ct
from .store import ConfigError, VmConfig, validate_name

log = logging.getLogger(__name__)

FORMAT = 1
KIND = "bulkhead-vm-export"
MANIFEST = "export.json"
IMPORTED = "imported"  # in the store's folder: the disks of imported VMs that are not checkpoint disks
JOURNAL = "import.json"  # in an import's staging folder from its id check until it commits
MANIFEST_MAX = 1 << 20
FILES_MAX = 4 * ct.MAX_CHECKPOINTS + 64
_CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[0-9a-f]{32}")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}")  # a disk file's name inside an export
_CK_FILES = (ct.META, ct.STATE)


class Plan:
    """An exported folder read and checked (not yet its files' hashes): what the import job needs."""

    def __init__(self, folder: Path, files: dict, config: VmConfig, disk: str, tree, checkpoints: list,
                 manifest: dict | None = None) -> None:
        self.folder, self.files, self.config, self.disk = folder, files, config, disk
        self.tree, self.checkpoints = tree, checkpoints
        self.manifest = manifest or {}

    @classmethod
    def read(cls, folder: Path, config_name: str) -> Plan:
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
        return cls(folder, files, config, disk, tree, checkpoints, manifest)


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


def _text(value, limit: int = 255) -> str:
    """An untrusted string of the manifest, safe to send and show: "" if not a string, cut, no lone surrogates."""
    if not isinstance(value, str):
        return ""
    return value[:limit].encode("utf-8", "replace").decode("utf-8")


def describe(plan: Plan) -> dict:
    """What an export holds, for a person choosing it: the VM (id, name, memory, processors, state), its disk files,
    its checkpoints and saved state, where and when it was exported."""
    c, m = plan.config, plan.manifest
    exported = m.get("exported")
    disks = [{"path": rel, "size": f["size"]} for rel, f in sorted(plan.files.items())
             if rel.startswith("disks/") or rel.startswith(f"{ct.FOLDER}/{ct.DISKS}/")]
    return {"path": str(plan.folder), "id": c.id, "name": c.name, "memory": c.memory, "vcpus": c.vcpus,
            "state": "Saved" if "saved.vmstate" in plan.files else "Off", "saved_state": "saved.vmstate" in plan.files,
            "disk": plan.disk, "disk_format": c.disk_format, "network": c.network, "notes": c.notes[:2000],
            "disks": disks, "disk_bytes": sum(d["size"] for d in disks),
            "checkpoints": [{k: ck.get(k) for k in ("id", "name", "parent", "created", "memory")}
                            for ck in plan.checkpoints],
            "now": (plan.tree or {}).get("now"), "files": len(plan.files),
            "bytes": sum(f["size"] for f in plan.files.values()),
            "host": _text(m.get("host")), "version": _text(m.get("version"), 64),
            "exported": exported if isinstance(exported, (int, float)) and not isinstance(exported, bool)
            and 0 <= exported < 1e11 else None}


def sweep_imports(root: Path) -> list[str]:
    """Undo every import a kill stopped before it committed (``root``: the store's folder): the staging folders in
    ``imported/``, and what such an import had already renamed into ``imported/<id>/`` and ``vms/<id>/``. Call it
    only when no import runs (a host service opening its store, before it lists the VMs). Returns what was removed
    (paths relative to ``root``)."""
    removed = []
    for entry in folder_entries(root / IMPORTED):
        if not is_temp_name(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        staging = Path(entry.path)
        journal = _journal(staging)
        if journal is not None:  # the id was checked free: the parts gone from staging were renamed into place
            vid, had_disks = journal
            if not (staging / "vm").exists() and (root / "vms" / vid).is_dir():
                shutil.rmtree(root / "vms" / vid, ignore_errors=True)
                removed.append(f"vms/{vid}/")
            if had_disks and not (staging / "disks").exists() and (root / IMPORTED / vid).is_dir():
                shutil.rmtree(root / IMPORTED / vid, ignore_errors=True)
                removed.append(f"{IMPORTED}/{vid}/")
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(f"{IMPORTED}/{entry.name}/")
    for what in removed:
        log.warning("removed %s, left by an import that was interrupted", what)
    return removed


def _journal(staging: Path) -> tuple[str, bool] | None:
    try:
        with open(staging / JOURNAL, "rb") as f:
            data = json.loads(f.read(4096).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # none (the import was still copying), or a write a kill cut short (before any rename)
    if not isinstance(data, dict) or not _ID.fullmatch(str(data.get("id"))):
        return None
    return data["id"], bool(data.get("disks"))
