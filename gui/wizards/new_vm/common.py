"""What every page of the New Virtual Machine wizard shares: the page base class (fields checked as you type) and a
few layout helpers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget, QWizardPage

from gui.i18n import translate
from gui.widgets.field_message import WrappedLabel

__all__ = ["GiB", "MiB", "Page", "form", "hint", "narrow", "translate"]
MiB, GiB = 1 << 20, 1 << 30


def form(page: QWidget) -> QFormLayout:
    """A form at the top of the page (the rest stays empty rather than spreading the rows apart)."""
    outer = QVBoxLayout(page)
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addLayout(layout)
    outer.addStretch(1)
    return layout


def narrow(spin: QSpinBox) -> QSpinBox:
    spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000000 MiB") + 48)
    return spin


def hint(text: str) -> QLabel:
    label = WrappedLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class Page(QWizardPage):
    """A page whose fields are checked as you type: ``problem()`` returns what is wrong (or None).
    ``host_changed()`` runs when the target host's capabilities and limits arrive."""

    def __init__(self, wizard, title: str, subtitle: str, step: str) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.step = step

    @property
    def facts(self):
        return self.wiz.facts

    def problem(self) -> str | None:
        return None

    def isComplete(self) -> bool:
        return self.problem() is None

    def changed(self, *_args) -> None:
        self.update_messages()
        self.completeChanged.emit()

    def update_messages(self) -> None:
        pass

    def host_changed(self) -> None:
        """The host's capabilities or limits changed (they arrive off the GUI thread after the wizard opens)."""
        self.changed()
