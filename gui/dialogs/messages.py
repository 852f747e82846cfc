"""Confirmations and error messages. They open window-modal with ``open()`` (no nested event loop), so nothing
waits on them and tests can find and answer them like a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget


def confirm(parent: QWidget, title: str, question: str, details: str, accept_label: str,
            on_accept: Callable[..., None], option: str | None = None) -> QMessageBox:
    """A confirmation; with ``option`` it has that check box (off at first) and ``on_accept`` gets its state."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmation")
    box.setInformativeText(details)
    check = QCheckBox(option, box) if option else None  # owned by the box: a parentless one dies with this name
    if check is not None:
        check.setObjectName("confirm_option")
        box.setCheckBox(check)
    yes = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirm")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def done() -> None:
        if box.clickedButton() is yes:
            on_accept(check.isChecked()) if check is not None else on_accept()
        box.deleteLater()

    box.finished.connect(lambda _result: done())
    box.open()
    return box


def error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message.split("\n")[0] if "\n" in message else message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error")
    if "\n" in message:
        box.setText(title)
        box.setInformativeText(message)
    box.finished.connect(lambda _result: box.deleteLater())
    box.open()
    return box
