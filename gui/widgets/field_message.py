"""An inline message next to a field: what is wrong (a warning sign) or a hint (an information sign).

Plain palette text with a Unicode sign in front, no icon widget: a word-wrapped plain label is the one thing
QFormLayout sizes exactly, and it reads in light and dark themes alike.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFormLayout, QLabel

SIGNS = {"error": "\u26a0", "info": "\u2139"}


class WrappedLabel(QLabel):
    """A word-wrapped label sized for the width it has.

    A wrapped QLabel reports the height it would need at a narrow default width, and QFormLayout gives the row that
    much (a gap above and below the text); this one answers for its real width."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = self.width() if self.width() > 100 else 400
        return QSize(hint.width(), max(self.fontMetrics().height(), self.heightForWidth(width)))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()


class FieldMessage(WrappedLabel):
    def __init__(self, parent=None) -> None:
        super().__init__("", parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.message = ""
        self.clear()

    def text(self) -> str:  # the message without its sign
        return self.message

    def set_error(self, text: str) -> None:
        self._set("error", text)

    def set_info(self, text: str) -> None:
        self._set("info", text)

    def clear(self) -> None:
        self.kind = ""
        self.message = ""
        super().setText("")
        self._show(False)

    def _show(self, visible: bool) -> None:
        """Show or hide the message, and its whole row when it sits in a form (no empty gap under the field)."""
        self.setVisible(visible)
        parent = self.parentWidget()
        layouts = [parent.layout()] if parent is not None and parent.layout() is not None else []
        while layouts:
            layout = layouts.pop()
            if isinstance(layout, QFormLayout) and layout.indexOf(self) >= 0:
                row, _role = layout.getWidgetPosition(self)
                if row >= 0:
                    layout.setRowVisible(row, visible)
                return
            layouts += [layout.itemAt(i).layout() for i in range(layout.count()) if layout.itemAt(i).layout()]

    def _set(self, kind: str, text: str) -> None:
        if not text:
            self.clear()
            return
        if kind == self.kind and text == self.message:
            return
        self.kind, self.message = kind, text
        super().setText(f"{SIGNS[kind]}  {text}")
        self.setAccessibleName((self.tr("Problem: {text}") if kind == "error" else self.tr("Note: {text}")).format(
            text=text))
        self._show(True)
