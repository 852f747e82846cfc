"""The alert rules editor: enabled, threshold, duration and severity of each of a host's rules, checked as you type
and applied all at once with ``conn.set_alert_rules`` (the host refuses all or nothing)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel

SEVERITIES = ("warning", "critical")
MAX_DURATION = 86_400.0
# rules whose threshold is a percentage; the others have no threshold (the condition is yes or no)
PERCENT_RULES = ("cpu_high", "vm_memory_pressure", "host_memory_pressure", "disk_nearly_full",
                 "host_storage_nearly_full")
TITLES = {"cpu_high": "VM CPU high", "vm_memory_pressure": "VM memory pressure",
          "host_memory_pressure": "Host memory pressure", "heartbeat_lost": "Heartbeat lost",
          "vm_critical": "VM went Critical", "device_failed": "Synthetic device failed",
          "disk_nearly_full": "Virtual disk nearly full", "host_storage_nearly_full": "Host storage nearly full"}


class Col:
    ENABLED, RULE, THRESHOLD, DURATION, SEVERITY = range(5)


def threshold_problem(rule_id: str, threshold: float) -> str | None:
    if rule_id in PERCENT_RULES and not 1 <= threshold <= 100:
        return (f"{TITLES.get(rule_id, rule_id)}: the threshold is a percentage from 1 to 100 (0 would raise it all "
                "the time).")
    return None


def duration_problem(rule_id: str, duration: float) -> str | None:
    if not 0 <= duration <= MAX_DURATION:
        return f"{TITLES.get(rule_id, rule_id)}: the duration can be at most {int(MAX_DURATION)} s (a day)."
    return None


def rule_problem(rule_id: str, threshold: float, duration: float) -> str | None:
    """What is wrong with these values of one rule (None when they are fine)."""
    return threshold_problem(rule_id, threshold) or duration_problem(rule_id, duration)


class AlertRulesDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("alert_rules_dialog")
        self.setWindowTitle(f"Alert Rules - {session.host_label or 'host'}")
        self.rules: list[dict] = []
        self.rows: dict[str, dict] = {}
        layout = QVBoxLayout(self)
        intro = WrappedLabel("An alert is raised when its condition holds for the duration, and cleared when it ends. "
                             "Changes apply to every virtual machine of this host.")
        layout.addWidget(intro)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("rules_table")
        self.table.setHorizontalHeaderLabels(["On", "Rule", "Threshold", "Duration", "Severity"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.RULE, QHeaderView.ResizeMode.Stretch)
        digits = self.fontMetrics().horizontalAdvance("000000 s") + 40
        for col, width in ((Col.ENABLED, 36), (Col.THRESHOLD, digits), (Col.DURATION, digits),
                           (Col.SEVERITY, self.fontMetrics().horizontalAdvance("Critical") + 48)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        self.message = FieldMessage()
        self.message.setObjectName("rules_message")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Apply)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(lambda: self.apply())
        layout.addWidget(self.buttons)
        self.resize(760, 390)
        self._set_buttons(False)
        self.message.set_info("Reading the host's alert rules...")
        session.call(lambda conn: conn.alert_rules(), owner=self, on_done=self.set_rules,
                     on_error=lambda e: self.message.set_error(f"Cannot read the alert rules: {describe(e)}"))

    # --- filling -------------------------------------------------------------------------------------------------
    def set_rules(self, rules: list[dict]) -> None:
        self.rules = [dict(r) for r in rules]
        self.table.setRowCount(len(rules))
        self.rows = {}
        for i, rule in enumerate(rules):
            rid = rule["id"]
            enabled = QCheckBox()
            enabled.setChecked(bool(rule.get("enabled")))
            enabled.setAccessibleName(f"{TITLES.get(rid, rid)} on")
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(6, 0, 6, 0)
            box.addWidget(enabled, 0, Qt.AlignmentFlag.AlignCenter)
            self.table.setCellWidget(i, Col.ENABLED, holder)
            item = QTableWidgetItem(TITLES.get(rid, rid))
            item.setToolTip(rule.get("description", ""))
            self.table.setItem(i, Col.RULE, item)
            threshold = QDoubleSpinBox()
            threshold.setDecimals(0)
            threshold.setRange(0, 1000)
            threshold.setAccessibleName(f"{TITLES.get(rid, rid)} threshold")
            if rid in PERCENT_RULES:
                threshold.setSuffix(" %")
                threshold.setValue(float(rule.get("threshold") or 0))
            else:
                threshold.setSpecialValueText("-")
                threshold.setValue(0)
                threshold.setEnabled(False)
                threshold.setToolTip("This rule has no threshold: its condition holds or not")
            self.table.setCellWidget(i, Col.THRESHOLD, threshold)
            duration = QDoubleSpinBox()
            duration.setDecimals(0)
            duration.setRange(0, MAX_DURATION * 10)
            duration.setSuffix(" s")
            duration.setValue(float(rule.get("duration") or 0))
            duration.setAccessibleName(f"{TITLES.get(rid, rid)} duration")
            duration.setToolTip("How long the condition must hold before the alert is raised (0: at once)")
            self.table.setCellWidget(i, Col.DURATION, duration)
            severity = QComboBox()
            for s in SEVERITIES:
                severity.addItem(s.capitalize(), s)
            severity.setCurrentIndex(max(0, severity.findData(rule.get("severity"))))
            severity.setAccessibleName(f"{TITLES.get(rid, rid)} severity")
            self.table.setCellWidget(i, Col.SEVERITY, severity)
            self.rows[rid] = {"enabled": enabled, "threshold": threshold, "duration": duration, "severity": severity}
            enabled.toggled.connect(self.check)
            threshold.valueChanged.connect(self.check)
            duration.valueChanged.connect(self.check)
            severity.currentIndexChanged.connect(self.check)
        self.table.resizeRowsToContents()
        self.message.clear()
        self.check()

    # --- checking ------------------------------------------------------------------------------------------------
    def values(self) -> list[dict]:
        out = []
        for rule in self.rules:
            w = self.rows[rule["id"]]
            item = {"id": rule["id"], "enabled": w["enabled"].isChecked(), "duration": w["duration"].value(),
                    "severity": w["severity"].currentData()}
            if rule["id"] in PERCENT_RULES:
                item["threshold"] = w["threshold"].value()
            out.append(item)
        return out

    def changes(self) -> list[dict]:
        before = {r["id"]: r for r in self.rules}
        out = []
        for item in self.values():
            old = before[item["id"]]
            changed = {k: v for k, v in item.items() if k != "id" and old.get(k) != v}
            if changed:
                out.append({"id": item["id"], **changed})
        return out

    def problems(self) -> list[str]:
        out = []
        for item in self.values():
            p = rule_problem(item["id"], item.get("threshold", 50.0), item["duration"])
            if p:
                out.append(p)
        return out

    def check(self, *_args) -> bool:
        problems = self.problems()
        for rid, w in self.rows.items():
            bad = {"threshold": threshold_problem(rid, w["threshold"].value()),
                   "duration": duration_problem(rid, w["duration"].value())}
            for key, problem in bad.items():
                self._mark(w[key], problem)
        if problems:
            self.message.set_error(" ".join(problems))
        elif self.message.kind == "error":
            self.message.clear()
        self._set_buttons(not problems and bool(self.rules))
        return not problems

    def _mark(self, field: QDoubleSpinBox, problem: str | None) -> None:
        """Tint a field that is wrong (a palette, not a style sheet: that would redraw the spin box's arrows)."""
        palette = QPalette(self.palette())
        if problem:
            palette.setColor(QPalette.ColorRole.Base, QColor("#f8d7d7"))
            palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
        field.setPalette(palette)
        field.setToolTip(problem or field.accessibleName())

    def _set_buttons(self, ok: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(ok)

    # --- applying ------------------------------------------------------------------------------------------------
    def apply(self, then_close: bool = False) -> None:
        if not self.check():
            return
        changes = self.changes()
        if not changes:
            if then_close:
                super().accept()
            return
        self._set_buttons(False)
        self.message.set_info("Applying...")

        def done(rules: list[dict]) -> None:
            self.set_rules(rules)
            self.message.set_info("Applied.")
            if then_close:
                super(AlertRulesDialog, self).accept()

        def failed(error: BaseException) -> None:
            self._set_buttons(True)
            self.message.set_error(f"The host refused the rules (nothing changed): {describe(error)}")

        self.session.call(lambda conn: conn.set_alert_rules(changes), owner=self, on_done=done, on_error=failed)

    def accept(self) -> None:
        self.apply(then_close=True)

