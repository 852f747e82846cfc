"""The Settings dialog's memory field keeps what is typed, units and every digit, and says what it understood."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from .conftest import make_vms, trigger, vm_by_name


def _open(window, conn, qtbot):
    make_vms(conn, "web1", memory="32M")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None)
    window.select_vms(["web1"])
    trigger(qtbot, window, "settings")
    return window.settings_dialogs[vm_by_name(s, "web1")["id"]]


def test_units_and_digits_are_kept_and_said(window, conn, qtbot):
    dialog = _open(window, conn, qtbot)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.memory.lineEdit().setText("9999 GB")
    assert dialog.memory.text() == "9999 GB"  # not turned into 9999 MiB
    assert dialog.memory.value() == 9999 * 1024
    assert "9999 GiB" in dialog.memory_understood.text() and "10,238,976 MiB" in dialog.memory_understood.text()
    qtbot.waitUntil(lambda: "more than this host allows" in dialog.memory_page.message.text())
    assert not ok.isEnabled()
    dialog.memory.lineEdit().setText("10238976")
    assert dialog.memory.text() == "10238976" and dialog.memory.value() == 10238976  # every digit
    dialog.memory.lineEdit().setText("1 GiB")
    assert dialog.memory.value() == 1024
    qtbot.waitUntil(ok.isEnabled)
    assert dialog.changes()["memory"] == 1 << 30
