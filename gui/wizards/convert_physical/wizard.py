"""The Convert Physical Server wizard (SCVMM's P2V): Select Source -> System Information -> Volume Configuration ->
VM Configuration -> Select Host -> Path -> Networks -> Summary. The host scans the machine (its own, or another one
over SSH), then plans the capture of the disks chosen (a dry run: nothing is written) on each page that changes
it. Finish starts the host's "Convert physical server" job (the jobs strip follows it) and hands it over
(``created``): the window selects the new VM when the job completes. The Select Host, Path and Networks pages are
the Convert Virtual Machine wizard's. Every call leaves the GUI thread (gui/operations/convert_physical.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from gui.dialogs.script import ScriptDialog
from gui.operations import convert_physical as p2v_ops
from gui.tasks import describe
from gui.widgets.builders import mark_step, wizard_steps

from ..convert.host import ConvertHostPage
from ..convert.networks import ConvertNetworksPage
from ..convert.path import ConvertPathPage
from .config import PhysicalConfigPage
from .source import PhysicalSourcePage
from .summary import PhysicalSummaryPage
from .system import PhysicalSystemPage
from .volumes import PhysicalVolumesPage


class ConvertPhysicalWizard(QWizard):
    """``session``: the host that scans the machine (the active one); ``hosts``: the console's hosts, any of which
    may take the VM."""

    created = Signal(object, object)  # the job (a dict), the session of the host that runs it
    capability = "convert_physical"  # what Select Host asks of a host

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.hosts = list(hosts or [session])
        if session not in self.hosts:
            self.hosts.insert(0, session)
        self.destination = session
        self.converting = False
        self.setObjectName("convert_physical_wizard")
        self.setWindowTitle(self.tr("Convert Physical Server"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.source_page = PhysicalSourcePage(self)
        self.system_page = PhysicalSystemPage(self)
        self.volumes_page = PhysicalVolumesPage(self)
        self.report_page = self.volumes_page  # the Networks page reads the plan's adapters there
        self.config_page = PhysicalConfigPage(self)
        self.host_page = ConvertHostPage(self)
        self.path_page = ConvertPathPage(self)
        self.networks_page = ConvertNetworksPage(self)
        self.summary_page = PhysicalSummaryPage(self)
        self.pages = [self.source_page, self.system_page, self.volumes_page, self.config_page, self.host_page,
                      self.path_page, self.networks_page, self.summary_page]
        for page in self.pages:
            self.addPage(page)
        self.steps = wizard_steps(self, self.tr("Wizard steps"), [p.step for p in self.pages])
        self.currentIdChanged.connect(self._page_changed)
        self.script_dialog: ScriptDialog | None = None
        self.resize(860, 560)
        mark_step(self.steps, 0)

    def _page_changed(self, current: int) -> None:
        mark_step(self.steps, current)
        page = self.currentPage()
        if page is not None:
            page.changed()

    @property
    def facts(self):  # the New VM wizard's pages ask for it; nothing here decides from it
        return None

    # --- what is asked ---------------------------------------------------------------------------------------------
    def params(self) -> dict:
        """conn.convert_physical's arguments as chosen so far (the pages not reached yet give their defaults)."""
        return {"from_": self.source_page.from_(), "disks": self.volumes_page.chosen(),
                "name": self.config_page.vm_name(), "path": self.path_page.path(),
                "network_map": self.networks_page.network_map(), "freeze": self.volumes_page.frozen()}

    def planned(self):
        """(host, arguments) of the dry run that plans the capture as chosen so far; None before the scan or with no
        disk chosen."""
        params = self.params()
        if self.system_page.answer() is None or not params["disks"]:
            return None
        return self.destination, params

    def dry_run_op(self, session, owner=None, **params):
        """The dry run the shared pages' DryRun asks (vm.convert.physical instead of vm.convert)."""
        return p2v_ops.dry_run(session, owner=owner, **params)

    def set_destination(self, host) -> None:
        self.destination = host

    # --- View Script and Finish ------------------------------------------------------------------------------------
    def show_script(self) -> None:
        button = self.summary_page.view_script
        button.setEnabled(False)

        def shown(script) -> None:
            button.setEnabled(True)
            self.script_dialog = ScriptDialog(script.title, script.command_line, script.python, self,
                                              tasks=self.destination.tasks)
            self.script_dialog.open()

        def failed(error: BaseException) -> None:
            button.setEnabled(True)
            self.summary_page.error.set_error(describe(error))

        p2v_ops.script(self.destination, owner=self, changes=self.config_page.changes(), **self.params()).success(
            shown).failure(failed).run()

    def accept(self) -> None:
        """Finish: the host starts capturing (a job); the wizard closes once the job has started, and stays open
        with the host's message if it refuses."""
        if self.converting or not self.summary_page.isComplete():
            return
        self.converting = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.summary_page.error.set_info(self.tr("Starting the conversion on {host}...").format(
            host=self.destination.host_label))
        host = self.destination
        changes, name = self.config_page.changes(), self.config_page.vm_name()
        p2v_ops.convert(host, owner=self, **self.params()).success(
            lambda job: self._started(job, host, name, changes)).failure(self._failed).run()

    def _started(self, job: dict, host, name: str, changes: dict) -> None:
        self.converting = False
        if changes and isinstance(job, dict) and "id" in job:
            adjust_when_done(host, job["id"], name, changes)
        self.created.emit(job, host)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self.converting = False
        self.summary_page.error.set_error(self.tr("The host did not start the conversion: {why}").format(
            why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.summary_page.isComplete())


def adjust_when_done(session, job_id, name: str, changes: dict) -> None:
    """Once the capture job ``job_id`` completes, the new VM gets the memory and processors chosen (the host made
    it with the scan's); the wizard may be gone by then."""

    def done(job: dict) -> None:
        if not isinstance(job, dict) or job.get("id") != job_id:
            return
        session.job_done.disconnect(done)
        if job.get("state") == "Completed":
            p2v_ops.adjust(session, name, changes).run()

    session.job_done.connect(done)
