"""Export... in the console: one VM, Off, Saved or running, written by its host into a folder chosen on that host
(Browse lists the host's folders), with View Script, the job's progress in the dialog and in the jobs strip, and
the folder's export.json afterwards; a running VM is exported through a checkpoint and keeps running; a relative
path, a missing folder and an existing export say why in one line; the action follows the VM's state and the
host's capability, with the reason as its tooltip; no host call on the GUI thread."""

from __future__ import annotations

import json
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from .conftest import make_vms, vm_by_name, wait_state
from .convert_helpers import WAIT, ThreadRecorder, open_vm_dialog, refusing


def _open(qtbot, window, name: str):
    return open_vm_dialog(qtbot, window, name, "export_vm", "export_dialog")


def _export(qtbot, dialog) -> None:
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=WAIT)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state in ("done", ""), timeout=WAIT)


def test_exports_an_off_vm_into_a_folder_browsed_on_the_host(make_window, conn, qtbot, tmp_path):
    make_vms(conn, "web1")
    conn.checkpoint("web1", "first").wait(30, check=True)
    (tmp_path / "out").mkdir()
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    dialog = _open(qtbot, window, "web1")
    assert "Export Virtual Machine" in dialog.windowTitle() and not dialog.ok.isEnabled()
    assert "Choose the folder" in dialog.message.text()
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    browser = dialog.host_browser
    browser.go(str(tmp_path))
    qtbot.waitUntil(lambda: "out" in browser.names(), timeout=WAIT)
    browser.select("out")
    browser.accept()
    assert dialog.folder() == str(tmp_path / "out")
    assert dialog.target.text().endswith(str(tmp_path / "out" / "web1"))

    qtbot.mouseClick(dialog.view_script, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.script_dialog is not None, timeout=WAIT)
    assert dialog.script_dialog.command.toPlainText().strip().endswith(f"vm export web1 {tmp_path / 'out'}")
    assert f"export_vm('web1', {str(tmp_path / 'out')!r})" in dialog.script_dialog.python.toPlainText()
    dialog.script_dialog.close()

    _export(qtbot, dialog)
    assert dialog.state == "done" and dialog.progress.value() == 100
    assert "written to" in dialog.message.text() and "checkpoints: 1" in dialog.message.text()
    manifest = json.loads((tmp_path / "out" / "web1" / "export.json").read_text())
    assert manifest["vm"]["name"] == "web1" and manifest["vm"]["state"] == "Off"
    job = next(j for j in window.session.jobs_model.jobs() if j.get("name") == "Export VM")  # the jobs strip's
    assert job["state"] == "Completed"
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # Close
    qtbot.waitUntil(lambda: window.export_dialog is None, timeout=WAIT)


def test_a_running_vm_is_exported_through_a_checkpoint_and_keeps_running(window, conn, qtbot, tmp_path):
    make_vms(conn, "run1", start=True)
    wait_state(qtbot, window.session, "run1", "Running")
    dialog = _open(qtbot, window, "run1")
    dialog.path.setText(str(tmp_path))
    assert "through a checkpoint" in dialog.message.text()
    _export(qtbot, dialog)
    assert dialog.state == "done", dialog.message.text()
    manifest = json.loads((tmp_path / "run1" / "export.json").read_text())
    assert manifest["vm"]["state"] == "Saved"
    assert vm_by_name(window.session, "run1")["state"] == "Running"
    assert conn.checkpoints("run1")["checkpoints"] == []  # the one taken to export is gone


def test_bad_folders_say_why_in_one_line(window, conn, qtbot, tmp_path):
    make_vms(conn, "web1")
    dialog = _open(qtbot, window, "web1")
    dialog.path.setText("relative/out")
    assert not dialog.ok.isEnabled() and "full path" in dialog.message.text()
    dialog.path.setText(str(tmp_path / "nowhere"))
    _export(qtbot, dialog)
    assert dialog.state == "" and "no such folder" in dialog.message.text()
    os.mkdir(tmp_path / "web1")
    dialog.path.setText(str(tmp_path))
    _export(qtbot, dialog)
    assert dialog.state == "" and "already exists" in dialog.message.text() and "\n" not in dialog.message.text()
    assert os.listdir(tmp_path / "web1") == []


RefusingExport = refusing("export", "this host exports nothing (a test's refusal)")


def test_the_action_follows_the_selection_and_the_host(make_window, conn, qtbot):
    make_vms(conn, "web1", "web2")
    window = make_window(conn)
    action = window.vm_actions["export_vm"]
    assert action in window.findChild(QMenu, "menu_action").actions()
    window.select_vms(["web1", "web2"])
    qtbot.waitUntil(lambda: "select one" in action.toolTip(), timeout=WAIT)
    assert not action.isEnabled()
    window.select_vms(["web1"])
    qtbot.waitUntil(action.isEnabled, timeout=WAIT)
    assert "web1" in action.toolTip()
    other = make_window(RefusingExport(conn))
    other.select_vms(["web1"])
    refused = other.vm_actions["export_vm"]
    qtbot.waitUntil(lambda: "exports nothing" in refused.toolTip(), timeout=WAIT)
    assert not refused.isEnabled()
