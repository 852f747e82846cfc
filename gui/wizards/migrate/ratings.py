"""Customize Ratings (SCVMM's): the placement goal, how much CPU, memory, disk and network matter, and the VM's
expected load, prefilled from what was measured of it. Every change is handed on at once (``changed``): the Select
Host page re-rates while the dialog is open."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from gui.widgets.builders import add_message, close_buttons, push_button
from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

RESOURCES = ("cpu", "memory", "disk", "network")
IMPORTANCE_MAX = 10
IMPORTANCE_DEFAULT = 5
MiB, GB = 1 << 20, 10**9
# what the ratings assume of a VM where nothing was measured (SCVMM's defaults, core/hosts/rating.py)
DEFAULTS = {"cpu_percent": 20.0, "disk_bytes": 2 * GB, "disk_iops": 0.0, "network_mbps": 0.0}


class CustomizeRatingsDialog(QDialog):
    changed = Signal()  # goal, importance or load edited (a moment after the last keystroke)

    def __init__(self, goal: str, weights: dict | None, load: dict, measured: dict | None, parent=None) -> None:
        """``load``: the VM's expected load now (its keys as the ratings take them); ``measured``: what the host
        measured of the VM (None where nothing was), shown beside each field."""
        super().__init__(parent)
        self.setObjectName("customize_ratings")
        self.setWindowTitle(self.tr("Customize Ratings"))
        self.measured = measured or {}
        layout = QVBoxLayout(self)
        layout.addWidget(WrappedLabel(self.tr("The stars weigh how each host would fare with this VM placed on it. "
                                              "Changes re-rate the hosts at once.")))
        goals = QGroupBox(self.tr("Placement goal"))
        g = QVBoxLayout(goals)
        self.balance = named(QRadioButton(self.tr("&Load balancing: spread VMs where the most stays free")),
                             "goal_balance")
        self.maximize = named(QRadioButton(self.tr("&Resource maximization: fill hosts before using others")),
                              "goal_maximize")
        self.goal_group = QButtonGroup(self)
        for button in (self.balance, self.maximize):
            self.goal_group.addButton(button)
            g.addWidget(button)
        (self.maximize if goal == "maximize" else self.balance).setChecked(True)
        layout.addWidget(goals)
        importance = QGroupBox(self.tr("Resource importance"))
        form = QFormLayout(importance)
        labels = {"cpu": self.tr("&CPU:"), "memory": self.tr("&Memory:"), "disk": self.tr("&Disk:"),
                  "network": self.tr("&Network:")}
        self.sliders: dict[str, QSlider] = {}
        for key in RESOURCES:
            slider = named(QSlider(Qt.Orientation.Horizontal), f"weight_{key}", labels[key].replace("&", ""))
            slider.setRange(0, IMPORTANCE_MAX)
            slider.setPageStep(1)
            slider.setTickPosition(QSlider.TickPosition.TicksBelow)
            value = (weights or {}).get(key)
            slider.setValue(int(round(value)) if isinstance(value, (int, float)) else IMPORTANCE_DEFAULT)
            row = QHBoxLayout()
            row.addWidget(QLabel(self.tr("Low")))
            row.addWidget(slider, 1)
            row.addWidget(QLabel(self.tr("High")))
            form.addRow(labels[key], row)
            form.labelForField(row).setBuddy(slider)
            self.sliders[key] = slider
        layout.addWidget(importance)
        expected = QGroupBox(self.tr("The VM's expected load"))
        form = QFormLayout(expected)
        self.cpu = self._spin(QDoubleSpinBox(), "load_cpu", 0, 100, self.tr(" %"), load.get("cpu_percent"), 1)
        self.memory = self._spin(QSpinBox(), "load_memory", 1, 1 << 30, self.tr(" MiB"),
                                 (load.get("memory_bytes") or MiB) / MiB, 0)
        self.disk = self._spin(QDoubleSpinBox(), "load_disk", 0, 1e6, self.tr(" GB"),
                               (load.get("disk_bytes") if load.get("disk_bytes") is not None else None), 2, scale=GB)
        self.iops = self._spin(QDoubleSpinBox(), "load_iops", 0, 1e7, self.tr(" IOPS"), load.get("disk_iops"), 0)
        self.network = self._spin(QDoubleSpinBox(), "load_network", 0, 1e6, self.tr(" Mbps"),
                                  load.get("network_mbps"), 1)
        for label, spin, key in ((self.tr("C&PU use:"), self.cpu, "cpu_percent"),
                                 (self.tr("M&emory:"), self.memory, "memory_bytes"),
                                 (self.tr("Dis&k space:"), self.disk, "disk_bytes"),
                                 (self.tr("Disk &I/O:"), self.iops, "disk_iops"),
                                 (self.tr("Net&work:"), self.network, "network_mbps")):
            row = QHBoxLayout()
            row.addWidget(spin)
            note = QLabel(self._measured_text(key))
            note.setObjectName(f"measured_{key}")
            row.addWidget(note, 1)
            form.addRow(label, row)
            form.labelForField(row).setBuddy(spin)
        layout.addWidget(expected)
        self.message = add_message(layout, "ratings_message")
        self.reset = push_button(self.tr("Reset to &Measured"), "reset_ratings", self.reset_to_measured)
        close_buttons(self, layout, self.reset, QDialogButtonBox.ButtonRole.ResetRole)
        self._timer = QTimer(self, singleShot=True, interval=150, timeout=self._emit)
        self.goal_group.buttonToggled.connect(lambda *_a: self._edited())
        for slider in self.sliders.values():
            slider.valueChanged.connect(self._edited)
        for spin in (self.cpu, self.memory, self.disk, self.iops, self.network):
            spin.valueChanged.connect(self._edited)
        self.resize(520, 0)

    def _spin(self, spin, name: str, low: float, high: float, suffix: str, value, decimals: int, scale: float = 1):
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        if decimals and hasattr(spin, "setDecimals"):
            spin.setDecimals(decimals)
        spin.setValue((value / scale) if isinstance(value, (int, float)) else 0)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("000000.00 IOPS") + 24)
        return spin

    def _measured_text(self, key: str) -> str:
        value = self.measured.get(key)
        if key == "memory_bytes":
            return self.tr("assigned to the VM")
        if value is None:
            default = {"cpu_percent": self.tr("20 %"), "disk_bytes": self.tr("2 GB"), "disk_iops": self.tr("0 IOPS"),
                       "network_mbps": self.tr("0 Mbps")}[key]
            return self.tr("not measured: SCVMM's default {value}").format(value=default)
        return self.tr("measured")

    def _edited(self, *_args) -> None:
        problem = self.problem()
        if problem:
            self.message.set_error(problem)
        else:
            self.message.clear()
        self._timer.start()

    def _emit(self) -> None:
        if self.problem() is None:
            self.changed.emit()

    def problem(self) -> str | None:
        if not any(s.value() for s in self.sliders.values()):
            return self.tr("Give at least one resource some importance.")
        return None

    # --- what was chosen -------------------------------------------------------------------------------------------
    def goal(self) -> str:
        return "maximize" if self.maximize.isChecked() else "balance"

    def weights(self) -> dict[str, float]:
        return {key: float(s.value()) for key, s in self.sliders.items()}

    def load(self) -> dict:
        return {"cpu_percent": self.cpu.value(), "memory_bytes": int(self.memory.value()) * MiB,
                "disk_bytes": int(self.disk.value() * GB), "disk_iops": self.iops.value(),
                "network_mbps": self.network.value()}

    def reset_to_measured(self) -> None:
        m = self.measured
        for spin, key, scale in ((self.cpu, "cpu_percent", 1), (self.disk, "disk_bytes", GB),
                                 (self.iops, "disk_iops", 1), (self.network, "network_mbps", 1)):
            value = m.get(key)
            spin.setValue((value if value is not None else DEFAULTS[key]) / scale)
        if m.get("memory_bytes"):
            self.memory.setValue(int(m["memory_bytes"] / MiB))
        for slider in self.sliders.values():
            slider.setValue(IMPORTANCE_DEFAULT)
        self.balance.setChecked(True)


def expected_load(measured: dict) -> dict:
    """The load the dialog starts from: what was measured, SCVMM's defaults for the rest."""
    out = {key: (measured.get(key) if measured.get(key) is not None else default) for key, default in DEFAULTS.items()}
    out["memory_bytes"] = measured.get("memory_bytes") or MiB
    return out
