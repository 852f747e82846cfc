"""Where the host service keeps things. BULKHEAD_HOME (or --home) puts everything under one folder."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


class _Inside:
    """A path in one of HostPaths' folders: ``store = _Inside("data", "vms")`` is ``paths.data / "vms"``."""

    def __init__(self, folder: str, name: str) -> None:
        self.folder, self.name = folder, name

    def __get__(self, paths, owner=None) -> Path:
        return self if paths is None else getattr(paths, self.folder) / self.name


@dataclass(frozen=True)
class HostPaths:
    data: Path  # VM store, job history, metrics
    runtime: Path  # the socket (0700 folder)

    store = _Inside("data", "vms")
    jobs_db = _Inside("data", "jobs.sqlite")
    socket = _Inside("runtime", "host.sock")
    log = _Inside("data", "host.log")

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> HostPaths:
        home = home or os.environ.get("BULKHEAD_HOME")
        if home:
            root = Path(home).expanduser().resolve()
            return cls(root, root / "run")
        import platformdirs

        data = Path(platformdirs.user_data_dir("bulkhead", appauthor=False))
        runtime_root = os.environ.get("XDG_RUNTIME_DIR")
        runtime = Path(runtime_root) / "bulkhead" if runtime_root else data / "run"
        return cls(data, runtime)


def private_dir(path: str | os.PathLike, what: str = "folder") -> Path:
    """Create ``path`` (and its missing parents) or check the one that is there: it must be a folder that belongs to
    this user; it is made 0700 whatever the umask or the mode it was created with. PermissionError (one line,
    naming the path and its owner) for a folder of someone else; NotADirectoryError for a file or a symlink."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:
        pass  # a file or a dangling symlink: said below
    try:
        st = os.lstat(path)
    except OSError as e:
        raise PermissionError(f"{path}: {e.strerror or e}") from None
    if stat.S_ISLNK(st.st_mode):
        target = os.stat(path) if os.path.isdir(path) else None
        if target is None or st.st_uid != os.getuid():
            raise NotADirectoryError(f"{path} is a symbolic link, not a {what} of this user")
        st = target
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(f"{path} is not a folder")
    if st.st_uid != os.getuid():
        raise PermissionError(f"{path} belongs to uid {st.st_uid}, not to this user (uid {os.getuid()})")
    if stat.S_IMODE(st.st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path
