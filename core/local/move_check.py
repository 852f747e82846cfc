"""Moves, before they start, on the embedded engine's host: what a source says of a VM it would send
(``vm.move.describe``, libvirt's "begin") and what a destination says of taking it (``vm.move.check``): rows of
{severity, topic, text, hint} from core/hosts/precheck.py, built from this host's facts (free memory, limits, backend,
switches, VM names, the guest image, each disk's identity under the same path, free space in the destination
folder). ``move_check_rows`` is what ``vm.move.prepare`` checks again before it reserves anything."""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import threading
from pathlib import Path

from core import __version__
from core.hosts import precheck
from core.hosts.registry import implements
from core.model.files import NotRegularFile, open_regular
from core.model.states import VmState

from .record import VmRecord, bundled_image

# the migration stream formats this host reads and sends (the stream's HELLO carries the one in use)
STREAM_FORMATS = (1,)
IMAGE_MAX = 256 << 20  # the engine refuses guest images over 256 MiB; nothing bigger is hashed
_RUNNING = (VmState.RUNNING, VmState.PAUSED, VmState.PAUSING, VmState.RESUMING, VmState.SAVING, VmState.STOPPING)
_hashes: dict[tuple, str] = {}  # (path, size, mtime_ns, inode) -> sha256 of a guest image (small, bounded below)
_hashes_lock = threading.Lock()


def file_sha256(path: str) -> tuple[str, int] | None:
    """(sha256, size) of the regular file at ``path`` (at most IMAGE_MAX bytes), or None if it cannot be read."""
    try:
        fd, st = open_regular(path, os.O_RDONLY)
    except (OSError, NotRegularFile):
        return None
    try:
        if st.st_size > IMAGE_MAX:
            return None
        key = (path, st.st_size, st.st_mtime_ns, st.st_ino)
        with _hashes_lock:
            known = _hashes.get(key)
        if known is None:
            digest = hashlib.sha256()
            with os.fdopen(os.dup(fd), "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            known = digest.hexdigest()
            with _hashes_lock:
                if len(_hashes) > 64:
                    _hashes.clear()
                _hashes[key] = known
        return known, st.st_size
    except OSError:
        return None
    finally:
        os.close(fd)


def disk_identity(path: str, format: str = "") -> dict:
    """What says two hosts reach the same disk file: {exists, is_file, size (of the file), uuid (a VHD footer's
    unique id, "" for raw), inode, device}."""
    try:
        st = os.stat(path)
    except OSError:
        return {"exists": False}
    out = {"exists": True, "is_file": stat.S_ISREG(st.st_mode), "size": st.st_size, "inode": st.st_ino,
           "device": st.st_dev, "uuid": ""}
    if out["is_file"] and (format.startswith("vhd") or (not format and path.lower().endswith(".vhd"))):
        from core.engine.storage import FORMATS, DiskError, open_disk

        try:
            disk = open_disk(path, read_only=True, format=format if format in FORMATS else None)
            try:
                out["uuid"] = str(disk.info().get("uuid") or "")
            finally:
                disk.close()
        except (DiskError, OSError, ValueError):
            pass
    return out


class MoveCheckMethods:
    # --- the source: what it would send ---------------------------------------------------------------------------
    @implements("vm.move.describe")
    def describe_move(self, vm: str) -> dict:
        """The VM as a destination's ``vm.move.check`` takes it: name, state, memory, processors, backend, the guest
        image (path, bundled or not, sha256, size), its disks with their identity, its network adapters, its
        checkpoints and the stream formats this host sends."""
        record = self._usable(vm)
        config = record.config
        image_path = config.image or bundled_image()
        hashed = file_sha256(image_path)
        disks = []
        if config.disk:
            facts = disk_identity(config.disk, config.disk_format)
            disks.append({"path": config.disk, "size": facts.get("size"), "format": config.disk_format,
                          "uuid": facts.get("uuid", ""), "inode": facts.get("inode"), "device": facts.get("device")})
        listing = getattr(self, "list_checkpoints", None)
        checkpoints = len(listing(record.id).get("checkpoints") or ()) if callable(listing) else 0
        return {"id": record.id, "name": record.name, "state": record.state, "kind": "bulkhead",
                "memory": config.memory, "vcpus": config.vcpus, "backend": self.hypervisor.backend.name,
                "resident_bytes": self._resident(record),
                "image": {"path": config.image, "bundled": not config.image,
                          "sha256": hashed[0] if hashed else "", "size": hashed[1] if hashed else None},
                "disks": disks, "network_adapters": [{"switch": config.network}] if config.network else [],
                "checkpoints": checkpoints,
                "protocol": {"version": __version__, "stream": list(STREAM_FORMATS)}}

    def _resident(self, record: VmRecord) -> int | None:
        p = record.partition
        if p is None or p.state not in _RUNNING:
            return None
        latest = self.metrics.latest(record.id)
        value = latest.get("memory_resident") if latest else None
        return int(value) if value is not None else None

    # --- the destination: what it says of taking it ---------------------------------------------------------------
    @implements("vm.move.check")
    def check_move(self, vm: dict, type: str = "live", path: str = "", network_map: dict | None = None,
                   bandwidth: float = 0.0) -> list[dict]:
        """Rows {severity, topic, text, hint} of taking the VM described by ``vm`` (``vm.move.describe`` of its
        source) by ``type`` into ``path`` ("" for this host's store), its adapters' switches mapped by
        ``network_map``, disks to copy timed at ``bandwidth`` bytes/s (0: not measured, an assumed rate)."""
        return self.move_check_rows(vm, type, path, network_map, bandwidth)

    def move_check_rows(self, vm: dict, type: str = "live", path: str = "", network_map: dict | None = None,
                        bandwidth: float = 0.0) -> list[dict]:
        described = precheck.check_description(vm)
        precheck.check_type(type)
        network_map = precheck.check_network_map(network_map)
        return precheck.destination_rows(described, self._move_facts(described, path), type, network_map,
                                         bandwidth)

    def _move_facts(self, vm: dict, path: str) -> dict:
        limits = self.limits()
        caps = self.hypervisor.capabilities
        with self._lock:
            records = list(self.vms.values())
        return {"host": socket.gethostname(), "kind": "bulkhead", "backend": self.hypervisor.backend.name,
                "memory_free": self._memory_free(records), "memory_max": limits.memory_max,
                "vcpus_max": limits.vcpus_max, "logical_processors": caps.logical_processors,
                "switches": sorted(self.switches), "vms": [{"id": r.id, "name": r.name} for r in records],
                "protocol": {"version": __version__, "stream": list(STREAM_FORMATS)},
                "image": self._image_facts(vm["image"]),
                "disks": {d["path"]: disk_identity(d["path"], d["format"]) for d in vm["disks"]},
                "folder": self._folder_facts(path),
                # a live move here takes no disk or image copies unless the host says it does (its migration code)
                "live_copies": {True: True, "disks": "disks"}.get(getattr(self, "live_move_copies_files", False),
                                                                    False)}

    def _memory_free(self, records: list[VmRecord]) -> int:
        """Memory a new VM can have here: what the system has available, less what running VMs were given and have
        not touched yet (their memory is reserved lazily)."""
        import psutil

        available = psutil.virtual_memory().available
        promised = 0
        for record in records:
            p, config = record.partition, record.config
            if p is None or config is None or p.state not in _RUNNING:
                continue
            resident = self._resident(record) or 0
            promised += max(0, config.memory - resident)
        return max(0, available - promised)

    def _image_facts(self, image: dict) -> dict:
        if image["bundled"]:
            mine = file_sha256(bundled_image())
            return {"state": "bundled" if mine and mine[0] == image["sha256"] else "missing", "path": ""}
        if not image["path"] or not os.path.isabs(image["path"]):
            return {"state": "missing", "path": image["path"]}
        here = file_sha256(image["path"])
        if here is None:
            return {"state": "different" if os.path.lexists(image["path"]) else "missing", "path": image["path"]}
        return {"state": "present" if here[0] == image["sha256"] else "different", "path": image["path"]}

    def _folder_facts(self, path: str) -> dict:
        """The destination folder ("" for this host's store): whether it exists, its free space (of the nearest
        folder that does, when it is to be made), or the problem with it."""
        if not path:
            folder = self.paths.data / "vms"
        elif not os.path.isabs(path):
            return {"path": path, "problem": "give an absolute path (a path on the destination host)"}
        else:
            folder = Path(path)
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir():
            return {"path": str(folder), "problem": f"{probe} is a file, not a folder"}
        if not os.access(probe, os.W_OK | os.X_OK):
            return {"path": str(folder), "problem": f"this host's service cannot write in {probe}"}
        try:
            st = os.statvfs(probe)
        except OSError as e:
            return {"path": str(folder), "problem": f"cannot read its free space ({e.strerror or e})"}
        return {"path": str(folder), "exists": probe == folder, "is_dir": True, "free": st.f_bavail * st.f_frsize}


__all__ = ["MoveCheckMethods", "STREAM_FORMATS", "disk_identity", "file_sha256"]
