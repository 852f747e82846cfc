"""Shared pieces of the wizards' and export dialogs' tests: the connection that notes host calls made on the GUI
thread (and one that refuses a capability), opening a wizard or a VM's dialog from its action, and walking a
wizard's pages."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from .call_proxy import CallProxy
from .conftest import vm_by_name

WAIT = 20_000


class ThreadRecorder(CallProxy):
    """The real connection; every call made on the GUI thread is noted (the console must make none of its own)."""

    def __init__(self, conn) -> None:
        super().__init__(conn)
        self.on_gui_thread: list[str] = []

    def before(self, name: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self.on_gui_thread.append(name)


def refusing(capability: str, reason: str) -> type[ThreadRecorder]:
    """A ThreadRecorder whose host says it cannot do ``capability``, for ``reason`` (as a libvirt connection does)."""

    class Refusing(ThreadRecorder):
        def capabilities(self):
            caps = dict(self._conn.capabilities())
            caps[capability] = False
            caps["reasons"] = dict(caps.get("reasons") or {}, **{capability: reason})
            return caps

    return Refusing


def open_from_action(qtbot, window, action_key: str, wizard_attr: str):
    """Triggers the VM action ``action_key`` once enabled; returns the window's wizard ``wizard_attr``, shown."""
    action = window.vm_actions[action_key]
    qtbot.waitUntil(action.isEnabled, timeout=WAIT)
    action.trigger()
    wiz = getattr(window, wizard_attr)
    assert wiz is not None and wiz.isVisible()
    return wiz


def open_vm_dialog(qtbot, window, name: str, action_key: str, dialog_attr: str):
    """Selects the VM ``name``, triggers the VM action ``action_key`` once enabled; returns the window's dialog
    ``dialog_attr``, shown."""
    qtbot.waitUntil(lambda: vm_by_name(window.session, name) is not None, timeout=WAIT)
    window.select_vms([name])
    return open_from_action(qtbot, window, action_key, dialog_attr)


def to_physical_volumes(qtbot, window):
    """The Convert Physical Server wizard opened from its action, on Volume Configuration (this machine's system
    read)."""
    wiz = open_from_action(qtbot, window, "convert_physical", "convert_physical_wizard")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.system_page.answer() is not None, timeout=WAIT)
    wiz.next()
    return wiz


def next_enabled(wiz) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def to_page(qtbot, wiz, page) -> None:
    while wiz.currentPage() is not page:
        qtbot.waitUntil(lambda: next_enabled(wiz), timeout=WAIT)
        wiz.next()


def view_script(qtbot, wiz) -> tuple[str, str]:
    """Clicks View Script on the summary page: (the script dialog's command text, its Python text)."""
    qtbot.mouseClick(wiz.summary_page.view_script, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=WAIT)
    return wiz.script_dialog.command.toPlainText(), wiz.script_dialog.python.toPlainText()


def finish(qtbot, wiz, window, wizard_attr: str) -> None:
    """Clicks Finish (it must be enabled) and waits for the window's wizard ``wizard_attr`` to be gone."""
    button = wiz.button(QWizard.WizardButton.FinishButton)
    assert button.isEnabled()
    button.click()
    qtbot.waitUntil(lambda: getattr(window, wizard_attr) is None, timeout=WAIT)
