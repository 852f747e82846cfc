"""Select Host (SCVMM's): every host of the console that could take the VM, with its star rating in half stars, the
transfer type the move would use, free memory, a CPU load sparkline and the backend. Sortable; a host with 0 stars
says why in its row. "Rating explanation" for the selected host; Customize Ratings... re-rates at once.

The ratings come from the API (``api.rate_hosts`` through gui/operations/move.py), off the GUI thread; hosts that
are not connected are listed with 0 stars and their link's reason without being asked."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout

from gui import format as fmt
from gui import operations as ops
from gui import placement_words
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.models.vm_table import HISTORY_ROLE
from gui.tasks import describe
from gui.widgets.builders import add_message, push_button
from gui.widgets.delegates import SparklineDelegate
from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named
from gui.widgets.tables import list_table

from ..new_vm.common import Page
from . import bulk
from .ratings import CustomizeRatingsDialog, expected_load
from .stars import STARS_ROLE, StarDelegate

COLUMNS = (QT_TRANSLATE_NOOP("SelectHostPage", "Rating"), QT_TRANSLATE_NOOP("SelectHostPage", "Host"),
           QT_TRANSLATE_NOOP("SelectHostPage", "Transfer type"), QT_TRANSLATE_NOOP("SelectHostPage", "Free memory"),
           QT_TRANSLATE_NOOP("SelectHostPage", "CPU load"), QT_TRANSLATE_NOOP("SelectHostPage", "Backend"),
           QT_TRANSLATE_NOOP("SelectHostPage", "Why"))
RATING, HOST, TRANSFER, MEMORY, CPU, BACKEND, WHY = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 41
INDEX_ROLE = Qt.ItemDataRole.UserRole + 42  # the row's host: its index in the wizard's hosts
TRANSFER_TEXT = {"live": QT_TRANSLATE_NOOP("Transfer", "Live"), "quick": QT_TRANSLATE_NOOP("Transfer", "Quick"),
                 "storage": QT_TRANSLATE_NOOP("Transfer", "Storage"),
                 "network": QT_TRANSLATE_NOOP("Transfer", "Network copy")}


def transfer_text(kind: str) -> str:
    return translate("Transfer", TRANSFER_TEXT[kind]) if kind in TRANSFER_TEXT else kind


class SelectHostPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Select Host"),
                         self.tr("Choose where {name} goes. The stars weigh each host's free memory, CPU load, disk "
                                 "and network with this VM placed there.").format(name=wizard.names_text()) if not
                         wizard.bulk else self.tr("Choose where {names} go, one after another. The stars weigh each "
                                                  "host's free memory, CPU load, disk and network with all of them "
                                                  "placed there (their loads summed).").format(
                             names=wizard.names_text()),
                         self.tr("Select Host"), layout=QVBoxLayout)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.model.setSortRole(SORT_ROLE)
        self.table = list_table("host_ratings", self.tr("Hosts and their ratings"), self.model, RATING,
                                Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(RATING, StarDelegate(self.table))
        self.table.setItemDelegateForColumn(CPU, SparklineDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        fit = QHeaderView.ResizeMode.ResizeToContents
        fixed, free = QHeaderView.ResizeMode.Fixed, QHeaderView.ResizeMode.Interactive
        for col, mode, width in ((RATING, fixed, 92), (HOST, free, 160), (TRANSFER, fit, 0), (MEMORY, fit, 0),
                                 (CPU, fixed, 70), (BACKEND, free, 90)):
            header.setSectionResizeMode(col, mode)
            if width:
                self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.box.addWidget(self.table, 3)
        box = QGroupBox(self.tr("Rating explanation"))
        v = QVBoxLayout(box)
        self.explanation = WrappedLabel()
        self.explanation.setObjectName("rating_explanation")
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.explanation)
        self.box.addWidget(box, 2)
        row = QHBoxLayout()
        self.goal_label = QLabel()
        self.goal_label.setObjectName("rating_goal")
        row.addWidget(self.goal_label, 1)
        self.customize = push_button(self.tr("C&ustomize Ratings..."), "customize_ratings_button",
                                     self.open_customize)
        row.addWidget(self.customize)
        self.refresh = push_button(self.tr("&Rate Again"), "rate_again", self.rate)
        row.addWidget(self.refresh)
        self.box.addLayout(row)
        self.status = named(WrappedLabel(), "ratings_status")  # German takes two lines
        self.box.addWidget(self.status)
        self.message = add_message(self.box, "select_host_message")
        self.goal = "balance"
        self.weights: dict | None = None
        self.load: dict | None = None  # the VM's expected load as customized (None: as measured)
        self.measured: dict | None = None
        self.ratings: list[dict] = []
        self.answers = 0  # rating answers shown (tests wait on it)
        self.customize_dialog: CustomizeRatingsDialog | None = None
        self._rating = False
        self._show_goal()
        self.table.setWhatsThis(self.tr("Every host the console knows, rated from 0 to 5 stars for this VM from its "
                                        "free memory, CPU load, disk and network with the VM placed there. Select a "
                                        "host to read why; a host with 0 stars says why it cannot take the VM "
                                        "(bulkhead host rate VM --explain)."))

    # --- asking ----------------------------------------------------------------------------------------------------
    def initializePage(self) -> None:
        if not self.ratings and not self._rating:
            self.rate()
        if self.measured is None:
            measuring = bulk.load(self.wiz.session, self.wiz.names, owner=self) if self.wiz.bulk else \
                ops.move.vm_load(self.wiz.session, self.wiz.vm["name"], owner=self)
            measuring.success(self._measured).failure(lambda _e: None).run()
        self.changed()

    def _measured(self, load: dict) -> None:
        self.measured = load if isinstance(load, dict) else {}

    def rate(self) -> None:
        candidates = [(h.host_label, h.conn) for h in self.wiz.hosts if h.conn is not None]
        if not candidates:
            self.status.setText(self.tr("No host is connected."))
            return
        self._rating = True
        self.status.setText(self.tr("Rating {count} hosts...").format(count=len(candidates)))
        self._asked = [h for h in self.wiz.hosts if h.conn is not None]
        if self.wiz.bulk:  # one rating of the hosts for the VMs' summed load
            rating = bulk.rate(self.wiz.session, self.wiz.names, candidates, self.goal, self.weights, self.load,
                               owner=self)
        else:
            rating = ops.move.rate(self.wiz.session, self.wiz.vm["name"], candidates, self.goal, self.weights,
                                   self.load, owner=self)
        rating.success(self._rated).failure(self._failed).run()
        self.changed()

    def _rated(self, ratings: list[dict]) -> None:
        self._rating = False
        self.answers += 1
        asked = self._asked
        out = []
        for r in ratings:
            i = r.get("index")
            host = asked[i] if isinstance(i, int) and 0 <= i < len(asked) else None
            if host is not None:
                out.append(dict(r, session=host))
        for h in self.wiz.hosts:  # the hosts not asked: not connected
            if h not in asked:
                reason = h.link.get("reason") or h.last_error or self.tr("not connected")
                out.append({"host": h.host_label, "stars": 0.0, "suitable": False, "session": h,
                            "explanation": [self.tr("{host} is not connected: {why}").format(host=h.host_label,
                                                                                             why=reason)],
                            "transfer_type": "", "memory_free": None, "cpu_history": [], "backend": ""})
        self.ratings = out
        self.status.setText(self.tr("{count} hosts rated; sort by any column, select one to see its rating "
                                    "explained").format(count=len(out)))
        self._fill()

    def _failed(self, error: BaseException) -> None:
        self._rating = False
        self.status.setText(self.tr("The hosts could not be rated: {why}").format(why=describe(error)))
        self.changed()

    # --- showing ---------------------------------------------------------------------------------------------------
    def _fill(self) -> None:
        wanted = self.wiz.destination
        current = self.selected()
        keep = current["session"] if current else wanted
        self.model.removeRows(0, self.model.rowCount())
        for r in self.ratings:
            self.model.appendRow(self._row(r))
        self.table.sortByColumn(self.table.horizontalHeader().sortIndicatorSection(),
                                self.table.horizontalHeader().sortIndicatorOrder())
        target = next((row for row in range(self.model.rowCount())
                       if self._rating_at(row)["session"] is keep), None) if keep is not None else None
        if target is None:  # the best suitable host other than the VM's own (a storage move is chosen, not offered)
            target = next((row for row in range(self.model.rowCount())
                           if self._rating_at(row)["suitable"] and self._rating_at(row)["session"] is not
                           self.wiz.session), None)
        if target is not None:
            self.table.selectRow(target)
        self._selected()

    def _row(self, r: dict) -> list[QStandardItem]:
        stars = float(r.get("stars") or 0.0)
        index = self.ratings.index(r)
        items = [QStandardItem() for _ in COLUMNS]
        items[RATING].setData(stars, STARS_ROLE)
        items[RATING].setData(stars * 10 + float(r.get("score") or 0.0), SORT_ROLE)  # stars, then score
        items[RATING].setText(self.tr("{stars} stars").format(stars=f"{stars:g}"))
        items[RATING].setData(self.tr("{stars} of 5 stars").format(stars=f"{stars:g}"),
                              Qt.ItemDataRole.AccessibleTextRole)
        label = r["session"].host_label or r.get("host", "")
        if r["session"] is self.wiz.session:
            label = self.tr("{host} (this VM's host)").format(host=label)
        items[HOST].setText(label)
        items[HOST].setData(label.lower(), SORT_ROLE)
        kind = r.get("transfer_type") or ""
        items[TRANSFER].setText(transfer_text(kind) if r.get("suitable") or kind == "storage" else "")
        items[TRANSFER].setData(items[TRANSFER].text(), SORT_ROLE)
        free = r.get("memory_free")
        items[MEMORY].setText(fmt.size(free) if free is not None else "")
        items[MEMORY].setData(free if free is not None else -1, SORT_ROLE)
        history = [v for v in r.get("cpu_history") or [] if isinstance(v, (int, float))]
        items[CPU].setData(history, HISTORY_ROLE)
        cpu = r.get("cpu_percent")
        items[CPU].setData(cpu if cpu is not None else -1, SORT_ROLE)
        items[CPU].setToolTip(self.tr("{percent} % on average").format(percent=f"{cpu:.0f}") if cpu is not None
                              else self.tr("no load measured yet"))
        items[BACKEND].setText(r.get("backend") or "")
        items[BACKEND].setData(items[BACKEND].text(), SORT_ROLE)
        lines = [placement_words.text(line) for line in r.get("explanation") or []]
        why = lines[0] if lines and not r.get("suitable") else ""
        items[WHY].setText(why)
        items[WHY].setData(why, SORT_ROLE)
        tip = "\n".join(lines)
        for item in items:
            item.setData(index, INDEX_ROLE)
            item.setToolTip(item.toolTip() or tip)
            item.setEditable(False)
        return items

    def _rating_at(self, row: int) -> dict:
        return self.ratings[self.model.item(row, RATING).data(INDEX_ROLE)]

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.model.rowCount() else []
        return self._rating_at(rows[0].row()) if rows else None

    def select_host(self, session) -> bool:
        row = next((row for row in range(self.model.rowCount()) if self._rating_at(row)["session"] is session), None)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _selected(self, *_args) -> None:
        r = self.selected()
        if r is None:
            self.explanation.setText(self.tr("Select a host to see why it has its rating."))
        else:
            stars = self.tr("<b>{host}: {stars} of 5 stars</b>").format(host=escape(r["session"].host_label),
                                                                         stars=f"{float(r.get('stars') or 0):g}")
            lines = "".join(f"<li>{escape(placement_words.text(line), quote=False)}</li>"
                            for line in r.get("explanation") or [])
            self.explanation.setText(f"{stars}<ul style='margin-left: 12px; -qt-list-indent: 0'>{lines}</ul>")
            self.wiz.choose_destination(r["session"], r)
        self.changed()

    def _show_goal(self) -> None:
        goal = self.tr("resource maximization") if self.goal == "maximize" else self.tr("load balancing")
        custom = self.weights is not None or self.load is not None
        self.goal_label.setText((self.tr("Rated for {goal}, with customized importance and load") if custom else
                                 self.tr("Rated for {goal}, from the VM's measured load")).format(goal=goal))

    # --- Customize Ratings ---------------------------------------------------------------------------------------
    def open_customize(self) -> CustomizeRatingsDialog:
        measured = self.measured or {}
        dialog = CustomizeRatingsDialog(self.goal, self.weights, self.load or expected_load(measured), measured, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(lambda: self.customized(dialog.goal(), dialog.weights(), dialog.load()))
        dialog.finished.connect(lambda _r: setattr(self, "customize_dialog", None))
        self.customize_dialog = dialog
        dialog.open()
        return dialog

    def customized(self, goal: str, weights: dict, load: dict) -> None:
        self.goal, self.weights, self.load = goal, weights, load
        self._show_goal()
        self.rate()

    # --- the page --------------------------------------------------------------------------------------------------
    def refusal(self) -> str:
        """Why the VM's host moves no VM to another host ("" if it does): a libvirt host's migration, a Bulkhead
        host's moves."""
        able, why = self.wiz.session.can("migrate" if self.wiz.is_libvirt else "move")
        return "" if able else why

    def problem(self) -> str | None:
        r = self.selected()
        refused = self.refusal()
        if refused and (r is None or r["session"] is not self.wiz.session):
            return self.tr("{host} cannot move its VMs to another host: {why}").format(
                host=self.wiz.session.host_label, why=refused)
        if r is None:
            return self.tr("Rating the hosts...") if self._rating else self.tr("Choose a host.")
        if r["session"] is self.wiz.session and self.wiz.bulk:
            return self.tr("Choose another host: several VMs move together only to another host.")
        if r["session"] is self.wiz.session:
            able, why = self.wiz.session.can("move_storage")
            return None if able else self.tr("The VM is on {host}, which cannot move its storage: {why}").format(
                host=r["session"].host_label, why=why)
        if not r.get("suitable"):
            lines = [placement_words.text(line) for line in r.get("explanation") or [""]]
            if self.wiz.bulk:
                return self.tr("{host} cannot take these VMs: {why}").format(host=r["session"].host_label,
                                                                              why=lines[0])
            return self.tr("{host} cannot take this VM: {why}").format(host=r["session"].host_label, why=lines[0])
        return None

    def update_messages(self) -> None:
        problem = self.problem()
        if problem and (self.ratings or self.refusal()):
            self.message.set_error(problem)
        else:
            self.message.clear()
