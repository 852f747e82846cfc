"""The console as it starts for real: `python -m gui`, and over the local host service's socket (its default)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt

from core import api

from .conftest import stop_service, trigger, vm_by_name, wait_state

ROOT = Path(__file__).resolve().parents[2]


def test_python_m_gui_shows_the_window_and_lists_the_vms(gui_env):
    home = gui_env / "home"
    with api.connect(str(home), embedded=True) as c:
        c.new_vm("web1", memory="16M").wait(check=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    t0 = time.time()
    r = subprocess.run([sys.executable, "-m", "gui", "--home", str(home), "--embedded", "--ready-report"], env=env,
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["vms"] == 1
    assert report["interactive_at"] - t0 < 5  # generous: the benchmark measures it properly


def test_console_over_the_local_host_service(make_window, gui_env, qtbot):
    home = str(gui_env / "home")
    window = make_window(lambda: api.connect(home))  # starts the host service on first use, as the console does
    s = window.session
    assert "local host service" in s.conn.description
    other = api.connect(home)  # another client (the command line, a script) adds a VM: the console sees it
    try:
        other.new_vm("web1", memory="16M").wait(check=True)
        qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None, timeout=10_000)
        window.select_vms(["web1"])
        trigger(qtbot, window, "start")
        wait_state(qtbot, s, "web1", "Running")
        trigger(qtbot, window, "connect")
        cw = window.connections[vm_by_name(s, "web1")["id"]]
        qtbot.waitUntil(lambda: cw.terminal.text().rstrip().endswith("bulkhead$"), timeout=10_000)
        qtbot.keyClicks(cw.terminal, "echo over the socket")
        qtbot.keyClick(cw.terminal, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "\nover the socket\n" in cw.terminal.text(), timeout=10_000)
    finally:
        window.close()
        s.close()
        stop_service(other)
