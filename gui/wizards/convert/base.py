"""What the Convert Virtual Machine, Convert Physical Server and Import Virtual Machine wizards share: the hosts that
may take the VM, the host chosen, the steps at the side, and Finish (the host starts the job and the wizard hands it
over)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from gui.dialogs.script import ScriptDialog
from gui.tasks import describe
from gui.widgets.builders import mark_step

from ..base import add_pages, set_up


class ConvertBase(QWizard):
    """``session``: the host that reads the source first (the active one); ``hosts``: the console's hosts, any of
    which may take the VM. A subclass gives ``texts()`` (its translated messages), ``convert_op(host)`` (the job's
    HostOp) and, after ``super().__init__``, its pages to ``add_pages``."""

    created = Signal(object, object)  # the job (a dict), the session of the host that runs it

    def __init__(self, session, hosts: list | None, parent, name: str, title: str) -> None:
        super().__init__(parent)
        self.session = session
        self.hosts = list(hosts or [session])
        if session not in self.hosts:
            self.hosts.insert(0, session)
        self.destination = session
        self.converting = False
        set_up(self, name, title)

    def add_pages(self, pages: list, steps_title: str, width: int, height: int) -> list:
        """A page of each class of ``pages``, made in order, added (see ``gui.wizards.base.add_pages``) and returned;
        the window ``width`` x ``height``. (No page asks for another while it is made.)"""
        made = add_pages(self, [page(self) for page in pages], steps_title)
        self.currentIdChanged.connect(self._page_changed)
        self.script_dialog: ScriptDialog | None = None
        self.resize(width, height)
        mark_step(self.steps, 0)
        return made

    def _page_changed(self, current: int) -> None:
        mark_step(self.steps, current)
        page = self.currentPage()
        if page is not None:  # Back shows a page without initialising it: what it says follows the choices since
            page.changed()

    @property
    def facts(self):  # the New VM wizard's pages ask for it; nothing here decides from it
        return None

    def set_destination(self, host) -> None:
        self.destination = host

    def texts(self) -> dict:
        """The messages of Finish, translated: "starting" (with {host}) and "failed" (with {why})."""
        raise NotImplementedError

    def convert_op(self, host):
        """The HostOp that has ``host`` start the conversion as chosen (answering the job)."""
        raise NotImplementedError

    def accept(self) -> None:
        """Finish: the host starts converting (a job); the wizard closes once the job has started, and stays open
        with the host's message if it refuses."""
        if self.converting or not self.summary_page.isComplete():
            return
        self.converting = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.summary_page.error.set_info(self.texts()["starting"].format(host=self.destination.host_label))
        host = self.destination
        self.convert_op(host).success(lambda job: self._started(job, host)).failure(self._failed).run()

    def _started(self, job: dict, host) -> None:
        self.converting = False
        self.created.emit(job, host)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self.converting = False
        self.summary_page.error.set_error(self.texts()["failed"].format(why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.summary_page.isComplete())
