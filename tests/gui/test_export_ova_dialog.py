"""Export as OVA in the console: the action (Action menu, Actions pane, context menu) follows the VM's state and the
host's export_ova capability with the reason as its tooltip; the dialog proposes a file in the host's folder,
Browse... lists the host's folders, View Script shows the command, Export runs the host's job with its progress
shown and writes a package that convert reads back; bad paths and a file that exists are one line each and write
nothing; Cancel Export leaves no file; a libvirt host refuses with its reason; no host call on the GUI thread."""

from __future__ import annotations

import os
import shutil
import tarfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton

from core import api
from gui.dialogs.export_ova import ExportOvaDialog, open_dialog

from .conftest import make_vms, wait_state
from .convert_helpers import WAIT, ThreadRecorder, open_vm_dialog

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20


def write_vhd(path, size=16 * MiB) -> str:
    """A dynamic VHD with known data at its start and near its end."""
    from core.engine.storage import create_disk, open_disk

    create_disk(str(path), size).close()
    with open_disk(str(path)) as d:
        d.write(0, b"\x5a" * 4096)
        d.write(size // 512 - 16, os.urandom(4096))
        d.flush()
    return str(path)


def open_export(qtbot, window, name: str) -> ExportOvaDialog:
    return open_vm_dialog(qtbot, window, name, "export_ova", "export_ova_dialog")


def test_export_as_ova_from_the_action_with_browse_script_and_progress(make_window, conn, qtbot, tmp_path):
    conn.new_vm("web", memory="32M", disk=write_vhd(tmp_path / "web.vhd")).wait(check=True)
    out = tmp_path / "out"
    out.mkdir()
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    pane = [b.defaultAction() for b in window.actions_pane.widget().findChildren(QToolButton)]
    assert window.vm_actions["export_ova"] in pane
    assert window.vm_actions["export_ova"] in window.findChild(QMenu, "menu_action").actions()
    assert window.vm_actions["export_ova"].text() == "Export as OV&A..."
    dialog = open_export(qtbot, window, "web")
    action = window.vm_actions["export_ova"]
    assert "Write web as an OVA package" in action.toolTip()
    assert dialog.windowTitle() == "Export as OVA - web" and "web (Off)" == dialog.vm_label.text()
    qtbot.waitUntil(lambda: dialog.file().endswith("/web.ova"), timeout=WAIT)  # the host's folder, asked off-thread
    assert dialog.file().startswith("/")

    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    browser = dialog.host_browser
    assert browser is not None and browser.folders
    with qtbot.waitSignal(browser.listed, timeout=WAIT):
        browser.go(str(out))
    browser.accept()
    assert dialog.file() == str(out / "web.ova") and dialog.ok.isEnabled()

    qtbot.mouseClick(dialog.view_script, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.script_dialog is not None, timeout=WAIT)
    assert dialog.script_dialog.command.toPlainText() == f"bulkhead vm export-ova web {out / 'web.ova'}"
    assert f"conn.export_ova('web', '{out / 'web.ova'}')" in dialog.script_dialog.python.toPlainText()
    dialog.script_dialog.close()

    seen: list[int] = []
    window.session.jobs_model.dataChanged.connect(lambda *_a: seen.append(dialog.progress.value()))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "done", timeout=60_000)
    assert dialog.progress.isVisible() and dialog.progress.value() == 100 and seen
    assert f"web is written to {out / 'web.ova'}" in dialog.message.text()
    assert dialog.ok.text().replace("&", "") == "Close" and not dialog.cancel_button.isVisible()
    window.session.vms_changed.emit()  # the VM list refreshed after the export: Close stays Close, and enabled
    assert dialog.ok.isEnabled() and dialog.ok.text().replace("&", "") == "Close"
    with tarfile.open(out / "web.ova") as tar:
        assert tar.getnames() == ["web.ovf", "web.mf", "web-disk1.vmdk"]
    assert sorted(os.listdir(out)) == ["web.ova"]
    job = next(j for j in window.session.jobs_model.jobs() if j.get("name") == "Export VM as OVA")
    assert job["state"] == "Completed"
    back = conn.convert_vm(str(out / "web.ova"), name="web-back").wait(check=True)
    assert back.state == "Completed" and conn.vm("web-back").memory == 32 * MiB
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.export_ova_dialog is None, timeout=WAIT)
    assert "export_ova" in recorder.calls and "browse" in recorder.calls
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"


def test_bad_paths_an_existing_file_and_a_running_vm(make_window, conn, qtbot, tmp_path):
    make_vms(conn, "db")
    make_vms(conn, "busy", start=True)
    window = make_window(conn)
    wait_state(qtbot, window.session, "busy", "Running")
    window.select_vms(["busy"])
    action = window.vm_actions["export_ova"]
    qtbot.waitUntil(lambda: "busy is Running" in action.toolTip(), timeout=WAIT)
    assert not action.isEnabled() and "Export as OVA needs Off, Saved" in action.toolTip()
    window.select_vms(["db", "busy"])
    qtbot.waitUntil(lambda: "select one virtual machine" in action.toolTip(), timeout=WAIT)
    assert not action.isEnabled()

    dialog = open_export(qtbot, window, "db")
    for path, says in (("", "Type the .ova file"), ("db.ova", "full path on the host"),
                       (str(tmp_path / "db.tar"), "ends in .ova"), (str(tmp_path / ".ova"), "ends in .ova")):
        dialog.path.setText(path)
        assert not dialog.ok.isEnabled() and says in dialog.message.text(), (path, dialog.message.text())
        assert "\n" not in dialog.message.text()
    taken = tmp_path / "db.ova"
    taken.write_bytes(b"mine")
    dialog.path.setText(str(taken))
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "" and "already exists" in dialog.message.text(), timeout=WAIT)
    assert "\n" not in dialog.message.text() and taken.read_bytes() == b"mine" and dialog.ok.isEnabled()
    window.session.vms_changed.emit()  # the VM list refreshed: the host's refusal stays until the path changes
    assert "already exists" in dialog.message.text()
    dialog.path.setText(str(tmp_path / "nowhere" / "db.ova"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "" and "no such folder" in dialog.message.text(), timeout=WAIT)
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp") or n.endswith(".ova") and n != "db.ova"]
    assert not (tmp_path / "nowhere").exists()
    dialog.reject()


def test_cancel_export_leaves_no_file(make_window, conn, qtbot, tmp_path, monkeypatch):
    slow = tmp_path / "slow-qemu-img"
    slow.write_text('#!/bin/sh\nif [ "$1" = convert ]; then shift; exec qemu-img convert -r 2M "$@"; fi\n'
                    'exec qemu-img "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setenv("QEMU_IMG", str(slow))
    vhd = write_vhd(tmp_path / "big.vhd", 64 * MiB)
    from core.engine.storage import open_disk

    with open_disk(vhd) as d:  # 24 MiB of data: several seconds at 2 MiB/s
        for sector in range(0, 24 * MiB // 512, 2048):
            d.write(sector, os.urandom(MiB))
        d.flush()
    conn.new_vm("big", memory="32M", disk=vhd).wait(check=True)
    out = tmp_path / "out"
    out.mkdir()
    window = make_window(conn)
    dialog = open_export(qtbot, window, "big")
    dialog.path.setText(str(out / "big.ova"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "running" and dialog.progress.value() > 0, timeout=60_000)
    assert dialog.cancel_button.text().replace("&", "") == "Cancel Export" and not dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "" and "cancelled" in dialog.message.text(), timeout=60_000)
    assert dialog.isVisible() and os.listdir(out) == []
    assert dialog.cancel_button.text() == "Cancel" and dialog.cancel_button.isEnabled()
    dialog.reject()


def test_a_libvirt_host_refuses_with_its_reason(make_window, qtbot):
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    lv = api.connect(uri="test:///default")
    try:
        window = make_window(lv)
        name = window.session.vm_model.vms()[0]["name"]
        window.select_vms([name])
        action = window.vm_actions["export_ova"]
        qtbot.waitUntil(lambda: "qemu-img" in action.toolTip(), timeout=WAIT)
        assert not action.isEnabled() and action.toolTip().startswith("Export as OVA: export the domain's disks")
        assert open_dialog(window) is None
        assert "move it to a Bulkhead host" in window.statusBar().currentMessage()
        vm = window.session.vm_model.vms()[0]
        dialog = ExportOvaDialog(window.session, dict(vm, state="Off"), window)
        qtbot.addWidget(dialog)
        dialog.path.setText("/tmp/x.ova")
        assert not dialog.ok.isEnabled() and "cannot export as OVA" in dialog.message.text()
        assert "move it to a Bulkhead host first" in dialog.message.text()
        dialog.close()
    finally:
        window.close()
        lv.close()
