"""On a libvirt host the wizard offers the settings only that kind of host takes (core.model.spec.SETTINGS with
Param.kinds: boot device, domain type, architecture, a read-only disk), its limits (memory in 1 MiB steps, no guest
command line), and View Script carries what was chosen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QWizard

from .test_wizard_libvirt_disk import libvirt_window

pytest.importorskip("libvirt", reason="libvirt-python is not installed (pip install libvirt-python)")


def test_a_libvirt_host_offers_its_own_settings_and_limits(make_window, conn, gui_env, qtbot):
    window, lv = libvirt_window(make_window, conn, gui_env, qtbot)
    wiz = window.open_wizard()
    qtbot.waitUntil(lambda: wiz.facts.answered, timeout=10_000)
    limits = lv.conn.limits()
    wiz.name_page.name.setText("db9")
    wiz.next()
    memory = wiz.memory_page
    assert memory.memory.singleStep() == limits.memory_step // (1 << 20)
    assert limits.memory_reason in memory.limits.text()
    memory.memory.setValue(65)  # 1 MiB steps on this host
    assert not memory.message.isVisibleTo(wiz)
    while wiz.currentPage() is not wiz.install_page:
        wiz.next()
    install = wiz.install_page
    assert install.host_box.isVisibleTo(wiz)
    assert {"boot", "domain_type", "arch", "disk_readonly"} <= set(install.host_fields)
    assert not install.cmdline.isVisibleTo(wiz)  # libvirt domains take no guest command line (cmdline_max 0)
    boot = install.host_fields["boot"]
    assert isinstance(boot, QComboBox)
    boot.setCurrentIndex(boot.findData("hd"))
    wiz.next()
    assert "hd" in wiz.summary_page.summary.text() and wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    wiz.show_script()
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=5000)
    command = wiz.script_dialog.command.toPlainText()
    wiz.script_dialog.close()
    assert command == "bulkhead --connect test:///default vm new db9 --memory 65M --boot hd"
    wiz.reject()
