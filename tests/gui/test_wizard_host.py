"""The New Virtual Machine wizard decides from what the target host says: its limits (memory, processors, command
line, each with its reason), its capabilities (what it refuses is not offered, and says why), the settings its kind
of host takes; Finish checks the VM as a VmSpec against the limits the host answered; every string is translatable."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QWizard

from core.model.limits import HostLimits

from .conftest import vm_by_name

MiB = 1 << 20


def to_page(wiz, page, name: str = "web1"):
    wiz.name_page.name.setText(name)
    while wiz.currentPage() is not page:
        wiz.next()
    return page


def test_memory_and_processors_allow_what_the_host_says_with_its_reasons(window, conn, qtbot, monkeypatch):
    limits = HostLimits(memory_min=8 * MiB, memory_max=1024 * MiB, memory_step=4 * MiB, vcpus_max=3,
                        memory_reason="the test host lends 1 GiB", vcpus_reason="the test host has 3 processors")
    monkeypatch.setattr(conn, "limits", lambda: limits)
    window.session.limits = limits
    wiz = window.open_wizard()
    qtbot.waitUntil(lambda: wiz.facts.answered, timeout=5000)
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    memory = to_page(wiz, wiz.memory_page)
    assert "1024 MiB" in memory.limits.text() and "the test host lends 1 GiB" in memory.limits.text()
    assert memory.memory.singleStep() == 4 and memory.memory.maximum() == 1028  # one step over says why
    memory.memory.setValue(1024)
    assert not memory.message.isVisibleTo(wiz) and next_button.isEnabled()
    memory.memory.setValue(1028)
    assert "at most 1024 MiB (the test host lends 1 GiB)" in memory.message.text() and not next_button.isEnabled()
    memory.memory.setValue(6)
    assert "at least 8 MiB" in memory.message.text() and not next_button.isEnabled()
    memory.memory.setValue(10)
    assert "multiple of 4 MiB" in memory.message.text() and not next_button.isEnabled()
    memory.memory.setValue(512)
    wiz.next()
    cpus = wiz.processors_page
    assert cpus.vcpus.maximum() == 4 and "the test host has 3 processors" in cpus.limits.text()
    cpus.vcpus.setValue(4)
    assert "At most 3 virtual processors" in cpus.message.text() and "3 processors" in cpus.message.text()
    assert not next_button.isEnabled()
    cpus.vcpus.setValue(3)
    assert next_button.isEnabled()
    wiz.reject()


def test_a_host_that_takes_no_command_line_is_not_asked_for_one(window, conn, qtbot, monkeypatch):
    limits = HostLimits(cmdline_max=0)
    monkeypatch.setattr(conn, "limits", lambda: limits)
    window.session.limits = limits
    wiz = window.open_wizard()
    install = to_page(wiz, wiz.install_page)
    assert not install.cmdline.isVisibleTo(wiz) and wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    wiz.reject()
    window.session.limits = HostLimits(cmdline_max=40)
    monkeypatch.setattr(conn, "limits", lambda: HostLimits(cmdline_max=40))
    wiz = window.open_wizard()
    install = to_page(wiz, wiz.install_page)
    assert install.cmdline.isVisibleTo(wiz)
    install.cmdline.setText("x" * 20)  # with "workload=idle hostname=web1" more than 40 bytes
    assert "the limit is 40" in install.cmdline_message.text()
    wiz.reject()


def test_finish_checks_the_vm_against_the_limits_the_host_answers(window, conn, qtbot, monkeypatch):
    answer = threading.Event()
    strict = HostLimits(memory_max=128 * MiB, memory_reason="the host shrank")

    def late_limits() -> HostLimits:
        answer.wait(10)
        return strict

    monkeypatch.setattr(conn, "limits", late_limits)
    window.session.limits = HostLimits()  # what the session knew: 64 GiB
    try:
        wiz = window.open_wizard()
        memory = to_page(wiz, wiz.memory_page, "big1")
        memory.memory.setValue(256)
        while wiz.currentPage() is not wiz.summary_page:
            wiz.next()
        finish = wiz.button(QWizard.WizardButton.FinishButton)
        assert finish.isEnabled() and not wiz.summary_page.error.text()
        answer.set()
        qtbot.waitUntil(lambda: wiz.facts.answered, timeout=5000)
    finally:
        answer.set()
    error = wiz.summary_page.error
    assert error.kind == "error" and "at most 128 MiB (the host shrank)" in error.text()
    assert not finish.isEnabled()
    wiz.accept()  # even if asked: the VmSpec is refused before anything is sent
    qtbot.wait(300)
    assert vm_by_name(window.session, "big1") is None and all(v.name != "big1" for v in conn.vms())
    assert wiz.isVisible()
    wiz.reject()


def test_what_the_host_refuses_is_not_offered_and_says_why(window, conn, qtbot, monkeypatch):
    caps = dict(conn.capabilities())
    caps.update(new_disk=False, switches=False)
    caps["reasons"] = {**caps["reasons"], "new_disk": "this host keeps no disk files",
                       "switches": "this host has no switches of its own"}
    monkeypatch.setattr(conn, "capabilities", lambda: caps)
    wiz = window.open_wizard()
    qtbot.waitUntil(lambda: wiz.facts.answered, timeout=5000)
    network = to_page(wiz, wiz.network_page)
    assert not network.new_switch.isEnabled() and "no switches of its own" in network.new_switch.toolTip()
    wiz.next()
    disk = wiz.disk_page
    assert not disk.create.isEnabled() and "this host keeps no disk files" in disk.create.toolTip()
    assert disk.existing.isEnabled() and disk.none.isChecked()
    assert wiz.params().keys().isdisjoint({"disk_size", "disk_format", "pool"})
    wiz.reject()


def test_the_bulkhead_host_shows_no_settings_of_other_kinds_of_host(window, qtbot):
    wiz = window.open_wizard()
    install = to_page(wiz, wiz.install_page)
    assert not install.host_box.isVisibleTo(wiz) and install.kind_values() == {}
    assert wiz.spec().params() == {"name": "web1"}  # everything else at its default
    wiz.reject()


def test_the_wizard_speaks_the_installed_translation(window, qtbot, tmp_path):
    ts = tmp_path / "bulkhead_xx.ts"
    ts.write_text("""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context><name>NamePage</name>
<message><source>Specify Name and Location</source><translation>Name und Ort angeben</translation></message>
</context>
<context><name>Validation</name>
<message><source>A name cannot start with '.'.</source>
<translation>Ein Name beginnt nicht mit '.'.</translation></message>
</context>
<context><name>NewVmWizard</name>
<message><source>New Virtual Machine Wizard</source>
<translation>Assistent für neue virtuelle Computer</translation></message>
</context>
</TS>
""", encoding="utf-8")
    import subprocess
    import sys
    from pathlib import Path

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    qm = tmp_path / "bulkhead_xx.qm"
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=60)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        wiz = window.open_wizard()
        assert wiz.windowTitle() == "Assistent für neue virtuelle Computer"
        assert wiz.name_page.title() == "Name und Ort angeben"
        wiz.name_page.name.setText(".x")
        assert wiz.name_page.name_message.text() == "Ein Name beginnt nicht mit '.'."
        wiz.reject()
    finally:
        QCoreApplication.removeTranslator(translator)
