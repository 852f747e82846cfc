"""Under the Alerts pane's list: for a selected host CPU or memory pressure alert, the VMs whose move would relieve
the host most, each with the best-rated destination among the other connected hosts and a "Migrate..." button that
opens the Migrate wizard with that VM and that host chosen (SCVMM's PRO tips). The suggestions are worked out off
the GUI thread (gui/operations/alerts.py: suggestions); an answer for an alert no longer selected is dropped."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui import format as fmt
from gui import operations as ops
from gui.tasks import describe
from gui.widgets.named import named

PRESSURE = ("host_memory_pressure", "host_cpu_pressure")


def is_pressure(alert: dict | None) -> bool:
    return bool(alert) and alert.get("rule") in PRESSURE and not alert.get("cleared")


class SuggestionsPanel(QFrame):
    """``show_for(session, alert, others)``: the suggestions for ``alert`` of ``session``'s host, destinations among
    ``others`` (sessions); ``migrate_requested(source session, VM dict, destination session)`` when a Migrate...
    button is pressed."""

    migrate_requested = Signal(object, object, object)
    answered = Signal()  # the suggestions (or why there are none) are shown

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alert_suggestions")
        self.setAccessibleName(self.tr("Suggested moves"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.session = None
        self.alert: dict | None = None
        self.others: list = []
        self.result: dict | None = None
        self.buttons: list[QPushButton] = []
        self._asked = 0  # the latest request; older answers are dropped
        self.title = named(QLabel(), "alert_suggestions_title", self.tr("Suggested moves"))
        self.title.setWordWrap(True)
        self.status = named(QLabel(), "alert_suggestions_status", self.tr("Suggestions status"))
        self.status.setWordWrap(True)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.rows)
        layout.addWidget(self.status)
        self.hide()

    # --- asking ----------------------------------------------------------------------------------------------------
    def show_for(self, session, alert: dict | None, others: list) -> None:
        """Suggestions for ``alert`` (a pressure alert of ``session``'s host); anything else hides the panel."""
        if not is_pressure(alert) or session is None:
            self.clear()
            return
        if self.session is session and (self.alert or {}).get("id") == alert.get("id") and not self.isHidden():
            return  # already shown (or being worked out)
        self.session, self.alert, self.others = session, dict(alert), list(others)
        self.result = None
        self._asked += 1
        asked = self._asked
        self._fill_rows([])
        self._title()
        self.status.setText(self.tr("Measuring the VMs and rating the other hosts..."))
        self.show()
        ops.alerts.suggestions(session, alert, self.others, owner=self).success(
            lambda found, n=asked: self._answered(n, found)).failure(
            lambda e, n=asked: self._failed(n, e)).run()

    def _title(self) -> None:
        alert, session = self.alert or {}, self.session
        what = self.tr("memory") if alert.get("rule") == "host_memory_pressure" else self.tr("CPU")
        host = escape(session.host_label or "") if session is not None else ""
        in_use = (self.result or {}).get("in_use")
        if in_use is None:
            text = self.tr("<b>Relieve {host}'s {what}</b>: the VMs whose move would help most, each to its "
                           "best-rated host").format(host=host, what=what)
        else:
            text = self.tr("<b>Relieve {host}'s {what}</b> ({percent} % in use): the VMs whose move would help "
                           "most, each to its best-rated host").format(host=host, what=what, percent=f"{in_use:.0f}")
        self.title.setText(text)

    def refresh(self) -> None:
        """Work the shown alert's suggestions out again (the hosts' figures have changed)."""
        if self.session is not None and self.alert is not None:
            session, alert, others = self.session, self.alert, self.others
            self.alert = None
            self.show_for(session, alert, others)

    def clear(self) -> None:
        self._asked += 1
        self.session, self.alert, self.result = None, None, None
        self._fill_rows([])
        self.hide()

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.status.setText(self.tr("No suggestions: {why}").format(why=describe(error)))
        self.answered.emit()

    def _answered(self, asked: int, found: dict) -> None:
        if asked != self._asked:
            return
        self.result = found
        self._title()
        shown = found.get("suggestions") or []
        self._fill_rows(shown)
        if not shown:
            notes = "; ".join(found.get("notes") or [])
            self.status.setText(self.tr("No VM to suggest: {why}").format(why=notes) if notes
                                else self.tr("No VM to suggest"))
        elif not self.others:
            self.status.setText(self.tr("No other host is connected: add one to move VMs to (File > Add Host)"))
        else:
            self.status.setText(self.tr("Rated among {count} other host(s) for load balancing; the wizard checks "
                                        "and predicts the move before it starts").format(count=len(self.others)))
        self.answered.emit()

    # --- showing ---------------------------------------------------------------------------------------------------
    def _fill_rows(self, shown: list[dict]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        for row, s in enumerate(shown):
            name = named(QLabel(f"<b>{escape(s.get('vm', ''))}</b>"), f"suggestion_vm_{row}", self.tr("VM"))
            relief = named(QLabel(self._relief(s)), f"suggestion_relief_{row}", self.tr("Relief"))
            where = named(QLabel(self._where(s)), f"suggestion_destination_{row}", self.tr("Destination"))
            where.setToolTip(s.get("why") or "")
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Migrate..."))
            button.setObjectName(f"migrate_suggestion_{row}")
            enabled, tip = self._can_migrate(s)
            button.setEnabled(enabled)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, r=row: self.migrate(r))
            self.buttons.append(button)
            for col, widget in enumerate((name, relief, where, button)):
                self.grid.addWidget(widget, row, col)
        self.grid.setColumnStretch(2, 1)

    def _relief(self, s: dict) -> str:
        amount = float(s.get("relief") or 0.0)
        unit = s.get("relief_unit")
        if unit == "bytes":
            text = self.tr("frees {size} of memory").format(size=fmt.size(amount))
        elif unit == "host_percent":
            text = self.tr("frees about {percent} % of the host's CPU").format(percent=f"{amount:.0f}")
        else:
            text = self.tr("frees about {percent} % of one processor").format(percent=f"{amount:.0f}")
        after = s.get("after_percent")
        if after is not None:
            text += self.tr(" ({percent} % in use after)").format(percent=f"{after:.0f}")
        return text

    def _where(self, s: dict) -> str:
        if not s.get("destination"):
            return self.tr("no host can take it")
        session = self.destination(s)
        label = session.host_label if session is not None else s["destination"]
        return self.tr("to {host}, {stars} of 5 stars").format(host=escape(label), stars=f"{float(s['stars']):g}")

    # --- acting ----------------------------------------------------------------------------------------------------
    def destination(self, s: dict):
        index = s.get("index")
        return self.others[index] if isinstance(index, int) and 0 <= index < len(self.others) else None

    def _can_migrate(self, s: dict) -> tuple[bool, str]:
        if not s.get("destination"):
            return False, s.get("why") or self.tr("no host can take it")
        target = self.destination(s)
        if target is None or target.conn is None:
            return False, self.tr("{host} is not connected").format(host=s["destination"])
        if self.session is None or self.session.vm_model.vm(s.get("vm_id", "")) is None:
            return False, self.tr("{name} is no longer on this host").format(name=s.get("vm", ""))
        return True, self.tr("Open the Migrate wizard for {name} with {host} chosen").format(
            name=s.get("vm", ""), host=target.host_label)

    def migrate(self, row: int) -> None:
        shown = (self.result or {}).get("suggestions") or []
        if not 0 <= row < len(shown) or self.session is None:
            return
        s = shown[row]
        vm, target = self.session.vm_model.vm(s.get("vm_id", "")), self.destination(s)
        if vm is not None and target is not None:
            self.migrate_requested.emit(self.session, vm, target)
