"""`bulkhead console --install-desktop` / `--uninstall-desktop`: the desktop entry, AppStream metainfo and icons
for this user, under XDG_DATA_HOME (default ~/.local/share), as a desktop's menu and software centre look for them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from core.model.errors import UsageError
from core.model.files import write_atomic

from .i18n import _

APP_ID = "org.bulkhead.Bulkhead"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
_KEPT = ("applications", "metainfo", "icons", "hicolor")  # shared folders: left in place even when empty


def data_home() -> Path:
    """XDG_DATA_HOME, or ~/.local/share (the spec ignores a relative XDG_DATA_HOME)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def _resources() -> Path:
    from resources import ROOT

    return ROOT


def files(target: Path | None = None) -> list[tuple[Path, Path]]:
    """(source in the package, destination under ``target``) for every file installed."""
    res = _resources()
    target = target or data_home()
    pairs = [(res / "desktop" / f"{APP_ID}.desktop", target / "applications" / f"{APP_ID}.desktop"),
             (res / "desktop" / f"{APP_ID}.metainfo.xml", target / "metainfo" / f"{APP_ID}.metainfo.xml"),
             (res / "icons" / "bulkhead.svg", target / "icons" / "hicolor" / "scalable" / "apps" / "bulkhead.svg")]
    for size in ICON_SIZES:
        rel = Path("hicolor") / f"{size}x{size}" / "apps" / "bulkhead.png"
        pairs.append((res / "icons" / rel, target / "icons" / rel))
    return pairs


def _command() -> str:
    """The Exec= command: `bulkhead` where that is on PATH and is this Bulkhead, else this program's full path."""
    here = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    found = shutil.which("bulkhead")
    if here is not None and here.name == "bulkhead" and (found is None or Path(found).resolve() != here):
        return f"{_quote(str(here))} console"
    if found is None:
        return f"{_quote(sys.executable)} -m core.cli console"
    return "bulkhead console"


def _quote(arg: str) -> str:
    """An argument of a desktop entry's Exec key (the Desktop Entry spec's quoting rules)."""
    if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%'):
        return arg
    return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%") + '"'


def _content(source: Path, command: str) -> bytes:
    data = source.read_bytes()
    if source.suffix == ".desktop" and command != "bulkhead console":
        data = data.replace(b"\nExec=bulkhead console\n", f"\nExec={command}\n".encode())
    return data


def install(target: Path | None = None, out=None) -> list[Path]:
    """Copy the files into place (a file already the same is left alone); returns the paths written."""
    out = out or sys.stdout
    command = _command()
    written = []
    for source, dest in files(target):
        if not source.is_file():
            raise UsageError(_("{source} is missing from this installation of Bulkhead: reinstall "
                               "it").format(source=source))
        data = _content(source, command)
        try:
            if dest.is_file() and dest.read_bytes() == data:
                print(_("up to date: {dest}").format(dest=dest), file=out)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(dest, data, mode=0o644)
        except OSError as e:
            raise UsageError(_("cannot write {dest}: {value}").format(dest=dest, value=e.strerror or e)) from None
        written.append(dest)
        print(_("wrote {dest}").format(dest=dest), file=out)
    if command != "bulkhead console":
        print(_("the menu entry runs: {command}").format(command=command), file=out)
    return written


def uninstall(target: Path | None = None, out=None) -> list[Path]:
    """Remove the files install() writes (and the folders that leaves empty); returns the paths removed."""
    out = out or sys.stdout
    root = target or data_home()
    removed = []
    for _source, dest in files(target):
        try:
            dest.unlink()
        except FileNotFoundError:
            continue
        except OSError as e:
            raise UsageError(_("cannot remove {dest}: {value}").format(dest=dest, value=e.strerror or e)) from None
        removed.append(dest)
        print(_("removed {dest}").format(dest=dest), file=out)
        parent = dest.parent
        while parent != root and root in parent.parents and parent.name not in _KEPT:
            try:
                parent.rmdir()  # only an empty folder: the size folders this left empty
            except OSError:
                break
            parent = parent.parent
    if not removed:
        print(_("nothing to remove under {root}").format(root=root), file=out)
    return removed
