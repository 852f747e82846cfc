"""The Convert Physical Server wizard (SCVMM's P2V): Select Source -> System Information -> Volume Configuration ->
VM Configuration -> Select Host -> Path -> Networks -> Summary. The host scans the machine (its own, or another one
over SSH), then plans the capture of the disks chosen (a dry run: nothing is written) on each page that changes
it. Finish starts the host's "Convert physical server" job (the jobs strip follows it) and hands it over
(``created``): the window selects the new VM when the job completes. The Select Host, Path and Networks pages are
the Convert Virtual Machine wizard's. Every call leaves the GUI thread (gui/operations/convert_physical.py)."""

from __future__ import annotations

from gui.operations import convert_physical as p2v_ops

from ..convert.base import ConvertBase
from ..convert.host import ConvertHostPage
from ..convert.networks import ConvertNetworksPage
from ..convert.path import ConvertPathPage
from .config import PhysicalConfigPage
from .source import PhysicalSourcePage
from .summary import PhysicalSummaryPage
from .system import PhysicalSystemPage
from .volumes import PhysicalVolumesPage


class ConvertPhysicalWizard(ConvertBase):
    """``session``: the host that scans the machine (the active one); ``hosts``: the console's hosts, any of which
    may take the VM."""

    capability = "convert_physical"  # what Select Host asks of a host

    def __init__(self, session, hosts: list | None = None, parent=None) -> None:
        super().__init__(session, hosts, parent, "convert_physical_wizard", self.tr("Convert Physical Server"))
        (self.source_page, self.system_page, self.volumes_page, self.config_page, self.host_page, self.path_page,
         self.networks_page, self.summary_page) = self.add_pages(
            [PhysicalSourcePage, PhysicalSystemPage, PhysicalVolumesPage, PhysicalConfigPage, ConvertHostPage,
             ConvertPathPage, ConvertNetworksPage, PhysicalSummaryPage], self.tr("Wizard steps"), 860, 560)
        self.report_page = self.volumes_page  # the Networks page reads the plan's adapters there

    def host_subtitle(self) -> str:
        """Select Host's subtitle (the page is the Convert Virtual Machine wizard's)."""
        return self.tr("Choose the host that captures the machine's disks and keeps the virtual machine. \"This "
                       "machine\" is that host's own machine: it is scanned again.")

    # --- what is asked ---------------------------------------------------------------------------------------------
    def params(self) -> dict:
        """conn.convert_physical's arguments as chosen so far (the pages not reached yet give their defaults)."""
        return {"from_": self.source_page.from_(), "disks": self.volumes_page.chosen(),
                "name": self.config_page.vm_name(), "path": self.path_page.path(),
                "network_map": self.networks_page.network_map(), "freeze": self.volumes_page.frozen(),
                "notes": self.config_page.vm_notes(), "vhd_type": self.volumes_page.vhd_type()}

    def planned(self):
        """(host, arguments) of the dry run that plans the capture as chosen so far; None before the scan or with no
        disk chosen."""
        params = self.params()
        if self.system_page.answer() is None or not params["disks"]:
            return None
        return self.destination, params

    def set_destination(self, host) -> None:
        """Another host: "this machine" is that host's now, and the host that scans and captures: scanned again."""
        changed = host is not self.destination
        super().set_destination(host)
        if changed:
            self.system_page.scan()

    def dry_run_op(self, session, owner=None, **params):
        """The dry run the shared pages' DryRun asks (vm.convert.physical instead of vm.convert)."""
        return p2v_ops.dry_run(session, owner=owner, **params)

    # --- View Script and Finish ------------------------------------------------------------------------------------
    def show_script(self) -> None:
        self.summary_page.open_script(p2v_ops.script(self.destination, owner=self, changes=self.config_page.changes(),
                                                     **self.params()), self.destination.tasks)

    def texts(self) -> dict:
        return {"starting": self.tr("Starting the conversion on {host}..."),
                "failed": self.tr("The host did not start the conversion: {why}")}

    def convert_op(self, host):
        """Capturing; the memory and processors chosen now are the new VM's once the job completes."""
        changes, name = self.config_page.changes(), self.config_page.vm_name()
        self._adjust = (name, changes)
        return p2v_ops.convert(host, owner=self, **self.params())

    def _started(self, job: dict, host) -> None:
        name, changes = self._adjust
        if changes and isinstance(job, dict) and "id" in job:
            adjust_when_done(host, job["id"], name, changes)
        super()._started(job, host)


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
