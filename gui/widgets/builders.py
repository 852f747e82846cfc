"""Small builders the dialogs and wizard pages share: a named button, a rich-text label, a table of facts, a message
under the widgets, a Close button box with one more button, and a wizard's list of steps at its side.

Every text handed in is already translated (the caller's ``self.tr``), so each string keeps its own context."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from .field_message import FieldMessage


def push_button(text: str, name: str, clicked, tooltip: str = "") -> QPushButton:
    """A push button ``text`` with object name ``name`` that calls ``clicked``."""
    push = QPushButton(text)
    push.setObjectName(name)
    if tooltip:
        push.setToolTip(tooltip)
    push.clicked.connect(clicked)
    return push


def button_row(layout: QBoxLayout, *buttons: QPushButton, right: bool = False) -> QHBoxLayout:
    """``buttons`` in a row added to ``layout``: at its left (the rest of the row empty), or at its right."""
    row = QHBoxLayout()
    if right:
        row.addStretch(1)
    for push in buttons:
        row.addWidget(push)
    if not right:
        row.addStretch(1)
    layout.addLayout(row)
    return row


def rich_label(name: str, accessible: str = "", wrap: bool = True) -> QLabel:
    """A label of rich text (selectable with the mouse) named ``name``; word-wrapped unless ``wrap`` is False."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible:
        label.setAccessibleName(accessible)
    label.setWordWrap(wrap)
    return label


def facts_table(rows, spacing: int = 3) -> str:
    """``rows`` of (name, value) as an HTML table: the name in bold with a colon, the value beside it."""
    return f"<table cellspacing='{spacing}'>" + "".join(
        f"<tr><td><b>{escape(k)}:</b></td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>"


def add_message(layout: QBoxLayout, name: str) -> FieldMessage:
    """An empty message named ``name`` added to ``layout``."""
    field = FieldMessage()
    field.setObjectName(name)
    layout.addWidget(field)
    return field


def close_buttons(dialog: QDialog, layout: QBoxLayout, extra: QPushButton,
                  role: QDialogButtonBox.ButtonRole) -> QDialogButtonBox:
    """A Close button (it rejects ``dialog``) and ``extra`` in ``role`` beside it, added to ``layout``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.addButton(extra, role)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return buttons


def wizard_steps(wizard: QWizard, accessible: str, steps: list[str] | None = None) -> QListWidget:
    """The list of ``wizard``'s steps at its side (``accessible``: its name for a screen reader, translated). With
    ``steps`` it lists them, wide enough for the longest; else it is left empty for the wizard to fill. The side
    widget is kept as ``wizard.side``: PySide6's setSideWidget does not take ownership, the wrapper would delete the
    widget."""
    listing = QListWidget()
    listing.setObjectName("steps")
    listing.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    listing.setAccessibleName(accessible)
    listing.setFrameShape(QListWidget.Shape.NoFrame)
    listing.setSelectionMode(QListWidget.SelectionMode.NoSelection)
    if steps:
        listing.addItems(steps)
        listing.setFixedWidth(max(listing.sizeHintForColumn(0) + 24, 170))
    else:
        listing.setFixedWidth(170)
    wizard.side = QWidget()
    side_layout = QVBoxLayout(wizard.side)
    side_layout.setContentsMargins(0, 0, 0, 0)
    side_layout.addWidget(listing)
    wizard.setSideWidget(wizard.side)
    return listing


def mark_step(listing: QListWidget, current: int) -> None:
    """The step at row ``current`` in bold, the others not."""
    for i in range(listing.count()):
        font = QFont(listing.font())
        font.setBold(i == current)
        listing.item(i).setFont(font)
