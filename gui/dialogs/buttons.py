"""The button row under a dialog: an OK button renamed for what it does, and the button that closes it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

Ok = QDialogButtonBox.StandardButton.Ok


def button_row(dialog: QDialog, ok_text: str, accepted, close=QDialogButtonBox.StandardButton.Cancel
               ) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (labelled ``ok_text``, running ``accepted``) and ``close`` (rejecting ``dialog``); the box and its OK."""
    buttons = QDialogButtonBox(Ok | close)
    ok = buttons.button(Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
