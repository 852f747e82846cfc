"""The Convert Virtual Machine wizard (SCVMM's V2V): Select Source -> VM Identity -> Conversion Report -> Select
Host -> Path -> Networks -> Summary. The source is a path on the host that converts it; each page asks that host
for a dry run of the conversion as chosen so far (nothing is written) and says what it recognised, planned or
refused. Finish starts the host's "Convert VM" job (the jobs strip follows it) and hands it over (``created``):
the window selects the new VM when the job completes. Every call leaves the GUI thread (gui/operations/convert.py).
"""

from __future__ import annotations

from gui.operations import convert as convert_ops

from .base import ConvertBase
from .common import source_rows
from .host import ConvertHostPage
from .identity import ConvertIdentityPage
from .networks import ConvertNetworksPage
from .path import ConvertPathPage
from .report import ConvertReportPage
from .source import ConvertSourcePage
from .summary import ConvertSummaryPage


class ConvertWizard(ConvertBase):
    """``session``: the host the source is read on first (the active one); ``hosts``: the console's hosts, any of
    which may take the VM."""

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(session, hosts, parent, "convert_wizard", self.tr("Convert Virtual Machine"))
        (self.source_page, self.identity_page, self.report_page, self.host_page, self.path_page, self.networks_page,
         self.summary_page) = self.add_pages([ConvertSourcePage, ConvertIdentityPage, ConvertReportPage,
                                              ConvertHostPage, ConvertPathPage, ConvertNetworksPage,
                                              ConvertSummaryPage], self.tr("Wizard steps"), 820, 540)

    # --- what is asked ---------------------------------------------------------------------------------------------
    def source_rows(self, answer: dict) -> list[tuple[str, str]]:
        return source_rows(answer)

    def params(self) -> dict:
        """convert_vm's arguments as chosen so far (the pages not reached yet give their defaults)."""
        return {"source": self.source_page.source(), "name": self.identity_page.vm_name(),
                "path": self.path_page.path(), "network_map": self.networks_page.network_map(),
                "notes": self.identity_page.vm_notes()}

    def planned(self):
        """(host, arguments) of the dry run that plans the conversion as chosen so far; None without a source."""
        params = self.params()
        return (self.destination, params) if params["source"] else None

    # --- View Script and Finish ------------------------------------------------------------------------------------
    def show_script(self) -> None:
        self.summary_page.open_script(convert_ops.script(self.destination, owner=self, **self.params()),
                                      self.destination.tasks)

    def texts(self) -> dict:
        return {"starting": self.tr("Starting the conversion on {host}..."),
                "failed": self.tr("The host did not start the conversion: {why}")}

    def convert_op(self, host):
        return convert_ops.convert(host, owner=self, **self.params())
