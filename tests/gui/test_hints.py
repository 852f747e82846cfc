"""Hints tell a user what to do in their own install, not the repository's scripts: libvirt-python comes with
``pip install 'bulkhead[libvirt]'`` (the Add Connection dialog says so and copies the command), and a new disk is
made from the settings dialog's New... button rather than a command line to type."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from gui import libvirt_hosts

from .conftest import make_vms, vm_by_name

ROOT = Path(__file__).resolve().parents[2]


def test_no_hint_names_a_repository_script():
    for path in (ROOT / "gui").rglob("*.py"):
        assert "ci-libvirt" not in path.read_text(), path
    assert "ci-libvirt" not in (ROOT / "core" / "libvirt" / "errors.py").read_text()


def test_without_libvirt_python_the_message_says_how_to_install_it(monkeypatch):
    from core.libvirt import errors

    real_import = builtins.__import__

    def no_libvirt(name, *args, **kwargs):
        if name == "libvirt":
            raise ImportError("No module named 'libvirt'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(errors, "_libvirt", None)
    monkeypatch.setattr(builtins, "__import__", no_libvirt)
    with pytest.raises(errors.OperationFailed) as e:
        errors.load()
    assert "pip install 'bulkhead[libvirt]'" in str(e.value) and "tools/" not in str(e.value)


def test_the_add_connection_dialog_offers_the_install_command(window, monkeypatch):
    monkeypatch.setattr(libvirt_hosts, "libvirt_installed", lambda: False)
    dialog = window.add_connection()
    assert "pip install 'bulkhead[libvirt]'" in dialog.install.text()
    assert dialog.copy_install.isVisibleTo(dialog)
    dialog.copy_install.click()
    assert QGuiApplication.clipboard().text() == "pip install 'bulkhead[libvirt]'"
    dialog.reject()
    monkeypatch.setattr(libvirt_hosts, "libvirt_installed", lambda: True)
    dialog = window.add_connection()
    assert not dialog.copy_install.isVisibleTo(dialog) and not dialog.install.text()
    dialog.reject()


def test_a_new_disk_is_made_from_the_settings_dialog(window, conn, qtbot, tmp_path):
    make_vms(conn, "web1")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None)
    dialog = window.open_settings(vm_by_name(s, "web1")["id"])
    dialog.show_item("disks")
    assert "bulkhead disk new" not in dialog.disk_page.message.text()
    assert dialog.new_disk_button.isEnabled()
    dialog.new_disk_button.click()
    new = dialog.new_disk_dialog
    new.path.setText("relative.vhd")
    assert "full path" in new.message.text() and not new.buttons.buttons()[0].isEnabled()
    path = tmp_path / "disks" / "web1.vhd"
    new.path.setText(str(path))
    new.size.setText("9999 PB")
    assert new.problem() is not None
    new.size.setText("8M")
    assert new.problem() is None
    new.accept()
    qtbot.waitUntil(lambda: dialog.disk.text() == str(path), timeout=10_000)
    assert path.exists() and dialog.changes().get("disk") == str(path)
    dialog.reject()
