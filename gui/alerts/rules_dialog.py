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

from gui import operations as ops
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.tasks import describe
from gui.widgets.field_message import FieldMessage, WrappedLabel

SEVERITIES = ("warning", "critical")
MAX_DURATION = 86_400.0
# rules whose threshold is a percentage; the others have no threshold (the condition is yes or no)
PERCENT_RULES = ("cpu_high", "vm_memory_pressure", "host_memory_pressure", "host_cpu_pressure", "disk_nearly_full",
                 "host_storage_nearly_full")
_CONTEXT = "AlertRules"
TITLES = {"cpu_high": QT_TRANSLATE_NOOP("AlertRules", "VM CPU high"),
          "vm_memory_pressure": QT_TRANSLATE_NOOP("AlertRules", "VM memory pressure"),
          "host_memory_pressure": QT_TRANSLATE_NOOP("AlertRules", "Host memory pressure"),
          "host_cpu_pressure": QT_TRANSLATE_NOOP("AlertRules", "Host CPU pressure"),
          "heartbeat_lost": QT_TRANSLATE_NOOP("AlertRules", "Heartbeat lost"),
          "vm_critical": QT_TRANSLATE_NOOP("AlertRules", "VM went Critical"),
          "device_failed": QT_TRANSLATE_NOOP("AlertRules", "Synthetic device failed"),
          "disk_nearly_full": QT_TRANSLATE_NOOP("AlertRules", "Virtual disk nearly full"),
          "host_storage_nearly_full": QT_TRANSLATE_NOOP("AlertRules", "Host storage nearly full")}
SEVERITY_TEXT = {"warning": QT_TRANSLATE_NOOP("AlertRules", "Warning"),
                 "critical": QT_TRANSLATE_NOOP("AlertRules", "Critical")}


def rule_title(rule_id: str) -> str:
    """A rule's name in the console's language."""
    return translate(_CONTEXT, TITLES[rule_id]) if rule_id in TITLES else rule_id


class Col:
    ENABLED, RULE, THRESHOLD, DURATION, SEVERITY = range(5)


def threshold_problem(rule_id: str, threshold: float) -> str | None:
    if rule_id in PERCENT_RULES and not 1 <= threshold <= 100:
        return translate("AlertRules", "{rule}: the threshold is a percentage from 1 to 100 (0 would raise it all the "
                                   "time).").format(rule=rule_title(rule_id))
    return None


def duration_problem(rule_id: str, duration: float) -> str | None:
    if not 0 <= duration <= MAX_DURATION:
        return translate("AlertRules", "{rule}: the duration can be at most {seconds} s (a day).").format(
            rule=rule_title(rule_id), seconds=int(MAX_DURATION))
    return None


def rule_problem(rule_id: str, threshold: float, duration: float) -> str | None:
    """What is wrong with these values of one rule (None when they are fine)."""
    return threshold_problem(rule_id, threshold) or duration_problem(rule_id, duration)


class AlertRulesDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("alert_rules_dialog")
        self.setWindowTitle(self.tr("Alert Rules - {host}").format(host=session.host_label or self.tr("host")))
        self.rules: list[dict] = []
        self.rows: dict[str, dict] = {}
        layout = QVBoxLayout(self)
        intro = WrappedLabel(self.tr("An alert is raised when its condition holds for the duration, and cleared when "
                                     "it ends. Changes apply to every virtual machine of this host."))
        layout.addWidget(intro)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("rules_table")
        self.table.setHorizontalHeaderLabels([self.tr("On"), self.tr("Rule"), self.tr("Threshold"),
                                              self.tr("Duration"), self.tr("Severity")])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.RULE, QHeaderView.ResizeMode.Stretch)
        digits = self.fontMetrics().horizontalAdvance("000000 s") + 40
        for col, width in ((Col.ENABLED, 36), (Col.THRESHOLD, digits), (Col.DURATION, digits),
                           (Col.SEVERITY, max(self.fontMetrics().horizontalAdvance(translate(_CONTEXT, t))
                                              for t in SEVERITY_TEXT.values()) + 48)):
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
        self.message.set_info(self.tr("Reading the host's alert rules..."))
        ops.alerts.rules(session, owner=self).success(self.set_rules).failure(lambda e: self.message.set_error(
            self.tr("Cannot read the alert rules: {error}").format(error=describe(e)))).run()

    # --- filling -------------------------------------------------------------------------------------------------
    def set_rules(self, rules: list[dict]) -> None:
        self.rules = [dict(r) for r in rules]
        self.table.setRowCount(len(rules))
        self.rows = {}
        for i, rule in enumerate(rules):
            rid = rule["id"]
            enabled = QCheckBox()
            enabled.setChecked(bool(rule.get("enabled")))
            title = rule_title(rid)
            enabled.setAccessibleName(self.tr("{rule} on").format(rule=title))
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(6, 0, 6, 0)
            box.addWidget(enabled, 0, Qt.AlignmentFlag.AlignCenter)
            self.table.setCellWidget(i, Col.ENABLED, holder)
            item = QTableWidgetItem(title)
            item.setToolTip(rule.get("description", ""))
            self.table.setItem(i, Col.RULE, item)
            threshold = QDoubleSpinBox()
            threshold.setDecimals(0)
            threshold.setRange(0, 1000)
            threshold.setAccessibleName(self.tr("{rule} threshold").format(rule=title))
            if rid in PERCENT_RULES:
                threshold.setSuffix(" %")
                threshold.setValue(float(rule.get("threshold") or 0))
            else:
                threshold.setSpecialValueText("-")
                threshold.setValue(0)
                threshold.setEnabled(False)
                threshold.setToolTip(self.tr("This rule has no threshold: its condition holds or not"))
            self.table.setCellWidget(i, Col.THRESHOLD, threshold)
            duration = QDoubleSpinBox()
            duration.setDecimals(0)
            duration.setRange(0, MAX_DURATION * 10)
            duration.setSuffix(" s")
            duration.setValue(float(rule.get("duration") or 0))
            duration.setAccessibleName(self.tr("{rule} duration").format(rule=title))
            duration.setToolTip(self.tr("How long the condition must hold before the alert is raised (0: at once)"))
            self.table.setCellWidget(i, Col.DURATION, duration)
            severity = QComboBox()
            for s in SEVERITIES:
                severity.addItem(translate(_CONTEXT, SEVERITY_TEXT[s]), s)
            severity.setCurrentIndex(max(0, severity.findData(rule.get("severity"))))
            severity.setAccessibleName(self.tr("{rule} severity").format(rule=title))
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
        self.message.set_info(self.tr("Applying..."))

        def done(rules: list[dict]) -> None:
            self.set_rules(rules)
            self.message.set_info(self.tr("Applied."))
            if then_close:
                super(AlertRulesDialog, self).accept()

        def failed(error: BaseException) -> None:
            self._set_buttons(True)
            self.message.set_error(self.tr("The host refused the rules (nothing changed): {error}").format(
                error=describe(error)))

        ops.alerts.set_rules(self.session, changes, owner=self).success(done).failure(failed).run()

    def accept(self) -> None:
        self.apply(then_close=True)

