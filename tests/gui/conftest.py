"""Fixtures for the console's tests: every test gets its own host store, console settings and host-groups file,
and a main window over an embedded host (fast, in-process) unless it asks for something else."""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from core import api  # noqa: E402


@pytest.fixture
def gui_env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("BULKHEAD_HOME", str(home))
    monkeypatch.setenv("BULKHEAD_GUI_SETTINGS", str(tmp_path / "console.ini"))
    monkeypatch.setenv("BULKHEAD_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def conn(gui_env):
    c = api.connect(str(gui_env / "home"), embedded=True)
    yield c
    c.close()


@pytest.fixture
def make_window(qtbot, gui_env):
    """make_window(connection) -> a shown MainWindow whose session has loaded the VM list."""
    from gui.main_window import MainWindow
    from gui.session import Session

    made = []

    def make(connection, wait: bool = True, refresh_ms: int = 1000):
        session = Session(connection, refresh_ms=refresh_ms)
        window = MainWindow(session, settings=QSettings(str(gui_env / "console.ini"), QSettings.Format.IniFormat),
                            groups_path=gui_env / "config" / "host-groups.json")
        qtbot.addWidget(window)
        made.append((window, session))
        window.show()
        session.start()
        if wait:
            qtbot.waitUntil(lambda: session.loaded and bool(session.host), timeout=10_000)
        return window

    yield make
    for window, session in made:
        window.close()
        session.close()


@pytest.fixture
def window(make_window, conn):
    return make_window(conn)


def vm_by_name(session, name: str) -> dict | None:
    return next((vm for vm in session.vm_model.vms() if vm["name"] == name), None)


def wait_state(qtbot, session, name: str, state: str, timeout: int = 15_000) -> None:
    def check():
        vm = vm_by_name(session, name)
        assert vm is not None and vm["state"] == state, f"{name}: {vm and vm['state']} (want {state})"

    qtbot.waitUntil(check, timeout=timeout)


def message_box(qtbot, object_name: str, timeout: int = 5000) -> QMessageBox:
    found: list[QMessageBox] = []

    def visible():
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.objectName() == object_name and w.isVisible()]
        assert found, f"no {object_name} dialog"

    qtbot.waitUntil(visible, timeout=timeout)
    return found[0]


def make_vms(conn, *names: str, start: bool = False, memory: str = "16M") -> None:
    for name in names:
        conn.new_vm(name, memory=memory, start=start).wait(check=True)


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def trigger(qtbot, window, key: str) -> None:
    """Click an action as a person would: once the window shows it enabled (it follows the VMs' states)."""
    action = window.vm_actions[key]
    qtbot.waitUntil(action.isEnabled, timeout=5000)
    action.trigger()


def open_console(qtbot, window, conn, name: str = "web1"):
    """Make VM ``name`` running, connect to it from the main window and wait for the guest's prompt in the
    connection window; returns that window."""
    make_vms(conn, name, start=True)
    s = window.session
    wait_state(qtbot, s, name, "Running")
    window.select_vms([name])
    trigger(qtbot, window, "connect")
    cw = window.connections[vm_by_name(s, name)["id"]]
    qtbot.waitUntil(lambda: cw.terminal.text().rstrip().endswith("bulkhead$"), timeout=10_000)
    return cw


def process_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].startswith("Z")  # a zombie has exited
    except FileNotFoundError:
        return True


def stop_service(conn, timeout: float = 30.0) -> None:
    """Stop the host service behind a socket connection and wait until its process has gone."""
    pid = conn.host_info()["pid"]
    conn.call("host.stop")
    conn.close()
    deadline = time.monotonic() + timeout
    while not process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
