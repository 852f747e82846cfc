"""Files written so that a crash leaves the old one or the new one, never half of either.

Every durable file Bulkhead writes (VM configurations, switches, alert rules, saved states, host groups, exports)
goes through here: a temporary file beside the target (``.<name>.<random>.tmp``), fsync, rename, fsync of the
folder. The temporary names follow one pattern, so what an interrupted write left behind is recognised and swept
(``is_temp_name``) when a host starts. Qt-free, and below every layer: the engine and the console use it too.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError

TEMP_SUFFIX = ".tmp"


def temp_name(path: str | os.PathLike) -> Path:
    """Where an atomic write of ``path`` stages its bytes: a hidden file in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


_TEMP_RE = re.compile(r"\.(?P<base>.+)\.[A-Za-z0-9_]{1,16}\.tmp|\.(?P<old>.+)\.tmp-[0-9]{1,10}")


def is_temp_name(name: str) -> bool:
    """Whether ``name`` (a file name, not a path) is a temporary file of an interrupted atomic write (also the
    ``.<name>.tmp-<pid>`` names that earlier versions used for saved states)."""
    return _TEMP_RE.fullmatch(name) is not None


def fsync_dir(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, data: bytes | Callable[[BinaryIO], None], mode: int = 0o600,
                 replace: bool = True) -> None:
    """Write ``data`` (bytes, or a function that writes to the open file) to ``path`` atomically.

    ``replace=False`` never replaces an existing file: it fails with FileExistsError instead (a hard link is made
    into place, which is atomic and refuses an existing name). The file gets ``mode`` whatever the umask."""
    path = Path(path)
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _link_into_place(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


_NO_HARD_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)


def _link_into_place(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there: a hard link (atomic, refuses an existing name); on a file
    system without hard links, a rename after one more look."""
    try:
        os.link(tmp, path)
    except OSError as e:
        if e.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.rename(tmp, path)
        return
    os.unlink(tmp)


def write_json_atomic(path: str | os.PathLike, data, mode: int = 0o600) -> None:
    """Human-readable JSON (indented, sorted keys), written atomically."""
    write_atomic(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode(), mode)


class NotRegularFile(OSError):
    """The path names something other than a regular file: a folder, a device, a pipe."""


def open_regular(path: str | os.PathLike, flags: int) -> tuple[int, os.stat_result]:
    """A descriptor (close-on-exec) of the regular file at ``path``, opened with ``flags``, and its stat. OSError as
    opening raises it, or NotRegularFile; nothing is left open then."""
    fd = os.open(path, flags | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_json_list(path: Path, key: str, fix: str = "fix or remove it") -> list:
    """The list under ``key`` in the JSON object written at ``path`` ([] where there is no such file); UsageError
    naming the file (and ``fix``, what to do) where it cannot be read or holds no such list."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        raise UsageError(f"{path} is damaged ({e}); {fix}") from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise UsageError(f"{path} is damaged (no {key} list); {fix}")
    return items


def folder_entries(folder: str | os.PathLike) -> list[os.DirEntry]:
    """The entries of ``folder``; none when it is missing or cannot be read."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return []


def sweep_temp_files(folder: str | os.PathLike) -> list[str]:
    """Remove what interrupted atomic writes left in ``folder`` (not below it); returns the names removed."""
    removed = []
    for entry in folder_entries(folder):
        if is_temp_name(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(entry.name)
            except OSError:
                pass
    return removed
