"""The Import Virtual Machine wizard (Hyper-V's): Locate Folder -> Select Virtual Machine -> Choose Import Type ->
Summary. The folder is a path on the host chosen; that host reads it (vm.import.read, nothing written) and says
what it holds and which import modes it takes. Finish starts the host's "Import VM" job (the jobs strip follows
it) and hands it over (``created``): the window selects the imported VM when the job completes. Every host call
leaves the GUI thread (gui/operations/export_import.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.operations import export_import as export_ops

from ..convert.base import ConvertBase
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


class ImportWizard(ConvertBase):
    """``session``: the host chosen first; ``hosts``: the console's hosts, any of which may import. Finish, the
    hosts and the steps at the side are the Convert wizards' (``ConvertBase``)."""

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(session, hosts, parent, "import_wizard", self.tr("Import Virtual Machine"))
        (self.locate_page, self.select_page, self.type_page, self.summary_page) = self.add_pages(
            [LocateFolderPage, SelectVmPage, ImportTypePage, ImportSummaryPage], self.tr("Wizard steps"), 780, 520)

    @property
    def importing(self) -> bool:
        """Finish has asked the host to start the import and it has not answered yet."""
        return self.converting

    def able(self, host) -> tuple[bool, str]:
        if host.conn is None:
            return False, self.tr("not connected: {why}").format(why=host.last_error or self.tr("connecting"))
        return host.can(CAPABILITY)

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

    def texts(self) -> dict:
        return {"starting": self.tr("Starting the import on {host}..."),
                "failed": self.tr("The host did not start the import: {why}")}

    def convert_op(self, host):
        """The host starts the import as chosen (a job)."""
        p = self.params()
        return export_ops.import_vm(host, p["path"], p.get("mode", "copy"), p.get("name", ""), owner=self)
