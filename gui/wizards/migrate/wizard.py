"""The Migrate Virtual Machine wizard (SCVMM's, with Proxmox's precheck and a prediction none of them shows):

Select Host -> Precheck -> Transfer -> Path and Networks -> Summary. One wizard for Bulkhead and libvirt hosts: a
libvirt domain skips Path and Networks (libvirt's own migration takes the domain's paths and networks as they are).
"Move VM storage..." opens it at Transfer with the VM's own host as the destination (Transfer -> Storage Path ->
Summary). Every question to a host - ratings, precheck, prediction, the move - is an operation of
gui/operations/move.py, off the GUI thread; the pages follow the answers. Finish starts the move (a job on the
source) and hands it, with the move's first progress events and the last prediction, to whoever opened the wizard
(the console opens the migration view, gui/dialogs/migration_view.py)."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from gui import operations as ops
from gui.dialogs.script import ScriptDialog
from gui.i18n import translate
from gui.tasks import describe
from gui.widgets.builders import mark_step, wizard_steps

from ..base import set_up
from . import bulk, script
from .paths import PathsPage
from .precheck import PrecheckPage
from .select_host import SelectHostPage
from .summary import SummaryPage
from .transfer import TransferPage


def host_uri(session) -> str:
    """How a script reaches the host: its URI ("" for this machine's own host service)."""
    key = str(getattr(session, "host_key", ""))
    if key.startswith(("remote:", "libvirt:")):
        return key.split(":", 1)[1]
    conn = getattr(session, "conn", None)
    return getattr(conn, "uri", "") or "" if conn is not None else ""


class MigrateWizard(QWizard):
    """``session``: the VM's host; ``hosts``: every host of the console (the VM's own among them); ``destination``:
    a host chosen beforehand (dropped on in the tree); ``storage``: start at Transfer for a storage move."""

    moving = Signal(object, object, object)  # the move's job (dict), its progress events so far, the last prediction

    def __init__(self, session, vm: dict, hosts: list, destination=None, storage: bool = False, parent=None,
                 vms: list[dict] | None = None) -> None:
        """``vms``: several VMs of ``session`` moved in one go to one host (``vm`` is the first of them)."""
        super().__init__(parent)
        self.session = session
        self.vm = dict(vm)
        self.vms = [dict(v) for v in vms] if vms and len(vms) > 1 else [self.vm]
        self.names = [v["name"] for v in self.vms]
        self.bulk = len(self.vms) > 1
        self.run: bulk.BulkRun | None = None
        storage = storage and not self.bulk
        self.hosts = list(hosts)
        self.is_libvirt = bool(getattr(session, "is_libvirt", False))
        self.storage_only = storage
        self.destination = session if storage else destination
        self.rating: dict | None = None
        self.check: dict | None = None  # the precheck's last answer
        self.description: dict | None = None
        self.facts = None  # the New VM pages' host facts: not used by these pages
        self.events: list[dict] | None = None  # the move's progress events from Finish on
        self.script_dialog: ScriptDialog | None = None
        self._starting = False
        self.started: float | None = None  # when Finish asked for the move (monotonic)
        set_up(self, "migrate_wizard",
               self.tr("Migrate Virtual Machine Wizard - {name}").format(name=self.names_text()))
        self.select_page = SelectHostPage(self)
        self.precheck_page = PrecheckPage(self)
        self.transfer_page = TransferPage(self)
        self.paths_page = PathsPage(self)
        self.summary_page = SummaryPage(self)
        self.pages = [self.select_page, self.precheck_page, self.transfer_page, self.paths_page, self.summary_page]
        self.ids = {id(page): self.addPage(page) for page in self.pages}
        if storage:
            self.setStartId(self.ids[id(self.transfer_page)])
        self.steps = wizard_steps(self, self.tr("Wizard steps"))  # filled by _show_steps, as the flow goes
        self.currentIdChanged.connect(self._page_changed)
        self.finished.connect(lambda _r: self.summary_page.stop())
        self.resize(1040, 620)
        self._show_steps()
        describing = bulk.describe_all(session, self.names, owner=self) if self.bulk else \
            ops.move.describe(session, vm["name"], owner=self)
        describing.success(self._described).failure(lambda _e: None).run()

    def names_text(self) -> str:
        """The VM's name, or for several: "3 virtual machines: web1, web2, db"."""
        if not self.bulk:
            return self.vm["name"]
        return self.tr("{count} virtual machines: {names}").format(count=len(self.names), names=", ".join(self.names))

    # --- the flow --------------------------------------------------------------------------------------------------
    @property
    def storage_move(self) -> bool:
        return self.destination is not None and self.destination is self.session

    def flow(self) -> list:
        """The pages this move goes through, in order."""
        pages = [self.transfer_page, self.paths_page, self.summary_page] if self.storage_only else list(self.pages)
        if self.is_libvirt:
            pages.remove(self.paths_page)
        return pages

    def nextId(self) -> int:
        flow = self.flow()
        current = self.currentPage()
        if current not in flow:
            return -1
        i = flow.index(current)
        return self.ids[id(flow[i + 1])] if i + 1 < len(flow) else -1

    def _show_steps(self) -> None:
        flow = self.flow()
        self.steps.clear()
        self.steps.addItems([p.step_name() if hasattr(p, "step_name") else p.step for p in flow])
        current = self.currentPage()
        mark_step(self.steps, flow.index(current) if current in flow else -1)

    def _page_changed(self, _id: int) -> None:
        self._show_steps()

    def flow_changed(self) -> None:
        """A choice changed which pages come next (or what they are called): the list of steps follows."""
        self._show_steps()

    def go_to(self, page) -> None:
        """Show ``page`` of the flow, passing through the pages between as Next does (each must be complete)."""
        while self.currentPage() is not page:
            before = self.currentPage()
            flow = self.flow()
            if page in flow and flow.index(before) < flow.index(page):
                self.next()
            else:
                self.back()
            if self.currentPage() is before:
                return

    # --- what the pages share --------------------------------------------------------------------------------------
    def _described(self, description: dict) -> None:
        self.description = description if isinstance(description, dict) else {}
        if self.currentPage() is self.paths_page:
            self.paths_page.initializePage()

    def choose_destination(self, session, rating: dict | None = None) -> None:
        if session is not self.destination:
            self.check = None
            self.precheck_page.result = None
        self.destination = session
        self.rating = rating

    def checked(self, result: dict) -> None:
        self.check = result

    def transfer_type(self) -> str:
        if self.storage_move:
            return "storage"
        if self.transfer_page.chosen():
            return self.transfer_page.type_param()
        return "auto"

    def check_params(self, name: str | None = None) -> dict:
        """The precheck's parameters from the choices so far (type, path, network map, bandwidth limit); ``name``:
        one VM of several (its own automatic type)."""
        params = {"type": self.transfer_page.type_for(name) if name and self.transfer_page.chosen() else
                  self.transfer_type()}
        if self.paths_page in self.flow() and self.transfer_page.chosen():
            params.update(path=self.paths_page.path_value(), network_map=self.paths_page.network_map())
        bandwidth = self.transfer_page.options()["bandwidth"]
        if bandwidth:
            params["bandwidth"] = float(bandwidth)
        return params

    def precheck_op(self, dst, owner, key: str):
        """The precheck of the move (of each VM, for several) with the choices so far, as an operation."""
        if self.bulk:
            return bulk.precheck(self.session, {n: self.check_params(n) for n in self.names}, dst, owner=owner,
                                 key=key)
        return ops.move.precheck(self.session, self.vm["name"], dst, owner=owner, key=key, **self.check_params())

    # --- View Script ---------------------------------------------------------------------------------------------
    def script(self):
        t = self.transfer_page
        opts = t.options()
        name = self.vm["name"]
        if self.bulk:
            scripts = [script.move_script(n, host_uri(self.session), host_uri(self.destination), t.type_for(n),
                                          self.paths_page.path_value(), self.paths_page.network_map(),
                                          opts["bandwidth"], opts["downtime_limit"] if t.chosen() == "live"
                                          else script.DEFAULT_DOWNTIME, opts["auto_converge"]) for n in self.names]
            return script.combined(scripts)
        if self.is_libvirt:
            return script.libvirt_script(name, host_uri(self.session), host_uri(self.destination),
                                         live=t.chosen() == "live", copy_storage=opts["copy_storage"])
        if t.chosen() == "storage":
            return script.storage_script(name, host_uri(self.session), self.paths_page.path_value(),
                                         opts["bandwidth"])
        return script.move_script(name, host_uri(self.session), host_uri(self.destination), t.type_param(),
                                  self.paths_page.path_value(), self.paths_page.network_map(), opts["bandwidth"],
                                  opts["downtime_limit"] if t.chosen() == "live" else script.DEFAULT_DOWNTIME,
                                  opts["auto_converge"])

    def show_script(self) -> ScriptDialog:
        s = self.script()
        self.script_dialog = ScriptDialog(translate("MoveScript", s.title), s.command_line, s.python, self,
                                          tasks=self.session.tasks)
        self.script_dialog.open()
        return self.script_dialog

    # --- Finish ----------------------------------------------------------------------------------------------------
    def accept(self) -> None:
        """Finish: start the move (a job on the source); the wizard stays open with the host's message if it
        refuses."""
        if self._starting or self.currentPage() is not self.summary_page or not self.summary_page.isComplete():
            return
        self._starting = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        if self.bulk:
            self._run_all()
            return
        self.summary_page.error.set_info(self.tr("Starting the move..."))
        self.events = []
        self.started = time.monotonic()
        self.session.bridge.batch.connect(self._collect)
        t = self.transfer_page
        opts = t.options()
        if self.is_libvirt:
            op = ops.vm.migrate(self.session, self.vm, host_uri(self.destination), owner=self,
                                live=t.chosen() == "live", persistent=True, undefine_source=True,
                                copy_storage=opts["copy_storage"])
        elif t.chosen() == "storage":
            op = ops.move.move_storage(self.session, self.vm, self.paths_page.path_value(), opts["bandwidth"],
                                       owner=self)
        else:
            op = ops.move.move(self.session, self.vm, self.destination.conn, type=t.type_param(),
                               path=self.paths_page.path_value(), network_map=self.paths_page.network_map(),
                               bandwidth=opts["bandwidth"], downtime_limit=opts["downtime_limit"],
                               auto_converge=opts["auto_converge"], owner=self)
        op.success(self._started).failure(self._failed).run()

    def _run_all(self) -> None:
        """Several VMs: their moves one after another, each its own job; the wizard stays open with their list
        (Cancel stops the running one and skips the rest) and each job's migration view opens as it starts."""
        t = self.transfer_page
        opts = t.options()
        dst = self.destination.conn
        path, network_map = self.paths_page.path_value(), self.paths_page.network_map()
        by_name = {v["name"]: v for v in self.vms}
        self.summary_page.stop()
        self.started = time.monotonic()

        def start(name):
            return ops.move.move(self.session, by_name[name], dst, type=t.type_for(name), path=path,
                                 network_map=network_map, bandwidth=opts["bandwidth"],
                                 downtime_limit=opts["downtime_limit"], auto_converge=opts["auto_converge"],
                                 owner=self)

        self.run = bulk.BulkRun(self.session, self.names, start, self)
        self.run.changed.connect(self.summary_page.show_run)
        self.run.started_job.connect(lambda job, _n: self.moving.emit(job, [], None))
        self.run.done.connect(self._all_done)
        self.run.run()

    def _all_done(self) -> None:
        self._starting = False
        self.button(QWizard.WizardButton.CancelButton).setText(self.tr("Close"))

    def reject(self) -> None:
        """Cancel: while several VMs move, the running move is cancelled and the rest skipped (the wizard then
        closes as usual)."""
        if self.run is not None and not self.run.finished() and not self.run.cancelled:
            self.run.cancel()
            return
        super().reject()

    def _collect(self, batch: list) -> None:
        """The move's progress events from Finish on (the job may end before its answer comes back)."""
        if self.events is None:
            return
        vm_id = self.vm.get("id")
        now = time.monotonic()
        self.events += [dict(d, at=now) for kind, d in batch if kind == "vm.move.progress" and d.get("id") == vm_id]

    def _stop_collecting(self) -> list[dict]:
        events, self.events = self.events or [], None
        try:
            self.session.bridge.batch.disconnect(self._collect)
        except (RuntimeError, TypeError):
            pass
        return events

    def _started(self, job: dict) -> None:
        self._starting = False
        events = self._stop_collecting()
        self.summary_page.stop()
        self.moving.emit(job, events, self.summary_page.prediction)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._starting = False
        self._stop_collecting()
        self.summary_page.error.set_error(self.tr("The move did not start: {why}").format(why=describe(error)))
        self.button(QWizard.WizardButton.FinishButton).setEnabled(self.summary_page.isComplete())
