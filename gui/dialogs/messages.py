"""Confirmations and error messages. They open window-modal with ``open()`` (no nested event loop), so nothing
waits on them and tests can find and answer them like a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from core.model.messages import localized, localized_text
from gui.i18n import translate


def language() -> str:
    """The language of the console's installed translation ("de"), which host errors are shown in too; "en"
    without one. The translation itself says it, so the two never differ."""
    return translate("HostErrors", "en", "the language code of this translation (de for German)")


def host_error(error) -> str:
    """A host's refusal (a BulkheadError, or its protocol dict) in the console's language, by its code
    (core.model.messages; the host's English where the catalog does not know it)."""
    return localized(error, language())


def ask(parent: QWidget | None, icon: QMessageBox.Icon, title: str, question: str, details: str, buttons: list,
        on_choice: Callable[[object, bool | None], None], option: str | None = None, default: int | None = None,
        name: str = "question") -> QMessageBox:
    """A question with ``buttons`` ([(label, role, object name, value)]) and Cancel; ``on_choice(value, checked)``
    when one of them is clicked (``checked``: the ``option`` check box's state, off at first; None without one).
    ``default``: the index of the default button (None: Cancel)."""
    box = QMessageBox(icon, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    box.setInformativeText(details)
    check = QCheckBox(option, box) if option else None  # owned by the box: a parentless one dies with this name
    if check is not None:
        check.setObjectName("confirm_option")
        box.setCheckBox(check)
    made = []
    for label, role, object_name, value in buttons:
        button = box.addButton(label, role)
        button.setObjectName(object_name)
        made.append((button, value))
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if default is None else made[default][0])
    box.setEscapeButton(cancel)

    def done() -> None:
        for button, value in made:
            if box.clickedButton() is button:
                on_choice(value, check.isChecked() if check is not None else None)
        box.deleteLater()

    box.finished.connect(lambda _result: done())
    box.open()
    return box


def confirm(parent: QWidget, title: str, question: str, details: str, accept_label: str,
            on_accept: Callable[..., None], option: str | None = None) -> QMessageBox:
    """A confirmation; with ``option`` it has that check box (off at first) and ``on_accept`` gets its state."""
    def chosen(_value, checked) -> None:
        on_accept(checked) if checked is not None else on_accept()

    return ask(parent, QMessageBox.Icon.Warning, title, question, details,
               [(accept_label, QMessageBox.ButtonRole.AcceptRole, "confirm", True)], chosen, option,
               name="confirmation")


def error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """An error message; a host's refusal in it (its English sentence) is shown in the console's language."""
    message = localized_text(message, language())
    box = QMessageBox(QMessageBox.Icon.Critical, title, message.split("\n")[0] if "\n" in message else message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error")
    if "\n" in message:
        box.setText(title)
        box.setInformativeText(message)
    box.finished.connect(lambda _result: box.deleteLater())
    box.open()
    return box
