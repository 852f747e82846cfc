"""Desktop integration and packaging: the desktop entry and AppStream metainfo validate, the icon's PNG sizes are
there and current, `bulkhead console --install-desktop` / `--uninstall-desktop` for a user, `bulkhead --version`,
and pyproject's package-data carries every resource file into the wheel."""

import configparser
import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "desktop" / "org.bulkhead.Bulkhead.desktop"
METAINFO = RESOURCES / "desktop" / "org.bulkhead.Bulkhead.metainfo.xml"
SIZES = (16, 32, 48, 64, 128, 256)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def bulkhead(*args, env=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=60,
                          env=env, cwd=ROOT)


def test_desktop_file_validates():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)")
    r = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_desktop_file_says_what_it_is_in_english_and_german():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    e = entry["Desktop Entry"]
    assert e["Name"] == "Bulkhead" and e["Exec"] == "bulkhead console" and e["Icon"] == "bulkhead"
    assert e["GenericName"] == "Virtual Machine Manager"
    assert e["GenericName[de]"] == "Verwaltung virtueller Computer"
    assert e["Comment"] and e["Comment[de]"] and e["Keywords"]
    assert e["Categories"].split(";")[:2] == ["System", "Emulator"]


def test_metainfo_validates():
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (Debian: apt-get install appstream)")
    r = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_metainfo_names_this_release_and_the_desktop_entry():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == DESKTOP.name.removesuffix(".desktop")
    assert root.findtext("launchable") == DESKTOP.name
    versions = [r.get("version") for r in root.iter("release")]
    assert PYPROJECT["project"]["version"] in versions
    assert root.find("content_rating") is not None and root.find("description") is not None


@pytest.mark.parametrize("size", SIZES)
def test_icon_png_at_every_size(size):
    path = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "bulkhead.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # the IHDR chunk
    assert (width, height) == (size, size)


def test_icon_pngs_are_rendered_from_the_svg():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "icons.py"), "--check"], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert r.returncode == 0, r.stderr


def test_install_and_uninstall_desktop_for_the_user(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    expected = [tmp_path / "applications" / DESKTOP.name, tmp_path / "metainfo" / METAINFO.name,
                tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "bulkhead.svg"]
    expected += [tmp_path / "icons" / "hicolor" / f"{s}x{s}" / "apps" / "bulkhead.png" for s in SIZES]
    r = bulkhead("console", "--install-desktop", env=env)
    assert r.returncode == 0, r.stderr
    for path in expected:
        assert path.is_file(), f"{path} not installed"
        assert f"wrote {path}" in r.stdout
    assert (tmp_path / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    entry = (tmp_path / "applications" / DESKTOP.name).read_text()
    assert "\nExec=" in entry and entry.split("\nExec=")[1].split("\n")[0].endswith(" console")
    again = bulkhead("console", "--install-desktop", env=env)  # idempotent: nothing rewritten
    assert again.returncode == 0 and "wrote " not in again.stdout and "up to date" in again.stdout
    r = bulkhead("console", "--uninstall-desktop", env=env)
    assert r.returncode == 0, r.stderr
    assert not [p for p in expected if p.exists()]
    assert all(f"removed {p}" in r.stdout for p in expected)
    assert (tmp_path / "applications").is_dir()  # the shared folders stay
    r = bulkhead("console", "--uninstall-desktop", env=env)
    assert r.returncode == 0 and "nothing to remove" in r.stdout


def test_install_and_uninstall_together_is_a_usage_error(tmp_path):
    r = bulkhead("console", "--install-desktop", "--uninstall-desktop", env={"XDG_DATA_HOME": str(tmp_path)})
    assert r.returncode == 2 and "not allowed" in r.stderr
    assert not any(tmp_path.iterdir())


def test_version():
    r = bulkhead("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"bulkhead {PYPROJECT['project']['version']}"


def test_console_window_has_the_icon():
    code = "from gui.app import make_app; app = make_app(); print(app.windowIcon().isNull(), app.desktopFileName())"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", DESKTOP.name.removesuffix(".desktop")]


# Files of resources/ that are not data the installed program reads
NOT_SHIPPED = ("__init__.py", "*.pyc", "*.pending.json")  # .pending.json: tools/translations.py's work file


def test_package_data_carries_every_resource_file():
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["resources"]
    files = [p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    data = [f for f in files if not any(fnmatch.fnmatch(Path(f).name, n) for n in NOT_SHIPPED)]

    def shipped(f: str) -> bool:
        # setuptools' globs: * stays within one folder, ** spans folders
        return any(_match(f, g) for g in globs)

    assert _match("icons/hicolor/16x16/apps/bulkhead.png", "**/*.png") and _match("a.qss", "**/*.qss")
    assert not _match("i18n/sub/x.qm", "i18n/*.qm") and not _match("icons/x.png", "icons/*.svg")

    missing = [f for f in data if not shipped(f)]
    assert not missing, f"resource files no package-data glob of pyproject.toml takes into the wheel: {missing}"
    for needed in ("guest/bulkhead-guest.elf", "i18n/bulkhead_de.qm", "icons/bulkhead.svg",
                   "icons/hicolor/48x48/apps/bulkhead.png", f"desktop/{DESKTOP.name}", f"desktop/{METAINFO.name}"):
        assert needed in data and shipped(needed), needed


def _match(path: str, pattern: str) -> bool:
    parts, pats = path.split("/"), pattern.split("/")
    if not pats:
        return not parts
    if pats[0] == "**":
        return any(_match("/".join(parts[i:]), "/".join(pats[1:])) for i in range(len(parts)))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pats[0]) and (
        len(pats) == 1 and len(parts) == 1 or len(pats) > 1 and len(parts) > 1
        and _match("/".join(parts[1:]), "/".join(pats[1:])))


# --- the user guide (docs/guide, in the package as resources/guide) -------------------------------------------------
GUIDE = ROOT / "docs" / "guide"


def guide_files() -> list[str]:
    return sorted(p.relative_to(GUIDE).as_posix() for p in GUIDE.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts)


def test_package_data_carries_the_user_guide():
    assert (RESOURCES / "guide").resolve() == GUIDE.resolve(), "resources/guide must lead to docs/guide"
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["resources"]
    files = guide_files()
    assert "index.md" in files and any(f.startswith("images/") and f.endswith(".png") for f in files)
    missing = [f for f in files if not any(_match(f"guide/{f}", g) for g in globs)]
    assert not missing, f"guide files no package-data glob takes into the wheel: {missing}"


@pytest.mark.slow
def test_the_installed_package_has_the_user_guide(tmp_path):
    """A wheel built from a copy of this tree, installed into a folder of its own: the console finds every file of
    the guide there (gui.help.GUIDE_DIR), with no checkout beside it."""
    import importlib.util
    import zipfile

    if importlib.util.find_spec("build") is None:
        pytest.skip("the build package is not installed (pip install build)")
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "dist", "build", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".hypothesis",
        "results"))
    r = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(src)],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 and any(w in r.stdout + r.stderr for w in ("Could not find a version", "NewConnectionError",
                                                                   "Temporary failure in name resolution")):
        pytest.skip("building the wheel needs setuptools from the package index, which is not reachable")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("bulkhead-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    missing = [f for f in guide_files() if f"resources/guide/{f}" not in names]
    assert not missing, f"guide files not in the wheel: {missing}"
    target = tmp_path / "installed"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target),
                        str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    code = ("from gui.help import GUIDE_DIR, CHAPTERS; "
            "print(GUIDE_DIR); print(all((GUIDE_DIR / c).is_file() for c in CHAPTERS))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                       env=dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen"))
    assert r.returncode == 0, r.stderr
    where, every = r.stdout.split()
    assert Path(where).resolve().is_relative_to(target.resolve()) and every == "True"
    installed = sorted(p.relative_to(Path(where)).as_posix() for p in Path(where).rglob("*") if p.is_file())
    assert [f for f in installed if "__pycache__" not in f] == guide_files()
