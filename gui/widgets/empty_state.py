"""What the VM list shows when there is nothing to list (first run), or no host yet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    action = Signal()

    def __init__(self, title: str, text: str, button: str, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setFixedWidth(480)
        self._fit()
        self.button = QPushButton(button)
        self.button.setDefault(True)
        self.button.clicked.connect(self.action.emit)
        self.button.setVisible(bool(button))
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setAccessibleName(title)

    def _fit(self) -> None:
        # the layout would squeeze a wrapped label to one line's height: ask for all its lines
        self.text.setMinimumHeight(self.text.heightForWidth(self.text.width()))

    def set(self, title: str, text: str, button: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self._fit()
        self.button.setText(button)
        self.button.setVisible(bool(button))
        self.setAccessibleName(title)
