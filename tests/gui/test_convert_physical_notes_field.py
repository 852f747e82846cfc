"""The Convert Physical Server wizard's VM Configuration page has the new VM's notes: empty at first (a physical
machine has none), too long notes keep Next disabled with one line, the summary and View Script show them, and the
VM the job makes has them, with where it came from added by the host."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from .convert_helpers import (
    WAIT,
    ThreadRecorder,
    finish,
    next_enabled,
    open_from_action,
    to_page,
    to_physical_volumes,
    view_script,
)
from .test_convert_physical_wizard import write_image

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def test_the_notes_reach_the_summary_the_script_and_the_vm(make_window, conn, qtbot, tmp_path):
    image = write_image(tmp_path / "disk0.img")
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    wiz = to_physical_volumes(qtbot, window)
    volumes = wiz.volumes_page
    volumes.image.setText(image)
    volumes.add_image()
    qtbot.waitUntil(lambda: volumes.check.ok, timeout=WAIT)
    wiz.next()
    config = wiz.config_page
    assert config.notes.toPlainText() == "" and config.vm_notes() == ""
    assert config.notes.accessibleName() == "Notes"
    config.name.setText("noted1")
    config.notes.setPlainText("x" * 10_001)
    assert not next_enabled(wiz) and "at most 10000 characters" in config.message.text()
    assert "\n" not in config.message.text()
    config.notes.setPlainText("Mail server\nfrom rack 3")
    assert next_enabled(wiz) and wiz.params()["notes"] == "Mail server\nfrom rack 3"

    to_page(qtbot, wiz, wiz.summary_page)
    summary = wiz.summary_page
    qtbot.waitUntil(lambda: summary.check.ok, timeout=WAIT)
    assert (summary.check.answer["plan"]["settings"]["notes"]) == "Mail server\nfrom rack 3"
    assert "Mail server from rack 3" in summary.summary.text()
    command, python = view_script(qtbot, wiz)
    assert "--name noted1 --notes 'Mail server\nfrom rack 3'" in command, command
    assert "notes='Mail server\\nfrom rack 3'" in python, python
    wiz.script_dialog.close()

    finish(qtbot, wiz, window, "convert_physical_wizard")
    qtbot.waitUntil(lambda: [vm["name"] for vm in window.selected_vms()] == ["noted1"], timeout=30_000)
    notes = conn.vm("noted1").notes
    assert notes.startswith("Mail server\nfrom rack 3\n\nConverted from physical"), notes
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"


def test_the_notes_field_is_reached_by_its_mnemonic(make_window, conn, qtbot):
    window = make_window(conn)
    wiz = open_from_action(qtbot, window, "convert_physical", "convert_physical_wizard")
    config = wiz.config_page
    buddies = [w for w in config.findChildren(QLabel) if w.buddy() is config.notes]
    assert buddies and buddies[0].text() == "N&otes:"
    assert config.notes.tabChangesFocus() and Qt.FocusPolicy.StrongFocus & config.notes.focusPolicy()
    wiz.close()
