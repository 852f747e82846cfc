"""The durable VM store: one folder per VM under ``<root>/vms/<id>/`` holding ``vm.json`` and its saved state.

``vm.json`` is written atomically (temp file, fsync, rename, fsync of the folder) so a killed service leaves either
the old or the new configuration, and a new VM's folder appears whole: it is made under a temporary name
(``vms/.<id>.<random>.tmp``) and renamed into place once its ``vm.json`` is written. What killed writes left behind
(temporary files, half-made folders, the ``.saved.vmstate.tmp-<pid>`` of older versions) is swept when the store
opens. Folders are 0700 and files 0600 whatever the umask; a store folder of another user is refused.

The files are untrusted on the way in: a damaged or unknown configuration is reported with a one-line reason and
never rewritten or deleted.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path

from core.engine import platform as pf
from core.hosts.paths import private_dir
from core.model.errors import UsageError
from core.model.files import NotRegularFile, folder_entries, sweep_temp_files, write_json_atomic
from core.model.files import fsync_dir as _fsync_dir
from core.model.files import is_temp_name as _is_temp_name
from core.model.names import name_key
from core.model.names import short as _short
from core.model.names import validate_name as _checked_name
from core.model.opening import open_regular_as

FORMAT = 1
NOTES_MAX = 10_000
IMAGE_MAX = 4096
CONFIG_MAX_BYTES = 1 << 20  # a configuration is a few hundred bytes; anything this big is not ours
START_ACTIONS = ("nothing", "start_if_running", "always_start")
STOP_ACTIONS = ("save", "turn_off", "shut_down")
CPU_LOAD_MAX = 100
DIRTY_RATE_MAX = 10_000

_ID_RE = re.compile(r"[0-9a-f]{32}")
_IP_RE = re.compile(r"(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}")
DISK_CONTROLLERS = ("synthetic", "emulated")
_WORKLOAD_RE = re.compile(r"(idle|bursty)|(cpu|dirty):([0-9]{1,6})")


class ConfigError(ValueError):
    """A configuration or name a person must fix; the message is one line and says what is wrong."""


class RemovalIncomplete(ConfigError):
    """A VM's folder could not be removed whole: ``kept`` names what is still in ``folder``."""

    def __init__(self, message: str, folder: Path, kept: list[str]) -> None:
        super().__init__(message)
        self.folder = folder
        self.kept = kept


# written by consoles and the command line, which may be writing one right now when a host service starts: their
# temporary files are swept only once they are this old
CLIENT_FILES = ("libvirt-connections.json",)
CLIENT_TEMP_AGE = 60.0


def _control_char(text: str, allow_newlines: bool = False) -> str | None:
    """The first character a one-line text (a path, a command line, a key) cannot hold: control characters, line
    separators and lone surrogates (which cannot even be printed or written as UTF-8)."""
    for ch in text:
        if allow_newlines and ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs"):
            return ch
    return None


def validate_name(name: object, what: str = "a VM name") -> str:
    """The name as stored (spaces trimmed, NFC), or ConfigError saying why it cannot be a VM's (or switch's) name:
    the rules of core.model.names (no control, format, bidi or zero-width characters, no lone surrogates)."""
    try:
        return _checked_name(name, what)
    except UsageError as e:
        raise ConfigError(str(e)) from None


def _stored_name(name: object, what: str) -> None:
    """A name read from a file: valid, without surrounding spaces (NFC is not required of older files)."""
    if validate_name(name, what) != unicodedata.normalize("NFC", name):
        raise ConfigError(f"{what} cannot start or end with spaces (got {_short(name)})")


def validate_id(vm_id: str) -> str:
    if not isinstance(vm_id, str) or not _ID_RE.fullmatch(vm_id):
        raise ConfigError(f"not a VM id (32 lowercase hex digits): {_short(vm_id)}")
    return vm_id


def validate_workload(workload: str) -> str:
    m = _WORKLOAD_RE.fullmatch(workload) if isinstance(workload, str) else None
    if m is None:
        raise ConfigError(f"workload must be idle, cpu:N, dirty:N or bursty (got {_short(workload)})")
    if m.group(2) == "cpu" and int(m.group(3)) > CPU_LOAD_MAX:
        raise ConfigError(f"workload cpu:N needs N between 0 and {CPU_LOAD_MAX} (got {m.group(3)})")
    if m.group(2) == "dirty" and int(m.group(3)) > DIRTY_RATE_MAX:
        raise ConfigError(f"workload dirty:N needs N between 0 and {DIRTY_RATE_MAX} (got {m.group(3)})")
    return workload


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class VmConfig:
    id: str  # uuid4 hex, also the folder name
    name: str
    memory: int  # bytes
    vcpus: int = 1
    image: str = ""  # "" means the bundled guest image
    workload: str = "idle"  # idle | cpu:N | dirty:N | bursty
    cmdline: str = ""  # extra guest command-line words
    notes: str = ""
    automatic_start_action: str = "start_if_running"
    automatic_stop_action: str = "save"
    created: float = 0.0  # time.time()
    last_running: bool = False  # was it running when the service last stopped (for start_if_running)
    disk: str = ""  # virtual hard disk path ("" = none)
    disk_controller: str = "synthetic"  # synthetic (VMBus storage) | emulated (IDE, PIO)
    disk_format: str = ""  # recorded when the disk is attached, so a guest cannot change how its file is read
    network: str = ""  # virtual switch name ("" = not connected)
    ip: str = ""  # the guest's IPv4 address on its switch ("" = chosen by the host service)
    integration_services: bool = True
    kvp: dict = field(default_factory=dict)  # keys the host pushes to the guest

    def validate(self) -> None:
        """Check every field's type and range; ConfigError with a one-line reason."""
        validate_id(self.id)
        _stored_name(self.name, "a VM name")
        if not _is_int(self.memory):
            raise ConfigError(f"memory must be a whole number of bytes (got {_short(self.memory)})")
        if not _is_int(self.vcpus):
            raise ConfigError(f"vcpus must be a whole number (got {_short(self.vcpus)})")
        try:
            pf.validate_layout(self.memory, self.vcpus)
        except ValueError as e:
            raise ConfigError(str(e)) from None
        if not isinstance(self.image, str) or len(self.image) > IMAGE_MAX or _control_char(self.image):
            raise ConfigError(f"image must be a file path without control characters (got {_short(self.image)})")
        validate_workload(self.workload)
        if not isinstance(self.cmdline, str) or _control_char(self.cmdline):
            raise ConfigError(f"cmdline must be one line of text (got {_short(self.cmdline)})")
        if len(self.cmdline.encode()) > pf.CMDLINE_MAX:
            raise ConfigError(f"cmdline is longer than {pf.CMDLINE_MAX} bytes")
        if not isinstance(self.notes, str) or _control_char(self.notes, allow_newlines=True):
            raise ConfigError(f"notes must be text without control characters (got {_short(self.notes)})")
        if len(self.notes) > NOTES_MAX:
            raise ConfigError(f"notes can have at most {NOTES_MAX} characters (got {len(self.notes)})")
        if self.automatic_start_action not in START_ACTIONS:
            raise ConfigError(
                f"automatic_start_action must be one of {', '.join(START_ACTIONS)} "
                f"(got {_short(self.automatic_start_action)})"
            )
        if self.automatic_stop_action not in STOP_ACTIONS:
            raise ConfigError(
                f"automatic_stop_action must be one of {', '.join(STOP_ACTIONS)} "
                f"(got {_short(self.automatic_stop_action)})"
            )
        created_ok = _is_int(self.created) or (isinstance(self.created, float) and math.isfinite(self.created))
        if not created_ok or self.created < 0:
            raise ConfigError(f"created must be a time in seconds since 1970 (got {_short(self.created)})")
        if not isinstance(self.last_running, bool):
            raise ConfigError(f"last_running must be true or false (got {_short(self.last_running)})")
        if not isinstance(self.disk, str) or len(self.disk) > IMAGE_MAX or _control_char(self.disk):
            raise ConfigError(f"disk must be a file path without control characters (got {_short(self.disk)})")
        if self.disk_format not in ("", "raw", "vhd-fixed", "vhd-dynamic"):
            raise ConfigError(f"disk_format is not a known disk format (got {_short(self.disk_format)})")
        if self.disk_controller not in DISK_CONTROLLERS:
            raise ConfigError(f"disk_controller must be one of {', '.join(DISK_CONTROLLERS)} "
                              f"(got {_short(self.disk_controller)})")
        if not isinstance(self.network, str):
            raise ConfigError(f"network must be a switch name (got {_short(self.network)})")
        if self.network:
            _stored_name(self.network, "network (a switch name)")
        if not isinstance(self.ip, str) or (self.ip and not _IP_RE.fullmatch(self.ip)):
            raise ConfigError(f"ip must be an IPv4 address like 192.0.2.11 (got {_short(self.ip)})")
        if not isinstance(self.integration_services, bool):
            raise ConfigError("integration_services must be true or false")
        if not isinstance(self.kvp, dict) or len(self.kvp) > 64 or not all(
            isinstance(k, str) and isinstance(v, str) and not _control_char(k) and not _control_char(v)
            and 0 < len(k.encode()) < 64 and len(v.encode()) < 256 for k, v in self.kvp.items()
        ):
            raise ConfigError("kvp must map at most 64 keys (1-63 bytes) to values (at most 255 bytes)")

    def to_dict(self) -> dict:
        # every field is a str, int, float or bool but kvp (str -> str): a shallow copy is asdict()'s result, at
        # a tenth of its cost (vm.list builds one per VM)
        d = dict(self.__dict__)
        d["kvp"] = dict(self.kvp)
        d["format"] = FORMAT
        return d

    @classmethod
    def from_dict(cls, d) -> VmConfig:
        """Build a configuration from an untrusted mapping (a parsed vm.json); ConfigError says what is wrong."""
        if not isinstance(d, dict):
            raise ConfigError(f"the configuration must be a JSON object (got {type(d).__name__})")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in d if k not in known and k != "format")
        if unknown:
            raise ConfigError(f"unknown key {unknown[0]!r}")
        if "format" not in d:
            raise ConfigError("the format number is missing")
        if not _is_int(d["format"]) or d["format"] != FORMAT:
            raise ConfigError(f"format {_short(d['format'])} is not supported (this version reads format {FORMAT})")
        for required in ("id", "name", "memory"):
            if required not in d:
                raise ConfigError(f"the key {required!r} is missing")
        config = cls(**{k: v for k, v in d.items() if k != "format"})
        config.validate()
        return config


@dataclass
class StoredVm:
    id: str
    folder: Path
    config: VmConfig | None  # None when the configuration is damaged or unknown
    error: str | None  # the reason, e.g. "vm.json: not valid JSON (line 3)" or "vm.json is missing"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicates(pairs: list) -> dict:
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"the key {k!r} appears twice")
        d[k] = v
    return d


class VmStore:
    """The VMs on this host, one folder each. Safe to use from several threads of one process."""

    CONFIG_NAME = "vm.json"
    SAVED_STATE_NAME = "saved.vmstate"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.vms = self.root / "vms"
        private_dir(self.root, "store folder")
        private_dir(self.vms, "store folder")
        self._lock = threading.Lock()  # temp files are only swept while no write of ours is under way
        self.swept = self.sweep()  # what killed writes had left, for the log

    def sweep(self) -> list[str]:
        """Remove what killed writes left behind: temporary files in the store's folder, in ``vms/`` and in every VM
        folder, and half-made VM folders. Returns what was removed (paths relative to the store's folder). Call it
        only while no VM of this store is being written (a host service opening its store)."""
        removed = []
        now = time.time()
        with self._lock:
            for entry in folder_entries(self.root):
                if not _is_temp_name(entry.name) or not entry.is_file(follow_symlinks=False):
                    continue
                if entry.name.startswith(tuple(f".{n}." for n in CLIENT_FILES)) and \
                        now - _mtime(entry) < CLIENT_TEMP_AGE:
                    continue
                if _unlink(entry.path):
                    removed.append(entry.name)
            for entry in folder_entries(self.vms):
                if _is_temp_name(entry.name):
                    if entry.is_dir(follow_symlinks=False):
                        if self._remove_unfinished(Path(entry.path)):
                            removed.append(f"vms/{entry.name}/")
                    elif _unlink(entry.path):
                        removed.append(f"vms/{entry.name}")
                elif _ID_RE.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                    removed += [f"vms/{entry.name}/{n}" for n in sweep_temp_files(entry.path)]
        return removed

    def _remove_unfinished(self, folder: Path) -> bool:
        """Delete a VM folder under a temporary name: one whose creation was killed before it was renamed into
        place, or one being removed. Only the store's own files are deleted; anything else keeps the folder."""
        mine = (self.CONFIG_NAME, self.SAVED_STATE_NAME)
        for entry in folder_entries(folder):
            if (entry.name in mine or _is_temp_name(entry.name)) and entry.is_file(follow_symlinks=False):
                _unlink(entry.path)
        try:
            folder.rmdir()
            return True
        except OSError:
            return False

    # -- paths --------------------------------------------------------------------------------------------------
    def folder(self, vm_id: str) -> Path:
        return self.vms / validate_id(vm_id)

    def saved_state_path(self, vm_id: str) -> Path:
        return self.folder(vm_id) / self.SAVED_STATE_NAME

    # -- reading ------------------------------------------------------------------------------------------------
    def load_all(self) -> list[StoredVm]:
        """Every entry of ``vms/``, sorted by name then id; damaged ones carry an error and are left untouched."""
        found = []
        with self._lock:
            for entry in os.scandir(self.vms):
                if _is_temp_name(entry.name):
                    continue  # a VM folder being made (or a write killed half-way): never a VM
                found.append(self._load_entry(entry))
        good = sorted((v for v in found if v.config), key=lambda v: (name_key(v.config.name), v.config.name, v.id))
        bad = sorted((v for v in found if not v.config), key=lambda v: v.id)
        return good + bad

    def entry(self, vm_id: str) -> StoredVm | None:
        """One VM's folder as ``load_all`` would list it (None once it is gone)."""
        folder = self.folder(vm_id)
        with self._lock:
            for entry in folder_entries(self.vms):
                if entry.name == folder.name:
                    return self._load_entry(entry)
        return None

    def _load_entry(self, entry: os.DirEntry) -> StoredVm:
        path = Path(entry.path)
        if entry.is_symlink():
            return StoredVm(entry.name, path, None, "a symbolic link, not a VM folder")
        if not entry.is_dir():
            return StoredVm(entry.name, path, None, "a file, not a VM folder")
        if not _ID_RE.fullmatch(entry.name):
            return StoredVm(entry.name, path, None, "the folder name is not a VM id (32 lowercase hex digits)")
        sweep_temp_files(path)
        try:
            config = self._read_config(path)
        except ConfigError as e:
            return StoredVm(entry.name, path, None, str(e))
        if config.id != entry.name:
            return StoredVm(entry.name, path, None, f"{self.CONFIG_NAME}: its id {config.id} is not the folder's name")
        return StoredVm(entry.name, path, config, None)

    def _read_config(self, folder: Path) -> VmConfig:
        name = self.CONFIG_NAME
        fd, st = open_regular_as(folder / name, os.O_RDONLY | os.O_NOFOLLOW, ConfigError, {
            FileNotFoundError: f"{name} is missing", NotRegularFile: f"{name} is not a regular file"},
            cannot=f"{name}: cannot be opened")
        try:
            if st.st_size > CONFIG_MAX_BYTES:
                raise ConfigError(f"{name} is larger than {CONFIG_MAX_BYTES // 1024} KiB")
            with os.fdopen(fd, "rb", closefd=False) as f:
                raw = f.read(CONFIG_MAX_BYTES + 1)
        except OSError as e:
            raise ConfigError(f"{name}: cannot be read ({e.strerror})") from None
        finally:
            os.close(fd)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ConfigError(f"{name}: not valid UTF-8 (byte {e.start})") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{name}: not valid JSON (line {e.lineno})") from None
        except ValueError as e:
            raise ConfigError(f"{name}: {e}") from None
        except RecursionError:
            raise ConfigError(f"{name}: nested too deeply") from None
        try:
            return VmConfig.from_dict(data)
        except ConfigError as e:
            raise ConfigError(f"{name}: {e}") from None
        except (TypeError, ValueError) as e:  # only if a field check was missed; still a damaged file, not a crash
            raise ConfigError(f"{name}: {_printable(str(e))}") from None

    # -- writing ------------------------------------------------------------------------------------------------
    def create(self, config: VmConfig) -> StoredVm:
        """Make the VM's folder whole or not at all: written under a temporary name, then renamed into place (a
        kill in between leaves only a temporary folder, swept at the next start, never a VM without vm.json)."""
        config.validate()
        folder = self.folder(config.id)
        with self._lock:
            if os.path.lexists(folder):
                raise ConfigError(f"a VM folder with id {config.id} already exists")
            staging = self.vms / f".{config.id}.{secrets.token_hex(4)}.tmp"
            staging.mkdir(mode=0o700)
            try:
                os.chmod(staging, 0o700)
                self._write_config(staging, config)
                if os.path.lexists(folder):  # rename would replace an empty folder that appeared meanwhile
                    raise ConfigError(f"a VM folder with id {config.id} already exists")
                os.rename(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            _fsync_dir(self.vms)
        return StoredVm(config.id, folder, config, None)

    def save(self, config: VmConfig) -> None:
        config.validate()
        folder = self.folder(config.id)
        with self._lock:
            if not folder.is_dir():
                raise ConfigError(f"no VM with id {config.id}")
            self._write_config(folder, config)

    def _write_config(self, folder: Path, config: VmConfig) -> None:
        write_json_atomic(folder / self.CONFIG_NAME, config.to_dict())

    def unknown_files(self, vm_id: str) -> list[str]:
        """What ``remove`` would keep: the names in the VM's folder that the store did not make."""
        return self._unknown(self.folder(vm_id))

    def _unknown(self, folder: Path) -> list[str]:
        mine = {self.CONFIG_NAME, self.SAVED_STATE_NAME}
        return sorted(n for n in os.listdir(folder) if n not in mine and not _is_temp_name(n))

    def remove(self, vm_id: str, strict: bool = False) -> list[str]:
        """Delete the VM's configuration, saved state and folder. Returns what could not be deleted: files the store
        does not know (kept, with the folder) and files it could not remove. The folder is then still listed (as a
        configuration error once vm.json is gone); with ``strict`` that is a RemovalIncomplete error naming them."""
        folder = self.folder(vm_id)
        with self._lock:
            if not folder.is_dir() or folder.is_symlink():
                raise ConfigError(f"no VM with id {vm_id}")
            if not self._unknown(folder) and self._remove_whole(folder):
                return []
            for name in (self.SAVED_STATE_NAME, self.CONFIG_NAME):
                try:
                    os.unlink(folder / name)
                except FileNotFoundError:
                    pass
                except OSError:
                    pass  # still in the folder, so among the names returned below
            sweep_temp_files(folder)
            try:
                left = sorted(os.listdir(folder))
            except OSError as e:
                raise ConfigError(f"cannot read {folder}: {e.strerror or e}") from None
            if not left:
                try:
                    folder.rmdir()
                except OSError as e:
                    left = [f"(the folder itself: {e.strerror or e})"]
                else:
                    _fsync_dir(self.vms)
            if left:
                _fsync_dir(folder)
        if left and strict:
            raise RemovalIncomplete(removal_message(folder, left), folder, left)
        return left


    def _remove_whole(self, folder: Path) -> bool:
        """Remove a folder holding only the store's files in one step: renamed to a temporary name first, so a kill
        leaves a temporary folder (swept at the next start), never a VM without its configuration. False (the
        folder back in place) if something in it could not be deleted."""
        doomed = self.vms / f".{folder.name}.{secrets.token_hex(4)}.tmp"
        try:
            os.rename(folder, doomed)
            _fsync_dir(self.vms)
        except OSError:
            return False
        if self._remove_unfinished(doomed):
            _fsync_dir(self.vms)
            return True
        try:
            os.rename(doomed, folder)
        except OSError:
            pass
        return False


def removal_message(folder: Path, kept: list[str]) -> str:
    shown = ", ".join(_printable(n) for n in kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
    return (f"the folder {folder} is kept because it still holds {shown}; it is listed as a configuration error "
            f"until you move those files away and remove the VM again")


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _mtime(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _unlink(path: str | os.PathLike) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
