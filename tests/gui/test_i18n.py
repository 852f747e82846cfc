"""The console speaks the language it is given: translations load from resources/i18n for the locale (BULKHEAD_LANG
overrides the system's), and the strings of the window, the actions' reasons and the models go through them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.model.states import CONFIG_ERROR, OPERATIONS, VmState
from gui import i18n, vmstates
from gui.models.vm_table import Col, VmTableModel

LRELEASE = Path(sys.executable).parent / "pyside6-lrelease"
GERMAN = {  # context -> {source: translation}
    "VmStates": {"Pause": "Anhalten", "Running": "Wird ausgeführt", "Off": "Aus",
                 "{operation} needs {states}; {why}": "{operation} braucht {states}; {why}",
                 "{name} is {state}": "{name} ist {state}"},
    "MainWindow": {"Bulkhead - Virtual Machine Manager": "Bulkhead - Verwaltung virtueller Computer"},
    "VmActions": {"&Start": "&Starten"},
    "VmTable": {"State": "Status"},
}


def _ts(translations: dict[str, dict[str, str]]) -> str:
    from xml.sax.saxutils import escape

    contexts = "".join(
        f"<context><name>{escape(ctx)}</name>" + "".join(
            f"<message><source>{escape(src)}</source><translation>{escape(dst)}</translation></message>"
            for src, dst in messages.items()) + "</context>" for ctx, messages in translations.items())
    return f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="de_DE">{contexts}</TS>'


@pytest.fixture
def german(tmp_path, qapp, monkeypatch):
    if not LRELEASE.exists():
        pytest.skip("pyside6-lrelease is not installed")
    (tmp_path / "bulkhead_de.ts").write_text(_ts(GERMAN), encoding="utf-8")
    subprocess.run([str(LRELEASE), str(tmp_path / "bulkhead_de.ts"), "-qm", str(tmp_path / "bulkhead_de.qm")],
                   check=True, capture_output=True)
    monkeypatch.setenv("BULKHEAD_LANG", "de")
    installed = i18n.install(qapp, folder=tmp_path)
    yield installed
    for translator in installed:
        QApplication.removeTranslator(translator)


def vm(name, state):
    return {"id": name, "name": name, "state": state}


def test_every_operation_label_and_state_is_marked_for_translation():
    assert {o.label for o in OPERATIONS.values()} <= set(vmstates._LABELS)
    assert {str(s) for s in VmState} | {CONFIG_ERROR} <= set(vmstates._STATES)


def test_without_a_translation_the_console_speaks_english(qapp, tmp_path):
    installed = i18n.install(qapp, "de", folder=tmp_path)  # no bulkhead_de.qm there (Qt's own may load)
    try:
        assert not any(t.filePath().startswith(str(tmp_path)) for t in installed)
        assert vmstates.availability("pause", [vm("web1", "Off")]).tooltip == "Pause needs Running; web1 is Off"
    finally:
        for translator in installed:
            QApplication.removeTranslator(translator)


def test_a_translation_for_the_locale_is_loaded_and_used(german, make_window, conn):
    assert any(t.filePath().endswith("bulkhead_de.qm") for t in german)
    # the Qt-free rules of the states speak it
    tip = vmstates.availability("pause", [vm("web1", "Off")]).tooltip
    assert tip == "Anhalten braucht Wird ausgeführt; web1 ist Aus"
    # the models' headers and cells
    model = VmTableModel()
    model.apply_list([vm("a", "Running")])
    assert model.headerData(Col.STATE, Qt.Orientation.Horizontal) == "Status"
    assert model.index(0, Col.STATE).data() == "Wird ausgeführt"
    assert model.vms()[0]["state"] == "Running"  # the state itself stays the model's
    # the window and its shared actions
    window = make_window(conn)
    assert window.windowTitle() == "Bulkhead - Verwaltung virtueller Computer"
    assert window.vm_actions["start"].text() == "&Starten"


def test_bulkhead_lang_chooses_the_language(monkeypatch):
    monkeypatch.setenv("BULKHEAD_LANG", "de")
    assert i18n.locale().name() == "de_DE"
    assert i18n.locale("fr").name() == "fr_FR"  # an explicit choice wins


def test_a_host_refusal_shown_anywhere_in_the_console_reads_in_its_language(qapp):
    from PySide6.QtCore import QCoreApplication, QLocale

    from core.model.errors import NotFound
    from gui import i18n as gui_i18n
    from gui.tasks import describe

    refusal = NotFound("no VM named 'a'", code="vm.not_found")
    assert describe(refusal) == "no VM named 'a'"
    before = QLocale()
    installed = gui_i18n.install(qapp, "de")
    try:
        assert describe(refusal) == "Es gibt keinen virtuellen Computer namens „a“"  # every task's failure line
    finally:
        for t in installed:
            QCoreApplication.removeTranslator(t)
        QLocale.setDefault(before)
