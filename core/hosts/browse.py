"""One folder of a host's file system, listed for a person choosing a file or a folder there (``host.browse``):
what the New VM wizard's Browse... and ``bulkhead host browse`` show when the host is another machine. Every kind
of host whose files are on the machine that runs it lists them with ``list_folder``.

    list_folder("/srv/vms", kinds=[".vhd", ".iso"], limit=2000, where="rack1")
    -> {"path": "/srv/vms", "parent": "/srv", "free_bytes": ..., "total_bytes": ..., "truncated": False,
        "skipped": 0, "entries": [{"name": "disks", "type": "dir", "size": None, "mtime": ...}, ...]}

Only names are read and files are stat'ed: nothing is opened, so a FIFO, a device or a /proc file is listed and
never read. The listing is bounded: at most ``limit`` entries (``truncated`` says when more were there), at most
``SCAN_MAX`` names read, and ``seconds`` of time; a file system that does not answer at all (a hung network mount)
is an error after ``seconds``, never a request that waits for ever. Names that no request could name back (not
UTF-8, control or bidi characters) are left out and counted in ``skipped``.
"""

from __future__ import annotations

import os
import stat
import threading
import time

from core.model.errors import NotFound, OperationFailed, UsageError
from core.model.names import bad_character, short

DEFAULT_LIMIT = 2000
LIMIT_MAX = 10_000
SCAN_MAX = 100_000  # names read from one folder at most
SECONDS = 5.0  # time one listing may take at most
KINDS_MAX = 64
FOLDERS = "dir"  # in ``kinds``: folders only (no files)
TYPES = ("dir", "file", "link", "other")


def check_kinds(kinds) -> frozenset[str] | None:
    """The extensions (lower case) of the files to list, an empty set for folders only, None for every file; a
    UsageError (one line) for anything but a list of ".ext" and "dir"."""
    if kinds is None:
        return None
    if not isinstance(kinds, list) or len(kinds) > KINDS_MAX:
        raise UsageError(f"host.browse: kinds must be a list of at most {KINDS_MAX} file extensions such as "
                         f"\".vhd\", or [\"dir\"] for folders only")
    out = set()
    for kind in kinds:
        if kind == FOLDERS:
            continue
        if (not isinstance(kind, str) or not kind.startswith(".") or not 2 <= len(kind) <= 16 or "/" in kind
                or kind.count(".") > 2 or bad_character(kind) is not None or kind.strip() != kind):
            raise UsageError(f"host.browse: {short(kind)} is not a file extension (give \".vhd\", \".iso\" ... or "
                             f"\"dir\" for folders only)")
        out.add(kind.lower())
    return frozenset(out)


def list_folder(path: str, kinds=None, limit: int = DEFAULT_LIMIT, *, where: str = "this host",
                seconds: float = SECONDS) -> dict:
    """The folder ``path`` (absolute; symbolic links resolved) as ``host.browse`` answers: its entries, folders
    first then by name, filtered by ``kinds`` (see ``check_kinds``; folders are always listed, to move through
    them), and the free and total space of its file system. NotFound or UsageError (one line, naming ``where``)
    for a path that is relative, missing, not a folder or not readable."""
    extensions = check_kinds(kinds)
    if not isinstance(path, str) or not path.startswith("/"):
        raise UsageError(f"host.browse: give an absolute path on {where} (got {short(path)})", code="path.relative")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= LIMIT_MAX:
        raise UsageError(f"host.browse: limit must be between 1 and {LIMIT_MAX} (got {short(limit)})")
    scan = _Scan(path, extensions, where)
    worker = threading.Thread(target=scan.run, args=(time.monotonic() + seconds,), daemon=True, name="host-browse")
    worker.start()
    if not scan.done.wait(seconds + 0.5):
        scan.stop = True  # the thread ends when the file system answers; nobody waits for it
        if scan.folder is None or scan.fs is None:
            raise OperationFailed(f"{path}: the file system on {where} did not answer within {seconds:g} s",
                                  code="path.timeout", path=path)
        scan.more = True
    if scan.error is not None:
        raise scan.error
    entries = sorted(list(scan.entries), key=_order)
    truncated = scan.more or len(entries) > limit
    entries = [_described(scan.folder, e) for e in entries[:limit]]
    parent = os.path.dirname(scan.folder)
    free, total = scan.fs
    return {"path": scan.folder, "parent": parent if parent != scan.folder else None, "free_bytes": free,
            "total_bytes": total, "entries": entries, "truncated": truncated, "skipped": scan.skipped}


def _order(entry: dict) -> tuple:
    return (0 if _is_folder(entry) else 1, entry["name"].casefold(), entry["name"])


def _is_folder(entry: dict) -> bool:
    return entry["type"] == "dir" or (entry["type"] == "link" and entry.get("target") == "dir")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "other"


def _described(folder: str, entry: dict) -> dict:
    """The entry with its size and time (stat'ed only for the entries shown); a file gone meanwhile keeps None."""
    out = {"name": entry["name"], "type": entry["type"], "size": None, "mtime": None}
    if entry["type"] == "link":
        out["target"] = entry["target"]
    try:
        st = os.stat(os.path.join(folder, entry["name"]), follow_symlinks=entry["type"] == "link")
    except OSError:
        return out
    if not stat.S_ISDIR(st.st_mode):
        out["size"] = st.st_size
    out["mtime"] = st.st_mtime
    return out


class _Scan:
    """The part of a listing that touches the file system, on a thread of its own (a hung mount blocks it, not the
    request)."""

    def __init__(self, path: str, extensions: frozenset[str] | None, where: str) -> None:
        self.path, self.extensions, self.where = path, extensions, where
        self.folder: str | None = None
        self.fs: tuple[int, int] | None = None
        self.entries: list[dict] = []
        self.skipped = 0
        self.more = False
        self.stop = False
        self.error: Exception | None = None
        self.done = threading.Event()

    def run(self, deadline: float) -> None:
        try:
            self._run(deadline)
        except OSError as e:
            self.error = self._refusal(e)
        finally:
            self.done.set()

    def _refusal(self, e: OSError) -> Exception:
        shown = self.path
        if isinstance(e, FileNotFoundError):
            return NotFound(f"{shown}: no such folder on {self.where}", code="path.not_found", path=shown)
        if isinstance(e, NotADirectoryError):
            return UsageError(f"{shown} is not a folder on {self.where}", code="path.not_folder", path=shown)
        if isinstance(e, PermissionError):
            return UsageError(f"{shown}: permission denied on {self.where} (the host service runs as "
                              f"{_user()})", code="path.denied", path=shown)
        why = e.strerror or str(e)
        return UsageError(f"{shown}: {why[:1].lower() + why[1:]} on {self.where}", code="path.invalid", path=shown)

    def _run(self, deadline: float) -> None:
        folder = os.path.realpath(self.path)
        st = os.stat(folder)
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(self.path)
        with os.scandir(folder) as it:
            self.folder = folder
            vfs = os.statvfs(folder)
            self.fs = (vfs.f_bavail * vfs.f_frsize, vfs.f_blocks * vfs.f_frsize)
            read = 0
            for entry in it:
                read += 1
                if self.stop or read > SCAN_MAX or time.monotonic() > deadline:
                    self.more = True
                    return
                item = self._entry(entry)
                if item is not None:
                    self.entries.append(item)

    def _entry(self, entry: os.DirEntry) -> dict | None:
        name = entry.name
        if bad_character(name) is not None:
            self.skipped += 1
            return None
        try:
            if entry.is_symlink():
                try:
                    target = _kind(os.stat(entry.path).st_mode)
                except OSError:
                    target = "missing"
                item = {"name": name, "type": "link", "target": target}
            elif entry.is_dir(follow_symlinks=False):
                item = {"name": name, "type": "dir"}
            elif entry.is_file(follow_symlinks=False):
                item = {"name": name, "type": "file"}
            else:
                item = {"name": name, "type": "other"}
        except OSError:
            return None
        return item if self._wanted(item) else None

    def _wanted(self, item: dict) -> bool:
        if _is_folder(item) or self.extensions is None:
            return True
        if item["type"] == "other" or (item["type"] == "link" and item["target"] != "file"):
            return False
        return item["name"].lower().endswith(tuple(self.extensions))


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return f"uid {os.getuid()}"


def host_name() -> str:
    """How refusals name the machine whose folders these are ("host rack1")."""
    import platform

    node = platform.node()
    return f"host {node}" if node else "this host"


def home_folder() -> str:
    """The home folder of the user the host runs as."""
    return os.path.expanduser("~")
