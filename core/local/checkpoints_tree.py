"""A VM's checkpoint tree as its folder holds it (docs/checkpoints.md): ``checkpoints/<id>/checkpoint.json`` (and
``saved.vmstate`` for a checkpoint with memory) per checkpoint, ``checkpoints.json`` the tree: the parents, "now"
(the checkpoint the VM's current state descends from), the VM's current top disk when a checkpoint made it, and
the differencing disks Bulkhead made with their parents (``checkpoints/disks/``).

Every file is written atomically. A checkpoint's folder is made under a temporary name and renamed into place
whole, and it counts only once ``checkpoints.json`` names it: what a killed take left (a temporary folder, a folder
the tree does not name, temporary files) is swept when the tree is first read after a start.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from core.model.errors import NotFound, UsageError
from core.model.files import folder_entries, is_temp_name, write_json_atomic
from core.model.names import same_name

log = logging.getLogger(__name__)

FORMAT = 1
MAX_CHECKPOINTS = 50
FOLDER = "checkpoints"  # in the VM's folder
TREE = "checkpoints.json"  # in the VM's folder
META = "checkpoint.json"
STATE = "saved.vmstate"
DISKS = "disks"  # checkpoints/disks/: the differencing disks of the tree and the VM's current top
OWN_NAMES = (FOLDER, TREE)  # what the VM's folder holds for checkpoints: Bulkhead's files
_ID = re.compile(r"[0-9a-f]{32}")
READ_MAX = 4 << 20


@dataclass
class Checkpoint:
    id: str
    name: str
    parent: str | None
    created: float
    memory: bool  # holds the VM's memory and device state (saved.vmstate)
    state: str  # the VM's state when it was taken
    config: dict  # the VM's configuration then
    disk: str = ""  # the disk file whose chain is the VM's disk as it was ("" without a disk)
    disk_format: str = ""

    def to_dict(self) -> dict:
        return {"format": FORMAT, "id": self.id, "name": self.name, "parent": self.parent, "created": self.created,
                "kind": "standard", "memory": self.memory, "state": self.state, "config": self.config,
                "disk": self.disk, "disk_format": self.disk_format}

    @classmethod
    def from_dict(cls, d: dict) -> Checkpoint:
        if not isinstance(d, dict) or d.get("format") != FORMAT or not _ID.fullmatch(str(d.get("id", ""))):
            raise ValueError("not a checkpoint of this version")
        return cls(d["id"], str(d["name"]), d.get("parent"), float(d["created"]), bool(d["memory"]),
                   str(d.get("state", "Off")), dict(d["config"]), str(d.get("disk", "")), str(d.get("disk_format", "")))


@dataclass
class Tree:
    folder: Path  # the VM's folder
    checkpoints: dict[str, Checkpoint] = field(default_factory=dict)
    now: str | None = None
    top: str = ""  # the VM's current disk when the tree made it (a differencing child in disks/)
    files: dict[str, str] = field(default_factory=dict)  # differencing disk made here -> its parent file

    # --- where things are -----------------------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return self.folder / FOLDER

    @property
    def disks(self) -> Path:
        return self.root / DISKS

    def path(self, checkpoint_id: str) -> Path:
        return self.root / checkpoint_id

    def state_path(self, checkpoint_id: str) -> Path:
        return self.path(checkpoint_id) / STATE

    # --- reading the tree ---------------------------------------------------------------------------------------
    def children(self, checkpoint_id: str | None) -> list[Checkpoint]:
        return sorted((c for c in self.checkpoints.values() if c.parent == checkpoint_id),
                      key=lambda c: (c.created, c.id))

    def subtree(self, checkpoint_id: str) -> list[Checkpoint]:
        """The checkpoint and its descendants, leaves first."""
        out: list[Checkpoint] = []
        for child in self.children(checkpoint_id):
            out += self.subtree(child.id)
        return out + [self.checkpoints[checkpoint_id]]

    def ancestors(self, checkpoint_id: str | None) -> list[str]:
        out = []
        while checkpoint_id is not None and checkpoint_id in self.checkpoints and checkpoint_id not in out:
            out.append(checkpoint_id)
            checkpoint_id = self.checkpoints[checkpoint_id].parent
        return out

    def find(self, ref: str, vm_name: str) -> Checkpoint:
        """By id, else by name (compared as people read names); a name two checkpoints share is ambiguous."""
        if not isinstance(ref, str) or not ref.strip():
            raise UsageError("name a checkpoint (its id or its name)")
        if ref in self.checkpoints:
            return self.checkpoints[ref]
        matches = [c for c in self.checkpoints.values() if same_name(c.name, ref)]
        if len(matches) > 1:
            ids = ", ".join(c.id[:8] for c in sorted(matches, key=lambda c: c.created))
            raise UsageError(f"{len(matches)} checkpoints of VM '{vm_name}' are named '{ref}' ({ids}...): name it by "
                             "its id (bulkhead vm checkpoints VM --json)", code="checkpoint.ambiguous", name=ref)
        if not matches:
            raise NotFound(f"VM '{vm_name}' has no checkpoint '{ref}'", code="checkpoint.not_found", name=ref)
        return matches[0]

    def listing(self) -> dict:
        items = sorted(self.checkpoints.values(), key=lambda c: (c.created, c.id))
        return {"checkpoints": [{"id": c.id, "name": c.name, "parent": c.parent, "created": c.created,
                                 "memory": c.memory, "state": c.state, "disk": c.disk,
                                 "children": [k.id for k in self.children(c.id)]} for c in items],
                "now": self.now}

    # --- disks ----------------------------------------------------------------------------------------------------
    def owners(self, path: str) -> list[str]:
        """Who needs ``path`` as their own content: checkpoint ids, and "top" for the VM's current disk."""
        out = [c.id for c in self.checkpoints.values() if c.disk == path]
        return out + (["top"] if self.top == path else [])

    def dependants(self, path: str) -> list[str]:
        return sorted(f for f, parent in self.files.items() if parent == path)

    def mine(self, path: str) -> bool:
        return path in self.files

    # --- writing --------------------------------------------------------------------------------------------------
    def save(self) -> None:
        self.root.mkdir(mode=0o700, exist_ok=True)
        write_json_atomic(self.folder / TREE, {
            "format": FORMAT, "now": self.now, "top": self.top, "files": self.files,
            "checkpoints": [{"id": c.id, "parent": c.parent} for c in self.checkpoints.values()]})

    def write_meta(self, folder: Path, checkpoint: Checkpoint) -> None:
        write_json_atomic(folder / META, checkpoint.to_dict())


def load(folder: Path) -> Tree:
    """The tree of the VM in ``folder`` (an empty one if it has none), with what killed operations left swept."""
    tree = Tree(Path(folder))
    data = _read(tree.folder / TREE)
    listed: dict[str, str | None] = {}
    if isinstance(data, dict) and data.get("format") == FORMAT:
        for entry in data.get("checkpoints") or ():
            if isinstance(entry, dict) and _ID.fullmatch(str(entry.get("id", ""))):
                listed[entry["id"]] = entry.get("parent")
        tree.top = str(data.get("top") or "")
        files = data.get("files")
        tree.files = {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
        now = data.get("now")
        tree.now = now if now in listed else None
    elif data is not None:
        log.warning("%s: not a checkpoint tree of this version; its checkpoints are not read", tree.folder / TREE)
        return tree
    for entry in folder_entries(tree.root):
        path = Path(entry.path)
        if entry.name == DISKS:
            continue
        if is_temp_name(entry.name) or (entry.is_dir(follow_symlinks=False) and _ID.fullmatch(entry.name)
                                        and entry.name not in listed):
            log.warning("removing %s, left by a checkpoint operation that was interrupted", path)
            _remove(path)
            continue
        if entry.name in listed and entry.is_dir(follow_symlinks=False):
            try:
                checkpoint = Checkpoint.from_dict(_read(path / META))
            except (ValueError, TypeError, KeyError) as e:
                log.warning("checkpoint %s: %s; left out of the tree", path, e)
                continue
            checkpoint.parent = listed[entry.name]
            tree.checkpoints[checkpoint.id] = checkpoint
    for checkpoint in tree.checkpoints.values():  # a parent that is gone: the checkpoint hangs from the root
        if checkpoint.parent not in tree.checkpoints:
            checkpoint.parent = None
    if tree.now not in tree.checkpoints:
        tree.now = None
    for entry in folder_entries(tree.disks):
        if is_temp_name(entry.name):
            _remove(Path(entry.path))
    return tree


def _read(path: Path):
    try:
        with open(path, "rb") as f:
            raw = f.read(READ_MAX + 1)
    except FileNotFoundError:
        return None
    except OSError as e:
        log.warning("%s: cannot be read (%s)", path, e.strerror or e)
        return None
    if len(raw) > READ_MAX:
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass
