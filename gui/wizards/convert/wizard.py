"""The Convert Virtual Machine wizard (SCVMM's V2V): Select Source -> VM Identity -> Conversion Report -> Select
Host -> Path -> Networks -> Summary. The source is a path on the host that converts it; each page asks that host
for a dry run of the conversion as chosen so far (nothing is written) and says what it recognised, planned or
refused. Finish starts the host's "Convert VM" job (the jobs strip follows it) and hands it over (``created``):
the window selects the new VM when the job completes. Every call leaves the GUI thread (gui/operations/convert.py).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from gui.dialogs.script import ScriptDialog
from gui.operations import convert as convert_ops
from gui.tasks import describe
from gui.widgets.builders import mark_step, wizard_steps

from .common import source_rows
from .host import ConvertHostPage
from .identity import ConvertIdentityPage
from .networks import ConvertNetworksPage
from .path import ConvertPathPage
from .report import ConvertReportPage
from .source import ConvertSourcePage
from .summary import ConvertSummaryPage


class ConvertWizard(QWizard):
    """``session``: the host the source is read on first (the active one); ``hosts``: the console's hosts, any of
    which may take the VM."""

    created = Signal(object, object)  # the job (a dict), the session of the host that runs it

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.hosts = list(hosts or [session])
        if session not in self.hosts:
            self.hosts.insert(0, session)
        self.destination = session
        self.converting = False
        self.setObjectName("convert_wizard")
        self.setWindowTitle(self.tr("Convert Virtual Machine"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.source_page = ConvertSourcePage(self)
        self.identity_page = ConvertIdentityPage(self)
        self.report_page = ConvertReportPage(self)
        self.host_page = ConvertHostPage(self)
        self.path_page = ConvertPathPage(self)
        self.networks_page = ConvertNetworksPage(self)
        self.summary_page = ConvertSummaryPage(self)
        self.pages = [self.source_page, self.identity_page, self.report_page, self.host_page, self.path_page,
                      self.networks_page, self.summary_page]
        for page in self.pages:
            self.addPage(page)
        self.steps = wizard_steps(self, self.tr("Wizard steps"), [p.step for p in self.pages])
        self.currentIdChanged.connect(self._page_changed)
        self.script_dialog: ScriptDialog | None = None
        self.resize(820, 540)
        mark_step(self.steps, 0)

    def _page_changed(self, current: int) -> None:
        mark_step(self.steps, current)
        page = self.currentPage()
        if page is not None:  # Back shows a page without initialising it: what it says follows the choices since
            page.changed()

    @property
    def facts(self):  # the New VM wizard's pages ask for it; nothing here decides from it
        return None

    # --- what is asked ---------------------------------------------------------------------------------------------
    def source_rows(self, answer: dict) -> list[tuple[str, str]]:
        return source_rows(answer)

    def params(self) -> dict:
        """convert_vm's arguments as chosen so far (the pages not reached yet give their defaults)."""
        return {"source": self.source_page.source(), "name": self.identity_page.vm_name(),
                "path": self.path_page.path(), "network_map": self.networks_page.network_map()}

    def planned(self):
        """(host, arguments) of the dry run that plans the conversion as chosen so far; None without a source."""
        params = self.params()
        return (self.destination, params) if params["source"] else None

    def set_destination(self, host) -> None:
        self.destination = host

    # --- View Script and Finish ------------------------------------------------------------------------------------
    def show_script(self) -> None:
        self.summary_page.open_script(convert_ops.script(self.destination, owner=self, **self.params()),
                                      self.destination.tasks)

    def accept(self) -> None:
        """Finish: the host starts converting (a job); the wizard closes once the job has started, and stays open
        with the host's message if it refuses."""
        if self.converting or not self.summary_page.isComplete():
            return
        self.converting = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.summary_page.error.set_info(self.tr("Starting the conversion on {host}...").format(
            host=self.destination.host_label))
        host = self.destination
        convert_ops.convert(host, owner=self, **self.params()).success(
            lambda job: self._started(job, host)).failure(self._failed).run()

    def _started(self, job: dict, host) -> None:
        self.converting = False
        self.created.emit(job, host)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self.converting = False
        self.summary_page.error.set_error(self.tr("The host did not start the conversion: {why}").format(
            why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.summary_page.isComplete())
