"""The Import Virtual Machine wizard (Hyper-V's): Locate Folder -> Select Virtual Machine -> Choose Import Type ->
Summary. The folder is a path on the host chosen; that host reads it (vm.import.read, nothing written) and says
what it holds and which import modes it takes. Finish starts the host's "Import VM" job (the jobs strip follows
it) and hands it over (``created``): the window selects the imported VM when the job completes. Every host call
leaves the GUI thread (gui/operations/export_import.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWizard

from gui.dialogs.script import ScriptDialog
from gui.operations import export_import as export_ops
from gui.tasks import describe
from gui.widgets.builders import mark_step

from ..base import add_pages, set_up
from .import_type import ImportTypePage
from .locate import LocateFolderPage
from .select import SelectVmPage
from .summary import ImportSummaryPage

CAPABILITY = "export"


def open_wizard(window, session=None) -> ImportWizard:
    """The wizard for ``session`` (the window's active host unless given); the VM its job makes is selected once
    the job completes. One at a time: a second call raises the first."""
    wizard = getattr(window, "import_wizard", None)
    if wizard is not None:
        wizard.raise_()
        wizard.activateWindow()
        return wizard
    hosts = [s for s in window.sessions if s.host_key] or [window.active]
    wizard = window.import_wizard = ImportWizard(session or window.active, hosts, window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.created.connect(lambda job, host: window.follow_new_vm(host, job))
    wizard.finished.connect(lambda _r: setattr(window, "import_wizard", None))
    wizard.open()
    return wizard


class ImportWizard(QWizard):
    """``session``: the host chosen first; ``hosts``: the console's hosts, any of which may import."""

    created = Signal(object, object)  # the job (a dict), the session of the host that runs it

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.hosts = list(hosts or [session])
        if session not in self.hosts:
            self.hosts.insert(0, session)
        self.destination = session
        self.importing = False
        self.script_dialog: ScriptDialog | None = None
        set_up(self, "import_wizard", self.tr("Import Virtual Machine"))
        (self.locate_page, self.select_page, self.type_page, self.summary_page) = add_pages(
            self, [LocateFolderPage(self), SelectVmPage(self), ImportTypePage(self), ImportSummaryPage(self)],
            self.tr("Wizard steps"))
        self.currentIdChanged.connect(self._page_changed)
        self.resize(780, 520)
        mark_step(self.steps, 0)

    def _page_changed(self, current: int) -> None:
        mark_step(self.steps, current)
        page = self.currentPage()
        if page is not None:
            page.changed()

    @property
    def facts(self):  # the page base asks for it; nothing here decides from it
        return None

    def able(self, host) -> tuple[bool, str]:
        if host.conn is None:
            return False, self.tr("not connected: {why}").format(why=host.last_error or self.tr("connecting"))
        return host.can(CAPABILITY)

    def set_destination(self, host) -> None:
        self.destination = host

    # --- what is asked ---------------------------------------------------------------------------------------------
    @staticmethod
    def dry_run_op(session, owner=None, path: str = ""):
        """What the host finds in the folder (the pages' DryRun asks it): read_export, else its subfolders."""
        return export_ops.find_exports(session, path, owner=owner)

    def params(self) -> dict:
        """import_vm's arguments as chosen."""
        info = self.select_page.chosen() or {}
        return export_ops.import_params(info.get("path", ""), self.type_page.mode() or "copy",
                                        self.type_page.name_param())

    # --- View Script and Finish ------------------------------------------------------------------------------------
    def show_script(self) -> None:
        self.summary_page.open_script(export_ops.script(self.destination, "vm.import", self.params(), owner=self),
                                      self.destination.tasks)

    def accept(self) -> None:
        """Finish: the host starts the import (a job); the wizard closes once the job has started, and stays open
        with the host's message if it refuses."""
        if self.importing or not self.summary_page.isComplete():
            return
        self.importing = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        host = self.destination
        self.summary_page.error.set_info(self.tr("Starting the import on {host}...").format(host=host.host_label))
        p = self.params()
        export_ops.import_vm(host, p["path"], p.get("mode", "copy"), p.get("name", ""), owner=self).success(
            lambda job: self._started(job, host)).failure(self._failed).run()

    def _started(self, job: dict, host) -> None:
        self.importing = False
        self.created.emit(job, host)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self.importing = False
        self.summary_page.error.set_error(self.tr("The host did not start the import: {why}").format(
            why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.summary_page.isComplete())
