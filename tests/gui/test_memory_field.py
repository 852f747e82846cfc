"""The memory field keeps what is typed - units (MB, GB, MiB, GiB, M, G) and every digit - and says what it
understood, and what does not fit, beside and under it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QWizard

from core.model.limits import HostLimits
from gui import validation as val
from gui.wizards.memory_field import MemoryField

MiB = 1 << 20
HOST = replace(HostLimits(), memory_max=24104 * MiB, memory_step=2 * MiB, memory_reason="")


def test_readings_keep_the_unit_typed_and_every_digit():
    for text, mib in (("9999 GB", 10238976), ("9999GB", 10238976), ("10238976", 10238976), ("512 MB", 512),
                      ("512M", 512), ("512 MiB", 512), ("4G", 4096), ("4 gib", 4096), ("1.5G", 1536), ("64", 64),
                      ("65536K", 64)):
        assert val.read_memory(text, HOST).mib == mib, text
    big = val.read_memory("9999 GB", HOST)
    assert big.understood == "= 9999 GiB (10,238,976 MiB)"
    assert big.problem == "= 9999 GiB (10,238,976 MiB): more than this host allows (at most 24,104 MiB)."
    assert val.read_memory("10238976", HOST).understood == "= 10,238,976 MiB (9999 GiB)"
    assert val.read_memory("4 GB", HOST).problem is None
    assert "whole MiB" in val.read_memory("1.5M", HOST).problem
    assert "at least 4 MiB" in val.read_memory("2", HOST).problem
    assert "multiple of 2 MiB" in val.read_memory("65", HOST).problem
    for bad in ("abc", "-5", "1e3", "4 GX", "inf", "nan"):
        reading = val.read_memory(bad, HOST)
        assert reading.mib is None and "is not an amount of memory" in reading.problem, bad
    assert val.read_memory("", HOST).problem.startswith("Type the startup memory")
    # far beyond any host (and 2^63 bytes): said, not an error of another kind
    assert "more than this host allows" in val.read_memory("99999999999999999999 TB", HOST).problem


def test_the_field_keeps_the_text_and_steps_within_the_range(qtbot):
    field = MemoryField()
    qtbot.addWidget(field)
    field.set_limits(HOST)
    assert (field.minimum(), field.maximum(), field.singleStep()) == (4, 24106, 2)
    field.show()
    field.lineEdit().clear()
    qtbot.keyClicks(field, "10238976")
    assert field.text() == "10238976" and field.value() == 10238976  # no digit dropped, nothing clamped
    field.interpretText()  # what leaving the field or Enter does: nothing is corrected or clamped
    qtbot.keyClick(field, Qt.Key.Key_Return)
    QApplication.sendEvent(field, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert field.text() == "10238976"
    field.lineEdit().clear()
    qtbot.keyClicks(field, "4 GB")
    assert field.text() == "4 GB" and field.value() == 4096
    field.stepBy(1)
    assert field.value() == 4098
    field.setValue(24106)
    field.stepBy(3)
    assert field.value() == 24106  # the arrows stop one step beyond the most
    field.setValue(5)
    field.stepBy(-1)
    assert field.value() == 4


def test_the_wizard_says_what_it_understood(window, qtbot):
    wiz = window.open_wizard()
    wiz.name_page.name.setText("web1")
    wiz.next()
    page = wiz.memory_page
    field = page.memory
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    limit = wiz.facts.limits.memory_max // MiB

    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "9999 GB")
    assert field.text() == "9999 GB" and field.value() == 9999 * 1024
    text = page.message.text()
    assert text.startswith("= 9999 GiB (10,238,976 MiB): more than this host allows") and not next_button.isEnabled()
    assert val.count(limit) in text and not page.understood.text()

    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "10238976")
    assert field.text() == "10238976" and field.value() == 10238976
    assert page.message.text().startswith("= 10,238,976 MiB (9999 GiB): more than this host allows")

    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "1 GB")
    assert not page.message.isVisibleTo(wiz) and next_button.isEnabled()
    assert page.understood.text() == "= 1 GiB (1024 MiB)" and page.understood.isVisibleTo(wiz)
    assert wiz.params()["memory"] == 1 << 30

    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "lots")
    assert "'lots' is not an amount of memory" in page.message.text() and not next_button.isEnabled()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "96M")
    assert next_button.isEnabled() and page.understood.text() == "= 96 MiB"
    wiz.next()
    wiz.reject()
