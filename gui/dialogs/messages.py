"""Confirmations and error messages. They open window-modal with ``open()`` (no nested event loop), so nothing
waits on them and tests can find and answer them like a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, question: str, details: str, accept_label: str,
            on_accept: Callable[[], None]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmation")
    box.setInformativeText(details)
    yes = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirm")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def done() -> None:
        if box.clickedButton() is yes:
            on_accept()
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
