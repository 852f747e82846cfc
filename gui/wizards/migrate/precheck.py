"""Precheck (Proxmox's grid): the errors, warnings and notes of moving the VM to the chosen host, as the API's
precheck gives them (``Connection.move_precheck``: rows of {severity, topic, text, hint}), each with what to do.
Errors disable Next - except those a later page of the wizard fixes (a network adapter to map, a folder without
room: Path and Networks; a live move that needs files copied: Transfer), which say where to fix them. The check runs
off the GUI thread each time the page opens, and again on Check Again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gui import placement_words
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.tasks import describe
from gui.widgets.builders import add_message, button_row, push_button
from gui.widgets.field_message import WrappedLabel

from ..new_vm.common import Page

SEVERITY = {"error": QT_TRANSLATE_NOOP("PrecheckPage", "Error"),
            "warning": QT_TRANSLATE_NOOP("PrecheckPage", "Warning"),
            "info": QT_TRANSLATE_NOOP("PrecheckPage", "Information")}
ORDER = {"error": 0, "warning": 1, "info": 2}
TOPICS = {"state": QT_TRANSLATE_NOOP("PrecheckPage", "VM state"),
          "bandwidth": QT_TRANSLATE_NOOP("PrecheckPage", "Bandwidth"),
          "name": QT_TRANSLATE_NOOP("PrecheckPage", "Name"), "memory": QT_TRANSLATE_NOOP("PrecheckPage", "Memory"),
          "processors": QT_TRANSLATE_NOOP("PrecheckPage", "Processors"),
          "backend": QT_TRANSLATE_NOOP("PrecheckPage", "Backend"),
          "protocol": QT_TRANSLATE_NOOP("PrecheckPage", "Versions"),
          "image": QT_TRANSLATE_NOOP("PrecheckPage", "Guest image"), "disk": QT_TRANSLATE_NOOP("PrecheckPage", "Disk"),
          "network": QT_TRANSLATE_NOOP("PrecheckPage", "Network"),
          "space": QT_TRANSLATE_NOOP("PrecheckPage", "Free space"),
          "checkpoints": QT_TRANSLATE_NOOP("PrecheckPage", "Checkpoints"),
          "type": QT_TRANSLATE_NOOP("PrecheckPage", "Transfer type"),
          "kind": QT_TRANSLATE_NOOP("PrecheckPage", "Kind of host"), "host": QT_TRANSLATE_NOOP("PrecheckPage", "Host")}
COLUMNS = (QT_TRANSLATE_NOOP("PrecheckPage", "Severity"), QT_TRANSLATE_NOOP("PrecheckPage", "Topic"),
           QT_TRANSLATE_NOOP("PrecheckPage", "Finding"), QT_TRANSLATE_NOOP("PrecheckPage", "What to do"))
ICONS = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical, "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
         "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
# errors a later page fixes: topic -> the page's step (its attribute on the wizard)
LATER = {"network": "paths_page", "space": "paths_page", "type": "transfer_page"}
ROW_ROLE = Qt.ItemDataRole.UserRole + 50


# a libvirt domain's networks are libvirt's: its migration connects it to the destination's network of that name,
# which a precheck made from Bulkhead switches cannot see
LIBVIRT_OWN = ("network",)


def row_text(r: dict) -> str:
    """A row's text in the console's language (a bulk move's rows begin with their VM's name)."""
    text, vm = r.get("text", ""), r.get("vm")
    if vm and isinstance(text, str) and text.startswith(f"{vm}: "):
        return f"{vm}: " + placement_words.text(text[len(vm) + 2:])
    return placement_words.text(text)


def blocking(rows: list[dict], later: dict[str, str] | tuple = ()) -> list[dict]:
    """The error rows that no later page (or, for a libvirt domain, libvirt itself) takes care of."""
    return [r for r in rows if r.get("severity") == "error" and r.get("topic") not in later]


class PrecheckPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Precheck"),
                         self.tr("What the move would meet on both hosts. Errors must be fixed before it can start; "
                                 "warnings and notes do not stop it."), layout=QVBoxLayout)
        self.summary = WrappedLabel()
        self.summary.setObjectName("precheck_summary")
        self.box.addWidget(self.summary)
        self.grid = QTableWidget(0, len(COLUMNS))
        self.grid.setObjectName("precheck_grid")
        self.grid.setAccessibleName(self.tr("Precheck results"))
        self.grid.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.grid.verticalHeader().hide()
        self.grid.setAlternatingRowColors(True)
        self.grid.setWordWrap(True)
        self.grid.setShowGrid(False)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_a: self.grid.resizeRowsToContents())
        self.box.addWidget(self.grid, 1)
        self.again = push_button(self.tr("Check &Again"), "precheck_again", self.check)
        button_row(self.box, self.again, right=True)
        self.message = add_message(self.box, "precheck_message")
        self.result: dict | None = None
        self.checking = False
        self.answers = 0
        self._for = None  # the destination the result is of
        self.grid.setWhatsThis(self.tr("What the move would meet on both hosts. An error stops the move until it is "
                                       "fixed (the last column says how, or on which later page); a warning does not. "
                                       "Check Again repeats the check (bulkhead vm move --precheck)."))

    def later(self) -> dict[str, str]:
        """The topics a later page of this wizard's flow fixes ("" for those libvirt sees to itself)."""
        out = {t: p for t, p in LATER.items() if getattr(self.wiz, p) in self.wiz.flow()}
        if self.wiz.is_libvirt:
            out.update(dict.fromkeys(LIBVIRT_OWN, ""))
        return out

    def initializePage(self) -> None:
        self.check()

    def check(self) -> None:
        dst = self.wiz.destination
        if dst is None:
            return
        self.checking = True
        self._for = dst
        self.result = None
        self.grid.setRowCount(0)
        self.summary.setText(self.tr("Checking the move of {name} to {host}...").format(
            name=self.wiz.names_text(), host=dst.host_label))
        self.message.clear()
        self.wiz.precheck_op(dst.conn, self, "precheck").success(
            lambda result, d=dst: self._checked(d, result)).failure(lambda e, d=dst: self._failed(d, e)).run()
        self.changed()

    def _checked(self, dst, result: dict) -> None:
        if dst is not self.wiz.destination:
            return
        self.checking = False
        self.answers += 1
        self.result = result
        self.wiz.checked(result)
        self.show_rows(result.get("rows") or [])
        self.changed()

    def _failed(self, dst, error: BaseException) -> None:
        if dst is not self.wiz.destination:
            return
        self.checking = False
        self.result = None
        self.summary.setText("")
        self.message.set_error(self.tr("The move could not be checked: {why}").format(why=describe(error)))
        self.changed()

    def show_rows(self, rows: list[dict]) -> None:
        later = self.later()
        self.grid.setRowCount(0)
        style = self.style()
        for r in sorted(rows, key=lambda r: ORDER.get(r.get("severity"), 3)):
            severity = r.get("severity", "info")
            hint = placement_words.text(r.get("hint") or "")
            if severity == "error" and r.get("topic") in later and not later[r["topic"]]:
                hint = self.tr("libvirt connects the domain to the destination's network of the same name when it "
                               "migrates; check that it has one")
            elif severity == "error" and r.get("topic") in later:
                step = getattr(self.wiz, later[r["topic"]]).step
                hint = self.tr("Fix it on the {page} page: {hint}").format(page=step, hint=hint) if hint else \
                    self.tr("Fix it on the {page} page").format(page=step)
            topic = r.get("topic", "")
            cells = [translate("PrecheckPage", SEVERITY.get(severity, severity)),
                     translate("PrecheckPage", TOPICS[topic]) if topic in TOPICS else topic,
                     row_text(r), hint]
            row = self.grid.rowCount()
            self.grid.insertRow(row)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ROW_ROLE, r)
                if col >= 2:
                    item.setToolTip(text)
                self.grid.setItem(row, col, item)
            self.grid.item(row, 0).setIcon(style.standardIcon(ICONS.get(severity, ICONS["info"])))
        self.grid.resizeRowsToContents()
        errors = [r for r in rows if r.get("severity") == "error"]
        warnings = [r for r in rows if r.get("severity") == "warning"]
        stop = blocking(rows, later)
        counts = ", ".join((self.tr("1 error") if len(errors) == 1 else self.tr("{n} errors").format(n=len(errors)),
                            self.tr("1 warning") if len(warnings) == 1 else
                            self.tr("{n} warnings").format(n=len(warnings))))
        if stop:
            text = self.tr("{counts}: the move cannot start until the errors are fixed.")
        elif errors:
            text = self.tr("{counts}: the errors left are fixed on the next pages.")
        elif warnings:
            text = self.tr("{counts}: the move can go ahead; read the warnings first.")
        else:
            text = self.tr("No problems found: the move can go ahead.")
        self.summary.setText(text.format(counts=counts))

    def rows(self) -> list[dict]:
        return list((self.result or {}).get("rows") or [])

    def shown(self) -> list[dict]:
        """The grid's rows as shown: {severity, topic (the row's own), texts: [cells]}."""
        out = []
        for row in range(self.grid.rowCount()):
            r = self.grid.item(row, 0).data(ROW_ROLE)
            out.append({"severity": r.get("severity"), "topic": r.get("topic"),
                        "texts": [self.grid.item(row, c).text() for c in range(self.grid.columnCount())]})
        return out

    def problem(self) -> str | None:
        if self.checking:
            return self.tr("Checking the move...")
        if self.result is None:
            return self.tr("The move has not been checked.")
        stop = blocking(self.rows(), self.later())
        if stop:
            return self.tr("Fix this first: {text}").format(text=row_text(stop[0]))
        return None

    def update_messages(self) -> None:
        if self.result is None:
            return
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        else:
            self.message.clear()
