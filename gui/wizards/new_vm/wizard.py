"""The New Virtual Machine wizard (Hyper-V Manager's, with SCVMM's View Script).

Name and location -> Memory -> Processors -> Networking -> Virtual hard disk -> Installation options -> Summary.
Every page checks its fields as you type and says what is wrong next to them. As in Hyper-V, Finish is there on
every page once the name is valid: the pages not visited keep their defaults. The wizard opens with what the
session knows of the host and asks it once, off the GUI thread, for its capabilities and limits; the pages decide
what to offer from those (host.py). Finish checks the VM as a ``VmSpec`` against the host's kind and limits, then
creates it in a worker - after the new disk's own job where the host makes disks that way - and if the host
refuses, its message appears on the summary page. View Script shows the same steps (``conn.script_steps``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from core import api
from core.model.errors import BulkheadError
from core.model.spec import VmSpec
from gui import operations as ops
from gui.dialogs.script import ScriptDialog
from gui.tasks import describe
from gui.widgets.builders import mark_step

from ..base import add_pages, set_up
from . import host
from .common import translate
from .disk import DiskPage
from .installation import InstallPage
from .memory import MemoryPage
from .name import NamePage
from .networking import NetworkPage
from .processors import ProcessorsPage
from .summary import SummaryPage


def create_with_disk(conn, disk: tuple[str, dict], params: dict) -> dict:
    """Worker: the new disk (a job the host runs; the jobs strip shows it), then the VM that uses it."""
    _method, d = disk
    job = conn.new_disk(d["path"], d["size"], d["kind"]).wait()
    if job.state != "Completed":
        raise api.OperationFailed(translate("NewVmWizard", "cannot create the virtual hard disk: {why}").format(
            why=job.error or job.state))
    try:
        return conn.new_vm(**params).to_dict()
    except api.BulkheadError as e:
        raise type(e)(translate("NewVmWizard", "{error} (the new disk {path} was kept: choose it as an existing "
                                               "disk)").format(error=e, path=d["path"])) from None


class NewVmWizard(QWizard):
    """Needs the console session (connection, tasks, host info, existing names)."""

    created = Signal(object)  # the creation job (a dict)
    host_answered = Signal()  # the host's capabilities and limits arrived

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        set_up(self, "new_vm_wizard", self.tr("New Virtual Machine Wizard"))
        # as in Hyper-V: Finish on every page once the name is valid, the pages not visited keeping their defaults
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.host = dict(session.host or {})
        self.facts = host.initial(session)
        self.existing_names = session.vm_model.names()
        self.name_page = NamePage(self)
        self.memory_page = MemoryPage(self)
        self.processors_page = ProcessorsPage(self)
        self.network_page = NetworkPage(self)
        self.disk_page = DiskPage(self)
        self.install_page = InstallPage(self)  # asks the name page (made first) for the name
        self.summary_page = SummaryPage(self)
        # final: Finish enabled wherever the page is complete (the name page: a valid name)
        add_pages(self, [self.name_page, self.memory_page, self.processors_page, self.network_page, self.disk_page,
                         self.install_page, self.summary_page], self.tr("Wizard steps"), final=True)
        self.currentIdChanged.connect(self._page_changed)
        self._creating = False
        self.script_dialog: ScriptDialog | None = None
        self.resize(760, 500)
        self._page_changed(0)
        # capabilities, limits and URI in one request, without the key the session's own refreshes use (a
        # request of theirs meanwhile would replace this one): no named operation does that yet
        session.call(host.ask, owner=self, on_done=self._host_answered, on_error=lambda _e: None)

    def _host_answered(self, answer) -> None:
        """The host's own capabilities and limits: every page follows them from now on."""
        self.facts = host.answered(self.facts, self.session, answer)
        for page in self.pages:
            page.host_changed()
        self.host_answered.emit()

    def _page_changed(self, current: int) -> None:
        mark_step(self.steps, current)

    # --- what will be created ------------------------------------------------------------------------------------
    def params(self) -> dict:
        disk, controller = self.disk_page.disk()
        return {
            "name": self.name_page.name.text().strip(),
            "memory": self.memory_page.memory.value() << 20,
            "vcpus": self.processors_page.vcpus.value(),
            "workload": self.install_page.workload_value(),
            "image": self.install_page.image_value(),
            "cmdline": self.install_page.cmdline.text().strip(),
            "notes": self.name_page.notes.toPlainText(),
            "disk": disk,
            "disk_controller": controller,
            "network": self.network_page.network(),
            "ip": self.network_page.ip.text().strip() if self.network_page.network() else "",
            "integration_services": self.install_page.integration.isChecked(),
            "start": self.summary_page.start.isChecked(),
            **self.install_page.kind_values(),
            **self.disk_page.vm_job_params(),
        }

    def spec(self) -> VmSpec:
        """The VM as vm.new takes it, checked against the host's kind of settings and its limits (UsageError with
        one line if something does not fit)."""
        return VmSpec(**self.params()).validate(self.facts.kind, self.facts.limits)

    def spec_problem(self) -> str | None:
        try:
            self.spec()
        except BulkheadError as e:
            return str(e)
        return None

    def steps_to_run(self) -> list[tuple[str, dict]]:
        """The host methods Finish runs, in order: the new disk's job where the host makes disks as jobs of their
        own, then the VM's (which makes its new disk itself where the host does that)."""
        disk = self.disk_page.disk_step()
        vm = ("vm.new", self.spec().to_dict())
        return [disk, vm] if disk else [vm]

    # --- View Script and Finish ----------------------------------------------------------------------------------
    def show_script(self) -> None:
        try:
            steps = self.steps_to_run()
        except BulkheadError as e:
            self.summary_page.error.set_error(str(e))
            return
        self.summary_page.open_script(ops.vm.script(self.session, steps, owner=self), self.session.tasks)

    def go_to(self, page) -> None:
        """Show ``page``, passing through the pages between (each is initialised as Next and Back do)."""
        target = self.pages.index(page)
        while self.currentPage() is not page:
            before = self.currentPage()
            if self.pages.index(before) < target:
                self.next()
            else:
                self.back()
            if self.currentPage() is before:  # refused to move (cannot happen with these pages): stay
                return

    def _show_error(self, text: str) -> None:
        """A refusal of the whole VM: on the summary page, which shows what was asked for."""
        self.go_to(self.summary_page)
        self.summary_page.error.set_error(text)

    def accept(self) -> None:
        """Finish (from any page once the name is valid): create the new disk (a job) and then the VM, in a worker
        (where the VM's job makes its disk, one job does both); stay open with the host's message if it refuses.
        A page whose setting is not right yet - one not visited keeps its defaults - is shown with its message."""
        if self._creating:
            return
        wrong = next((p for p in self.pages if p is not self.summary_page and p.problem() is not None), None)
        if wrong is not None:
            self.go_to(wrong)
            wrong.changed()
            return
        try:
            spec = self.spec()
        except BulkheadError as e:
            self._show_error(str(e))
            return
        self._creating = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        params = spec.params()
        disk = self.disk_page.disk_step()
        new_disk = self.disk_page.new_disk()
        if disk is None:
            self.summary_page.error.set_info(
                self.tr("Creating the virtual machine and its new disk {name}...").format(name=new_disk["name"])
                if new_disk else self.tr("Creating the virtual machine..."))
            ops.vm.new_vm(self.session, params, owner=self).success(self._created).failure(self._failed).run()
            return
        self.summary_page.error.set_info(self.tr("Creating the virtual hard disk {name}, then the virtual "
                                                 "machine...").format(name=new_disk["name"]))
        # two jobs, the second once the first has made the disk: no named operation does that yet
        self.session.call(create_with_disk, disk, params, owner=self, on_done=self._created_with_disk,
                          on_error=self._failed)

    def _created_with_disk(self, job: dict) -> None:
        self.session.track_job(job)
        self._created(job)

    def _created(self, job: dict) -> None:
        """The VM's job has started (the session follows it)."""
        self._creating = False
        self.created.emit(job)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._creating = False
        self._show_error(self.tr("The host did not create the virtual machine: {why}").format(why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.currentPage().isComplete())
