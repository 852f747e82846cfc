"""What every page of the New Virtual Machine wizard shares: the page base class (fields checked as you type) and a
few layout helpers."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget, QWizardPage

from gui.dialogs.script import ScriptDialog
from gui.i18n import translate
from gui.tasks import describe
from gui.widgets.builders import add_message, button_row, push_button
from gui.widgets.field_message import FieldMessage, WrappedLabel

__all__ = ["GiB", "LimitsPage", "MiB", "Page", "PathCheck", "browse", "browses_host", "can_browse", "form", "hint",
           "narrow", "row", "translate"]
MiB, GiB = 1 << 20, 1 << 30


def form(page: QWidget) -> QFormLayout:
    """A form at the top of the page (the rest stays empty rather than spreading the rows apart)."""
    outer = QVBoxLayout(page)
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addLayout(layout)
    outer.addStretch(1)
    return layout


def narrow(spin: QSpinBox) -> QSpinBox:
    spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000000 MiB") + 48)
    return spin


def row(layout: QFormLayout, label: str, field, buddy: QWidget | None = None) -> QLabel:
    """Add the row ``label: field`` whose label's mnemonic focuses ``buddy`` (the field itself unless given)."""
    layout.addRow(label, field)
    label_widget = layout.labelForField(field)
    label_widget.setBuddy(buddy if buddy is not None else field)
    return label_widget


class PathCheck:
    """A field naming a file, checked off the GUI thread a moment after each edit while ``active`` is checked:
    ``state`` is (path, problem) once the path now in the field has been checked. On a host whose files are not here
    only a full path is asked for (``not_full``, with {host}, says so); that host checks the file itself."""

    def __init__(self, page: Page, field, active, check, not_full: str) -> None:
        self.page, self.field, self.active, self.check, self.not_full = page, field, active, check, not_full
        self.state: tuple[str, str | None] | None = None
        self.timer = QTimer(page, singleShot=True, interval=250, timeout=self.run)
        field.textChanged.connect(self.edited)

    def edited(self, *_args) -> None:
        self.state = None
        if self.active.isChecked():
            self.timer.start()
        self.page.changed()

    def run(self) -> None:
        page, path = self.page, self.field.text()
        if not page.facts.files_here:
            self.done(path, None if path.strip().startswith("/") else self.not_full.format(host=page.facts.machine))
            return
        page.wiz.session.tasks.run(self.check, path, owner=page, on_done=lambda problem, p=path: self.done(p, problem))

    def done(self, path: str, problem: str | None) -> None:
        if path == self.field.text():
            self.state = (path, problem)
            self.page.changed()


def _elsewhere(page) -> bool:
    """The host's files are not this machine's (a remote Bulkhead host is never, whatever its URI says yet)."""
    return str(getattr(page.wiz.session, "host_key", "")).startswith("remote:") or not page.facts.files_here


def browses_host(page) -> bool:
    """Browse... asks the host for its folders (Browse <host>): a Bulkhead host on another machine that offers it.
    A libvirt host's files are browsed only where they are this machine's (qemu:/// URIs: QFileDialog)."""
    return _elsewhere(page) and page.facts.kind == "bulkhead" and page.facts.can("browse")


def can_browse(page) -> bool:
    """Browse... is offered: the host's files are here (QFileDialog), or the host lists its own folders."""
    return not _elsewhere(page) or browses_host(page)


def browse(parent: QWidget, title: str, filters: list[str], chosen, kinds: list[str] | None = None,
           start: str = "", folders: bool = False) -> None:
    """Ask for an existing file (or a folder, with ``folders``) and hand its path to ``chosen``. Where the host is
    another machine, its own folders through Browse <host> (``kinds``: the file extensions listed; from the folder
    of ``start``, a path there); else this machine's through QFileDialog (from the home folder)."""
    if browses_host(parent):
        from gui.dialogs.host_browser import HostBrowserDialog

        start = start.strip() if start.strip().startswith("/") else ""
        folder, name = (start, "") if folders else (os.path.dirname(start) if start else "", os.path.basename(start))
        dialog = HostBrowserDialog(parent.wiz.session, folder, kinds=kinds, folders=folders, select=name,
                                   parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(chosen)
        parent.host_browser = dialog
        dialog.open()
        return
    dialog = QFileDialog(parent, title, os.path.expanduser("~"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(filters)
    dialog.fileSelected.connect(chosen)
    dialog.open()


def hint(text: str) -> QLabel:
    label = WrappedLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class Page(QWizardPage):
    """A page whose fields are checked as you type: ``problem()`` returns what is wrong (or None).
    ``host_changed()`` runs when the target host's capabilities and limits arrive."""

    def __init__(self, wizard, title: str, subtitle: str, step: str = "", layout=None) -> None:
        """``step`` names the page in the wizard's list of steps (its title unless given); ``layout`` the kind of
        layout the page is laid out with (QVBoxLayout ...): made on the page as ``self.box``."""
        super().__init__()
        self.wiz = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.step = step or title
        self.box = layout(self) if layout is not None else None

    def field_form(self, *rows: tuple) -> QFormLayout:
        """The page's form: the rows ``(label, field[, buddy])`` (see ``row``), then the message under them
        (``self.message``)."""
        layout = form(self)
        for label_field in rows:
            row(layout, *label_field)
        self.message = FieldMessage()
        layout.addRow("", self.message)
        return layout

    def summary_foot(self, layout: QVBoxLayout, script: str, tooltip: str, error_name: str) -> None:
        """The foot of a wizard's last page: View Script... (``script``, translated, with ``tooltip``: what the script
        does) at the left of its row, calling the wizard's ``show_script``; then the page's message (``self.error``,
        named ``error_name``); the rest of the page left empty."""
        self.view_script = push_button(script, "view_script_button", self.wiz.show_script, tooltip)
        button_row(layout, self.view_script)
        self.error = add_message(layout, error_name)
        layout.addStretch(1)

    def open_script(self, op, tasks) -> None:
        """View Script... (see ``summary_foot``): ``op`` (a HostOp answering a Script) runs with the button greyed;
        its script opens in the wizard's ``script_dialog`` (saving with ``tasks``), a refusal shows in the message."""
        self.view_script.setEnabled(False)

        def shown(script) -> None:
            self.view_script.setEnabled(True)
            self.wiz.script_dialog = ScriptDialog(script.title, script.command_line, script.python, self.wiz,
                                                  tasks=tasks)
            self.wiz.script_dialog.open()

        def failed(error: BaseException) -> None:
            self.view_script.setEnabled(True)
            self.error.set_error(describe(error))

        op.success(shown).failure(failed).run()

    @property
    def facts(self):
        return self.wiz.facts

    def problem(self) -> str | None:
        return None

    def isComplete(self) -> bool:
        return self.problem() is None

    def changed(self, *_args) -> None:
        self.update_messages()
        self.completeChanged.emit()

    def update_messages(self) -> None:
        pass

    def host_changed(self) -> None:
        """The host's capabilities or limits changed (they arrive off the GUI thread after the wizard opens)."""
        self.changed()


class LimitsPage(Page):
    """A page whose field follows the target host's limits: ``apply_limits()`` runs when they arrive and each time
    the page is entered."""

    def limits_form(self, *rows: tuple) -> QFormLayout:
        """``field_form`` with the host's limits said under the message (``self.limits``)."""
        layout = self.field_form(*rows)
        self.limits = hint("")
        layout.addRow("", self.limits)
        return layout

    def apply_limits(self) -> None:
        pass

    def host_changed(self) -> None:
        self.apply_limits()
        super().host_changed()

    def initializePage(self) -> None:
        self.apply_limits()
        self.changed()
