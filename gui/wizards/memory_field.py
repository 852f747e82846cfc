"""A memory field that keeps what is typed: "9999 GB", "4G", "512 MiB" or a bare number of MiB, every digit of it,
read by ``gui.validation.read_memory`` and never clamped or cut. The arrows and the wheel step within the host's
range; what does not fit is said by the page (``reading().problem``), not silently changed.

It has the parts of QSpinBox's interface the wizard and the Settings dialog use (``value()`` in MiB, ``setValue``,
``minimum``/``maximum``/``setRange``, ``singleStep``/``setSingleStep``, ``valueChanged``, ``textChanged``), so it
replaces a QSpinBox of MiB where one was.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox

from core.model.limits import HostLimits
from gui import validation as val
from gui.i18n import translate

MiB = 1 << 20


class MemoryField(QAbstractSpinBox):
    valueChanged = Signal(object)  # the MiB understood (an int, or None when the text is not an amount)
    textChanged = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._min, self._max, self._step = 1, 1 << 30, 1
        self._limits: HostLimits | int | None = None
        self._last: int | None = None
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setToolTip(translate("MemoryField", "A number of MiB, or one with its unit: 512 MB, 4 GB, 2 GiB (MB and "
                                                 "GB count 1024s, as in Hyper-V)"))
        self.lineEdit().setMaxLength(64)
        self.lineEdit().textChanged.connect(self._edited)

    # --- what it holds ----------------------------------------------------------------------------------------
    def set_limits(self, limits: HostLimits | int | None) -> None:
        """The host's limits: the range and step of the arrows (one step beyond the most, so stepping there says
        why) and what ``reading()`` checks against."""
        self._limits = limits
        limits = val.as_limits(limits)
        step = max(1, limits.memory_step // MiB)
        self._min, self._step = max(1, limits.memory_min // MiB), step
        self._max = limits.memory_max // MiB + step

    def reading(self) -> val.MemoryReading:
        return val.read_memory(self.text(), self._limits if self._limits is not None else HostLimits())

    def value(self) -> int:
        """The MiB understood (0 while the text is not an amount of memory)."""
        return self.reading().mib or 0

    def setValue(self, mib: int) -> None:
        self.lineEdit().setText(translate("MemoryField", "{n} MiB").format(n=int(mib)))

    def text(self) -> str:
        return self.lineEdit().text()

    def _edited(self, text: str) -> None:
        self.textChanged.emit(text)
        mib = self.reading().mib
        if mib != self._last:
            self._last = mib
            self.valueChanged.emit(mib)

    # --- QSpinBox's range and step ------------------------------------------------------------------------------
    def minimum(self) -> int:
        return self._min

    def maximum(self) -> int:
        return self._max

    def setMinimum(self, low: int) -> None:
        self._min = int(low)

    def setMaximum(self, high: int) -> None:
        self._max = int(high)

    def setRange(self, low: int, high: int) -> None:
        self._min, self._max = int(low), int(high)

    def singleStep(self) -> int:
        return self._step

    def setSingleStep(self, step: int) -> None:
        self._step = max(1, int(step))

    # --- QAbstractSpinBox -------------------------------------------------------------------------------------------
    def validate(self, text: str, pos: int):
        return QValidator.State.Acceptable, text, pos  # anything may be typed: the page says what it means

    def fixup(self, text: str) -> str:
        return text

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        mib = self.reading().mib
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if mib is None or mib < self._max:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if mib is None or mib > self._min:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def stepBy(self, steps: int) -> None:
        """To the next multiple of the step up or down, within the range."""
        mib = self.reading().mib
        if mib is None:
            mib = self._min
        elif steps > 0:
            mib = (mib // self._step + steps) * self._step
        else:
            mib = -((-mib) // self._step) * self._step + steps * self._step
        self.setValue(max(self._min, min(self._max, mib)))
        self.selectAll()
